"""Demo books for 示例科技有限公司: capital paid in, the opening stock contributed by the
owners, a month's rent and salaries, a closed month, a draft voucher waiting for review;
invoices for the shipped deliveries (paid, partly paid, open), a credit note for the return,
supplier bills for the receipts (one paid), expense claims paid, approved and in draft."""

import datetime
from decimal import Decimal

from django.utils import timezone

from heyi.platform.models import Company
from heyi.purchasing.models import Receipt
from heyi.sales.models import Delivery, SalesReturn

from .models import Account, Payment, Period
from .selectors import account_balance
from .services.bills import bill_create_from_receipt
from .services.chart import chart_install
from .services.expenses import expense_claim_create, expense_claim_pay, expense_claim_submit
from .services.invoices import credit_note_create_from_return, invoice_create_from_delivery, invoice_post
from .services.payments import credit_note_allocate, payment_create, payment_submit
from .services.periods import period_close, period_of
from .services.vouchers import LineIn, voucher_create, voucher_post

D = Decimal


def _month_start(today: datetime.date, back: int) -> datetime.date:
    month = today.month - back
    year = today.year + (month - 1) // 12
    return datetime.date(year, (month - 1) % 12 + 1, 1)


def load(company: Company, people: dict) -> None:
    accountant = people["users"].get("finance") or people["admin"]
    chart_install(actor=None, company=company)
    accounts = {a.code: a for a in Account.objects.filter(company=company)}
    today = timezone.localdate()
    opened = _month_start(today, 2)

    def post(date, narration, lines, word="记"):
        voucher = voucher_create(
            actor=accountant,
            company=company,
            date=date,
            narration=narration,
            word=word,
            lines=[LineIn(account=accounts[code], debit=D(dr), credit=D(cr)) for code, dr, cr in lines],
        )
        return voucher_post(actor=accountant, company=company, voucher=voucher)

    post(opened, "股东投入资本金", [("1002", "800000", "0"), ("3001", "0", "800000")], word="收")
    contributed = -account_balance(company, "1901")
    if contributed > 0:
        post(today, "股东投入期初存货", [("1901", contributed, "0"), ("3001", "0", contributed)], word="转")
    if "finance" not in people["users"]:
        return
    last_month = _month_start(today, 1)
    post(
        last_month + datetime.timedelta(days=4),
        "支付办公室房租",
        [("560299", "12000", "0"), ("1002", "0", "12000")],
        "付",
    )
    post(
        last_month + datetime.timedelta(days=9),
        "计提本月工资",
        [("560204", "45000", "0"), ("2211", "0", "45000")],
        "转",
    )
    post(
        last_month + datetime.timedelta(days=14),
        "发放工资",
        [("2211", "45000", "0"), ("1002", "0", "45000")],
        "付",
    )
    voucher_create(
        actor=accountant,
        company=company,
        date=today,
        narration="购买办公用品",
        lines=[
            LineIn(account=accounts["560201"], debit=D("860.00")),
            LineIn(account=accounts["1001"], credit=D("860.00")),
        ],
    )
    _documents(company, people, accountant, accounts, today)
    period = period_of(company, opened)
    if period.state == Period.State.OPEN:
        period_close(actor=accountant, company=company, period=period)


def _documents(company: Company, people: dict, accountant, accounts: dict, today: datetime.date) -> None:
    bank = accounts["1002"]
    invoices = []
    for delivery in Delivery.objects.filter(company=company, state=Delivery.State.SHIPPED).order_by(
        "shipped_at"
    ):
        draft = invoice_create_from_delivery(actor=accountant, company=company, delivery=delivery)
        invoices.append(invoice_post(actor=accountant, company=company, invoice=draft))
    for sales_return in SalesReturn.objects.filter(company=company, state=SalesReturn.State.RECEIVED):
        note = credit_note_create_from_return(actor=accountant, company=company, sales_return=sales_return)
        note = invoice_post(actor=accountant, company=company, invoice=note)
        if note.credited_invoice is not None:
            credit_note_allocate(
                actor=accountant,
                company=company,
                credit_note=note,
                allocations=[(note.credited_invoice, note.total_amount)],
            )
    for invoice, share in zip(invoices, (D("1"), D("0.5")), strict=False):
        invoice.refresh_from_db()
        paid = (invoice.open_amount * share).quantize(D("0.01"))
        if paid:
            receipt = payment_create(
                actor=accountant,
                company=company,
                kind=Payment.Kind.CUSTOMER_RECEIPT,
                partner=invoice.partner,
                payment_date=today,
                amount=paid,
                account=bank,
                reference="网银回单",
                allocations=[(invoice, paid)],
            )
            payment_submit(actor=accountant, company=company, payment=receipt)
    bills = []
    for receipt in Receipt.objects.filter(company=company, status=Receipt.Status.CONFIRMED).order_by(
        "created_at"
    ):
        draft = bill_create_from_receipt(
            actor=accountant, company=company, receipt=receipt, partner_reference=f"0447{receipt.number[-4:]}"
        )
        bills.append(invoice_post(actor=accountant, company=company, invoice=draft))
    if bills:
        bill = bills[0]
        payment = payment_create(
            actor=accountant,
            company=company,
            kind=Payment.Kind.SUPPLIER_PAYMENT,
            partner=bill.partner,
            payment_date=today,
            amount=bill.total_amount,
            account=bank,
            allocations=[(bill, bill.total_amount)],
        )
        payment_submit(actor=accountant, company=company, payment=payment)
    claimant = people["users"].get("employee")
    if claimant is None:
        return
    trips = [
        (
            "上海客户拜访差旅费",
            [("560202", "高铁票 杭州-上海 往返", "146.00"), ("560202", "酒店一晚", "480.00")],
        ),
        ("客户接待餐费", [("560203", "招待星辰科技采购团队", "1260.00")]),
        ("打印耗材零星采购", [("560201", "快递费与文具", "85.50")]),
    ]
    for i, (purpose, lines) in enumerate(trips):
        claim = expense_claim_create(
            actor=claimant,
            company=company,
            description=purpose,
            claim_date=today - datetime.timedelta(days=10 - 3 * i),
            lines=[
                {"account": accounts[code], "description": text, "amount": D(amount)}
                for code, text, amount in lines
            ],
        )
        if i < 2:
            claim = expense_claim_submit(actor=claimant, company=company, claim=claim)
        if i == 0:
            expense_claim_pay(actor=accountant, company=company, claim=claim, account=bank, date=today)
