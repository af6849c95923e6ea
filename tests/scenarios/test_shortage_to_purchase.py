"""A sales shortage becomes a purchase without anyone retyping it, told as the people involved.

Last month 孙采购 ordered a projector each from two suppliers, which left a price history.
李销售 confirms an order for 6 projectors with only 2 on the shelf; the order stays confirmed
with a backorder of 4, and inventory's shortage lands on purchasing's automatic requisition.
孙采购 turns it into a purchase order: the supplier who sold cheapest lately is proposed with
their price. 周仓管 receives the projectors; the backorder ships from them, at the new average
cost, together with the two that were held, and the order is delivered. The ledger agrees with the kept figures throughout.
"""

from decimal import Decimal

from conftest import ApiClient, make_member
from heyi.inventory.selectors import stock_available, stock_differences
from heyi.inventory.tests.factories import make_product, make_warehouse, receive
from heyi.partners.services.partners import partner_create

D = Decimal


def _ok(response, status=200):
    assert response.status_code == status, response.content
    return response.json()


def test_a_shortage_on_a_sales_order_is_bought_received_and_shipped(company, admin, sales):
    buyer = make_member(company, "孙采购", roles=["purchasing"])
    keeper = make_member(company, "周仓管", roles=["warehouse"])
    li, sun, zhou, boss = (ApiClient(u, company) for u in (sales, buyer, keeper, admin))
    projector = make_product(company, admin, "PRJ-BQ-E580", "明基投影仪 E580", sale_price=D("3999"))
    store = make_warehouse(company, admin, "HZ01")
    receive(company, admin, projector, store, 2, "2800")
    cheap = partner_create(actor=admin, company=company, name="上海视讯设备有限公司", is_supplier=True)
    dear = partner_create(actor=admin, company=company, name="北京影像科技有限公司", is_supplier=True)
    customer = partner_create(actor=sales, company=company, name="杭州星辰科技有限公司", is_customer=True)

    # Last month's purchases left a price history: 上海视讯 sold at 2,750, 北京影像 at 2,900.
    for supplier, price in ((cheap, "2750"), (dear, "2900")):
        order = _ok(
            sun.post(
                "/purchase-orders",
                {
                    "supplier_id": str(supplier.pk),
                    "lines": [{"product_id": str(projector.pk), "quantity": "1", "unit_price": price}],
                },
            ),
            201,
        )
        _ok(sun.post(f"/purchase-orders/{order['id']}/confirm"))

    order = _ok(
        li.post(
            "/sales-orders",
            {
                "customer_id": str(customer.pk),
                "lines": [{"product_id": str(projector.pk), "quantity": "6", "unit_price": "3999"}],
            },
        ),
        201,
    )
    order = _ok(li.post(f"/sales-orders/{order['id']}/confirm"))
    assert order["state"] == "confirmed" and order["lines"][0]["reserved_quantity"] == "2.0000"

    # The shortfall of 4 is already on purchasing's automatic requisition, approved.
    requisitions = _ok(sun.get("/purchase-requisitions"))["items"]
    (shortage,) = [r for r in requisitions if r["source"] == "shortage"]
    assert shortage["status"] == "approved"
    assert [(ln["product_id"], ln["quantity"]) for ln in shortage["lines"]] == [(str(projector.pk), "4.0000")]

    (purchase,) = _ok(
        sun.post("/purchase-orders/from-requisitions", {"requisition_ids": [shortage["id"]]}), 201
    )
    assert purchase["supplier_id"] == str(cheap.pk), "the cheapest recent supplier is proposed"
    assert purchase["lines"][0]["unit_price"] == "2750.000000"
    _ok(sun.post(f"/purchase-orders/{purchase['id']}/confirm"))

    receipt = _ok(
        zhou.post(
            "/receipts",
            {
                "order_id": purchase["id"],
                "lines": [
                    {
                        "order_line_id": purchase["lines"][0]["id"],
                        "quantity": "4",
                        "warehouse_id": str(store.pk),
                    }
                ],
            },
        ),
        201,
    )
    _ok(
        zhou.post(
            f"/receipts/{receipt['id']}/inspect",
            {"lines": [{"line_id": receipt["lines"][0]["id"], "accepted": "4", "rejected": "0"}]},
        )
    )
    _ok(zhou.post(f"/receipts/{receipt['id']}/confirm"))
    assert stock_available(company, projector) == 4, "the 2 reserved stay held; the 4 new ones are free"

    # One delivery takes the 2 held for the order and the 4 that just came in.
    delivery = _ok(zhou.post("/deliveries", {"order_id": order["id"]}), 201)
    assert sum(D(ln["quantity"]) for ln in delivery["lines"]) == 6
    _ok(zhou.post(f"/deliveries/{delivery['id']}/confirm"))
    _ok(zhou.post(f"/deliveries/{delivery['id']}/ship", {"carrier": "顺丰速运", "tracking_number": "SF1"}))
    order = _ok(li.get(f"/sales-orders/{order['id']}"))
    assert order["state"] == "delivered"
    assert stock_available(company, projector) == 0

    # Cost: 2 at 2,800 and 4 at 2,750 -> 16,600 for the 6 that went out.
    margin = _ok(boss.get("/sales-margins", group="order"))["items"][0]
    assert (margin["revenue"], margin["cost"]) == ("23994.00", "16600.00")
    assert stock_differences(company) == []
