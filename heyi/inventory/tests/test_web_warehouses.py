"""The warehouse pages."""

from django.test import Client
from django.urls import reverse

from heyi.inventory.models import Warehouse


def test_list_search_export_and_detail(web, hangzhou):
    html = web.get(reverse("inventory:warehouse_list"), {"q": "hzzc"}).content.decode()
    assert "杭州总仓" in html
    export = web.get(reverse("inventory:warehouse_list"), {"export": "xlsx"})
    assert export.status_code == 200 and "spreadsheetml" in export["Content-Type"]
    detail = web.get(reverse("inventory:warehouse_detail", args=[hangzhou.pk])).content.decode()
    assert "周仓管" in detail and "杭州市余杭区" in detail


def test_forms_create_edit_and_deactivate(web, keeper):
    r = web.post(
        reverse("inventory:warehouse_create"),
        {"code": "SH01", "name": "上海分仓", "address": "上海", "manager": str(keeper.pk), "is_active": "on"},
    )
    warehouse = Warehouse.objects.get(code="SH01")
    assert r.status_code == 302 and warehouse.manager == keeper
    edit = reverse("inventory:warehouse_edit", args=[warehouse.pk])
    assert web.get(edit).status_code == 200
    data = {"code": "SH01", "name": "上海嘉定仓", "address": "上海", "is_active": "on", "version": "1"}
    assert web.post(edit, data).status_code == 302
    stale = web.post(edit, {**data, "name": "旧表单"})
    assert stale.status_code == 400
    warehouse.refresh_from_db()
    assert (warehouse.name, warehouse.manager) == ("上海嘉定仓", None)
    assert web.post(reverse("inventory:warehouse_deactivate", args=[warehouse.pk])).status_code == 302
    warehouse.refresh_from_db()
    assert not warehouse.is_active


def test_a_duplicate_code_shows_on_the_form(web, hangzhou):
    r = web.post(reverse("inventory:warehouse_create"), {"code": "HZ01", "name": "重复", "is_active": "on"})
    assert r.status_code == 400
    assert "A warehouse with this code already exists." in r.content.decode()
    assert Warehouse.objects.count() == 1


def test_another_companys_warehouse_page_is_404(hangzhou, outsider):
    client = Client()
    client.force_login(outsider)
    assert client.get(reverse("inventory:warehouse_detail", args=[hangzhou.pk])).status_code == 404
    assert client.post(reverse("inventory:warehouse_deactivate", args=[hangzhou.pk])).status_code == 404


def test_demo_warehouses(company, admin, keeper):
    from conftest import make_company, make_member
    from heyi.inventory import demo
    from heyi.platform.demo import SECOND_CODE

    demo.load(company, {"admin": admin, "employees": {"warehouse": keeper}})
    assert sorted(Warehouse.objects.filter(company=company).values_list("name", flat=True)) == [
        "上海分仓",
        "杭州总仓",
    ]
    second = make_company(SECOND_CODE, "另一家贸易有限公司", modules_on=["erp"])
    demo.load(second, {"admin": make_member(second, "admin2", roles=["admin"]), "employees": {}})
    assert Warehouse.objects.filter(company=second).count() == 1
