"""Locations (bins) inside a warehouse; a move may name one, balances count per warehouse."""

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from heyi.platform import modules
from heyi.platform.access import require_module, require_perm
from heyi.platform.errors import DuplicateValue, ValidationFailed
from heyi.platform.models import Company, User
from heyi.platform.services.records import record_create, record_update

from ..access import access_location
from ..models import Location, Warehouse
from ..permissions import MANAGE_WAREHOUSE

LOCATION_FIELDS = {"code", "name", "is_active"}


def _check(actor: User, company: Company) -> None:
    require_module(company, modules.ERP)
    require_perm(actor, company, MANAGE_WAREHOUSE)


def _code_free(company: Company, warehouse_id: Any, code: Any, exclude_pk: Any = None) -> None:
    if code and (
        Location.objects.filter(company=company, warehouse_id=warehouse_id, code=code)
        .exclude(pk=exclude_pk)
        .exists()
    ):
        raise ValidationFailed(
            fields={"code": [str(_("This warehouse already has a location with this code."))]}
        )


def location_create(
    *, actor: User, company: Company, warehouse: Warehouse, code: str, name: str = "", is_active: bool = True
) -> Location:
    _check(actor, company)
    if warehouse.company_id != company.pk:
        raise ValidationFailed(fields={"warehouse_id": [str(_("Not found."))]})
    if not warehouse.is_active:
        raise ValidationFailed(fields={"warehouse_id": [str(_("This warehouse is no longer active."))]})
    code = (code or "").strip()
    location = Location(warehouse=warehouse, code=code, name=(name or "").strip(), is_active=is_active)
    try:
        with transaction.atomic():
            _code_free(company, warehouse.pk, code)
            return record_create(actor=actor, company=company, obj=location)
    except IntegrityError as exc:
        raise DuplicateValue() from exc


def location_update(
    *, actor: User, company: Company, location: Location, data: dict[str, Any], version: int | None
) -> Location:
    _check(actor, company)
    data = {k: (v.strip() if isinstance(v, str) else v) for k, v in data.items() if k in LOCATION_FIELDS}
    try:
        with transaction.atomic():
            locked = access_location(user=actor, company=company, id=location.pk, for_update=True)
            _code_free(company, locked.warehouse_id, data.get("code"), locked.pk)
            record_update(actor=actor, company=company, obj=locked, data=data, version=version)
    except IntegrityError as exc:
        raise DuplicateValue() from exc
    return locked


def location_deactivate(*, actor: User, company: Company, location: Location) -> Location:
    """Stop using a bin; moves that named it keep it."""
    return location_update(
        actor=actor, company=company, location=location, data={"is_active": False}, version=None
    )
