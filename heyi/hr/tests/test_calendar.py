"""The work calendar: HR marks a public holiday off and a weekend worked in exchange (调休), and
leave is counted by it; staff read it, only HR keeps it, through the services, API and pages."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from conftest import ApiClient
from heyi.hr.models import CalendarDay
from heyi.hr.services.calendar import calendar_day_delete, calendar_days_set
from heyi.hr.services.requests import leave_request_create, leave_request_submit
from heyi.hr.workdays import leave_days, working_days
from heyi.platform.errors import NotPermitted, ValidationFailed
from heyi.platform.models import AuditEntry

from .conftest import day

OFF, WORKED = CalendarDay.Kind.DAY_OFF, CalendarDay.Kind.WORKING_DAY


def test_national_day_and_its_worked_saturday_change_the_count():
    calendar = {datetime.date(2026, 10, d): False for d in range(1, 8)} | {datetime.date(2026, 10, 10): True}
    assert working_days(datetime.date(2026, 9, 28), datetime.date(2026, 10, 10)) == 10
    assert working_days(datetime.date(2026, 9, 28), datetime.date(2026, 10, 10), calendar) == 6
    # a half day on a holiday takes nothing off; on the worked Saturday it does
    assert (
        leave_days(datetime.date(2026, 10, 1), "afternoon", datetime.date(2026, 10, 9), "afternoon", calendar)
        == 2
    )
    assert leave_days(
        datetime.date(2026, 10, 9), "morning", datetime.date(2026, 10, 10), "morning", calendar
    ) == Decimal("1.5")


def test_hr_marks_a_holiday_and_leave_is_counted_by_it(office):
    draft = leave_request_create(
        actor=office.staff,
        company=office.company,
        leave_type=office.annual,
        start_date=day(0),
        end_date=day(5),
    )
    assert draft.days == Decimal(5)
    marked = calendar_days_set(
        actor=office.hr, company=office.company, start=day(2), end=day(3), kind=OFF, name="  中秋节 "
    )
    assert [(d.date, d.name) for d in marked] == [(day(2), "中秋节"), (day(3), "中秋节")]
    calendar_days_set(
        actor=office.hr, company=office.company, start=day(5), end=None, kind=WORKED, name="调休上班"
    )
    again = calendar_days_set(
        actor=office.hr, company=office.company, start=day(3), end=None, kind=WORKED, name="补班"
    )
    assert (
        CalendarDay.objects.get(pk=again[0].pk).kind == WORKED
        and CalendarDay.objects.filter(company=office.company).count() == 3
    )

    submitted = leave_request_submit(actor=office.staff, company=office.company, leave_request=draft)
    assert submitted.days == Decimal(
        5
    )  # Mon, Tue, Thu (worked), Fri and the worked Saturday; Wednesday is off
    calendar_day_delete(actor=office.hr, company=office.company, day=again[0])
    later = leave_request_create(
        actor=office.staff2,
        company=office.company,
        leave_type=office.sick,
        start_date=day(2),
        end_date=day(3),
    )
    assert later.days == Decimal(1)
    actions = AuditEntry.objects.filter(company=office.company, object_type="hr.calendarday")
    assert sorted(actions.values_list("action", flat=True)) == [
        "create",
        "create",
        "create",
        "delete",
        "update",
    ]


def test_bad_marks_are_refused_and_staff_may_not_mark(office):
    refusals = [
        ({"start": day(3), "end": day(2)}, "end_date"),
        ({"start": day(0), "end": day(40)}, "end_date"),
        ({"kind": "party"}, "kind"),
        ({"name": "  "}, "name"),
        ({"start": "2026-10-01"}, "start_date"),
    ]
    for change, field in refusals:
        values = {"start": day(0), "end": None, "kind": OFF, "name": "假日"} | change
        with pytest.raises(ValidationFailed) as refused:
            calendar_days_set(actor=office.hr, company=office.company, **values)
        assert field in refused.value.fields, change
    with pytest.raises(NotPermitted):
        calendar_days_set(
            actor=office.staff, company=office.company, start=day(0), end=None, kind=OFF, name="x"
        )
    assert not CalendarDay.objects.filter(company=office.company).exists()


def test_the_api_reads_marks_and_removes_days(office, other_company, outsider):
    hr, staff = ApiClient(office.hr, office.company), ApiClient(office.staff, office.company)
    r = hr.post(
        "/work-calendar-days",
        {"start_date": day(0).isoformat(), "end_date": day(1).isoformat(), "kind": "day_off", "name": "元旦"},
    )
    assert r.status_code == 201, r.content
    assert [d["date"] for d in r.json()] == [day(0).isoformat(), day(1).isoformat()]
    listed = staff.get("/work-calendar-days", year=day(0).year).json()["items"]
    assert [(d["kind"], d["name"]) for d in listed] == [("day_off", "元旦"), ("day_off", "元旦")]
    refused = staff.post(
        "/work-calendar-days", {"start_date": day(0).isoformat(), "kind": "day_off", "name": "x"}
    )
    assert refused.status_code == 403
    bad = hr.post(
        "/work-calendar-days",
        {"start_date": day(1).isoformat(), "end_date": day(0).isoformat(), "kind": "day_off", "name": "x"},
    )
    assert bad.status_code == 400 and "end_date" in bad.json()["error"]["fields"]
    first = listed[0]["id"]
    assert ApiClient(outsider, other_company).delete(f"/work-calendar-days/{first}").status_code in (403, 404)
    assert staff.delete(f"/work-calendar-days/{first}").status_code == 403
    assert hr.delete(f"/work-calendar-days/{first}").status_code == 204
    assert CalendarDay.objects.filter(company=office.company).count() == 1


def test_the_pages_show_the_calendar_and_let_hr_keep_it(office):
    hr, staff = Client(), Client()
    hr.force_login(office.hr)
    staff.force_login(office.staff)
    form = hr.get(reverse("hr:calendar_days_set"), headers={"accept-language": "zh-hans"})
    assert form.status_code == 200 and "标记工作日历" in form.content.decode()
    done = hr.post(
        reverse("hr:calendar_days_set"),
        {
            "start_date": day(0).isoformat(),
            "end_date": day(2).isoformat(),
            "kind": "day_off",
            "name": "国庆节",
        },
    )
    assert done.status_code == 302 and CalendarDay.objects.filter(company=office.company).count() == 3
    page = staff.get(reverse("hr:calendar_day_list"), headers={"accept-language": "zh-hans"}).content.decode()
    assert "国庆节" in page and "休息日" in page and reverse("hr:calendar_days_set") not in page
    assert staff.get(reverse("hr:calendar_days_set")).status_code == 403
    first = CalendarDay.objects.filter(company=office.company).first()
    assert hr.get(reverse("hr:calendar_day_detail", args=[first.pk])).status_code == 200
    assert staff.post(reverse("hr:calendar_day_delete", args=[first.pk])).status_code == 403
    assert hr.post(reverse("hr:calendar_day_delete", args=[first.pk])).status_code == 302
    assert CalendarDay.objects.filter(company=office.company).count() == 2
