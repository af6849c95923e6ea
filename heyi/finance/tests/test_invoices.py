"""Customer invoices and credit notes: Hangzhou Xingchen buys printers; finance invoices what
was shipped, credits what came back, and the books follow at every step."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.db import connection, transaction

from heyi.finance.errors import NothingToInvoice, OverInvoiced, PeriodClosed
from heyi.finance.models import Invoice, Voucher, VoucherLine
from heyi.finance.selectors import account_balance
from heyi.finance.services import invoices as invoice_services
from heyi.finance.services.invoices import (
    credit_note_create_from_return,
    invoice_cancel,
    invoice_create,
    invoice_create_from_delivery,
    invoice_create_from_order,
    invoice_post,
    invoice_update,
)
from heyi.finance.services.invoicing import InvoiceLineIn, line_in
from heyi.finance.services.periods import period_close, period_of, period_reopen
from heyi.partners.services.partners import partner_create
from heyi.platform.errors import InvalidTransition, NotFound, NotPermitted, StaleVersion, ValidationFailed
from heyi.platform.models import AuditEntry
from heyi.sales.services.deliveries import delivery_confirm, delivery_create, delivery_ship
from heyi.sales.services.orders import sales_order_confirm, sales_order_create
from heyi.sales.services.returns import sales_return_confirm, sales_return_create

D = Decimal
TODAY = datetime.date.today()
YEAR = TODAY.year
RECEIVABLE, REVENUE, OUTPUT_VAT = "1122", "5001", "22210102"


@pytest.fixture
def stocked(received, printer, toner):
    return received([(printer, 20, "2000"), (toner, 50, "210")])


@pytest.fixture
def order(company, admin, customer, printer, stocked):
    order = sales_order_create(
        actor=admin,
        company=company,
        customer=customer,
        lines=[{"product": printer, "quantity": D(5), "unit_price": D("2680")}],
    )
    return sales_order_confirm(actor=admin, company=company, order=order)


def ship(company, admin, order, quantity=None):
    lines = None
    if quantity is not None:
        lines = [{"order_line": order.lines.get(), "quantity": D(quantity)}]
    delivery = delivery_create(actor=admin, company=company, order=order, lines=lines)
    delivery_confirm(actor=admin, company=company, delivery=delivery)
    return delivery_ship(actor=admin, company=company, delivery=delivery)


def service_line(quantity, price, rate="0.13", description="技术服务费"):
    return InvoiceLineIn(quantity=D(quantity), unit_price=D(price), tax_rate=D(rate), description=description)


def test_a_partial_delivery_is_invoiced_then_the_rest_with_the_order(
    company, finance, admin, order, customer
):
    first = ship(company, admin, order, 2)
    invoice = invoice_create_from_delivery(actor=finance, company=company, delivery=first)
    assert invoice.state == Invoice.State.DRAFT and invoice.number == ""
    assert (invoice.untaxed_amount, invoice.tax_amount, invoice.total_amount) == (
        D("5360.00"),
        D("696.80"),
        D("6056.80"),
    )
    assert invoice.delivery == first and invoice.sales_order == order and invoice.partner == customer
    assert invoice.due_date == invoice.invoice_date + datetime.timedelta(days=30)

    invoice_post(actor=finance, company=company, invoice=invoice)
    invoice.refresh_from_db()
    assert invoice.state == Invoice.State.POSTED and invoice.number == f"INV-{YEAR}-000001"
    assert invoice.open_amount == D("6056.80") and invoice.posted_at is not None
    assert invoice.voucher.number.startswith("记-") and invoice.voucher.source_reference == invoice.number
    assert account_balance(company, RECEIVABLE, partner=customer) == D("6056.80")
    assert account_balance(company, REVENUE) == D("-5360.00")
    assert account_balance(company, OUTPUT_VAT) == D("-696.80")

    with pytest.raises(NothingToInvoice) as refused:
        invoice_create_from_delivery(actor=finance, company=company, delivery=first)
    assert refused.value.code == "nothing_to_invoice"

    second = ship(company, admin, order)
    rest = invoice_create_from_order(actor=finance, company=company, order=order)
    assert [(ln.quantity, ln.delivery_line.delivery) for ln in rest.lines.all()] == [(D(3), second)]
    assert rest.delivery == second and rest.total_amount == D("9085.20")
    invoice_post(actor=finance, company=company, invoice=rest)
    rest.refresh_from_db()
    assert rest.number == f"INV-{YEAR}-000002"
    assert account_balance(company, RECEIVABLE, partner=customer) == D("15142.00")
    assert account_balance(company, REVENUE) == D("-13400.00")
    with pytest.raises(NothingToInvoice):
        invoice_create_from_order(actor=finance, company=company, order=order)


def test_one_invoice_takes_in_several_deliveries_of_an_order(company, finance, admin, order):
    ship(company, admin, order, 1)
    ship(company, admin, order, 4)
    invoice = invoice_create_from_order(actor=finance, company=company, order=order)
    assert sorted(ln.quantity for ln in invoice.lines.all()) == [D(1), D(4)]
    assert invoice.delivery is None and invoice.total_amount == D("15142.00")


def test_the_order_discount_is_in_the_invoice_price(company, finance, admin, customer, printer, stocked):
    order = sales_order_create(
        actor=admin,
        company=company,
        customer=customer,
        lines=[{"product": printer, "quantity": D(3), "unit_price": D("2680"), "discount_percent": D("10")}],
    )
    sales_order_confirm(actor=admin, company=company, order=order)
    delivery = ship(company, admin, order)
    invoice = invoice_create_from_delivery(actor=finance, company=company, delivery=delivery)
    line = invoice.lines.get()
    assert line.unit_price == D("2412") and line.net_amount == order.lines.get().net_amount == D("7236.00")


def test_prices_with_or_without_tax_give_the_same_invoice(company, finance, customer):
    exclusive = invoice_create(
        actor=finance,
        company=company,
        kind=Invoice.Kind.CUSTOMER_INVOICE,
        partner=customer,
        invoice_date=TODAY,
        lines=[service_line(3, "100")],
    )
    inclusive = invoice_create(
        actor=finance,
        company=company,
        kind=Invoice.Kind.CUSTOMER_INVOICE,
        partner=customer,
        invoice_date=TODAY,
        lines=[service_line(3, "113")],
        prices_include_tax=True,
    )
    for invoice in (exclusive, inclusive):
        assert (invoice.untaxed_amount, invoice.tax_amount, invoice.total_amount) == (
            D("300.00"),
            D("39.00"),
            D("339.00"),
        )
    odd = invoice_create(
        actor=finance,
        company=company,
        kind=Invoice.Kind.CUSTOMER_INVOICE,
        partner=customer,
        invoice_date=TODAY,
        lines=[service_line(1, "100", rate="0.06")],
        prices_include_tax=True,
    )
    assert (odd.untaxed_amount, odd.tax_amount, odd.total_amount) == (D("94.34"), D("5.66"), D("100.00"))

    invoice_update(actor=finance, company=company, invoice=odd, version=odd.version, prices_include_tax=False)
    odd.refresh_from_db()
    assert (odd.untaxed_amount, odd.tax_amount, odd.total_amount) == (D("100.00"), D("6.00"), D("106.00"))


def test_many_small_lines_round_each_line_and_the_voucher_balances(company, finance, customer):
    lines = [service_line(3, "0.333333") for _i in range(7)] + [service_line(1, "0.125") for _i in range(7)]
    invoice = invoice_create(
        actor=finance,
        company=company,
        kind=Invoice.Kind.CUSTOMER_INVOICE,
        partner=customer,
        invoice_date=TODAY,
        lines=lines,
    )
    rows = list(invoice.lines.all())
    assert {(r.net_amount, r.tax_amount) for r in rows} == {(D("1.00"), D("0.13")), (D("0.13"), D("0.02"))}
    assert invoice.untaxed_amount == sum(r.net_amount for r in rows) == D("7.91")
    assert invoice.tax_amount == sum(r.tax_amount for r in rows) == D("1.05")
    assert invoice.total_amount == D("8.96")

    invoice_post(actor=finance, company=company, invoice=invoice)
    invoice.refresh_from_db()
    voucher_lines = VoucherLine.objects.filter(voucher=invoice.voucher)
    assert sum(v.debit for v in voucher_lines) == sum(v.credit for v in voucher_lines) == D("8.96")
    assert account_balance(company, RECEIVABLE, partner=customer) == D("8.96")
    assert account_balance(company, REVENUE) == D("-7.91")
    assert account_balance(company, OUTPUT_VAT) == D("-1.05")


def test_a_return_is_credited_against_its_invoice(company, finance, admin, order, customer):
    delivery = ship(company, admin, order, 3)
    invoice = invoice_create_from_delivery(actor=finance, company=company, delivery=delivery)
    invoice_post(actor=finance, company=company, invoice=invoice)

    sales_return = sales_return_create(
        actor=admin,
        company=company,
        delivery=delivery,
        lines=[{"delivery_line": delivery.lines.get(), "quantity": D(1)}],
        reason="外壳破损",
    )
    with pytest.raises(NothingToInvoice):
        credit_note_create_from_return(actor=finance, company=company, sales_return=sales_return)
    sales_return_confirm(actor=admin, company=company, sales_return=sales_return)

    credit = credit_note_create_from_return(actor=finance, company=company, sales_return=sales_return)
    assert credit.kind == Invoice.Kind.CUSTOMER_CREDIT_NOTE and credit.credited_invoice == invoice
    assert credit.sales_return == sales_return and credit.total_amount == D("3028.40")
    invoice_post(actor=finance, company=company, invoice=credit)
    credit.refresh_from_db()
    assert credit.number == f"CN-{YEAR}-000001" and credit.open_amount == D("3028.40")
    assert account_balance(company, RECEIVABLE, partner=customer) == D("9085.20") - D("3028.40")
    assert account_balance(company, REVENUE) == D("-5360.00")
    assert account_balance(company, OUTPUT_VAT) == D("-696.80")
    with pytest.raises(NothingToInvoice):
        credit_note_create_from_return(actor=finance, company=company, sales_return=sales_return)


def test_no_more_is_invoiced_than_was_shipped(company, finance, admin, order):
    delivery = ship(company, admin, order, 2)
    invoice = invoice_create_from_delivery(actor=finance, company=company, delivery=delivery)
    line = invoice.lines.select_related("delivery_line__delivery__order", "delivery_line__order_line").get()
    more = line_in(line)
    more.quantity = D(3)
    invoice_update(actor=finance, company=company, invoice=invoice, version=invoice.version, lines=[more])
    with pytest.raises(OverInvoiced) as refused:
        invoice_post(actor=finance, company=company, invoice=invoice)
    assert refused.value.fields == {
        "lines[0].quantity": ["More would be invoiced than was shipped: at most 2."]
    }
    invoice.refresh_from_db()
    assert invoice.state == Invoice.State.DRAFT and invoice.number == ""


def test_a_draft_is_changed_and_cancelled_but_a_posted_invoice_is_not(company, finance, admin, order):
    delivery = ship(company, admin, order, 2)
    invoice = invoice_create_from_delivery(actor=finance, company=company, delivery=delivery)
    with pytest.raises(StaleVersion):
        invoice_update(
            actor=finance, company=company, invoice=invoice, version=invoice.version - 1, notes="x"
        )
    invoice_update(
        actor=finance,
        company=company,
        invoice=invoice,
        version=invoice.version,
        partner_reference="发票 0001",
        invoice_date=TODAY - datetime.timedelta(days=1),
    )
    invoice.refresh_from_db()
    assert invoice.partner_reference == "发票 0001" and invoice.version == 2
    assert invoice.due_date == invoice.invoice_date + datetime.timedelta(days=30)
    assert AuditEntry.objects.filter(object_id=str(invoice.pk), action="update").exists()

    invoice_cancel(actor=finance, company=company, invoice=invoice)
    again = invoice_create_from_delivery(actor=finance, company=company, delivery=delivery)
    assert again.lines.get().quantity == D(2)
    invoice_post(actor=finance, company=company, invoice=again)
    with pytest.raises(InvalidTransition):
        invoice_cancel(actor=finance, company=company, invoice=again)
    with pytest.raises(InvalidTransition):
        invoice_update(actor=finance, company=company, invoice=again, version=None, notes="改")
    with pytest.raises(InvalidTransition):
        invoice_post(actor=finance, company=company, invoice=again)


def test_bad_lines_are_refused_by_line(company, finance, customer, supplier):
    with pytest.raises(ValidationFailed) as refused:
        invoice_create(
            actor=finance,
            company=company,
            kind=Invoice.Kind.CUSTOMER_INVOICE,
            partner=customer,
            invoice_date=TODAY,
            lines=[service_line(1, "100"), service_line(0, "100"), service_line(1, "100", rate="0.17")],
        )
    assert set(refused.value.fields) == {"lines[1].quantity", "lines[2].tax_rate"}
    with pytest.raises(ValidationFailed) as refused:
        invoice_create(
            actor=finance,
            company=company,
            kind=Invoice.Kind.CUSTOMER_INVOICE,
            partner=supplier,
            invoice_date=TODAY,
            lines=[service_line(1, "100")],
        )
    assert refused.value.fields == {"partner": ["Choose an active customer."]}
    assert not Invoice.objects.filter(company=company).exists()


def test_another_company_cannot_be_invoiced_nor_its_delivery(
    company, other_company, outsider, finance, admin, order
):
    stranger = partner_create(actor=outsider, company=other_company, name="外公司客户", is_customer=True)
    with pytest.raises(ValidationFailed) as refused:
        invoice_create(
            actor=finance,
            company=company,
            kind=Invoice.Kind.CUSTOMER_INVOICE,
            partner=stranger,
            invoice_date=TODAY,
            lines=[service_line(1, "100")],
        )
    assert refused.value.fields == {"partner": ["Not found."]}
    delivery = ship(company, admin, order, 1)
    with pytest.raises(NotFound):
        invoice_create_from_delivery(actor=outsider, company=other_company, delivery=delivery)


def test_only_finance_invoices(company, sales, customer):
    with pytest.raises(NotPermitted):
        invoice_create(
            actor=sales,
            company=company,
            kind=Invoice.Kind.CUSTOMER_INVOICE,
            partner=customer,
            invoice_date=TODAY,
            lines=[service_line(1, "100")],
        )


def test_a_closed_period_refuses_the_posting_and_writes_nothing(company, finance, customer):
    day = datetime.date(YEAR - 1, 3, 15)
    invoice = invoice_create(
        actor=finance,
        company=company,
        kind=Invoice.Kind.CUSTOMER_INVOICE,
        partner=customer,
        invoice_date=day,
        lines=[service_line(1, "100")],
    )
    march = period_of(company, day)
    period_close(actor=finance, company=company, period=march)
    with pytest.raises(PeriodClosed) as refused:
        invoice_post(actor=finance, company=company, invoice=invoice)
    assert refused.value.code == "period_closed" and refused.value.status == 422
    invoice.refresh_from_db()
    assert invoice.state == Invoice.State.DRAFT and invoice.number == "" and invoice.voucher is None
    assert not Voucher.objects.filter(company=company).exists()

    period_reopen(actor=finance, company=company, period=march)
    invoice_post(actor=finance, company=company, invoice=invoice)
    invoice.refresh_from_db()
    assert invoice.number == f"INV-{YEAR - 1}-000001"


def test_a_posting_that_fails_half_way_gives_its_number_back(company, finance, customer, monkeypatch):
    def invoice():
        return invoice_create(
            actor=finance,
            company=company,
            kind=Invoice.Kind.CUSTOMER_INVOICE,
            partner=customer,
            invoice_date=TODAY,
            lines=[service_line(1, "100")],
        )

    first, second = invoice(), invoice()

    def broken(**kwargs):
        assert kwargs["source"][2] == f"INV-{YEAR}-000001"
        raise RuntimeError("the disk is full")

    with monkeypatch.context() as patched:
        patched.setattr(invoice_services, "ledger_post", broken)
        with pytest.raises(RuntimeError):
            invoice_post(actor=finance, company=company, invoice=first)
    first.refresh_from_db()
    assert first.state == Invoice.State.DRAFT and first.number == "" and first.posted_at is None

    invoice_post(actor=finance, company=company, invoice=second)
    invoice_post(actor=finance, company=company, invoice=first)
    second.refresh_from_db()
    first.refresh_from_db()
    assert (second.number, first.number) == (f"INV-{YEAR}-000001", f"INV-{YEAR}-000002")


def test_a_manual_credit_note_credits_a_posted_invoice_of_the_same_customer(
    company, admin, finance, customer
):
    invoice = invoice_create(
        actor=finance,
        company=company,
        kind=Invoice.Kind.CUSTOMER_INVOICE,
        partner=customer,
        invoice_date=TODAY,
        lines=[service_line(2, "500")],
    )
    other = partner_create(actor=admin, company=company, name="宁波海曙贸易", is_customer=True)
    credit_lines = [service_line(1, "500", description="服务折让")]
    with pytest.raises(ValidationFailed):
        invoice_create(
            actor=finance,
            company=company,
            kind=Invoice.Kind.CUSTOMER_CREDIT_NOTE,
            partner=customer,
            invoice_date=TODAY,
            lines=credit_lines,
            credited_invoice=invoice,
        )
    invoice_post(actor=finance, company=company, invoice=invoice)
    with pytest.raises(ValidationFailed):
        invoice_create(
            actor=finance,
            company=company,
            kind=Invoice.Kind.CUSTOMER_CREDIT_NOTE,
            partner=other,
            invoice_date=TODAY,
            lines=credit_lines,
            credited_invoice=invoice,
        )
    credit = invoice_create(
        actor=finance,
        company=company,
        kind=Invoice.Kind.CUSTOMER_CREDIT_NOTE,
        partner=customer,
        invoice_date=TODAY,
        lines=credit_lines,
        credited_invoice=invoice,
    )
    invoice_post(actor=finance, company=company, invoice=credit)
    assert account_balance(company, RECEIVABLE, partner=customer) == D("1130.00") - D("565.00")
    assert account_balance(company, REVENUE) == D("-500.00")


class PostingFailedLater(Exception):
    """Something after the number was taken went wrong: the whole posting rolls back."""


@pytest.mark.pg
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks")
@pytest.mark.django_db(transaction=True)
def test_invoices_posted_at_once_with_rollbacks_number_without_gaps_in_posting_order(
    company, finance, customer
):
    """T24 for invoices: twenty posts at once, 30% failing after taking their number."""
    count, rolled_back = 20, {1, 4, 7, 10, 13, 16}
    drafts = [
        invoice_create(
            actor=finance,
            company=company,
            kind=Invoice.Kind.CUSTOMER_INVOICE,
            partner=customer,
            invoice_date=TODAY,
            lines=[service_line(1, str(100 + i))],
        )
        for i in range(count)
    ]
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def post(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            with transaction.atomic():
                posted = invoice_post(actor=finance, company=company, invoice=drafts[i])
                if i in rolled_back:
                    raise PostingFailedLater(posted.number)
                results[i] = posted.number
        except Exception as exc:
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert all(isinstance(results[i], PostingFailedLater) for i in rolled_back)
    assert all(isinstance(results[i], str) for i in range(count) if i not in rolled_back), results
    posted = list(Invoice.objects.filter(company=company, state=Invoice.State.POSTED).order_by("number"))
    assert [i.number for i in posted] == [
        f"INV-{YEAR}-{n:06d}" for n in range(1, count - len(rolled_back) + 1)
    ]
    assert all(a.posted_at <= b.posted_at for a, b in zip(posted, posted[1:], strict=False))
    assert Invoice.objects.filter(pk__in=[drafts[i].pk for i in rolled_back], number="").count() == len(
        rolled_back
    )
