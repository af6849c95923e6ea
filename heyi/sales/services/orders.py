"""Sales orders from draft to closed: every state change is one of these services."""

import datetime
import re
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from heyi.catalog.models import Product, Unit
from heyi.inventory.errors import InsufficientStock
from heyi.inventory.models import Warehouse
from heyi.inventory.selectors import stock_available
from heyi.inventory.services.ledger import Origin, ReserveLine, stock_release, stock_reserve_lines
from heyi.partners.models import Partner
from heyi.platform import access as platform_access
from heyi.platform.bulk import rows_save
from heyi.platform.errors import InvalidTransition, ValidationFailed
from heyi.platform.eventbus import publish
from heyi.platform.models import Company, Membership, Role, User
from heyi.platform.permissions import MANAGE_COMPANY
from heyi.platform.retrying import retry_when_busy
from heyi.platform.services.audit import audit_record
from heyi.platform.services.numbering import number_next
from heyi.platform.services.records import (
    check_version,
    record_create,
    record_transition,
    record_update,
)

from ..access import access_sales_order
from ..events import SalesOrderCancelled, SalesOrderConfirmed
from ..models import Delivery, SalesOrder, SalesOrderLine, SalesSettings
from ..permissions import CONFIRM_ORDER, MANAGE_ORDER
from .common import check, from_base, ours, positive, sales_settings, to_base

HEADER_FIELDS = {"customer", "owner", "order_date", "delivery_address", "warehouse", "notes"}
LINE_ORIGIN = "sales.order_line"
State = SalesOrder.State


def line_origin(line: SalesOrderLine) -> Origin:
    return Origin(type=LINE_ORIGIN, id=str(line.pk), reference=line.order.number)


def stocked(product: Product) -> bool:
    return product.kind != Product.Kind.SERVICE


def sales_order_create(
    *,
    actor: User,
    company: Company,
    customer: Partner,
    lines: list[dict[str, Any]],
    owner: User | None = None,
    order_date: datetime.date | None = None,
    delivery_address: str = "",
    warehouse: Warehouse | None = None,
    notes: str = "",
) -> SalesOrder:
    """A draft order numbered SO-YYYY-NNNNNN; the salesperson is the actor unless a manager names one.

    Each line is `{product, quantity, unit?, unit_price?, discount_percent?, tax_rate?,
    description?}`; unit, price and tax rate default to the product's.
    """
    check(actor, company, MANAGE_ORDER)
    _check_header(actor, company, customer=customer, warehouse=warehouse)
    owner = _check_owner(actor, company, owner or actor)
    prepared = _prepare_lines(company, lines)
    order_date = order_date or timezone.localdate()
    with transaction.atomic():
        order = SalesOrder(
            number=number_next(company=company, doc_type="sales_order", prefix="SO", on=order_date),
            customer=customer,
            owner=owner,
            order_date=order_date,
            delivery_address=(delivery_address or "").strip(),
            warehouse=warehouse,
            notes=(notes or "").strip(),
        )
        order.recompute_totals(prepared)
        record_create(actor=actor, company=company, obj=order)
        _save_lines(company, order, prepared)
    return order


def sales_order_update(
    *, actor: User, company: Company, order: SalesOrder, data: dict[str, Any], version: int | None
) -> SalesOrder:
    """Change a draft order; `lines` (when given) replaces every line. A stale version is refused."""
    check(actor, company, MANAGE_ORDER)
    fields: dict[str, Any] = {
        k: (v.strip() if isinstance(v, str) else v) for k, v in data.items() if k in HEADER_FIELDS
    }
    _check_header(actor, company, customer=fields.get("customer"), warehouse=fields.get("warehouse"))
    if "customer" in fields and fields["customer"] is None:
        raise ValidationFailed(fields={"customer": [_("Choose a customer.")]})
    prepared = _prepare_lines(company, data["lines"]) if data.get("lines") is not None else None
    with transaction.atomic():
        locked = access_sales_order(user=actor, company=company, id=order.pk, for_update=True)
        check_version(locked, version)
        if locked.state != State.DRAFT:
            raise InvalidTransition(
                _("Only a draft order can be changed."), current=locked.state, target="draft"
            )
        if "owner" in fields and fields["owner"] != locked.owner:
            fields["owner"] = _check_owner(actor, company, fields["owner"])
        if prepared is not None:
            before = _lines_summary(list(locked.lines.all()))
            after = _lines_summary(prepared)
            locked.recompute_totals(prepared)
            if before != after:
                fields.update(
                    untaxed_amount=locked.untaxed_amount,
                    tax_amount=locked.tax_amount,
                    total_amount=locked.total_amount,
                )
                locked.lines.all().delete()
                _save_lines(company, locked, prepared)
                audit_record(
                    actor=actor,
                    company=company,
                    action="update",
                    obj=locked,
                    changes={"lines": [before, after]},
                )
                if not record_update(actor=actor, company=company, obj=locked, data=fields, version=version):
                    locked.version += 1
                    locked.save(update_fields=["version", "updated_at"])
                return locked
        record_update(actor=actor, company=company, obj=locked, data=fields, version=version)
    return locked


@retry_when_busy
def sales_order_confirm(*, actor: User, company: Company, order: SalesOrder) -> SalesOrder:
    """Confirm a draft order and reserve its stock, line by line.

    What cannot be reserved stays a backorder (the company's default) or, when the company
    refuses shortages, the whole confirmation is refused with `insufficient_stock`.
    """
    check(actor, company, CONFIRM_ORDER)
    settings = sales_settings(company)
    partial = settings.on_shortage == SalesSettings.OnShortage.BACKORDER
    with transaction.atomic():
        locked = access_sales_order(user=actor, company=company, id=order.pk, for_update=True)
        if locked.state != State.DRAFT:
            raise InvalidTransition(current=locked.state, target=State.CONFIRMED)
        lines = list(locked.lines.select_related("product", "unit", "product__base_unit"))
        if not lines:
            raise ValidationFailed(fields={"lines": [_("Add at least one line before confirming.")]})
        shortages = []
        stocked_lines = [ln for ln in lines if stocked(ln.product)]
        reserved = _reserve(actor, company, locked, stocked_lines, partial) if stocked_lines else []
        for line, got in zip(stocked_lines, reserved, strict=True):
            line.reserved_quantity = from_base(got, line.unit, line.product)
            if got < line.base_quantity:
                shortages.append(
                    {
                        "line_id": str(line.pk),
                        "product_id": str(line.product_id),
                        "quantity": str(line.base_quantity - got),
                    }
                )
        rows_save(stocked_lines, ["reserved_quantity", "updated_at"])
        locked.confirmed_at = timezone.now()
        record_transition(
            actor=actor,
            company=company,
            obj=locked,
            field="state",
            new=State.CONFIRMED,
            allowed=SalesOrder.TRANSITIONS,
        )
        publish(
            SalesOrderConfirmed(
                company_id=company.pk,
                actor_id=actor.pk,
                subject_type="sales.order",
                subject_id=str(locked.pk),
                number=locked.number,
                customer_id=str(locked.customer_id),
                salesperson_id=str(locked.owner_id),
                total_amount=str(locked.total_amount),
                shortages=shortages,
            )
        )
    return locked


def _reserve(
    actor: User, company: Company, order: SalesOrder, lines: list[SalesOrderLine], partial: bool
) -> list[Decimal]:
    """Reserve every line's base quantity at once: what the order's warehouse has first, the rest
    warehouse by warehouse by priority. Under `refuse` one short line refuses them all."""
    got = [Decimal(0)] * len(lines)
    if order.warehouse_id is not None:
        first = [
            (i, min(ln.base_quantity, stock_available(company, ln.product, order.warehouse)))
            for i, ln in enumerate(lines)
        ]
        first = [(i, q) for i, q in first if q > 0]
        if first:
            held = stock_reserve_lines(
                actor=actor,
                company=company,
                lines=[
                    ReserveLine(line_origin(lines[i]), lines[i].product, q, warehouse=order.warehouse)
                    for i, q in first
                ],
                partial=True,
            )
            for (i, _q), h in zip(first, held, strict=True):
                got[i] = h
    rest = [(i, ln.base_quantity - got[i]) for i, ln in enumerate(lines) if got[i] < ln.base_quantity]
    if rest:
        try:
            held = stock_reserve_lines(
                actor=actor,
                company=company,
                lines=[ReserveLine(line_origin(lines[i]), lines[i].product, q) for i, q in rest],
                partial=partial,
            )
        except InsufficientStock as exc:
            exc.fields = _order_line_fields(exc.fields, [lines[i] for i, _q in rest])
            raise
        for (i, _q), h in zip(rest, held, strict=True):
            got[i] += h
    return got


def _order_line_fields(fields: dict[str, list[str]], asked: list[SalesOrderLine]) -> dict[str, list[str]]:
    """The ledger names its own lines; the caller knows the order's."""
    result = {}
    for name, errors in fields.items():
        match = re.match(r"^lines\[(\d+)\]\.(\w+)$", name)
        if match and int(match[1]) < len(asked):
            result[f"lines[{asked[int(match[1])].position - 1}].{match[2]}"] = errors
        elif name == "quantity" and len(asked) == 1:
            result[f"lines[{asked[0].position - 1}].quantity"] = errors
        else:
            result[name] = errors
    return result


@retry_when_busy
def sales_order_cancel(*, actor: User, company: Company, order: SalesOrder) -> SalesOrder:
    """Cancel an order nothing of which has shipped: its reservations and open deliveries go with it."""
    check(actor, company, CONFIRM_ORDER)
    with transaction.atomic():
        locked = access_sales_order(user=actor, company=company, id=order.pk, for_update=True)
        if State.CANCELLED not in SalesOrder.TRANSITIONS.get(locked.state, ()):
            raise InvalidTransition(current=locked.state, target=State.CANCELLED)
        _wind_down(actor, company, locked)
        record_transition(
            actor=actor,
            company=company,
            obj=locked,
            field="state",
            new=State.CANCELLED,
            allowed=SalesOrder.TRANSITIONS,
        )
        publish(
            SalesOrderCancelled(
                company_id=company.pk,
                actor_id=actor.pk,
                subject_type="sales.order",
                subject_id=str(locked.pk),
                number=locked.number,
                customer_id=str(locked.customer_id),
            )
        )
    return locked


@retry_when_busy
def sales_order_close(*, actor: User, company: Company, order: SalesOrder) -> SalesOrder:
    """Close a delivered order, or one partly delivered whose backorder will not be delivered."""
    check(actor, company, CONFIRM_ORDER)
    with transaction.atomic():
        locked = access_sales_order(user=actor, company=company, id=order.pk, for_update=True)
        if locked.state not in (State.PARTIALLY_DELIVERED, State.DELIVERED):
            raise InvalidTransition(current=locked.state, target=State.CLOSED)
        _wind_down(actor, company, locked)
        record_transition(
            actor=actor,
            company=company,
            obj=locked,
            field="state",
            new=State.CLOSED,
            allowed=SalesOrder.TRANSITIONS,
        )
    return locked


def sales_settings_update(*, actor: User, company: Company, on_shortage: str) -> SalesSettings:
    """A company setting: only those who manage the company choose what a shortage does."""
    check(actor, company, MANAGE_COMPANY)
    if on_shortage not in SalesSettings.OnShortage.values:
        raise ValidationFailed(fields={"on_shortage": [_("Choose backorder or refuse.")]})
    with transaction.atomic():
        settings = SalesSettings.objects.select_for_update().filter(company=company).first()
        if settings is None:
            return record_create(actor=actor, company=company, obj=SalesSettings(on_shortage=on_shortage))
        record_update(
            actor=actor, company=company, obj=settings, data={"on_shortage": on_shortage}, version=None
        )
    return settings


def _wind_down(actor: User, company: Company, order: SalesOrder) -> None:
    """Cancel the order's unshipped deliveries and release what its lines still hold."""
    from .deliveries import delivery_cancel_locked

    for delivery in (
        Delivery.objects.select_for_update()
        .filter(company=company, order=order, state__in=Delivery.OPEN)
        .order_by("pk")
    ):
        delivery_cancel_locked(actor=actor, company=company, delivery=delivery)
    release_lines(actor, company, list(order.lines.select_related("product", "order")))


def release_lines(actor: User, company: Company, lines: list[SalesOrderLine]) -> None:
    for line in lines:
        if line.reserved_quantity and stocked(line.product):
            stock_release(actor=actor, company=company, origin=line_origin(line))
            line.reserved_quantity = Decimal(0)
            line.save(update_fields=["reserved_quantity", "updated_at"])


def _check_header(
    actor: User, company: Company, *, customer: Partner | None, warehouse: Warehouse | None
) -> None:
    ours(company, "customer", customer)
    ours(company, "warehouse", warehouse)
    if customer is not None and not (customer.is_customer and customer.is_active):
        raise ValidationFailed(fields={"customer": [_("Choose an active customer.")]})
    if warehouse is not None and not (warehouse.is_active and warehouse.kind == Warehouse.Kind.STOCK):
        raise ValidationFailed(fields={"warehouse": [_("Choose an active stock warehouse.")]})


def _check_owner(actor: User, company: Company, owner: User | None) -> User:
    """A salesperson sells for themselves; a manager may hand an order to their team, an admin to anyone."""
    if owner is None or not Membership.objects.filter(company=company, user=owner, is_active=True).exists():
        raise ValidationFailed(fields={"owner": [_("Not found.")]})
    if owner == actor:
        return owner
    scope = platform_access.grants(actor, company).scope_for(MANAGE_ORDER)
    if scope == Role.Scope.COMPANY:
        return owner
    if scope == Role.Scope.DEPARTMENT and owner.pk in platform_access.department_colleague_ids(
        actor, company
    ):
        return owner
    raise ValidationFailed(fields={"owner": [_("You may not assign orders to this person.")]})


def _prepare_lines(company: Company, lines: list[dict[str, Any]]) -> list[SalesOrderLine]:
    """Unsaved lines with their amounts, every field checked and every error named by its line."""
    if not lines:
        raise ValidationFailed(fields={"lines": [_("Add at least one line.")]})
    if len(lines) > 500:
        raise ValidationFailed(fields={"lines": [_("An order has at most 500 lines.")]})
    result = []
    errors: dict[str, list[str]] = {}
    for i, raw in enumerate(lines):
        at = f"lines[{i}]"
        try:
            result.append(_prepare_line(company, at, i + 1, raw))
        except ValidationFailed as exc:
            errors.update(exc.fields or {at: [str(exc.message)]})
    if errors:
        raise ValidationFailed(fields=errors)
    return result


def _prepare_line(company: Company, at: str, position: int, raw: dict[str, Any]) -> SalesOrderLine:
    product = raw.get("product")
    if not isinstance(product, Product) or product.company_id != company.pk:
        raise ValidationFailed(fields={f"{at}.product": [_("Not found.")]})
    if not product.is_active:
        raise ValidationFailed(fields={f"{at}.product": [_("This product is no longer sold.")]})
    unit = raw.get("unit") or product.base_unit
    if not isinstance(unit, Unit) or unit.company_id != company.pk:
        raise ValidationFailed(fields={f"{at}.unit": [_("Not found.")]})
    quantity = positive(f"{at}.quantity", raw.get("quantity"))
    price = raw.get("unit_price")
    price = product.sale_price if price is None else Decimal(price)
    discount = Decimal(raw.get("discount_percent") or 0)
    rate = raw.get("tax_rate")
    rate = product.tax_rate if rate is None else Decimal(rate)
    problems: dict[str, list[str]] = {}
    if price < 0:
        problems[f"{at}.unit_price"] = [_("A price cannot be negative.")]
    if not 0 <= discount <= 100:
        problems[f"{at}.discount_percent"] = [_("A discount is between 0 and 100 per cent.")]
    if not 0 <= rate < 1:
        problems[f"{at}.tax_rate"] = [_("A tax rate is a fraction such as 0.13.")]
    if problems:
        raise ValidationFailed(fields=problems)
    line = SalesOrderLine(
        company=company,
        position=position,
        product=product,
        description=(raw.get("description") or "").strip()[:200],
        quantity=quantity,
        unit=unit,
        base_quantity=to_base(f"{at}.unit", quantity, unit, product),
        unit_price=price,
        discount_percent=discount,
        tax_rate=rate,
    )
    line.compute_amounts()
    return line


def _save_lines(company: Company, order: SalesOrder, lines: list[SalesOrderLine]) -> None:
    for line in lines:
        line.order = order
        line.company = company
    SalesOrderLine.objects.bulk_create(lines)


def _lines_summary(lines: list[SalesOrderLine]) -> list[str]:
    return [
        f"{ln.product.sku} {ln.quantity.normalize():f} {ln.unit.code} x {ln.unit_price.normalize():f}"
        f" -{ln.discount_percent.normalize():f}% @{ln.tax_rate.normalize():f}"
        for ln in lines
    ]
