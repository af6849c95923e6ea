"""Checks shared by the HR services, and the one way a balance's figures move."""

from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from heyi.platform import modules
from heyi.platform.access import require_access
from heyi.platform.errors import refuse
from heyi.platform.models import Company, Employee, User
from heyi.platform.services.audit import audit_record
from heyi.platform.services.records import record_create

from ..models import LeaveBalance, LeaveType

HALF = Decimal("0.5")
MAX_DAYS = Decimal("366")


def check(actor: User | None, company: Company, *perms: str) -> None:
    """OA on, and the actor holds one of `perms` (no actor: the engine acting on a decision)."""
    require_access(actor, company, modules.OA, *perms)


def half_days(field: str, value: Any) -> Decimal:
    """A number of days in half-day steps, not negative."""
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        raise refuse(field, _("Enter a number of days."))
    if not number.is_finite() or number < 0 or number > MAX_DAYS:
        raise refuse(field, _("Enter a number of days from 0 to 366."))
    if (number / HALF) != (number / HALF).to_integral_value():
        raise refuse(field, _("Days go in steps of half a day."))
    return number.quantize(Decimal("0.1"))


def balance_locked(
    actor: User | None, company: Company, employee: Employee, leave_type: LeaveType, year: int
) -> LeaveBalance:
    """The balance row, locked; created with the kind's annual allowance the first time."""
    lookup = dict(company=company, employee=employee, leave_type=leave_type, year=year)
    found = LeaveBalance.objects.select_for_update().filter(**lookup).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            record_create(
                actor=actor,
                company=company,
                obj=LeaveBalance(
                    employee=employee, leave_type=leave_type, year=year, entitled=leave_type.annual_allowance
                ),
            )
    except IntegrityError:
        pass
    return LeaveBalance.objects.select_for_update().get(**lookup)


def balance_move(
    actor: User | None,
    company: Company,
    balance: LeaveBalance,
    *,
    pending: Decimal = Decimal(0),
    taken: Decimal = Decimal(0),
) -> None:
    """Move a locked balance's pending and taken days, audited."""
    changes = {}
    if pending:
        changes["pending"] = [str(balance.pending), str(balance.pending + pending)]
        balance.pending += pending
    if taken:
        changes["taken"] = [str(balance.taken), str(balance.taken + taken)]
        balance.taken += taken
    if not changes:
        return
    balance.save(update_fields=["pending", "taken", "updated_at"])
    audit_record(actor=actor, company=company, action="update", obj=balance, changes=changes)
