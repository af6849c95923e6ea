"""Demo leave for 示例科技有限公司: this year's public holidays in the work calendar, three kinds
of leave, this year's balances, a leave flow (the manager approves, HR as well beyond three
days, HR copied), one approved leave and one waiting for the manager. The second demo company
has no OA."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from heyi.approvals.services.tasks import approval_task_approve
from heyi.approvals.services.templates import approval_template_create
from heyi.platform import modules
from heyi.platform.access import module_enabled
from heyi.platform.models import Company

from .access import DOCUMENT_TYPE
from .models import CalendarDay, LeaveType
from .services.calendar import calendar_days_set
from .services.requests import leave_request_create, leave_request_submit
from .services.types import leave_balance_set, leave_type_create

D = Decimal

# code, name, paid, annual allowance, limited by balance
TYPES = [
    ("annual", "年假", True, "5", True),
    ("sick", "病假", True, "0", False),
    ("personal", "事假", False, "0", False),
]

FLOW = {
    "nodes": [
        {"id": "start", "type": "start", "next": "manager"},
        {
            "id": "manager",
            "type": "approve",
            "name": "直属主管审批",
            "approvers": [{"kind": "manager", "levels": 1}],
            "next": "long",
        },
        {
            "id": "long",
            "type": "condition",
            "name": "超过3天",
            "branches": [
                {"name": "超过3天", "when": [{"field": "days", "op": "gt", "value": "3"}], "next": "hr"}
            ],
            "default": "cc",
        },
        {
            "id": "hr",
            "type": "approve",
            "name": "人事审批",
            "approvers": [{"kind": "role", "role": "hr"}],
            "next": "cc",
        },
        {
            "id": "cc",
            "type": "cc",
            "name": "抄送人事",
            "recipients": [{"kind": "role", "role": "hr"}],
            "next": "end",
        },
        {"id": "end", "type": "end"},
    ],
    "empty_approver": "admin",
}


def _week_days(monday: datetime.date, first: int, last: int) -> tuple[datetime.date, datetime.date]:
    """Days `first`..`last` (0 = Monday) of a week, moved a week on when they straddle New Year."""
    start, end = monday + datetime.timedelta(days=first), monday + datetime.timedelta(days=last)
    if start.year != end.year:
        return _week_days(monday + datetime.timedelta(days=7), first, last)
    return start, end


def _calendar(hr, company: Company, year: int) -> None:
    """The fixed-date public holidays of the year and a weekend worked after National Day."""
    for start, end, name in (
        ((1, 1), (1, 1), "元旦"),
        ((5, 1), (5, 5), "劳动节"),
        ((10, 1), (10, 7), "国庆节"),
    ):
        calendar_days_set(
            actor=hr,
            company=company,
            start=datetime.date(year, *start),
            end=datetime.date(year, *end),
            kind=CalendarDay.Kind.DAY_OFF,
            name=name,
        )
    saturday = datetime.date(year, 10, 8) + datetime.timedelta(
        days=(5 - datetime.date(year, 10, 8).weekday()) % 7
    )
    calendar_days_set(
        actor=hr,
        company=company,
        start=saturday,
        end=None,
        kind=CalendarDay.Kind.WORKING_DAY,
        name="国庆节调休上班",
    )


def load(company: Company, people: dict) -> None:
    if not module_enabled(company, modules.OA):
        return
    users, employees = people["users"], people["employees"]
    hr = users.get("hr")
    if hr is None or not {"employee", "sales", "sales_manager"} <= set(users):
        return
    today = timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday())
    with transaction.atomic():
        _calendar(hr, company, today.year)
        kinds: dict[str, LeaveType] = {}
        for code, name, paid, allowance, needs_balance in TYPES:
            kinds[code] = leave_type_create(
                actor=hr,
                company=company,
                code=code,
                name=name,
                paid=paid,
                annual_allowance=D(allowance),
                needs_balance=needs_balance,
            )
        for username, employee in employees.items():
            entitled = D("10") if username == "admin" else D("5")
            leave_balance_set(
                actor=hr,
                company=company,
                employee=employee,
                leave_type=kinds["annual"],
                year=today.year,
                entitled=entitled,
            )
        approval_template_create(
            actor=hr,
            company=company,
            code="leave",
            name="请假",
            category="人事",
            description="直属主管审批；超过3天再由人事审批；抄送人事。",
            document_type=DOCUMENT_TYPE,
            flow=FLOW,
        )
        start, end = _week_days(monday - datetime.timedelta(days=14), 3, 4)
        approved = leave_request_create(
            actor=users["employee"],
            company=company,
            leave_type=kinds["annual"],
            start_date=start,
            end_date=end,
            end_half="morning",
            reason="回老家办事",
        )
        approved = leave_request_submit(actor=users["employee"], company=company, leave_request=approved)
        if approved.approval is not None and approved.approval.is_open:
            approval_task_approve(
                actor=users["sales_manager"], company=company, instance=approved.approval, comment="同意"
            )
        start, end = _week_days(monday + datetime.timedelta(days=14), 0, 3)
        pending = leave_request_create(
            actor=users["sales"],
            company=company,
            leave_type=kinds["annual"],
            start_date=start,
            end_date=end,
            reason="带家人出游",
        )
        leave_request_submit(actor=users["sales"], company=company, leave_request=pending)
