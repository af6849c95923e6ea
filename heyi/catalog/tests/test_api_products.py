"""Products through the API, as an integrator would use it."""

import pytest

from heyi.catalog.models import Product
from heyi.platform.models import AuditEntry


@pytest.fixture
def payload(units, printers):
    return {
        "sku": "PRJ-100",
        "name": "明基投影仪",
        "base_unit_id": str(units["pcs"].pk),
        "category_id": str(printers.pk),
        "barcode": "6900000000001",
        "sale_price": "3599.00",
        "purchase_price": "2780",
        "tax_rate": "0.13",
        "safety_stock": "2",
    }


def test_create_returns_prices_as_strings_with_the_tax_inclusive_price(api, payload):
    r = api.post("/products", payload)
    assert r.status_code == 201, r.json()
    body = r.json()
    assert body["sale_price"] == "3599.000000"
    assert body["sale_price_incl_tax"] == "4066.870000"
    assert body["purchase_price_incl_tax"] == "3141.400000"
    assert body["tax_rate"] == "0.13"
    assert body["safety_stock"] == "2.0000"
    assert body["base_unit"] == "pcs"
    assert body["version"] == 1
    assert AuditEntry.objects.filter(object_id=body["id"], action="create", source="api").exists()


@pytest.mark.parametrize(
    "field, value",
    [
        ("sale_price", "-1"),
        ("sale_price", "1.1234567"),
        ("purchase_price", 12.5),
        ("sale_price", "NaN"),
        ("sale_price", "1e309"),
        ("tax_rate", "0.5"),
        ("safety_stock", "-3"),
        ("name", "长" * 10000),
        ("kind", "weapon"),
    ],
)
def test_bad_input_is_400_on_the_field_and_writes_nothing(api, payload, field, value):
    r = api.post("/products", {**payload, field: value})
    assert r.status_code == 400
    assert field in r.json()["error"]["fields"]
    assert not Product.objects.exists()


def test_another_companys_ids_are_refused(api, payload, api_as, outsider, other_company):
    theirs = api_as(outsider, other_company)
    their_unit = theirs.post(
        "/units", {"code": "pcs", "name": "个", "category": "count", "ratio": "1"}
    ).json()
    their_cat = theirs.post("/product-categories", {"name": "机密"}).json()
    r = api.post("/products", {**payload, "base_unit_id": their_unit["id"]})
    assert r.status_code == 400
    assert r.json()["error"]["fields"] == {"base_unit_id": ["Not found."]}
    r = api.post("/products", {**payload, "category_id": their_cat["id"]})
    assert r.status_code == 400
    assert "category_id" in r.json()["error"]["fields"]
    assert not Product.objects.exists()


def test_another_companys_product_is_404_everywhere(api_as, printer, outsider, other_company):
    theirs = api_as(outsider, other_company)
    url = f"/products/{printer.pk}"
    assert theirs.get(url).status_code == 404
    assert theirs.patch(url, {"version": 1, "name": "偷改"}).status_code == 404
    assert theirs.post(f"{url}/deactivate").status_code == 404
    assert theirs.get(f"{url}/units").status_code == 404
    assert theirs.get("/products").json()["count"] == 0
    printer.refresh_from_db()
    assert printer.is_active and printer.name == "杭州科技打印机"


def test_patch_with_a_stale_version_is_409_and_changes_nothing(api, printer):
    url = f"/products/{printer.pk}"
    ok = api.patch(url, {"version": 1, "sale_price": "120"})
    assert ok.status_code == 200
    assert ok.json()["sale_price_incl_tax"] == "135.600000"
    assert ok.json()["version"] == 2
    stale = api.patch(url, {"version": 1, "sale_price": "90"})
    assert stale.status_code == 409
    assert stale.json()["error"]["code"] == "stale_version"
    assert api.get(url).json()["sale_price"] == "120.000000"


def test_patch_cannot_touch_company_or_version_fields(api, printer, other_company):
    r = api.patch(f"/products/{printer.pk}", {"version": 1, "company": str(other_company.pk), "name": "新名"})
    assert r.status_code == 200
    printer.refresh_from_db()
    assert printer.company_id != other_company.pk
    assert printer.name == "新名"


def test_deactivate_then_filter_by_active(api, printer, company, admin, units):
    from heyi.catalog.services.products import product_create

    product_create(actor=admin, company=company, sku="KEEP", name="保留", base_unit=units["pcs"])
    r = api.post(f"/products/{printer.pk}/deactivate")
    assert r.status_code == 200
    assert r.json()["is_active"] is False
    active = api.get("/products", active="true").json()
    assert [p["sku"] for p in active["items"]] == ["KEEP"]
    assert api.get("/products", active="false").json()["items"][0]["sku"] == "PRN-001"


def test_search_by_pinyin_initials_sku_and_barcode(api, printer, company, admin, units):
    from heyi.catalog.services.products import product_create

    product_create(actor=admin, company=company, sku="NET-01", name="上海交换机", base_unit=units["pcs"])
    for q in ("hzkj", "HZKJ", "PRN-0", "6901234567890", "科技打印"):
        items = api.get("/products", q=q).json()["items"]
        assert [p["sku"] for p in items] == ["PRN-001"], q
    assert api.get("/products", q="shjhj").json()["items"][0]["sku"] == "NET-01"


def test_filter_by_category_includes_subcategories_and_by_kind(api, printer, printers, company, admin, units):
    from heyi.catalog.services.products import product_create

    product_create(
        actor=admin, company=company, sku="SRV-1", name="安装", base_unit=units["pcs"], kind="service"
    )
    office = printers.parent
    assert [p["sku"] for p in api.get("/products", category_id=str(office.pk)).json()["items"]] == ["PRN-001"]
    assert [p["sku"] for p in api.get("/products", kind="service").json()["items"]] == ["SRV-1"]


def test_ordering_is_an_allowlist(api, printer):
    assert api.get("/products", ordering="-sale_price").status_code == 200
    r = api.get("/products", ordering="id desc,(select 1)")
    assert r.status_code == 400
    assert "ordering" in r.json()["error"]["fields"]
    assert api.get("/products", ordering="company__name").status_code == 400


def test_sales_reads_but_cannot_write(api_as, sales, company, printer, payload):
    client = api_as(sales, company)
    assert client.get(f"/products/{printer.pk}").status_code == 200
    r = client.post("/products", payload)
    assert r.status_code == 403
    assert client.patch(f"/products/{printer.pk}", {"version": 1, "name": "x"}).status_code == 403


def test_packaging_units_under_a_product(api, printer, units):
    url = f"/products/{printer.pk}/units"
    listed = api.get(url).json()
    assert [(u["unit"], u["factor"]) for u in listed["items"]] == [("box", "12.0000")]
    created = api.post(url, {"unit_id": str(units["kg"].pk), "factor": "2.5", "barcode": "1690000000001"})
    assert created.status_code == 201
    pu = created.json()
    changed = api.patch(f"{url}/{pu['id']}", {"version": 1, "factor": "3"})
    assert changed.json()["factor"] == "3.0000"
    assert api.patch(f"{url}/{pu['id']}", {"version": 1, "factor": "4"}).status_code == 409
    assert api.post(url, {"unit_id": str(units["g"].pk), "factor": "0"}).status_code == 400
    assert api.delete(f"{url}/{pu['id']}").status_code == 204
    assert api.get(url).json()["count"] == 1
    assert AuditEntry.objects.filter(object_id=pu["id"], action="delete").exists()


def test_a_packaging_unit_is_only_found_under_its_own_product(api, printer, company, admin, units):
    from heyi.catalog.services.products import product_create

    other = product_create(actor=admin, company=company, sku="O-1", name="别的", base_unit=units["pcs"])
    pu = printer.units.get()
    assert api.patch(f"/products/{other.pk}/units/{pu.pk}", {"version": 1, "factor": "1"}).status_code == 404
    assert api.delete(f"/products/{other.pk}/units/{pu.pk}").status_code == 404


def test_global_search_finds_the_product_by_pinyin_initials(api, printer):
    r = api.get("/search", q="hzkj")
    assert r.status_code == 200
    found = [i for i in r.json()["items"] if i["type"] == "catalog.product"]
    assert [(i["id"], i["subtitle"]) for i in found] == [(str(printer.pk), "PRN-001")]
    assert found[0]["url"].endswith(f"/catalog/products/{printer.pk}/")
