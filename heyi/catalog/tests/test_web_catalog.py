"""The catalog pages: lists, details, forms and the category tree, as a user clicks through them."""

from decimal import Decimal

from django.test import Client
from django.urls import reverse

from heyi.catalog.models import Category, Product, Unit
from heyi.platform.models import AuditEntry


def test_product_list_searches_by_pinyin_and_exports(web, printer):
    page = web.get(reverse("catalog:product_list"), {"q": "hzkj"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "杭州科技打印机" in html and "113.000000" in html
    assert "杭州科技打印机" not in web.get(reverse("catalog:product_list"), {"q": "zzzz"}).content.decode()
    export = web.get(reverse("catalog:product_list"), {"export": "csv"})
    assert export["Content-Type"].startswith("text/csv")
    assert "PRN-001" in export.content.decode("utf-8-sig")
    assert AuditEntry.objects.filter(action="export", changes__list="products").exists()


def test_product_list_filters_by_category_subtree_and_kind(web, printer, printers):
    html = web.get(reverse("catalog:product_list"), {"category": str(printers.parent_id)}).content.decode()
    assert "PRN-001" in html
    assert "PRN-001" not in web.get(reverse("catalog:product_list"), {"kind": "service"}).content.decode()


def test_product_detail_shows_prices_both_ways_and_packaging(web, printer):
    html = web.get(reverse("catalog:product_detail", args=[printer.pk])).content.decode()
    assert "100.00" in html and "113.00" in html
    assert "箱" in html and "12" in html
    assert "办公设备 / 打印机" in html


def test_creating_a_product_with_tax_inclusive_prices_stores_them_without_tax(web, units, printers):
    r = web.post(
        reverse("catalog:product_create"),
        {
            "sku": "PRJ-9",
            "name": "投影仪",
            "category": str(printers.pk),
            "base_unit": str(units["pcs"].pk),
            "kind": "stockable",
            "tax_rate": "0.13",
            "prices_include_tax": "on",
            "sale_price": "113",
            "purchase_price": "56.5",
            "standard_cost": "0",
            "safety_stock": "1",
            "reorder_point": "2",
            "is_active": "on",
        },
    )
    product = Product.objects.get(sku="PRJ-9")
    assert r.status_code == 302 and r["Location"] == reverse("catalog:product_detail", args=[product.pk])
    assert product.sale_price == Decimal("100") and product.purchase_price == Decimal("50")


def test_a_product_form_with_bad_input_shows_errors_and_saves_nothing(web, units, printer):
    r = web.post(
        reverse("catalog:product_create"),
        {
            "sku": "PRN-001",
            "name": "重复",
            "base_unit": str(units["pcs"].pk),
            "kind": "stockable",
            "tax_rate": "0.13",
            "sale_price": "1",
            "purchase_price": "1",
            "standard_cost": "0",
            "safety_stock": "0",
            "reorder_point": "0",
        },
    )
    assert r.status_code == 400
    assert "A product with this SKU already exists." in r.content.decode()
    assert Product.objects.count() == 1


def test_editing_a_product_keeps_untouched_prices_and_refuses_a_stale_form(web, printer, units):
    form = web.get(reverse("catalog:product_edit", args=[printer.pk]))
    assert form.status_code == 200
    data = {
        "sku": printer.sku,
        "name": "杭州科技打印机 二代",
        "category": str(printer.category_id),
        "base_unit": str(units["pcs"].pk),
        "kind": "stockable",
        "tax_rate": "0.13",
        "sale_price": "100",
        "purchase_price": "70",
        "standard_cost": "0",
        "safety_stock": "5",
        "reorder_point": "0",
        "is_active": "on",
        "version": "1",
    }
    assert web.post(reverse("catalog:product_edit", args=[printer.pk]), data).status_code == 302
    printer.refresh_from_db()
    assert (printer.name, printer.version, printer.sale_price) == ("杭州科技打印机 二代", 2, Decimal("100"))
    stale = web.post(reverse("catalog:product_edit", args=[printer.pk]), {**data, "name": "旧表单"})
    assert stale.status_code == 400
    printer.refresh_from_db()
    assert printer.name == "杭州科技打印机 二代"


def test_deactivate_from_the_detail_page(web, printer):
    r = web.post(reverse("catalog:product_deactivate", args=[printer.pk]))
    assert r.status_code == 302
    printer.refresh_from_db()
    assert printer.is_active is False


def test_packaging_unit_forms(web, printer, units):
    r = web.post(
        reverse("catalog:product_unit_create", args=[printer.pk]),
        {"unit": str(units["kg"].pk), "factor": "2", "barcode": ""},
    )
    assert r.status_code == 302
    pu = printer.units.get(unit=units["kg"])
    r = web.post(
        reverse("catalog:product_unit_edit", args=[printer.pk, pu.pk]),
        {"unit": str(units["kg"].pk), "factor": "3", "version": "1"},
    )
    assert r.status_code == 302
    pu.refresh_from_db()
    assert pu.factor == Decimal("3")
    assert web.post(reverse("catalog:product_unit_delete", args=[printer.pk, pu.pk])).status_code == 302
    assert not printer.units.filter(pk=pu.pk).exists()


def test_category_tree_page_and_forms(web, printers):
    page = web.get(reverse("catalog:category_tree")).content.decode()
    assert page.index("办公设备") < page.index("打印机")
    assert reverse("catalog:category_delete", args=[printers.parent_id]) not in page  # it has a child
    assert reverse("catalog:category_delete", args=[printers.pk]) in page
    r = web.post(reverse("catalog:category_create"), {"name": "投影仪", "parent": str(printers.parent_id)})
    assert r.status_code == 302
    projectors = Category.objects.get(name="投影仪")
    assert projectors.parent_id == printers.parent_id
    r = web.post(
        reverse("catalog:category_edit", args=[printers.parent_id]),
        {"name": "办公设备", "parent": str(projectors.pk), "version": "1"},
    )
    assert r.status_code == 400  # the parent list does not even offer its own subtree
    assert web.post(reverse("catalog:category_delete", args=[projectors.pk])).status_code == 302
    assert not Category.objects.filter(pk=projectors.pk).exists()


def test_units_page_and_forms(web, units):
    page = web.get(reverse("catalog:unit_list")).content.decode()
    assert "千克" in page and "0.001" in page
    r = web.post(
        reverse("catalog:unit_create"), {"code": "m", "name": "米", "category": "length", "ratio": "1"}
    )
    assert r.status_code == 302
    meter = Unit.objects.get(code="m")
    r = web.post(
        reverse("catalog:unit_edit", args=[meter.pk]),
        {"code": "m", "name": "米(m)", "category": "length", "ratio": "1", "version": "1", "is_active": "on"},
    )
    assert r.status_code == 302
    meter.refresh_from_db()
    assert meter.name == "米(m)"


def test_another_companys_product_page_is_404(printer, outsider):
    client = Client()
    client.force_login(outsider)
    assert client.get(reverse("catalog:product_detail", args=[printer.pk])).status_code == 404
    assert client.get(reverse("catalog:product_edit", args=[printer.pk])).status_code == 404
    assert client.post(reverse("catalog:product_deactivate", args=[printer.pk])).status_code == 404


def test_sales_sees_products_but_no_edit_buttons_and_cannot_open_forms(company, sales, printer):
    client = Client()
    client.force_login(sales)
    html = client.get(reverse("catalog:product_detail", args=[printer.pk])).content.decode()
    assert reverse("catalog:product_edit", args=[printer.pk]) not in html
    assert client.get(reverse("catalog:product_create")).status_code == 403
    home = client.get(reverse("web:home")).content.decode()
    assert reverse("catalog:product_list") in home


def test_demo_catalog_loads_for_both_demo_companies(company, admin):
    from conftest import make_company, make_member
    from heyi.catalog import demo
    from heyi.platform.demo import SECOND_CODE

    demo.load(company, {"admin": admin})
    assert Product.objects.filter(company=company).count() >= 30
    assert Product.objects.filter(company=company, kind="service", tax_rate=Decimal("0.06")).exists()
    assert Product.objects.filter(company=company, mnemonic__startswith="hzkj").exists()
    assert Category.objects.get(company=company, name="电阻").parent.name == "电子元器件"
    second = make_company(SECOND_CODE, "另一家贸易有限公司")
    demo.load(second, {"admin": make_member(second, "admin2", roles=["admin"])})
    assert 0 < Product.objects.filter(company=second).count() < 10
