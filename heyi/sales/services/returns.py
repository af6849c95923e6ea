"""Sales returns: goods back from a shipped delivery, into stock at the cost they left at, so
the margin of the order stays right."""

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from heyi.inventory.models import StockMove
from heyi.inventory.services.ledger import MoveLine, Origin, stock_receive
from heyi.platform.errors import InvalidTransition, ValidationFailed
from heyi.platform.eventbus import publish
from heyi.platform.models import Company, User
from heyi.platform.retrying import retry_when_busy
from heyi.platform.services.numbering import number_next
from heyi.platform.services.records import record_create, record_transition

from ..access import access_delivery, access_sales_return
from ..errors import OverReturn
from ..events import SalesReturnReceived
from ..models import Delivery, DeliveryLine, SalesOrderLine, SalesReturn, SalesReturnLine
from ..permissions import MANAGE_RETURN
from .common import check, ours, positive, to_base
from .orders import stocked

RState = SalesReturn.State


def returnable(delivery: Delivery, exclude: SalesReturn | None = None) -> dict[Any, Decimal]:
    """Per delivery line: shipped, minus returned, minus what draft returns already claim."""
    drafts = (
        SalesReturnLine.objects.filter(
            company_id=delivery.company_id, sales_return__delivery=delivery, sales_return__state=RState.DRAFT
        )
        .exclude(sales_return=exclude)
        .values("delivery_line")
        .annotate(total=Sum("quantity"))
    )
    claimed = {row["delivery_line"]: row["total"] for row in drafts}
    return {ln.pk: ln.quantity - ln.returned_quantity - claimed.get(ln.pk, 0) for ln in delivery.lines.all()}


def sales_return_create(
    *,
    actor: User,
    company: Company,
    delivery: Delivery,
    lines: list[dict[str, Any]],
    reason: str = "",
) -> SalesReturn:
    """A draft return numbered SR-YYYY-NNNNNN; a line is `{delivery_line, quantity, warehouse?}`
    in the order line's unit, back into the warehouse it left unless another is named."""
    check(actor, company, MANAGE_RETURN)
    with transaction.atomic():
        locked = access_delivery(user=actor, company=company, id=delivery.pk, for_update=True)
        if locked.state != Delivery.State.SHIPPED:
            raise InvalidTransition(
                _("Goods can only come back from a shipped delivery."), current=locked.state, target="return"
            )
        prepared = _prepare(company, locked, returnable(locked), lines)
        sales_return = record_create(
            actor=actor,
            company=company,
            obj=SalesReturn(
                number=number_next(company=company, doc_type="sales_return", prefix="SR"),
                delivery=locked,
                reason=(reason or "").strip(),
            ),
        )
        for line in prepared:
            line.sales_return = sales_return
        SalesReturnLine.objects.bulk_create(prepared)
    return sales_return


def _prepare(
    company: Company, delivery: Delivery, left: dict, lines: list[dict[str, Any]]
) -> list[SalesReturnLine]:
    if not lines:
        raise ValidationFailed(fields={"lines": [_("Add at least one line.")]})
    own = {ln.pk: ln for ln in delivery.lines.select_related("order_line__unit", "order_line__product")}
    asked: dict[Any, Decimal] = defaultdict(Decimal)
    result = []
    for i, raw in enumerate(lines):
        at = f"lines[{i}]"
        dl = raw.get("delivery_line")
        if not isinstance(dl, DeliveryLine) or dl.pk not in own:
            raise ValidationFailed(fields={f"{at}.delivery_line": [_("Not a line of this delivery.")]})
        dl = own[dl.pk]
        quantity = positive(f"{at}.quantity", raw.get("quantity"))
        asked[dl.pk] += quantity
        if asked[dl.pk] > left[dl.pk]:
            raise OverReturn(
                _("Only %(left)s %(unit)s of this line can still come back.")
                % {"left": max(left[dl.pk], Decimal(0)).normalize(), "unit": dl.order_line.unit.name},
                fields={f"{at}.quantity": [_("More than was shipped and not yet returned.")]},
            )
        if not stocked(dl.product):
            raise ValidationFailed(
                fields={f"{at}.delivery_line": [_("A service does not come back into stock.")]}
            )
        warehouse = raw.get("warehouse") or dl.warehouse
        ours(company, f"{at}.warehouse", warehouse)
        if warehouse is None:
            raise ValidationFailed(fields={f"{at}.warehouse": [_("Choose a warehouse.")]})
        result.append(
            SalesReturnLine(company=company, delivery_line=dl, warehouse=warehouse, quantity=quantity)
        )
    return result


@retry_when_busy
def sales_return_confirm(*, actor: User, company: Company, sales_return: SalesReturn) -> SalesReturn:
    """Receive the goods back into stock at the unit cost they were shipped at."""
    check(actor, company, MANAGE_RETURN)
    with transaction.atomic():
        found = access_sales_return(user=actor, company=company, id=sales_return.pk)
        delivery = Delivery.objects.select_for_update().get(company=company, pk=found.delivery_id)
        locked = SalesReturn.objects.select_for_update().get(company=company, pk=found.pk)
        if locked.state != RState.DRAFT:
            raise InvalidTransition(current=locked.state, target=RState.RECEIVED)
        lines = list(
            locked.lines.select_related(
                "delivery_line__order_line__unit",
                "delivery_line__product__base_unit",
                "delivery_line__batch",
                "warehouse",
            ).order_by("pk")
        )
        left = returnable(delivery, exclude=locked)
        asked: dict[Any, Decimal] = defaultdict(Decimal)
        move_lines, stocked_lines = [], []
        for i, line in enumerate(lines):
            dl = line.delivery_line
            asked[dl.pk] += line.quantity
            if asked[dl.pk] > left[dl.pk]:
                raise OverReturn(
                    fields={f"lines[{i}].quantity": [_("More than was shipped and not yet returned.")]}
                )
            if stocked(dl.product) and line.warehouse is not None:
                move_lines.append(
                    MoveLine(
                        product=dl.product,
                        warehouse=line.warehouse,
                        quantity=to_base(
                            f"lines[{i}].quantity", line.quantity, dl.order_line.unit, dl.product
                        ),
                        batch=dl.batch,
                        unit_cost=dl.unit_cost,
                    )
                )
                stocked_lines.append(line)
        origin = Origin(type="sales.return", id=str(locked.pk), reference=locked.number)
        moves = (
            stock_receive(
                actor=actor,
                company=company,
                origin=origin,
                lines=move_lines,
                kind=StockMove.Kind.CUSTOMER_RETURN,
            )
            if move_lines
            else []
        )
        for line, move in zip(stocked_lines, moves, strict=True):
            line.move, line.value = move, move.value
        for line in lines:
            if line.value is None:
                line.value = Decimal("0.00")
            line.save(update_fields=["move", "value", "updated_at"])
            dl = line.delivery_line
            DeliveryLine.objects.filter(pk=dl.pk).update(
                returned_quantity=dl.returned_quantity + line.quantity
            )
            dl.returned_quantity += line.quantity
            order_line = SalesOrderLine.objects.select_for_update().get(pk=dl.order_line_id)
            order_line.returned_quantity += line.quantity
            order_line.save(update_fields=["returned_quantity", "updated_at"])
        locked.received_at = timezone.now()
        record_transition(
            actor=actor,
            company=company,
            obj=locked,
            field="state",
            new=RState.RECEIVED,
            allowed=SalesReturn.TRANSITIONS,
        )
        order = delivery.order
        publish(
            SalesReturnReceived(
                company_id=company.pk,
                actor_id=actor.pk,
                subject_type="sales.return",
                subject_id=str(locked.pk),
                number=locked.number,
                delivery_id=str(delivery.pk),
                order_id=str(order.pk),
                customer_id=str(order.customer_id),
                lines=[
                    {
                        "order_line_id": str(line.delivery_line.order_line_id),
                        "product_id": str(line.delivery_line.product_id),
                        "quantity": str(line.quantity),
                        "value": str(line.value),
                    }
                    for line in lines
                ],
            )
        )
    return locked


def sales_return_cancel(*, actor: User, company: Company, sales_return: SalesReturn) -> SalesReturn:
    check(actor, company, MANAGE_RETURN)
    with transaction.atomic():
        locked = access_sales_return(user=actor, company=company, id=sales_return.pk, for_update=True)
        record_transition(
            actor=actor,
            company=company,
            obj=locked,
            field="state",
            new=RState.CANCELLED,
            allowed=SalesReturn.TRANSITIONS,
        )
    return locked
