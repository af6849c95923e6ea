"""Reads of leave: lists, an employee's balances for a year, requests that would overlap."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet

from heyi.platform.models import Company, Employee, User

from .access import leave_balances_visible, leave_requests_visible
from .models import CalendarDay, LeaveBalance, LeaveRequest, LeaveType
from .workdays import half_slots, overlaps


def leave_request_list(*, user: User, company: Company) -> QuerySet[LeaveRequest]:
    return leave_requests_visible(user=user, company=company).select_related(
        "employee", "leave_type", "approval"
    )


def leave_balance_list(*, user: User, company: Company) -> QuerySet[LeaveBalance]:
    return leave_balances_visible(user=user, company=company).select_related("employee", "leave_type")


def calendar_between(company: Company, start: datetime.date, end: datetime.date) -> dict[datetime.date, bool]:
    """The work calendar's days from `start` to `end`: date -> whether it is worked."""
    rows = CalendarDay.objects.filter(company=company, date__range=(start, end)).values_list("date", "kind")
    return {day: kind == CalendarDay.Kind.WORKING_DAY for day, kind in rows}


def employee_of(company: Company, user: User) -> Employee | None:
    return Employee.objects.filter(company=company, user=user, is_active=True).first()


@dataclass(frozen=True)
class BalanceLine:
    leave_type: LeaveType
    entitled: Decimal
    taken: Decimal
    pending: Decimal

    @property
    def available(self) -> Decimal:
        return self.entitled - self.taken - self.pending


def balances_of(company: Company, employee: Employee, year: int) -> list[BalanceLine]:
    """Every active kind of leave with the employee's figures for the year; a kind without a
    balance row yet shows its annual allowance, untouched."""
    rows = {
        b.leave_type_id: b for b in LeaveBalance.objects.filter(company=company, employee=employee, year=year)
    }
    lines = []
    for leave_type in LeaveType.objects.filter(company=company, is_active=True).order_by("code"):
        row = rows.get(leave_type.pk)
        if row is None:
            lines.append(BalanceLine(leave_type, leave_type.annual_allowance, Decimal(0), Decimal(0)))
        else:
            lines.append(BalanceLine(leave_type, row.entitled, row.taken, row.pending))
    return lines


def overlapping_leave(
    company: Company,
    employee: Employee,
    start: datetime.date,
    start_half: str,
    end: datetime.date,
    end_half: str,
    exclude: LeaveRequest | None = None,
) -> LeaveRequest | None:
    """A request of the employee in approval or approved that shares a half-day with this span."""
    candidates = LeaveRequest.objects.filter(
        company=company,
        employee=employee,
        state__in=LeaveRequest.HOLDING,
        start_date__lte=end,
        end_date__gte=start,
    )
    if exclude is not None:
        candidates = candidates.exclude(pk=exclude.pk)
    span = half_slots(start, start_half, end, end_half)
    for other in candidates.order_by("start_date"):
        if overlaps(span, half_slots(other.start_date, other.start_half, other.end_date, other.end_half)):
            return other
    return None
