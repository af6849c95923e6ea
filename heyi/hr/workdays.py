"""Counting the days a leave takes: working days Monday to Friday, half days as 0.5.

Public holidays and swapped working weekends (调休) are not known yet; the count is the plain
Monday-to-Friday count.
"""

import datetime
from decimal import Decimal

HALF = Decimal("0.5")
MORNING, AFTERNOON = "morning", "afternoon"


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5


def working_days(start: datetime.date, end: datetime.date) -> int:
    """Monday-to-Friday days from `start` to `end`, both included."""
    if end < start:
        return 0
    total = (end - start).days + 1
    weeks, rest = divmod(total, 7)
    count = weeks * 5
    for offset in range(rest):
        if is_working_day(start + datetime.timedelta(days=weeks * 7 + offset)):
            count += 1
    return count


def leave_days(start: datetime.date, start_half: str, end: datetime.date, end_half: str) -> Decimal:
    """A leave starting in the afternoon leaves the first morning out; one ending in the morning
    leaves the last afternoon out."""
    days = Decimal(working_days(start, end))
    if start_half == AFTERNOON and is_working_day(start):
        days -= HALF
    if end_half == MORNING and is_working_day(end):
        days -= HALF
    return days


def half_slots(
    start: datetime.date, start_half: str, end: datetime.date, end_half: str
) -> tuple[tuple, tuple]:
    """The first and last half-day a leave covers, comparable across leaves."""
    return (start, start_half == AFTERNOON), (end, end_half == AFTERNOON)


def overlaps(a: tuple[tuple, tuple], b: tuple[tuple, tuple]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]
