"""What HR tells other apps: a leave was approved or an approved leave cancelled (the calendar
shows who is away from these)."""

import dataclasses
import datetime
from decimal import Decimal

from heyi.platform.eventbus import DomainEvent, event_type


@dataclasses.dataclass(frozen=True, kw_only=True)
class LeaveEvent(DomainEvent):
    """The halves say whether the first day starts in the morning or the afternoon and whether
    the last day ends at noon (`morning`) or in the evening (`afternoon`)."""

    number: str
    employee_id: str
    user_id: str | None
    leave_type: str
    start_date: datetime.date
    start_half: str
    end_date: datetime.date
    end_half: str
    days: Decimal


@event_type
@dataclasses.dataclass(frozen=True, kw_only=True)
class LeaveApproved(LeaveEvent):
    type = "hr.leave_approved"


@event_type
@dataclasses.dataclass(frozen=True, kw_only=True)
class LeaveCancelled(LeaveEvent):
    type = "hr.leave_cancelled"
