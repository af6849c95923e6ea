import datetime
import uuid
from decimal import Decimal
from typing import Literal

from ninja import Field, Schema

from heyi.platform.http.types import decimal_type

Days = decimal_type(1, 6)
Half = Literal["morning", "afternoon"]


class LeaveTypeIn(Schema):
    code: str = Field(..., min_length=1, max_length=40, pattern=r"^[-a-zA-Z0-9_]+$")
    name: str = Field(..., min_length=1, max_length=100)
    paid: bool = True
    annual_allowance: Days = Field(default=Decimal(0), description="days a year, in steps of 0.5")
    needs_balance: bool = True
    is_active: bool = True


class LeaveTypePatch(Schema):
    version: int
    code: str | None = Field(None, min_length=1, max_length=40, pattern=r"^[-a-zA-Z0-9_]+$")
    name: str | None = Field(None, min_length=1, max_length=100)
    paid: bool | None = None
    annual_allowance: Days | None = None
    needs_balance: bool | None = None
    is_active: bool | None = None


class LeaveTypeOut(Schema):
    id: uuid.UUID
    code: str
    name: str
    paid: bool
    annual_allowance: Days
    needs_balance: bool
    is_active: bool
    version: int


class LeaveBalanceSetIn(Schema):
    employee_id: uuid.UUID
    leave_type_id: uuid.UUID
    year: int = Field(..., ge=2000, le=2100)
    entitled: Days


class LeaveBalanceOut(Schema):
    id: uuid.UUID
    employee_id: uuid.UUID
    employee: str
    leave_type_id: uuid.UUID
    leave_type: str
    year: int
    entitled: Days
    taken: Days
    pending: Days
    available: Days

    @staticmethod
    def resolve_employee(obj) -> str:
        return obj.employee.name

    @staticmethod
    def resolve_leave_type(obj) -> str:
        return obj.leave_type.code


class LeaveRequestIn(Schema):
    employee_id: uuid.UUID | None = Field(
        None, description="HR only: file for this employee; default: yourself"
    )
    leave_type_id: uuid.UUID
    start_date: datetime.date
    start_half: Half = Field("morning", description="morning: the whole first day; afternoon: from noon")
    end_date: datetime.date
    end_half: Half = Field("afternoon", description="afternoon: the whole last day; morning: until noon")
    reason: str = Field("", max_length=2000)


class LeaveRequestPatch(Schema):
    version: int
    leave_type_id: uuid.UUID | None = None
    start_date: datetime.date | None = None
    start_half: Half | None = None
    end_date: datetime.date | None = None
    end_half: Half | None = None
    reason: str | None = Field(None, max_length=2000)


class LeaveWithdrawIn(Schema):
    comment: str = Field("", max_length=2000)


class LeaveRequestOut(Schema):
    id: uuid.UUID
    number: str
    employee_id: uuid.UUID
    employee: str
    leave_type_id: uuid.UUID
    leave_type: str
    start_date: datetime.date
    start_half: str
    end_date: datetime.date
    end_half: str
    days: Days
    reason: str
    state: str
    submitted_at: datetime.datetime | None
    decided_at: datetime.datetime | None
    decision_comment: str
    approval_id: uuid.UUID | None
    approval_state: str | None
    version: int
    created_at: datetime.datetime

    @staticmethod
    def resolve_employee(obj) -> str:
        return obj.employee.name

    @staticmethod
    def resolve_leave_type(obj) -> str:
        return obj.leave_type.code

    @staticmethod
    def resolve_approval_state(obj) -> str | None:
        return obj.approval.state if obj.approval_id else None


class CalendarDaysIn(Schema):
    start_date: datetime.date
    end_date: datetime.date | None = Field(None, description="the last day of a holiday of several days")
    kind: Literal["day_off", "working_day"]
    name: str = Field(..., min_length=1, max_length=60)


class CalendarDayOut(Schema):
    id: uuid.UUID
    date: datetime.date
    kind: str
    name: str
