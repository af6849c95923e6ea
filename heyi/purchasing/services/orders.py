"""Purchase orders: by hand or from approved requisitions, confirmed through the approval seam."""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from heyi.approvals.services.instances import approval_abandon, approval_pending
from heyi.catalog.models import Product, Unit
from heyi.inventory.models import Warehouse
from heyi.partners.models import Partner
from heyi.platform.access import ours
from heyi.platform.errors import InvalidTransition
from heyi.platform.eventbus import publish
from heyi.platform.models import Company, User
from heyi.platform.services.audit import audit_record
from heyi.platform.services.numbering import number_next
from heyi.platform.services.records import check_version, record_create, record_transition, record_update

from .. import selectors
from ..access import access_order, access_requisition
from ..approval import ORDER
from ..errors import NoLines, NoSupplier, NotOrderable
from ..events import OrderConfirmed
from ..models import PurchaseOrder, PurchaseOrderLine, PurchaseRequisition, SupplierPrice
from ..permissions import CONFIRM_ORDER, MANAGE_ORDER
from ..totals import document_totals, line_amounts
from ._common import (
    check,
    lines_required,
    not_negative,
    positive_quantity,
    product_checked,
    refuse,
    supplier_checked,
    to_unit,
)

Status = PurchaseOrder.Status
HEADER_FIELDS = {"supplier", "order_date", "expected_date", "warehouse", "notes"}
TAX_RATES = {Decimal("0.13"), Decimal("0.09"), Decimal("0.06"), Decimal("0.03"), Decimal("0.01"), Decimal(0)}


@dataclass
class OrderLineIn:
    product: Product
    quantity: Decimal
    unit: Unit | None = None
    unit_price: Decimal | None = None  # tax-exclusive; None: the product's purchase price
    tax_rate: Decimal | None = None  # None: the product's VAT rate
    description: str = ""


def _warehouse_checked(company: Company, field: str, warehouse: Warehouse | None) -> None:
    if warehouse is None:
        return
    ours(company, field, warehouse)
    if not warehouse.is_active or warehouse.kind != Warehouse.Kind.STOCK:
        raise refuse(field, _("Choose an active stock warehouse."))


def _build_lines(company: Company, lines: list[OrderLineIn]) -> list[PurchaseOrderLine]:
    lines_required(lines)
    built = []
    for i, line in enumerate(lines):
        field = f"lines[{i}]"
        unit = product_checked(company, field, line.product, line.unit)
        quantity = positive_quantity(f"{field}.quantity", line.quantity)
        price = line.unit_price
        if price is None:
            price = (
                line.product.purchase_price
                * to_unit(Decimal(1000000), unit, line.product.base_unit, line.product)
                / 1000000
            )
            price = price.quantize(Decimal("0.000001"))
        price = not_negative(f"{field}.unit_price", price, 6)
        rate = (
            line.product.tax_rate
            if line.tax_rate is None
            else not_negative(f"{field}.tax_rate", line.tax_rate, 4)
        )
        if rate not in TAX_RATES:
            raise refuse(f"{field}.tax_rate", _("Not a VAT rate."))
        amounts = line_amounts(quantity, price, rate)
        built.append(
            PurchaseOrderLine(
                company=company,
                position=i + 1,
                product=line.product,
                description=(line.description or "")[:200],
                quantity=quantity,
                unit=unit,
                unit_price=price,
                tax_rate=rate,
                net_amount=amounts.net,
                tax_amount=amounts.tax,
                gross_amount=amounts.gross,
            )
        )
    return built


def _save_lines(order: PurchaseOrder, lines: list[PurchaseOrderLine]) -> None:
    for line in lines:
        line.order = order
        line.save(force_insert=True)
    totals = document_totals(line_amounts_of(line) for line in lines)
    order.total_net, order.total_tax, order.total_gross = totals.net, totals.tax, totals.gross
    order.save(update_fields=["total_net", "total_tax", "total_gross", "updated_at"])


def line_amounts_of(line: PurchaseOrderLine):
    from ..totals import LineAmounts

    return LineAmounts(line.net_amount, line.tax_amount, line.gross_amount)


def _header(company: Company, supplier: Partner, warehouse: Warehouse | None) -> None:
    if supplier is None:
        raise refuse("supplier", _("This field is required."))
    supplier_checked(company, "supplier", supplier)
    _warehouse_checked(company, "warehouse", warehouse)


def purchase_order_create(
    *,
    actor: User,
    company: Company,
    supplier: Partner,
    lines: list[OrderLineIn],
    order_date: datetime.date | None = None,
    expected_date: datetime.date | None = None,
    warehouse: Warehouse | None = None,
    notes: str = "",
) -> PurchaseOrder:
    check(actor, company, MANAGE_ORDER)
    _header(company, supplier, warehouse)
    built = _build_lines(company, lines)
    with transaction.atomic():
        return _create(actor, company, supplier, built, order_date, expected_date, warehouse, notes)


def _create(
    actor: User,
    company: Company,
    supplier: Partner,
    lines: list[PurchaseOrderLine],
    order_date: datetime.date | None,
    expected_date: datetime.date | None,
    warehouse: Warehouse | None,
    notes: str,
) -> PurchaseOrder:
    order_date = order_date or timezone.localdate()
    order = PurchaseOrder(
        number=number_next(company=company, doc_type="purchase_order", prefix="PO", on=order_date),
        supplier=supplier,
        order_date=order_date,
        expected_date=expected_date,
        warehouse=warehouse,
        notes=notes,
        owner=actor,
        currency=supplier.currency or "CNY",
    )
    record_create(actor=actor, company=company, obj=order)
    _save_lines(order, lines)
    return order


def purchase_order_update(
    *,
    actor: User,
    company: Company,
    order: PurchaseOrder,
    data: dict[str, Any],
    lines: list[OrderLineIn] | None = None,
    version: int | None,
) -> PurchaseOrder:
    """Change a draft order; given lines replace the old ones and the totals follow."""
    check(actor, company, MANAGE_ORDER)
    data = {k: v for k, v in data.items() if k in HEADER_FIELDS}
    if "supplier" in data:
        _header(company, data["supplier"], None)
    if "warehouse" in data:
        _warehouse_checked(company, "warehouse", data["warehouse"])
    built = _build_lines(company, lines) if lines is not None else None
    with transaction.atomic():
        locked = access_order(user=actor, company=company, id=order.pk, for_update=True)
        check_version(locked, version)
        if locked.status not in PurchaseOrder.EDITABLE:
            raise InvalidTransition(_("Only a draft order can be changed."), current=locked.status)
        changed = record_update(actor=actor, company=company, obj=locked, data=data, version=version)
        if built is not None:
            old = [f"{line.product_id}:{line.quantity}@{line.unit_price}" for line in locked.lines.all()]
            locked.lines.all().delete()
            _save_lines(locked, built)
            audit_record(
                actor=actor,
                company=company,
                action="update",
                obj=locked,
                changes={"lines": [old, [f"{b.product_id}:{b.quantity}@{b.unit_price}" for b in built]]},
            )
            if not changed:
                locked.version += 1
                locked.save(update_fields=["version", "updated_at"])
    return locked


def _transition(actor: User | None, company: Company, order: PurchaseOrder, new: str) -> None:
    record_transition(
        actor=actor, company=company, obj=order, field="status", new=new, allowed=PurchaseOrder.TRANSITIONS
    )


def purchase_order_confirm(*, actor: User, company: Company, order: PurchaseOrder) -> PurchaseOrder:
    """Confirm a draft through the approval seam: confirmed at once when no approval flow
    applies, `submitted` while one decides."""
    check(actor, company, CONFIRM_ORDER)
    with transaction.atomic():
        locked = access_order(user=actor, company=company, id=order.pk, for_update=True)
        if locked.status != Status.DRAFT:
            raise InvalidTransition(current=locked.status, target=Status.CONFIRMED)
        if not locked.lines.exists():
            raise NoLines()
        supplier_checked(company, "supplier", locked.supplier)
        if not approval_pending(actor=actor, company=company, document_type=ORDER, document=locked):
            _confirm(actor, company, locked)
        else:
            _transition(actor, company, locked, Status.SUBMITTED)
    return locked


def _confirm(actor: User | None, company: Company, order: PurchaseOrder) -> None:
    order.confirmed_at = timezone.now()
    order.confirmed_by = actor
    _transition(actor, company, order, Status.CONFIRMED)
    for line in order.lines.select_related("product__base_unit", "unit"):
        per_base = to_unit(Decimal(1000000), line.unit, line.product.base_unit, line.product) / 1000000
        SupplierPrice.objects.create(
            company=company,
            supplier_id=order.supplier_id,
            product=line.product,
            date=order.order_date,
            unit_price=line.unit_price,
            unit=line.unit,
            base_unit_price=(line.unit_price / per_base).quantize(Decimal("0.000001")),
            quantity=line.quantity,
            order=order,
        )
    publish(
        OrderConfirmed(
            company_id=company.pk,
            actor_id=actor.pk if actor else None,
            subject_type="purchasing.order",
            subject_id=str(order.pk),
            number=order.number,
            supplier_id=str(order.supplier_id),
            total_net=order.total_net,
            total_tax=order.total_tax,
            total_gross=order.total_gross,
        )
    )


def purchase_order_approve(*, actor: User | None, company: Company, order: PurchaseOrder) -> PurchaseOrder:
    """The approval engine's callback on a final approval."""
    check(None, company)
    with transaction.atomic():
        locked = PurchaseOrder.objects.select_for_update().get(company=company, pk=order.pk)
        if locked.status != Status.SUBMITTED:
            raise InvalidTransition(current=locked.status, target=Status.CONFIRMED)
        _confirm(actor, company, locked)
    return locked


def purchase_order_reject(*, actor: User | None, company: Company, order: PurchaseOrder) -> PurchaseOrder:
    """The approval engine's callback on a rejection or a withdrawal: the order goes back to draft."""
    check(None, company)
    with transaction.atomic():
        locked = PurchaseOrder.objects.select_for_update().get(company=company, pk=order.pk)
        _transition(actor, company, locked, Status.DRAFT)
    return locked


def purchase_order_cancel(*, actor: User, company: Company, order: PurchaseOrder) -> PurchaseOrder:
    """Cancel an order nothing has been received against (a started one is closed instead)."""
    check(actor, company, CONFIRM_ORDER, MANAGE_ORDER)
    with transaction.atomic():
        locked = access_order(user=actor, company=company, id=order.pk, for_update=True)
        if locked.status == Status.CONFIRMED:
            from heyi.platform.access import require_perm

            require_perm(actor, company, CONFIRM_ORDER)
        if locked.receipts.exclude(status="cancelled").exists():
            raise InvalidTransition(
                _("Goods have been received against this order; close it instead."), current=locked.status
            )
        if locked.status == Status.SUBMITTED:
            approval_abandon(actor=actor, company=company, document_type=ORDER, document_id=locked.pk)
        _transition(actor, company, locked, Status.CANCELLED)
    return locked


def purchase_order_close(*, actor: User, company: Company, order: PurchaseOrder) -> PurchaseOrder:
    """Nothing more is expected: a received order is done, a partly received one short-closed."""
    check(actor, company, CONFIRM_ORDER)
    with transaction.atomic():
        locked = access_order(user=actor, company=company, id=order.pk, for_update=True)
        if locked.receipts.filter(status__in=["draft", "inspected"]).exists():
            raise InvalidTransition(
                _("A receipt of this order is still open; confirm or cancel it first."), current=locked.status
            )
        _transition(actor, company, locked, Status.CLOSED)
    return locked


def _suggest(company: Company, line) -> tuple[Partner, Decimal]:
    """Supplier and price for a requisition line: its own, else the best recent price from
    history, else its supplier's last price or the product's purchase price."""
    product = line.product
    if line.supplier_id is not None:
        supplier = line.supplier
        if line.unit_price is not None:
            return supplier, line.unit_price
        last = selectors.latest_supplier_price(company, product, supplier)
        if last is not None:
            per_line_unit = to_unit(Decimal(1000000), line.unit, product.base_unit, product) / 1000000
            return supplier, (last.base_unit_price * per_line_unit).quantize(Decimal("0.000001"))
        return supplier, _purchase_price(product, line.unit)
    best = selectors.best_supplier_price(company, product)
    if best is None:
        raise NoSupplier(
            fields={
                f"requisition {line.requisition.number} line {line.position}": [
                    str(NoSupplier.default_message)
                ]
            },
            product=product.sku,
        )
    price = line.unit_price if line.unit_price is not None else best.unit_price_in(line.unit, product)
    return best.price.supplier, price


def _purchase_price(product: Product, unit: Unit) -> Decimal:
    per = to_unit(Decimal(1000000), unit, product.base_unit, product) / 1000000
    return (product.purchase_price * per).quantize(Decimal("0.000001"))


def purchase_order_from_requisitions(
    *, actor: User, company: Company, requisitions: list[PurchaseRequisition]
) -> list[PurchaseOrder]:
    """Draft orders from approved requisitions, one per supplier; the requisitions become ordered."""
    check(actor, company, MANAGE_ORDER)
    if not requisitions:
        raise refuse("requisition_ids", _("Choose at least one requisition."))
    with transaction.atomic():
        locked = [
            access_requisition(user=actor, company=company, id=pk, for_update=True)
            for pk in sorted({r.pk for r in requisitions})
        ]
        for requisition in locked:
            if requisition.status != PurchaseRequisition.Status.APPROVED:
                raise NotOrderable(requisition=requisition.number, status=requisition.status)
        groups: dict[Any, tuple[Partner, list]] = {}
        for requisition in sorted(locked, key=lambda r: r.number):
            for line in requisition.lines.select_related("product__base_unit", "unit", "supplier"):
                supplier, price = _suggest(company, line)
                supplier_checked(company, "supplier", supplier)
                groups.setdefault(supplier.pk, (supplier, []))[1].append((line, price))
        orders = []
        for supplier, items in sorted(groups.values(), key=lambda g: g[0].name):
            built = _build_lines(
                company,
                [
                    OrderLineIn(
                        product=line.product,
                        quantity=line.quantity,
                        unit=line.unit,
                        unit_price=price,
                        description=line.reason,
                    )
                    for line, price in items
                ],
            )
            needed = [line.needed_by for line, _p in items if line.needed_by]
            order = _create(
                actor,
                company,
                supplier,
                built,
                None,
                min(needed) if needed else None,
                None,
                _("From requisitions %(numbers)s")
                % {"numbers": ", ".join(sorted({line.requisition.number for line, _p in items}))},
            )
            for (req_line, _price), order_line in zip(items, built, strict=True):
                req_line.order_line = order_line
                req_line.save(update_fields=["order_line", "updated_at"])
            orders.append(order)
        for requisition in locked:
            record_transition(
                actor=actor,
                company=company,
                obj=requisition,
                field="status",
                new=PurchaseRequisition.Status.ORDERED,
                allowed=PurchaseRequisition.TRANSITIONS,
            )
    return orders
