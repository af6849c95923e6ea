"""Business partners: every outside party (customer, supplier, or both), with contacts, addresses and tags."""

from decimal import Decimal

from django.core.validators import (
    MaxLengthValidator,
    MaxValueValidator,
    MinValueValidator,
    RegexValidator,
    URLValidator,
)
from django.db import models
from django.utils.translation import gettext_lazy as _

from heyi.platform.models import CompanyOwned, Owned, Versioned, WithMnemonic

from .validators import normalize_email, normalize_phone, validate_credit_code

NOTES_MAX = 4000


class Tag(Versioned, CompanyOwned):
    """A label such as 价格敏感 (price-sensitive) that groups partners for follow-up and filters."""

    class Colour(models.TextChoices):
        GREY = "grey", _("Grey")
        BLUE = "blue", _("Blue")
        GREEN = "green", _("Green")
        YELLOW = "yellow", _("Yellow")
        RED = "red", _("Red")
        TEAL = "teal", _("Teal")
        DARK = "dark", _("Dark")

    CSS = {
        "grey": "is-light",
        "blue": "is-info",
        "green": "is-success",
        "yellow": "is-warning",
        "red": "is-danger",
        "teal": "is-primary",
        "dark": "is-dark",
    }

    name = models.CharField(_("name"), max_length=50)
    colour = models.CharField(_("colour"), max_length=10, choices=Colour.choices, default=Colour.GREY)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["company", "name"], name="uniq_partner_tag_name")]

    def __str__(self) -> str:
        return self.name

    @property
    def css_class(self) -> str:
        return self.CSS.get(self.colour, "is-light")


class Partner(WithMnemonic, Versioned, Owned, CompanyOwned):
    """One outside party. A customer and a supplier at once is one record with both flags."""

    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    is_customer = models.BooleanField(_("customer"), default=False)
    is_supplier = models.BooleanField(_("supplier"), default=False)
    tax_number = models.CharField(
        _("unified social credit code"), max_length=18, blank=True, validators=[validate_credit_code]
    )
    credit_limit = models.DecimalField(
        _("credit limit"),
        max_digits=14,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    payment_terms_days = models.PositiveSmallIntegerField(
        _("payment terms (days)"), default=0, validators=[MaxValueValidator(365)]
    )
    currency = models.CharField(
        _("currency"),
        max_length=3,
        default="CNY",
        validators=[RegexValidator(r"^[A-Z]{3}$", _("Use a three-letter currency code such as CNY."))],
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True, validators=[URLValidator(schemes=["http", "https"])])
    province = models.CharField(_("province"), max_length=50, blank=True)
    city = models.CharField(_("city"), max_length=50, blank=True)
    region = models.CharField(_("sales region"), max_length=50, blank=True)
    bank_name = models.CharField(_("bank"), max_length=100, blank=True)
    bank_account = models.CharField(_("bank account"), max_length=64, blank=True)
    notes = models.TextField(_("notes"), blank=True, validators=[MaxLengthValidator(NOTES_MAX)])
    tags = models.ManyToManyField(
        Tag, verbose_name=_("tags"), blank=True, through="PartnerTag", related_name="partners"
    )
    is_active = models.BooleanField(_("active"), default=True)
    # Kept for duplicate detection (leads against customers): the same number or address however typed.
    phone_normalized = models.CharField(max_length=40, blank=True, editable=False)
    email_normalized = models.CharField(max_length=254, blank=True, editable=False)

    class Meta:
        verbose_name = _("business partner")
        verbose_name_plural = _("business partners")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["company", "code"], name="uniq_partner_code"),
            models.CheckConstraint(
                condition=models.Q(is_customer=True) | models.Q(is_supplier=True),
                name="partner_is_customer_or_supplier",
                violation_error_message=_("A partner is a customer, a supplier, or both."),
            ),
            models.CheckConstraint(
                condition=models.Q(credit_limit__gte=0), name="partner_credit_limit_gte_0"
            ),
            models.CheckConstraint(
                condition=models.Q(payment_terms_days__lte=365), name="partner_payment_terms_lte_365"
            ),
        ]
        indexes = [
            models.Index(fields=["company", "name"], name="partner_company_name"),
            models.Index(fields=["company", "phone_normalized"], name="partner_company_phone"),
            models.Index(fields=["company", "email_normalized"], name="partner_company_email"),
            models.Index(fields=["company", "owner"], name="partner_company_owner"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.phone_normalized = normalize_phone(self.phone)
        self.email_normalized = normalize_email(self.email)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "phone_normalized", "email_normalized"}
        super().save(*args, **kwargs)

    @property
    def kinds(self) -> list[str]:
        return [k for k, on in (("customer", self.is_customer), ("supplier", self.is_supplier)) if on]


class PartnerTag(CompanyOwned):
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="+")
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["company", "partner", "tag"], name="uniq_partner_tag"),
        ]


class Contact(WithMnemonic, Versioned, CompanyOwned):
    """A person at a partner; one of them is the primary contact."""

    partner = models.ForeignKey(
        Partner, verbose_name=_("partner"), on_delete=models.PROTECT, related_name="contacts"
    )
    name = models.CharField(_("name"), max_length=100)
    title = models.CharField(_("job title"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    mobile = models.CharField(_("mobile"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    is_primary = models.BooleanField(_("primary contact"), default=False)
    notes = models.TextField(_("notes"), blank=True, validators=[MaxLengthValidator(NOTES_MAX)])

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["-is_primary", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "partner"],
                condition=models.Q(is_primary=True),
                name="uniq_primary_contact",
            )
        ]
        indexes = [models.Index(fields=["company", "partner"], name="contact_company_partner")]

    def __str__(self) -> str:
        return self.name


class Address(Versioned, CompanyOwned):
    """A billing or shipping address; each partner has at most one default of each kind."""

    class Kind(models.TextChoices):
        BILLING = "billing", _("Billing")
        SHIPPING = "shipping", _("Shipping")

    partner = models.ForeignKey(
        Partner, verbose_name=_("partner"), on_delete=models.PROTECT, related_name="addresses"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.SHIPPING)
    province = models.CharField(_("province"), max_length=50, blank=True)
    city = models.CharField(_("city"), max_length=50, blank=True)
    district = models.CharField(_("district"), max_length=50, blank=True)
    street = models.CharField(_("street address"), max_length=200)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    contact_name = models.CharField(_("contact name"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    is_default = models.BooleanField(_("default"), default=False)

    class Meta:
        verbose_name = _("address")
        verbose_name_plural = _("addresses")
        ordering = ["kind", "-is_default", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "partner", "kind"],
                condition=models.Q(is_default=True),
                name="uniq_default_address",
            )
        ]
        indexes = [models.Index(fields=["company", "partner"], name="address_company_partner")]

    def __str__(self) -> str:
        return " ".join(p for p in (self.province, self.city, self.district, self.street) if p)
