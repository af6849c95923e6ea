"""The month of books the report tests read: a small trading company pays in capital, buys
stock, sells some of it for cash and pays the rent.

Figures: capital 100,000.00 before the month; printers 10 x 2,000 and toner 20 x 210 received
(24,200.00); 3 printers and 5 toners shipped (cost 7,050.00) and sold for cash, 10,035.00 +
13% VAT 1,304.55; rent 1,200.00. Profit 1,785.00, bank 110,139.55, stock 17,150.00.
"""

import datetime
from decimal import Decimal

from heyi.finance.models import Account, Invoice, Payment, Voucher
from heyi.finance.services.common import finance_settings
from heyi.finance.services.invoices import invoice_create, invoice_post
from heyi.finance.services.invoicing import InvoiceLineIn
from heyi.finance.services.payments import payment_allocate, payment_create, payment_submit
from heyi.finance.services.vouchers import LineIn, voucher_create, voucher_post

D = Decimal
TODAY = datetime.date.today()
MONTH_START = TODAY - datetime.timedelta(days=30)
BEFORE = MONTH_START - datetime.timedelta(days=5)


def post(user, company, on, *entries, narration="") -> Voucher:
    """Post a hand-made voucher; entries are (account code, debit, credit[, product])."""
    finance_settings(company)
    lines = [
        LineIn(
            account=Account.objects.get(company=company, code=code),
            debit=D(dr),
            credit=D(cr),
            product=more[0] if more else None,
        )
        for code, dr, cr, *more in entries
    ]
    voucher = voucher_create(actor=user, company=company, date=on, lines=lines, narration=narration)
    return voucher_post(actor=user, company=company, voucher=voucher)


def month_of_books(company, finance, received, shipped, printer, toner):
    post(finance, company, BEFORE, ("1002", "100000", "0"), ("3001", "0", "100000"), narration="Capital")
    received([(printer, 10, "2000"), (toner, 20, "210")])
    shipped([(printer, 3, "2680"), (toner, 5, "399")])
    post(
        finance,
        company,
        TODAY,
        ("1002", "11339.55", "0"),
        ("5001", "0", "8040", printer),
        ("5001", "0", "1995", toner),
        ("22210102", "0", "1304.55"),
        narration="Cash sale",
    )
    post(finance, company, TODAY, ("560201", "1200", "0"), ("1002", "0", "1200"), narration="Office rent")
    return company


def days_ago(n: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=n)


def invoiced(company, actor, partner, amount, *, kind=Invoice.Kind.CUSTOMER_INVOICE, on=TODAY) -> Invoice:
    """A posted invoice (or bill, or credit note) of one untaxed line worth `amount`."""
    draft = invoice_create(
        actor=actor,
        company=company,
        kind=kind,
        partner=partner,
        invoice_date=on,
        lines=[InvoiceLineIn(quantity=D(1), unit_price=D(amount), tax_rate=D(0), description="技术服务费")],
    )
    return invoice_post(actor=actor, company=company, invoice=draft)


def paid(company, actor, partner, amount, *, on=TODAY, allocations=()) -> Payment:
    """A posted receipt from a customer (or payment to a supplier) through the bank, allocated
    to `allocations` [(invoice, amount)] if any."""
    kind = Payment.Kind.CUSTOMER_RECEIPT if partner.is_customer else Payment.Kind.SUPPLIER_PAYMENT
    payment = payment_create(
        actor=actor,
        company=company,
        kind=kind,
        partner=partner,
        payment_date=on,
        amount=amount,
        account=Account.objects.get(company=company, code="1002"),
    )
    payment = payment_submit(actor=actor, company=company, payment=payment)
    if allocations:
        payment = payment_allocate(
            actor=actor, company=company, payment=payment, allocations=list(allocations)
        )
    return payment
