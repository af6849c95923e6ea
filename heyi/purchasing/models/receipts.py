from collections.abc import Iterable
from decimal import Decimal
from typing import ClassVar

from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from heyi.platform.models import CompanyOwned, Versioned

from .common import QTY, product_fk, supplier_fk, unit_fk, warehouse_fk
from .orders import PurchaseOrder, PurchaseOrderLine


class Receipt(Versioned, CompanyOwned):
    """Goods arrived against a confirmed order (收货单); inspection splits them into accepted and rejected."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        INSPECTED = "inspected", _("Inspected")
        CONFIRMED = "confirmed", _("Confirmed")
        CANCELLED = "cancelled", _("Cancelled")

    TRANSITIONS: ClassVar[dict[str, Iterable[str]]] = {
        Status.DRAFT: {Status.INSPECTED, Status.CONFIRMED, Status.CANCELLED},
        Status.INSPECTED: {Status.INSPECTED, Status.CONFIRMED, Status.CANCELLED},
        Status.CONFIRMED: set(),
        Status.CANCELLED: set(),
    }

    number = models.CharField(_("number"), max_length=20)
    order = models.ForeignKey(
        PurchaseOrder, verbose_name=_("purchase order"), on_delete=models.PROTECT, related_name="receipts"
    )
    supplier = supplier_fk()
    received_date = models.DateField(_("received on"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    delivery_note = models.CharField(_("supplier delivery note"), max_length=64, blank=True)
    notes = models.TextField(_("notes"), blank=True, validators=[MaxLengthValidator(2000)])
    inspected_at = models.DateTimeField(_("inspected at"), null=True, blank=True)
    inspected_by = models.ForeignKey(
        "platform.User",
        verbose_name=_("inspected by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        "platform.User",
        verbose_name=_("confirmed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        "platform.User",
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("goods receipt")
        verbose_name_plural = _("goods receipts")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["company", "number"], name="uniq_receipt_number")]
        indexes = [models.Index(fields=["company", "order"], name="receipt_order_idx")]

    def __str__(self) -> str:
        return self.number


class ReceiptLine(CompanyOwned):
    """What arrived for one order line, in `unit`; `accepted` + `rejected` = `quantity` once inspected."""

    receipt = models.ForeignKey(Receipt, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField(default=0)
    order_line = models.ForeignKey(PurchaseOrderLine, on_delete=models.PROTECT, related_name="receipt_lines")
    product = product_fk()
    quantity = models.DecimalField(_("quantity received"), **QTY)
    unit = unit_fk()
    warehouse = warehouse_fk()
    batch_code = models.CharField(_("batch"), max_length=40, blank=True)
    expiry_date = models.DateField(_("expiry date"), null=True, blank=True)
    batch = models.ForeignKey(
        "inventory.Batch",
        verbose_name=_("batch"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    accepted_quantity = models.DecimalField(_("accepted"), null=True, blank=True, **QTY)
    rejected_quantity = models.DecimalField(_("rejected"), null=True, blank=True, **QTY)
    rejection_reason = models.CharField(_("rejection reason"), max_length=200, blank=True)
    returned_accepted = models.DecimalField(_("returned from stock"), default=Decimal(0), **QTY)
    returned_rejected = models.DecimalField(_("returned from quarantine"), default=Decimal(0), **QTY)

    class Meta:
        ordering = ["position", "created_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gt=0), name="receipt_line_quantity_positive"),
        ]
        indexes = [models.Index(fields=["company", "receipt"], name="receipt_line_idx")]

    @property
    def returned_quantity(self) -> Decimal:
        return self.returned_accepted + self.returned_rejected


class PurchaseReturn(Versioned, CompanyOwned):
    """Goods sent back to the supplier (采购退货) against the lines of one receipt."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SHIPPED = "shipped", _("Shipped")
        CANCELLED = "cancelled", _("Cancelled")

    TRANSITIONS: ClassVar[dict[str, Iterable[str]]] = {
        Status.DRAFT: {Status.SHIPPED, Status.CANCELLED},
        Status.SHIPPED: set(),
        Status.CANCELLED: set(),
    }

    number = models.CharField(_("number"), max_length=20)
    receipt = models.ForeignKey(
        Receipt, verbose_name=_("goods receipt"), on_delete=models.PROTECT, related_name="returns"
    )
    supplier = supplier_fk()
    return_date = models.DateField(_("return date"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    shipped_at = models.DateTimeField(_("shipped at"), null=True, blank=True)
    created_by = models.ForeignKey(
        "platform.User",
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("purchase return")
        verbose_name_plural = _("purchase returns")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["company", "number"], name="uniq_purchase_return_number")
        ]

    def __str__(self) -> str:
        return self.number


class PurchaseReturnLine(CompanyOwned):
    purchase_return = models.ForeignKey(PurchaseReturn, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField(default=0)
    receipt_line = models.ForeignKey(ReceiptLine, on_delete=models.PROTECT, related_name="return_lines")
    product = product_fk()
    quantity = models.DecimalField(_("quantity"), **QTY)
    unit = unit_fk()
    warehouse = warehouse_fk()
    from_quarantine = models.BooleanField(_("from quarantine"), default=False)

    class Meta:
        ordering = ["position", "created_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gt=0), name="return_line_quantity_positive"),
        ]
        indexes = [models.Index(fields=["company", "purchase_return"], name="return_line_idx")]
