"""Counting the days a leave takes: working days Monday to Friday, changed by the company's
work calendar (public holidays off, weekends worked in exchange), half days as 0.5."""

import datetime
from collections.abc import Mapping
from decimal import Decimal

HALF = Decimal("0.5")
MORNING, AFTERNOON = "morning", "afternoon"

Calendar = Mapping[datetime.date, bool]
"""The calendar's days in a span: date -> whether it is worked."""


def is_working_day(day: datetime.date, calendar: Calendar | None = None) -> bool:
    if calendar and day in calendar:
        return calendar[day]
    return day.weekday() < 5


def working_days(start: datetime.date, end: datetime.date, calendar: Calendar | None = None) -> int:
    """Working days from `start` to `end`, both included."""
    if end < start:
        return 0
    total = (end - start).days + 1
    weeks, rest = divmod(total, 7)
    count = weeks * 5
    for offset in range(rest):
        if is_working_day(start + datetime.timedelta(days=weeks * 7 + offset)):
            count += 1
    for day, worked in (calendar or {}).items():
        if start <= day <= end and worked != (day.weekday() < 5):
            count += 1 if worked else -1
    return count


def leave_days(
    start: datetime.date,
    start_half: str,
    end: datetime.date,
    end_half: str,
    calendar: Calendar | None = None,
) -> Decimal:
    """A leave starting in the afternoon leaves the first morning out; one ending in the morning
    leaves the last afternoon out."""
    days = Decimal(working_days(start, end, calendar))
    if start_half == AFTERNOON and is_working_day(start, calendar):
        days -= HALF
    if end_half == MORNING and is_working_day(end, calendar):
        days -= HALF
    return days


def half_slots(
    start: datetime.date, start_half: str, end: datetime.date, end_half: str
) -> tuple[tuple, tuple]:
    """The first and last half-day a leave covers, comparable across leaves."""
    return (start, start_half == AFTERNOON), (end, end_half == AFTERNOON)


def overlaps(a: tuple[tuple, tuple], b: tuple[tuple, tuple]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]
