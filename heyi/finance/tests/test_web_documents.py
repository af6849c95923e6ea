"""The invoice and bill pages as finance uses them: what waits to be invoiced, the drafts, the
buttons, and the held bill a supervisor releases."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from heyi.finance.models import Invoice
from heyi.finance.services.invoices import invoice_create
from heyi.finance.services.invoicing import InvoiceLineIn
from heyi.partners.services.partners import partner_create

D = Decimal
TODAY = datetime.date.today()


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def desk(finance):
    return _client(finance)


def _form(partner, kind=None, quantity="2", rate="0.06", **extra):
    data = {
        "partner": str(partner.pk),
        "invoice_date": str(TODAY),
        "lines-TOTAL_FORMS": "2",
        "lines-INITIAL_FORMS": "0",
        "lines-0-description": "年度维保服务",
        "lines-0-quantity": quantity,
        "lines-0-unit_price": "500",
        "lines-0-tax_rate": rate,
        "lines-1-tax_rate": "0.13",
        **extra,
    }
    if kind:
        data["kind"] = kind
    return data


def test_a_shipped_delivery_is_invoiced_from_the_list_of_what_waits(
    company, desk, shipped, received, printer, customer
):
    received([(printer, 5, "2000")])
    delivery = shipped([(printer, 2, "2680")])
    waiting = desk.get(reverse("finance:invoice_new"))
    assert waiting.status_code == 200
    page = waiting.content.decode()
    assert delivery.number in page and reverse("finance:invoice_from_delivery", args=[delivery.pk]) in page

    made = desk.post(reverse("finance:invoice_from_delivery", args=[delivery.pk]))
    invoice = Invoice.objects.get()
    assert made.status_code == 302 and made["Location"] == reverse(
        "finance:invoice_detail", args=[invoice.pk]
    )
    detail = desk.get(made["Location"]).content.decode()
    for text in ("6,056.80", delivery.number, reverse("finance:invoice_post", args=[invoice.pk])):
        assert text in detail
    assert delivery.number not in desk.get(reverse("finance:invoice_new")).content.decode()

    desk.post(reverse("finance:invoice_post", args=[invoice.pk]))
    invoice.refresh_from_db()
    assert invoice.state == Invoice.State.POSTED
    detail = desk.get(reverse("finance:invoice_detail", args=[invoice.pk])).content.decode()
    assert invoice.number in detail and reverse("finance:voucher_detail", args=[invoice.voucher_id]) in detail
    listed = desk.get(reverse("finance:invoice_list")).content.decode()
    assert invoice.number in listed and customer.name in listed


def test_an_invoice_is_entered_by_hand_and_edited(desk, customer):
    assert desk.get(reverse("finance:invoice_create")).status_code == 200
    r = desk.post(reverse("finance:invoice_create"), _form(customer, kind="customer_invoice"))
    invoice = Invoice.objects.get()
    assert r.status_code == 302 and invoice.total_amount == D("1060.00")

    edit = desk.get(reverse("finance:invoice_edit", args=[invoice.pk]))
    assert edit.status_code == 200 and "年度维保服务" in edit.content.decode()
    line = invoice.lines.get()
    r = desk.post(
        reverse("finance:invoice_edit", args=[invoice.pk]),
        _form(
            customer,
            quantity="3",
            version=str(invoice.version),
            **{"lines-0-line_id": str(line.pk), "lines-INITIAL_FORMS": "1"},
        ),
    )
    assert r.status_code == 302
    invoice.refresh_from_db()
    assert invoice.total_amount == D("1590.00") and invoice.version == 2


def test_a_bad_rate_shows_on_its_line_and_nothing_is_saved(desk, customer):
    r = desk.post(reverse("finance:invoice_create"), _form(customer, kind="customer_invoice", rate="0.17"))
    assert r.status_code == 400 and "Choose a VAT rate" in r.content.decode()
    assert not Invoice.objects.exists()


def test_a_bill_over_its_receipt_is_held_and_released(company, desk, received, toner):
    receipt = received([(toner, 10, "210")])
    assert receipt.number in desk.get(reverse("finance:bill_new")).content.decode()
    desk.post(reverse("finance:bill_from_receipt", args=[receipt.pk]))
    bill = Invoice.objects.get()
    line = bill.lines.get()
    data = {
        "partner": str(bill.partner_id),
        "invoice_date": str(TODAY),
        "partner_reference": "44001",
        "version": str(bill.version),
        "lines-TOTAL_FORMS": "1",
        "lines-INITIAL_FORMS": "1",
        "lines-0-line_id": str(line.pk),
        "lines-0-product": str(toner.pk),
        "lines-0-quantity": "12",
        "lines-0-unit_price": "210",
        "lines-0-tax_rate": "0.13",
    }
    assert desk.post(reverse("finance:bill_edit", args=[bill.pk]), data).status_code == 302

    r = desk.post(reverse("finance:bill_post", args=[bill.pk]), follow=True)
    bill.refresh_from_db()
    assert bill.state == Invoice.State.HELD
    page = r.content.decode()
    assert "billed 12, received 10" in page and reverse("finance:bill_release", args=[bill.pk]) in page

    desk.post(reverse("finance:bill_release", args=[bill.pk]))
    bill.refresh_from_db()
    assert bill.state == Invoice.State.POSTED and bill.number.startswith("BILL-")
    assert desk.get(reverse("finance:invoice_detail", args=[bill.pk]))["Location"] == reverse(
        "finance:bill_detail", args=[bill.pk]
    )


def test_a_draft_is_cancelled_with_its_button(desk, finance, company, customer):
    invoice = invoice_create(
        actor=finance,
        company=company,
        kind=Invoice.Kind.CUSTOMER_INVOICE,
        partner=customer,
        invoice_date=TODAY,
        lines=[InvoiceLineIn(quantity=D(1), unit_price=D(100), tax_rate=D("0.13"), description="咨询")],
    )
    desk.post(reverse("finance:invoice_cancel", args=[invoice.pk]))
    invoice.refresh_from_db()
    assert invoice.state == Invoice.State.CANCELLED


def test_pages_answer_only_within_the_company_and_with_finance_rights(
    company, other_company, outsider, sales, finance, customer
):
    stranger = partner_create(actor=outsider, company=other_company, name="外公司客户", is_customer=True)
    theirs = invoice_create(
        actor=outsider,
        company=other_company,
        kind=Invoice.Kind.CUSTOMER_INVOICE,
        partner=stranger,
        invoice_date=TODAY,
        lines=[InvoiceLineIn(quantity=D(1), unit_price=D(100), tax_rate=D("0.13"), description="咨询")],
    )
    desk = _client(finance)
    assert desk.get(reverse("finance:invoice_detail", args=[theirs.pk])).status_code == 404
    assert desk.post(reverse("finance:invoice_post", args=[theirs.pk])).status_code == 404
    seller = _client(sales)
    assert seller.get(reverse("finance:invoice_list")).status_code == 403
    assert seller.get(reverse("finance:bill_new")).status_code == 403
    home = desk.get("/").content.decode()
    assert reverse("finance:invoice_list") in home and reverse("finance:bill_list") in home
