"""A small buying world: a buyer, a warehouse keeper, two suppliers, products, two warehouses."""

from decimal import Decimal

import pytest

from conftest import make_member
from heyi.catalog.models import Unit
from heyi.catalog.services.products import product_unit_create
from heyi.catalog.services.units import unit_create
from heyi.inventory.tests.factories import make_product, make_warehouse
from heyi.partners.services.partners import partner_create


@pytest.fixture
def buyer(company):
    return make_member(company, "buyer", roles=["purchasing"])


@pytest.fixture
def keeper(company):
    return make_member(company, "keeper", roles=["warehouse"])


@pytest.fixture
def clerk(company):
    return make_member(company, "clerk", roles=["employee"])


@pytest.fixture
def supplier(company, admin):
    return partner_create(actor=admin, company=company, name="宁波电子元件有限公司", is_supplier=True)


@pytest.fixture
def supplier2(company, admin):
    return partner_create(actor=admin, company=company, name="深圳华强贸易有限公司", is_supplier=True)


@pytest.fixture
def box(company, admin):
    return unit_create(actor=admin, company=company, code="box", name="箱", category=Unit.Category.COUNT)


@pytest.fixture
def toner(company, admin, box):
    product = make_product(
        company,
        admin,
        "CON-TN-CF228",
        "惠普硒鼓 CF228A",
        purchase_price=Decimal("320"),
        safety_stock=Decimal("20"),
        reorder_point=Decimal("50"),
    )
    product_unit_create(actor=admin, company=company, product=product, unit=box, factor=Decimal(10))
    return product


@pytest.fixture
def resistor(company, admin):
    return make_product(company, admin, "RES-0603-10K", "贴片电阻 0603 10KΩ", purchase_price=Decimal("0.006"))


@pytest.fixture
def main_store(company, admin):
    return make_warehouse(company, admin, "HZ01")


@pytest.fixture
def second_store(company, admin):
    return make_warehouse(company, admin, "SH01")
