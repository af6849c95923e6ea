"""Keeping the product master: create, edit, retire; bad input writes nothing."""

from decimal import Decimal

import pytest

from conftest import make_member
from heyi.catalog.models import Category, Product, ProductUnit
from heyi.catalog.services.categories import category_create, category_delete, category_update
from heyi.catalog.services.products import (
    product_create,
    product_deactivate,
    product_unit_create,
    product_update,
)
from heyi.catalog.services.units import unit_create, unit_delete
from heyi.platform.errors import Conflict, NotPermitted, StaleVersion, ValidationFailed
from heyi.platform.models import AuditEntry


def test_a_new_product_is_audited_and_shows_its_price_with_tax(printer):
    assert printer.sale_price_incl_tax == Decimal("113.000000")
    assert printer.purchase_price_incl_tax == Decimal("79.100000")
    assert printer.mnemonic.startswith("hzkjdyj")
    entry = AuditEntry.objects.get(object_type="catalog.product", object_id=str(printer.pk), action="create")
    assert entry.changes["sku"] == [None, "PRN-001"]
    assert entry.changes["sale_price"] == [None, "100.000000"]


def test_tax_inclusive_price_rounds_half_up_at_six_places(company, admin, units):
    product = product_create(
        actor=admin,
        company=company,
        sku="R-1",
        name="电阻",
        base_unit=units["pcs"],
        sale_price=Decimal("0.000050"),
        tax_rate=Decimal("0.09"),
    )
    # 0.00005 x 1.09 = 0.0000545 -> 0.000055 (half-up), not 0.000054 (half-even)
    assert product.sale_price_incl_tax == Decimal("0.000055")


@pytest.mark.parametrize(
    "field, value",
    [
        ("sale_price", Decimal("-1")),
        ("purchase_price", Decimal("1.1234567")),
        ("tax_rate", Decimal("0.5")),
        ("safety_stock", Decimal("-0.0001")),
        ("name", "打" * 10000),
        ("sku", ""),
    ],
)
def test_bad_input_is_refused_on_its_field_and_nothing_is_written(company, admin, units, field, value):
    data = {"sku": "X-1", "name": "坏数据", "base_unit": units["pcs"], field: value}
    audit_before = AuditEntry.objects.count()
    with pytest.raises(ValidationFailed) as caught:
        product_create(actor=admin, company=company, **data)
    assert field in caught.value.fields
    assert not Product.objects.exists()
    assert AuditEntry.objects.count() == audit_before


def test_another_companys_category_or_unit_is_not_found(company, admin, units, other_company, outsider):
    foreign_unit = unit_create(
        actor=outsider, company=other_company, code="pcs", name="个", category="count", ratio=1
    )
    foreign_category = category_create(actor=outsider, company=other_company, name="机密")
    with pytest.raises(ValidationFailed) as caught:
        product_create(actor=admin, company=company, sku="X", name="X", base_unit=foreign_unit)
    assert caught.value.fields == {"base_unit": ["Not found."]}
    with pytest.raises(ValidationFailed) as caught:
        product_create(
            actor=admin, company=company, sku="X", name="X", base_unit=units["pcs"], category=foreign_category
        )
    assert "category" in caught.value.fields
    assert not Product.objects.filter(company=company).exists()


def test_sku_and_barcode_are_unique_within_a_company_only(
    printer, company, admin, units, other_company, outsider
):
    with pytest.raises(ValidationFailed) as caught:
        product_create(actor=admin, company=company, sku="PRN-001", name="重复", base_unit=units["pcs"])
    assert "sku" in caught.value.fields
    with pytest.raises(ValidationFailed) as caught:
        product_create(
            actor=admin,
            company=company,
            sku="PRN-002",
            name="重复",
            base_unit=units["pcs"],
            barcode="6901234567890",
        )
    assert "barcode" in caught.value.fields
    their_unit = unit_create(
        actor=outsider, company=other_company, code="pcs", name="个", category="count", ratio=1
    )
    theirs = product_create(
        actor=outsider,
        company=other_company,
        sku="PRN-001",
        name="同号",
        base_unit=their_unit,
        barcode="6901234567890",
    )
    assert theirs.sku == printer.sku


def test_many_products_may_have_no_barcode(company, admin, units):
    for n in range(3):
        product_create(actor=admin, company=company, sku=f"S-{n}", name="服务", base_unit=units["pcs"])
    assert Product.objects.filter(company=company, barcode="").count() == 3


def test_an_edit_bumps_the_version_and_a_stale_one_is_refused(printer, company, admin):
    product_update(
        actor=admin, company=company, product=printer, data={"sale_price": Decimal("120")}, version=1
    )
    printer.refresh_from_db()
    assert (printer.version, printer.sale_price) == (2, Decimal("120"))
    entry = AuditEntry.objects.filter(object_id=str(printer.pk), action="update").get()
    assert entry.changes == {"sale_price": ["100.000000", "120.000000"]}
    with pytest.raises(StaleVersion):
        product_update(actor=admin, company=company, product=printer, data={"name": "旧版本"}, version=1)
    printer.refresh_from_db()
    assert printer.name == "杭州科技打印机"


def test_the_same_price_written_differently_is_no_change(printer, company, admin):
    changes_before = AuditEntry.objects.filter(action="update").count()
    product_update(
        actor=admin, company=company, product=printer, data={"sale_price": Decimal("100.0")}, version=1
    )
    printer.refresh_from_db()
    assert printer.version == 1
    assert AuditEntry.objects.filter(action="update").count() == changes_before


def test_deactivating_keeps_the_product_but_marks_it_inactive(printer, company, admin):
    product_deactivate(actor=admin, company=company, product=printer)
    printer.refresh_from_db()
    assert printer.is_active is False
    assert AuditEntry.objects.filter(object_id=str(printer.pk), changes__is_active=[True, False]).exists()


def test_sales_may_look_but_not_change_products(printer, company, sales):
    with pytest.raises(NotPermitted):
        product_update(actor=sales, company=company, product=printer, data={"name": "改名"}, version=None)
    with pytest.raises(NotPermitted):
        product_deactivate(actor=sales, company=company, product=printer)


def test_purchasing_warehouse_and_production_keep_the_catalog(company, units):
    for role in ("purchasing", "warehouse", "production"):
        user = make_member(company, f"u_{role}", roles=[role])
        product = product_create(
            actor=user, company=company, sku=f"P-{role}", name=role, base_unit=units["pcs"]
        )
        assert product.pk


def test_a_packaging_unit_is_unique_per_product_and_never_the_base_unit(printer, company, admin, units):
    with pytest.raises(ValidationFailed) as caught:
        product_unit_create(
            actor=admin, company=company, product=printer, unit=units["box"], factor=Decimal("6")
        )
    assert "unit" in caught.value.fields
    with pytest.raises(ValidationFailed) as caught:
        product_unit_create(
            actor=admin, company=company, product=printer, unit=units["pcs"], factor=Decimal("1")
        )
    assert "unit" in caught.value.fields
    with pytest.raises(ValidationFailed) as caught:
        product_unit_create(
            actor=admin, company=company, product=printer, unit=units["kg"], factor=Decimal("0")
        )
    assert "factor" in caught.value.fields
    assert ProductUnit.objects.filter(product=printer).count() == 1


def test_a_packaging_barcode_cannot_repeat_a_product_barcode(printer, company, admin, units):
    with pytest.raises(ValidationFailed) as caught:
        product_unit_create(
            actor=admin,
            company=company,
            product=printer,
            unit=units["kg"],
            factor=Decimal("1"),
            barcode="6901234567890",
        )
    assert "barcode" in caught.value.fields


def test_the_category_tree_refuses_cycles_and_sibling_duplicates(company, admin, printers):
    office = printers.parent
    with pytest.raises(ValidationFailed) as caught:
        category_update(
            actor=admin, company=company, category=office, data={"parent": printers}, version=None
        )
    assert "parent" in caught.value.fields
    with pytest.raises(ValidationFailed) as caught:
        category_create(actor=admin, company=company, name="打印机", parent=office)
    assert "name" in caught.value.fields
    with pytest.raises(ValidationFailed):
        category_create(actor=admin, company=company, name="办公设备")
    # the same name under another parent is fine
    other = category_create(actor=admin, company=company, name="网络设备")
    assert category_create(actor=admin, company=company, name="打印机", parent=other).pk


def test_a_category_in_use_cannot_be_deleted(printer, company, admin, printers):
    with pytest.raises(Conflict):
        category_delete(actor=admin, company=company, category=printers)
    with pytest.raises(Conflict):
        category_delete(actor=admin, company=company, category=printers.parent)
    assert Category.objects.filter(pk=printers.pk).exists()
    empty = category_create(actor=admin, company=company, name="空分类")
    category_delete(actor=admin, company=company, category=empty)
    assert AuditEntry.objects.filter(object_id=str(empty.pk), action="delete").exists()


def test_a_unit_in_use_cannot_be_deleted(printer, company, admin, units):
    with pytest.raises(Conflict):
        unit_delete(actor=admin, company=company, unit=units["pcs"])
    unit_delete(actor=admin, company=company, unit=units["g"])
    assert not units["g"].__class__.objects.filter(pk=units["g"].pk).exists()


def test_unit_ratio_must_be_positive(company, admin):
    with pytest.raises(ValidationFailed) as caught:
        unit_create(actor=admin, company=company, code="t", name="吨", category="weight", ratio=Decimal("0"))
    assert "ratio" in caught.value.fields


def test_the_base_unit_stays_while_packaging_units_count_in_it(printer, company, admin, units):
    with pytest.raises(ValidationFailed) as caught:
        product_update(
            actor=admin, company=company, product=printer, data={"base_unit": units["kg"]}, version=1
        )
    assert "base_unit" in caught.value.fields
    printer.refresh_from_db()
    assert printer.base_unit == units["pcs"]
