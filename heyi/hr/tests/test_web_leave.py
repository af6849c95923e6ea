"""The leave pages render for staff and HR, and the form files a request."""

from django.test import Client
from django.urls import reverse

from heyi.hr.models import LeaveRequest
from heyi.hr.services.requests import leave_request_create, leave_request_submit

from .conftest import day


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_my_leave_shows_balances_and_requests(office):
    leave_request_create(
        actor=office.staff,
        company=office.company,
        leave_type=office.annual,
        start_date=day(0),
        end_date=day(0),
    )
    page = _client(office.staff).get(reverse("hr:leave_request_list"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "年假" in text and "陈员工" in text


def test_the_form_files_a_request_and_shows_errors(office):
    client = _client(office.staff)
    url = reverse("hr:leave_request_create")
    assert client.get(url).status_code == 200
    data = {
        "leave_type": office.annual.pk,
        "start_date": day(5).isoformat(),
        "start_half": "morning",
        "end_date": day(6).isoformat(),
        "end_half": "afternoon",
    }
    refused = client.post(url, data)
    assert refused.status_code == 400
    data.update(start_date=day(0).isoformat(), end_date=day(0).isoformat(), end_half="morning")
    done = client.post(url, data)
    leave = LeaveRequest.objects.get(company=office.company)
    assert done.status_code == 302 and leave.days == 0.5


def test_the_detail_page_links_to_its_approval(office, leave_flow):
    leave = leave_request_create(
        actor=office.staff,
        company=office.company,
        leave_type=office.annual,
        start_date=day(0),
        end_date=day(0),
    )
    client = _client(office.staff)
    page = client.get(reverse("hr:leave_request_detail", args=[leave.pk]))
    assert page.status_code == 200
    submitted = client.post(reverse("hr:leave_request_submit", args=[leave.pk]))
    assert submitted.status_code == 302
    leave.refresh_from_db()
    page = client.get(reverse("hr:leave_request_detail", args=[leave.pk]))
    assert reverse("approvals:instance_detail", args=[leave.approval_id]) in page.content.decode()
    assert _client(office.boss).get(reverse("hr:leave_request_detail", args=[leave.pk])).status_code == 200
    assert _client(office.staff2).get(reverse("hr:leave_request_detail", args=[leave.pk])).status_code == 404


def test_hr_pages_render_and_are_closed_to_staff(office):
    hr, staff = _client(office.hr), _client(office.staff)
    for name in (
        "hr:leave_type_list",
        "hr:leave_type_create",
        "hr:leave_balance_list",
        "hr:leave_balance_set",
    ):
        assert hr.get(reverse(name)).status_code == 200, name
        assert staff.get(reverse(name)).status_code == 403, name
    assert hr.get(reverse("hr:leave_type_edit", args=[office.annual.pk])).status_code == 200
    leave = leave_request_create(
        actor=office.hr,
        company=office.company,
        employee=office.staff_emp,
        leave_type=office.sick,
        start_date=day(2),
        end_date=day(2),
    )
    leave_request_submit(actor=office.hr, company=office.company, leave_request=leave)
    assert "李销售" not in hr.get(reverse("hr:leave_request_list")).content.decode()
    assert "陈员工" in hr.get(reverse("hr:leave_request_list")).content.decode()
