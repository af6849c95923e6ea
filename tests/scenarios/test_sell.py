"""Order to delivery to return, told as the people who do it.

李销售 takes an order from 杭州星辰科技 for 8 printers and 3 boxes of paper. Only 5 printers
are on the shelf: confirming reserves those 5 and the 3 boxes, the rest is a backorder and
inventory raises the shortage. 周仓管 ships what is there. New printers arrive at a higher
cost; the backorder goes out in a second delivery and the order is delivered. The customer
sends one printer back; it returns to stock at the cost it left at, and the margin is right.
A second company that refuses shortages cannot confirm more than it has.
"""

from decimal import Decimal

import pytest

from conftest import make_member
from heyi.catalog.models import Unit
from heyi.catalog.services.products import product_create, product_unit_create
from heyi.catalog.services.units import unit_create
from heyi.inventory.models import StockMove
from heyi.inventory.selectors import stock_available, stock_differences
from heyi.inventory.services.ledger import MoveLine, Origin, stock_receive
from heyi.inventory.services.warehouses import warehouse_create
from heyi.partners.services.partners import partner_create
from heyi.platform.models import OutboxEvent
from heyi.sales.services.orders import sales_settings_update

D = Decimal


@pytest.fixture
def world(company, admin, sales):
    pcs = unit_create(
        actor=admin, company=company, code="pcs", name="包", category=Unit.Category.COUNT, ratio=D(1)
    )
    sets = unit_create(
        actor=admin, company=company, code="set", name="台", category=Unit.Category.COUNT, ratio=D(1)
    )
    box = unit_create(actor=admin, company=company, code="box", name="箱", category=Unit.Category.COUNT)
    printer = product_create(
        actor=admin,
        company=company,
        sku="PRN-HP-M403",
        name="惠普激光打印机 M403dn",
        base_unit=sets,
        sale_price=D("2680"),
    )
    paper = product_create(
        actor=admin,
        company=company,
        sku="CON-A4-70G",
        name="A4复印纸 70克",
        base_unit=pcs,
        sale_price=D("22.5"),
    )
    product_unit_create(actor=admin, company=company, product=paper, unit=box, factor=D(10))
    store = warehouse_create(actor=admin, company=company, code="HZ01", name="杭州总仓")
    customer = partner_create(actor=sales, company=company, name="杭州星辰科技有限公司", is_customer=True)
    return {"printer": printer, "paper": paper, "box": box, "store": store, "customer": customer}


def _receive(company, admin, product, store, quantity, cost):
    stock_receive(
        actor=admin,
        company=company,
        origin=Origin(type="test.receipt", id=str(quantity), reference="PO-2026-000001"),
        lines=[MoveLine(product=product, warehouse=store, quantity=D(quantity), unit_cost=D(cost))],
    )


def _ok(response, status=200):
    assert response.status_code == status, response.json()
    return response.json()


def test_order_partial_delivery_backorder_delivery_return(company, admin, sales, api_as, world):
    keeper = make_member(company, "warehouse", roles=["warehouse"])
    service_desk = make_member(company, "after_sales", roles=["after_sales"])
    li, zhou, zheng = api_as(sales, company), api_as(keeper, company), api_as(service_desk, company)
    printer, paper, store = world["printer"], world["paper"], world["store"]
    _receive(company, admin, printer, store, 5, "2000")
    _receive(company, admin, paper, store, 100, "15")

    # 李销售 takes the order: 8 printers at 2680 less 5 %, 3 boxes of paper at 210 a box.
    order = _ok(
        li.post(
            "/sales-orders",
            {
                "customer_id": str(world["customer"].pk),
                "delivery_address": "杭州市西湖区文三路90号",
                "lines": [
                    {
                        "product_id": str(printer.pk),
                        "quantity": "8",
                        "unit_price": "2680",
                        "discount_percent": "5",
                    },
                    {
                        "product_id": str(paper.pk),
                        "quantity": "3",
                        "unit_id": str(world["box"].pk),
                        "unit_price": "210",
                    },
                ],
            },
        ),
        201,
    )
    # 8 x 2680 x 0.95 = 20368.00 + tax 2647.84; 3 x 210 = 630.00 + tax 81.90
    assert order["untaxed_amount"] == "20998.00" and order["total_amount"] == "23727.74"

    # Confirming reserves what there is: 5 printers and the 30 packs; 3 printers are a backorder.
    order = _ok(li.post(f"/sales-orders/{order['id']}/confirm"))
    printers, papers = order["lines"]
    assert order["state"] == "confirmed"
    assert printers["reserved_quantity"] == "5.0000" and papers["reserved_quantity"] == "3.0000"
    assert stock_available(company, printer) == 0 and stock_available(company, paper) == 70
    shortage = OutboxEvent.objects.get(type="inventory.stock_shortage")
    assert shortage.data["product_id"] == str(printer.pk)

    # 周仓管 ships what is on the shelf.
    first = _ok(zhou.post("/deliveries", {"order_id": order["id"]}), 201)
    assert {ln["quantity"] for ln in first["lines"]} == {"5.0000", "3.0000"}
    _ok(zhou.post(f"/deliveries/{first['id']}/confirm"))
    first = _ok(
        zhou.post(
            f"/deliveries/{first['id']}/ship", {"carrier": "顺丰速运", "tracking_number": "SF1402837465"}
        )
    )
    assert first["state"] == "shipped"
    order = _ok(li.get(f"/sales-orders/{order['id']}"))
    assert order["state"] == "partially_delivered"
    assert (
        order["lines"][0]["delivered_quantity"] == "5.0000"
        and order["lines"][1]["delivered_quantity"] == "3.0000"
    )
    # nothing more can go until stock comes in
    assert zhou.post("/deliveries", {"order_id": order["id"]}).json()["error"]["code"] == "nothing_to_deliver"

    # Printers arrive at 2300; the backorder goes out in a second delivery.
    _receive(company, admin, printer, store, 4, "2300")
    second = _ok(zhou.post("/deliveries", {"order_id": order["id"]}), 201)
    assert [ln["quantity"] for ln in second["lines"]] == ["3.0000"]
    _ok(zhou.post(f"/deliveries/{second['id']}/confirm"))
    second = _ok(zhou.post(f"/deliveries/{second['id']}/ship"))
    order = _ok(li.get(f"/sales-orders/{order['id']}"))
    assert order["state"] == "delivered" and order["lines"][0]["delivered_quantity"] == "8.0000"
    assert stock_available(company, printer) == 1

    # One printer of the second delivery comes back, at the 2300 it left at.
    line = second["lines"][0]
    assert line["cost_amount"] == "6900.00"
    sales_return = _ok(
        zheng.post(
            "/sales-returns",
            {
                "delivery_id": second["id"],
                "lines": [{"delivery_line_id": line["id"], "quantity": "1"}],
                "reason": "外壳破损",
            },
        ),
        201,
    )
    too_many = zheng.post(
        "/sales-returns",
        {"delivery_id": second["id"], "lines": [{"delivery_line_id": line["id"], "quantity": "3"}]},
    )
    assert too_many.status_code == 422 and too_many.json()["error"]["code"] == "over_return"
    received = _ok(zheng.post(f"/sales-returns/{sales_return['id']}/confirm"))
    assert received["lines"][0]["value"] == "2300.00"
    assert stock_available(company, printer) == 2
    back = StockMove.objects.get(kind=StockMove.Kind.CUSTOMER_RETURN)
    assert back.unit_cost == D("2300") and back.quantity == 1

    # Margin: 7 printers stayed out, 7/8 of 20368.00 = 17822.00, cost 5 x 2000 + 3 x 2300 - 2300
    # = 14600.00; the paper 630.00 against 450.00.
    margins = _ok(li.get("/sales-margins", group="product"))
    by_label = {m["label"]: m for m in margins["items"]}
    assert by_label["PRN-HP-M403 惠普激光打印机 M403dn"]["revenue"] == "17822.00"
    assert by_label["PRN-HP-M403 惠普激光打印机 M403dn"]["cost"] == "14600.00"
    assert by_label["CON-A4-70G A4复印纸 70克"]["margin"] == "180.00"
    assert margins["margin"] == str(D("17822.00") + D("630.00") - D("14600.00") - D("450.00"))
    by_seller = _ok(li.get("/sales-margins", group="salesperson"))["items"]
    assert len(by_seller) == 1 and by_seller[0]["key"] == str(sales.pk)

    assert _ok(li.post(f"/sales-orders/{order['id']}/close"))["state"] == "closed"
    assert stock_differences(company) == []


def test_a_company_that_refuses_shortages_cannot_confirm_more_than_it_has(
    company, admin, sales, api_as, world
):
    sales_settings_update(actor=admin, company=company, on_shortage="refuse")
    printer, paper, store = world["printer"], world["paper"], world["store"]
    _receive(company, admin, printer, store, 2, "2000")
    _receive(company, admin, paper, store, 100, "15")
    li = api_as(sales, company)
    order = _ok(
        li.post(
            "/sales-orders",
            {
                "customer_id": str(world["customer"].pk),
                "lines": [
                    {"product_id": str(paper.pk), "quantity": "20"},
                    {"product_id": str(printer.pk), "quantity": "3"},
                ],
            },
        ),
        201,
    )
    refused = li.post(f"/sales-orders/{order['id']}/confirm")
    assert refused.status_code == 422 and refused.json()["error"]["code"] == "insufficient_stock"
    # the paper line's reservation, made before the printers fell short, was rolled back too
    assert stock_available(company, paper) == 100 and stock_available(company, printer) == 2
    assert _ok(li.get(f"/sales-orders/{order['id']}"))["state"] == "draft"
    assert not OutboxEvent.objects.filter(type="sales.order_confirmed").exists()

    # two printers it has: then it confirms
    _ok(
        li.patch(
            f"/sales-orders/{order['id']}",
            {"version": 1, "lines": [{"product_id": str(printer.pk), "quantity": "2"}]},
        )
    )
    assert _ok(li.post(f"/sales-orders/{order['id']}/confirm"))["state"] == "confirmed"
    assert stock_available(company, printer) == 0
    assert stock_differences(company) == []
