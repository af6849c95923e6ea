import datetime
from decimal import Decimal

import pytest

from heyi.hr.workdays import half_slots, leave_days, overlaps, working_days

MON = datetime.date(2026, 3, 2)


def d(offset: int) -> datetime.date:
    return MON + datetime.timedelta(days=offset)


@pytest.mark.parametrize(
    "start, start_half, end, end_half, days",
    [
        (0, "morning", 0, "afternoon", "1"),
        (0, "morning", 0, "morning", "0.5"),
        (0, "afternoon", 0, "afternoon", "0.5"),
        (0, "morning", 4, "afternoon", "5"),
        (0, "morning", 6, "afternoon", "5"),  # the weekend is not counted
        (4, "morning", 7, "afternoon", "2"),  # Friday to Monday
        (4, "afternoon", 7, "morning", "1"),  # Friday afternoon to Monday noon
        (5, "morning", 6, "afternoon", "0"),  # a weekend only
        (5, "afternoon", 7, "afternoon", "1"),  # a half on Saturday takes nothing off
        (0, "morning", 13, "afternoon", "10"),
        (0, "afternoon", 18, "morning", "14"),
    ],
)
def test_leave_days_count_weekdays_and_half_days(start, start_half, end, end_half, days):
    assert leave_days(d(start), start_half, d(end), end_half) == Decimal(days)


def test_working_days_agrees_with_counting_day_by_day():
    for length in range(0, 40):
        for first in range(7):
            start, end = d(first), d(first + length)
            expected = sum(1 for i in range(length + 1) if (start + datetime.timedelta(days=i)).weekday() < 5)
            assert working_days(start, end) == expected


def test_a_morning_and_an_afternoon_of_one_day_do_not_overlap():
    morning = half_slots(d(0), "morning", d(0), "morning")
    afternoon = half_slots(d(0), "afternoon", d(0), "afternoon")
    whole = half_slots(d(0), "morning", d(0), "afternoon")
    assert not overlaps(morning, afternoon)
    assert overlaps(whole, afternoon) and overlaps(morning, whole)
    assert overlaps(
        half_slots(d(0), "afternoon", d(2), "morning"), half_slots(d(2), "morning", d(3), "afternoon")
    )
    assert not overlaps(
        half_slots(d(0), "afternoon", d(2), "morning"), half_slots(d(2), "afternoon", d(3), "afternoon")
    )
