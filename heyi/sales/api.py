"""Sales endpoints (ERP module): /sales-orders, /deliveries, /sales-returns, /sales-margins.

Every action is a POST verb under its object and answers with the object in its new state.
`POST /deliveries/{id}/confirm` picks and packs in one step; `/pick` and `/pack` exist for
warehouses that record them apart.
"""

import datetime
import uuid
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status

from heyi.catalog.access import access_product, access_unit
from heyi.inventory.access import access_warehouse
from heyi.inventory.models import Batch
from heyi.partners.access import CUSTOMER, access_partner
from heyi.platform import access as platform_access
from heyi.platform import modules
from heyi.platform.api import ERRORS
from heyi.platform.errors import NotFound, ValidationFailed
from heyi.platform.http.auth import api_auth
from heyi.platform.http.pagination import ordered, paginate
from heyi.platform.schemas import page_of
from heyi.platform.selectors import company_members

from . import selectors
from .access import access_delivery, access_sales_order, access_sales_return
from .models import DeliveryLine, SalesOrderLine
from .permissions import VIEW_ORDER
from .schemas import (
    DeliveryIn,
    DeliveryOut,
    DeliveryPatch,
    MarginsOut,
    OrderLineIn,
    SalesOrderIn,
    SalesOrderOut,
    SalesOrderPatch,
    SalesReturnIn,
    SalesReturnOut,
    ShipIn,
)
from .services import deliveries as delivery_services
from .services import orders as order_services
from .services import returns as return_services

router = Router(auth=api_auth(modules.ERP), tags=["sales"])

ORDER_ORDERING = ["number", "order_date", "created_at", "updated_at", "total_amount", "state"]
DOC_ORDERING = ["number", "created_at", "state"]


def _view(request: HttpRequest) -> None:
    platform_access.require_perm(request.actor, request.company, VIEW_ORDER)


def _lines(request: HttpRequest, lines: list[OrderLineIn]) -> list[dict[str, Any]]:
    u, c = request.actor, request.company
    return [
        {
            "product": access_product(user=u, company=c, id=ln.product_id),
            "unit": access_unit(user=u, company=c, id=ln.unit_id) if ln.unit_id else None,
            "quantity": ln.quantity,
            "unit_price": ln.unit_price,
            "discount_percent": ln.discount_percent,
            "tax_rate": ln.tax_rate,
            "description": ln.description,
        }
        for ln in lines
    ]


def _salesperson(request: HttpRequest, user_id: uuid.UUID | None):
    if user_id is None:
        return None
    found = company_members(request.company).filter(pk=user_id).first()
    if found is None:
        raise NotFound()
    return found


def _warehouse(request: HttpRequest, warehouse_id: uuid.UUID | None):
    if warehouse_id is None:
        return None
    return access_warehouse(user=request.actor, company=request.company, id=warehouse_id)


@router.get("/sales-orders", response={200: page_of(SalesOrderOut), **ERRORS})
def sales_order_list(
    request: HttpRequest,
    q: str = "",
    state: str = "",
    customer: uuid.UUID | None = None,
    salesperson: uuid.UUID | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    ordering: str = "-order_date",
):
    """Orders the caller may see; `q` matches the number or the customer's name, code or initials."""
    _view(request)
    qs = selectors.order_list(
        user=request.actor,
        company=request.company,
        q=q,
        state=state,
        customer=customer,
        owner=salesperson,
        date_from=date_from,
        date_to=date_to,
    )
    return paginate(request, ordered(qs, ordering, ORDER_ORDERING, "-order_date"))


@router.post("/sales-orders", response={201: SalesOrderOut, **ERRORS})
def sales_order_create(request: HttpRequest, payload: SalesOrderIn):
    u, c = request.actor, request.company
    order = order_services.sales_order_create(
        actor=u,
        company=c,
        customer=access_partner(user=u, company=c, id=payload.customer_id, kind=CUSTOMER),
        lines=_lines(request, payload.lines),
        owner=_salesperson(request, payload.salesperson_id),
        order_date=payload.order_date,
        delivery_address=payload.delivery_address,
        warehouse=_warehouse(request, payload.warehouse_id),
        notes=payload.notes,
    )
    return Status(201, order)


@router.get("/sales-orders/{order_id}", response={200: SalesOrderOut, **ERRORS})
def sales_order_detail(request: HttpRequest, order_id: uuid.UUID):
    return access_sales_order(user=request.actor, company=request.company, id=order_id)


@router.patch("/sales-orders/{order_id}", response={200: SalesOrderOut, **ERRORS})
def sales_order_update(request: HttpRequest, order_id: uuid.UUID, payload: SalesOrderPatch):
    u, c = request.actor, request.company
    order = access_sales_order(user=u, company=c, id=order_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    if "customer_id" in data:
        cid = data.pop("customer_id")
        data["customer"] = access_partner(user=u, company=c, id=cid, kind=CUSTOMER) if cid else None
    if "salesperson_id" in data:
        data["owner"] = _salesperson(request, data.pop("salesperson_id"))
        if data["owner"] is None:
            raise ValidationFailed(fields={"salesperson_id": [_("Choose a salesperson.")]})
    if "warehouse_id" in data:
        data["warehouse"] = _warehouse(request, data.pop("warehouse_id"))
    if data.get("lines") is not None:
        data["lines"] = _lines(request, payload.lines or [])
    return order_services.sales_order_update(actor=u, company=c, order=order, data=data, version=version)


def _order_action(name: str, service, doc: str) -> None:
    def action(request: HttpRequest, order_id: uuid.UUID):
        order = access_sales_order(user=request.actor, company=request.company, id=order_id)
        return service(actor=request.actor, company=request.company, order=order)

    action.__doc__ = doc
    router.post(
        f"/sales-orders/{{order_id}}/{name}",
        response={200: SalesOrderOut, **ERRORS},
        operation_id=f"sales_order_{name}",
    )(action)


_order_action(
    "confirm",
    order_services.sales_order_confirm,
    "Confirm and reserve stock; a shortage is a backorder or `insufficient_stock`, as the company chose.",
)
_order_action(
    "cancel", order_services.sales_order_cancel, "Cancel; reservations and open deliveries go with it."
)
_order_action("close", order_services.sales_order_close, "Close a delivered order, or give up its backorder.")


@router.get("/deliveries", response={200: page_of(DeliveryOut), **ERRORS})
def delivery_list(
    request: HttpRequest,
    q: str = "",
    state: str = "",
    order: uuid.UUID | None = None,
    ordering: str = "-created_at",
):
    _view(request)
    qs = selectors.delivery_list(user=request.actor, company=request.company, q=q, state=state, order=order)
    return paginate(request, ordered(qs, ordering, DOC_ORDERING, "-created_at"))


@router.post("/deliveries", response={201: DeliveryOut, **ERRORS})
def delivery_create(request: HttpRequest, payload: DeliveryIn):
    u, c = request.actor, request.company
    order = access_sales_order(user=u, company=c, id=payload.order_id)
    lines = None
    if payload.lines is not None:
        lines = []
        for ln in payload.lines:
            order_line = SalesOrderLine.objects.filter(company=c, order=order, pk=ln.order_line_id).first()
            if order_line is None:
                raise NotFound()
            entry: dict[str, Any] = {"order_line": order_line, "quantity": ln.quantity}
            if ln.warehouse_id:
                entry["warehouse"] = _warehouse(request, ln.warehouse_id)
            if ln.batch_id:
                entry["batch"] = Batch.objects.filter(company=c, pk=ln.batch_id).first()
                if entry["batch"] is None:
                    raise NotFound()
            lines.append(entry)
    delivery = delivery_services.delivery_create(
        actor=u,
        company=c,
        order=order,
        lines=lines,
        carrier=payload.carrier,
        tracking_number=payload.tracking_number,
        delivery_address=payload.delivery_address,
        notes=payload.notes,
    )
    return Status(201, delivery)


@router.get("/deliveries/{delivery_id}", response={200: DeliveryOut, **ERRORS})
def delivery_detail(request: HttpRequest, delivery_id: uuid.UUID):
    return access_delivery(user=request.actor, company=request.company, id=delivery_id)


@router.patch("/deliveries/{delivery_id}", response={200: DeliveryOut, **ERRORS})
def delivery_update(request: HttpRequest, delivery_id: uuid.UUID, payload: DeliveryPatch):
    delivery = access_delivery(user=request.actor, company=request.company, id=delivery_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    return delivery_services.delivery_update(
        actor=request.actor, company=request.company, delivery=delivery, data=data, version=version
    )


def _delivery_action(name: str, service, doc: str) -> None:
    def action(request: HttpRequest, delivery_id: uuid.UUID):
        delivery = access_delivery(user=request.actor, company=request.company, id=delivery_id)
        return service(actor=request.actor, company=request.company, delivery=delivery)

    action.__doc__ = doc
    router.post(
        f"/deliveries/{{delivery_id}}/{name}",
        response={200: DeliveryOut, **ERRORS},
        operation_id=f"delivery_{name}",
    )(action)


_delivery_action("confirm", delivery_services.delivery_confirm, "Picked and packed in one step.")
_delivery_action("pick", delivery_services.delivery_pick, "The goods are picked.")
_delivery_action("pack", delivery_services.delivery_pack, "The goods are packed.")
_delivery_action("cancel", delivery_services.delivery_cancel, "Cancel an unshipped delivery.")


@router.post("/deliveries/{delivery_id}/ship", response={200: DeliveryOut, **ERRORS})
def delivery_ship(request: HttpRequest, delivery_id: uuid.UUID, payload: ShipIn | None = None):
    """Issue the packed goods from stock; `over_delivery` or `insufficient_stock` change nothing."""
    delivery = access_delivery(user=request.actor, company=request.company, id=delivery_id)
    return delivery_services.delivery_ship(
        actor=request.actor,
        company=request.company,
        delivery=delivery,
        carrier=payload.carrier if payload else None,
        tracking_number=payload.tracking_number if payload else None,
    )


@router.get("/sales-returns", response={200: page_of(SalesReturnOut), **ERRORS})
def sales_return_list(
    request: HttpRequest,
    q: str = "",
    state: str = "",
    delivery: uuid.UUID | None = None,
    ordering: str = "-created_at",
):
    _view(request)
    qs = selectors.return_list(
        user=request.actor, company=request.company, q=q, state=state, delivery=delivery
    )
    return paginate(request, ordered(qs, ordering, DOC_ORDERING, "-created_at"))


@router.post("/sales-returns", response={201: SalesReturnOut, **ERRORS})
def sales_return_create(request: HttpRequest, payload: SalesReturnIn):
    u, c = request.actor, request.company
    delivery = access_delivery(user=u, company=c, id=payload.delivery_id)
    lines = []
    for ln in payload.lines:
        dl = DeliveryLine.objects.filter(company=c, delivery=delivery, pk=ln.delivery_line_id).first()
        if dl is None:
            raise NotFound()
        lines.append(
            {"delivery_line": dl, "quantity": ln.quantity, "warehouse": _warehouse(request, ln.warehouse_id)}
        )
    sales_return = return_services.sales_return_create(
        actor=u, company=c, delivery=delivery, lines=lines, reason=payload.reason
    )
    return Status(201, sales_return)


@router.get("/sales-returns/{return_id}", response={200: SalesReturnOut, **ERRORS})
def sales_return_detail(request: HttpRequest, return_id: uuid.UUID):
    return access_sales_return(user=request.actor, company=request.company, id=return_id)


@router.post("/sales-returns/{return_id}/confirm", response={200: SalesReturnOut, **ERRORS})
def sales_return_confirm(request: HttpRequest, return_id: uuid.UUID):
    """Receive the goods back into stock at the cost they were shipped at."""
    found = access_sales_return(user=request.actor, company=request.company, id=return_id)
    return return_services.sales_return_confirm(
        actor=request.actor, company=request.company, sales_return=found
    )


@router.post("/sales-returns/{return_id}/cancel", response={200: SalesReturnOut, **ERRORS})
def sales_return_cancel(request: HttpRequest, return_id: uuid.UUID):
    found = access_sales_return(user=request.actor, company=request.company, id=return_id)
    return return_services.sales_return_cancel(
        actor=request.actor, company=request.company, sales_return=found
    )


@router.get("/sales-margins", response={200: MarginsOut, **ERRORS})
def sales_margins(
    request: HttpRequest,
    group: str = "order",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
):
    """Gross margin of shipped goods (revenue minus moving-average cost, returns taken back)
    per `group`: line, order, product, customer or salesperson."""
    _view(request)
    if group not in selectors.MARGIN_GROUPS:
        raise ValidationFailed(
            fields={"group": [_("Choose from: %(groups)s.") % {"groups": ", ".join(selectors.MARGIN_GROUPS)}]}
        )
    items = selectors.margins(
        user=request.actor, company=request.company, group=group, date_from=date_from, date_to=date_to
    )
    revenue = sum((m.revenue for m in items), Decimal("0.00"))
    cost = sum((m.cost for m in items), Decimal("0.00"))
    return {"group": group, "items": items, "revenue": revenue, "cost": cost, "margin": revenue - cost}
