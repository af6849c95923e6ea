"""The purchasing pages as buyers and the warehouse use them."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from heyi.inventory.selectors import stock_available
from heyi.purchasing.models import PurchaseOrder, PurchaseRequisition, Receipt
from heyi.purchasing.services.orders import OrderLineIn, purchase_order_confirm, purchase_order_create

D = Decimal


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _lines(rows: list[dict], total: int | None = None, initial: int = 0) -> dict:
    data = {"lines-TOTAL_FORMS": str(total or len(rows)), "lines-INITIAL_FORMS": str(initial)}
    for i, row in enumerate(rows):
        data.update({f"lines-{i}-{k}": v for k, v in row.items()})
    return data


@pytest.fixture
def confirmed_order(company, buyer, supplier, toner, main_store):
    order = purchase_order_create(
        actor=buyer,
        company=company,
        supplier=supplier,
        warehouse=main_store,
        lines=[OrderLineIn(product=toner, quantity=D(10), unit_price=D("310"))],
    )
    return purchase_order_confirm(actor=buyer, company=company, order=order)


def test_an_employee_requests_and_submits_from_the_form(company, clerk, toner):
    client = _client(clerk)
    assert client.get(reverse("purchasing:requisition_create")).status_code == 200
    page = client.post(
        reverse("purchasing:requisition_create"),
        {
            "notes": "打印机没墨了",
            **_lines([{"product": toner.pk, "quantity": "4", "reason": "补货"}], total=3),
        },
    )
    assert page.status_code == 302, page.content.decode()[:2000]
    requisition = PurchaseRequisition.objects.get()
    assert requisition.owner == clerk and requisition.lines.get().quantity == D(4)
    detail = client.get(page["Location"]).content.decode()
    assert requisition.number in detail and "惠普硒鼓" in detail
    client.post(reverse("purchasing:requisition_submit", args=[requisition.pk]))
    requisition.refresh_from_db()
    assert requisition.status == "approved"


def test_a_zero_quantity_line_is_shown_on_the_form_and_nothing_is_saved(company, clerk, toner):
    page = _client(clerk).post(
        reverse("purchasing:requisition_create"), _lines([{"product": toner.pk, "quantity": "0"}])
    )
    assert page.status_code == 400
    assert PurchaseRequisition.objects.count() == 0


def test_the_buyer_creates_an_order_with_lines_and_sees_the_totals(company, buyer, supplier, toner, resistor):
    client = _client(buyer)
    page = client.post(
        reverse("purchasing:order_create"),
        {
            "supplier": supplier.pk,
            **_lines(
                [
                    {"product": toner.pk, "quantity": "3", "unit_price": "318.333333", "tax_rate": "0.13"},
                    {"product": resistor.pk, "quantity": "2500", "unit_price": "0.006"},
                ],
                total=4,
            ),
        },
    )
    assert page.status_code == 302, page.content.decode()[:3000]
    order = PurchaseOrder.objects.get()
    assert (order.total_net, order.total_tax, order.total_gross) == (D("970.00"), D("126.10"), D("1096.10"))
    detail = client.get(page["Location"]).content.decode()
    assert "1096.10" in detail and reverse("purchasing:order_confirm", args=[order.pk]) in detail
    client.post(reverse("purchasing:order_confirm", args=[order.pk]))
    order.refresh_from_db()
    assert order.status == "confirmed"
    listing = client.get(reverse("purchasing:order_list"), {"status": "confirmed"}).content.decode()
    assert order.number in listing
    export = client.get(reverse("purchasing:order_list"), {"export": "csv"})
    assert export.status_code == 200 and order.number in export.content.decode("utf-8-sig")


def test_the_warehouse_receives_inspects_and_confirms(company, keeper, confirmed_order, toner, main_store):
    client = _client(keeper)
    line = confirmed_order.lines.get()
    form = client.get(reverse("purchasing:receipt_create", args=[confirmed_order.pk]))
    assert form.status_code == 200 and "惠普硒鼓" in form.content.decode()
    page = client.post(
        reverse("purchasing:receipt_create", args=[confirmed_order.pk]),
        _lines(
            [{"order_line": str(line.pk), "quantity": "6", "warehouse": main_store.pk, "batch_code": "B1"}],
            initial=1,
        ),
    )
    assert page.status_code == 302, page.content.decode()[:3000]
    receipt = Receipt.objects.get()
    receipt_line = receipt.lines.get()
    page = client.post(
        reverse("purchasing:receipt_inspect", args=[receipt.pk]),
        _lines(
            [{"line": str(receipt_line.pk), "accepted": "5", "rejected": "1", "reason": "破损"}], initial=1
        ),
    )
    assert page.status_code == 302
    client.post(reverse("purchasing:receipt_confirm", args=[receipt.pk]))
    receipt.refresh_from_db()
    assert receipt.status == "confirmed"
    assert stock_available(company, toner, main_store) == D(5)
    detail = client.get(reverse("purchasing:receipt_detail", args=[receipt.pk])).content.decode()
    assert "破损" in detail


def test_too_much_received_is_a_message_not_a_crash(company, keeper, confirmed_order, main_store):
    line = confirmed_order.lines.get()
    page = _client(keeper).post(
        reverse("purchasing:receipt_create", args=[confirmed_order.pk]),
        _lines([{"order_line": str(line.pk), "quantity": "11", "warehouse": main_store.pk}], initial=1),
    )
    assert page.status_code == 400
    assert Receipt.objects.count() == 0


def test_lists_and_pages_open_for_the_roles_that_use_them(company, buyer, keeper, clerk, confirmed_order):
    for name in ("order_list", "receipt_list", "return_list", "price_list", "alert_list"):
        assert _client(buyer).get(reverse(f"purchasing:{name}")).status_code == 200, name
    assert (
        _client(keeper).get(reverse("purchasing:order_detail", args=[confirmed_order.pk])).status_code == 200
    )
    assert _client(clerk).get(reverse("purchasing:requisition_list")).status_code == 200
    assert (
        _client(clerk).get(reverse("purchasing:order_detail", args=[confirmed_order.pk])).status_code == 403
    )
    assert _client(buyer).get(reverse("purchasing:settings_edit")).status_code == 200


def test_another_companys_order_page_is_not_found(other_company, outsider, confirmed_order):
    client = _client(outsider)
    assert client.get(reverse("purchasing:order_detail", args=[confirmed_order.pk])).status_code == 404
    assert client.post(reverse("purchasing:order_cancel", args=[confirmed_order.pk])).status_code == 404
