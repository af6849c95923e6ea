from collections.abc import Iterable
from decimal import Decimal
from typing import ClassVar

from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from heyi.platform.models import CompanyOwned, Owned, Versioned

from .common import AMOUNT, PRICE, QTY, product_fk, supplier_fk, unit_fk, warehouse_fk


class PurchaseOrder(Versioned, Owned, CompanyOwned):
    """An order to one supplier (采购订单). The owner is the buyer.

    `submitted` is where an order waits while an approval flow decides; without one,
    confirming goes straight from draft to confirmed.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Awaiting approval")
        CONFIRMED = "confirmed", _("Confirmed")
        PARTIALLY_RECEIVED = "partially_received", _("Partially received")
        RECEIVED = "received", _("Received")
        CLOSED = "closed", _("Closed")
        CANCELLED = "cancelled", _("Cancelled")

    TRANSITIONS: ClassVar[dict[str, Iterable[str]]] = {
        Status.DRAFT: {Status.SUBMITTED, Status.CONFIRMED, Status.CANCELLED},
        Status.SUBMITTED: {Status.CONFIRMED, Status.DRAFT, Status.CANCELLED},
        Status.CONFIRMED: {Status.PARTIALLY_RECEIVED, Status.RECEIVED, Status.CLOSED, Status.CANCELLED},
        Status.PARTIALLY_RECEIVED: {Status.PARTIALLY_RECEIVED, Status.RECEIVED, Status.CLOSED},
        Status.RECEIVED: {Status.CLOSED},
        Status.CLOSED: set(),
        Status.CANCELLED: set(),
    }
    EDITABLE = {Status.DRAFT}
    RECEIVABLE = {Status.CONFIRMED, Status.PARTIALLY_RECEIVED}

    number = models.CharField(_("number"), max_length=20)
    supplier = supplier_fk()
    order_date = models.DateField(_("order date"))
    expected_date = models.DateField(_("expected date"), null=True, blank=True)
    warehouse = warehouse_fk(null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    notes = models.TextField(_("notes"), blank=True, validators=[MaxLengthValidator(2000)])
    total_net = models.DecimalField(_("total excl. tax"), default=Decimal("0.00"), **AMOUNT)
    total_tax = models.DecimalField(_("tax"), default=Decimal("0.00"), **AMOUNT)
    total_gross = models.DecimalField(_("total incl. tax"), default=Decimal("0.00"), **AMOUNT)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        "platform.User",
        verbose_name=_("confirmed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("purchase order")
        verbose_name_plural = _("purchase orders")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["company", "number"], name="uniq_purchase_order_number")
        ]
        indexes = [
            models.Index(fields=["company", "status"], name="purchase_order_status_idx"),
            models.Index(fields=["company", "supplier"], name="purchase_order_supplier_idx"),
        ]

    def __str__(self) -> str:
        return self.number


class PurchaseOrderLine(CompanyOwned):
    """Quantities in the line's unit; amounts rounded half-up per line, the order sums the lines."""

    order = models.ForeignKey(PurchaseOrder, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField(default=0)
    product = product_fk()
    description = models.CharField(_("description"), max_length=200, blank=True)
    quantity = models.DecimalField(_("quantity"), **QTY)
    unit = unit_fk()
    unit_price = models.DecimalField(_("unit price (excl. tax)"), **PRICE)
    tax_rate = models.DecimalField(_("VAT rate"), max_digits=5, decimal_places=4)
    net_amount = models.DecimalField(_("amount excl. tax"), **AMOUNT)
    tax_amount = models.DecimalField(_("tax"), **AMOUNT)
    gross_amount = models.DecimalField(_("amount incl. tax"), **AMOUNT)
    received_quantity = models.DecimalField(_("received"), default=Decimal(0), **QTY)

    class Meta:
        ordering = ["position", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__gt=0), name="purchase_line_quantity_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(unit_price__gte=0), name="purchase_line_price_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(received_quantity__gte=0), name="purchase_line_received_not_negative"
            ),
        ]
        indexes = [models.Index(fields=["company", "order"], name="purchase_line_order_idx")]

    def __str__(self) -> str:
        return f"{self.product} × {self.quantity}"

    @property
    def outstanding(self) -> Decimal:
        return max(self.quantity - self.received_quantity, Decimal(0))
