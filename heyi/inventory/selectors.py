"""Reads of inventory: stock levels, batches, reservations, and the ledger check."""

import datetime
import zoneinfo
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import F, Q, QuerySet, Sum

from heyi.catalog.models import Product
from heyi.platform import modules
from heyi.platform.access import require_module, require_perm, scoped
from heyi.platform.models import Company, User

from .models import (
    Batch,
    BatchBalance,
    CostAdjustment,
    InventorySettings,
    Location,
    ProductValuation,
    Reservation,
    StockAlert,
    StockBalance,
    StockCount,
    StockMove,
    Transfer,
    Warehouse,
)
from .permissions import VIEW_STOCK, VIEW_WAREHOUSE

ZERO = Decimal(0)
QTY = Decimal("0.0001")
VALUE = Decimal("0.01")


def warehouse_list(*, user: User, company: Company, active: bool | None = None) -> QuerySet[Warehouse]:
    require_module(company, modules.ERP)
    qs = scoped(Warehouse.objects.select_related("manager"), user=user, company=company, perm=VIEW_WAREHOUSE)
    if active is not None:
        qs = qs.filter(is_active=active)
    return qs


def stock_warehouses(company: Company) -> QuerySet[Warehouse]:
    """The active warehouses whose goods can be sold, in the order reservations take from them."""
    return Warehouse.objects.filter(company=company, kind=Warehouse.Kind.STOCK, is_active=True).order_by(
        "priority", "code"
    )


def stock_available(company: Company, product: Product, warehouse: Warehouse | None = None) -> Decimal:
    """Available (on hand - reserved) in the company's stock warehouses, or in one; one query."""
    qs = StockBalance.objects.filter(company=company, product=product)
    qs = (
        qs.filter(warehouse=warehouse)
        if warehouse is not None
        else qs.filter(warehouse__kind=Warehouse.Kind.STOCK)
    )
    total = qs.aggregate(total=Sum("on_hand") - Sum("reserved"))["total"]
    return Decimal(total).quantize(QTY) if total is not None else ZERO


def stock_available_at(company: Company, pairs: Iterable[tuple[Any, Any]]) -> dict[tuple[Any, Any], Decimal]:
    """`stock_available` of each (product id, warehouse id) pair, in one query."""
    pairs = set(pairs)
    if not pairs:
        return {}
    rows = StockBalance.objects.filter(
        company=company,
        product_id__in={p for p, _w in pairs},
        warehouse_id__in={w for _p, w in pairs},
    ).values_list("product_id", "warehouse_id", "on_hand", "reserved")
    found = {(p, w): Decimal(on_hand - reserved).quantize(QTY) for p, w, on_hand, reserved in rows}
    return {pair: found.get(pair, ZERO) for pair in pairs}


def stock_levels(
    *, user: User, company: Company, product: Product | None = None, warehouse: Warehouse | None = None
) -> QuerySet[StockBalance]:
    """Balances with stock or reservations, each with `available`, for the stock page and API."""
    require_module(company, modules.ERP)
    require_perm(user, company, VIEW_STOCK)
    qs = (
        StockBalance.objects.filter(company=company)
        .exclude(on_hand=0, reserved=0)
        .select_related("product", "product__base_unit", "warehouse")
        .annotate(available_qty=F("on_hand") - F("reserved"))
    )
    if product is not None:
        qs = qs.filter(product=product)
    if warehouse is not None:
        qs = qs.filter(warehouse=warehouse)
    return qs


def reserved_for(company: Company, origin_type: str, origin_id: str) -> Decimal:
    total = Reservation.objects.filter(
        company=company, origin_type=origin_type, origin_id=origin_id
    ).aggregate(total=Sum("quantity"))["total"]
    return Decimal(total).quantize(QTY) if total is not None else ZERO


def batches_fefo(company: Company, product: Product, warehouse: Warehouse) -> list[tuple[Batch, Decimal]]:
    """Batches with stock in the warehouse, the one that expires first first (no date last)."""
    rows = (
        BatchBalance.objects.filter(company=company, product=product, warehouse=warehouse, on_hand__gt=0)
        .select_related("batch")
        .order_by(F("batch__expiry_date").asc(nulls_last=True), "batch__code")
    )
    return [(row.batch, row.on_hand) for row in rows]


def batches_fefo_at(
    company: Company, pairs: Iterable[tuple[Any, Any]]
) -> dict[tuple[Any, Any], list[tuple[Batch, Decimal]]]:
    """`batches_fefo` of each (product id, warehouse id) pair, in one query."""
    pairs = set(pairs)
    found: dict[tuple[Any, Any], list[tuple[Batch, Decimal]]] = {pair: [] for pair in pairs}
    if not pairs:
        return found
    rows = (
        BatchBalance.objects.filter(
            company=company,
            product_id__in={p for p, _w in pairs},
            warehouse_id__in={w for _p, w in pairs},
            on_hand__gt=0,
        )
        .select_related("batch")
        .order_by(F("batch__expiry_date").asc(nulls_last=True), "batch__code")
    )
    for row in rows:
        if (row.product_id, row.warehouse_id) in found:
            found[(row.product_id, row.warehouse_id)].append((row.batch, row.on_hand))
    return found


def move_cost(company: Company, move: StockMove) -> Decimal:
    """The move's value as finally costed: recorded value plus later revaluations."""
    adjustments = CostAdjustment.objects.filter(company=company, move=move).aggregate(total=Sum("amount"))
    return move.value + Decimal(adjustments["total"] or ZERO).quantize(VALUE)


def stock_differences(company: Company | None = None) -> list[str]:
    """Every place where the kept figures disagree with the ledger (empty when all is well).

    Balances and batch balances against the sum of moves, reserved against the reservations,
    valuations against the moves' quantities and values plus revaluations.
    """
    companies = [company] if company is not None else list(Company.objects.all())
    found: list[str] = []
    for c in companies:
        found += _compare(
            f"{c.code} on hand",
            _sums(StockMove.objects.filter(company=c), ("product_id", "warehouse_id"), "quantity"),
            {(b.product_id, b.warehouse_id): b.on_hand for b in StockBalance.objects.filter(company=c)},
        )
        found += _compare(
            f"{c.code} batch on hand",
            _sums(
                StockMove.objects.filter(company=c, batch__isnull=False),
                ("product_id", "warehouse_id", "batch_id"),
                "quantity",
            ),
            {
                (b.product_id, b.warehouse_id, b.batch_id): b.on_hand
                for b in BatchBalance.objects.filter(company=c)
            },
        )
        found += _compare(
            f"{c.code} reserved",
            _sums(Reservation.objects.filter(company=c), ("product_id", "warehouse_id"), "quantity"),
            {(b.product_id, b.warehouse_id): b.reserved for b in StockBalance.objects.filter(company=c)},
        )
        values = _sums(StockMove.objects.filter(company=c), ("product_id",), "value")
        for key, amount in _sums(
            CostAdjustment.objects.filter(company=c), ("move__product_id",), "amount"
        ).items():
            values[key] = values.get(key, ZERO) + amount
        valuations = list(ProductValuation.objects.filter(company=c))
        found += _compare(
            f"{c.code} valued quantity",
            _sums(StockMove.objects.filter(company=c), ("product_id",), "quantity"),
            {(v.product_id,): v.quantity for v in valuations},
        )
        found += _compare(f"{c.code} value", values, {(v.product_id,): v.value for v in valuations})
        if not inventory_settings(c).allow_negative_stock:
            found += [
                f"{c.code} below zero {b.product_id} {b.warehouse_id}: {b.on_hand} on hand, {b.reserved} reserved"
                for b in StockBalance.objects.filter(company=c).filter(
                    Q(on_hand__lt=0) | Q(reserved__gt=F("on_hand"))
                )
            ]
    return found


def _sums(qs: QuerySet, keys: tuple[str, ...], field: str) -> dict[tuple, Decimal]:
    """Sums rounded to the column's places: SQLite adds decimals as floating point."""
    places = VALUE if field in ("value", "amount") else QTY
    return {
        tuple(row[k] for k in keys): Decimal(row["total"]).quantize(places)
        for row in qs.values(*keys).annotate(total=Sum(field)).order_by()
    }


def _compare(label: str, ledger: dict[tuple, Decimal], kept: dict[tuple, Decimal]) -> list[str]:
    return [
        f"{label} {' '.join(map(str, key))}: ledger {ledger.get(key, ZERO)}, kept {kept.get(key, ZERO)}"
        for key in sorted(set(ledger) | set(kept), key=str)
        if ledger.get(key, ZERO) != kept.get(key, ZERO)
    ]


def location_list(*, user: User, company: Company, warehouse: Warehouse | None = None) -> QuerySet[Location]:
    require_module(company, modules.ERP)
    qs = scoped(Location.objects.select_related("warehouse"), user=user, company=company, perm=VIEW_WAREHOUSE)
    return qs.filter(warehouse=warehouse) if warehouse is not None else qs


def batch_list(*, user: User, company: Company, product: Product | None = None) -> QuerySet[Batch]:
    require_module(company, modules.ERP)
    qs = scoped(Batch.objects.select_related("product"), user=user, company=company, perm=VIEW_STOCK)
    return qs.filter(product=product) if product is not None else qs


def batch_stock(company: Company, batch_ids: list) -> dict:
    """Per batch id: its on hand per warehouse, as (warehouse, on_hand) pairs with stock."""
    found: dict = {}
    rows = (
        BatchBalance.objects.filter(company=company, batch_id__in=batch_ids)
        .exclude(on_hand=0)
        .select_related("warehouse")
        .order_by("warehouse__code")
    )
    for row in rows:
        found.setdefault(row.batch_id, []).append((row.warehouse, row.on_hand))
    return found


def stock_move_list(
    *,
    user: User,
    company: Company,
    product: Product | None = None,
    warehouse: Warehouse | None = None,
    kind: str = "",
    reference: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> QuerySet[StockMove]:
    """The ledger, newest first; dates are the company's calendar days."""
    require_module(company, modules.ERP)
    qs = scoped(
        StockMove.objects.select_related(
            "product", "product__base_unit", "warehouse", "batch", "entered_unit"
        ),
        user=user,
        company=company,
        perm=VIEW_STOCK,
    )
    if product is not None:
        qs = qs.filter(product=product)
    if warehouse is not None:
        qs = qs.filter(warehouse=warehouse)
    if kind:
        qs = qs.filter(kind=kind)
    if reference:
        qs = qs.filter(reference__icontains=reference.strip()[:64])
    zone = zoneinfo.ZoneInfo(company.time_zone)
    if date_from is not None:
        qs = qs.filter(occurred_at__gte=datetime.datetime.combine(date_from, datetime.time.min, zone))
    if date_to is not None:
        qs = qs.filter(
            occurred_at__lt=datetime.datetime.combine(
                date_to + datetime.timedelta(days=1), datetime.time.min, zone
            )
        )
    return qs


def product_stock(*, user: User, company: Company, product: Product) -> dict:
    """One product's figures per warehouse and its total available in stock warehouses."""
    rows = list(stock_levels(user=user, company=company, product=product).order_by("warehouse__code"))
    return {
        "product": product,
        "warehouses": rows,
        "on_hand": sum((r.on_hand for r in rows if r.warehouse.kind == Warehouse.Kind.STOCK), ZERO),
        "reserved": sum((r.reserved for r in rows if r.warehouse.kind == Warehouse.Kind.STOCK), ZERO),
        "available": stock_available(company, product),
    }


def transfer_list(*, user: User, company: Company) -> QuerySet[Transfer]:
    require_module(company, modules.ERP)
    return scoped(
        Transfer.objects.select_related("from_warehouse", "to_warehouse"),
        user=user,
        company=company,
        perm=VIEW_STOCK,
    )


def stock_count_list(*, user: User, company: Company) -> QuerySet[StockCount]:
    require_module(company, modules.ERP)
    return scoped(StockCount.objects.select_related("warehouse"), user=user, company=company, perm=VIEW_STOCK)


def stock_alert_list(*, user: User, company: Company, state: str = "") -> QuerySet[StockAlert]:
    require_module(company, modules.ERP)
    qs = scoped(
        StockAlert.objects.select_related("product", "product__base_unit"),
        user=user,
        company=company,
        perm=VIEW_STOCK,
    )
    return qs.filter(state=state) if state else qs


def inventory_settings(company: Company) -> InventorySettings:
    """The company's settings, or the defaults when it never changed them."""
    return InventorySettings.objects.filter(company=company).first() or InventorySettings(company=company)
