"""Deliveries: created from a confirmed order for what it still has to deliver, then picked,
packed and shipped. Shipping issues the stock and consumes the order lines' reservations."""

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from heyi.inventory.models import Batch, Reservation, StockMove, Warehouse
from heyi.inventory.selectors import batches_fefo, batches_fefo_at, stock_available_at, stock_warehouses
from heyi.inventory.services.ledger import MoveLine, Origin, stock_issue, stock_release
from heyi.platform.bulk import rows_save
from heyi.platform.errors import InvalidTransition, ValidationFailed
from heyi.platform.eventbus import publish
from heyi.platform.models import Company, User
from heyi.platform.retrying import retry_when_busy
from heyi.platform.services.numbering import number_next
from heyi.platform.services.records import record_create, record_transition, record_update

from ..access import access_delivery, access_sales_order
from ..errors import NothingToDeliver, OverDelivery
from ..events import DeliveryShipped
from ..models import Delivery, DeliveryLine, SalesOrder, SalesOrderLine
from ..models.deliveries import DELIVERY_ORIGIN
from ..permissions import MANAGE_ORDER, SHIP_DELIVERY
from .common import check, from_base, ours, positive, require_any, to_base
from .orders import LINE_ORIGIN, line_origin, stocked

DState = Delivery.State
OState = SalesOrder.State
EDITABLE = {"carrier", "tracking_number", "delivery_address", "notes"}


def open_quantities(
    order: SalesOrder, exclude: Delivery | None = None, lines: Iterable[SalesOrderLine] | None = None
) -> dict[Any, Decimal]:
    """Per order line: ordered, minus delivered, minus what unshipped deliveries already carry.

    `lines` are the order's lines when the caller has read them already."""
    pending = (
        DeliveryLine.objects.filter(
            company_id=order.company_id, delivery__order=order, delivery__state__in=Delivery.OPEN
        )
        .exclude(delivery=exclude)
        .values("order_line")
        .annotate(total=Sum("quantity"))
    )
    carried = {row["order_line"]: row["total"] for row in pending}
    return {
        ln.pk: ln.quantity - ln.delivered_quantity - carried.get(ln.pk, 0)
        for ln in (order.lines.all() if lines is None else lines)
    }


def reserved_base(company: Company, line: SalesOrderLine) -> dict[Any, Decimal]:
    """What the line's reservation holds, per warehouse, in the product's base unit."""
    origin = line_origin(line)
    return {
        r.warehouse_id: r.quantity
        for r in Reservation.objects.filter(
            company=company, origin_type=origin.type, origin_id=origin.id, product_id=line.product_id
        )
    }


def reservations_of(company: Company, lines: Iterable[SalesOrderLine]) -> dict[Any, list[Reservation]]:
    """The reservation rows of each order line (as `reserved_base` reads them), in one query."""
    by_origin = {str(line.pk): line for line in lines}
    found: dict[Any, list[Reservation]] = {line.pk: [] for line in by_origin.values()}
    for row in Reservation.objects.filter(company=company, origin_type=LINE_ORIGIN, origin_id__in=by_origin):
        line = by_origin[row.origin_id]
        if row.product_id == line.product_id:
            found[line.pk].append(row)
    return found


def suggested_warehouse(company: Company, line: SalesOrderLine) -> Warehouse | None:
    """Where the line's stock is held, else the order's warehouse, else the first by priority."""
    if not stocked(line.product):
        return None
    held = reserved_base(company, line)
    if held:
        best = max(held, key=lambda pk: held[pk])
        return Warehouse.objects.get(pk=best)
    if line.order.warehouse_id is not None:
        return line.order.warehouse
    return stock_warehouses(company).first()


def suggested_batch(company: Company, line: SalesOrderLine, warehouse: Warehouse | None) -> Batch | None:
    """The batch that expires first among those in stock there (first-expiry-first-out)."""
    if warehouse is None or not stocked(line.product):
        return None
    for entry in batches_fefo(company, line.product, warehouse):
        return entry if isinstance(entry, Batch) else entry[0]
    return None


class _Sources:
    """Where an order's lines ship from, read once for all of them: each line's reservations and
    the warehouse `suggested_warehouse` names, then availability and first-expiring batches
    for every (product, warehouse) asked about at once."""

    def __init__(self, company: Company, order: SalesOrder, lines: Iterable[SalesOrderLine]) -> None:
        self.company, self.order = company, order
        self.held = {
            pk: {r.warehouse_id: r.quantity for r in rows}
            for pk, rows in reservations_of(company, [ln for ln in lines if stocked(ln.product)]).items()
        }
        best = {pk: max(held, key=lambda w: held[w]) for pk, held in self.held.items() if held}
        found = Warehouse.objects.in_bulk(set(best.values()))
        self.suggested = {pk: found[w] for pk, w in best.items()}
        self.fallback: list[Warehouse | None] = []
        self.batches: dict[tuple[Any, Any], list[tuple[Batch, Decimal]]] = {}

    def warehouse(self, line: SalesOrderLine) -> Warehouse | None:
        if not stocked(line.product):
            return None
        if line.pk in self.suggested:
            return self.suggested[line.pk]
        if not self.fallback:
            order = self.order
            self.fallback.append(
                order.warehouse if order.warehouse_id is not None else stock_warehouses(self.company).first()
            )
        return self.fallback[0]

    def reserved(self, line: SalesOrderLine, warehouse: Warehouse) -> Decimal:
        return self.held.get(line.pk, {}).get(warehouse.pk, Decimal(0))

    def load_batches(self, pairs: set[tuple[Any, Any]]) -> None:
        self.batches.update(batches_fefo_at(self.company, pairs - set(self.batches)))

    def batch(self, line: SalesOrderLine, warehouse: Warehouse) -> Batch | None:
        key = (line.product_id, warehouse.pk)
        if key not in self.batches:
            self.load_batches({key})
        return self.batches[key][0][0] if self.batches[key] else None


def delivery_create(
    *,
    actor: User,
    company: Company,
    order: SalesOrder,
    lines: list[dict[str, Any]] | None = None,
    carrier: str = "",
    tracking_number: str = "",
    delivery_address: str | None = None,
    notes: str = "",
) -> Delivery:
    """A draft delivery numbered DN-YYYY-NNNNNN. Without `lines` it carries everything still to
    deliver, each line from its suggested warehouse and batch; a line is
    `{order_line, quantity, warehouse?, batch?}` in the order line's unit."""
    require_any(actor, company, MANAGE_ORDER, SHIP_DELIVERY)
    with transaction.atomic():
        locked = access_sales_order(user=actor, company=company, id=order.pk, for_update=True)
        if locked.state not in SalesOrder.OPEN_FOR_DELIVERY:
            raise InvalidTransition(
                _("Only a confirmed order that is not fully delivered can be delivered."),
                current=locked.state,
                target="delivery",
            )
        order_lines = {
            ln.pk: ln for ln in locked.lines.select_related("product", "unit", "product__base_unit", "order")
        }
        remaining = open_quantities(locked, lines=order_lines.values())
        sources = _Sources(company, locked, order_lines.values())
        if lines is None:
            lines = _what_can_go(sources, order_lines, remaining)
            if not lines:
                raise NothingToDeliver()
        prepared = _prepare(company, order_lines, remaining, lines, sources)
        delivery = record_create(
            actor=actor,
            company=company,
            obj=Delivery(
                number=number_next(company=company, doc_type="delivery", prefix="DN"),
                order=locked,
                delivery_address=(
                    locked.delivery_address if delivery_address is None else delivery_address
                ).strip(),
                carrier=(carrier or "").strip(),
                tracking_number=(tracking_number or "").strip(),
                notes=(notes or "").strip(),
            ),
        )
        for line in prepared:
            line.delivery = delivery
        DeliveryLine.objects.bulk_create(prepared)
    return delivery


def _what_can_go(sources: _Sources, order_lines: dict, remaining: dict) -> list[dict[str, Any]]:
    """Each open line from its suggested warehouse, as much as is held for it or free there."""
    result: list[dict[str, Any]] = []
    open_lines = {pk: line for pk, line in order_lines.items() if remaining[pk] > 0}
    warehouses = {pk: sources.warehouse(line) for pk, line in open_lines.items()}
    available = stock_available_at(
        sources.company,
        {(open_lines[pk].product_id, w.pk) for pk, w in warehouses.items() if w is not None},
    )
    for pk, line in open_lines.items():
        if not stocked(line.product):
            result.append({"order_line": line, "quantity": remaining[pk]})
            continue
        warehouse = warehouses[pk]
        if warehouse is None:
            continue
        there = sources.reserved(line, warehouse) + max(
            available[(line.product_id, warehouse.pk)], Decimal(0)
        )
        quantity = min(remaining[pk], from_base(there, line.unit, line.product))
        if quantity > 0:
            result.append({"order_line": line, "quantity": quantity, "warehouse": warehouse})
    return result


def _prepare(
    company: Company, order_lines: dict, remaining: dict, lines: list[dict[str, Any]], sources: _Sources
) -> list[DeliveryLine]:
    if not lines:
        raise ValidationFailed(fields={"lines": [_("Add at least one line.")]})
    suggesting = set()
    for raw in lines:
        order_line = order_lines.get(getattr(raw.get("order_line"), "pk", None))
        if order_line is not None and "batch" not in raw and stocked(order_line.product):
            warehouse = raw.get("warehouse") or sources.warehouse(order_line)
            if isinstance(warehouse, Warehouse):
                suggesting.add((order_line.product_id, warehouse.pk))
    sources.load_batches(suggesting)
    asked: dict[Any, Decimal] = defaultdict(Decimal)
    result = []
    for i, raw in enumerate(lines):
        at = f"lines[{i}]"
        order_line = raw.get("order_line")
        if not isinstance(order_line, SalesOrderLine) or order_line.pk not in order_lines:
            raise ValidationFailed(fields={f"{at}.order_line": [_("Not a line of this order.")]})
        order_line = order_lines[order_line.pk]
        quantity = positive(f"{at}.quantity", raw.get("quantity"))
        asked[order_line.pk] += quantity
        if asked[order_line.pk] > remaining[order_line.pk]:
            raise OverDelivery(
                _("Line %(line)s has %(left)s %(unit)s left to deliver.")
                % {
                    "line": order_line.position,
                    "left": max(remaining[order_line.pk], Decimal(0)).normalize(),
                    "unit": order_line.unit.name,
                },
                fields={f"{at}.quantity": [_("More than the order still has to deliver.")]},
            )
        warehouse, batch = raw.get("warehouse"), raw.get("batch")
        ours(company, f"{at}.warehouse", warehouse)
        ours(company, f"{at}.batch", batch)
        if stocked(order_line.product):
            warehouse = warehouse or sources.warehouse(order_line)
            if warehouse is None:
                raise ValidationFailed(fields={f"{at}.warehouse": [_("Choose a warehouse.")]})
            if batch is None and "batch" not in raw:
                batch = sources.batch(order_line, warehouse)
            if batch is not None and batch.product_id != order_line.product_id:
                raise ValidationFailed(fields={f"{at}.batch": [_("Not found.")]})
        else:
            warehouse, batch = None, None
        to_base(f"{at}.quantity", quantity, order_line.unit, order_line.product)
        result.append(
            DeliveryLine(
                company=company,
                order_line=order_line,
                product=order_line.product,
                warehouse=warehouse,
                batch=batch,
                quantity=quantity,
            )
        )
    return result


def delivery_update(
    *, actor: User, company: Company, delivery: Delivery, data: dict[str, Any], version: int | None
) -> Delivery:
    """Carrier, tracking number, address and notes of a delivery not yet shipped."""
    require_any(actor, company, MANAGE_ORDER, SHIP_DELIVERY)
    fields = {k: (v or "").strip() for k, v in data.items() if k in EDITABLE}
    with transaction.atomic():
        locked = access_delivery(user=actor, company=company, id=delivery.pk, for_update=True)
        if locked.state not in Delivery.OPEN:
            raise InvalidTransition(
                _("A shipped or cancelled delivery cannot be changed."), current=locked.state
            )
        record_update(actor=actor, company=company, obj=locked, data=fields, version=version)
    return locked


def _step(actor: User, company: Company, delivery: Delivery, targets: list[str]) -> Delivery:
    check(actor, company, SHIP_DELIVERY)
    with transaction.atomic():
        locked = access_delivery(user=actor, company=company, id=delivery.pk, for_update=True)
        for target in targets:
            record_transition(
                actor=actor,
                company=company,
                obj=locked,
                field="state",
                new=target,
                allowed=Delivery.TRANSITIONS,
            )
    return locked


def delivery_pick(*, actor: User, company: Company, delivery: Delivery) -> Delivery:
    return _step(actor, company, delivery, [DState.PICKED])


def delivery_pack(*, actor: User, company: Company, delivery: Delivery) -> Delivery:
    return _step(actor, company, delivery, [DState.PACKED])


def delivery_confirm(*, actor: User, company: Company, delivery: Delivery) -> Delivery:
    """Picked and packed in one step: the goods are ready to leave."""
    locked = access_delivery(user=actor, company=company, id=delivery.pk)
    targets: dict[str, list[str]] = {
        DState.DRAFT: [DState.PICKED, DState.PACKED],
        DState.PICKED: [DState.PACKED],
    }
    if locked.state not in targets:
        raise InvalidTransition(current=locked.state, target=DState.PACKED)
    return _step(actor, company, locked, targets[locked.state])


def delivery_cancel(*, actor: User, company: Company, delivery: Delivery) -> Delivery:
    """Cancel a delivery not yet shipped; what it carried is again left to deliver."""
    require_any(actor, company, SHIP_DELIVERY, MANAGE_ORDER)
    with transaction.atomic():
        locked = access_delivery(user=actor, company=company, id=delivery.pk, for_update=True)
        delivery_cancel_locked(actor=actor, company=company, delivery=locked)
    return locked


def delivery_cancel_locked(*, actor: User, company: Company, delivery: Delivery) -> None:
    record_transition(
        actor=actor,
        company=company,
        obj=delivery,
        field="state",
        new=DState.CANCELLED,
        allowed=Delivery.TRANSITIONS,
    )


@retry_when_busy
def delivery_ship(
    *,
    actor: User,
    company: Company,
    delivery: Delivery,
    carrier: str | None = None,
    tracking_number: str | None = None,
) -> Delivery:
    """Issue the packed goods from stock, consuming what the order lines hold, and move the order on.

    Shipping more than an order line still has to deliver is refused (`over_delivery`), as is
    more than the warehouse has available (`insufficient_stock`); nothing changes then.
    """
    check(actor, company, SHIP_DELIVERY)
    with transaction.atomic():
        found = access_delivery(user=actor, company=company, id=delivery.pk)
        order = SalesOrder.objects.select_for_update().get(company=company, pk=found.order_id)
        locked = Delivery.objects.select_for_update().get(company=company, pk=found.pk)
        if locked.state != DState.PACKED:
            raise InvalidTransition(
                _("Pick and pack the delivery before shipping it."),
                current=locked.state,
                target=DState.SHIPPED,
            )
        order_lines = {
            ln.pk: ln
            for ln in SalesOrderLine.objects.select_for_update()
            .filter(company=company, order=order)
            .select_related("product", "unit", "product__base_unit", "order")
            .order_by("pk")
        }
        lines = list(locked.lines.select_related("warehouse", "batch").order_by("order_line__position", "pk"))
        held = reservations_of(company, [ln for ln in order_lines.values() if stocked(ln.product)])
        shipping: dict[Any, Decimal] = defaultdict(Decimal)
        move_lines: list[MoveLine] = []
        spans: list[tuple[int, int]] = []
        for i, line in enumerate(lines):
            order_line = order_lines[line.order_line_id]
            shipping[order_line.pk] += line.quantity
            if shipping[order_line.pk] > order_line.quantity - order_line.delivered_quantity:
                raise OverDelivery(
                    _("Line %(line)s has %(left)s %(unit)s left to deliver.")
                    % {
                        "line": order_line.position,
                        "left": (order_line.quantity - order_line.delivered_quantity).normalize(),
                        "unit": order_line.unit.name,
                    },
                    fields={f"lines[{i}].quantity": [_("More than the order still has to deliver.")]},
                )
            start = len(move_lines)
            if stocked(order_line.product):
                move_lines += _move_lines(company, line, order_line, held[order_line.pk])
            spans.append((start, len(move_lines)))
        origin = Origin(type=DELIVERY_ORIGIN, id=str(locked.pk), reference=locked.number)
        moves: list[StockMove] = (
            stock_issue(
                actor=actor,
                company=company,
                origin=origin,
                lines=move_lines,
                reservations=[row for rows in held.values() for row in rows],
            )
            if move_lines
            else []
        )
        for line, (start, end) in zip(lines, spans, strict=True):
            own = moves[start:end]
            line.move = own[0] if own else None
            line.unit_cost = own[0].unit_cost if own else None
            line.cost_amount = -sum((m.value for m in own), Decimal("0.00"))
        rows_save(lines, ["move", "unit_cost", "cost_amount", "updated_at"])
        for pk, quantity in shipping.items():
            order_line = order_lines[pk]
            order_line.delivered_quantity += quantity
            still_held = [row for row in held.get(pk, []) if row.quantity > 0]
            if order_line.delivered_quantity >= order_line.quantity and still_held:
                stock_release(actor=actor, company=company, origin=line_origin(order_line))
                still_held = []
            order_line.reserved_quantity = _in_line_unit(
                sum((r.quantity for r in still_held), Decimal(0)), order_line
            )
        rows_save(
            [order_lines[pk] for pk in shipping], ["delivered_quantity", "reserved_quantity", "updated_at"]
        )
        done = all(ln.delivered_quantity >= ln.quantity for ln in order_lines.values())
        target = OState.DELIVERED if done else OState.PARTIALLY_DELIVERED
        if order.state != target:
            record_transition(
                actor=actor,
                company=company,
                obj=order,
                field="state",
                new=target,
                allowed=SalesOrder.TRANSITIONS,
            )
        extra = {
            k: v.strip()
            for k, v in (("carrier", carrier), ("tracking_number", tracking_number))
            if v is not None and v.strip() != getattr(locked, k)
        }
        if extra:
            record_update(actor=actor, company=company, obj=locked, data=extra, version=None)
        locked.shipped_at = timezone.now()
        record_transition(
            actor=actor,
            company=company,
            obj=locked,
            field="state",
            new=DState.SHIPPED,
            allowed=Delivery.TRANSITIONS,
        )
        publish(
            DeliveryShipped(
                company_id=company.pk,
                actor_id=actor.pk,
                subject_type="sales.delivery",
                subject_id=str(locked.pk),
                number=locked.number,
                order_id=str(order.pk),
                order_number=order.number,
                customer_id=str(order.customer_id),
                lines=[
                    {
                        "order_line_id": str(line.order_line_id),
                        "product_id": str(line.product_id),
                        "quantity": str(line.quantity),
                        "cost": str(line.cost_amount),
                    }
                    for line in lines
                ],
            )
        )
    return locked


def _move_lines(
    company: Company, line: DeliveryLine, order_line: SalesOrderLine, reservations: list[Reservation]
) -> list[MoveLine]:
    """The reserved part of the line ships against the reservation, the rest from what is free."""
    assert line.warehouse is not None
    base = to_base("quantity", line.quantity, order_line.unit, order_line.product)
    held = sum((r.quantity for r in reservations if r.warehouse_id == line.warehouse_id), Decimal(0))
    product, warehouse, batch, own = order_line.product, line.warehouse, line.batch, str(line.pk)
    reservation = line_origin(order_line)
    if held >= base:
        return [
            MoveLine(
                product,
                warehouse,
                line.quantity,
                unit=order_line.unit,
                batch=batch,
                reservation=reservation,
                origin_line=own,
            )
        ]
    if held > 0:
        return [
            MoveLine(product, warehouse, held, batch=batch, reservation=reservation, origin_line=own),
            MoveLine(product, warehouse, base - held, batch=batch, origin_line=own),
        ]
    return [MoveLine(product, warehouse, line.quantity, unit=order_line.unit, batch=batch, origin_line=own)]


def _in_line_unit(total: Decimal, order_line: SalesOrderLine) -> Decimal:
    return from_base(total, order_line.unit, order_line.product) if total else Decimal(0)
