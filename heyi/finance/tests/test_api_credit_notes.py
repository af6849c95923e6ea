"""A customer credit note settles the customer's open invoice through the API."""

import datetime
from decimal import Decimal

from heyi.finance.models import Invoice
from heyi.finance.services.invoices import invoice_create, invoice_create_from_delivery, invoice_post
from heyi.finance.services.invoicing import InvoiceLineIn

D = Decimal


def test_a_credit_note_settles_part_of_an_invoice_and_no_more_than_it_holds(
    api_as, company, finance, received, shipped, printer, customer
):
    received([(printer, 5, "2000")])
    delivery = shipped([(printer, 2, "2680")])
    invoice = invoice_create_from_delivery(actor=finance, company=company, delivery=delivery)
    invoice = invoice_post(actor=finance, company=company, invoice=invoice)
    note = invoice_create(
        actor=finance,
        company=company,
        kind=Invoice.Kind.CUSTOMER_CREDIT_NOTE,
        partner=customer,
        invoice_date=datetime.date.today(),
        lines=[InvoiceLineIn(description="价格折让", quantity=D(1), unit_price=D("100"), tax_rate=D("0.13"))],
    )
    note = invoice_post(actor=finance, company=company, invoice=note)
    fin = api_as(finance, company)

    too_much = fin.post(
        f"/invoices/{note.pk}/allocate",
        {"allocations": [{"invoice_id": str(invoice.pk), "amount": "113.01"}]},
    )
    assert too_much.status_code == 422 and too_much.json()["error"]["code"] == "over_allocation"
    answer = fin.post(
        f"/invoices/{note.pk}/allocate",
        {"allocations": [{"invoice_id": str(invoice.pk), "amount": "113.00"}]},
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["open_amount"] == "0.00"
    invoice.refresh_from_db()
    assert invoice.open_amount == invoice.total_amount - D("113.00")
    assert fin.post(f"/bills/{note.pk}/allocate", {"allocations": []}).status_code in (400, 404, 422)


def test_a_posted_credit_note_page_offers_allocation(company, finance, customer):
    from django.test import Client

    note = invoice_create(
        actor=finance,
        company=company,
        kind=Invoice.Kind.CUSTOMER_CREDIT_NOTE,
        partner=customer,
        invoice_date=datetime.date.today(),
        lines=[InvoiceLineIn(description="价格折让", quantity=D(1), unit_price=D("50"), tax_rate=D("0"))],
    )
    note = invoice_post(actor=finance, company=company, invoice=note)
    web = Client()
    web.force_login(finance)
    page = web.get(f"/finance/invoices/{note.pk}/")
    assert page.status_code == 200
    assert f"/finance/credit-notes/{note.pk}/allocate/" in page.content.decode()
