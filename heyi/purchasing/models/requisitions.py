from collections.abc import Iterable
from typing import ClassVar

from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from heyi.platform.models import CompanyOwned, Owned, Versioned

from .common import PRICE, QTY, product_fk, supplier_fk, unit_fk


class PurchaseRequisition(Versioned, Owned, CompanyOwned):
    """A request to buy (请购单). Its owner is the requester; approval decides whether it is bought."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        APPROVED = "approved", _("Approved")
        ORDERED = "ordered", _("Ordered")
        REJECTED = "rejected", _("Rejected")
        CANCELLED = "cancelled", _("Cancelled")

    class Source(models.TextChoices):
        MANUAL = "manual", _("Manual")
        STOCK_ALERT = "stock_alert", _("Stock alert")
        SHORTAGE = "shortage", _("Sales shortage")

    TRANSITIONS: ClassVar[dict[str, Iterable[str]]] = {
        Status.DRAFT: {Status.SUBMITTED, Status.CANCELLED},
        Status.SUBMITTED: {Status.APPROVED, Status.REJECTED, Status.DRAFT, Status.CANCELLED},
        Status.APPROVED: {Status.ORDERED, Status.CANCELLED},
        Status.REJECTED: {Status.DRAFT, Status.CANCELLED},
        Status.ORDERED: set(),
        Status.CANCELLED: set(),
    }
    EDITABLE = {Status.DRAFT}

    number = models.CharField(_("number"), max_length=20)
    source = models.CharField(_("source"), max_length=12, choices=Source.choices, default=Source.MANUAL)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    notes = models.TextField(_("notes"), blank=True, validators=[MaxLengthValidator(2000)])
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        "platform.User",
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("purchase requisition")
        verbose_name_plural = _("purchase requisitions")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["company", "number"], name="uniq_requisition_number"),
        ]
        indexes = [
            models.Index(fields=["company", "status", "source"], name="requisition_status_idx"),
            models.Index(fields=["company", "owner"], name="requisition_owner_idx"),
        ]

    def __str__(self) -> str:
        return self.number


class RequisitionLine(CompanyOwned):
    requisition = models.ForeignKey(PurchaseRequisition, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField(default=0)
    product = product_fk()
    quantity = models.DecimalField(_("quantity"), **QTY)
    unit = unit_fk()
    needed_by = models.DateField(_("needed by"), null=True, blank=True)
    supplier = supplier_fk(null=True, blank=True)
    unit_price = models.DecimalField(_("estimated unit price"), null=True, blank=True, **PRICE)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    origin_type = models.CharField(_("source type"), max_length=60, blank=True)
    origin_id = models.CharField(_("source id"), max_length=64, blank=True)
    origin_reference = models.CharField(_("source document"), max_length=64, blank=True)
    order_line = models.ForeignKey(
        "purchasing.PurchaseOrderLine",
        verbose_name=_("purchase order line"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="requisition_lines",
    )

    class Meta:
        ordering = ["position", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__gt=0), name="requisition_line_quantity_positive"
            )
        ]
        indexes = [models.Index(fields=["company", "requisition"], name="requisition_line_idx")]
