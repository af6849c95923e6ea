"""Sales returns: goods a customer sends back from a shipped delivery, received into stock."""

from collections.abc import Iterable

from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from heyi.platform.models import CompanyOwned, Versioned

from .deliveries import Delivery, DeliveryLine
from .orders import AMOUNT, NOTES_MAX, QTY


class SalesReturn(Versioned, CompanyOwned):
    """A return (退货单) against one shipped delivery; confirming it takes the goods back into stock."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        RECEIVED = "received", _("Received")
        CANCELLED = "cancelled", _("Cancelled")

    TRANSITIONS: dict[str, Iterable[str]] = {
        State.DRAFT: (State.RECEIVED, State.CANCELLED),
        State.RECEIVED: (),
        State.CANCELLED: (),
    }

    number = models.CharField(_("number"), max_length=30, editable=False)
    delivery = models.ForeignKey(
        Delivery, verbose_name=_("delivery"), on_delete=models.PROTECT, related_name="returns"
    )
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.DRAFT)
    reason = models.TextField(_("reason"), blank=True, validators=[MaxLengthValidator(NOTES_MAX)])
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)

    class Meta:
        verbose_name = _("sales return")
        verbose_name_plural = _("sales returns")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["company", "number"], name="uniq_sales_return_number")]
        indexes = [models.Index(fields=["company", "delivery"], name="sales_return_company_delivery")]

    def __str__(self) -> str:
        return self.number


class SalesReturnLine(CompanyOwned):
    """Part of one shipped delivery line, back into a warehouse; quantity in the order line's unit."""

    sales_return = models.ForeignKey(SalesReturn, on_delete=models.CASCADE, related_name="lines")
    delivery_line = models.ForeignKey(
        DeliveryLine, verbose_name=_("delivery line"), on_delete=models.PROTECT, related_name="return_lines"
    )
    warehouse = models.ForeignKey(
        "inventory.Warehouse", verbose_name=_("warehouse"), on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.DecimalField(_("quantity"), **QTY)
    value = models.DecimalField(_("value"), null=True, blank=True, **AMOUNT)
    move = models.ForeignKey(
        "inventory.StockMove",
        verbose_name=_("stock move"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("sales return line")
        verbose_name_plural = _("sales return lines")
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="sales_return_line_quantity_positive")
        ]
        indexes = [models.Index(fields=["company", "sales_return"], name="sales_return_line_company_ret")]
