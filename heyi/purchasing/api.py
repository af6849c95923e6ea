"""Purchasing endpoints (ERP module): requisitions, orders, receipts, returns, supplier prices."""

import uuid
from typing import Any

from django.db import models
from django.http import HttpRequest
from ninja import Router, Status

from heyi.catalog.access import access_product
from heyi.catalog.models import Unit
from heyi.inventory.models import StockAlert, Warehouse
from heyi.partners.models import Partner
from heyi.platform import modules
from heyi.platform.api import ERRORS
from heyi.platform.errors import NotFound
from heyi.platform.http.auth import api_auth
from heyi.platform.http.pagination import ordered, paginate, text_search
from heyi.platform.schemas import page_of

from . import access, selectors
from .models import PurchaseOrderLine, ReceiptLine
from .schemas import (
    OrderFromRequisitionsIn,
    PurchaseOrderIn,
    PurchaseOrderOut,
    PurchaseOrderPatch,
    PurchaseReturnIn,
    PurchaseReturnOut,
    PurchasingSettingsOut,
    PurchasingSettingsPatch,
    ReceiptIn,
    ReceiptInspectIn,
    ReceiptOut,
    RequisitionFromAlertIn,
    RequisitionIn,
    RequisitionOut,
    RequisitionPatch,
    SupplierPriceOut,
)
from .services import orders, receipts, requisitions
from .services.settings import purchasing_settings_update

router = Router(auth=api_auth(modules.ERP), tags=["purchasing"])


def _own(model: type[models.Model], request: HttpRequest, id: Any) -> Any:
    """A referenced record of the caller's company, or 404 (another company's id is unknown)."""
    if id is None:
        return None
    found = model._default_manager.filter(company=request.company, pk=id).first()  # type: ignore[misc]
    if found is None:
        raise NotFound()
    return found


def _product(request: HttpRequest, id: uuid.UUID):
    return access_product(user=request.actor, company=request.company, id=id)


def _requisition_lines(request: HttpRequest, lines) -> list[requisitions.RequisitionLineIn]:
    return [
        requisitions.RequisitionLineIn(
            product=_product(request, line.product_id),
            quantity=line.quantity,
            unit=_own(Unit, request, line.unit_id),
            needed_by=line.needed_by,
            supplier=_own(Partner, request, line.supplier_id),
            unit_price=line.unit_price,
            reason=line.reason,
        )
        for line in lines
    ]


def _order_lines(request: HttpRequest, lines) -> list[orders.OrderLineIn]:
    return [
        orders.OrderLineIn(
            product=_product(request, line.product_id),
            quantity=line.quantity,
            unit=_own(Unit, request, line.unit_id),
            unit_price=line.unit_price,
            tax_rate=line.tax_rate,
            description=line.description,
        )
        for line in lines
    ]


# Requisitions


@router.get("/purchase-requisitions", response={200: page_of(RequisitionOut), **ERRORS})
def requisition_list(
    request: HttpRequest, q: str = "", status: str = "", source: str = "", ordering: str = "-created_at"
):
    """Requisitions the caller may see (their own, or all with `purchasing.view`)."""
    qs = selectors.requisition_list(user=request.actor, company=request.company)
    if status:
        qs = qs.filter(status=status[:20])
    if source:
        qs = qs.filter(source=source[:20])
    qs = text_search(qs, q, ["number", "notes"])
    return paginate(request, ordered(qs, ordering, ["number", "created_at", "status"], "-created_at"))


@router.post("/purchase-requisitions", response={201: RequisitionOut, **ERRORS})
def requisition_create(request: HttpRequest, payload: RequisitionIn):
    return Status(
        201,
        requisitions.purchase_requisition_create(
            actor=request.actor,
            company=request.company,
            lines=_requisition_lines(request, payload.lines),
            notes=payload.notes,
        ),
    )


@router.post("/purchase-requisitions/from-alert", response={201: RequisitionOut, **ERRORS})
def requisition_from_alert(request: HttpRequest, payload: RequisitionFromAlertIn):
    """A draft requisition for a low-stock alert, up to the product's reorder point."""
    alert = _own(StockAlert, request, payload.alert_id)
    return Status(
        201,
        requisitions.purchase_requisition_from_alert(
            actor=request.actor, company=request.company, alert=alert
        ),
    )


@router.get("/purchase-requisitions/{requisition_id}", response={200: RequisitionOut, **ERRORS})
def requisition_detail(request: HttpRequest, requisition_id: uuid.UUID):
    return access.access_requisition(user=request.actor, company=request.company, id=requisition_id)


@router.patch("/purchase-requisitions/{requisition_id}", response={200: RequisitionOut, **ERRORS})
def requisition_update(request: HttpRequest, requisition_id: uuid.UUID, payload: RequisitionPatch):
    requisition = access.access_requisition(user=request.actor, company=request.company, id=requisition_id)
    data = payload.dict(exclude_unset=True)
    lines = _requisition_lines(request, payload.lines) if payload.lines is not None else None
    return requisitions.purchase_requisition_update(
        actor=request.actor,
        company=request.company,
        requisition=requisition,
        data={k: v for k, v in data.items() if k == "notes" and v is not None},
        lines=lines,
        version=payload.version,
    )


@router.post("/purchase-requisitions/{requisition_id}/submit", response={200: RequisitionOut, **ERRORS})
def requisition_submit(request: HttpRequest, requisition_id: uuid.UUID):
    """Send for approval; without an approval flow it is approved at once."""
    requisition = access.access_requisition(user=request.actor, company=request.company, id=requisition_id)
    return requisitions.purchase_requisition_submit(
        actor=request.actor, company=request.company, requisition=requisition
    )


@router.post("/purchase-requisitions/{requisition_id}/cancel", response={200: RequisitionOut, **ERRORS})
def requisition_cancel(request: HttpRequest, requisition_id: uuid.UUID):
    requisition = access.access_requisition(user=request.actor, company=request.company, id=requisition_id)
    return requisitions.purchase_requisition_cancel(
        actor=request.actor, company=request.company, requisition=requisition
    )


# Orders


@router.get("/purchase-orders", response={200: page_of(PurchaseOrderOut), **ERRORS})
def order_list(
    request: HttpRequest,
    q: str = "",
    status: str = "",
    supplier: uuid.UUID | None = None,
    ordering: str = "-created_at",
):
    qs = selectors.order_list(user=request.actor, company=request.company)
    if status:
        qs = qs.filter(status=status[:20])
    if supplier is not None:
        qs = qs.filter(supplier_id=supplier)
    qs = text_search(qs, q, ["number", "supplier__name", "notes"])
    return paginate(
        request,
        ordered(qs, ordering, ["number", "order_date", "created_at", "total_gross", "status"], "-created_at"),
    )


@router.post("/purchase-orders", response={201: PurchaseOrderOut, **ERRORS})
def order_create(request: HttpRequest, payload: PurchaseOrderIn):
    return Status(
        201,
        orders.purchase_order_create(
            actor=request.actor,
            company=request.company,
            supplier=_own(Partner, request, payload.supplier_id),
            lines=_order_lines(request, payload.lines),
            order_date=payload.order_date,
            expected_date=payload.expected_date,
            warehouse=_own(Warehouse, request, payload.warehouse_id),
            notes=payload.notes,
        ),
    )


@router.post("/purchase-orders/from-requisitions", response={201: list[PurchaseOrderOut], **ERRORS})
def order_from_requisitions(request: HttpRequest, payload: OrderFromRequisitionsIn):
    """Draft orders from approved requisitions, one per supplier (the best recent price suggested)."""
    found = [
        access.access_requisition(user=request.actor, company=request.company, id=pk)
        for pk in payload.requisition_ids
    ]
    return Status(
        201,
        orders.purchase_order_from_requisitions(
            actor=request.actor, company=request.company, requisitions=found
        ),
    )


@router.get("/purchase-orders/{order_id}", response={200: PurchaseOrderOut, **ERRORS})
def order_detail(request: HttpRequest, order_id: uuid.UUID):
    return access.access_order(user=request.actor, company=request.company, id=order_id)


@router.patch("/purchase-orders/{order_id}", response={200: PurchaseOrderOut, **ERRORS})
def order_update(request: HttpRequest, order_id: uuid.UUID, payload: PurchaseOrderPatch):
    order = access.access_order(user=request.actor, company=request.company, id=order_id)
    data = payload.dict(exclude_unset=True)
    data.pop("version", None)
    data.pop("lines", None)
    if "supplier_id" in data:
        data["supplier"] = _own(Partner, request, data.pop("supplier_id"))
    if "warehouse_id" in data:
        data["warehouse"] = _own(Warehouse, request, data.pop("warehouse_id"))
    if data.get("notes", "") is None:
        data.pop("notes")
    if "order_date" in data and data["order_date"] is None:
        data.pop("order_date")
    return orders.purchase_order_update(
        actor=request.actor,
        company=request.company,
        order=order,
        data=data,
        lines=_order_lines(request, payload.lines) if payload.lines is not None else None,
        version=payload.version,
    )


def _order_action(name: str, service) -> None:
    @router.post(
        f"/purchase-orders/{{order_id}}/{name}",
        response={200: PurchaseOrderOut, **ERRORS},
        operation_id=f"purchase_order_{name}",
    )
    def action(request: HttpRequest, order_id: uuid.UUID):
        order = access.access_order(user=request.actor, company=request.company, id=order_id)
        return service(actor=request.actor, company=request.company, order=order)

    action.__doc__ = service.__doc__


_order_action("confirm", orders.purchase_order_confirm)
_order_action("cancel", orders.purchase_order_cancel)
_order_action("close", orders.purchase_order_close)


# Receipts


@router.get("/receipts", response={200: page_of(ReceiptOut), **ERRORS})
def receipt_list(
    request: HttpRequest,
    q: str = "",
    status: str = "",
    order: uuid.UUID | None = None,
    ordering: str = "-created_at",
):
    qs = selectors.receipt_list(user=request.actor, company=request.company)
    if status:
        qs = qs.filter(status=status[:20])
    if order is not None:
        qs = qs.filter(order_id=order)
    qs = text_search(qs, q, ["number", "delivery_note", "order__number"])
    return paginate(request, ordered(qs, ordering, ["number", "received_date", "created_at"], "-created_at"))


@router.post("/receipts", response={201: ReceiptOut, **ERRORS})
def receipt_create(request: HttpRequest, payload: ReceiptIn):
    order = access.access_order(user=request.actor, company=request.company, id=payload.order_id)
    lines = [
        receipts.ReceiptLineIn(
            order_line=_own(PurchaseOrderLine, request, line.order_line_id),
            quantity=line.quantity,
            unit=_own(Unit, request, line.unit_id),
            warehouse=_own(Warehouse, request, line.warehouse_id),
            batch_code=line.batch_code,
            expiry_date=line.expiry_date,
        )
        for line in payload.lines
    ]
    return Status(
        201,
        receipts.receipt_create(
            actor=request.actor,
            company=request.company,
            order=order,
            lines=lines,
            received_date=payload.received_date,
            delivery_note=payload.delivery_note,
            notes=payload.notes,
        ),
    )


@router.get("/receipts/{receipt_id}", response={200: ReceiptOut, **ERRORS})
def receipt_detail(request: HttpRequest, receipt_id: uuid.UUID):
    return access.access_receipt(user=request.actor, company=request.company, id=receipt_id)


@router.post("/receipts/{receipt_id}/inspect", response={200: ReceiptOut, **ERRORS})
def receipt_inspect(request: HttpRequest, receipt_id: uuid.UUID, payload: ReceiptInspectIn):
    """Accepted and rejected quantity per line (they add up to what was received)."""
    receipt = access.access_receipt(user=request.actor, company=request.company, id=receipt_id)
    results = [
        receipts.InspectionIn(
            line=_own(ReceiptLine, request, line.line_id),
            accepted=line.accepted,
            rejected=line.rejected,
            reason=line.reason,
        )
        for line in payload.lines
    ]
    return receipts.receipt_inspect(
        actor=request.actor, company=request.company, receipt=receipt, results=results
    )


@router.post("/receipts/{receipt_id}/confirm", response={200: ReceiptOut, **ERRORS})
def receipt_confirm(request: HttpRequest, receipt_id: uuid.UUID):
    """Post accepted goods to stock and rejected ones to quarantine."""
    receipt = access.access_receipt(user=request.actor, company=request.company, id=receipt_id)
    return receipts.receipt_confirm(actor=request.actor, company=request.company, receipt=receipt)


@router.post("/receipts/{receipt_id}/cancel", response={200: ReceiptOut, **ERRORS})
def receipt_cancel(request: HttpRequest, receipt_id: uuid.UUID):
    receipt = access.access_receipt(user=request.actor, company=request.company, id=receipt_id)
    return receipts.receipt_cancel(actor=request.actor, company=request.company, receipt=receipt)


# Returns


@router.get("/purchase-returns", response={200: page_of(PurchaseReturnOut), **ERRORS})
def return_list(request: HttpRequest, q: str = "", status: str = "", ordering: str = "-created_at"):
    qs = selectors.return_list(user=request.actor, company=request.company)
    if status:
        qs = qs.filter(status=status[:20])
    qs = text_search(qs, q, ["number", "reason"])
    return paginate(request, ordered(qs, ordering, ["number", "return_date", "created_at"], "-created_at"))


@router.post("/purchase-returns", response={201: PurchaseReturnOut, **ERRORS})
def return_create(request: HttpRequest, payload: PurchaseReturnIn):
    receipt = access.access_receipt(user=request.actor, company=request.company, id=payload.receipt_id)
    lines = [
        receipts.ReturnLineIn(
            receipt_line=_own(ReceiptLine, request, line.receipt_line_id),
            quantity=line.quantity,
            from_quarantine=line.from_quarantine,
            warehouse=_own(Warehouse, request, line.warehouse_id),
        )
        for line in payload.lines
    ]
    return Status(
        201,
        receipts.purchase_return_create(
            actor=request.actor,
            company=request.company,
            receipt=receipt,
            lines=lines,
            reason=payload.reason,
            return_date=payload.return_date,
        ),
    )


@router.get("/purchase-returns/{return_id}", response={200: PurchaseReturnOut, **ERRORS})
def return_detail(request: HttpRequest, return_id: uuid.UUID):
    return access.access_return(user=request.actor, company=request.company, id=return_id)


@router.post("/purchase-returns/{return_id}/ship", response={200: PurchaseReturnOut, **ERRORS})
def return_ship(request: HttpRequest, return_id: uuid.UUID):
    """The goods leave the warehouse (or quarantine) for the supplier."""
    found = access.access_return(user=request.actor, company=request.company, id=return_id)
    return receipts.purchase_return_ship(actor=request.actor, company=request.company, purchase_return=found)


@router.post("/purchase-returns/{return_id}/cancel", response={200: PurchaseReturnOut, **ERRORS})
def return_cancel(request: HttpRequest, return_id: uuid.UUID):
    found = access.access_return(user=request.actor, company=request.company, id=return_id)
    return receipts.purchase_return_cancel(
        actor=request.actor, company=request.company, purchase_return=found
    )


# Supplier prices and settings


@router.get("/supplier-prices", response={200: page_of(SupplierPriceOut), **ERRORS})
def supplier_price_list(
    request: HttpRequest,
    product: uuid.UUID | None = None,
    supplier: uuid.UUID | None = None,
    ordering: str = "-date",
):
    """The price history: one row per confirmed order line, newest first."""
    qs = selectors.supplier_price_list(user=request.actor, company=request.company)
    if product is not None:
        qs = qs.filter(product_id=product)
    if supplier is not None:
        qs = qs.filter(supplier_id=supplier)
    return paginate(
        request, ordered(qs, ordering, ["date", "unit_price", "base_unit_price", "created_at"], "-date")
    )


@router.get("/supplier-prices/{price_id}", response={200: SupplierPriceOut, **ERRORS})
def supplier_price_detail(request: HttpRequest, price_id: uuid.UUID):
    return access.access_supplier_price(user=request.actor, company=request.company, id=price_id)


@router.get("/purchasing-settings", response={200: PurchasingSettingsOut, **ERRORS})
def settings_detail(request: HttpRequest):
    from heyi.platform.access import require_perm

    from .permissions import VIEW

    require_perm(request.actor, request.company, VIEW)
    return selectors.purchasing_settings(request.company)


@router.patch("/purchasing-settings", response={200: PurchasingSettingsOut, **ERRORS})
def settings_update(request: HttpRequest, payload: PurchasingSettingsPatch):
    return purchasing_settings_update(
        actor=request.actor,
        company=request.company,
        over_receipt_tolerance=payload.over_receipt_tolerance,
        version=payload.version,
    )
