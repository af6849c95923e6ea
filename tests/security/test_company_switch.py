"""T03: working in a company one does not belong to is refused (403) and leaves an audit row,
whether it is asked for with the X-Company header or with the web's company switcher."""

import uuid

import pytest
from django.test import Client

from conftest import ApiClient
from heyi.platform.models import AuditEntry, Membership


def _denials(user) -> int:
    return AuditEntry.objects.filter(action="company_switch_denied", actor=user).count()


@pytest.mark.parametrize(
    "wanted", ["other", "unknown", "garbage"], ids=["foreign company", "no such company", "not an id"]
)
def test_t03_x_company_naming_a_company_one_is_not_in_is_403_and_audited(admin, other_company, wanted):
    value = {"other": str(other_company.pk), "unknown": str(uuid.uuid4()), "garbage": "1 OR 1=1"}[wanted]
    api = ApiClient(admin)
    api.headers["X-Company"] = value
    before = _denials(admin)
    for path in ("/me", "/departments", "/companies"):
        response = api.get(path)
        assert response.status_code == 403, path
        assert response.json()["error"]["code"] == "not_a_member"
        assert str(other_company.name) not in response.content.decode()
    assert _denials(admin) == before + 3
    row = AuditEntry.objects.filter(action="company_switch_denied", actor=admin).latest("at")
    assert row.source == "api" and row.changes["x_company"] == value[:64]


def test_t03_x_company_with_a_session_cookie_is_judged_the_same(admin, other_company):
    web = Client()
    web.force_login(admin)
    response = web.get("/api/v1/departments", headers={"X-Company": str(other_company.pk)})
    assert response.status_code == 403
    assert _denials(admin) == 1


def test_t03_a_membership_that_was_ended_no_longer_opens_the_company(admin, company, other_company):
    from heyi.platform.services.tenancy import membership_add

    membership_add(actor=None, company=other_company, user=admin, role_codes=["employee"])
    api = ApiClient(admin, other_company)
    assert api.get("/me").status_code == 200
    Membership.objects.filter(company=other_company, user=admin).update(is_active=False)
    api = ApiClient(admin, other_company)
    assert api.get("/me").status_code == 403
    assert _denials(admin) == 1


def test_t03_the_web_switcher_refuses_a_foreign_company_audits_it_and_stays_put(
    web, admin, company, other_company
):
    before_key = web.cookies["sessionid"].value
    response = web.post("/switch-company/", {"company": str(other_company.pk), "next": "/"})
    assert response.status_code == 403
    assert _denials(admin) == 1
    row = AuditEntry.objects.get(action="company_switch_denied", actor=admin)
    assert row.source == "web" and row.changes["company"] == str(other_company.pk)
    home = web.get("/").content.decode()
    assert company.name in home and other_company.name not in home
    assert web.cookies["sessionid"].value == before_key
    for forged in ("", "not-a-uuid", str(uuid.uuid4())):
        assert web.post("/switch-company/", {"company": forged}).status_code == 403
    assert _denials(admin) == 4
