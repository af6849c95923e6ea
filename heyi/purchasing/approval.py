"""Requisitions and orders as document types of the approval engine.

`purchase_requisition_submit` and `purchase_order_confirm` ask the engine (`approval_pending`);
with OA off or no active template for the document type the document is approved at once, as
it is when every step of its flow was skipped. Later decisions come back through the document types registered here, in the
deciding transaction: approved -> `purchase_requisition_approve` / `purchase_order_approve`,
rejected -> `purchase_requisition_reject` / `purchase_order_reject`, withdrawn -> back to draft.

Field labels are stored in a template's form as written; they are marked for translation and
translated where the form is shown.
"""

from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from heyi.approvals.registry import DocumentType, register_document_type
from heyi.catalog.selectors import unit_convert
from heyi.platform.errors import NotFound
from heyi.platform.models import Company, Employee, User

from .models import PurchaseOrder, PurchaseRequisition

REQUISITION = "purchasing.requisition"
ORDER = "purchasing.order"
CENT = Decimal("0.01")


def requisition_estimate(requisition: PurchaseRequisition) -> Decimal:
    """What the requisition would cost (excl. tax): each line at its estimated price, else at
    the product's purchase price."""
    total = Decimal(0)
    for line in requisition.lines.select_related("product__base_unit", "unit"):
        if line.unit_price is not None:
            total += line.quantity * line.unit_price
        else:
            product = line.product
            total += (
                unit_convert(line.quantity, line.unit, product.base_unit, product) * product.purchase_price
            )
    return total.quantize(CENT)


def _department_of(company: Company, user_id: Any) -> str | None:
    if user_id is None:
        return None
    department = (
        Employee.objects.filter(company=company, user_id=user_id, is_active=True)
        .values_list("department_id", flat=True)
        .first()
    )
    return str(department) if department else None


def _requisition(company: Company, id: str) -> PurchaseRequisition:
    try:
        return PurchaseRequisition.objects.get(company=company, pk=id)
    except (PurchaseRequisition.DoesNotExist, ValueError):
        raise NotFound()


def _order(company: Company, id: str) -> PurchaseOrder:
    try:
        return PurchaseOrder.objects.select_related("supplier").get(company=company, pk=id)
    except (PurchaseOrder.DoesNotExist, ValueError):
        raise NotFound()


def _requisition_values(requisition: PurchaseRequisition) -> dict[str, Any]:
    return {
        "amount": str(requisition_estimate(requisition)),
        "department": _department_of(requisition.company, requisition.owner_id),
        "lines": requisition.lines.count(),
    }


def _order_values(order: PurchaseOrder) -> dict[str, Any]:
    return {"amount": str(order.total_gross), "supplier": order.supplier.name}


def _requisition_approved(*, actor: User | None, company: Company, document: PurchaseRequisition) -> None:
    from .services.requisitions import purchase_requisition_approve

    purchase_requisition_approve(actor=actor, company=company, requisition=document)


def _requisition_rejected(
    *, actor: User | None, company: Company, document: PurchaseRequisition, comment: str
) -> None:
    from .services.requisitions import purchase_requisition_reject

    purchase_requisition_reject(actor=actor, company=company, requisition=document)


def _requisition_withdrawn(*, actor: User | None, company: Company, document: PurchaseRequisition) -> None:
    from .services.requisitions import purchase_requisition_withdraw

    purchase_requisition_withdraw(actor=actor, company=company, requisition=document)


def _order_approved(*, actor: User | None, company: Company, document: PurchaseOrder) -> None:
    from .services.orders import purchase_order_approve

    purchase_order_approve(actor=actor, company=company, order=document)


def _order_back_to_draft(
    *, actor: User | None, company: Company, document: PurchaseOrder, comment: str = ""
) -> None:
    from .services.orders import purchase_order_reject

    purchase_order_reject(actor=actor, company=company, order=document)


register_document_type(
    DocumentType(
        key=REQUISITION,
        label=gettext_lazy("Purchase requisition"),
        fields=[
            {"key": "amount", "label": gettext_noop("Estimated amount"), "type": "money"},
            {"key": "department", "label": gettext_noop("Requester's department"), "type": "department"},
            {"key": "lines", "label": gettext_noop("Number of lines"), "type": "number"},
        ],
        load=_requisition,
        values=_requisition_values,
        title=lambda r: _("Purchase requisition %(number)s") % {"number": r.number},
        on_approved=_requisition_approved,
        on_rejected=_requisition_rejected,
        on_withdrawn=_requisition_withdrawn,
        url=lambda r: reverse("purchasing:requisition_detail", args=[r.pk]),
    )
)
register_document_type(
    DocumentType(
        key=ORDER,
        label=gettext_lazy("Purchase order"),
        fields=[
            {"key": "amount", "label": gettext_noop("Total incl. tax"), "type": "money"},
            {"key": "supplier", "label": gettext_noop("Supplier"), "type": "text"},
        ],
        load=_order,
        values=_order_values,
        title=lambda o: (
            _("Purchase order %(number)s, %(supplier)s") % {"number": o.number, "supplier": o.supplier.name}
        ),
        on_approved=_order_approved,
        on_rejected=_order_back_to_draft,
        on_withdrawn=_order_back_to_draft,
        url=lambda o: reverse("purchasing:order_detail", args=[o.pk]),
    )
)
