"""Warehouses, the master record the stock ledger hangs on."""

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from heyi.platform import modules
from heyi.platform.access import require_module, require_perm
from heyi.platform.errors import DuplicateValue, ValidationFailed
from heyi.platform.models import Company, Employee, User
from heyi.platform.services.records import record_create, record_update

from ..access import access_warehouse
from ..models import Warehouse
from ..permissions import MANAGE_WAREHOUSE

WAREHOUSE_FIELDS = {"code", "name", "address", "manager", "priority", "is_active"}


def _check(actor: User, company: Company, manager: Employee | None) -> None:
    require_module(company, modules.ERP)
    require_perm(actor, company, MANAGE_WAREHOUSE)
    if manager is not None and manager.company_id != company.pk:
        raise ValidationFailed(fields={"manager": [str(_("Not found."))]})


def _code_free(company: Company, code: Any, exclude_pk: Any = None) -> None:
    if not code:
        return
    if Warehouse.objects.filter(company=company, code=code).exclude(pk=exclude_pk).exists():
        raise ValidationFailed(fields={"code": [str(_("A warehouse with this code already exists."))]})


def warehouse_create(
    *,
    actor: User,
    company: Company,
    code: str,
    name: str,
    address: str = "",
    manager: Employee | None = None,
    kind: str = Warehouse.Kind.STOCK,
    priority: int = 10,
    is_active: bool = True,
) -> Warehouse:
    _check(actor, company, manager)
    warehouse = Warehouse(
        code=code,
        name=name,
        address=address,
        manager=manager,
        kind=kind,
        priority=priority,
        is_active=is_active,
    )
    try:
        with transaction.atomic():
            _code_free(company, code)
            return record_create(actor=actor, company=company, obj=warehouse)
    except IntegrityError as exc:
        raise DuplicateValue() from exc


def warehouse_update(
    *, actor: User, company: Company, warehouse: Warehouse, data: dict[str, Any], version: int | None
) -> Warehouse:
    data = {k: v for k, v in data.items() if k in WAREHOUSE_FIELDS}
    _check(actor, company, data.get("manager"))
    try:
        with transaction.atomic():
            locked = access_warehouse(user=actor, company=company, id=warehouse.pk, for_update=True)
            _code_free(company, data.get("code"), locked.pk)
            record_update(actor=actor, company=company, obj=locked, data=data, version=version)
    except IntegrityError as exc:
        raise DuplicateValue() from exc
    return locked


def warehouse_deactivate(*, actor: User, company: Company, warehouse: Warehouse) -> Warehouse:
    """Stop using a warehouse; it and its history stay."""
    return warehouse_update(
        actor=actor, company=company, warehouse=warehouse, data={"is_active": False}, version=None
    )


def special_warehouse(*, company: Company, kind: str) -> Warehouse:
    """The company's transit or quarantine warehouse, made on first use."""
    names = {
        Warehouse.Kind.TRANSIT: ("TRANSIT", _("Goods in transit")),
        Warehouse.Kind.QUARANTINE: ("QUARANTINE", _("Quarantine")),
    }
    code, name = names[Warehouse.Kind(kind)]
    found = (
        Warehouse.objects.filter(company=company, kind=kind, is_active=True).order_by("created_at").first()
    )
    if found is not None:
        return found
    with transaction.atomic():
        warehouse, _created = Warehouse.objects.get_or_create(
            company=company, code=code, defaults={"name": str(name), "kind": kind, "priority": 999}
        )
    return warehouse
