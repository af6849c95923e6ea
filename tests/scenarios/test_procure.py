"""Procure to stock, told as the people who do it.

陈员工 asks for toner; the request is approved at once (no approval flow yet). 孙采购 turns it
into an order, and the system proposes the supplier who sold cheapest lately. 周仓管 receives
part of it, inspection rejects some cartridges, which go to quarantine and never show as
available; the rest arrives later, the order is received, and the rejects go back.
"""

import datetime
from decimal import Decimal

import pytest

from conftest import make_member
from heyi.catalog.models import Unit
from heyi.catalog.services.products import product_unit_create
from heyi.catalog.services.units import unit_create
from heyi.inventory.models import StockMove, Warehouse
from heyi.inventory.selectors import stock_available, stock_differences
from heyi.inventory.services.warehouses import special_warehouse
from heyi.inventory.tests.factories import make_product, make_warehouse
from heyi.partners.services.partners import partner_create
from heyi.platform.models import OutboxEvent
from heyi.purchasing.errors import OverReceipt
from heyi.purchasing.models import PurchaseOrder, PurchaseRequisition, Receipt, SupplierPrice
from heyi.purchasing.services.orders import (
    OrderLineIn,
    purchase_order_confirm,
    purchase_order_create,
    purchase_order_from_requisitions,
)
from heyi.purchasing.services.receipts import (
    InspectionIn,
    ReceiptLineIn,
    ReturnLineIn,
    purchase_return_create,
    purchase_return_ship,
    receipt_confirm,
    receipt_create,
    receipt_inspect,
)
from heyi.purchasing.services.requisitions import (
    RequisitionLineIn,
    purchase_requisition_create,
    purchase_requisition_submit,
)

D = Decimal


@pytest.fixture
def world(company, admin):
    box = unit_create(actor=admin, company=company, code="box", name="箱", category=Unit.Category.COUNT)
    toner = make_product(company, admin, "CON-TN-CF228", "惠普硒鼓 CF228A", purchase_price=D("330"))
    product_unit_create(actor=admin, company=company, product=toner, unit=box, factor=D(10))
    return {
        "toner": toner,
        "box": box,
        "store": make_warehouse(company, admin, "HZ01"),
        "ningbo": partner_create(actor=admin, company=company, name="宁波耗材有限公司", is_supplier=True),
        "shenzhen": partner_create(
            actor=admin, company=company, name="深圳办公用品有限公司", is_supplier=True
        ),
        "clerk": make_member(company, "chen", roles=["employee"]),
        "buyer": make_member(company, "sun", roles=["purchasing"]),
        "keeper": make_member(company, "zhou", roles=["warehouse"]),
    }


def _history(company, world, supplier, price, days_ago):
    """An earlier confirmed order: the price history the suggestion learns from."""
    order = purchase_order_create(
        actor=world["buyer"],
        company=company,
        supplier=supplier,
        order_date=datetime.date.today() - datetime.timedelta(days=days_ago),
        lines=[OrderLineIn(product=world["toner"], quantity=D(5), unit_price=D(price))],
    )
    purchase_order_confirm(actor=world["buyer"], company=company, order=order)


def test_requisition_to_order_to_partial_receipt_with_rejects_to_return(company, world):
    toner, store = world["toner"], world["store"]
    _history(company, world, world["ningbo"], "318", days_ago=40)
    _history(company, world, world["shenzhen"], "305", days_ago=20)
    _history(company, world, world["ningbo"], "312", days_ago=5)
    assert SupplierPrice.objects.filter(company=company, product=toner).count() == 3

    # 陈员工 asks for 30 cartridges; submitting approves it directly.
    requisition = purchase_requisition_create(
        actor=world["clerk"],
        company=company,
        lines=[RequisitionLineIn(product=toner, quantity=D(30), reason="打印机耗材补充")],
    )
    assert requisition.number.startswith("PR-") and requisition.status == "draft"
    purchase_requisition_submit(actor=world["clerk"], company=company, requisition=requisition)
    requisition.refresh_from_db()
    assert requisition.status == PurchaseRequisition.Status.APPROVED
    assert OutboxEvent.objects.filter(
        type="purchasing.requisition_approved", subject_id=str(requisition.pk)
    ).exists()

    # 孙采购 orders it: 深圳 sold cheapest in the last year, so it gets the order at 305.
    (order,) = purchase_order_from_requisitions(
        actor=world["buyer"], company=company, requisitions=[requisition]
    )
    assert order.supplier == world["shenzhen"] and order.status == "draft"
    line = order.lines.get()
    assert (line.quantity, line.unit_price) == (D(30), D("305.000000"))
    # 30 × 305 = 9150.00, VAT 13% = 1189.50
    assert (order.total_net, order.total_tax, order.total_gross) == (
        D("9150.00"),
        D("1189.50"),
        D("10339.50"),
    )
    requisition.refresh_from_db()
    assert requisition.status == "ordered"
    purchase_order_confirm(actor=world["buyer"], company=company, order=order)
    order.refresh_from_db()
    assert order.status == PurchaseOrder.Status.CONFIRMED

    # 周仓管 receives 2 boxes (20); inspection rejects 3.
    receipt = receipt_create(
        actor=world["keeper"],
        company=company,
        order=order,
        lines=[
            ReceiptLineIn(
                order_line=line, quantity=D(2), unit=world["box"], warehouse=store, batch_code="B2611"
            )
        ],
    )
    assert receipt.number.startswith("GR-")
    receipt_line = receipt.lines.get()
    receipt_inspect(
        actor=world["keeper"],
        company=company,
        receipt=receipt,
        results=[InspectionIn(receipt_line, accepted=D("1.7"), rejected=D("0.3"), reason="外壳破损")],
    )
    receipt_confirm(actor=world["keeper"], company=company, receipt=receipt)
    receipt.refresh_from_db()
    order.refresh_from_db()
    line.refresh_from_db()
    assert receipt.status == Receipt.Status.CONFIRMED
    assert order.status == PurchaseOrder.Status.PARTIALLY_RECEIVED and line.received_quantity == D(20)

    quarantine = special_warehouse(company=company, kind=Warehouse.Kind.QUARANTINE)
    assert stock_available(company, toner) == D(17)
    assert stock_available(company, toner, store) == D(17)
    move = StockMove.objects.get(company=company, warehouse=store, origin_id=str(receipt.pk))
    assert move.unit_cost == D("305.000000") and move.value == D("5185.00")
    assert StockMove.objects.get(company=company, warehouse=quarantine).quantity == D(3)
    assert stock_differences(company) == []

    # The rest (10) arrives; more than that is refused.
    with pytest.raises(OverReceipt):
        receipt_create(
            actor=world["keeper"],
            company=company,
            order=order,
            lines=[ReceiptLineIn(order_line=line, quantity=D(11), warehouse=store)],
        )
    second = receipt_create(
        actor=world["keeper"],
        company=company,
        order=order,
        lines=[ReceiptLineIn(order_line=line, quantity=D(10), warehouse=store)],
    )
    receipt_confirm(actor=world["keeper"], company=company, receipt=second)
    order.refresh_from_db()
    assert order.status == PurchaseOrder.Status.RECEIVED
    assert stock_available(company, toner) == D(27)

    # The three rejects go back to 深圳 from quarantine.
    purchase_return = purchase_return_create(
        actor=world["buyer"],
        company=company,
        receipt=receipt,
        lines=[ReturnLineIn(receipt_line=receipt_line, quantity=D("0.3"), from_quarantine=True)],
        reason="质检不合格",
    )
    assert purchase_return.number.startswith("PRT-")
    purchase_return_ship(actor=world["keeper"], company=company, purchase_return=purchase_return)
    purchase_return.refresh_from_db()
    assert purchase_return.status == "shipped"
    returned = StockMove.objects.get(company=company, kind=StockMove.Kind.SUPPLIER_RETURN)
    assert returned.warehouse == quarantine and returned.quantity == D(-3)
    assert stock_available(company, toner) == D(27)
    assert stock_differences(company) == []
    assert OutboxEvent.objects.filter(type="purchasing.return_shipped").count() == 1
