"""The rows a stock posting locks, always valuations first, then balances, each by primary key.

Rows that do not exist yet (a product's first receipt in a warehouse) are then inserted with
ON CONFLICT DO NOTHING and locked, so two first receipts racing for one pair both find a row.
Only that first time can the order differ; a deadlock it causes is retried by the service.
"""

import uuid
from collections.abc import Iterable

from django.db import models

from heyi.platform.models import Company

from .models import BatchBalance, ProductValuation, StockBalance


def _ensure_and_lock(
    model: type[models.Model], company: Company, keys: set[tuple], fields: tuple[str, ...]
) -> dict[tuple, models.Model]:
    if not keys:
        return {}
    rows = _locked(model, company, keys, fields)
    missing = keys - set(rows)
    if missing:
        model.objects.bulk_create(  # type: ignore[attr-defined]
            [
                model(company=company, **dict(zip(fields, key, strict=True)))
                for key in sorted(missing, key=str)
            ],
            ignore_conflicts=True,
        )
        rows.update(_locked(model, company, missing, fields))
    return rows


def _locked(model: type[models.Model], company: Company, keys: set[tuple], fields: tuple[str, ...]) -> dict:
    match = models.Q()
    for key in keys:
        match |= models.Q(**dict(zip(fields, key, strict=True)))
    locked = model.objects.select_for_update().filter(match, company=company).order_by("pk")  # type: ignore[attr-defined]
    return {tuple(getattr(row, f) for f in fields): row for row in locked}


def lock_valuations(company: Company, product_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, ProductValuation]:
    rows = _ensure_and_lock(ProductValuation, company, {(p,) for p in product_ids}, ("product_id",))
    return {key[0]: row for key, row in rows.items()}  # type: ignore[misc]


def lock_balances(
    company: Company, pairs: Iterable[tuple[uuid.UUID, uuid.UUID]]
) -> dict[tuple[uuid.UUID, uuid.UUID], StockBalance]:
    return _ensure_and_lock(StockBalance, company, set(pairs), ("product_id", "warehouse_id"))  # type: ignore[return-value]


def lock_batch_balances(
    company: Company, triples: Iterable[tuple[uuid.UUID, uuid.UUID, uuid.UUID]]
) -> dict[tuple[uuid.UUID, uuid.UUID, uuid.UUID], BatchBalance]:
    return _ensure_and_lock(  # type: ignore[return-value]
        BatchBalance, company, set(triples), ("product_id", "warehouse_id", "batch_id")
    )


def lock_stock_balances(
    company: Company, product_ids: Iterable[uuid.UUID], warehouses: Iterable
) -> dict[tuple[uuid.UUID, uuid.UUID], StockBalance]:
    """The existing balances of these products in these warehouses (a reservation needs no row
    where nothing was ever received), locked in one query."""
    rows = (
        StockBalance.objects.select_for_update()
        .filter(company=company, product_id__in=set(product_ids), warehouse__in=list(warehouses))
        .order_by("pk")
    )
    return {(b.product_id, b.warehouse_id): b for b in rows}
