"""Leave endpoints (OA module): leave requests, leave types, balances and the work calendar."""

import uuid

from django.http import HttpRequest
from ninja import Router, Status

from heyi.platform import modules
from heyi.platform.access import access_employee
from heyi.platform.api import ERRORS
from heyi.platform.errors import NotFound
from heyi.platform.http.auth import api_auth
from heyi.platform.http.pagination import ordered, paginate, text_search
from heyi.platform.models import Employee
from heyi.platform.schemas import page_of

from . import access, selectors
from .models import LeaveRequest
from .schemas import (
    CalendarDayOut,
    CalendarDaysIn,
    LeaveBalanceOut,
    LeaveBalanceSetIn,
    LeaveRequestIn,
    LeaveRequestOut,
    LeaveRequestPatch,
    LeaveTypeIn,
    LeaveTypeOut,
    LeaveTypePatch,
    LeaveWithdrawIn,
)
from .services import calendar, requests, types

router = Router(auth=api_auth(modules.OA), tags=["hr"])


def _leave(request: HttpRequest, id: uuid.UUID) -> LeaveRequest:
    return access.access_leave_request(user=request.actor, company=request.company, id=id)


def _employee(request: HttpRequest, id: uuid.UUID | None) -> Employee | None:
    """An employee of the caller's company; HR may name anyone, others only themselves."""
    if id is None:
        return None
    found = Employee.objects.filter(company=request.company, pk=id).first()
    if found is None:
        raise NotFound()
    return found


# Leave requests


@router.get("/leave-requests", response={200: page_of(LeaveRequestOut), **ERRORS})
def leave_request_list(
    request: HttpRequest,
    q: str = "",
    state: str = "",
    employee: uuid.UUID | None = None,
    ordering: str = "-start_date",
):
    """Your own leave requests (and those you approve); HR sees everyone's."""
    qs = selectors.leave_request_list(user=request.actor, company=request.company)
    if state:
        qs = qs.filter(state=state[:20])
    if employee is not None:
        qs = qs.filter(employee_id=employee)
    qs = text_search(qs, q, ["number", "employee__name", "reason"])
    return paginate(
        request, ordered(qs, ordering, ["number", "start_date", "created_at", "days"], "-start_date")
    )


@router.post("/leave-requests", response={201: LeaveRequestOut, **ERRORS})
def leave_request_create(request: HttpRequest, payload: LeaveRequestIn):
    """A draft leave request; `days` are counted Monday to Friday, half days as 0.5."""
    return Status(
        201,
        requests.leave_request_create(
            actor=request.actor,
            company=request.company,
            employee=_employee(request, payload.employee_id),
            leave_type=access.access_leave_type(
                user=request.actor, company=request.company, id=payload.leave_type_id
            ),
            start_date=payload.start_date,
            start_half=payload.start_half,
            end_date=payload.end_date,
            end_half=payload.end_half,
            reason=payload.reason,
        ),
    )


@router.get("/leave-requests/{leave_request_id}", response={200: LeaveRequestOut, **ERRORS})
def leave_request_detail(request: HttpRequest, leave_request_id: uuid.UUID):
    return _leave(request, leave_request_id)


@router.patch("/leave-requests/{leave_request_id}", response={200: LeaveRequestOut, **ERRORS})
def leave_request_update(request: HttpRequest, leave_request_id: uuid.UUID, payload: LeaveRequestPatch):
    leave = _leave(request, leave_request_id)
    data = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None and k != "version"}
    if "leave_type_id" in data:
        data["leave_type"] = access.access_leave_type(
            user=request.actor, company=request.company, id=data.pop("leave_type_id")
        )
    return requests.leave_request_update(
        actor=request.actor, company=request.company, leave_request=leave, data=data, version=payload.version
    )


@router.post("/leave-requests/{leave_request_id}/submit", response={200: LeaveRequestOut, **ERRORS})
def leave_request_submit(request: HttpRequest, leave_request_id: uuid.UUID):
    """Reserve the days and send for approval (422 `insufficient_leave_balance`, `leave_overlap`)."""
    return requests.leave_request_submit(
        actor=request.actor, company=request.company, leave_request=_leave(request, leave_request_id)
    )


@router.post("/leave-requests/{leave_request_id}/withdraw", response={200: LeaveRequestOut, **ERRORS})
def leave_request_withdraw(request: HttpRequest, leave_request_id: uuid.UUID, payload: LeaveWithdrawIn):
    """Take the request back from approval before anyone has decided; the days are freed."""
    return requests.leave_request_withdraw(
        actor=request.actor,
        company=request.company,
        leave_request=_leave(request, leave_request_id),
        comment=payload.comment,
    )


@router.post("/leave-requests/{leave_request_id}/cancel", response={200: LeaveRequestOut, **ERRORS})
def leave_request_cancel(request: HttpRequest, leave_request_id: uuid.UUID):
    """Drop a draft, or call off an approved leave before its first day (422 `leave_started`)."""
    return requests.leave_request_cancel(
        actor=request.actor, company=request.company, leave_request=_leave(request, leave_request_id)
    )


# Leave types


@router.get("/leave-types", response={200: page_of(LeaveTypeOut), **ERRORS})
def leave_type_list(request: HttpRequest, q: str = ""):
    qs = access.leave_types_visible(user=request.actor, company=request.company)
    return paginate(request, text_search(qs, q, ["code", "name"]).order_by("code", "pk"))


@router.post("/leave-types", response={201: LeaveTypeOut, **ERRORS})
def leave_type_create(request: HttpRequest, payload: LeaveTypeIn):
    return Status(
        201, types.leave_type_create(actor=request.actor, company=request.company, **payload.dict())
    )


@router.patch("/leave-types/{leave_type_id}", response={200: LeaveTypeOut, **ERRORS})
def leave_type_update(request: HttpRequest, leave_type_id: uuid.UUID, payload: LeaveTypePatch):
    leave_type = access.access_leave_type(user=request.actor, company=request.company, id=leave_type_id)
    data = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None and k != "version"}
    return types.leave_type_update(
        actor=request.actor,
        company=request.company,
        leave_type=leave_type,
        data=data,
        version=payload.version,
    )


# Balances


@router.get("/leave-balances", response={200: page_of(LeaveBalanceOut), **ERRORS})
def leave_balance_list(request: HttpRequest, year: int | None = None, employee: uuid.UUID | None = None):
    """Your own balances; HR sees everyone's. Rows exist once HR set them or leave was submitted."""
    qs = selectors.leave_balance_list(user=request.actor, company=request.company)
    if year is not None:
        qs = qs.filter(year=year)
    if employee is not None:
        qs = qs.filter(employee_id=employee)
    return paginate(request, qs.order_by("-year", "employee__name", "leave_type__code", "pk"))


@router.post("/leave-balances", response={200: LeaveBalanceOut, **ERRORS})
def leave_balance_set(request: HttpRequest, payload: LeaveBalanceSetIn):
    """HR sets an employee's entitled days of a kind of leave for a year."""
    return types.leave_balance_set(
        actor=request.actor,
        company=request.company,
        employee=access_employee(user=request.actor, company=request.company, id=payload.employee_id),
        leave_type=access.access_leave_type(
            user=request.actor, company=request.company, id=payload.leave_type_id
        ),
        year=payload.year,
        entitled=payload.entitled,
    )


# Work calendar


@router.get("/work-calendar-days", response={200: page_of(CalendarDayOut), **ERRORS})
def calendar_day_list(request: HttpRequest, year: int | None = None):
    """The public holidays and worked weekends leave is counted by, by date."""
    qs = access.calendar_days_visible(user=request.actor, company=request.company)
    if year is not None:
        qs = qs.filter(date__year=year)
    return paginate(request, qs.order_by("date", "pk"))


@router.post("/work-calendar-days", response={201: list[CalendarDayOut], **ERRORS})
def calendar_days_set(request: HttpRequest, payload: CalendarDaysIn):
    """HR marks a date, or every date of a holiday, as a day off or a working day."""
    return Status(
        201,
        calendar.calendar_days_set(
            actor=request.actor,
            company=request.company,
            start=payload.start_date,
            end=payload.end_date,
            kind=payload.kind,
            name=payload.name,
        ),
    )


@router.delete("/work-calendar-days/{calendar_day_id}", response={204: None, **ERRORS})
def calendar_day_delete(request: HttpRequest, calendar_day_id: uuid.UUID):
    """The date follows the plain week again."""
    day = access.access_calendar_day(user=request.actor, company=request.company, id=calendar_day_id)
    calendar.calendar_day_delete(actor=request.actor, company=request.company, day=day)
    return Status(204, None)
