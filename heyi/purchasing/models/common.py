"""Column shapes shared by the purchasing tables (ARCHITECTURE.md: money 2, prices 6, quantities 4)."""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

QTY = {"max_digits": 16, "decimal_places": 4}
PRICE = {"max_digits": 18, "decimal_places": 6}
AMOUNT = {"max_digits": 16, "decimal_places": 2}
NOT_NEGATIVE = [MinValueValidator(Decimal(0))]


def product_fk(**kwargs) -> models.ForeignKey:
    return models.ForeignKey(
        "catalog.Product", verbose_name=_("product"), on_delete=models.PROTECT, related_name="+", **kwargs
    )


def unit_fk(**kwargs) -> models.ForeignKey:
    return models.ForeignKey(
        "catalog.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+", **kwargs
    )


def supplier_fk(**kwargs) -> models.ForeignKey:
    return models.ForeignKey(
        "partners.Partner", verbose_name=_("supplier"), on_delete=models.PROTECT, related_name="+", **kwargs
    )


def warehouse_fk(**kwargs) -> models.ForeignKey:
    return models.ForeignKey(
        "inventory.Warehouse",
        verbose_name=_("warehouse"),
        on_delete=models.PROTECT,
        related_name="+",
        **kwargs,
    )
