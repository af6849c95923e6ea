"""The sales API as an integrator uses it: decimal strings, verbs, versions, tenancy, bad input."""

import pytest

from heyi.inventory.selectors import stock_differences
from heyi.sales.models import Delivery, SalesOrder


@pytest.fixture
def stocked(printer, hangzhou, receive):
    receive(printer, hangzhou, 5, "2000")


def _order(api, customer, printer, quantity="3", **extra):
    r = api.post(
        "/sales-orders",
        {
            "customer_id": str(customer.pk),
            "lines": [
                {
                    "product_id": str(printer.pk),
                    "quantity": quantity,
                    "unit_price": "2680.00",
                    "discount_percent": "5",
                }
            ],
            **extra,
        },
    )
    assert r.status_code == 201, r.json()
    return r.json()


def test_create_answers_with_number_lines_and_money_as_strings(api, customer, printer):
    body = _order(api, customer, printer)
    assert body["number"].startswith("SO-") and body["state"] == "draft" and body["version"] == 1
    line = body["lines"][0]
    # 3 x 2680 x 0.95 = 7638.00; tax 992.94
    assert line["net_amount"] == "7638.00" and line["tax_amount"] == "992.94" and line["quantity"] == "3.0000"
    assert body["total_amount"] == "8630.94" and body["untaxed_amount"] == "7638.00"


def test_the_whole_flow_through_the_verbs(company, api, customer, printer, stocked):
    order = _order(api, customer, printer, quantity="4")
    confirmed = api.post(f"/sales-orders/{order['id']}/confirm").json()
    assert confirmed["state"] == "confirmed" and confirmed["lines"][0]["reserved_quantity"] == "4.0000"
    line_id = confirmed["lines"][0]["id"]
    r = api.post(
        "/deliveries", {"order_id": order["id"], "lines": [{"order_line_id": line_id, "quantity": "3"}]}
    )
    assert r.status_code == 201, r.json()
    delivery = r.json()
    assert api.post(f"/deliveries/{delivery['id']}/ship").json()["error"]["code"] == "invalid_transition"
    assert api.post(f"/deliveries/{delivery['id']}/confirm").json()["state"] == "packed"
    shipped = api.post(
        f"/deliveries/{delivery['id']}/ship", {"carrier": "顺丰速运", "tracking_number": "SF100"}
    )
    assert shipped.status_code == 200, shipped.json()
    assert shipped.json()["state"] == "shipped" and shipped.json()["lines"][0]["cost_amount"] == "6000.00"
    assert api.get(f"/sales-orders/{order['id']}").json()["state"] == "partially_delivered"

    r = api.post(
        "/sales-returns",
        {
            "delivery_id": delivery["id"],
            "lines": [{"delivery_line_id": shipped.json()["lines"][0]["id"], "quantity": "1"}],
        },
    )
    assert r.status_code == 201, r.json()
    received = api.post(f"/sales-returns/{r.json()['id']}/confirm").json()
    assert received["state"] == "received" and received["lines"][0]["value"] == "2000.00"

    margins = api.get("/sales-margins", group="product").json()
    # 2 out of 4 stayed out: revenue 2/4 of 4 x 2546 = 5092.00; cost 3 x 2000 - 2000 = 4000.00
    assert margins["items"][0]["revenue"] == "5092.00" and margins["items"][0]["cost"] == "4000.00"
    assert margins["margin"] == "1092.00"
    assert stock_differences(company) == []


def test_insufficient_stock_is_422_when_the_company_refuses_shortages(
    company, admin, api, customer, printer, stocked
):
    from heyi.sales.services.orders import sales_settings_update

    sales_settings_update(actor=admin, company=company, on_shortage="refuse")
    order = _order(api, customer, printer, quantity="6")
    r = api.post(f"/sales-orders/{order['id']}/confirm")
    assert r.status_code == 422 and r.json()["error"]["code"] == "insufficient_stock"
    assert api.get(f"/sales-orders/{order['id']}").json()["state"] == "draft"


def test_shipping_more_than_ordered_is_a_clear_422(api, customer, printer, stocked):
    order = _order(api, customer, printer, quantity="2")
    confirmed = api.post(f"/sales-orders/{order['id']}/confirm").json()
    r = api.post(
        "/deliveries",
        {"order_id": order["id"], "lines": [{"order_line_id": confirmed["lines"][0]["id"], "quantity": "3"}]},
    )
    assert r.status_code == 422 and r.json()["error"]["code"] == "over_delivery"
    assert "lines[0].quantity" in r.json()["error"]["fields"]
    assert Delivery.objects.count() == 0


def test_stale_version_is_409_and_changes_nothing(api, customer, printer):
    order = _order(api, customer, printer)
    ok = api.patch(f"/sales-orders/{order['id']}", {"version": 1, "notes": "周五前送达"})
    assert ok.status_code == 200 and ok.json()["version"] == 2
    stale = api.patch(f"/sales-orders/{order['id']}", {"version": 1, "notes": "改"})
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "stale_version"
    assert api.get(f"/sales-orders/{order['id']}").json()["notes"] == "周五前送达"


@pytest.mark.parametrize(
    "line, field",
    [
        ({"quantity": "0"}, "lines[0].quantity"),
        ({"quantity": "-2"}, "quantity"),
        ({"quantity": 1.5}, "quantity"),
        ({"quantity": "NaN"}, "quantity"),
        ({"quantity": "1", "unit_price": "1e309"}, "unit_price"),
        ({"quantity": "1", "discount_percent": "120"}, "lines[0].discount_percent"),
    ],
)
def test_bad_amounts_are_400_and_nothing_is_written(api, customer, printer, line, field):
    r = api.post(
        "/sales-orders", {"customer_id": str(customer.pk), "lines": [{"product_id": str(printer.pk), **line}]}
    )
    assert r.status_code == 400, r.json()
    assert any(field in k for k in r.json()["error"]["fields"]), r.json()
    assert SalesOrder.objects.count() == 0


def test_a_unit_that_cannot_convert_is_422(api, customer, printer, units):
    r = api.post(
        "/sales-orders",
        {
            "customer_id": str(customer.pk),
            "lines": [{"product_id": str(printer.pk), "quantity": "1", "unit_id": str(units["kg"].pk)}],
        },
    )
    assert r.status_code == 422 and r.json()["error"]["code"] == "unit_not_convertible"
    assert SalesOrder.objects.count() == 0


def test_another_company_gets_404_everywhere(
    company, other_company, outsider, api, api_as, customer, printer, stocked
):
    order = _order(api, customer, printer)
    api.post(f"/sales-orders/{order['id']}/confirm")
    delivery = api.post("/deliveries", {"order_id": order["id"]}).json()
    foreign = api_as(outsider, other_company)
    for path in (f"/sales-orders/{order['id']}", f"/deliveries/{delivery['id']}"):
        assert foreign.get(path).status_code == 404
    for path in (
        f"/sales-orders/{order['id']}/cancel",
        f"/deliveries/{delivery['id']}/confirm",
        f"/deliveries/{delivery['id']}/ship",
    ):
        assert foreign.post(path).status_code == 404
    assert foreign.patch(f"/sales-orders/{order['id']}", {"version": 1, "notes": "x"}).status_code == 404
    assert foreign.get("/sales-orders").json()["count"] == 0
    assert foreign.get("/sales-margins").json()["items"] == []
    # their order naming our customer or product: not found, nothing written
    r = foreign.post(
        "/sales-orders",
        {"customer_id": str(customer.pk), "lines": [{"product_id": str(printer.pk), "quantity": "1"}]},
    )
    assert r.status_code == 404
    assert foreign.post("/deliveries", {"order_id": order["id"]}).status_code == 404
    assert SalesOrder.objects.count() == 1 and Delivery.objects.count() == 1


def test_lists_filter_search_and_order_from_an_allowlist(api, customer, printer, sales, api_as):
    first = _order(api, customer, printer)
    api.post(f"/sales-orders/{first['id']}/cancel")
    _order(api, customer, printer)
    assert api.get("/sales-orders", state="cancelled").json()["count"] == 1
    assert api.get("/sales-orders", q="星辰").json()["count"] == 2
    assert api.get("/sales-orders", q=first["number"]).json()["count"] == 1
    assert api.get("/sales-orders", ordering="-total_amount").status_code == 200
    for bad in ("customer__password", "number desc,(select 1)", "' OR 1=1--"):
        r = api.get("/sales-orders", ordering=bad)
        assert r.status_code == 400 and "ordering" in r.json()["error"]["fields"]
    assert api.get("/sales-margins", group="password").status_code == 400
    assert api_as(sales).get("/sales-orders").json()["count"] == 0


def test_mass_assignment_of_number_state_and_company_is_ignored(api, customer, printer, other_company):
    r = api.post(
        "/sales-orders",
        {
            "customer_id": str(customer.pk),
            "lines": [{"product_id": str(printer.pk), "quantity": "1"}],
            "number": "SO-1999-999999",
            "state": "delivered",
            "company": str(other_company.pk),
        },
    )
    assert r.status_code == 201 and r.json()["state"] == "draft" and r.json()["number"] != "SO-1999-999999"
