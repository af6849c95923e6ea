"""The door to leave on a user's behalf (OA module).

A request is seen by its employee, by whoever filed it, by the people its approval involves
(their approval requests lead here) and by HR (`hr.manage_leave`). Balances: one's own, or
everyone's for HR. Another company's record is simply not found.
"""

import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet

from heyi.approvals.access import instances_visible
from heyi.approvals.permissions import SUBMIT
from heyi.platform import modules
from heyi.platform.access import has_perm, require_module, require_perm
from heyi.platform.errors import NotFound
from heyi.platform.models import Company, User

from .models import CalendarDay, LeaveBalance, LeaveRequest, LeaveType
from .permissions import MANAGE_LEAVE, REQUEST_LEAVE

DOCUMENT_TYPE = "hr.leave_request"


def is_hr(user: User, company: Company) -> bool:
    return has_perm(user, company, MANAGE_LEAVE)


def _reader(user: User, company: Company) -> bool:
    """True for HR; otherwise the user must at least request leave."""
    require_module(company, modules.OA)
    if is_hr(user, company):
        return True
    require_perm(user, company, REQUEST_LEAVE)
    return False


def _approval_document_ids(user: User, company: Company) -> list[uuid.UUID]:
    if not has_perm(user, company, SUBMIT):
        return []
    ids = instances_visible(user=user, company=company).filter(document_type=DOCUMENT_TYPE)
    found = []
    for value in ids.values_list("document_id", flat=True):
        try:
            found.append(uuid.UUID(value))
        except ValueError:
            continue
    return found


def leave_requests_visible(*, user: User, company: Company) -> QuerySet[LeaveRequest]:
    """HR sees every request; whoever may request leave sees their own and those they approve;
    anyone else none (search and attachments ask this of every member)."""
    base = LeaveRequest.objects.filter(company=company)
    require_module(company, modules.OA)
    if is_hr(user, company):
        return base
    if not has_perm(user, company, REQUEST_LEAVE):
        return base.none()
    return base.filter(
        Q(employee__user=user) | Q(created_by=user) | Q(pk__in=_approval_document_ids(user, company))
    )


def access_leave_request(*, user: User, company: Company, id: Any, for_update: bool = False) -> LeaveRequest:
    try:
        found = leave_requests_visible(user=user, company=company).get(pk=id)
    except (LeaveRequest.DoesNotExist, ValueError, TypeError, ValidationError):
        raise NotFound()
    if for_update:
        return LeaveRequest.objects.select_for_update().get(pk=found.pk)
    return found


def leave_types_visible(*, user: User, company: Company) -> QuerySet[LeaveType]:
    """Everyone sees the kinds on offer; HR also the retired ones."""
    base = LeaveType.objects.filter(company=company)
    return base if _reader(user, company) else base.filter(is_active=True)


def access_leave_type(*, user: User, company: Company, id: Any, for_update: bool = False) -> LeaveType:
    try:
        found = leave_types_visible(user=user, company=company).get(pk=id)
    except (LeaveType.DoesNotExist, ValueError, TypeError, ValidationError):
        raise NotFound()
    if for_update:
        return LeaveType.objects.select_for_update().get(pk=found.pk)
    return found


def leave_balances_visible(*, user: User, company: Company) -> QuerySet[LeaveBalance]:
    base = LeaveBalance.objects.filter(company=company)
    return base if _reader(user, company) else base.filter(employee__user=user)


def calendar_days_visible(*, user: User, company: Company) -> QuerySet[CalendarDay]:
    """Everyone who may request leave sees the work calendar their leave is counted by."""
    _reader(user, company)
    return CalendarDay.objects.filter(company=company)


def access_calendar_day(*, user: User, company: Company, id: Any) -> CalendarDay:
    try:
        return calendar_days_visible(user=user, company=company).get(pk=id)
    except (CalendarDay.DoesNotExist, ValueError, TypeError, ValidationError):
        raise NotFound()
