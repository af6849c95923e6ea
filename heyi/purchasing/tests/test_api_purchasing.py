"""The purchasing API as buyers, the warehouse and integrators call it."""

from decimal import Decimal

import pytest

from heyi.inventory.selectors import stock_available
from heyi.purchasing.models import PurchaseOrder, PurchaseRequisition, Receipt, SupplierPrice

D = Decimal


@pytest.fixture
def order(api, supplier, toner, resistor, main_store):
    r = api.post(
        "/purchase-orders",
        {
            "supplier_id": str(supplier.pk),
            "warehouse_id": str(main_store.pk),
            "lines": [
                {"product_id": str(toner.pk), "quantity": "3", "unit_price": "318.333333"},
                {
                    "product_id": str(resistor.pk),
                    "quantity": "2500",
                    "unit_price": "0.006",
                    "tax_rate": "0.13",
                },
            ],
        },
    )
    assert r.status_code == 201, r.json()
    return r.json()


def test_an_order_rounds_each_line_half_up_and_sums_the_rounded_lines(order):
    toner_line, resistor_line = order["lines"]
    # 3 × 318.333333 = 954.999999 -> 955.00; tax 13% = 124.15
    assert (toner_line["net_amount"], toner_line["tax_amount"], toner_line["gross_amount"]) == (
        "955.00",
        "124.15",
        "1079.15",
    )
    # 2500 × 0.006 = 15.00; tax 1.95
    assert (resistor_line["net_amount"], resistor_line["tax_amount"]) == ("15.00", "1.95")
    assert (order["total_net"], order["total_tax"], order["total_gross"]) == ("970.00", "126.10", "1096.10")
    assert order["number"].startswith("PO-") and order["status"] == "draft"
    assert toner_line["unit_price"] == "318.333333" and toner_line["quantity"] == "3.0000"


def test_confirming_writes_the_price_history_and_a_stale_patch_gets_409(api, order):
    stale = api.patch(f"/purchase-orders/{order['id']}", {"version": order["version"], "notes": "加急"})
    assert stale.status_code == 200 and stale.json()["version"] == order["version"] + 1
    again = api.patch(f"/purchase-orders/{order['id']}", {"version": order["version"], "notes": "改"})
    assert again.status_code == 409 and again.json()["error"]["code"] == "stale_version"
    assert PurchaseOrder.objects.get(pk=order["id"]).notes == "加急"

    confirmed = api.post(f"/purchase-orders/{order['id']}/confirm")
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "confirmed"
    prices = api.get("/supplier-prices", product=order["lines"][0]["product_id"]).json()
    assert prices["count"] == 1 and prices["items"][0]["unit_price"] == "318.333333"
    assert api.post(f"/purchase-orders/{order['id']}/confirm").status_code == 409
    edit = api.patch(
        f"/purchase-orders/{order['id']}", {"version": confirmed.json()["version"], "notes": "x"}
    )
    assert edit.status_code == 409


@pytest.mark.parametrize("quantity", ["0", "-1", "abc", "1e309", "NaN", "1.00001"])
def test_bad_quantities_are_refused_and_nothing_is_written(api, supplier, toner, quantity):
    r = api.post(
        "/purchase-orders",
        {"supplier_id": str(supplier.pk), "lines": [{"product_id": str(toner.pk), "quantity": quantity}]},
    )
    assert r.status_code == 400, r.json()
    assert PurchaseOrder.objects.count() == 0


def test_another_companys_supplier_or_product_is_not_found(
    api, api_as, company, other_company, outsider, supplier, toner
):
    from heyi.inventory.tests.factories import make_product
    from heyi.partners.services.partners import partner_create

    foreign_supplier = partner_create(
        actor=outsider, company=other_company, name="外司供应商", is_supplier=True
    )
    foreign_product = make_product(other_company, outsider, "X-1")
    for supplier_id, product_id in ((foreign_supplier.pk, toner.pk), (supplier.pk, foreign_product.pk)):
        r = api.post(
            "/purchase-orders",
            {"supplier_id": str(supplier_id), "lines": [{"product_id": str(product_id), "quantity": "1"}]},
        )
        assert r.status_code == 404
    r = api.post(
        "/purchase-requisitions", {"lines": [{"product_id": str(foreign_product.pk), "quantity": "1"}]}
    )
    assert r.status_code == 404
    assert PurchaseOrder.objects.count() == 0 and PurchaseRequisition.objects.count() == 0


def test_a_customer_only_partner_cannot_be_ordered_from(api, company, admin, toner):
    from heyi.partners.services.partners import partner_create

    customer = partner_create(actor=admin, company=company, name="只是客户", is_customer=True)
    r = api.post(
        "/purchase-orders",
        {"supplier_id": str(customer.pk), "lines": [{"product_id": str(toner.pk), "quantity": "1"}]},
    )
    assert r.status_code == 422 and r.json()["error"]["code"] == "not_a_supplier"


def _receive(api, order, quantity, **extra):
    line = order["lines"][0]
    return api.post(
        "/receipts",
        {"order_id": order["id"], "lines": [{"order_line_id": line["id"], "quantity": quantity, **extra}]},
    )


def test_receipts_beyond_the_order_and_tolerance_get_422(api, order, company, toner):
    api.post(f"/purchase-orders/{order['id']}/confirm")
    over = _receive(api, order, "3.5")
    assert over.status_code == 422 and over.json()["error"]["code"] == "over_receipt"
    assert "lines[0].quantity" in over.json()["error"]["fields"]
    assert Receipt.objects.count() == 0

    settings = api.patch("/purchasing-settings", {"over_receipt_tolerance": "20"})
    assert settings.status_code == 200 and settings.json()["over_receipt_tolerance"] == "20.00"
    ok = _receive(api, order, "3.5")
    assert ok.status_code == 201, ok.json()
    assert _receive(api, order, "3.6").status_code == 201  # a draft does not count until confirmed
    assert api.post(f"/receipts/{ok.json()['id']}/confirm").status_code == 200
    assert stock_available(company, toner) == D("3.5")
    assert _receive(api, order, "0.1").status_code == 201  # 3 + 20% = 3.6
    assert _receive(api, order, "0.1001").status_code == 422


def test_inspection_must_add_up_and_rejects_go_to_quarantine(api, order, company, toner, main_store):
    api.post(f"/purchase-orders/{order['id']}/confirm")
    receipt = _receive(api, order, "3").json()
    line_id = receipt["lines"][0]["id"]
    bad = api.post(
        f"/receipts/{receipt['id']}/inspect",
        {"lines": [{"line_id": line_id, "accepted": "2", "rejected": "2"}]},
    )
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "inspection_mismatch"
    ok = api.post(
        f"/receipts/{receipt['id']}/inspect",
        {"lines": [{"line_id": line_id, "accepted": "2", "rejected": "1"}]},
    )
    assert ok.status_code == 200 and ok.json()["status"] == "inspected"
    done = api.post(f"/receipts/{receipt['id']}/confirm")
    assert done.status_code == 200 and done.json()["status"] == "confirmed"
    assert stock_available(company, toner) == D(2)
    assert api.get(f"/purchase-orders/{order['id']}").json()["status"] == "partially_received"

    too_many = api.post(
        "/purchase-returns",
        {
            "receipt_id": receipt["id"],
            "lines": [{"receipt_line_id": line_id, "quantity": "2", "from_quarantine": True}],
        },
    )
    assert too_many.status_code == 422 and too_many.json()["error"]["code"] == "over_return"
    back = api.post(
        "/purchase-returns",
        {
            "receipt_id": receipt["id"],
            "lines": [{"receipt_line_id": line_id, "quantity": "1", "from_quarantine": True}],
        },
    )
    assert back.status_code == 201
    shipped = api.post(f"/purchase-returns/{back.json()['id']}/ship")
    assert shipped.status_code == 200 and shipped.json()["status"] == "shipped"
    assert stock_available(company, toner) == D(2)


def test_requisition_submit_approves_and_from_requisitions_groups_by_supplier(
    api, supplier, supplier2, toner, resistor
):
    r = api.post(
        "/purchase-requisitions",
        {
            "lines": [
                {"product_id": str(toner.pk), "quantity": "10", "supplier_id": str(supplier.pk)},
                {"product_id": str(resistor.pk), "quantity": "5000", "supplier_id": str(supplier2.pk)},
            ]
        },
    )
    assert r.status_code == 201 and r.json()["number"].startswith("PR-")
    req = r.json()
    assert api.post("/purchase-orders/from-requisitions", {"requisition_ids": [req["id"]]}).status_code == 422
    submitted = api.post(f"/purchase-requisitions/{req['id']}/submit")
    assert submitted.status_code == 200 and submitted.json()["status"] == "approved"
    made = api.post("/purchase-orders/from-requisitions", {"requisition_ids": [req["id"]]})
    assert made.status_code == 201, made.json()
    assert sorted(o["supplier"] for o in made.json()) == sorted([supplier.name, supplier2.name])
    # no history: the product's purchase price
    toner_order = next(o for o in made.json() if o["supplier_id"] == str(supplier.pk))
    assert toner_order["lines"][0]["unit_price"] == "320.000000"
    assert api.get(f"/purchase-requisitions/{req['id']}").json()["status"] == "ordered"
    assert SupplierPrice.objects.count() == 0


def test_an_employee_sees_only_their_own_requisitions_and_cannot_order(
    api_as, company, clerk, buyer, toner, supplier
):
    mine = api_as(clerk, company).post(
        "/purchase-requisitions", {"lines": [{"product_id": str(toner.pk), "quantity": "1"}]}
    )
    assert mine.status_code == 201
    other = api_as(buyer, company).post(
        "/purchase-requisitions", {"lines": [{"product_id": str(toner.pk), "quantity": "2"}]}
    )
    clerk_api = api_as(clerk, company)
    assert clerk_api.get(f"/purchase-requisitions/{other.json()['id']}").status_code == 404
    assert {i["id"] for i in clerk_api.get("/purchase-requisitions").json()["items"]} == {mine.json()["id"]}
    assert api_as(buyer, company).get(f"/purchase-requisitions/{mine.json()['id']}").status_code == 200
    assert clerk_api.get("/purchase-orders").status_code in (200, 403)
    r = clerk_api.post(
        "/purchase-orders",
        {"supplier_id": str(supplier.pk), "lines": [{"product_id": str(toner.pk), "quantity": "1"}]},
    )
    assert r.status_code == 403


def test_foreign_documents_are_not_found(api, api_as, order, other_company, outsider):
    foreign = api_as(outsider, other_company)
    for path in (f"/purchase-orders/{order['id']}", f"/purchase-orders/{order['id']}/confirm"):
        assert (foreign.get(path) if "confirm" not in path else foreign.post(path)).status_code == 404
    assert foreign.get("/purchase-orders").json()["count"] == 0
    assert (
        foreign.post(
            "/receipts",
            {"order_id": order["id"], "lines": [{"order_line_id": order["lines"][0]["id"], "quantity": "1"}]},
        ).status_code
        == 404
    )
    assert PurchaseOrder.objects.get(pk=order["id"]).status == "draft"
