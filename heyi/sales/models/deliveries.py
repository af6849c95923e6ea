"""Deliveries: what leaves a warehouse for an order, picked, packed and shipped."""

from collections.abc import Iterable
from decimal import Decimal

from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from heyi.platform.models import CompanyOwned, Versioned

from .orders import AMOUNT, NOTES_MAX, PRICE, QTY, SalesOrder, SalesOrderLine

COST = PRICE


# What the stock ledger names a delivery's moves by.
DELIVERY_ORIGIN = "sales.delivery"


class Delivery(Versioned, CompanyOwned):
    """A delivery note (发货单) for part or all of what an order still has to deliver."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PICKED = "picked", _("Picked")
        PACKED = "packed", _("Packed")
        SHIPPED = "shipped", _("Shipped")
        CANCELLED = "cancelled", _("Cancelled")

    TRANSITIONS: dict[str, Iterable[str]] = {
        State.DRAFT: (State.PICKED, State.CANCELLED),
        State.PICKED: (State.PACKED, State.CANCELLED),
        State.PACKED: (State.SHIPPED, State.CANCELLED),
        State.SHIPPED: (),
        State.CANCELLED: (),
    }
    OPEN = (State.DRAFT, State.PICKED, State.PACKED)

    number = models.CharField(_("number"), max_length=30, editable=False)
    order = models.ForeignKey(
        SalesOrder, verbose_name=_("sales order"), on_delete=models.PROTECT, related_name="deliveries"
    )
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.DRAFT)
    delivery_address = models.CharField(_("delivery address"), max_length=300, blank=True)
    carrier = models.CharField(_("carrier"), max_length=100, blank=True)
    tracking_number = models.CharField(_("tracking number"), max_length=100, blank=True)
    notes = models.TextField(_("notes"), blank=True, validators=[MaxLengthValidator(NOTES_MAX)])
    shipped_at = models.DateTimeField(_("shipped at"), null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["company", "number"], name="uniq_delivery_number")]
        indexes = [
            models.Index(fields=["company", "order"], name="delivery_company_order"),
            models.Index(fields=["company", "state"], name="delivery_company_state"),
        ]

    def __str__(self) -> str:
        return self.number


class DeliveryLine(CompanyOwned):
    """Part of one order line, from one warehouse (and batch); quantity in the order line's unit.

    Once shipped, `cost_amount` is what its stock moves took out of stock (minus their value),
    `unit_cost` the base-unit cost they were issued at, and `move` the first of them.
    """

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="lines")
    order_line = models.ForeignKey(
        SalesOrderLine, verbose_name=_("order line"), on_delete=models.PROTECT, related_name="delivery_lines"
    )
    product = models.ForeignKey(
        "catalog.Product", verbose_name=_("product"), on_delete=models.PROTECT, related_name="+"
    )
    warehouse = models.ForeignKey(
        "inventory.Warehouse",
        verbose_name=_("warehouse"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty for a service, which leaves no warehouse."),
    )
    batch = models.ForeignKey(
        "inventory.Batch",
        verbose_name=_("batch"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    quantity = models.DecimalField(_("quantity"), **QTY)
    returned_quantity = models.DecimalField(_("returned"), default=Decimal("0"), **QTY)
    unit_cost = models.DecimalField(_("unit cost (base unit)"), null=True, blank=True, **COST)
    cost_amount = models.DecimalField(_("cost"), null=True, blank=True, **AMOUNT)
    move = models.ForeignKey(
        "inventory.StockMove",
        verbose_name=_("stock move"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("delivery line")
        verbose_name_plural = _("delivery lines")
        ordering = ["order_line__position", "created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="delivery_line_quantity_positive"),
            models.CheckConstraint(
                condition=Q(returned_quantity__gte=0, returned_quantity__lte=models.F("quantity")),
                name="delivery_line_returned_within_shipped",
            ),
        ]
        indexes = [models.Index(fields=["company", "delivery"], name="delivery_line_company_delivery")]

    @property
    def unit(self):
        return self.order_line.unit
