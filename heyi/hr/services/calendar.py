"""The work calendar HR keeps: public holidays and the weekends worked in exchange (调休).

Leave requests count their days with it when they are saved and again when submitted; a
request already submitted keeps the days it reserved.
"""

import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from heyi.platform.models import Company, User
from heyi.platform.retrying import retry_when_busy
from heyi.platform.services.records import record_create, record_delete, record_update

from ..models import CalendarDay
from ..permissions import MANAGE_LEAVE
from ._common import check, refuse

MAX_SPAN = 31


@retry_when_busy
def calendar_days_set(
    *, actor: User | None, company: Company, start: Any, end: Any, kind: str, name: str
) -> list[CalendarDay]:
    """Mark every date from `start` to `end` (a holiday of several days at once) as a day off
    or a working day under `name`; a date already in the calendar takes the new kind and name."""
    check(actor, company, MANAGE_LEAVE)
    if not isinstance(start, datetime.date):
        raise refuse("start_date", _("Enter a date."))
    end = start if end is None else end
    if not isinstance(end, datetime.date):
        raise refuse("end_date", _("Enter a date."))
    if end < start:
        raise refuse("end_date", _("The last day is before the first."))
    if (end - start).days >= MAX_SPAN:
        raise refuse("end_date", _("At most %(days)s days at once.") % {"days": MAX_SPAN})
    if kind not in CalendarDay.Kind.values:
        raise refuse("kind", _("Choose a day off or a working day."))
    name = (name or "").strip()
    if not name:
        raise refuse("name", _("Name the holiday, e.g. 国庆节."))
    days = [start + datetime.timedelta(days=n) for n in range((end - start).days + 1)]
    with transaction.atomic():
        existing = {
            d.date: d
            for d in CalendarDay.objects.select_for_update().filter(company=company, date__range=(start, end))
        }
        result = []
        for day in days:
            found = existing.get(day)
            if found is None:
                found = record_create(
                    actor=actor, company=company, obj=CalendarDay(date=day, kind=kind, name=name[:60])
                )
            else:
                record_update(
                    actor=actor,
                    company=company,
                    obj=found,
                    data={"kind": kind, "name": name[:60]},
                    version=None,
                )
            result.append(found)
    return result


def calendar_day_delete(*, actor: User | None, company: Company, day: CalendarDay) -> None:
    """Back to the plain week: the date is worked again if it is a weekday, off if a weekend."""
    check(actor, company, MANAGE_LEAVE)
    with transaction.atomic():
        locked = CalendarDay.objects.select_for_update().filter(company=company, pk=day.pk).first()
        if locked is not None:
            record_delete(actor=actor, company=company, obj=locked)
