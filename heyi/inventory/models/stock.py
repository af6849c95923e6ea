"""The stock ledger and what is kept beside it so reading stock never sums the ledger."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from heyi.platform.models import CompanyOwned

from .warehouses import Location, Warehouse

QTY = {"max_digits": 16, "decimal_places": 4}
COST = {"max_digits": 18, "decimal_places": 6}
AMOUNT = {"max_digits": 18, "decimal_places": 2}


class InventorySettings(CompanyOwned):
    allow_negative_stock = models.BooleanField(_("allow negative stock"), default=False)

    class Meta:
        verbose_name = _("inventory settings")
        constraints = [models.UniqueConstraint(fields=["company"], name="uniq_inventory_settings")]


class Batch(CompanyOwned):
    """A lot of one product; picking suggests the one that expires first."""

    product = models.ForeignKey(
        "catalog.Product", verbose_name=_("product"), on_delete=models.PROTECT, related_name="+"
    )
    code = models.CharField(_("batch"), max_length=40)
    expiry_date = models.DateField(_("expiry date"), null=True, blank=True)
    manufactured_on = models.DateField(_("manufactured on"), null=True, blank=True)

    class Meta:
        verbose_name = _("batch")
        verbose_name_plural = _("batches")
        ordering = ["expiry_date", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "product", "code"],
                name="uniq_batch_code",
                violation_error_message=_("This product already has a batch with this code."),
            )
        ]

    def __str__(self) -> str:
        return self.code


class StockMove(CompanyOwned):
    """One line of the immutable ledger: a signed base-unit quantity, valued, from a document."""

    class Kind(models.TextChoices):
        RECEIPT = "receipt", _("Receipt")
        DELIVERY = "delivery", _("Delivery")
        CUSTOMER_RETURN = "customer_return", _("Customer return")
        SUPPLIER_RETURN = "supplier_return", _("Return to supplier")
        TRANSFER = "transfer", _("Transfer")
        ADJUSTMENT = "adjustment", _("Adjustment")
        ISSUE = "issue", _("Issue")
        REVERSAL = "reversal", _("Reversal")

    product = models.ForeignKey(
        "catalog.Product", verbose_name=_("product"), on_delete=models.PROTECT, related_name="+"
    )
    warehouse = models.ForeignKey(
        Warehouse, verbose_name=_("warehouse"), on_delete=models.PROTECT, related_name="+"
    )
    location = models.ForeignKey(
        Location,
        verbose_name=_("location"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    batch = models.ForeignKey(
        Batch, verbose_name=_("batch"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    quantity = models.DecimalField(_("quantity"), **QTY)
    entered_quantity = models.DecimalField(_("quantity as entered"), **QTY)
    entered_unit = models.ForeignKey(
        "catalog.Unit", verbose_name=_("unit as entered"), on_delete=models.PROTECT, related_name="+"
    )
    unit_cost = models.DecimalField(_("unit cost"), **COST)
    value = models.DecimalField(_("value"), **AMOUNT)
    occurred_at = models.DateTimeField(_("date"), db_index=True)
    origin_type = models.CharField(_("source type"), max_length=60)
    origin_id = models.CharField(_("source id"), max_length=64)
    origin_line = models.CharField(_("source line"), max_length=64, blank=True)
    reference = models.CharField(_("reference"), max_length=64, blank=True)
    reverses = models.ForeignKey(
        "self",
        verbose_name=_("reverses"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversals",
    )
    actor = models.ForeignKey(
        "platform.User", verbose_name=_("by"), null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("stock move")
        verbose_name_plural = _("stock moves")
        ordering = ["-occurred_at", "-created_at"]
        indexes = [
            models.Index(fields=["company", "product", "occurred_at", "created_at"], name="move_chain_idx"),
            models.Index(fields=["company", "origin_type", "origin_id"], name="move_origin_idx"),
            models.Index(fields=["company", "warehouse", "product"], name="move_wh_product_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(quantity=0), name="move_quantity_not_zero"),
            models.UniqueConstraint(
                fields=["company", "reverses"], condition=Q(reverses__isnull=False), name="uniq_move_reversal"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference or self.origin_type} {self.quantity}"


class CostAdjustment(CompanyOwned):
    """A revaluation of an earlier outgoing move, written when a back-dated move changed its cost."""

    move = models.ForeignKey(StockMove, on_delete=models.PROTECT, related_name="cost_adjustments")
    cause = models.ForeignKey(StockMove, on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(_("amount"), **AMOUNT)

    class Meta:
        verbose_name = _("cost adjustment")
        indexes = [models.Index(fields=["company", "move"], name="cost_adjustment_move_idx")]


class StockBalance(CompanyOwned):
    """On hand and reserved per product and warehouse, changed with every move and reservation."""

    product = models.ForeignKey("catalog.Product", on_delete=models.PROTECT, related_name="+")
    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="+")
    on_hand = models.DecimalField(_("on hand"), default=0, **QTY)
    reserved = models.DecimalField(_("reserved"), default=0, **QTY)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["company", "product", "warehouse"], name="uniq_stock_balance"),
            models.CheckConstraint(condition=Q(reserved__gte=0), name="stock_reserved_not_negative"),
        ]

    @property
    def available(self):
        return self.on_hand - self.reserved


class BatchBalance(CompanyOwned):
    product = models.ForeignKey("catalog.Product", on_delete=models.PROTECT, related_name="+")
    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="+")
    batch = models.ForeignKey(Batch, on_delete=models.PROTECT, related_name="balances")
    on_hand = models.DecimalField(_("on hand"), default=0, **QTY)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["company", "product", "warehouse", "batch"], name="uniq_batch_balance"
            )
        ]


class ProductValuation(CompanyOwned):
    """Quantity and value of one product over all warehouses; the average cost is their ratio."""

    product = models.ForeignKey("catalog.Product", on_delete=models.PROTECT, related_name="+")
    quantity = models.DecimalField(_("quantity"), default=0, **QTY)
    value = models.DecimalField(_("value"), default=0, **AMOUNT)
    average_cost = models.DecimalField(_("average cost"), default=0, **COST)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["company", "product"], name="uniq_product_valuation")]


class Reservation(CompanyOwned):
    """Stock held in one warehouse for an origin (a sales order line) until shipped or released."""

    product = models.ForeignKey("catalog.Product", on_delete=models.PROTECT, related_name="+")
    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="+")
    origin_type = models.CharField(max_length=60)
    origin_id = models.CharField(max_length=64)
    reference = models.CharField(max_length=64, blank=True)
    quantity = models.DecimalField(_("reserved"), **QTY)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["company", "origin_type", "origin_id", "product", "warehouse"],
                name="uniq_reservation",
            ),
            models.CheckConstraint(condition=Q(quantity__gte=0), name="reservation_not_negative"),
        ]


class StockAlert(CompanyOwned):
    """A product whose available stock fell below its safety stock; closed when back above."""

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    product = models.ForeignKey(
        "catalog.Product", verbose_name=_("product"), on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    available = models.DecimalField(_("available"), **QTY)
    safety_stock = models.DecimalField(_("safety stock"), **QTY)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("stock alert")
        verbose_name_plural = _("stock alerts")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "product"], condition=Q(state="open"), name="uniq_open_stock_alert"
            )
        ]

    def __str__(self) -> str:
        return str(self.product)
