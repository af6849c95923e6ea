"""What HR keeps: the kinds of leave and each employee's yearly entitlement."""

from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from heyi.platform.access import ours
from heyi.platform.errors import DuplicateValue
from heyi.platform.models import Company, Employee, User
from heyi.platform.retrying import retry_when_busy
from heyi.platform.services.records import record_create, record_update

from ..models import LeaveBalance, LeaveType
from ..permissions import MANAGE_LEAVE
from ._common import balance_locked, check, half_days, refuse

TYPE_FIELDS = {"code", "name", "paid", "annual_allowance", "needs_balance", "is_active"}


def _duplicate_code() -> DuplicateValue:
    return DuplicateValue(fields={"code": [_("Another leave type has this code.")]})


@retry_when_busy
def leave_type_create(
    *,
    actor: User | None,
    company: Company,
    code: str,
    name: str,
    paid: bool = True,
    annual_allowance: Decimal = Decimal(0),
    needs_balance: bool = True,
    is_active: bool = True,
) -> LeaveType:
    check(actor, company, MANAGE_LEAVE)
    leave_type = LeaveType(
        code=code,
        name=name,
        paid=paid,
        annual_allowance=half_days("annual_allowance", annual_allowance),
        needs_balance=needs_balance,
        is_active=is_active,
    )
    if LeaveType.objects.filter(company=company, code=code).exists():
        raise _duplicate_code()
    try:
        with transaction.atomic():
            return record_create(actor=actor, company=company, obj=leave_type)
    except IntegrityError:
        raise _duplicate_code()


@retry_when_busy
def leave_type_update(
    *, actor: User | None, company: Company, leave_type: LeaveType, data: dict[str, Any], version: int | None
) -> LeaveType:
    """Change a kind of leave; a new allowance applies to balances created from now on."""
    check(actor, company, MANAGE_LEAVE)
    data = {k: v for k, v in data.items() if k in TYPE_FIELDS}
    if "annual_allowance" in data:
        data["annual_allowance"] = half_days("annual_allowance", data["annual_allowance"])
    try:
        with transaction.atomic():
            locked = LeaveType.objects.select_for_update().get(company=company, pk=leave_type.pk)
            code = data.get("code", locked.code)
            if LeaveType.objects.filter(company=company, code=code).exclude(pk=locked.pk).exists():
                raise _duplicate_code()
            record_update(actor=actor, company=company, obj=locked, data=data, version=version)
    except IntegrityError:
        raise _duplicate_code()
    return locked


@retry_when_busy
def leave_balance_set(
    *,
    actor: User | None,
    company: Company,
    employee: Employee,
    leave_type: LeaveType,
    year: int,
    entitled: Decimal,
) -> LeaveBalance:
    """HR sets an employee's entitlement for a year; days taken and pending stay as they are."""
    check(actor, company, MANAGE_LEAVE)
    ours(company, "employee", employee, required=True)
    ours(company, "leave_type", leave_type, required=True)
    if not 2000 <= int(year) <= 2100:
        raise refuse("year", _("Enter a year between 2000 and 2100."))
    days = half_days("entitled", entitled)
    with transaction.atomic():
        balance = balance_locked(actor, company, employee, leave_type, int(year))
        record_update(actor=actor, company=company, obj=balance, data={"entitled": days}, version=None)
    return balance
