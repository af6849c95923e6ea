"""Goods receipts against confirmed orders, their inspection, and returns to the supplier."""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from heyi.catalog.models import Unit
from heyi.inventory.models import StockMove, Warehouse
from heyi.inventory.services.batches import batch_for_receipt
from heyi.inventory.services.ledger import MoveLine, Origin, stock_issue, stock_receive
from heyi.inventory.services.warehouses import special_warehouse
from heyi.platform.access import ours
from heyi.platform.errors import InvalidTransition
from heyi.platform.eventbus import publish
from heyi.platform.models import Company, User
from heyi.platform.retrying import retry_when_busy
from heyi.platform.services.numbering import number_next
from heyi.platform.services.records import record_create, record_transition

from .. import selectors
from ..access import access_order, access_receipt, access_return
from ..errors import InspectionMismatch, NotReceivable, OverReceipt, OverReturn
from ..events import ReceiptConfirmed, ReturnShipped
from ..models import (
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseReturn,
    PurchaseReturnLine,
    Receipt,
    ReceiptLine,
)
from ..permissions import INSPECT, MANAGE_ORDER, RECEIVE
from ._common import check, lines_required, not_negative, positive_quantity, refuse, to_unit

ZERO = Decimal(0)
UNIT_PRICE = Decimal("0.000001")
QUANTITY = Decimal("0.0001")
RECEIPT_ORIGIN = "purchasing.receipt"
RETURN_ORIGIN = "purchasing.return"


@dataclass
class ReceiptLineIn:
    order_line: PurchaseOrderLine
    quantity: Decimal
    warehouse: Warehouse | None = None  # default: the order's warehouse
    unit: Unit | None = None  # default: the order line's unit
    batch_code: str = ""
    expiry_date: datetime.date | None = None


@dataclass
class InspectionIn:
    line: ReceiptLine
    accepted: Decimal
    rejected: Decimal
    reason: str = ""


@dataclass
class ReturnLineIn:
    receipt_line: ReceiptLine
    quantity: Decimal
    from_quarantine: bool = False
    warehouse: Warehouse | None = None  # default: where the line was received (or quarantine)


def _stock_warehouse(company: Company, field: str, warehouse: Warehouse | None) -> Warehouse:
    if warehouse is None:
        raise refuse(field, _("Choose the warehouse the goods go to."))
    ours(company, field, warehouse)
    if not warehouse.is_active or warehouse.kind != Warehouse.Kind.STOCK:
        raise refuse(field, _("Choose an active stock warehouse."))
    return warehouse


def _tolerance(company: Company) -> Decimal:
    return selectors.purchasing_settings(company).over_receipt_tolerance


def _over_receipt_check(company: Company, order_lines: dict, wanted: dict) -> None:
    """`wanted`: order line pk -> [(index, quantity in the order line's unit)]."""
    tolerance = _tolerance(company)
    for pk, items in wanted.items():
        line: PurchaseOrderLine = order_lines[pk]
        limit = (line.quantity * (1 + tolerance / 100)).quantize(QUANTITY, rounding=ROUND_HALF_UP)
        total = line.received_quantity + sum(q for _i, q in items)
        if total > limit:
            index = items[-1][0]
            message = _(
                "%(sku)s: ordered %(ordered)s, already received %(received)s; at most %(left)s more may be "
                "received (tolerance %(tolerance)s%%)."
            ) % {
                "sku": line.product.sku,
                "ordered": f"{line.quantity.normalize():f}",
                "received": f"{line.received_quantity.normalize():f}",
                "left": f"{max(limit - line.received_quantity, ZERO).normalize():f}",
                "tolerance": f"{tolerance.normalize():f}",
            }
            raise OverReceipt(
                message,
                fields={f"lines[{index}].quantity": [message]},
                ordered=line.quantity,
                received=line.received_quantity,
                tolerance=tolerance,
            )


def receipt_create(
    *,
    actor: User,
    company: Company,
    order: PurchaseOrder,
    lines: list[ReceiptLineIn],
    received_date: datetime.date | None = None,
    delivery_note: str = "",
    notes: str = "",
) -> Receipt:
    """A draft receipt of what arrived; refused beyond the order and the company's tolerance."""
    check(actor, company, RECEIVE)
    lines_required(lines)
    with transaction.atomic():
        locked = access_order(user=actor, company=company, id=order.pk, for_update=True)
        if locked.status not in PurchaseOrder.RECEIVABLE:
            raise NotReceivable(status=locked.status)
        order_lines = {line.pk: line for line in locked.lines.select_related("product__base_unit", "unit")}
        built, wanted = [], defaultdict(list)
        for i, item in enumerate(lines):
            field = f"lines[{i}]"
            order_line = order_lines.get(getattr(item.order_line, "pk", None))  # type: ignore[arg-type]
            if order_line is None:
                raise refuse(f"{field}.order_line_id", _("Not a line of this order."))
            quantity = positive_quantity(f"{field}.quantity", item.quantity)
            unit = item.unit or order_line.unit
            ours(company, f"{field}.unit", unit)
            in_line_unit = to_unit(quantity, unit, order_line.unit, order_line.product)
            wanted[order_line.pk].append((i, in_line_unit))
            warehouse = _stock_warehouse(company, f"{field}.warehouse_id", item.warehouse or locked.warehouse)
            batch_code = (item.batch_code or "").strip()[:40]
            if item.expiry_date and not batch_code:
                raise refuse(f"{field}.batch_code", _("An expiry date belongs to a batch; enter its code."))
            built.append(
                ReceiptLine(
                    company=company,
                    position=i + 1,
                    order_line=order_line,
                    product=order_line.product,
                    quantity=quantity,
                    unit=unit,
                    warehouse=warehouse,
                    batch_code=batch_code,
                    expiry_date=item.expiry_date,
                )
            )
        _over_receipt_check(company, order_lines, wanted)
        receipt_date = received_date or timezone.localdate()
        receipt = record_create(
            actor=actor,
            company=company,
            obj=Receipt(
                number=number_next(company=company, doc_type="goods_receipt", prefix="GR", on=receipt_date),
                order=locked,
                supplier_id=locked.supplier_id,
                received_date=receipt_date,
                delivery_note=delivery_note[:64],
                notes=notes,
                created_by=actor,
            ),
        )
        for line in built:
            line.receipt = receipt
            line.save(force_insert=True)
    return receipt


def receipt_inspect(
    *, actor: User, company: Company, receipt: Receipt, results: list[InspectionIn]
) -> Receipt:
    """Record the inspection: per line, accepted + rejected = received. Lines not named are
    accepted in full. May be repeated until the receipt is confirmed."""
    check(actor, company, INSPECT)
    with transaction.atomic():
        locked = access_receipt(user=actor, company=company, id=receipt.pk, for_update=True)
        if locked.status not in (Receipt.Status.DRAFT, Receipt.Status.INSPECTED):
            raise InvalidTransition(current=locked.status, target=Receipt.Status.INSPECTED)
        lines = {line.pk: line for line in locked.lines.all()}
        given: dict[Any, InspectionIn] = {}
        for i, result in enumerate(results):
            line = lines.get(getattr(result.line, "pk", None))  # type: ignore[arg-type]
            if line is None:
                raise refuse(f"lines[{i}].line_id", _("Not a line of this receipt."))
            accepted = not_negative(f"lines[{i}].accepted", result.accepted, 4)
            rejected = not_negative(f"lines[{i}].rejected", result.rejected, 4)
            if accepted + rejected != line.quantity:
                message = _(
                    "%(accepted)s accepted + %(rejected)s rejected must equal %(received)s received."
                ) % {
                    "accepted": f"{accepted.normalize():f}",
                    "rejected": f"{rejected.normalize():f}",
                    "received": f"{line.quantity.normalize():f}",
                }
                raise InspectionMismatch(message, fields={f"lines[{i}].accepted": [message]})
            given[line.pk] = InspectionIn(line, accepted, rejected, (result.reason or "")[:200])
        for line in lines.values():
            found = given.get(line.pk)
            line.accepted_quantity = found.accepted if found else line.quantity
            line.rejected_quantity = found.rejected if found else ZERO
            line.rejection_reason = found.reason if found else ""
            line.save(
                update_fields=["accepted_quantity", "rejected_quantity", "rejection_reason", "updated_at"]
            )
        locked.inspected_at = timezone.now()
        locked.inspected_by = actor
        _transition(actor, company, locked, Receipt.Status.INSPECTED)
    return locked


def _transition(actor: User | None, company: Company, obj: Any, new: str) -> None:
    record_transition(
        actor=actor, company=company, obj=obj, field="status", new=new, allowed=type(obj).TRANSITIONS
    )


def _unit_cost(receipt_line: ReceiptLine) -> Decimal:
    """The order line's price per received unit (a 箱 of 12 costs 12 times the 个 price)."""
    order_line = receipt_line.order_line
    if receipt_line.unit_id == order_line.unit_id:
        return order_line.unit_price
    product = order_line.product
    per_received = to_unit(Decimal(1000000), receipt_line.unit, order_line.unit, product) / 1000000
    return (order_line.unit_price * per_received).quantize(UNIT_PRICE, rounding=ROUND_HALF_UP)


@retry_when_busy
def receipt_confirm(*, actor: User, company: Company, receipt: Receipt) -> Receipt:
    """Post the receipt: accepted goods into the line's warehouse at the order price, rejected
    ones into quarantine (never available); the order becomes partially received or received."""
    check(actor, company, RECEIVE)
    with transaction.atomic():
        locked = access_receipt(user=actor, company=company, id=receipt.pk, for_update=True)
        if locked.status not in (Receipt.Status.DRAFT, Receipt.Status.INSPECTED):
            raise InvalidTransition(current=locked.status, target=Receipt.Status.CONFIRMED)
        order = PurchaseOrder.objects.select_for_update().get(company=company, pk=locked.order_id)
        if order.status not in PurchaseOrder.RECEIVABLE:
            raise NotReceivable(status=order.status)
        order_lines = {
            line.pk: line
            for line in PurchaseOrderLine.objects.select_for_update()
            .filter(company=company, order=order)
            .select_related("product__base_unit", "unit")
            .order_by("pk")
        }
        lines = list(locked.lines.select_related("unit", "warehouse").order_by("position", "pk"))
        wanted = defaultdict(list)
        for i, line in enumerate(lines):
            line.order_line = order_lines[line.order_line_id]
            wanted[line.order_line_id].append(
                (i, to_unit(line.quantity, line.unit, line.order_line.unit, line.order_line.product))
            )
        _over_receipt_check(company, order_lines, wanted)
        quarantine = None
        moves: list[MoveLine] = []
        summary = []
        for line in lines:
            accepted = line.quantity if line.accepted_quantity is None else line.accepted_quantity
            rejected = ZERO if line.rejected_quantity is None else line.rejected_quantity
            product = line.order_line.product
            if line.batch_code:
                line.batch = batch_for_receipt(
                    actor=actor,
                    company=company,
                    product=product,
                    code=line.batch_code,
                    expiry_date=line.expiry_date,
                )
            cost = _unit_cost(line)
            if accepted > 0:
                moves.append(MoveLine(product, line.warehouse, accepted, line.unit, line.batch, cost))
            if rejected > 0:
                quarantine = quarantine or special_warehouse(company=company, kind=Warehouse.Kind.QUARANTINE)
                moves.append(MoveLine(product, quarantine, rejected, line.unit, line.batch, cost))
            line.accepted_quantity, line.rejected_quantity = accepted, rejected
            line.save(update_fields=["accepted_quantity", "rejected_quantity", "batch", "updated_at"])
            summary.append(
                {
                    "product_id": str(product.pk),
                    "order_line_id": str(line.order_line_id),
                    "unit": line.unit.code,
                    "accepted": accepted,
                    "rejected": rejected,
                    "unit_cost": cost,
                }
            )
        for pk, items in wanted.items():
            order_line = order_lines[pk]
            order_line.received_quantity += sum(q for _i, q in items)
            order_line.save(update_fields=["received_quantity", "updated_at"])
        stock_receive(
            actor=actor,
            company=company,
            origin=Origin(RECEIPT_ORIGIN, str(locked.pk), locked.number),
            lines=moves,
            kind=StockMove.Kind.RECEIPT,
            occurred_at=_moment(locked.received_date),
        )
        locked.confirmed_at = timezone.now()
        locked.confirmed_by = actor
        _transition(actor, company, locked, Receipt.Status.CONFIRMED)
        done = all(line.received_quantity >= line.quantity for line in order_lines.values())
        _transition(
            actor,
            company,
            order,
            PurchaseOrder.Status.RECEIVED if done else PurchaseOrder.Status.PARTIALLY_RECEIVED,
        )
        publish(
            ReceiptConfirmed(
                company_id=company.pk,
                actor_id=actor.pk,
                subject_type="purchasing.receipt",
                subject_id=str(locked.pk),
                number=locked.number,
                order_id=str(order.pk),
                order_number=order.number,
                supplier_id=str(order.supplier_id),
                lines=summary,
            )
        )
    return locked


def _moment(day: datetime.date) -> datetime.datetime | None:
    """The business date of a posting: now when it is today, else noon of that day."""
    if day == timezone.localdate():
        return None
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def receipt_cancel(*, actor: User, company: Company, receipt: Receipt) -> Receipt:
    check(actor, company, RECEIVE)
    with transaction.atomic():
        locked = access_receipt(user=actor, company=company, id=receipt.pk, for_update=True)
        _transition(actor, company, locked, Receipt.Status.CANCELLED)
    return locked


def _returnable(line: ReceiptLine, from_quarantine: bool) -> Decimal:
    if from_quarantine:
        return (line.rejected_quantity or ZERO) - line.returned_rejected
    return (line.accepted_quantity or ZERO) - line.returned_accepted


def _return_limits(lines: list[tuple[int, ReceiptLine, bool, Decimal]]) -> None:
    wanted: dict = defaultdict(Decimal)
    for index, line, from_quarantine, quantity in lines:
        wanted[(line.pk, from_quarantine)] += quantity
        left = _returnable(line, from_quarantine)
        if wanted[(line.pk, from_quarantine)] > left:
            message = _("%(sku)s: at most %(left)s can still be returned from %(where)s.") % {
                "sku": line.product.sku,
                "left": f"{max(left, ZERO).normalize():f}",
                "where": _("quarantine") if from_quarantine else _("stock"),
            }
            raise OverReturn(message, fields={f"lines[{index}].quantity": [message]})


def purchase_return_create(
    *,
    actor: User,
    company: Company,
    receipt: Receipt,
    lines: list[ReturnLineIn],
    reason: str = "",
    return_date: datetime.date | None = None,
) -> PurchaseReturn:
    """A draft return of received goods: no more than received and not yet returned."""
    check(actor, company, MANAGE_ORDER, RECEIVE)
    lines_required(lines)
    with transaction.atomic():
        locked = access_receipt(user=actor, company=company, id=receipt.pk, for_update=True)
        if locked.status != Receipt.Status.CONFIRMED:
            raise refuse("receipt_id", _("Only a confirmed receipt can be returned against."))
        receipt_lines = {
            line.pk: line for line in locked.lines.select_related("product", "unit", "warehouse")
        }
        quarantine = None
        checks, built = [], []
        for i, item in enumerate(lines):
            field = f"lines[{i}]"
            line = receipt_lines.get(getattr(item.receipt_line, "pk", None))  # type: ignore[arg-type]
            if line is None:
                raise refuse(f"{field}.receipt_line_id", _("Not a line of this receipt."))
            quantity = positive_quantity(f"{field}.quantity", item.quantity)
            if item.from_quarantine:
                quarantine = quarantine or special_warehouse(company=company, kind=Warehouse.Kind.QUARANTINE)
                warehouse = quarantine
            else:
                warehouse = item.warehouse or line.warehouse
                ours(company, f"{field}.warehouse_id", warehouse)
                if warehouse.kind != Warehouse.Kind.STOCK:
                    raise refuse(
                        f"{field}.warehouse_id", _("Choose a stock warehouse, or return from quarantine.")
                    )
            checks.append((i, line, item.from_quarantine, quantity))
            built.append(
                PurchaseReturnLine(
                    company=company,
                    position=i + 1,
                    receipt_line=line,
                    product=line.product,
                    quantity=quantity,
                    unit=line.unit,
                    warehouse=warehouse,
                    from_quarantine=item.from_quarantine,
                )
            )
        _return_limits(checks)
        day = return_date or timezone.localdate()
        purchase_return = record_create(
            actor=actor,
            company=company,
            obj=PurchaseReturn(
                number=number_next(company=company, doc_type="purchase_return", prefix="PRT", on=day),
                receipt=locked,
                supplier_id=locked.supplier_id,
                return_date=day,
                reason=reason[:200],
                created_by=actor,
            ),
        )
        for return_line in built:
            return_line.purchase_return = purchase_return
            return_line.save(force_insert=True)
    return purchase_return


@retry_when_busy
def purchase_return_ship(*, actor: User, company: Company, purchase_return: PurchaseReturn) -> PurchaseReturn:
    """The goods leave: issued from their warehouse as a supplier return at the moving average."""
    check(actor, company, RECEIVE)
    with transaction.atomic():
        locked = access_return(user=actor, company=company, id=purchase_return.pk, for_update=True)
        if locked.status != PurchaseReturn.Status.DRAFT:
            raise InvalidTransition(current=locked.status, target=PurchaseReturn.Status.SHIPPED)
        lines = list(locked.lines.select_related("product", "unit", "warehouse").order_by("position", "pk"))
        receipt_lines = {
            line.pk: line
            for line in ReceiptLine.objects.select_for_update()
            .filter(company=company, pk__in=[r.receipt_line_id for r in lines])
            .select_related("product")
            .order_by("pk")
        }
        _return_limits(
            [
                (i, receipt_lines[r.receipt_line_id], r.from_quarantine, r.quantity)
                for i, r in enumerate(lines)
            ]
        )
        stock_issue(
            actor=actor,
            company=company,
            origin=Origin(RETURN_ORIGIN, str(locked.pk), locked.number),
            lines=[
                MoveLine(r.product, r.warehouse, r.quantity, r.unit, receipt_lines[r.receipt_line_id].batch)
                for r in lines
            ],
            kind=StockMove.Kind.SUPPLIER_RETURN,
            occurred_at=_moment(locked.return_date),
        )
        for r in lines:
            line = receipt_lines[r.receipt_line_id]
            if r.from_quarantine:
                line.returned_rejected += r.quantity
            else:
                line.returned_accepted += r.quantity
            line.save(update_fields=["returned_accepted", "returned_rejected", "updated_at"])
        locked.shipped_at = timezone.now()
        _transition(actor, company, locked, PurchaseReturn.Status.SHIPPED)
        publish(
            ReturnShipped(
                company_id=company.pk,
                actor_id=actor.pk,
                subject_type="purchasing.return",
                subject_id=str(locked.pk),
                number=locked.number,
                receipt_id=str(locked.receipt_id),
                supplier_id=str(locked.supplier_id),
                lines=[
                    {
                        "product_id": str(r.product_id),
                        "warehouse_id": str(r.warehouse_id),
                        "quantity": r.quantity,
                        "unit": r.unit.code,
                        "from_quarantine": r.from_quarantine,
                    }
                    for r in lines
                ],
            )
        )
    return locked


def purchase_return_cancel(
    *, actor: User, company: Company, purchase_return: PurchaseReturn
) -> PurchaseReturn:
    check(actor, company, MANAGE_ORDER, RECEIVE)
    with transaction.atomic():
        locked = access_return(user=actor, company=company, id=purchase_return.pk, for_update=True)
        _transition(actor, company, locked, PurchaseReturn.Status.CANCELLED)
    return locked
