"""Stock counts (盘点): count a warehouse, then book what differs as adjustment moves.

A line keeps the system quantity seen when it was added or the count started. Posting
compares what was counted with the on-hand at that moment, under the ledger's row locks, so
goods moved during the count are not booked twice; the page says when the two differ.
"""

import dataclasses
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from heyi.catalog.models import Product
from heyi.platform import modules
from heyi.platform.access import require_module, require_perm
from heyi.platform.errors import Conflict, InvalidTransition
from heyi.platform.models import Company, User
from heyi.platform.retrying import retry_when_busy
from heyi.platform.services.numbering import number_next
from heyi.platform.services.records import record_create, record_transition, record_update

from ..access import access_stock_count
from ..locks import lock_balances, lock_batch_balances, lock_valuations
from ..models import Batch, BatchBalance, StockBalance, StockCount, StockCountLine, StockMove, Warehouse
from ..permissions import COUNT_STOCK
from . import _documents as docs
from .ledger import MoveLine, Origin, stock_issue, stock_receive

ORIGIN_TYPE = "inventory.stock_count"
HEADER_FIELDS = {"note"}
ZERO = Decimal(0)


@dataclasses.dataclass(frozen=True)
class CountLineIn:
    """A product (and batch) to count; `counted_quantity` in the base unit, None until counted."""

    product: Product
    batch: Batch | None = None
    counted_quantity: Decimal | None = None


def _check(actor: User, company: Company) -> None:
    require_module(company, modules.ERP)
    require_perm(actor, company, COUNT_STOCK)


def system_quantity(company: Company, warehouse: Warehouse, product: Product, batch: Batch | None) -> Decimal:
    """On hand of the batch, or (without one) what is in the warehouse in no batch."""
    if batch is not None:
        row = BatchBalance.objects.filter(
            company=company, product=product, warehouse=warehouse, batch=batch
        ).first()
        return row.on_hand if row else ZERO
    balance = StockBalance.objects.filter(company=company, product=product, warehouse=warehouse).first()
    in_batches = BatchBalance.objects.filter(company=company, product=product, warehouse=warehouse).aggregate(
        total=Sum("on_hand")
    )["total"]
    return (balance.on_hand if balance else ZERO) - Decimal(in_batches or ZERO).quantize(Decimal("0.0001"))


def _check_lines(company: Company, lines: Sequence[CountLineIn]) -> None:
    seen = set()
    for index, line in enumerate(lines):
        prefix = f"lines[{index}]."
        docs.check_product(company, line.product, line.batch, prefix)
        key = (line.product.pk, line.batch.pk if line.batch else None)
        if key in seen:
            raise docs.field_error(
                f"{prefix}product_id", _("This product and batch are already on the count.")
            )
        seen.add(key)
        q = line.counted_quantity
        if q is not None and (not isinstance(q, Decimal) or not q.is_finite() or q < 0):
            raise docs.field_error(
                f"{prefix}counted_quantity", _("Enter a counted quantity of zero or more.")
            )


def _write_lines(
    company: Company, count: StockCount, lines: Sequence[CountLineIn], snapshots: dict | None = None
) -> None:
    snapshots = snapshots or {}
    StockCountLine.objects.bulk_create(
        [
            StockCountLine(
                company=company,
                count=count,
                position=position,
                product=line.product,
                batch=line.batch,
                counted_quantity=line.counted_quantity,
                system_quantity=snapshots.get(
                    (line.product.pk, line.batch.pk if line.batch else None),
                    system_quantity(company, count.warehouse, line.product, line.batch),
                ),
            )
            for position, line in enumerate(lines, start=1)
        ]
    )


def _summary(count: StockCount) -> list[list[str]]:
    return [
        [str(line.product_id), str(line.batch_id or ""), str(line.counted_quantity)]
        for line in count.lines.all()
    ]


def stock_count_create(
    *, actor: User, company: Company, warehouse: Warehouse, lines: Sequence[CountLineIn] = (), note: str = ""
) -> StockCount:
    """A draft count of one warehouse; with no lines, starting it lists what the warehouse holds."""
    _check(actor, company)
    docs.check_warehouse(company, warehouse, "warehouse_id")
    _check_lines(company, lines)
    with transaction.atomic():
        number = number_next(company=company, doc_type=ORIGIN_TYPE, prefix="SC")
        count = record_create(
            actor=actor, company=company, obj=StockCount(number=number, warehouse=warehouse, note=note)
        )
        _write_lines(company, count, lines)
        if lines:
            docs.audit_lines(actor=actor, company=company, obj=count, old=[], new=_summary(count))
    return count


def stock_count_update(
    *,
    actor: User,
    company: Company,
    count: StockCount,
    data: dict[str, Any],
    lines: Sequence[CountLineIn] | None = None,
    version: int | None,
) -> StockCount:
    """Change the note and (when given) the lines; lines already on the count keep their snapshot."""
    _check(actor, company)
    data = {k: v for k, v in data.items() if k in HEADER_FIELDS}
    if lines is not None:
        _check_lines(company, lines)
    with transaction.atomic():
        locked = access_stock_count(user=actor, company=company, id=count.pk, for_update=True)
        docs.check_version(locked, version)
        if locked.state not in (StockCount.State.DRAFT, StockCount.State.COUNTING):
            raise Conflict(_("A posted or cancelled count cannot be changed."))
        changed = record_update(actor=actor, company=company, obj=locked, data=data, version=None)
        if lines is not None:
            old = _summary(locked)
            snapshots = {
                (line.product_id, line.batch_id): line.system_quantity for line in locked.lines.all()
            }
            locked.lines.all().delete()
            _write_lines(company, locked, lines, snapshots)
            new = _summary(locked)
            if new != old:
                docs.audit_lines(actor=actor, company=company, obj=locked, old=old, new=new)
                if not changed:
                    locked.version += 1
                    locked.save(update_fields=["version", "updated_at"])
    return locked


def _held(company: Company, warehouse: Warehouse) -> list[CountLineIn]:
    """One line per batch with stock in the warehouse, and one for stock in no batch."""
    lines = [
        CountLineIn(product=row.product, batch=row.batch)
        for row in BatchBalance.objects.filter(company=company, warehouse=warehouse)
        .exclude(on_hand=0)
        .select_related("product", "batch")
        .order_by("product__sku", "batch__code")
    ]
    for balance in (
        StockBalance.objects.filter(company=company, warehouse=warehouse)
        .exclude(on_hand=0)
        .select_related("product")
        .order_by("product__sku")
    ):
        if system_quantity(company, warehouse, balance.product, None) != 0:
            lines.append(CountLineIn(product=balance.product))
    return sorted(lines, key=lambda line: (line.product.sku, line.batch.code if line.batch else ""))


def stock_count_start(*, actor: User, company: Company, count: StockCount) -> StockCount:
    """Counting begins: the system quantities are taken now (every stocked item if no lines)."""
    _check(actor, company)
    with transaction.atomic():
        locked = access_stock_count(user=actor, company=company, id=count.pk, for_update=True)
        locked.started_at = timezone.now()
        record_transition(
            actor=actor,
            company=company,
            obj=locked,
            field="state",
            new=StockCount.State.COUNTING,
            allowed=StockCount.TRANSITIONS,
        )
        if not locked.lines.exists():
            _write_lines(company, locked, _held(company, locked.warehouse))
        for line in locked.lines.select_related("product", "batch"):
            line.system_quantity = system_quantity(company, locked.warehouse, line.product, line.batch)
            line.save(update_fields=["system_quantity", "updated_at"])
    return locked


@retry_when_busy
@retry_when_busy
def stock_count_post(*, actor: User, company: Company, count: StockCount) -> StockCount:
    """Book counted minus on hand: gains come in at the average cost, losses go out at it."""
    _check(actor, company)
    with transaction.atomic():
        locked = access_stock_count(user=actor, company=company, id=count.pk, for_update=True)
        if locked.state != StockCount.State.COUNTING:
            raise InvalidTransition(current=locked.state, target=StockCount.State.POSTED)
        lines = list(locked.lines.select_related("product__base_unit", "batch"))
        if not lines:
            raise docs.field_error("lines", _("Add at least one line."))
        for index, line in enumerate(lines):
            if line.counted_quantity is None:
                raise docs.field_error(f"lines[{index}].counted_quantity", _("Enter the counted quantity."))
        warehouse = locked.warehouse
        product_ids = {line.product_id for line in lines}
        lock_valuations(company, product_ids)
        lock_balances(company, {(p, warehouse.pk) for p in product_ids})
        lock_batch_balances(
            company, {(line.product_id, warehouse.pk, line.batch_id) for line in lines if line.batch_id}
        )
        gains: list[tuple[StockCountLine, MoveLine]] = []
        losses: list[tuple[StockCountLine, MoveLine]] = []
        for line in lines:
            assert line.counted_quantity is not None
            line.posted_system_quantity = system_quantity(company, warehouse, line.product, line.batch)
            line.difference = line.counted_quantity - line.posted_system_quantity
            if line.difference:
                move_line = MoveLine(
                    product=line.product, warehouse=warehouse, quantity=abs(line.difference), batch=line.batch
                )
                (gains if line.difference > 0 else losses).append((line, move_line))
        origin = Origin(ORIGIN_TYPE, str(locked.pk), locked.number)
        for group, post in ((losses, stock_issue), (gains, stock_receive)):
            if group:
                moves = post(
                    actor=actor,
                    company=company,
                    origin=origin,
                    lines=[move_line for _line, move_line in group],
                    kind=StockMove.Kind.ADJUSTMENT,
                )
                for (line, _move_line), move in zip(group, moves, strict=True):
                    line.unit_cost, line.value = move.unit_cost, move.value
        StockCountLine.objects.bulk_update(
            lines, ["posted_system_quantity", "difference", "unit_cost", "value"]
        )
        locked.posted_at = timezone.now()
        record_transition(
            actor=actor,
            company=company,
            obj=locked,
            field="state",
            new=StockCount.State.POSTED,
            allowed=StockCount.TRANSITIONS,
        )
    return locked


def stock_count_cancel(*, actor: User, company: Company, count: StockCount) -> StockCount:
    """A count that will not be posted; nothing has moved."""
    _check(actor, company)
    with transaction.atomic():
        locked = access_stock_count(user=actor, company=company, id=count.pk, for_update=True)
        record_transition(
            actor=actor,
            company=company,
            obj=locked,
            field="state",
            new=StockCount.State.CANCELLED,
            allowed=StockCount.TRANSITIONS,
        )
    return locked
