"""The leave API: errors with their codes, scopes, and another company's ids not found."""

from conftest import ApiClient
from heyi.hr.models import LeaveRequest

from .conftest import YEAR, day


def _new(api, office, start=0, end=0, **extra):
    body = {
        "leave_type_id": str(office.annual.pk),
        "start_date": day(start).isoformat(),
        "end_date": day(end).isoformat(),
        **extra,
    }
    return api.post("/leave-requests", body)


def test_file_change_submit_and_cancel_a_leave(office):
    api = ApiClient(office.staff, office.company)
    r = _new(api, office, 0, 1, end_half="morning", reason="看病")
    assert r.status_code == 201, r.content
    leave = r.json()
    assert leave["days"] == "1.5" and leave["state"] == "draft" and leave["employee"] == "陈员工"
    r = api.patch(f"/leave-requests/{leave['id']}", {"version": leave["version"], "end_half": "afternoon"})
    assert r.status_code == 200 and r.json()["days"] == "2.0"
    stale = api.patch(f"/leave-requests/{leave['id']}", {"version": leave["version"], "reason": "x"})
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "stale_version"
    r = api.post(f"/leave-requests/{leave['id']}/submit")
    assert r.status_code == 200 and r.json()["state"] == "approved"
    r = api.get("/leave-balances", year=YEAR)
    row = r.json()["items"][0]
    assert (row["entitled"], row["taken"], row["available"]) == ("5.0", "2.0", "3.0")
    r = api.post(f"/leave-requests/{leave['id']}/cancel")
    assert r.status_code == 200 and r.json()["state"] == "cancelled"


def test_errors_carry_their_codes(office, leave_flow):
    api = ApiClient(office.staff, office.company)
    first = _new(api, office, 0, 3).json()
    assert api.post(f"/leave-requests/{first['id']}/submit").json()["state"] == "submitted"
    overlap = _new(api, office, 3, 4)
    assert overlap.status_code == 422 and overlap.json()["error"]["code"] == "leave_overlap"
    second = _new(api, office, 7, 8).json()
    r = api.post(f"/leave-requests/{second['id']}/submit")
    assert r.status_code == 422 and r.json()["error"]["code"] == "insufficient_leave_balance"
    r = api.post(f"/leave-requests/{first['id']}/cancel")
    assert r.status_code == 409 and r.json()["error"]["code"] == "invalid_transition"
    r = api.post(f"/leave-requests/{first['id']}/withdraw", {"comment": "改期"})
    assert r.status_code == 200 and r.json()["state"] == "withdrawn"
    weekend = _new(api, office, 5, 6)
    assert weekend.status_code == 422 and weekend.json()["error"]["code"] == "no_working_days"
    float_days = api.post("/leave-types", {"code": "x", "name": "x", "annual_allowance": 1.5})
    assert float_days.status_code in (400, 403)


def test_staff_see_their_own_requests_and_hr_sees_everyone(office):
    _new(ApiClient(office.staff, office.company), office)
    _new(ApiClient(office.staff2, office.company), office, 2, 2)
    mine = ApiClient(office.staff2, office.company).get("/leave-requests").json()
    assert [i["employee"] for i in mine["items"]] == ["李销售"]
    everyone = ApiClient(office.hr, office.company).get("/leave-requests").json()
    assert everyone["count"] == 2
    staff = ApiClient(office.staff, office.company)
    other = LeaveRequest.objects.get(employee=office.staff2_emp)
    assert staff.get(f"/leave-requests/{other.pk}").status_code == 404


def test_only_hr_keeps_leave_types_and_balances(office):
    staff, hr = ApiClient(office.staff, office.company), ApiClient(office.hr, office.company)
    body = {"code": "marriage", "name": "婚假", "annual_allowance": "3"}
    r = staff.post("/leave-types", body)
    assert r.status_code == 403 and r.json()["error"]["code"] == "not_permitted"
    r = hr.post("/leave-types", body)
    assert r.status_code == 201 and r.json()["annual_allowance"] == "3.0"
    assert hr.post("/leave-types", body).json()["error"]["code"] == "duplicate"
    plain = hr.post("/leave-types", {"code": "other", "name": "其他"})
    assert plain.status_code == 201 and plain.json()["annual_allowance"] == "0.0"
    half = hr.post("/leave-types", {"code": "odd", "name": "奇", "annual_allowance": "0.3"})
    assert half.status_code == 400
    balance = {
        "employee_id": str(office.staff2_emp.pk),
        "leave_type_id": str(office.annual.pk),
        "year": YEAR,
        "entitled": "7.5",
    }
    assert staff.post("/leave-balances", balance).status_code == 403
    r = hr.post("/leave-balances", balance)
    assert r.status_code == 200 and r.json()["entitled"] == "7.5"
    assert len(staff.get("/leave-balances").json()["items"]) == 1
    assert hr.get("/leave-balances").json()["count"] == 2
    assert {t["code"] for t in staff.get("/leave-types").json()["items"]} == {
        "annual",
        "sick",
        "marriage",
        "other",
    }


def test_hr_files_for_an_employee_and_staff_cannot(office):
    hr, staff2 = ApiClient(office.hr, office.company), ApiClient(office.staff2, office.company)
    r = _new(hr, office, employee_id=str(office.staff_emp.pk))
    assert r.status_code == 201 and r.json()["employee"] == "陈员工"
    r = _new(staff2, office, employee_id=str(office.staff_emp.pk))
    assert r.status_code == 403


def test_another_companys_ids_are_not_found(office, other_company, outsider):
    leave = _new(ApiClient(office.staff, office.company), office).json()
    api = ApiClient(outsider, other_company)
    assert api.get(f"/leave-requests/{leave['id']}").status_code == 404
    assert api.post(f"/leave-requests/{leave['id']}/submit").status_code == 404
    assert api.post(f"/leave-requests/{leave['id']}/cancel").status_code == 404
    assert api.patch(f"/leave-types/{office.annual.pk}", {"version": 1, "name": "x"}).status_code == 404
    r = api.post(
        "/leave-balances",
        {
            "employee_id": str(office.staff_emp.pk),
            "leave_type_id": str(office.annual.pk),
            "year": YEAR,
            "entitled": "1",
        },
    )
    assert r.status_code == 404
    own_staff = ApiClient(office.staff, office.company)
    r = own_staff.post(
        "/leave-requests",
        {
            "leave_type_id": str(office.annual.pk),
            "employee_id": str(other_company.pk),
            "start_date": day(0).isoformat(),
            "end_date": day(0).isoformat(),
        },
    )
    assert r.status_code == 404
