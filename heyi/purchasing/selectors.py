"""Reads of purchasing: lists behind the API and pages, the best supplier price, settings."""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from heyi.catalog.models import Product, Unit
from heyi.catalog.selectors import unit_convert
from heyi.platform import modules
from heyi.platform.access import require_module, scoped
from heyi.platform.models import Company, User

from .access import requisitions_visible
from .models import (
    PurchaseOrder,
    PurchaseRequisition,
    PurchaseReturn,
    PurchasingSettings,
    Receipt,
    SupplierPrice,
)
from .permissions import VIEW

RECENT_DAYS = 365
UNIT_PRICE = Decimal("0.000001")


def purchasing_settings(company: Company) -> PurchasingSettings:
    """The company's settings, or the defaults (unsaved) when it never changed them."""
    return PurchasingSettings.objects.filter(company=company).first() or PurchasingSettings(company=company)


@dataclass(frozen=True)
class PriceSuggestion:
    supplier_id: object
    supplier_name: str
    base_unit_price: Decimal
    date: datetime.date
    price: SupplierPrice

    def unit_price_in(self, unit: Unit, product: Product) -> Decimal:
        """The price per `unit` (one 箱 costs 12 times one 个)."""
        per_unit = unit_convert(Decimal(1000000), unit, product.base_unit, product) / Decimal(1000000)
        return (self.base_unit_price * per_unit).quantize(UNIT_PRICE, rounding=ROUND_HALF_UP)


def best_supplier_price(company: Company, product: Product, *, today: datetime.date | None = None):
    """The lowest recent price for a product: each active supplier's latest price of the last
    RECENT_DAYS days, the lowest per base unit winning; on a tie, the most recent. None without history."""
    since = (today or timezone.localdate()) - datetime.timedelta(days=RECENT_DAYS)
    rows = (
        SupplierPrice.objects.filter(
            company=company,
            product=product,
            date__gte=since,
            supplier__is_active=True,
            supplier__is_supplier=True,
        )
        .select_related("supplier")
        .order_by("-date", "-created_at")
    )
    latest: dict = {}
    for row in rows[:500]:
        latest.setdefault(row.supplier_id, row)
    if not latest:
        return None
    best = min(
        latest.values(), key=lambda r: (r.base_unit_price, -r.date.toordinal(), -r.created_at.timestamp())
    )
    return PriceSuggestion(best.supplier_id, best.supplier.name, best.base_unit_price, best.date, best)


def latest_supplier_price(company: Company, product: Product, supplier) -> SupplierPrice | None:
    return (
        SupplierPrice.objects.filter(company=company, product=product, supplier=supplier)
        .order_by("-date", "-created_at")
        .first()
    )


def requisition_list(*, user: User, company: Company) -> QuerySet[PurchaseRequisition]:
    return requisitions_visible(user=user, company=company).select_related("owner")


def _visible(model: Any, user: User, company: Company) -> QuerySet:
    require_module(company, modules.ERP)
    return scoped(model._default_manager.all(), user=user, company=company, perm=VIEW)


def order_list(*, user: User, company: Company) -> QuerySet[PurchaseOrder]:
    return _visible(PurchaseOrder, user, company).select_related("supplier", "owner", "warehouse")


def receipt_list(*, user: User, company: Company) -> QuerySet[Receipt]:
    return _visible(Receipt, user, company).select_related("order", "supplier")


def return_list(*, user: User, company: Company) -> QuerySet[PurchaseReturn]:
    return _visible(PurchaseReturn, user, company).select_related("receipt", "supplier")


def supplier_price_list(*, user: User, company: Company) -> QuerySet[SupplierPrice]:
    return _visible(SupplierPrice, user, company).select_related("supplier", "product", "unit", "order")
