from django.db import models
from django.utils.translation import gettext_lazy as _

from heyi.platform.models import CompanyOwned, Versioned, WithMnemonic


class Warehouse(WithMnemonic, Versioned, CompanyOwned):
    """A place where stock is kept; the stock ledger will count goods per product and warehouse."""

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
