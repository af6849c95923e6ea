"""The dates a report is asked for: checked once, for the pages and the API alike."""

import datetime

from django.utils.translation import gettext as _

from heyi.platform.errors import ValidationFailed

EARLIEST, LATEST = datetime.date(1900, 1, 1), datetime.date(2999, 12, 31)


def date_checked(field: str, value: datetime.date) -> datetime.date:
    if not EARLIEST <= value <= LATEST:
        raise ValidationFailed(
            fields={
                field: [
                    _("Enter a date between %(first)s and %(last)s.") % {"first": EARLIEST, "last": LATEST}
                ]
            }
        )
    return value


def period_checked(
    start: datetime.date, end: datetime.date, *, start_field: str = "date_from", end_field: str = "date_to"
) -> tuple[datetime.date, datetime.date]:
    date_checked(start_field, start)
    date_checked(end_field, end)
    if start > end:
        raise ValidationFailed(fields={end_field: [_("The end date is before the start date.")]})
    return start, end


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)
