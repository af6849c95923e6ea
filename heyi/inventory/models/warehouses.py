from django.db import models
from django.utils.translation import gettext_lazy as _

from heyi.platform.models import CompanyOwned, Versioned, WithMnemonic


class Warehouse(WithMnemonic, Versioned, CompanyOwned):
    """A place where stock is kept; the ledger counts goods per product and warehouse.

    Only `stock` warehouses are available for sale; `transit` holds goods between two
    warehouses and `quarantine` goods rejected at inspection.
    """

    class Kind(models.TextChoices):
        STOCK = "stock", _("Stock")
        TRANSIT = "transit", _("In transit")
        QUARANTINE = "quarantine", _("Quarantine")

    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=100)
    address = models.CharField(_("address"), max_length=300, blank=True)
    manager = models.ForeignKey(
        "platform.Employee",
        verbose_name=_("manager"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.STOCK)
    priority = models.PositiveSmallIntegerField(
        _("priority"), default=10, help_text=_("Reservations take stock from lower numbers first.")
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("warehouse")
        verbose_name_plural = _("warehouses")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "code"],
                name="uniq_warehouse_code",
                violation_error_message=_("A warehouse with this code already exists."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class Location(Versioned, CompanyOwned):
    """A bin inside a warehouse; moves may name one, balances count per warehouse."""

    warehouse = models.ForeignKey(
        Warehouse, verbose_name=_("warehouse"), on_delete=models.PROTECT, related_name="locations"
    )
    code = models.CharField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=100, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "warehouse", "code"],
                name="uniq_location_code",
                violation_error_message=_("This warehouse already has a location with this code."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.warehouse.code}/{self.code}"
