"""Global search: every record type the user may see, by name, code or pinyin initials."""

import pytest
from django.utils.translation import gettext_lazy as _

from conftest import make_member
from heyi.platform import registry
from heyi.platform.models import Department
from heyi.platform.permissions import VIEW_PEOPLE
from heyi.platform.services.tenancy import company_module_set, department_create, employee_create


@pytest.fixture
def people(company, admin, other_company, outsider):
    dept = department_create(actor=admin, company=company, name="杭州科技事业部", code="HZ")
    employee_create(actor=admin, company=company, name="张伟", department=dept, position="杭州科技经理")
    department_create(actor=outsider, company=other_company, name="杭州科技分部")
    return dept


def test_pinyin_initials_find_chinese_names(api, people):
    r = api.get("/search", q="hzkj")
    assert r.status_code == 200
    hits = r.json()["items"]
    assert {(h["type"], h["title"]) for h in hits} == {("platform.department", "杭州科技事业部")}
    assert hits[0]["id"] == str(people.pk)
    assert hits[0]["label"]


def test_search_matches_names_codes_and_other_fields(api, people):
    assert [h["title"] for h in api.get("/search", q="张伟").json()["items"]] == ["张伟"]
    hits = api.get("/search", q="zw").json()["items"]
    assert [(h["type"], h["subtitle"]) for h in hits] == [("platform.employee", "杭州科技经理")]
    assert [h["title"] for h in api.get("/search", q="hz").json()["items"]] == ["杭州科技事业部"]


def test_another_companys_records_never_appear(api_as, other_company, outsider, people):
    hits = api_as(outsider, other_company).get("/search", q="杭州科技").json()["items"]
    assert [h["title"] for h in hits] == ["杭州科技分部"]


def test_a_user_without_the_view_permission_finds_nothing(api_as, company, people):
    guest = make_member(company, "guest", roles=())
    assert api_as(guest, company).get("/search", q="hzkj").json()["items"] == []


def test_a_switched_off_module_drops_its_records_from_results(api, company, admin, people, monkeypatch):
    monkeypatch.setitem(
        registry._types,
        "test.crm_department",
        registry.RecordType(
            key="test.crm_department",
            model=Department,
            label=_("Sales region"),
            view_permission=VIEW_PEOPLE,
            search_fields=("mnemonic",),
            module="crm",
        ),
    )
    types = {h["type"] for h in api.get("/search", q="hzkj").json()["items"]}
    assert types == {"platform.department", "test.crm_department"}
    company_module_set(actor=admin, company=company, module="crm", enabled=False)
    types = {h["type"] for h in api.get("/search", q="hzkj").json()["items"]}
    assert types == {"platform.department"}


def test_results_are_capped_per_type_and_in_total(api, company, admin):
    for i in range(12):
        department_create(actor=admin, company=company, name=f"测试部{i:02d}")
    hits = api.get("/search", q="csb").json()["items"]
    assert len(hits) == 10


@pytest.mark.parametrize("q", ["", "   ", "x" * 101])
def test_an_empty_or_overlong_query_is_400(api, q):
    r = api.get("/search", q=q)
    assert r.status_code == 400
    assert "q" in r.json()["error"]["fields"]


@pytest.mark.parametrize("q", ["' OR 1=1--", "%", "_", "\\", "'; DROP TABLE platform_department;--"])
def test_injection_attempts_are_plain_text(api, people, q):
    r = api.get("/search", q=q)
    assert r.status_code == 200
    assert r.json()["items"] == []
    assert Department.objects.filter(pk=people.pk).exists()
