"""Units of measure."""

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from heyi.platform.access import require_perm
from heyi.platform.models import Company, User
from heyi.platform.services.records import record_create, record_delete, record_update

from ..access import access_unit
from ..models import Unit
from ..permissions import MANAGE_PRODUCT
from ._checks import duplicates_refused, quantized, unique

UNIT_FIELDS = {"code", "name", "category", "ratio", "is_active"}
DUPLICATE_CODE = _("A unit with this code already exists.")


def unit_create(
    *,
    actor: User,
    company: Company,
    code: str,
    name: str,
    category: str,
    ratio: Decimal | None = None,
    is_active: bool = True,
) -> Unit:
    require_perm(actor, company, MANAGE_PRODUCT)
    with transaction.atomic():
        unique(Unit, company=company, field="code", value=code, message=DUPLICATE_CODE)
        with duplicates_refused():
            return record_create(
                actor=actor,
                company=company,
                obj=Unit(
                    code=code,
                    name=name,
                    category=category,
                    is_active=is_active,
                    **quantized(Unit, {"ratio": ratio}),
                ),
            )


def unit_update(
    *, actor: User, company: Company, unit: Unit, data: dict[str, Any], version: int | None
) -> Unit:
    require_perm(actor, company, MANAGE_PRODUCT)
    data = quantized(Unit, {k: v for k, v in data.items() if k in UNIT_FIELDS})
    with transaction.atomic():
        locked = access_unit(user=actor, company=company, id=unit.pk, for_update=True)
        unique(
            Unit,
            company=company,
            field="code",
            value=data.get("code"),
            message=DUPLICATE_CODE,
            exclude_pk=locked.pk,
        )
        with duplicates_refused():
            record_update(actor=actor, company=company, obj=locked, data=data, version=version)
    return locked


def unit_delete(*, actor: User, company: Company, unit: Unit) -> None:
    """Only a unit nothing uses can go; a used one is deactivated instead."""
    require_perm(actor, company, MANAGE_PRODUCT)
    with transaction.atomic():
        locked = access_unit(user=actor, company=company, id=unit.pk, for_update=True)
        record_delete(actor=actor, company=company, obj=locked)
