"""Supplier bills: Shenzhen Office Equipment delivers printers and toner; finance enters its
bills from the receipts, and the three-way match holds what strays from order and receipt."""

import datetime
from decimal import Decimal

import pytest

from conftest import make_member
from heyi.finance.books import books_differences
from heyi.finance.errors import NothingToInvoice
from heyi.finance.models import Invoice, Voucher
from heyi.finance.selectors import account_balance
from heyi.finance.services.bills import bill_create_from_order, bill_create_from_receipt
from heyi.finance.services.invoices import bill_release, invoice_create, invoice_post, invoice_update
from heyi.finance.services.invoicing import InvoiceLineIn, line_in
from heyi.platform.errors import InvalidTransition, NotFound, NotPermitted
from heyi.platform.models import AuditEntry
from heyi.platform.services.tenancy import role_create
from heyi.purchasing.services.orders import OrderLineIn, purchase_order_confirm, purchase_order_create
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

D = Decimal
TODAY = datetime.date.today()
YEAR = TODAY.year
GRNI, PAYABLE, INPUT_VAT, PRICE_DIFFERENCE, EXPENSE = "220202", "220201", "22210101", "540102", "560299"


def changed(finance, company, bill, **fields):
    """The bill with its (only) line changed as the supplier's paper invoice says."""
    line = line_in(bill.lines.get())
    for name, value in fields.items():
        setattr(line, name, D(value))
    return invoice_update(actor=finance, company=company, invoice=bill, version=bill.version, lines=[line])


def posted(finance, company, bill):
    invoice_post(actor=finance, company=company, invoice=bill)
    bill.refresh_from_db()
    return bill


@pytest.fixture
def order(company, admin, supplier, store, printer, toner):
    def make(lines):
        found = purchase_order_create(
            actor=admin,
            company=company,
            supplier=supplier,
            order_date=TODAY,
            warehouse=store,
            lines=[OrderLineIn(product=p, quantity=D(q), unit_price=D(price)) for p, q, price in lines],
        )
        return purchase_order_confirm(actor=admin, company=company, order=found)

    return make


def receive(company, admin, order, quantities, store, rejected=None):
    receipt = receipt_create(
        actor=admin,
        company=company,
        order=order,
        lines=[
            ReceiptLineIn(order_line=line, quantity=D(q), warehouse=store)
            for line, q in zip(order.lines.order_by("position"), quantities, strict=True)
        ],
    )
    if rejected:
        receipt_inspect(
            actor=admin,
            company=company,
            receipt=receipt,
            results=[
                InspectionIn(line=line, accepted=line.quantity - D(r), rejected=D(r), reason="外观不良")
                for line, r in zip(receipt.lines.order_by("position"), rejected, strict=True)
            ],
        )
    return receipt_confirm(actor=admin, company=company, receipt=receipt)


def test_a_bill_that_matches_its_receipt_clears_goods_received_not_invoiced(
    company, finance, received, printer, supplier
):
    receipt = received([(printer, 10, "2000")])
    assert account_balance(company, GRNI, partner=supplier) == D("-20000.00")

    bill = bill_create_from_receipt(
        actor=finance, company=company, receipt=receipt, partner_reference="04410001"
    )
    line = bill.lines.get()
    assert (line.quantity, line.unit_price, line.tax_rate, line.account.code) == (
        D(10),
        D(2000),
        D("0.13"),
        GRNI,
    )
    assert bill.partner == supplier and bill.purchase_order == receipt.order
    assert (bill.untaxed_amount, bill.tax_amount, bill.total_amount) == (
        D("20000.00"),
        D("2600.00"),
        D("22600.00"),
    )

    posted(finance, company, bill)
    assert bill.state == Invoice.State.POSTED and bill.number == f"BILL-{YEAR}-000001"
    assert bill.open_amount == D("22600.00") and bill.partner_reference == "04410001"
    assert account_balance(company, GRNI, partner=supplier) == D("0.00")
    assert account_balance(company, PAYABLE, partner=supplier) == D("-22600.00")
    assert account_balance(company, INPUT_VAT) == D("2600.00")
    assert account_balance(company, PRICE_DIFFERENCE) == D("0.00")
    assert account_balance(company, "1405") == D("20000.00")
    with pytest.raises(NothingToInvoice):
        bill_create_from_receipt(actor=finance, company=company, receipt=receipt)


def test_a_price_within_tolerance_posts_its_difference(company, finance, received, printer, supplier):
    receipt = received([(printer, 10, "2000")])
    bill = bill_create_from_receipt(actor=finance, company=company, receipt=receipt)
    changed(finance, company, bill, unit_price="2030")

    posted(finance, company, bill)
    assert bill.state == Invoice.State.POSTED
    assert account_balance(company, PRICE_DIFFERENCE) == D("300.00")
    assert account_balance(company, GRNI, partner=supplier) == D("0.00")
    assert account_balance(company, PAYABLE, partner=supplier) == D("-22939.00")
    assert account_balance(company, INPUT_VAT) == D("2639.00")


def test_a_bill_for_more_than_received_is_held_then_released(
    company, admin, finance, received, toner, supplier
):
    receipt = received([(toner, 10, "210")])
    bill = bill_create_from_receipt(actor=finance, company=company, receipt=receipt)
    changed(finance, company, bill, quantity="12")

    posted(finance, company, bill)
    assert bill.state == Invoice.State.HELD and bill.number == "" and bill.voucher is None
    assert bill.hold_reason == "Line 1 硒鼓 26A: billed 12, received 10"
    assert not Voucher.objects.filter(company=company, source_type="finance.invoice").exists()
    assert AuditEntry.objects.filter(object_id=str(bill.pk), action="transition").latest("at").changes[
        "state"
    ] == ["draft", "held"]
    with pytest.raises(InvalidTransition):
        invoice_post(actor=finance, company=company, invoice=bill)

    role_create(
        actor=admin,
        company=company,
        code="ap_clerk",
        name="应付会计",
        permissions=["finance.view", "finance.manage_invoice"],
        scope="company",
    )
    clerk = make_member(company, "clerk", roles=["ap_clerk"])
    with pytest.raises(NotPermitted):
        bill_release(actor=clerk, company=company, bill=bill)

    bill_release(actor=finance, company=company, bill=bill)
    bill.refresh_from_db()
    assert bill.state == Invoice.State.POSTED and bill.number == f"BILL-{YEAR}-000001"
    release = AuditEntry.objects.get(object_id=str(bill.pk), action="bill_release")
    assert release.changes == {"hold_reason": "Line 1 硒鼓 26A: billed 12, received 10"}
    assert account_balance(company, GRNI, partner=supplier) == D("420.00")
    assert account_balance(company, PAYABLE, partner=supplier) == D("-2847.60")


def test_a_held_bill_corrected_goes_back_to_draft_and_posts(company, finance, received, toner, supplier):
    receipt = received([(toner, 10, "210")])
    bill = bill_create_from_receipt(actor=finance, company=company, receipt=receipt)
    changed(finance, company, bill, quantity="11")
    posted(finance, company, bill)
    assert bill.state == Invoice.State.HELD

    changed(finance, company, bill, quantity="10")
    bill.refresh_from_db()
    assert bill.state == Invoice.State.DRAFT and bill.hold_reason == ""
    posted(finance, company, bill)
    assert bill.state == Invoice.State.POSTED
    assert account_balance(company, GRNI, partner=supplier) == D("0.00")


def test_a_price_beyond_tolerance_holds_the_bill(company, finance, received, printer):
    receipt = received([(printer, 10, "2000")])
    bill = bill_create_from_receipt(actor=finance, company=company, receipt=receipt)
    changed(finance, company, bill, unit_price="2100")
    posted(finance, company, bill)
    assert bill.state == Invoice.State.HELD
    assert bill.hold_reason == "Line 1 激光打印机 M403: price 2100, ordered at 2000"


def test_a_receipt_billed_in_parts_clears_to_the_cent(company, finance, received, toner, supplier):
    receipt = received([(toner, 3, "0.335")])
    assert account_balance(company, GRNI, partner=supplier) == D("-1.01")
    for _part in range(3):
        bill = bill_create_from_receipt(actor=finance, company=company, receipt=receipt)
        changed(finance, company, bill, quantity="1")
        assert posted(finance, company, bill).total_amount == D("0.38")
    assert account_balance(company, GRNI, partner=supplier) == D("0.00")
    assert account_balance(company, PRICE_DIFFERENCE) == D("0.01")
    with pytest.raises(NothingToInvoice):
        bill_create_from_receipt(actor=finance, company=company, receipt=receipt)


def test_one_bill_for_every_receipt_of_an_order(company, admin, finance, order, store, printer, supplier):
    purchase = order([(printer, 10, "2000")])
    first = receive(company, admin, purchase, [4], store)
    second = receive(company, admin, purchase, [6], store)
    bill = bill_create_from_order(actor=finance, company=company, order=purchase)
    assert [(ln.receipt_line.receipt, ln.quantity) for ln in bill.lines.order_by("position")] == [
        (first, D(4)),
        (second, D(6)),
    ]
    posted(finance, company, bill)
    assert account_balance(company, GRNI, partner=supplier) == D("0.00")
    with pytest.raises(NothingToInvoice):
        bill_create_from_order(actor=finance, company=company, order=purchase)


def test_rejected_goods_are_not_billed_and_leave_when_returned(
    company, admin, finance, order, store, toner, supplier
):
    purchase = order([(toner, 10, "210")])
    receipt = receive(company, admin, purchase, [10], store, rejected=[2])
    bill = bill_create_from_receipt(actor=finance, company=company, receipt=receipt)
    assert bill.lines.get().quantity == D(8)
    posted(finance, company, bill)
    assert account_balance(company, GRNI, partner=supplier) == D("-420.00")

    back = purchase_return_create(
        actor=admin,
        company=company,
        receipt=receipt,
        lines=[ReturnLineIn(receipt_line=receipt.lines.get(), quantity=D(2), from_quarantine=True)],
    )
    purchase_return_ship(actor=admin, company=company, purchase_return=back)
    assert account_balance(company, GRNI, partner=supplier) == D("0.00")


def _send_back(company, admin, receipt, quantity):
    back = purchase_return_create(
        actor=admin,
        company=company,
        receipt=receipt,
        lines=[ReturnLineIn(receipt_line=receipt.lines.get(), quantity=D(quantity))],
    )
    purchase_return_ship(actor=admin, company=company, purchase_return=back)


def _supplier_credit(finance, company, supplier, receipt, quantity, price):
    credit = invoice_create(
        actor=finance,
        company=company,
        kind=Invoice.Kind.SUPPLIER_CREDIT_NOTE,
        partner=supplier,
        invoice_date=TODAY,
        lines=[
            InvoiceLineIn(
                quantity=D(quantity),
                unit_price=D(price),
                tax_rate=D("0.13"),
                product=receipt.lines.get().product,
                receipt_line=receipt.lines.get(),
            )
        ],
    )
    return posted(finance, company, credit)


def test_goods_sent_back_after_billing_are_credited_by_the_supplier(
    company, admin, finance, received, printer, supplier
):
    receipt = received([(printer, 10, "2000")])
    posted(finance, company, bill_create_from_receipt(actor=finance, company=company, receipt=receipt))
    _send_back(company, admin, receipt, 2)
    assert account_balance(company, GRNI, partner=supplier) == D("4000.00")

    credit = _supplier_credit(finance, company, supplier, receipt, 2, "2000")
    assert credit.number == f"SCN-{YEAR}-000001"
    assert account_balance(company, GRNI, partner=supplier) == D("0.00")
    assert account_balance(company, PAYABLE, partner=supplier) == D("-18080.00")
    assert account_balance(company, INPUT_VAT) == D("2080.00")


def test_goods_sent_back_at_another_average_leave_nothing_on_goods_received_not_invoiced(
    company, admin, finance, order, store, toner, supplier
):
    """Toner bought at 33.33 and then at 36.67 averages 35.00: two sent back from the first
    receipt leave stock at 70.00 but take 66.66 off GRNI, the 3.34 going to price differences,
    before billing (the bill covers what was kept) and after it (the supplier credits them)."""
    first = receive(company, admin, order([(toner, 3, "33.33")]), [3], store)
    second = receive(company, admin, order([(toner, 3, "36.67")]), [3], store)
    _send_back(company, admin, first, 2)
    assert account_balance(company, GRNI, partner=supplier) == D("-143.34")  # 33.33 + 110.01 still to bill
    assert account_balance(company, PRICE_DIFFERENCE) == D("3.34")
    posted(finance, company, bill_create_from_receipt(actor=finance, company=company, receipt=first))
    posted(finance, company, bill_create_from_receipt(actor=finance, company=company, receipt=second))
    assert account_balance(company, GRNI, partner=supplier) == D("0.00")

    third = receive(company, admin, order([(toner, 3, "33.33")]), [3], store)
    posted(finance, company, bill_create_from_receipt(actor=finance, company=company, receipt=third))
    _send_back(company, admin, third, 1)
    assert account_balance(company, GRNI, partner=supplier) == D("33.33")
    _supplier_credit(finance, company, supplier, third, 1, "33.33")
    assert account_balance(company, GRNI, partner=supplier) == D("0.00")
    assert books_differences(company) == []


def test_a_service_bill_and_its_credit_note_post_to_expenses(company, finance, supplier):
    bill = invoice_create(
        actor=finance,
        company=company,
        kind=Invoice.Kind.SUPPLIER_BILL,
        partner=supplier,
        invoice_date=TODAY,
        lines=[
            InvoiceLineIn(quantity=D(1), unit_price=D(1000), tax_rate=D("0.06"), description="设备维修服务")
        ],
    )
    assert bill.lines.get().account.code == EXPENSE
    posted(finance, company, bill)
    credit = invoice_create(
        actor=finance,
        company=company,
        kind=Invoice.Kind.SUPPLIER_CREDIT_NOTE,
        partner=supplier,
        invoice_date=TODAY,
        lines=[InvoiceLineIn(quantity=D(1), unit_price=D(200), tax_rate=D("0.06"), description="维修折让")],
        credited_invoice=bill,
    )
    posted(finance, company, credit)
    assert account_balance(company, EXPENSE) == D("800.00")
    assert account_balance(company, INPUT_VAT) == D("48.00")
    assert account_balance(company, PAYABLE, partner=supplier) == D("-848.00")


def test_another_companys_receipt_is_not_found(company, other_company, outsider, received, printer):
    receipt = received([(printer, 1, "2000")])
    with pytest.raises(NotFound):
        bill_create_from_receipt(actor=outsider, company=other_company, receipt=receipt)
