"""The stock ledger: every receipt, issue, transfer and reservation goes through here.

Other apps describe what moves (`MoveLine`) and from which document (`Origin`); this module
converts units, locks the rows it changes in a fixed order, writes the moves, keeps balances
and the moving-average valuation in step in the same transaction, and tells the rest.
"""

import dataclasses
import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from heyi.catalog.models import Product, Unit
from heyi.catalog.selectors import unit_convert
from heyi.platform import modules
from heyi.platform.access import require_module
from heyi.platform.bulk import rows_save
from heyi.platform.errors import ValidationFailed
from heyi.platform.eventbus import publish
from heyi.platform.models import Company, User
from heyi.platform.retrying import retry_when_busy
from heyi.platform.services.audit import audit_record

from ..errors import AlreadyReversed, InsufficientStock, NotReserved
from ..events import StockMoved, StockShortage
from ..locks import lock_balances, lock_batch_balances, lock_stock_balances, lock_valuations
from ..models import (
    Batch,
    CostAdjustment,
    Location,
    ProductValuation,
    Reservation,
    StockBalance,
    StockMove,
    Warehouse,
)
from ..selectors import inventory_settings, stock_warehouses
from .alerts import stock_alerts_refresh

CENT = Decimal("0.01")
COST = Decimal("0.000001")
QTY = Decimal("0.0001")
ZERO = Decimal(0)
# Transfers only move value between warehouses; a reversal takes back exactly what its
# original brought. A replay of the cost chain leaves both as they were posted.
KEEP_THEIR_VALUE = (StockMove.Kind.TRANSFER, StockMove.Kind.REVERSAL)


@dataclasses.dataclass(frozen=True)
class Origin:
    """The document a move or reservation comes from, as the ledger shows it."""

    type: str
    id: str
    reference: str = ""


@dataclasses.dataclass(frozen=True)
class MoveLine:
    """What moves: a positive quantity in `unit` (default the base unit); cost per `unit`.

    `origin_line` names the document line the move serves, so revaluations find their way
    back to it (a delivery line's margin).
    """

    product: Product
    warehouse: Warehouse
    quantity: Decimal
    unit: Unit | None = None
    batch: Batch | None = None
    unit_cost: Decimal | None = None
    location: Location | None = None
    reservation: Origin | None = None
    origin_line: str = ""


@dataclasses.dataclass
class _Leg:
    """One move to write: signed base quantity; `mirror` takes the previous leg's value back."""

    line: MoveLine
    index: int
    quantity: Decimal
    cost: Decimal | None
    kind: str
    mirror: bool = False
    value: Decimal | None = None


def _money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _field_error(prefix: str, field: str, message: str) -> ValidationFailed:
    return ValidationFailed(fields={f"{prefix}{field}": [message]})


def _product_quantity(
    company: Company, product: Product, quantity: Decimal, unit: Unit | None, prefix: str
) -> Decimal:
    """`quantity` of `unit` in the product's base unit, refusing what cannot be stocked or moved."""
    if product.company_id != company.pk:
        raise _field_error(prefix, "product", _("Not found."))
    if product.kind == Product.Kind.SERVICE:
        raise _field_error(prefix, "product", _("A service is not kept in stock."))
    if not isinstance(quantity, Decimal) or not quantity.is_finite() or quantity <= 0:
        raise _field_error(prefix, "quantity", _("Enter a quantity greater than zero."))
    unit = unit or product.base_unit
    if unit.company_id != company.pk:
        raise _field_error(prefix, "unit", _("Not found."))
    base = unit_convert(quantity, unit, product.base_unit, product)
    if base <= 0:
        raise _field_error(prefix, "quantity", _("The quantity is too small for the product's unit."))
    return base


def _base_quantity(company: Company, line: MoveLine, index: int) -> Decimal:
    """The line's quantity in the product's base unit, after every check of the line itself."""
    prefix = f"lines[{index}]."
    product, warehouse = line.product, line.warehouse
    if warehouse.company_id != company.pk:
        raise _field_error(prefix, "warehouse", _("Not found."))
    if not warehouse.is_active:
        raise _field_error(prefix, "warehouse", _("This warehouse is no longer active."))
    if line.batch is not None and (
        line.batch.company_id != company.pk or line.batch.product_id != product.pk
    ):
        raise _field_error(prefix, "batch", _("Not found."))
    if line.location is not None and line.location.warehouse_id != warehouse.pk:
        raise _field_error(prefix, "location", _("Not found."))
    if line.unit_cost is not None and (not line.unit_cost.is_finite() or line.unit_cost < 0):
        raise _field_error(prefix, "unit_cost", _("Enter a cost of zero or more."))
    return _product_quantity(company, product, line.quantity, line.unit, prefix)


def _base_cost(line: MoveLine, base_quantity: Decimal) -> Decimal | None:
    if line.unit_cost is None:
        return None
    return (line.unit_cost * line.quantity / base_quantity).quantize(COST, rounding=ROUND_HALF_UP)


def _short(line: MoveLine, index: int, available: Decimal, requested: Decimal) -> InsufficientStock:
    return InsufficientStock(
        _("Only %(available)s %(unit)s of %(product)s is available in %(warehouse)s.")
        % {
            "available": available.normalize(),
            "unit": line.product.base_unit.name,
            "product": line.product.name,
            "warehouse": line.warehouse.name,
        },
        fields={f"lines[{index}].quantity": [_("Not enough stock.")]},
        product=str(line.product.pk),
        warehouse=str(line.warehouse.pk),
        requested=str(requested),
        available=str(available),
    )


def _post(
    *,
    actor: User | None,
    company: Company,
    origin: Origin,
    legs: list[_Leg],
    occurred_at: datetime.datetime | None,
    reverses: StockMove | None = None,
    reservations: Sequence[Reservation] | None = None,
) -> list[StockMove]:
    """Write the legs as moves and keep balances, batches, reservations and valuations in step.

    `reservations` are the rows of the origins the legs name, when the caller has them already.
    """
    require_module(company, modules.ERP)
    now = timezone.now()
    when = occurred_at or now
    allow_negative = inventory_settings(company).allow_negative_stock
    product_ids = {leg.line.product.pk for leg in legs}
    valuations = lock_valuations(company, product_ids)
    balances = lock_balances(company, {(leg.line.product.pk, leg.line.warehouse.pk) for leg in legs})
    batches = lock_batch_balances(
        company,
        {(leg.line.product.pk, leg.line.warehouse.pk, leg.line.batch.pk) for leg in legs if leg.line.batch},
    )
    held = _held_for(company, legs, reservations)
    consumed: dict[object, Reservation] = {}
    backdated = (
        occurred_at is not None
        and StockMove.objects.filter(
            company=company, product_id__in=product_ids, occurred_at__gt=occurred_at
        ).exists()
    )
    moves: list[StockMove] = []
    for leg in legs:
        line, q = leg.line, leg.quantity
        valuation = valuations[line.product.pk]
        balance = balances[(line.product.pk, line.warehouse.pk)]
        if leg.mirror:
            cost, value = moves[-1].unit_cost, -moves[-1].value
        elif leg.value is not None:
            cost, value = leg.cost if leg.cost is not None else valuation.average_cost, leg.value
        elif q > 0:
            cost = leg.cost if leg.cost is not None else valuation.average_cost
            value = _money(q * cost)
        else:
            cost = valuation.average_cost
            value = -valuation.value if valuation.quantity + q == 0 else _money(q * cost)
            if line.reservation is not None:
                row = _consume_reservation(held, line, leg.index, -q, balance)
                consumed[row.pk] = row
        balance.on_hand += q
        counted_loss = leg.kind == StockMove.Kind.ADJUSTMENT and q < 0
        if not allow_negative and (
            balance.on_hand < 0 or (q < 0 and balance.available < 0 and not counted_loss)
        ):
            raise _short(line, leg.index, balance.on_hand - q - balance.reserved, -q)
        if counted_loss and balance.available < 0:
            _trim_reservations(actor, company, balance, line.product)
        if line.batch is not None:
            batch_balance = batches[(line.product.pk, line.warehouse.pk, line.batch.pk)]
            batch_balance.on_hand += q
            if not allow_negative and batch_balance.on_hand < 0:
                raise _short(line, leg.index, batch_balance.on_hand - q, -q)
        _revalue(valuation, q, value, cost)
        moves.append(
            StockMove(
                company=company,
                product=line.product,
                warehouse=line.warehouse,
                location=line.location,
                batch=line.batch,
                kind=leg.kind,
                quantity=q,
                entered_quantity=line.quantity if q > 0 else -line.quantity,
                entered_unit=line.unit or line.product.base_unit,
                unit_cost=cost,
                value=value,
                occurred_at=when,
                origin_type=origin.type,
                origin_id=origin.id,
                origin_line=line.origin_line,
                reference=origin.reference,
                reverses=reverses,
                actor=actor if actor is not None and actor.pk else None,
                created_at=now,
            )
        )
    StockMove.objects.bulk_create(moves)
    if consumed:
        Reservation.objects.filter(pk__in=[r.pk for r in consumed.values() if r.quantity == 0]).delete()
        rows_save([r for r in consumed.values() if r.quantity != 0], ["quantity", "updated_at"])
    rows_save(balances.values(), ["on_hand", "reserved", "updated_at"])
    if batches:
        rows_save(batches.values(), ["on_hand", "updated_at"])
    rows_save(valuations.values(), ["quantity", "value", "average_cost", "updated_at"])
    adjustments: list[CostAdjustment] = []
    if backdated:
        for product_id in product_ids:
            adjustments += _replay_chain(
                company, valuations[product_id], since=when, new_moves=moves, allow_negative=allow_negative
            )
    audit_record(
        actor=actor,
        company=company,
        action="stock_post",
        object_type=origin.type,
        object_id=origin.id,
        object_repr=origin.reference,
        changes={
            "moves": [[m.kind, m.product.sku, m.warehouse.code, str(m.quantity), str(m.value)] for m in moves]
        },
    )
    publish(
        StockMoved(
            company_id=company.pk,
            actor_id=actor.pk if actor is not None else None,
            subject_type=origin.type,
            subject_id=origin.id,
            kind=legs[0].kind,
            reference=origin.reference,
            occurred_on=timezone.localdate(when),
            adjustments=[
                {
                    "move": str(a.move_id),
                    "product": str(a.move.product_id),
                    "origin_type": a.move.origin_type,
                    "origin_id": a.move.origin_id,
                    "amount": str(a.amount),
                }
                for a in adjustments
            ],
            lines=[
                {
                    "move": str(m.pk),
                    "product": str(m.product_id),
                    "warehouse": str(m.warehouse_id),
                    "quantity": str(m.quantity),
                    "value": str(m.value),
                }
                for m in moves
            ],
        )
    )
    stock_alerts_refresh(actor=actor, company=company, products=[leg.line.product for leg in legs])
    return moves


def _revalue(valuation: ProductValuation, quantity: Decimal, value: Decimal, cost: Decimal) -> None:
    valuation.quantity += quantity
    valuation.value += value
    if valuation.quantity > 0:
        valuation.average_cost = (valuation.value / valuation.quantity).quantize(COST, rounding=ROUND_HALF_UP)
    elif quantity > 0:
        valuation.average_cost = cost


_HeldKey = tuple[str, str, object, object]


def _held_for(
    company: Company, legs: list[_Leg], reservations: Sequence[Reservation] | None
) -> dict[_HeldKey, Reservation]:
    """The reservations the legs consume, by origin, product and warehouse, read in one query."""
    origins = {leg.line.reservation for leg in legs if leg.line.reservation is not None and leg.quantity < 0}
    if not origins:
        return {}
    rows: Iterable[Reservation] = (
        reservations
        if reservations is not None
        else Reservation.objects.filter(
            company=company,
            origin_type__in={o.type for o in origins},
            origin_id__in={o.id for o in origins},
        )
    )
    wanted = {(o.type, o.id) for o in origins}
    return {
        (r.origin_type, r.origin_id, r.product_id, r.warehouse_id): r
        for r in rows
        if (r.origin_type, r.origin_id) in wanted
    }


def _consume_reservation(
    held: dict[_HeldKey, Reservation], line: MoveLine, index: int, quantity: Decimal, balance: StockBalance
) -> Reservation:
    """Take `quantity` from the line's reservation; the caller writes the rows back once."""
    origin = line.reservation
    assert origin is not None
    row = held.get((origin.type, origin.id, line.product.pk, line.warehouse.pk))
    if row is None or row.quantity < quantity:
        raise NotReserved(
            fields={f"lines[{index}].quantity": [_("More than is reserved for it in this warehouse.")]},
            reserved=str(row.quantity if row else ZERO),
            requested=str(quantity),
        )
    row.quantity -= quantity
    balance.reserved -= quantity
    return row


def _trim_reservations(actor: User | None, company: Company, balance: StockBalance, product: Product) -> None:
    """A count found less than is reserved: the newest reservations give up the difference and
    their origins hear of the shortage, so nothing stays promised that is not there."""
    excess = balance.reserved - max(balance.on_hand, ZERO)
    held = Reservation.objects.filter(company=company, product=product, warehouse_id=balance.warehouse_id)
    for row in held.order_by("-created_at", "-pk"):
        if excess <= 0:
            break
        give_up = min(excess, row.quantity)
        row.quantity -= give_up
        balance.reserved -= give_up
        excess -= give_up
        if row.quantity == 0:
            row.delete()
        else:
            row.save(update_fields=["quantity", "updated_at"])
        publish(
            StockShortage(
                company_id=company.pk,
                actor_id=actor.pk if actor is not None else None,
                subject_type=row.origin_type,
                subject_id=row.origin_id,
                product_id=str(product.pk),
                shortfall=give_up,
                reference=row.reference,
            )
        )


def _replay_chain(
    company: Company,
    valuation: ProductValuation,
    *,
    since: datetime.datetime,
    new_moves: Sequence[StockMove],
    allow_negative: bool,
) -> list[CostAdjustment]:
    """Recompute one product's costs after a back-dated move, in the posting's transaction.

    Outgoing moves dated from `since` on are valued again at the average of their own date:
    earlier ones keep their recorded value and get a `CostAdjustment` for the difference,
    this posting's own moves simply take the right cost (transfers and reversals excepted, see
    KEEP_THEIR_VALUE). A running balance that would have gone negative on the
    way refuses the posting.
    """
    product_id = valuation.product_id
    fresh = {m.pk: m for m in new_moves if m.product_id == product_id}
    cause = next(iter(fresh.values()))
    adjusted = {
        move_id: _money(Decimal(total))
        for move_id, total in CostAdjustment.objects.filter(company=company, move__product_id=product_id)
        .values("move_id")
        .annotate(total=Sum("amount"))
        .values_list("move_id", "total")
    }
    chain = (
        StockMove.objects.filter(company=company, product_id=product_id)
        .order_by("occurred_at", "created_at", "pk")
        .only(
            "pk",
            "quantity",
            "value",
            "unit_cost",
            "kind",
            "warehouse_id",
            "occurred_at",
            "origin_type",
            "origin_id",
            "product_id",
        )
    )
    quantity = value = average = ZERO
    running: dict = defaultdict(lambda: ZERO)
    new_adjustments: list[CostAdjustment] = []
    for move in chain:
        effective = move.value + adjusted.get(move.pk, ZERO)
        if move.occurred_at >= since and move.quantity < 0 and move.kind not in KEEP_THEIR_VALUE:
            correct = -value if quantity + move.quantity == 0 else _money(move.quantity * average)
            if move.pk in fresh:
                fresh[move.pk].value, fresh[move.pk].unit_cost = correct, average
            elif correct != effective:
                new_adjustments.append(
                    CostAdjustment(company=company, move=move, cause=cause, amount=correct - effective)
                )
            effective = correct
        quantity += move.quantity
        value += effective
        running[move.warehouse_id] += move.quantity
        if move.occurred_at >= since and not allow_negative and running[move.warehouse_id] < 0:
            raise InsufficientStock(
                _("On %(date)s the stock of this product would have gone below zero.")
                % {"date": timezone.localtime(move.occurred_at).date().isoformat()},
                product=str(product_id),
            )
        if quantity > 0:
            average = (value / quantity).quantize(COST, rounding=ROUND_HALF_UP)
        elif move.quantity > 0:
            average = move.unit_cost
    CostAdjustment.objects.bulk_create(new_adjustments)
    StockMove.objects.bulk_update(list(fresh.values()), ["value", "unit_cost"])
    valuation.quantity, valuation.value, valuation.average_cost = quantity, value, average
    valuation.save(update_fields=["quantity", "value", "average_cost", "updated_at"])
    return new_adjustments


def _legs(company: Company, lines: Sequence[MoveLine], kind: str, sign: int) -> list[_Leg]:
    if not lines:
        raise ValidationFailed(fields={"lines": [_("Add at least one line.")]})
    legs = []
    for index, line in enumerate(lines):
        base = _base_quantity(company, line, index)
        legs.append(_Leg(line, index, sign * base, _base_cost(line, base) if sign > 0 else None, kind))
    return legs


@retry_when_busy
def stock_receive(
    *,
    actor: User | None,
    company: Company,
    origin: Origin,
    lines: Sequence[MoveLine],
    kind: str = StockMove.Kind.RECEIPT,
    occurred_at: datetime.datetime | None = None,
) -> list[StockMove]:
    """Goods in. A line without a cost comes in at the current average (a return, a found item)."""
    with transaction.atomic():
        return _post(
            actor=actor,
            company=company,
            origin=origin,
            legs=_legs(company, lines, kind, 1),
            occurred_at=occurred_at,
        )


@retry_when_busy
def stock_issue(
    *,
    actor: User | None,
    company: Company,
    origin: Origin,
    lines: Sequence[MoveLine],
    kind: str = StockMove.Kind.DELIVERY,
    occurred_at: datetime.datetime | None = None,
    reservations: Sequence[Reservation] | None = None,
) -> list[StockMove]:
    """Goods out at the moving-average cost; a line naming a reservation uses what it holds.

    A caller that has read the reservations of the origins its lines name passes them as
    `reservations`; they are consumed in place (a row brought to zero is deleted).
    """
    with transaction.atomic():
        return _post(
            actor=actor,
            company=company,
            origin=origin,
            legs=_legs(company, lines, kind, -1),
            occurred_at=occurred_at,
            reservations=reservations,
        )


@retry_when_busy
def stock_transfer(
    *,
    actor: User | None,
    company: Company,
    origin: Origin,
    lines: Sequence[MoveLine],
    to_warehouse: Warehouse,
    occurred_at: datetime.datetime | None = None,
) -> list[StockMove]:
    """Each line leaves its warehouse and enters `to_warehouse` at the same value."""
    if to_warehouse.company_id != company.pk:
        raise ValidationFailed(fields={"to_warehouse": [_("Not found.")]})
    if any(line.warehouse.pk == to_warehouse.pk for line in lines):
        raise ValidationFailed(fields={"to_warehouse": [_("Choose a warehouse other than the source.")]})
    legs = []
    for out in _legs(company, lines, StockMove.Kind.TRANSFER, -1):
        arriving = dataclasses.replace(out.line, warehouse=to_warehouse, location=None, reservation=None)
        legs += [out, _Leg(arriving, out.index, -out.quantity, None, StockMove.Kind.TRANSFER, mirror=True)]
    if not to_warehouse.is_active:
        raise ValidationFailed(fields={"to_warehouse": [_("This warehouse is no longer active.")]})
    with transaction.atomic():
        return _post(actor=actor, company=company, origin=origin, legs=legs, occurred_at=occurred_at)


@retry_when_busy
def stock_move_reverse(*, actor: User | None, company: Company, move: StockMove) -> StockMove:
    """A mirror move that takes back the original's quantity and its value as finally costed."""
    if move.company_id != company.pk:
        raise ValidationFailed(fields={"move": [_("Not found.")]})
    with transaction.atomic():
        locked = StockMove.objects.select_for_update().get(pk=move.pk)
        if locked.kind == StockMove.Kind.REVERSAL or StockMove.objects.filter(reverses=locked).exists():
            raise AlreadyReversed()
        adjustments = CostAdjustment.objects.filter(company=company, move=locked).aggregate(
            total=Sum("amount")
        )
        effective = locked.value + _money(Decimal(adjustments["total"] or ZERO))
        line = MoveLine(
            product=locked.product,
            warehouse=locked.warehouse,
            quantity=abs(locked.quantity),
            batch=locked.batch,
            location=locked.location,
            origin_line=locked.origin_line,
        )
        leg = _Leg(line, 0, -locked.quantity, locked.unit_cost, StockMove.Kind.REVERSAL, value=-effective)
        origin = Origin(locked.origin_type, locked.origin_id, locked.reference)
        (reversal,) = _post(
            actor=actor, company=company, origin=origin, legs=[leg], occurred_at=None, reverses=locked
        )
        return reversal


@dataclasses.dataclass(frozen=True)
class ReserveLine:
    """Stock to hold for one origin: `quantity` of `unit`, from `warehouse` or from any."""

    origin: Origin
    product: Product
    quantity: Decimal
    unit: Unit | None = None
    warehouse: Warehouse | None = None


@retry_when_busy
def stock_reserve_lines(
    *, actor: User | None, company: Company, lines: Sequence[ReserveLine], partial: bool = False
) -> list[Decimal]:
    """Hold available stock for each line, warehouse by warehouse in the company's order.

    Returns the base-unit quantity now held per line. When less is available than a line asks:
    with `partial` hold what there is and publish `StockShortage`, otherwise refuse the whole
    call. Every balance involved is locked at once, in key order, so a whole sales order costs
    a handful of queries and two orders never wait on each other in a circle.
    """
    require_module(company, modules.ERP)
    prefix = "lines[{}]." if len(lines) > 1 else ""
    wanted = [
        _product_quantity(company, line.product, line.quantity, line.unit, prefix.format(i))
        for i, line in enumerate(lines)
    ]
    for i, line in enumerate(lines):
        if line.warehouse is not None and line.warehouse.company_id != company.pk:
            raise ValidationFailed(fields={f"{prefix.format(i)}warehouse": [_("Not found.")]})
    stock = list(stock_warehouses(company))
    with transaction.atomic():
        balances = lock_stock_balances(company, {line.product.pk for line in lines}, stock)
        held = {
            (r.origin_type, r.origin_id, r.product_id, r.warehouse_id): r
            for r in Reservation.objects.filter(
                company=company,
                origin_type__in={line.origin.type for line in lines},
                origin_id__in={line.origin.id for line in lines},
            )
        }
        changed: dict = {}
        got = []
        for i, (line, quantity) in enumerate(zip(lines, wanted, strict=True)):
            remaining = quantity
            for w in [line.warehouse] if line.warehouse is not None else stock:
                balance = balances.get((line.product.pk, w.pk))
                take = min(remaining, max(balance.available, ZERO)) if balance is not None else ZERO
                if take <= 0 or balance is None:
                    continue
                balance.reserved += take
                key = (line.origin.type, line.origin.id, line.product.pk, w.pk)
                row = held.get(key) or Reservation(
                    company=company,
                    origin_type=line.origin.type,
                    origin_id=line.origin.id,
                    reference=line.origin.reference,
                    product=line.product,
                    warehouse=w,
                    quantity=ZERO,
                )
                row.quantity += take
                held[key] = changed[key] = row
                remaining -= take
                if remaining == 0:
                    break
            if remaining > 0 and not partial:
                raise _not_enough(line, i if len(lines) > 1 else None, quantity - remaining, quantity)
            if remaining > 0:
                publish(
                    StockShortage(
                        company_id=company.pk,
                        actor_id=actor.pk if actor is not None else None,
                        subject_type=line.origin.type,
                        subject_id=line.origin.id,
                        product_id=str(line.product.pk),
                        shortfall=remaining,
                        reference=line.origin.reference,
                    )
                )
            got.append(quantity - remaining)
        new = [r for r in changed.values() if r._state.adding]
        grown = [r for r in changed.values() if not r._state.adding]
        Reservation.objects.bulk_create(new)
        rows_save(grown, ["quantity", "updated_at"])
        rows_save(balances.values(), ["reserved", "updated_at"])
        stock_alerts_refresh(actor=actor, company=company, products=[line.product for line in lines])
        return got


def _not_enough(
    line: ReserveLine, index: int | None, available: Decimal, wanted: Decimal
) -> InsufficientStock:
    field = f"lines[{index}].quantity" if index is not None else "quantity"
    return InsufficientStock(
        _("Only %(available)s %(unit)s of %(product)s is available.")
        % {
            "available": available.normalize(),
            "unit": line.product.base_unit.name,
            "product": line.product.name,
        },
        fields={field: [_("Not enough stock.")]},
        product=str(line.product.pk),
        requested=str(wanted),
        available=str(available),
    )


def stock_reserve(
    *,
    actor: User | None,
    company: Company,
    origin: Origin,
    product: Product,
    quantity: Decimal,
    unit: Unit | None = None,
    warehouse: Warehouse | None = None,
    partial: bool = False,
) -> Decimal:
    """One line's reservation; see `stock_reserve_lines`."""
    line = ReserveLine(origin, product, quantity, unit, warehouse)
    (got,) = stock_reserve_lines(actor=actor, company=company, lines=[line], partial=partial)
    return got


@retry_when_busy
def stock_release(
    *, actor: User | None, company: Company, origin: Origin, product: Product | None = None
) -> Decimal:
    """Give back what `origin` still holds (of one product, or of all); returns how much."""
    with transaction.atomic():
        held = Reservation.objects.filter(company=company, origin_type=origin.type, origin_id=origin.id)
        if product is not None:
            held = held.filter(product=product)
        rows = list(held)
        balances = lock_balances(company, {(r.product_id, r.warehouse_id) for r in rows})
        released = ZERO
        for row in Reservation.objects.select_for_update().filter(pk__in=[r.pk for r in rows]).order_by("pk"):
            balance = balances[(row.product_id, row.warehouse_id)]
            balance.reserved -= row.quantity
            balance.save(update_fields=["reserved", "updated_at"])
            released += row.quantity
            row.delete()
        products = Product.objects.filter(pk__in={r.product_id for r in rows})
        stock_alerts_refresh(actor=actor, company=company, products=list(products))
        return released
