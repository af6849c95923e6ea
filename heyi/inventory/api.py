"""Warehouse endpoints (ERP module)."""

import uuid

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status

from heyi.platform import modules
from heyi.platform.api import ERRORS
from heyi.platform.errors import ValidationFailed
from heyi.platform.http.auth import api_auth
from heyi.platform.http.pagination import ordered, paginate, text_search
from heyi.platform.models import Employee
from heyi.platform.schemas import page_of

from . import selectors
from .access import access_warehouse
from .schemas import WarehouseIn, WarehouseOut, WarehousePatch
from .services import warehouses

router = Router(auth=api_auth(modules.ERP), tags=["inventory"])


def _manager(request: HttpRequest, data: dict) -> dict:
    if "manager_id" in data:
        manager_id = data.pop("manager_id")
        data["manager"] = None
        if manager_id is not None:
            data["manager"] = Employee.objects.filter(company=request.company, pk=manager_id).first()
            if data["manager"] is None:
                raise ValidationFailed(fields={"manager_id": [_("Not found.")]})
    return data


@router.get("/warehouses", response={200: page_of(WarehouseOut), **ERRORS})
def warehouse_list(request: HttpRequest, q: str = "", active: bool | None = None, ordering: str = "code"):
    """Warehouses; `q` matches code, name, address or pinyin initials."""
    qs = selectors.warehouse_list(user=request.actor, company=request.company, active=active)
    qs = text_search(qs, q, ["code", "name", "address", "mnemonic"])
    return paginate(request, ordered(qs, ordering, ["code", "name", "created_at"], "code"))


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
