"""Sales orders and their lines; the amounts are kept rounded per line, the totals summed from them."""

from collections.abc import Iterable
from decimal import Decimal

from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from heyi.platform.models import CompanyOwned, Owned, Versioned

from ..totals import line_amounts

QTY = {"max_digits": 16, "decimal_places": 4}
PRICE = {"max_digits": 18, "decimal_places": 6}
AMOUNT = {"max_digits": 16, "decimal_places": 2}
NOTES_MAX = 4000


class SalesSettings(CompanyOwned):
    """How a company sells: what confirming an order does when stock is short."""

    class OnShortage(models.TextChoices):
        BACKORDER = "backorder", _("Confirm and keep the rest as a backorder")
        REFUSE = "refuse", _("Refuse the confirmation")

    on_shortage = models.CharField(
        _("on shortage"), max_length=10, choices=OnShortage.choices, default=OnShortage.BACKORDER
    )

    class Meta:
        verbose_name = _("sales settings")
        constraints = [models.UniqueConstraint(fields=["company"], name="uniq_sales_settings")]


class SalesOrder(Owned, Versioned, CompanyOwned):
    """An order of a customer. The salesperson is the record's owner, which record scopes filter on."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        CONFIRMED = "confirmed", _("Confirmed")
        PARTIALLY_DELIVERED = "partially_delivered", _("Partially delivered")
        DELIVERED = "delivered", _("Delivered")
        CLOSED = "closed", _("Closed")
        CANCELLED = "cancelled", _("Cancelled")

    TRANSITIONS: dict[str, Iterable[str]] = {
        State.DRAFT: (State.CONFIRMED, State.CANCELLED),
        State.CONFIRMED: (State.PARTIALLY_DELIVERED, State.DELIVERED, State.CANCELLED, State.CLOSED),
        State.PARTIALLY_DELIVERED: (State.PARTIALLY_DELIVERED, State.DELIVERED, State.CLOSED),
        State.DELIVERED: (State.CLOSED,),
        State.CLOSED: (),
        State.CANCELLED: (),
    }
    OPEN_FOR_DELIVERY = (State.CONFIRMED, State.PARTIALLY_DELIVERED)

    number = models.CharField(_("number"), max_length=30, editable=False)
    customer = models.ForeignKey(
        "partners.Partner", verbose_name=_("customer"), on_delete=models.PROTECT, related_name="+"
    )
    owner = models.ForeignKey(
        "platform.User", verbose_name=_("salesperson"), on_delete=models.PROTECT, related_name="+"
    )
    order_date = models.DateField(_("order date"))
    delivery_address = models.CharField(_("delivery address"), max_length=300, blank=True)
    warehouse = models.ForeignKey(
        "inventory.Warehouse",
        verbose_name=_("warehouse"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Reserve from this warehouse first; empty: by the warehouses' priority."),
    )
    notes = models.TextField(_("notes"), blank=True, validators=[MaxLengthValidator(NOTES_MAX)])
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.DRAFT)
    untaxed_amount = models.DecimalField(_("amount excl. tax"), default=Decimal("0.00"), **AMOUNT)
    tax_amount = models.DecimalField(_("tax"), default=Decimal("0.00"), **AMOUNT)
    total_amount = models.DecimalField(_("total"), default=Decimal("0.00"), **AMOUNT)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("sales order")
        verbose_name_plural = _("sales orders")
        ordering = ["-order_date", "-number"]
        constraints = [models.UniqueConstraint(fields=["company", "number"], name="uniq_sales_order_number")]
        indexes = [
            models.Index(fields=["company", "state"], name="sales_order_company_state"),
            models.Index(fields=["company", "customer"], name="sales_order_company_customer"),
            models.Index(fields=["company", "owner"], name="sales_order_company_owner"),
            models.Index(fields=["company", "order_date"], name="sales_order_company_date"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def salesperson(self):
        return self.owner

    def recompute_totals(self, lines=None) -> None:
        lines = list(self.lines.all()) if lines is None else lines
        self.untaxed_amount = sum((ln.net_amount for ln in lines), Decimal("0.00"))
        self.tax_amount = sum((ln.tax_amount for ln in lines), Decimal("0.00"))
        self.total_amount = sum((ln.gross_amount for ln in lines), Decimal("0.00"))


class SalesOrderLine(CompanyOwned):
    """One product on an order. Quantities delivered, returned and reserved are in the line's unit."""

    order = models.ForeignKey(SalesOrder, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveIntegerField(_("line"), default=1)
    product = models.ForeignKey(
        "catalog.Product", verbose_name=_("product"), on_delete=models.PROTECT, related_name="+"
    )
    description = models.CharField(_("description"), max_length=200, blank=True)
    quantity = models.DecimalField(_("quantity"), **QTY)
    unit = models.ForeignKey(
        "catalog.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    base_quantity = models.DecimalField(_("quantity in base unit"), **QTY)
    unit_price = models.DecimalField(_("unit price (excl. tax)"), **PRICE)
    discount_percent = models.DecimalField(
        _("discount %"), max_digits=5, decimal_places=2, default=Decimal("0.00")
    )
    tax_rate = models.DecimalField(_("VAT rate"), max_digits=5, decimal_places=4)
    net_amount = models.DecimalField(_("amount excl. tax"), **AMOUNT)
    tax_amount = models.DecimalField(_("tax"), **AMOUNT)
    gross_amount = models.DecimalField(_("amount incl. tax"), **AMOUNT)
    delivered_quantity = models.DecimalField(_("delivered"), default=Decimal("0"), **QTY)
    returned_quantity = models.DecimalField(_("returned"), default=Decimal("0"), **QTY)
    reserved_quantity = models.DecimalField(_("reserved"), default=Decimal("0"), **QTY)

    class Meta:
        verbose_name = _("sales order line")
        verbose_name_plural = _("sales order lines")
        ordering = ["position"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="sales_line_quantity_positive"),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="sales_line_price_not_negative"),
            models.CheckConstraint(
                condition=Q(discount_percent__gte=0, discount_percent__lte=100),
                name="sales_line_discount_0_100",
            ),
            models.CheckConstraint(
                condition=Q(delivered_quantity__gte=0, delivered_quantity__lte=models.F("quantity")),
                name="sales_line_delivered_within_ordered",
            ),
            models.CheckConstraint(
                condition=Q(returned_quantity__gte=0, returned_quantity__lte=models.F("delivered_quantity")),
                name="sales_line_returned_within_delivered",
            ),
        ]
        indexes = [
            models.Index(fields=["company", "order"], name="sales_line_company_order"),
            models.Index(fields=["company", "product"], name="sales_line_company_product"),
        ]

    def __str__(self) -> str:
        return f"{self.order.number}/{self.position}"

    def compute_amounts(self) -> None:
        self.net_amount, self.tax_amount, self.gross_amount = line_amounts(
            self.quantity, self.unit_price, self.discount_percent, self.tax_rate
        )

    @property
    def remaining_quantity(self) -> Decimal:
        return self.quantity - self.delivered_quantity
