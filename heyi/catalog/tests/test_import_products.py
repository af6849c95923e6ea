"""Importing a product list from a spreadsheet: a good file goes in whole, a bad one changes nothing."""

from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from heyi.catalog.models import Product
from heyi.catalog.records import create_product_row

HEADER = "sku,name,category,unit,barcode,tax_rate,sale_price,purchase_price,safety_stock,kind\n"


def send(api, text: str):
    upload = SimpleUploadedFile("products.csv", text.encode("utf-8"))
    return api.client.post(
        "/api/v1/imports", {"spec": "catalog.product", "file": upload}, headers=api.headers
    )


def test_a_good_file_is_checked_then_imported(api, company, units, printers):
    text = HEADER + (
        "P-1,杭州科技打印机,打印机,pcs,6901000000001,13%,100,70,5,stockable\n"
        "S-1,上门安装,,个,,0.06,150,,,service\n"
    )
    batch = send(api, text).json()
    assert (batch["status"], batch["error_count"]) == ("ready", 0), batch
    assert not Product.objects.exists()
    assert api.post(f"/imports/{batch['id']}/commit").json()["created_count"] == 2
    printer = Product.objects.get(sku="P-1")
    assert (printer.category, printer.base_unit, printer.tax_rate) == (
        printers,
        units["pcs"],
        Decimal("0.13"),
    )
    service = Product.objects.get(sku="S-1")
    assert (service.kind, service.tax_rate, service.category) == ("service", Decimal("0.06"), None)


def test_a_bad_file_reports_each_row_and_imports_nothing(api, company, units):
    text = HEADER + (
        "P-1,好的,,pcs,,0.13,1,1,0,stockable\n"
        "P-2,负价,,pcs,,0.13,-5,1,0,stockable\n"
        "P-3,没单位,,,,0.13,1,1,0,stockable\n"
        "P-4,坏税率,,pcs,,50%,1,1,0,stockable\n"
        "P-5,不认识的单位,,桶,,0.13,1,1,0,stockable\n"
    )
    batch = send(api, text).json()
    assert batch["status"] != "ready"
    columns = {(e["row"], e["column"]) for e in batch["errors"]}
    assert {(3, "sale_price"), (4, "unit"), (5, "tax_rate"), (6, "unit")} <= columns
    assert not Product.objects.exists()


def test_a_row_names_its_category_by_code_or_name(company, admin, units, printers):
    from heyi.catalog.services.categories import category_update

    category_update(actor=admin, company=company, category=printers, data={"code": "PRN"}, version=None)
    product = create_product_row(admin, company, {"sku": "A", "name": "甲", "category": "PRN", "unit": "个"})
    assert product.category == printers and product.tax_rate == Decimal("0.13")
