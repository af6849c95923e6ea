"""A small office on leave: a manager with two staff in one department, and an HR officer.

The leave flow: the manager approves; beyond three days HR approves as well; HR is copied.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest

from conftest import make_member
from heyi.approvals.services.templates import approval_template_create
from heyi.hr.demo import FLOW
from heyi.hr.models import LeaveType
from heyi.hr.services.types import leave_balance_set, leave_type_create
from heyi.platform.models import Company, Employee, User
from heyi.platform.services.tenancy import department_create, department_update, employee_create

# A Monday far enough ahead that cancelling an approved leave is still allowed.
MONDAY = datetime.date.today() + datetime.timedelta(days=7 - datetime.date.today().weekday() + 28)
if MONDAY.month == 12 and MONDAY.day > 20:
    MONDAY += datetime.timedelta(days=21)
YEAR = MONDAY.year


def day(offset: int) -> datetime.date:
    return MONDAY + datetime.timedelta(days=offset)


@dataclass
class Office:
    company: Company
    admin: User
    boss: User
    staff: User
    staff2: User
    hr: User
    staff_emp: Employee
    staff2_emp: Employee
    annual: LeaveType
    sick: LeaveType


@pytest.fixture
def office(company, admin) -> Office:
    dept = department_create(actor=admin, company=company, name="销售部")
    boss = make_member(company, "boss", roles=["sales_manager"])
    boss_emp = employee_create(actor=admin, company=company, name="张经理", user=boss, department=dept)
    department_update(actor=admin, company=company, department=dept, data={"manager": boss_emp}, version=None)
    staff = make_member(company, "staff", roles=["employee"])
    staff_emp = employee_create(
        actor=admin, company=company, name="陈员工", user=staff, department=dept, manager=boss_emp
    )
    staff2 = make_member(company, "staff2", roles=["sales"])
    staff2_emp = employee_create(
        actor=admin, company=company, name="李销售", user=staff2, department=dept, manager=boss_emp
    )
    hr = make_member(company, "hr", roles=["hr"])
    employee_create(actor=admin, company=company, name="冯人事", user=hr)
    annual = leave_type_create(
        actor=hr, company=company, code="annual", name="年假", annual_allowance=Decimal(5), needs_balance=True
    )
    sick = leave_type_create(actor=hr, company=company, code="sick", name="病假", needs_balance=False)
    leave_balance_set(
        actor=hr, company=company, employee=staff_emp, leave_type=annual, year=YEAR, entitled=Decimal(5)
    )
    return Office(company, admin, boss, staff, staff2, hr, staff_emp, staff2_emp, annual, sick)


@pytest.fixture
def leave_flow(office):
    return approval_template_create(
        actor=office.hr,
        company=office.company,
        code="leave",
        name="请假",
        document_type="hr.leave_request",
        flow=FLOW,
    )
