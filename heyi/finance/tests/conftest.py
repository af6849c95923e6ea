"""Finance fixtures: a finance user, products with stock, a customer and a supplier, and
helpers that run the business flows whose postings finance books:

- `shipped(lines)`: a confirmed sales order for `customer` shipped in full, returns the delivery;
  lines are (product, quantity, unit_price).
- `received(lines)`: a confirmed purchase order from `supplier` received in full into `store`,
  returns the receipt; lines are (product, quantity, unit_price).
"""

import datetime
from decimal import Decimal

import pytest

from conftest import make_member
from heyi.catalog.models import Unit
from heyi.catalog.services.products import product_create
from heyi.catalog.services.units import unit_create
from heyi.finance.models import Account
from heyi.finance.services.common import finance_settings
from heyi.inventory.services.warehouses import warehouse_create
from heyi.partners.services.partners import partner_create
from heyi.purchasing.services.orders import OrderLineIn, purchase_order_confirm, purchase_order_create
from heyi.purchasing.services.receipts import ReceiptLineIn, receipt_confirm, receipt_create
from heyi.sales.services.deliveries import delivery_confirm, delivery_create, delivery_ship
from heyi.sales.services.orders import sales_order_confirm, sales_order_create

D = Decimal


@pytest.fixture
def books(company):
    return finance_settings(company)


@pytest.fixture
def bank(company, books):
    return Account.objects.get(company=company, code="1002")


@pytest.fixture
def finance(company):
    return make_member(company, "finance", roles=["finance"])


@pytest.fixture
def pcs(company, admin):
    return unit_create(
        actor=admin, company=company, code="pcs", name="个", category=Unit.Category.COUNT, ratio=D(1)
    )


@pytest.fixture
def printer(company, admin, pcs):
    return product_create(
        actor=admin,
        company=company,
        sku="PRN-M403",
        name="激光打印机 M403",
        base_unit=pcs,
        sale_price=D("2680"),
        purchase_price=D("2000"),
    )


@pytest.fixture
def toner(company, admin, pcs):
    return product_create(
        actor=admin,
        company=company,
        sku="TNR-26A",
        name="硒鼓 26A",
        base_unit=pcs,
        sale_price=D("399"),
        purchase_price=D("210"),
    )


@pytest.fixture
def customer(company, admin):
    return partner_create(actor=admin, company=company, name="杭州星辰科技有限公司", is_customer=True)


@pytest.fixture
def supplier(company, admin):
    return partner_create(actor=admin, company=company, name="深圳办公设备有限公司", is_supplier=True)


@pytest.fixture
def store(company, admin):
    return warehouse_create(actor=admin, company=company, code="HZ01", name="杭州总仓")


@pytest.fixture
def received(company, admin, supplier, store):
    def make(lines, on: datetime.date | None = None):
        order = purchase_order_create(
            actor=admin,
            company=company,
            supplier=supplier,
            order_date=on or datetime.date.today(),
            lines=[OrderLineIn(product=p, quantity=D(q), unit_price=D(price)) for p, q, price in lines],
        )
        purchase_order_confirm(actor=admin, company=company, order=order)
        receipt = receipt_create(
            actor=admin,
            company=company,
            order=order,
            lines=[
                ReceiptLineIn(order_line=line, quantity=line.quantity, warehouse=store)
                for line in order.lines.all()
            ],
        )
        return receipt_confirm(actor=admin, company=company, receipt=receipt)

    return make


@pytest.fixture
def shipped(company, admin, customer):
    def make(lines):
        order = sales_order_create(
            actor=admin,
            company=company,
            customer=customer,
            lines=[{"product": p, "quantity": D(q), "unit_price": D(price)} for p, q, price in lines],
        )
        sales_order_confirm(actor=admin, company=company, order=order)
        delivery = delivery_create(actor=admin, company=company, order=order)
        delivery_confirm(actor=admin, company=company, delivery=delivery)
        return delivery_ship(actor=admin, company=company, delivery=delivery)

    return make
