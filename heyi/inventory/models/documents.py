"""Inventory's own documents: transfers between warehouses and stock counts (盘点)."""

from collections.abc import Iterable
from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from heyi.platform.models import CompanyOwned, Versioned

from .stock import AMOUNT, COST, QTY, Batch
from .warehouses import Warehouse


class Transfer(Versioned, CompanyOwned):
    """Goods sent from one warehouse to another; they sit in the transit warehouse on the way."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_TRANSIT = "in_transit", _("In transit")
        RECEIVED = "received", _("Received")
        CANCELLED = "cancelled", _("Cancelled")

    TRANSITIONS: ClassVar[dict[str, Iterable[str]]] = {
        State.DRAFT: (State.IN_TRANSIT, State.CANCELLED),
        State.IN_TRANSIT: (State.RECEIVED,),
    }

    number = models.CharField(_("number"), max_length=32)
    from_warehouse = models.ForeignKey(
        Warehouse, verbose_name=_("from warehouse"), on_delete=models.PROTECT, related_name="+"
    )
    to_warehouse = models.ForeignKey(
        Warehouse, verbose_name=_("to warehouse"), on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.DRAFT)
    note = models.CharField(_("note"), max_length=500, blank=True)
    shipped_at = models.DateTimeField(_("shipped at"), null=True, blank=True)
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)

    class Meta:
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["company", "number"], name="uniq_transfer_number")]

    def __str__(self) -> str:
        return self.number


class TransferLine(CompanyOwned):
    transfer = models.ForeignKey(Transfer, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField(pgettext_lazy("document line", "position"), default=0)
    product = models.ForeignKey(
        "catalog.Product", verbose_name=_("product"), on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.DecimalField(_("quantity"), **QTY)
    unit = models.ForeignKey(
        "catalog.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    batch = models.ForeignKey(
        Batch, verbose_name=_("batch"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["position", "created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="transfer_line_quantity_positive")
        ]


class StockCount(Versioned, CompanyOwned):
    """A count of one warehouse; posting books the differences as adjustment moves."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        COUNTING = "counting", _("Counting")
        POSTED = "posted", _("Posted")
        CANCELLED = "cancelled", _("Cancelled")

    TRANSITIONS: ClassVar[dict[str, Iterable[str]]] = {
        State.DRAFT: (State.COUNTING, State.CANCELLED),
        State.COUNTING: (State.POSTED, State.CANCELLED),
    }

    number = models.CharField(_("number"), max_length=32)
    warehouse = models.ForeignKey(
        Warehouse, verbose_name=_("warehouse"), on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.DRAFT)
    note = models.CharField(_("note"), max_length=500, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    posted_at = models.DateTimeField(_("posted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("stock count")
        verbose_name_plural = _("stock counts")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["company", "number"], name="uniq_stock_count_number")]

    def __str__(self) -> str:
        return self.number


class StockCountLine(CompanyOwned):
    """One product (and batch) counted: the system quantity seen, what was counted, what was booked.

    Quantities are in the product's base unit. A line without a batch counts the stock that is
    in no batch.
    """

    count = models.ForeignKey(StockCount, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField(pgettext_lazy("document line", "position"), default=0)
    product = models.ForeignKey(
        "catalog.Product", verbose_name=_("product"), on_delete=models.PROTECT, related_name="+"
    )
    batch = models.ForeignKey(
        Batch, verbose_name=_("batch"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    system_quantity = models.DecimalField(_("system quantity"), **QTY)
    counted_quantity = models.DecimalField(_("counted quantity"), null=True, blank=True, **QTY)
    posted_system_quantity = models.DecimalField(
        _("system quantity at posting"), null=True, blank=True, **QTY
    )
    difference = models.DecimalField(_("difference"), null=True, blank=True, **QTY)
    unit_cost = models.DecimalField(_("unit cost"), null=True, blank=True, **COST)
    value = models.DecimalField(_("value"), null=True, blank=True, **AMOUNT)

    class Meta:
        ordering = ["position", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(counted_quantity__isnull=True) | Q(counted_quantity__gte=0),
                name="stock_count_line_counted_not_negative",
            ),
        ]
