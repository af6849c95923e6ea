"""Warehouses through the API, and what switching the ERP module off does to them."""

from django.test import Client
from django.urls import reverse

from heyi.inventory.models import Warehouse
from heyi.platform.models import AuditEntry
from heyi.platform.services.tenancy import company_module_set, employee_create


def test_create_list_search_and_detail(api, keeper):
    r = api.post(
        "/warehouses",
        {"code": "SH01", "name": "上海分仓", "address": "上海市嘉定区", "manager_id": str(keeper.pk)},
    )
    assert r.status_code == 201
    body = r.json()
    assert body["manager"] == "周仓管" and body["version"] == 1
    assert AuditEntry.objects.filter(object_id=body["id"], action="create", source="api").exists()
    assert [w["code"] for w in api.get("/warehouses", q="shfc").json()["items"]] == ["SH01"]
    assert api.get(f"/warehouses/{body['id']}").json()["name"] == "上海分仓"


def test_bad_input_is_400_with_fields(api, hangzhou, other_company, outsider):
    theirs = employee_create(actor=outsider, company=other_company, name="外人")
    cases = [
        ({"code": "", "name": "空"}, "code"),
        ({"code": "A1", "name": "长" * 10000}, "name"),
        ({"code": "HZ01", "name": "重复"}, "code"),
        ({"code": "A2", "name": "外人管", "manager_id": str(theirs.pk)}, "manager_id"),
    ]
    for payload, field in cases:
        r = api.post("/warehouses", payload)
        assert r.status_code == 400, payload
        assert field in r.json()["error"]["fields"]
    assert Warehouse.objects.count() == 1


def test_patch_with_version_and_stale_409(api, hangzhou):
    url = f"/warehouses/{hangzhou.pk}"
    assert api.patch(url, {"version": 1, "address": "杭州市西湖区"}).json()["version"] == 2
    stale = api.patch(url, {"version": 1, "address": "旧地址"})
    assert stale.status_code == 409
    assert stale.json()["error"]["code"] == "stale_version"
    assert api.get(url).json()["address"] == "杭州市西湖区"


def test_deactivate_and_filter(api, hangzhou):
    assert api.post(f"/warehouses/{hangzhou.pk}/deactivate").json()["is_active"] is False
    assert api.get("/warehouses", active="true").json()["count"] == 0
    assert api.get("/warehouses", active="false").json()["count"] == 1


def test_another_company_gets_404_and_sees_nothing(api_as, hangzhou, outsider, other_company):
    theirs = api_as(outsider, other_company)
    url = f"/warehouses/{hangzhou.pk}"
    assert theirs.get(url).status_code == 404
    assert theirs.patch(url, {"version": 1, "name": "偷改"}).status_code == 404
    assert theirs.post(f"{url}/deactivate").status_code == 404
    assert theirs.get("/warehouses").json()["count"] == 0
    hangzhou.refresh_from_db()
    assert hangzhou.name == "杭州总仓" and hangzhou.is_active


def test_sales_reads_warehouses_but_cannot_change_them(api_as, sales, company, hangzhou):
    client = api_as(sales, company)
    assert client.get("/warehouses").json()["count"] == 1
    assert client.post("/warehouses", {"code": "X", "name": "X"}).status_code == 403
    assert client.post(f"/warehouses/{hangzhou.pk}/deactivate").status_code == 403


def test_switching_erp_off_hides_warehouses_and_switching_it_on_brings_them_back(
    api, web, company, admin, hangzhou
):
    list_url = reverse("inventory:warehouse_list")
    assert list_url in web.get(reverse("web:home")).content.decode()

    company_module_set(actor=admin, company=company, module="erp", enabled=False)
    r = api.get("/warehouses")
    assert r.status_code == 403
    assert r.json()["error"]["code"] == "module_disabled"
    assert api.get(f"/warehouses/{hangzhou.pk}").status_code == 403
    assert list_url not in web.get(reverse("web:home")).content.decode()
    assert web.get(list_url).status_code == 403
    assert Warehouse.objects.filter(pk=hangzhou.pk).exists()

    company_module_set(actor=admin, company=company, module="erp", enabled=True)
    r = api.get("/warehouses")
    assert r.status_code == 200
    assert [w["name"] for w in r.json()["items"]] == ["杭州总仓"]
    assert list_url in web.get(reverse("web:home")).content.decode()


def test_the_catalog_stays_on_when_erp_is_off(api, company, admin):
    company_module_set(actor=admin, company=company, module="erp", enabled=False)
    assert api.get("/products").status_code == 200
    client = Client()
    client.force_login(admin)
    assert client.get(reverse("catalog:product_list")).status_code == 200


def test_global_search_finds_warehouses_only_while_erp_is_on(api, company, admin, hangzhou):
    def found():
        return [
            i["title"]
            for i in api.get("/search", q="hzzc").json()["items"]
            if i["type"] == "inventory.warehouse"
        ]

    assert found() == ["杭州总仓"]
    company_module_set(actor=admin, company=company, module="erp", enabled=False)
    assert found() == []
