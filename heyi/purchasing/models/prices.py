from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from heyi.platform.models import CompanyOwned, Versioned

from .common import PRICE, QTY, product_fk, supplier_fk, unit_fk


class PurchasingSettings(Versioned, CompanyOwned):
    """Per company: how far a receipt may exceed what was ordered."""

    over_receipt_tolerance = models.DecimalField(
        _("over-receipt tolerance (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
        help_text=_("How much more than ordered a receipt may bring, in percent of the ordered quantity."),
    )

    class Meta:
        verbose_name = _("purchasing settings")
        constraints = [models.UniqueConstraint(fields=["company"], name="uniq_purchasing_settings")]


class SupplierPrice(CompanyOwned):
    """One price a supplier charged for a product, written when a purchase order is confirmed."""

    supplier = supplier_fk()
    product = product_fk()
    date = models.DateField(_("date"))
    unit_price = models.DecimalField(_("unit price (excl. tax)"), **PRICE)
    unit = unit_fk()
    base_unit_price = models.DecimalField(_("price per base unit"), **PRICE)
    quantity = models.DecimalField(_("quantity"), **QTY)
    order = models.ForeignKey(
        "purchasing.PurchaseOrder",
        verbose_name=_("purchase order"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("supplier price")
        verbose_name_plural = _("supplier prices")
        ordering = ["-date", "-created_at"]
        indexes = [
            models.Index(fields=["company", "product", "date"], name="supplier_price_product_idx"),
            models.Index(fields=["company", "supplier", "date"], name="supplier_price_supplier_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.supplier} {self.product} {self.unit_price}"
