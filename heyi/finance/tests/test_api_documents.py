"""Invoices and bills through the API, as an integrator would drive them."""

import datetime
from decimal import Decimal

import pytest

from heyi.finance.models import Invoice
from heyi.finance.selectors import account_balance
from heyi.finance.services.periods import period_close, period_of
from heyi.partners.services.partners import partner_create

D = Decimal
TODAY = datetime.date.today()
YEAR = TODAY.year


@pytest.fixture
def finance_api(api_as, finance, company):
    return api_as(finance, company)


def service(quantity="2", price="500.00", rate="0.06"):
    return {"description": "安装调试服务", "quantity": quantity, "unit_price": price, "tax_rate": rate}


def test_an_invoice_is_drafted_changed_and_posted(finance_api, company, customer):
    created = finance_api.post(
        "/invoices",
        {
            "partner_id": str(customer.pk),
            "lines": [service()],
            "number": "INV-1999-000001",
            "state": "posted",
            "open_amount": "1.00",
            "company": "other",
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["kind"], body["state"], body["number"], body["open_amount"]) == (
        "customer_invoice",
        "draft",
        "",
        "0.00",
    )
    assert (body["untaxed_amount"], body["tax_amount"], body["total_amount"]) == (
        "1000.00",
        "60.00",
        "1060.00",
    )
    path = f"/invoices/{body['id']}"

    stale = finance_api.patch(path, {"version": body["version"] + 1, "notes": "x"})
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "stale_version"
    line = body["lines"][0]
    changed = finance_api.patch(
        path,
        {
            "version": body["version"],
            "partner_reference": "合同 HT-2026-07",
            "lines": [{**service(quantity="3"), "line_id": line["id"]}],
        },
    )
    assert changed.status_code == 200, changed.content
    assert (
        changed.json()["total_amount"] == "1590.00"
        and changed.json()["partner_reference"] == "合同 HT-2026-07"
    )

    posted = finance_api.post(f"{path}/post")
    assert posted.status_code == 200, posted.content
    body = posted.json()
    assert body["state"] == "posted" and body["number"] == f"INV-{YEAR}-000001"
    assert body["open_amount"] == "1590.00" and body["voucher_number"].startswith("记-")
    assert account_balance(company, "1122", partner=customer) == D("1590.00")

    refused = finance_api.post(f"{path}/cancel")
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "invalid_transition"
    assert finance_api.patch(path, {"version": body["version"], "notes": "改"}).status_code == 409


def test_lists_filter_and_sort_from_an_allowlist(finance_api, customer, supplier):
    for price in ("100.00", "300.00", "200.00"):
        assert (
            finance_api.post(
                "/invoices", {"partner_id": str(customer.pk), "lines": [service(price=price)]}
            ).status_code
            == 201
        )
    bill = finance_api.post(
        "/bills", {"partner_id": str(supplier.pk), "lines": [service()], "partner_reference": "8812"}
    )
    assert bill.status_code == 201 and bill.json()["kind"] == "supplier_bill"

    listed = finance_api.get("/invoices", ordering="-total_amount", page_size=2)
    assert listed.status_code == 200
    body = listed.json()
    assert body["count"] == 3 and body["page_size"] == 2
    assert [i["total_amount"] for i in body["items"]] == ["636.00", "424.00"]
    assert finance_api.get("/invoices", state="posted").json()["count"] == 0
    assert finance_api.get("/invoices", partner=str(supplier.pk)).json()["count"] == 0
    assert (
        finance_api.get("/invoices", date_from=str(TODAY + datetime.timedelta(days=1))).json()["count"] == 0
    )
    assert finance_api.get("/bills", q="8812").json()["count"] == 1
    bad = finance_api.get("/invoices", ordering="partner__name")
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "validation_error"
    assert finance_api.get(f"/invoices/{bill.json()['id']}").status_code == 404


def test_a_shipped_delivery_is_invoiced_once(finance_api, company, shipped, received, printer):
    received([(printer, 5, "2000")])
    delivery = shipped([(printer, 2, "2680")])
    made = finance_api.post("/invoices/from-delivery", {"delivery_id": str(delivery.pk)})
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["delivery_id"] == str(delivery.pk) and body["total_amount"] == "6056.80"
    assert body["lines"][0]["delivery_line_id"] == str(delivery.lines.get().pk)
    again = finance_api.post("/invoices/from-delivery", {"delivery_id": str(delivery.pk)})
    assert again.status_code == 422 and again.json()["error"]["code"] == "nothing_to_invoice"
    assert finance_api.post(f"/invoices/{body['id']}/post").json()["number"] == f"INV-{YEAR}-000001"


def test_a_bill_over_the_receipt_is_held_then_released(finance_api, company, received, toner, supplier):
    receipt = received([(toner, 10, "210")])
    made = finance_api.post(
        "/bills/from-receipt", {"receipt_id": str(receipt.pk), "partner_reference": "44001"}
    )
    assert made.status_code == 201, made.content
    body = made.json()
    line = body["lines"][0]
    assert (line["quantity"], line["unit_price"], line["receipt_line_id"]) == (
        "10.0000",
        "210.000000",
        str(receipt.lines.get().pk),
    )
    path = f"/bills/{body['id']}"
    changed = finance_api.patch(
        path,
        {
            "version": body["version"],
            "lines": [
                {
                    "line_id": line["id"],
                    "product_id": line["product_id"],
                    "quantity": "12",
                    "unit_price": "210",
                    "tax_rate": "0.13",
                }
            ],
        },
    )
    assert changed.status_code == 200, changed.content
    held = finance_api.post(f"{path}/post")
    assert held.status_code == 200
    assert (
        held.json()["state"] == "held"
        and held.json()["hold_reason"] == "Line 1 硒鼓 26A: billed 12, received 10"
    )
    assert finance_api.get("/bills", state="held").json()["count"] == 1

    released = finance_api.post(f"{path}/release")
    assert released.status_code == 200, released.content
    assert released.json()["state"] == "posted" and released.json()["number"] == f"BILL-{YEAR}-000001"
    assert account_balance(company, "220201", partner=supplier) == D("-2847.60")


def test_a_closed_period_refuses_the_posting(finance_api, company, finance, customer):
    day = datetime.date(YEAR - 1, 6, 30)
    made = finance_api.post(
        "/invoices", {"partner_id": str(customer.pk), "invoice_date": str(day), "lines": [service()]}
    )
    period_close(actor=finance, company=company, period=period_of(company, day))
    refused = finance_api.post(f"/invoices/{made.json()['id']}/post")
    assert refused.status_code == 422 and refused.json()["error"]["code"] == "period_closed"
    assert Invoice.objects.get(pk=made.json()["id"]).state == Invoice.State.DRAFT


def test_another_companys_records_are_not_found(
    finance_api, api_as, other_company, outsider, company, customer, shipped, received, printer
):
    stranger = partner_create(actor=outsider, company=other_company, name="外公司客户", is_customer=True)
    assert (
        finance_api.post("/invoices", {"partner_id": str(stranger.pk), "lines": [service()]}).status_code
        == 404
    )
    received([(printer, 1, "2000")])
    delivery = shipped([(printer, 1, "2680")])
    theirs = api_as(outsider, other_company)
    assert theirs.post("/invoices/from-delivery", {"delivery_id": str(delivery.pk)}).status_code == 404
    mine = finance_api.post("/invoices", {"partner_id": str(customer.pk), "lines": [service()]}).json()
    assert theirs.get(f"/invoices/{mine['id']}").status_code == 404
    assert theirs.post(f"/invoices/{mine['id']}/post").status_code == 404
    line = {**service(), "delivery_line_id": str(delivery.lines.get().pk)}
    assert theirs.post("/invoices", {"partner_id": str(stranger.pk), "lines": [line]}).status_code == 404


def test_without_finance_rights_invoices_are_forbidden(api_as, sales, company, customer):
    theirs = api_as(sales, company)
    assert theirs.get("/invoices").status_code == 403
    assert theirs.get("/bills").status_code == 403
    refused = theirs.post("/invoices", {"partner_id": str(customer.pk), "lines": [service()]})
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "not_permitted"
