from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from heyi.platform.models import CompanyOwned, Versioned, WithMnemonic

from ..pricing import incl_tax
from .units import Unit, positive

NOT_NEGATIVE = [MinValueValidator(Decimal(0))]


class Category(WithMnemonic, Versioned, CompanyOwned):
    """A node of the product category tree; names are unique among siblings."""

    name = models.CharField(_("name"), max_length=100)
    code = models.CharField(_("code"), max_length=40, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent category"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    class Meta:
        verbose_name = _("product category")
        verbose_name_plural = _("product categories")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "parent", "name"],
                condition=models.Q(parent__isnull=False),
                name="uniq_category_name",
                violation_error_message=_("A category with this name already exists here."),
            ),
            models.UniqueConstraint(
                fields=["company", "name"],
                condition=models.Q(parent__isnull=True),
                name="uniq_root_category_name",
                violation_error_message=_("A category with this name already exists here."),
            ),
            models.UniqueConstraint(
                fields=["company", "code"],
                condition=~models.Q(code=""),
                name="uniq_category_code",
                violation_error_message=_("A category with this code already exists."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Product(WithMnemonic, Versioned, CompanyOwned):
    """A thing the company buys, makes, stocks or sells. Prices are stored tax-exclusive."""

    class Kind(models.TextChoices):
        STOCKABLE = "stockable", _("Stockable")
        CONSUMABLE = "consumable", _("Consumable")
        SERVICE = "service", _("Service")

    TAX_RATES = [
        (Decimal("0.13"), "13%"),
        (Decimal("0.09"), "9%"),
        (Decimal("0.06"), "6%"),
        (Decimal("0.00"), "0%"),
    ]

    sku = models.CharField(_("SKU"), max_length=64)
    name = models.CharField(_("name"), max_length=200)
    barcode = models.CharField(_("barcode"), max_length=64, blank=True)
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="products",
    )
    base_unit = models.ForeignKey(
        Unit, verbose_name=_("base unit"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.STOCKABLE)
    tax_rate = models.DecimalField(
        _("VAT rate"), max_digits=3, decimal_places=2, choices=TAX_RATES, default=Decimal("0.13")
    )
    sale_price = models.DecimalField(
        _("sale price (excl. tax)"), max_digits=18, decimal_places=6, default=0, validators=NOT_NEGATIVE
    )
    purchase_price = models.DecimalField(
        _("purchase price (excl. tax)"), max_digits=18, decimal_places=6, default=0, validators=NOT_NEGATIVE
    )
    standard_cost = models.DecimalField(
        _("standard cost"), max_digits=18, decimal_places=6, default=0, validators=NOT_NEGATIVE
    )
    safety_stock = models.DecimalField(
        _("safety stock"), max_digits=16, decimal_places=4, default=0, validators=NOT_NEGATIVE
    )
    reorder_point = models.DecimalField(
        _("reorder point"), max_digits=16, decimal_places=4, default=0, validators=NOT_NEGATIVE
    )
    description = models.TextField(_("description"), max_length=4000, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["sku"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "sku"],
                name="uniq_product_sku",
                violation_error_message=_("A product with this SKU already exists."),
            ),
            models.UniqueConstraint(
                fields=["company", "barcode"],
                condition=~models.Q(barcode=""),
                name="uniq_product_barcode",
                violation_error_message=_("A product with this barcode already exists."),
            ),
            models.CheckConstraint(
                condition=models.Q(
                    sale_price__gte=0,
                    purchase_price__gte=0,
                    standard_cost__gte=0,
                    safety_stock__gte=0,
                    reorder_point__gte=0,
                ),
                name="product_amounts_not_negative",
            ),
        ]
        indexes = [models.Index(fields=["company", "name"], name="product_company_name")]

    def __str__(self) -> str:
        return f"{self.sku} {self.name}"

    @property
    def sale_price_incl_tax(self) -> Decimal:
        return incl_tax(self.sale_price, self.tax_rate)

    @property
    def purchase_price_incl_tax(self) -> Decimal:
        return incl_tax(self.purchase_price, self.tax_rate)


class ProductUnit(Versioned, CompanyOwned):
    """A packaging unit of one product: one 箱 holds `factor` of the product's base unit."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="units")
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    factor = models.DecimalField(
        _("quantity in base units"), max_digits=16, decimal_places=4, validators=[positive]
    )
    barcode = models.CharField(_("barcode"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("packaging unit")
        verbose_name_plural = _("packaging units")
        ordering = ["factor"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "product", "unit"],
                name="uniq_product_unit",
                violation_error_message=_("This product already has this unit."),
            ),
            models.UniqueConstraint(
                fields=["company", "barcode"],
                condition=~models.Q(barcode=""),
                name="uniq_product_unit_barcode",
                violation_error_message=_("A packaging unit with this barcode already exists."),
            ),
            models.CheckConstraint(condition=models.Q(factor__gt=0), name="product_unit_factor_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} = {self.factor.normalize():f} {self.product.base_unit}"
