"""The partner API as integrators and the sales team use it: scopes, tenancy, versions, bad input."""

import pytest

from heyi.partners.models import Contact, Partner, Tag
from heyi.partners.services.partners import partner_create
from heyi.partners.services.tags import tag_create
from heyi.platform.models import AuditEntry

from .conftest import credit_code


def _ids(response) -> set[str]:
    assert response.status_code == 200, response.json()
    return {item["id"] for item in response.json()["items"]}


@pytest.fixture
def customer_of_sales(company, sales, api_as):
    r = api_as(sales, company).post(
        "/customers", {"name": "杭州星辰科技有限公司", "phone": "0571-8765 4321", "credit_limit": "50000.00"}
    )
    assert r.status_code == 201, r.json()
    return r.json()


def test_create_returns_the_customer_with_number_owner_and_decimal_strings(company, sales, customer_of_sales):
    body = customer_of_sales
    assert body["code"].startswith("BP-") and body["is_customer"] and not body["is_supplier"]
    assert body["owner_id"] == str(sales.pk)
    assert body["credit_limit"] == "50000.00" and body["currency"] == "CNY" and body["version"] == 1
    assert AuditEntry.objects.filter(object_id=body["id"], action="create", source="api").exists()


def test_a_salesperson_never_reads_a_colleagues_customer(
    company, sales, sales2, sales_manager, api_as, customer_of_sales
):
    pid = customer_of_sales["id"]
    colleague = api_as(sales2, company)
    assert colleague.get(f"/customers/{pid}").status_code == 404
    assert pid not in _ids(colleague.get("/customers"))
    assert pid not in _ids(colleague.get("/customers", q="星辰"))
    assert pid not in _ids(colleague.get("/customers", q="hzxc"))
    assert colleague.patch(f"/customers/{pid}", {"version": 1, "name": "改名"}).status_code == 404
    assert colleague.post(f"/customers/{pid}/deactivate").status_code == 404
    assert colleague.post("/contacts", {"partner_id": pid, "name": "陈伟"}).status_code == 404
    assert Partner.objects.get(pk=pid).name == "杭州星辰科技有限公司"

    manager = api_as(sales_manager, company)
    assert manager.get(f"/customers/{pid}").status_code == 200
    assert pid in _ids(manager.get("/customers"))


def test_another_company_gets_404_and_sees_nothing(
    company, other_company, outsider, api_as, customer_of_sales
):
    pid = customer_of_sales["id"]
    foreign = api_as(outsider, other_company)
    for path in (f"/customers/{pid}", f"/suppliers/{pid}"):
        assert foreign.get(path).status_code == 404
    assert foreign.patch(f"/customers/{pid}", {"version": 1, "name": "x"}).status_code == 404
    assert foreign.get("/customers").json()["count"] == 0
    contact = foreign.post("/contacts", {"partner_id": pid, "name": "陈伟"})
    assert contact.status_code == 404
    assert Contact.objects.count() == 0


def test_search_by_pinyin_initials_code_and_phone_however_typed(api, customer_of_sales):
    pid = customer_of_sales["id"]
    for q in ("hzxckj", "星辰", customer_of_sales["code"], "87654321", "0571 8765-4321"):
        assert _ids(api.get("/customers", q=q)) == {pid}, q
    assert _ids(api.get("/customers", q="不存在")) == set()


def test_ordering_comes_from_an_allowlist(api, customer_of_sales):
    assert api.get("/customers", ordering="-name").status_code == 200
    for bad in ("password", "name desc,(select 1)", "owner__password", "' OR 1=1--"):
        r = api.get("/customers", ordering=bad)
        assert r.status_code == 400 and "ordering" in r.json()["error"]["fields"]


def test_filters_by_tag_owner_and_active(company, admin, sales, api, customer_of_sales, vip):
    other = partner_create(actor=admin, company=company, name="上海浦江贸易", is_customer=True, tags=[vip])
    pid = customer_of_sales["id"]
    assert _ids(api.get("/customers", tag=str(vip.pk))) == {str(other.pk)}
    assert _ids(api.get("/customers", owner=str(sales.pk))) == {pid}
    api.post(f"/customers/{pid}/deactivate")
    assert _ids(api.get("/customers", is_active="true")) == {str(other.pk)}


def test_stale_version_is_409_and_changes_nothing(api, customer_of_sales):
    pid = customer_of_sales["id"]
    ok = api.patch(f"/customers/{pid}", {"version": 1, "payment_terms_days": 30})
    assert ok.status_code == 200 and ok.json()["version"] == 2
    stale = api.patch(f"/customers/{pid}", {"version": 1, "payment_terms_days": 60})
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "stale_version"
    assert api.get(f"/customers/{pid}").json()["payment_terms_days"] == 30


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"name": ""}, "name"),
        ({"name": "甲", "credit_limit": "-1"}, "credit_limit"),
        ({"name": "甲", "credit_limit": 12.5}, "credit_limit"),
        ({"name": "甲", "credit_limit": "NaN"}, "credit_limit"),
        ({"name": "甲", "credit_limit": "1e309"}, "credit_limit"),
        ({"name": "甲", "credit_limit": "0.001"}, "credit_limit"),
        ({"name": "长" * 10_000}, "name"),
        ({"name": "甲", "notes": "x" * 10_000}, "notes"),
        ({"name": "甲", "payment_terms_days": 366}, "payment_terms_days"),
        ({"name": "甲", "tax_number": "91330106MA2H0X7K2X"}, "tax_number"),
        ({"name": "甲", "email": "nope"}, "email"),
        ({"name": "甲", "tag_ids": ["00000000-0000-0000-0000-000000000000"]}, "tag_ids"),
        ({"name": "甲", "owner_id": "not-a-uuid"}, "owner_id"),
    ],
)
def test_bad_input_is_400_per_field_and_nothing_is_written(api, payload, field):
    r = api.post("/customers", payload)
    assert r.status_code == 400, r.json()
    assert r.json()["error"]["code"] == "validation_error"
    assert field in r.json()["error"]["fields"]
    assert Partner.objects.count() == 0
    assert not AuditEntry.objects.filter(object_type="partners.partner").exists()


def test_another_companys_tag_or_owner_is_400(company, other_company, outsider, api):
    foreign_tag = tag_create(actor=outsider, company=other_company, name="VIP")
    r = api.post("/customers", {"name": "甲", "tag_ids": [str(foreign_tag.pk)]})
    assert r.status_code == 400 and "tag_ids" in r.json()["error"]["fields"]
    r = api.post("/customers", {"name": "甲", "owner_id": str(outsider.pk)})
    assert r.status_code == 400 and "owner_id" in r.json()["error"]["fields"]
    assert Partner.objects.count() == 0


def test_mass_assignment_is_ignored_or_refused(company, other_company, sales, sales2, api_as):
    client = api_as(sales, company)
    r = client.post(
        "/customers",
        {
            "name": "甲",
            "id": "00000000-0000-0000-0000-000000000001",
            "company": str(other_company.pk),
            "company_id": str(other_company.pk),
            "created_by": str(sales2.pk),
            "version": 7,
            "is_staff": True,
        },
    )
    assert r.status_code == 201
    body = r.json()
    assert body["id"] != "00000000-0000-0000-0000-000000000001" and body["version"] == 1
    assert Partner.objects.get(pk=body["id"]).company == company

    refused = client.post("/customers", {"name": "乙", "owner_id": str(sales2.pk)})
    assert refused.status_code == 400 and "owner_id" in refused.json()["error"]["fields"]
    moved = client.patch(f"/customers/{body['id']}", {"version": 1, "owner_id": str(sales2.pk)})
    assert moved.status_code == 400
    assert Partner.objects.get(pk=body["id"]).owner == sales


def test_customers_and_suppliers_are_two_doors_to_one_record(
    company, admin, purchasing, finance, api, api_as
):
    supplier = api.post("/suppliers", {"name": "宁波甬江塑料", "tax_number": credit_code()}).json()
    both = api.post("/suppliers", {"name": "苏州金鸡湖新材料", "is_customer": True}).json()
    assert supplier["is_supplier"] and not supplier["is_customer"]
    assert api.get(f"/customers/{supplier['id']}").status_code == 404
    assert _ids(api.get("/customers")) == {both["id"]}

    buyer = api_as(purchasing, company)
    assert _ids(buyer.get("/suppliers")) == {supplier["id"], both["id"]}
    assert buyer.get("/customers").status_code == 403
    assert (
        buyer.patch(f"/suppliers/{supplier['id']}", {"version": 1, "payment_terms_days": 45}).status_code
        == 200
    )

    accountant = api_as(finance, company)
    assert _ids(accountant.get("/customers")) == {both["id"]}
    assert (
        accountant.patch(f"/customers/{both['id']}", {"version": 1, "credit_limit": "1.00"}).status_code
        == 403
    )
    assert AuditEntry.objects.filter(action="permission_denied", actor=finance).exists()


def test_deactivate_returns_the_partner_in_its_new_state(api, customer_of_sales):
    pid = customer_of_sales["id"]
    r = api.post(f"/customers/{pid}/deactivate")
    assert r.status_code == 200 and r.json()["is_active"] is False and r.json()["version"] == 2
    again = api.post(f"/customers/{pid}/deactivate")
    assert again.status_code == 409 and again.json()["error"]["code"] == "invalid_transition"


def test_contacts_and_addresses_filtered_by_partner(company, sales, sales2, api_as, customer_of_sales):
    client = api_as(sales, company)
    pid = customer_of_sales["id"]
    other = client.post("/customers", {"name": "上海浦江贸易"}).json()
    c1 = client.post("/contacts", {"partner_id": pid, "name": "陈伟", "mobile": "13800138000"})
    assert c1.status_code == 201 and c1.json()["is_primary"] is True
    client.post("/contacts", {"partner_id": other["id"], "name": "周杰"})
    assert _ids(client.get("/contacts", partner=pid)) == {c1.json()["id"]}
    assert len(_ids(client.get("/contacts"))) == 2

    cid = c1.json()["id"]
    assert client.patch(f"/contacts/{cid}", {"version": 1, "title": "采购经理"}).json()["title"] == "采购经理"
    assert client.patch(f"/contacts/{cid}", {"version": 1, "title": "x"}).status_code == 409
    colleague = api_as(sales2, company)
    assert colleague.get(f"/contacts/{cid}").status_code == 404
    assert colleague.get("/contacts", partner=pid).json()["count"] == 0
    assert colleague.delete(f"/contacts/{cid}").status_code == 404

    a = client.post("/addresses", {"partner_id": pid, "kind": "billing", "street": "文三路100号"})
    assert a.status_code == 201 and a.json()["is_default"] is True
    assert (
        client.post("/addresses", {"partner_id": pid, "kind": "elsewhere", "street": "x"}).status_code == 400
    )
    assert _ids(client.get("/addresses", partner=pid)) == {a.json()["id"]}
    assert client.delete(f"/addresses/{a.json()['id']}").status_code == 204
    assert client.delete(f"/contacts/{cid}").status_code == 204


def test_tags_are_shared_labels_of_the_company(company, other_company, outsider, api, api_as, sales, vip):
    r = api.post("/tags", {"name": "老客户", "colour": "green"})
    assert r.status_code == 201
    assert api.post("/tags", {"name": "老客户"}).status_code == 400
    assert api.post("/tags", {"name": "x", "colour": "<script>"}).status_code == 400
    assert {t["name"] for t in api.get("/tags").json()["items"]} == {"VIP", "老客户"}
    assert api_as(outsider, other_company).get(f"/tags/{vip.pk}").status_code == 404
    assert (
        api_as(sales, company).patch(f"/tags/{vip.pk}", {"version": 1, "colour": "blue"}).status_code == 200
    )
    assert api.delete(f"/tags/{vip.pk}").status_code == 204
    assert not Tag.objects.filter(pk=vip.pk).exists()
