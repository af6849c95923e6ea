"""Leave requests (请假单): filed in draft, submitted into the approval engine, decided by it,
withdrawn while undecided, and cancelled (an approved leave not yet begun gives its days back).

A submitted request reserves its days as `pending` on the employee's balance for the year; the
engine's final decision moves them to `taken` (approved) or releases them (rejected, withdrawn).
"""

import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from heyi.approvals.services.instances import approval_start, approval_withdraw
from heyi.platform.access import ours
from heyi.platform.errors import InvalidTransition, NotPermitted
from heyi.platform.eventbus import publish
from heyi.platform.models import Company, Employee, User
from heyi.platform.retrying import retry_when_busy
from heyi.platform.services.numbering import number_next
from heyi.platform.services.records import check_version, record_create, record_transition, record_update

from ..access import DOCUMENT_TYPE, access_leave_request, is_hr
from ..errors import (
    InsufficientLeaveBalance,
    LeaveOverlap,
    LeaveSpansYears,
    LeaveStarted,
    LeaveTypeInactive,
    NoEmployeeRecord,
    NoWorkingDays,
)
from ..events import LeaveApproved, LeaveCancelled, LeaveEvent
from ..models import LeaveRequest, LeaveType
from ..permissions import MANAGE_LEAVE, REQUEST_LEAVE
from ..selectors import calendar_between, employee_of, overlapping_leave
from ..workdays import AFTERNOON, MORNING, leave_days
from ._common import balance_locked, balance_move, check, refuse

State = LeaveRequest.State
HALVES = (MORNING, AFTERNOON)
SPAN_FIELDS = ("leave_type", "start_date", "start_half", "end_date", "end_half")
EDIT_FIELDS = {*SPAN_FIELDS, "reason"}


def _days_checked(company: Company, start: Any, start_half: Any, end: Any, end_half: Any) -> Decimal:
    if not isinstance(start, datetime.date):
        raise refuse("start_date", _("Enter a date."))
    if not isinstance(end, datetime.date):
        raise refuse("end_date", _("Enter a date."))
    if start_half not in HALVES:
        raise refuse("start_half", _("Choose morning or afternoon."))
    if end_half not in HALVES:
        raise refuse("end_half", _("Choose morning or afternoon."))
    if end < start:
        raise refuse("end_date", _("The leave ends before it starts."))
    if end == start and start_half == AFTERNOON and end_half == MORNING:
        raise refuse(
            "end_half", _("A leave of one day cannot end in the morning when it starts in the afternoon.")
        )
    if end.year != start.year:
        raise LeaveSpansYears(fields={"end_date": [str(LeaveSpansYears.default_message)]})
    days = leave_days(start, start_half, end, end_half, calendar_between(company, start, end))
    if days <= 0:
        raise NoWorkingDays(fields={"start_date": [str(NoWorkingDays.default_message)]})
    return days.quantize(Decimal("0.1"))


def _type_checked(company: Company, leave_type: LeaveType) -> None:
    ours(company, "leave_type", leave_type, required=True)
    if not leave_type.is_active:
        raise LeaveTypeInactive(fields={"leave_type": [str(LeaveTypeInactive.default_message)]})


def _employee_for(actor: User, company: Company, employee: Employee | None) -> Employee:
    """The actor's own employee record, or (for HR) the employee named."""
    mine = employee_of(company, actor)
    if employee is None or (mine is not None and employee.pk == mine.pk):
        if mine is None:
            raise NoEmployeeRecord()
        return mine
    if not is_hr(actor, company):
        raise NotPermitted(_("Only HR can file leave for someone else."), permission=MANAGE_LEAVE)
    ours(company, "employee", employee, required=True)
    if not employee.is_active:
        raise refuse("employee", _("This employee is no longer active."))
    return employee


def _may_act(actor: User, company: Company, leave: LeaveRequest) -> None:
    """The employee, whoever filed the request, or HR; an approver who can see it cannot change it."""
    if is_hr(actor, company) or leave.created_by_id == actor.pk:
        return
    if leave.employee.user_id != actor.pk:
        raise NotPermitted(_("Only the employee or HR can change this leave request."))


def _overlap_checked(company: Company, leave: LeaveRequest) -> None:
    other = overlapping_leave(
        company,
        leave.employee,
        leave.start_date,
        leave.start_half,
        leave.end_date,
        leave.end_half,
        exclude=leave if leave.pk else None,
    )
    if other is not None:
        raise LeaveOverlap(
            _("This leave overlaps %(number)s (%(start)s to %(end)s).")
            % {"number": other.number, "start": other.start_date, "end": other.end_date},
            fields={"start_date": [str(LeaveOverlap.default_message)]},
        )


@retry_when_busy
def leave_request_create(
    *,
    actor: User,
    company: Company,
    leave_type: LeaveType,
    start_date: datetime.date,
    end_date: datetime.date,
    start_half: str = MORNING,
    end_half: str = AFTERNOON,
    reason: str = "",
    employee: Employee | None = None,
) -> LeaveRequest:
    """A draft request for the actor's own leave, or (HR) for the employee named."""
    check(actor, company, REQUEST_LEAVE, MANAGE_LEAVE)
    who = _employee_for(actor, company, employee)
    _type_checked(company, leave_type)
    days = _days_checked(company, start_date, start_half, end_date, end_half)
    leave = LeaveRequest(
        employee=who,
        leave_type=leave_type,
        start_date=start_date,
        start_half=start_half,
        end_date=end_date,
        end_half=end_half,
        days=days,
        reason=reason.strip(),
        created_by=actor,
    )
    with transaction.atomic():
        leave.company = company
        _overlap_checked(company, leave)
        leave.number = number_next(company=company, doc_type="hr.leave_request", prefix="QJ")
        return record_create(actor=actor, company=company, obj=leave, validate_exclude=["approval"])


@retry_when_busy
def leave_request_update(
    *, actor: User, company: Company, leave_request: LeaveRequest, data: dict[str, Any], version: int | None
) -> LeaveRequest:
    """Change a draft (or withdrawn) request; the days are counted again."""
    check(actor, company, REQUEST_LEAVE, MANAGE_LEAVE)
    data = {k: v for k, v in data.items() if k in EDIT_FIELDS}
    if "reason" in data:
        data["reason"] = (data["reason"] or "").strip()
    with transaction.atomic():
        locked = access_leave_request(user=actor, company=company, id=leave_request.pk, for_update=True)
        _may_act(actor, company, locked)
        check_version(locked, version)
        if locked.state not in LeaveRequest.EDITABLE:
            raise InvalidTransition(_("Only a draft or withdrawn request can be changed."))
        if "leave_type" in data and data["leave_type"].pk != locked.leave_type_id:
            _type_checked(company, data["leave_type"])
        span = {name: data.get(name, getattr(locked, name)) for name in SPAN_FIELDS[1:]}
        data["days"] = _days_checked(
            company, span["start_date"], span["start_half"], span["end_date"], span["end_half"]
        )
        record_update(actor=actor, company=company, obj=locked, data=data, version=version)
    return locked


def _transition(actor: User | None, company: Company, leave: LeaveRequest, new: str) -> None:
    record_transition(
        actor=actor, company=company, obj=leave, field="state", new=new, allowed=LeaveRequest.TRANSITIONS
    )


def _event(cls: type[LeaveEvent], actor: User | None, company: Company, leave: LeaveRequest) -> None:
    publish(
        cls(
            company_id=company.pk,
            actor_id=actor.pk if actor is not None else None,
            subject_type=DOCUMENT_TYPE,
            subject_id=str(leave.pk),
            number=leave.number,
            employee_id=str(leave.employee_id),
            user_id=str(leave.employee.user_id) if leave.employee.user_id else None,
            leave_type=leave.leave_type.code,
            start_date=leave.start_date,
            start_half=leave.start_half,
            end_date=leave.end_date,
            end_half=leave.end_half,
            days=leave.days,
        )
    )


def _balance(actor: User | None, company: Company, leave: LeaveRequest):
    return balance_locked(actor, company, leave.employee, leave.leave_type, leave.start_date.year)


def _approve(actor: User | None, company: Company, leave: LeaveRequest, comment: str = "") -> None:
    balance_move(actor, company, _balance(actor, company, leave), pending=-leave.days, taken=leave.days)
    leave.decided_at = timezone.now()
    leave.decision_comment = comment
    _transition(actor, company, leave, State.APPROVED)
    _event(LeaveApproved, actor, company, leave)


@retry_when_busy
def leave_request_submit(*, actor: User, company: Company, leave_request: LeaveRequest) -> LeaveRequest:
    """Reserve the days and ask for approval; without an approval flow the leave is approved at once.

    The approval is asked in the employee's name (when they sign in), so that a flow's
    "manager" is the employee's manager even when HR filed the request."""
    check(actor, company, REQUEST_LEAVE, MANAGE_LEAVE)
    with transaction.atomic():
        locked = access_leave_request(user=actor, company=company, id=leave_request.pk, for_update=True)
        _may_act(actor, company, locked)
        if locked.state not in LeaveRequest.EDITABLE:
            raise InvalidTransition(current=locked.state, target=State.SUBMITTED)
        Employee.objects.select_for_update().get(company=company, pk=locked.employee_id)
        _type_checked(company, locked.leave_type)
        _overlap_checked(company, locked)
        locked.days = _days_checked(
            company, locked.start_date, locked.start_half, locked.end_date, locked.end_half
        )
        balance = _balance(actor, company, locked)
        if locked.leave_type.needs_balance and locked.days > balance.available:
            raise InsufficientLeaveBalance(
                _("%(days)s days asked, %(left)s days of %(type)s left for %(year)s.")
                % {
                    "days": locked.days,
                    "left": balance.available,
                    "type": locked.leave_type.name,
                    "year": balance.year,
                },
                requested=str(locked.days),
                available=str(balance.available),
            )
        balance_move(actor, company, balance, pending=locked.days)
        locked.submitted_at = timezone.now()
        locked.decided_at = None
        locked.decision_comment = ""
        _transition(actor, company, locked, State.SUBMITTED)
        submitter = locked.employee.user or actor
        instance = approval_start(
            actor=submitter, company=company, document_type=DOCUMENT_TYPE, document=locked
        )
        if instance is not None:
            locked.approval = instance
            locked.save(update_fields=["approval", "updated_at"])
        if instance is None or not instance.is_open:
            _approve(actor, company, locked)
    return locked


@retry_when_busy
def leave_request_withdraw(
    *, actor: User, company: Company, leave_request: LeaveRequest, comment: str = ""
) -> LeaveRequest:
    """Take a request back from approval before anyone has decided on it; its days are freed."""
    check(actor, company, REQUEST_LEAVE, MANAGE_LEAVE)
    with transaction.atomic():
        locked = access_leave_request(user=actor, company=company, id=leave_request.pk, for_update=True)
        _may_act(actor, company, locked)
        if locked.state != State.SUBMITTED:
            raise InvalidTransition(current=locked.state, target=State.WITHDRAWN)
        if locked.approval is not None and locked.approval.is_open:
            approval_withdraw(actor=actor, company=company, instance=locked.approval, comment=comment)
            locked.refresh_from_db()
        else:
            _withdrawn(actor, company, locked)
    return locked


def _withdrawn(actor: User | None, company: Company, leave: LeaveRequest) -> None:
    balance_move(actor, company, _balance(actor, company, leave), pending=-leave.days)
    _transition(actor, company, leave, State.WITHDRAWN)


def _locked_for_engine(company: Company, leave_request: LeaveRequest) -> LeaveRequest:
    check(None, company)
    locked = LeaveRequest.objects.select_for_update().get(company=company, pk=leave_request.pk)
    if locked.state != State.SUBMITTED:
        raise InvalidTransition(current=locked.state, target="decided")
    return locked


def leave_request_approved(
    *, actor: User | None, company: Company, leave_request: LeaveRequest
) -> LeaveRequest:
    """The engine's callback on the final approval (it has checked the approver)."""
    with transaction.atomic():
        locked = _locked_for_engine(company, leave_request)
        _approve(actor, company, locked)
    return locked


def leave_request_rejected(
    *, actor: User | None, company: Company, leave_request: LeaveRequest, comment: str = ""
) -> LeaveRequest:
    """The engine's callback on a rejection: the reserved days are freed, the reason kept."""
    with transaction.atomic():
        locked = _locked_for_engine(company, leave_request)
        balance_move(actor, company, _balance(actor, company, locked), pending=-locked.days)
        locked.decided_at = timezone.now()
        locked.decision_comment = comment
        _transition(actor, company, locked, State.REJECTED)
    return locked


def leave_request_withdrawn(
    *, actor: User | None, company: Company, leave_request: LeaveRequest
) -> LeaveRequest:
    """The engine's callback when the submitter withdrew the approval request."""
    with transaction.atomic():
        locked = _locked_for_engine(company, leave_request)
        _withdrawn(actor, company, locked)
    return locked


@retry_when_busy
def leave_request_cancel(*, actor: User, company: Company, leave_request: LeaveRequest) -> LeaveRequest:
    """Drop a draft, or call off an approved leave before its first day (its days come back)."""
    check(actor, company, REQUEST_LEAVE, MANAGE_LEAVE)
    with transaction.atomic():
        locked = access_leave_request(user=actor, company=company, id=leave_request.pk, for_update=True)
        _may_act(actor, company, locked)
        if locked.state == State.SUBMITTED:
            raise InvalidTransition(_("Withdraw the request from approval first."))
        if locked.state == State.APPROVED:
            if locked.start_date <= timezone.localdate():
                raise LeaveStarted()
            balance_move(actor, company, _balance(actor, company, locked), taken=-locked.days)
            _transition(actor, company, locked, State.CANCELLED)
            _event(LeaveCancelled, actor, company, locked)
        else:
            _transition(actor, company, locked, State.CANCELLED)
    return locked
