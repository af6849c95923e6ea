"""Inventory endpoints (ERP module): warehouses, locations, settings, stock, moves, batches,
transfers, counts and alerts."""

import datetime
import uuid
from typing import Any

from django.db.models import F, Model
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status

from heyi.catalog.models import Product, Unit
from heyi.platform import modules
from heyi.platform.access import scoped
from heyi.platform.api import ERRORS
from heyi.platform.errors import ValidationFailed
from heyi.platform.http.auth import api_auth
from heyi.platform.http.pagination import ordered, paginate, text_search
from heyi.platform.models import Employee
from heyi.platform.schemas import page_of

from . import selectors
from .access import (
    access_batch,
    access_location,
    access_stock_alert,
    access_stock_count,
    access_stock_move,
    access_transfer,
    access_warehouse,
)
from .models import Batch, CostAdjustment, StockCount, StockMove, Transfer, Warehouse
from .permissions import VIEW_STOCK, VIEW_WAREHOUSE
from .schemas import (
    BatchIn,
    BatchOut,
    LocationIn,
    LocationOut,
    LocationPatch,
    ProductStockOut,
    SettingsOut,
    SettingsPatch,
    StockAlertOut,
    StockCountIn,
    StockCountOut,
    StockCountPatch,
    StockMoveDetailOut,
    StockMoveOut,
    StockRowOut,
    TransferIn,
    TransferOut,
    TransferPatch,
    WarehouseIn,
    WarehouseLocationIn,
    WarehouseOut,
    WarehousePatch,
)
from .services import batches, counts, locations, moves, transfers, warehouses
from .services import settings as inventory_settings

router = Router(auth=api_auth(modules.ERP), tags=["inventory"])

STOCK_ORDERING = {
    "product": "product__sku",
    "warehouse": "warehouse__code",
    "on_hand": "on_hand",
    "reserved": "reserved",
    "available": "available_qty",
}
MOVE_ORDERING = ["occurred_at", "created_at", "quantity", "value", "kind", "reference"]
DOCUMENT_ORDERING = ["number", "state", "created_at"]


def _manager(request: HttpRequest, data: dict) -> dict:
    if "manager_id" in data:
        manager_id = data.pop("manager_id")
        data["manager"] = None
        if manager_id is not None:
            data["manager"] = Employee.objects.filter(company=request.company, pk=manager_id).first()
            if data["manager"] is None:
                raise ValidationFailed(fields={"manager_id": [_("Not found.")]})
    return data


def _ref(request: HttpRequest, model: type[Model], value: Any, field: str, perm: str = VIEW_STOCK) -> Any:
    """A record of the active company named by id; any other id is a 400 on that field."""
    if value is None:
        return None
    found = scoped(model._default_manager.all(), user=request.actor, company=request.company, perm=perm)
    obj = found.filter(pk=value).first()
    if obj is None:
        raise ValidationFailed(fields={field: [_("Not found.")]})
    return obj


def _product(request: HttpRequest, value: Any, field: str) -> Product | None:
    return _ref(request, Product, value, field, perm=VIEW_STOCK)


def _warehouse(request: HttpRequest, value: Any, field: str) -> Warehouse | None:
    return _ref(request, Warehouse, value, field, perm=VIEW_WAREHOUSE)


def _code_ref(obj: Any) -> dict:
    return {"id": obj.pk, "code": getattr(obj, "sku", None) or obj.code, "name": obj.name}


# Warehouses and locations ---------------------------------------------------------------------


@router.get("/warehouses", response={200: page_of(WarehouseOut), **ERRORS})
def warehouse_list(
    request: HttpRequest, q: str = "", active: bool | None = None, kind: str = "", ordering: str = "code"
):
    """Warehouses; `q` matches code, name, address or pinyin initials; `kind` stock, transit or quarantine."""
    qs = selectors.warehouse_list(user=request.actor, company=request.company, active=active)
    if kind:
        qs = qs.filter(kind=kind[:12])
    qs = text_search(qs, q, ["code", "name", "address", "mnemonic"])
    return paginate(request, ordered(qs, ordering, ["code", "name", "priority", "created_at"], "code"))


@router.post("/warehouses", response={201: WarehouseOut, **ERRORS})
def warehouse_create(request: HttpRequest, payload: WarehouseIn):
    data = _manager(request, payload.dict())
    return Status(201, warehouses.warehouse_create(actor=request.actor, company=request.company, **data))


@router.get("/warehouses/{warehouse_id}", response={200: WarehouseOut, **ERRORS})
def warehouse_detail(request: HttpRequest, warehouse_id: uuid.UUID):
    return access_warehouse(user=request.actor, company=request.company, id=warehouse_id)


@router.patch("/warehouses/{warehouse_id}", response={200: WarehouseOut, **ERRORS})
def warehouse_patch(request: HttpRequest, warehouse_id: uuid.UUID, payload: WarehousePatch):
    warehouse = access_warehouse(user=request.actor, company=request.company, id=warehouse_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    return warehouses.warehouse_update(
        actor=request.actor,
        company=request.company,
        warehouse=warehouse,
        data=_manager(request, data),
        version=version,
    )


@router.post("/warehouses/{warehouse_id}/deactivate", response={200: WarehouseOut, **ERRORS})
def warehouse_deactivate(request: HttpRequest, warehouse_id: uuid.UUID):
    warehouse = access_warehouse(user=request.actor, company=request.company, id=warehouse_id)
    return warehouses.warehouse_deactivate(actor=request.actor, company=request.company, warehouse=warehouse)


@router.get("/warehouses/{warehouse_id}/locations", response={200: page_of(LocationOut), **ERRORS})
def warehouse_location_list(request: HttpRequest, warehouse_id: uuid.UUID, active: bool | None = None):
    """The bins of one warehouse."""
    warehouse = access_warehouse(user=request.actor, company=request.company, id=warehouse_id)
    qs = selectors.location_list(user=request.actor, company=request.company, warehouse=warehouse)
    if active is not None:
        qs = qs.filter(is_active=active)
    return paginate(request, qs.order_by("code", "pk"))


@router.post("/warehouses/{warehouse_id}/locations", response={201: LocationOut, **ERRORS})
def warehouse_location_create(request: HttpRequest, warehouse_id: uuid.UUID, payload: WarehouseLocationIn):
    warehouse = access_warehouse(user=request.actor, company=request.company, id=warehouse_id)
    location = locations.location_create(
        actor=request.actor, company=request.company, warehouse=warehouse, **payload.dict()
    )
    return Status(201, location)


@router.get("/locations", response={200: page_of(LocationOut), **ERRORS})
def location_list(
    request: HttpRequest,
    warehouse: uuid.UUID | None = None,
    q: str = "",
    active: bool | None = None,
    ordering: str = "code",
):
    """Bins of every warehouse, or of one (`warehouse`); `q` matches code or name."""
    qs = selectors.location_list(
        user=request.actor, company=request.company, warehouse=_warehouse(request, warehouse, "warehouse")
    )
    if active is not None:
        qs = qs.filter(is_active=active)
    qs = text_search(qs, q, ["code", "name"])
    return paginate(request, ordered(qs, ordering, ["code", "name", "created_at"], "code"))


@router.post("/locations", response={201: LocationOut, **ERRORS})
def location_create(request: HttpRequest, payload: LocationIn):
    data = payload.dict()
    warehouse = _warehouse(request, data.pop("warehouse_id"), "warehouse_id")
    location = locations.location_create(
        actor=request.actor, company=request.company, warehouse=warehouse, **data
    )
    return Status(201, location)


@router.get("/locations/{location_id}", response={200: LocationOut, **ERRORS})
def location_detail(request: HttpRequest, location_id: uuid.UUID):
    return access_location(user=request.actor, company=request.company, id=location_id)


@router.patch("/locations/{location_id}", response={200: LocationOut, **ERRORS})
def location_patch(request: HttpRequest, location_id: uuid.UUID, payload: LocationPatch):
    location = access_location(user=request.actor, company=request.company, id=location_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    return locations.location_update(
        actor=request.actor, company=request.company, location=location, data=data, version=version
    )


@router.post("/locations/{location_id}/deactivate", response={200: LocationOut, **ERRORS})
def location_deactivate(request: HttpRequest, location_id: uuid.UUID):
    location = access_location(user=request.actor, company=request.company, id=location_id)
    return locations.location_deactivate(actor=request.actor, company=request.company, location=location)


# Settings -------------------------------------------------------------------------------------


@router.get("/inventory-settings", response={200: SettingsOut, **ERRORS})
def settings_detail(request: HttpRequest):
    from heyi.platform.access import require_perm

    require_perm(request.actor, request.company, VIEW_STOCK)
    return selectors.inventory_settings(request.company)


@router.patch("/inventory-settings", response={200: SettingsOut, **ERRORS})
def settings_patch(request: HttpRequest, payload: SettingsPatch):
    return inventory_settings.inventory_settings_update(
        actor=request.actor, company=request.company, data=payload.dict(exclude_unset=True)
    )


# Stock ----------------------------------------------------------------------------------------


def _stock_row(row) -> dict:
    return {
        "id": row.product_id,
        "product_id": row.product_id,
        "product": _code_ref(row.product),
        "unit": row.product.base_unit.name,
        "warehouse_id": row.warehouse_id,
        "warehouse": _code_ref(row.warehouse),
        "warehouse_kind": row.warehouse.kind,
        "on_hand": row.on_hand,
        "reserved": row.reserved,
        "available": row.on_hand - row.reserved,
    }


@router.get("/stock", response={200: page_of(StockRowOut), **ERRORS})
def stock_list(
    request: HttpRequest,
    product: uuid.UUID | None = None,
    warehouse: uuid.UUID | None = None,
    q: str = "",
    ordering: str = "product",
):
    """On hand, reserved and available per product and warehouse (rows with stock or reservations).

    `q` matches the product's SKU, name or pinyin initials; `ordering` one of product,
    warehouse, on_hand, reserved, available (`-` for descending).
    """
    qs = selectors.stock_levels(
        user=request.actor,
        company=request.company,
        product=_product(request, product, "product"),
        warehouse=_warehouse(request, warehouse, "warehouse"),
    )
    qs = text_search(qs, q, ["product__sku", "product__name", "product__mnemonic"])
    keys = []
    for key in [k.strip() for k in ordering.split(",") if k.strip()]:
        name = key.lstrip("-")
        if name not in STOCK_ORDERING:
            raise ValidationFailed(
                fields={
                    "ordering": [
                        _("Cannot sort by %(field)s. Choose from: %(allowed)s.")
                        % {"field": key[:40], "allowed": ", ".join(sorted(STOCK_ORDERING))}
                    ]
                }
            )
        keys.append(("-" if key.startswith("-") else "") + STOCK_ORDERING[name])
    qs = qs.order_by(*(keys or ["product__sku"]), "warehouse__code", "pk")
    return paginate(request, qs, _stock_row)


@router.get("/stock/{product_id}", response={200: ProductStockOut, **ERRORS})
def stock_detail(request: HttpRequest, product_id: uuid.UUID):
    """One product: its figures per warehouse and, over the stock warehouses, its totals."""
    product = _ref_or_404(request, Product, product_id)
    figures = selectors.product_stock(user=request.actor, company=request.company, product=product)
    return {
        "id": product.pk,
        "product": _code_ref(product),
        "unit": product.base_unit.name,
        "on_hand": figures["on_hand"],
        "reserved": figures["reserved"],
        "available": figures["available"],
        "warehouses": [_stock_row(row) for row in figures["warehouses"]],
    }


def _ref_or_404(request: HttpRequest, model: type[Model], value: Any) -> Any:
    from heyi.platform.access import access_record

    return access_record(model, user=request.actor, company=request.company, id=value, perm=VIEW_STOCK)


# Stock moves ----------------------------------------------------------------------------------


def _move(move: StockMove, reversed_by: Any = None) -> dict:
    return {
        "id": move.pk,
        "occurred_at": move.occurred_at,
        "kind": move.kind,
        "product_id": move.product_id,
        "product": _code_ref(move.product),
        "warehouse_id": move.warehouse_id,
        "warehouse": _code_ref(move.warehouse),
        "location_id": move.location_id,
        "batch_id": move.batch_id,
        "batch": move.batch.code if move.batch_id else None,
        "quantity": move.quantity,
        "unit": move.product.base_unit.name,
        "entered_quantity": move.entered_quantity,
        "entered_unit": move.entered_unit.name,
        "unit_cost": move.unit_cost,
        "value": move.value,
        "origin_type": move.origin_type,
        "origin_id": move.origin_id,
        "reference": move.reference,
        "reverses_id": move.reverses_id,
        "reversed_by_id": reversed_by,
        "created_at": move.created_at,
    }


def _move_detail(request: HttpRequest, move: StockMove) -> dict:
    reversal = (
        StockMove.objects.filter(company=request.company, reverses=move).values_list("pk", flat=True).first()
    )
    adjustments = CostAdjustment.objects.filter(company=request.company, move=move).order_by("created_at")
    return {
        **_move(move, reversal),
        "cost_adjustments": [
            {"id": a.pk, "amount": a.amount, "cause_id": a.cause_id, "created_at": a.created_at}
            for a in adjustments
        ],
        "effective_value": selectors.move_cost(request.company, move),
    }


@router.get("/stock-moves", response={200: page_of(StockMoveOut), **ERRORS})
def stock_move_list(
    request: HttpRequest,
    product: uuid.UUID | None = None,
    warehouse: uuid.UUID | None = None,
    kind: str = "",
    reference: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    ordering: str = "-occurred_at",
):
    """The stock ledger, newest first. `reference` matches the source document's number;
    dates are the company's calendar days, both included."""
    if kind and kind not in StockMove.Kind.values:
        raise ValidationFailed(
            fields={"kind": [_("Choose from: %(kinds)s.") % {"kinds": ", ".join(StockMove.Kind.values)}]}
        )
    qs = selectors.stock_move_list(
        user=request.actor,
        company=request.company,
        product=_product(request, product, "product"),
        warehouse=_warehouse(request, warehouse, "warehouse"),
        kind=kind,
        reference=reference,
        date_from=date_from,
        date_to=date_to,
    )
    return paginate(request, ordered(qs, ordering, MOVE_ORDERING, "-occurred_at"), _move)


@router.get("/stock-moves/{move_id}", response={200: StockMoveDetailOut, **ERRORS})
def stock_move_detail(request: HttpRequest, move_id: uuid.UUID):
    """One move with the revaluations written on it later and its value as finally costed."""
    return _move_detail(request, access_stock_move(user=request.actor, company=request.company, id=move_id))


@router.post("/stock-moves/{move_id}/reverse", response={201: StockMoveDetailOut, **ERRORS})
def stock_move_reverse(request: HttpRequest, move_id: uuid.UUID):
    """Post the mirror move; answers the reversal."""
    move = access_stock_move(user=request.actor, company=request.company, id=move_id)
    reversal = moves.stock_move_reverse(actor=request.actor, company=request.company, move=move)
    reversal = StockMove.objects.select_related(
        "product__base_unit", "warehouse", "batch", "entered_unit"
    ).get(pk=reversal.pk)
    return Status(201, _move_detail(request, reversal))


# Batches --------------------------------------------------------------------------------------


def _batches(request: HttpRequest, items: list[Batch]) -> list[dict]:
    stock = selectors.batch_stock(request.company, [b.pk for b in items])
    return [
        {
            "id": b.pk,
            "product_id": b.product_id,
            "product": _code_ref(b.product),
            "code": b.code,
            "expiry_date": b.expiry_date,
            "manufactured_on": b.manufactured_on,
            "on_hand": sum((q for _w, q in stock.get(b.pk, [])), start=selectors.ZERO),
            "stock": [
                {"warehouse_id": w.pk, "warehouse": w.code, "on_hand": q} for w, q in stock.get(b.pk, [])
            ],
            "created_at": b.created_at,
        }
        for b in items
    ]


@router.get("/batches", response={200: page_of(BatchOut), **ERRORS})
def batch_list(
    request: HttpRequest, product: uuid.UUID | None = None, q: str = "", ordering: str = "expiry_date"
):
    """Batches with their on hand per warehouse; `product` narrows to one product's."""
    qs = selectors.batch_list(
        user=request.actor, company=request.company, product=_product(request, product, "product")
    )
    qs = text_search(qs, q, ["code", "product__sku", "product__name"])
    if ordering == "expiry_date":
        qs = qs.order_by(F("expiry_date").asc(nulls_last=True), "code", "pk")
    else:
        qs = ordered(qs, ordering, ["expiry_date", "code", "created_at"], "expiry_date")
    page = paginate(request, qs)
    page["items"] = _batches(request, page["items"])
    return page


@router.post("/batches", response={201: BatchOut, **ERRORS})
def batch_create(request: HttpRequest, payload: BatchIn):
    data = payload.dict()
    product = _product(request, data.pop("product_id"), "product_id")
    batch = batches.batch_create(actor=request.actor, company=request.company, product=product, **data)
    return Status(201, _batches(request, [batch])[0])


@router.get("/batches/{batch_id}", response={200: BatchOut, **ERRORS})
def batch_detail(request: HttpRequest, batch_id: uuid.UUID):
    return _batches(request, [access_batch(user=request.actor, company=request.company, id=batch_id)])[0]


# Transfers ------------------------------------------------------------------------------------


def _transfer(transfer: Transfer) -> dict:
    return {
        "id": transfer.pk,
        "number": transfer.number,
        "state": transfer.state,
        "from_warehouse_id": transfer.from_warehouse_id,
        "from_warehouse": _code_ref(transfer.from_warehouse),
        "to_warehouse_id": transfer.to_warehouse_id,
        "to_warehouse": _code_ref(transfer.to_warehouse),
        "note": transfer.note,
        "shipped_at": transfer.shipped_at,
        "received_at": transfer.received_at,
        "version": transfer.version,
        "created_at": transfer.created_at,
        "lines": [
            {
                "id": line.pk,
                "product_id": line.product_id,
                "product": _code_ref(line.product),
                "quantity": line.quantity,
                "unit_id": line.unit_id,
                "unit": line.unit.name,
                "batch_id": line.batch_id,
                "batch": line.batch.code if line.batch_id else None,
            }
            for line in transfer.lines.select_related("product", "unit", "batch")
        ],
    }


def _transfer_lines(request: HttpRequest, lines: list) -> list[transfers.TransferLineIn]:
    """The lines as sent (schema objects, so decimals stay decimals), with their references found."""
    return [
        transfers.TransferLineIn(
            product=_product(request, line.product_id, f"lines[{i}].product_id"),
            quantity=line.quantity,
            unit=_ref(request, Unit, line.unit_id, f"lines[{i}].unit_id"),
            batch=_ref(request, Batch, line.batch_id, f"lines[{i}].batch_id"),
        )
        for i, line in enumerate(lines)
    ]


@router.get("/transfers", response={200: page_of(TransferOut), **ERRORS})
def transfer_list(request: HttpRequest, q: str = "", state: str = "", ordering: str = "-created_at"):
    """Transfers; `q` matches the number or a warehouse's code or name."""
    qs = selectors.transfer_list(user=request.actor, company=request.company)
    if state:
        qs = qs.filter(state=state[:12])
    qs = text_search(
        qs,
        q,
        [
            "number",
            "from_warehouse__code",
            "from_warehouse__name",
            "to_warehouse__code",
            "to_warehouse__name",
        ],
    )
    return paginate(request, ordered(qs, ordering, DOCUMENT_ORDERING, "-created_at"), _transfer)


@router.post("/transfers", response={201: TransferOut, **ERRORS})
def transfer_create(request: HttpRequest, payload: TransferIn):
    source, destination, lines = _all_found(
        lambda: _warehouse(request, payload.from_warehouse_id, "from_warehouse_id"),
        lambda: _warehouse(request, payload.to_warehouse_id, "to_warehouse_id"),
        lambda: _transfer_lines(request, payload.lines),
    )
    transfer = transfers.transfer_create(
        actor=request.actor,
        company=request.company,
        from_warehouse=source,
        to_warehouse=destination,
        lines=lines,
        note=payload.note,
    )
    return Status(201, _transfer(transfer))


def _all_found(*lookups) -> list:
    """Run every reference lookup and report all the ids not found at once."""
    found, fields = [], {}
    for lookup in lookups:
        try:
            found.append(lookup())
        except ValidationFailed as exc:
            fields.update(exc.fields)
            found.append(None)
    if fields:
        raise ValidationFailed(fields=fields)
    return found


def _get_transfer(request: HttpRequest, transfer_id: uuid.UUID) -> Transfer:
    return access_transfer(user=request.actor, company=request.company, id=transfer_id)


@router.get("/transfers/{transfer_id}", response={200: TransferOut, **ERRORS})
def transfer_detail(request: HttpRequest, transfer_id: uuid.UUID):
    return _transfer(_get_transfer(request, transfer_id))


@router.patch("/transfers/{transfer_id}", response={200: TransferOut, **ERRORS})
def transfer_patch(request: HttpRequest, transfer_id: uuid.UUID, payload: TransferPatch):
    """Change a draft; `lines`, when sent, replace all its lines."""
    transfer = _get_transfer(request, transfer_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    lines = payload.lines if data.pop("lines", None) is not None else None
    for key in ("from_warehouse_id", "to_warehouse_id"):
        if key in data:
            data[key.removesuffix("_id")] = _warehouse(request, data.pop(key), key) or _required(key)
    transfer = transfers.transfer_update(
        actor=request.actor,
        company=request.company,
        transfer=transfer,
        data=data,
        lines=_transfer_lines(request, lines) if lines is not None else None,
        version=version,
    )
    return _transfer(transfer)


def _required(field: str):
    raise ValidationFailed(fields={field: [_("This field is required.")]})


@router.post("/transfers/{transfer_id}/ship", response={200: TransferOut, **ERRORS})
def transfer_ship(request: HttpRequest, transfer_id: uuid.UUID):
    """The goods leave the source warehouse into transit."""
    transfer = _get_transfer(request, transfer_id)
    return _transfer(transfers.transfer_ship(actor=request.actor, company=request.company, transfer=transfer))


@router.post("/transfers/{transfer_id}/receive", response={200: TransferOut, **ERRORS})
def transfer_receive(request: HttpRequest, transfer_id: uuid.UUID):
    """The goods arrive from transit in the destination warehouse."""
    transfer = _get_transfer(request, transfer_id)
    return _transfer(
        transfers.transfer_receive(actor=request.actor, company=request.company, transfer=transfer)
    )


@router.post("/transfers/{transfer_id}/cancel", response={200: TransferOut, **ERRORS})
def transfer_cancel(request: HttpRequest, transfer_id: uuid.UUID):
    transfer = _get_transfer(request, transfer_id)
    return _transfer(
        transfers.transfer_cancel(actor=request.actor, company=request.company, transfer=transfer)
    )


# Stock counts ---------------------------------------------------------------------------------


def _count(count: StockCount) -> dict:
    return {
        "id": count.pk,
        "number": count.number,
        "state": count.state,
        "warehouse_id": count.warehouse_id,
        "warehouse": _code_ref(count.warehouse),
        "note": count.note,
        "started_at": count.started_at,
        "posted_at": count.posted_at,
        "version": count.version,
        "created_at": count.created_at,
        "lines": [
            {
                "id": line.pk,
                "product_id": line.product_id,
                "product": _code_ref(line.product),
                "unit": line.product.base_unit.name,
                "batch_id": line.batch_id,
                "batch": line.batch.code if line.batch_id else None,
                "system_quantity": line.system_quantity,
                "counted_quantity": line.counted_quantity,
                "posted_system_quantity": line.posted_system_quantity,
                "difference": line.difference,
                "unit_cost": line.unit_cost,
                "value": line.value,
            }
            for line in count.lines.select_related("product__base_unit", "batch")
        ],
    }


def _count_lines(request: HttpRequest, lines: list) -> list[counts.CountLineIn]:
    return [
        counts.CountLineIn(
            product=_product(request, line.product_id, f"lines[{i}].product_id"),
            batch=_ref(request, Batch, line.batch_id, f"lines[{i}].batch_id"),
            counted_quantity=line.counted_quantity,
        )
        for i, line in enumerate(lines)
    ]


def _get_count(request: HttpRequest, count_id: uuid.UUID) -> StockCount:
    return access_stock_count(user=request.actor, company=request.company, id=count_id)


@router.get("/stock-counts", response={200: page_of(StockCountOut), **ERRORS})
def stock_count_list(request: HttpRequest, q: str = "", state: str = "", ordering: str = "-created_at"):
    """Stock counts; `q` matches the number or the warehouse's code or name."""
    qs = selectors.stock_count_list(user=request.actor, company=request.company)
    if state:
        qs = qs.filter(state=state[:12])
    qs = text_search(qs, q, ["number", "warehouse__code", "warehouse__name"])
    return paginate(request, ordered(qs, ordering, DOCUMENT_ORDERING, "-created_at"), _count)


@router.post("/stock-counts", response={201: StockCountOut, **ERRORS})
def stock_count_create(request: HttpRequest, payload: StockCountIn):
    """A draft count; without lines, starting it lists everything the warehouse holds."""
    warehouse, lines = _all_found(
        lambda: _warehouse(request, payload.warehouse_id, "warehouse_id"),
        lambda: _count_lines(request, payload.lines),
    )
    count = counts.stock_count_create(
        actor=request.actor, company=request.company, warehouse=warehouse, lines=lines, note=payload.note
    )
    return Status(201, _count(count))


@router.get("/stock-counts/{count_id}", response={200: StockCountOut, **ERRORS})
def stock_count_detail(request: HttpRequest, count_id: uuid.UUID):
    return _count(_get_count(request, count_id))


@router.patch("/stock-counts/{count_id}", response={200: StockCountOut, **ERRORS})
def stock_count_patch(request: HttpRequest, count_id: uuid.UUID, payload: StockCountPatch):
    """Change the note or enter what was counted; `lines`, when sent, replace all lines."""
    count = _get_count(request, count_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    lines = payload.lines if data.pop("lines", None) is not None else None
    count = counts.stock_count_update(
        actor=request.actor,
        company=request.company,
        count=count,
        data=data,
        lines=_count_lines(request, lines) if lines is not None else None,
        version=version,
    )
    return _count(count)


@router.post("/stock-counts/{count_id}/start", response={200: StockCountOut, **ERRORS})
def stock_count_start(request: HttpRequest, count_id: uuid.UUID):
    """Counting begins; the system quantities are taken now."""
    count = _get_count(request, count_id)
    return _count(counts.stock_count_start(actor=request.actor, company=request.company, count=count))


@router.post("/stock-counts/{count_id}/post", response={200: StockCountOut, **ERRORS})
def stock_count_post(request: HttpRequest, count_id: uuid.UUID):
    """Book the differences against the on hand now as adjustment moves."""
    count = _get_count(request, count_id)
    return _count(counts.stock_count_post(actor=request.actor, company=request.company, count=count))


@router.post("/stock-counts/{count_id}/cancel", response={200: StockCountOut, **ERRORS})
def stock_count_cancel(request: HttpRequest, count_id: uuid.UUID):
    count = _get_count(request, count_id)
    return _count(counts.stock_count_cancel(actor=request.actor, company=request.company, count=count))


# Stock alerts ---------------------------------------------------------------------------------


def _alert(alert) -> dict:
    return {
        "id": alert.pk,
        "product_id": alert.product_id,
        "product": _code_ref(alert.product),
        "state": alert.state,
        "available": alert.available,
        "safety_stock": alert.safety_stock,
        "created_at": alert.created_at,
        "closed_at": alert.closed_at,
    }


@router.get("/stock-alerts", response={200: page_of(StockAlertOut), **ERRORS})
def stock_alert_list(request: HttpRequest, state: str = "", ordering: str = "-created_at"):
    """Low-stock alerts; `state` open or closed."""
    qs = selectors.stock_alert_list(user=request.actor, company=request.company, state=state[:10])
    return paginate(request, ordered(qs, ordering, ["created_at", "available"], "-created_at"), _alert)


@router.get("/stock-alerts/{alert_id}", response={200: StockAlertOut, **ERRORS})
def stock_alert_detail(request: HttpRequest, alert_id: uuid.UUID):
    return _alert(access_stock_alert(user=request.actor, company=request.company, id=alert_id))
