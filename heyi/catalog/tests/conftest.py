"""A small catalog for the stories: units, a category, a printer sold by the piece and by the box."""

from decimal import Decimal

import pytest

from heyi.catalog.services.categories import category_create
from heyi.catalog.services.products import product_create, product_unit_create
from heyi.catalog.services.units import unit_create


@pytest.fixture
def units(company, admin):
    spec = [
        ("pcs", "个", "count", "1"),
        ("box", "箱", "count", None),
        ("kg", "千克", "weight", "1"),
        ("g", "克", "weight", "0.001"),
    ]
    return {
        code: unit_create(
            actor=admin,
            company=company,
            code=code,
            name=name,
            category=category,
            ratio=Decimal(ratio) if ratio else None,
        )
        for code, name, category, ratio in spec
    }


@pytest.fixture
def printers(company, admin):
    office = category_create(actor=admin, company=company, name="办公设备")
    return category_create(actor=admin, company=company, name="打印机", parent=office)


@pytest.fixture
def printer(company, admin, units, printers):
    product = product_create(
        actor=admin,
        company=company,
        sku="PRN-001",
        name="杭州科技打印机",
        base_unit=units["pcs"],
        category=printers,
        barcode="6901234567890",
        sale_price=Decimal("100"),
        purchase_price=Decimal("70"),
        safety_stock=Decimal("5"),
    )
    product_unit_create(
        actor=admin, company=company, product=product, unit=units["box"], factor=Decimal("12")
    )
    return product
