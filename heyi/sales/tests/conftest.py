"""Sales test fixtures: a customer, products in 台 and 箱, two warehouses with stock, and helpers."""

from decimal import Decimal

import pytest

from conftest import make_member
from heyi.catalog.models import Unit
from heyi.catalog.services.products import product_create, product_unit_create
from heyi.catalog.services.units import unit_create
from heyi.inventory.models import StockMove
from heyi.inventory.services.ledger import MoveLine, Origin, stock_receive
from heyi.inventory.services.warehouses import warehouse_create
from heyi.partners.services.partners import partner_create
from heyi.sales.services.orders import sales_order_confirm, sales_order_create


@pytest.fixture
def warehouse_user(company):
    return make_member(company, "warehouse", roles=["warehouse"])


@pytest.fixture
def finance(company):
    return make_member(company, "finance", roles=["finance"])


@pytest.fixture
def units(company, admin):
    return {
        "pcs": unit_create(
            actor=admin,
            company=company,
            code="pcs",
            name="个",
            category=Unit.Category.COUNT,
            ratio=Decimal(1),
        ),
        "set": unit_create(
            actor=admin,
            company=company,
            code="set",
            name="台",
            category=Unit.Category.COUNT,
            ratio=Decimal(1),
        ),
        "box": unit_create(actor=admin, company=company, code="box", name="箱", category=Unit.Category.COUNT),
        "kg": unit_create(
            actor=admin,
            company=company,
            code="kg",
            name="千克",
            category=Unit.Category.WEIGHT,
            ratio=Decimal(1),
        ),
        "h": unit_create(
            actor=admin, company=company, code="h", name="小时", category=Unit.Category.TIME, ratio=Decimal(1)
        ),
    }


@pytest.fixture
def printer(company, admin, units):
    return product_create(
        actor=admin,
        company=company,
        sku="PRN-HP-M403",
        name="惠普激光打印机 M403dn",
        base_unit=units["set"],
        sale_price=Decimal("2680"),
        purchase_price=Decimal("2050"),
    )


@pytest.fixture
def paper(company, admin, units):
    """A4 paper in 包, sold by the 箱 of 10."""
    product = product_create(
        actor=admin,
        company=company,
        sku="CON-A4-70G",
        name="A4复印纸 70克 500张/包",
        base_unit=units["pcs"],
        sale_price=Decimal("22.5"),
    )
    product_unit_create(actor=admin, company=company, product=product, unit=units["box"], factor=Decimal(10))
    return product


@pytest.fixture
def installation(company, admin, units):
    return product_create(
        actor=admin,
        company=company,
        sku="SRV-INST-PRN",
        name="打印机上门安装调试",
        base_unit=units["h"],
        kind="service",
        tax_rate=Decimal("0.06"),
        sale_price=Decimal("150"),
    )


@pytest.fixture
def customer(company, admin):
    return partner_create(actor=admin, company=company, name="杭州星辰科技有限公司", is_customer=True)


@pytest.fixture
def hangzhou(company, admin):
    return warehouse_create(actor=admin, company=company, code="HZ01", name="杭州总仓")


@pytest.fixture
def shanghai(company, admin):
    return warehouse_create(actor=admin, company=company, code="SH01", name="上海分仓")


@pytest.fixture
def receive(company, admin):
    """Put stock on the shelf: receive(product, warehouse, quantity, unit_cost)."""

    def put(product, warehouse, quantity, unit_cost):
        return stock_receive(
            actor=admin,
            company=company,
            origin=Origin(type="test.receipt", id="1", reference="PO-TEST"),
            lines=[
                MoveLine(
                    product=product,
                    warehouse=warehouse,
                    quantity=Decimal(quantity),
                    unit_cost=Decimal(unit_cost),
                )
            ],
            kind=StockMove.Kind.RECEIPT,
        )

    return put


@pytest.fixture
def new_order(company, admin, customer):
    """A draft order: new_order([(product, quantity, price?), ...], actor=admin, **fields)."""

    def make(lines, actor=None, **fields):
        return sales_order_create(
            actor=actor or admin,
            company=company,
            customer=fields.pop("customer", customer),
            lines=[
                {"product": p, "quantity": Decimal(q), **({"unit_price": Decimal(rest[0])} if rest else {})}
                for p, q, *rest in lines
            ],
            **fields,
        )

    return make


@pytest.fixture
def confirmed(company, admin, new_order):
    def make(lines, **fields):
        return sales_order_confirm(actor=admin, company=company, order=new_order(lines, **fields))

    return make
