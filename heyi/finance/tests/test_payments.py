"""Receipts and payments: money comes in from 杭州星辰 and goes out to 深圳办公设备 through the
bank; what the books say at each step, and what is refused."""

import datetime
from decimal import Decimal

import pytest

from heyi.finance import approval
from heyi.finance.errors import PeriodClosed
from heyi.finance.models import Account, Payment, Voucher, VoucherLine
from heyi.finance.selectors import account_balance
from heyi.finance.services.common import finance_settings
from heyi.finance.services.payments import (
    payment_cancel,
    payment_create,
    payment_post,
    payment_reject,
    payment_submit,
    payment_update,
)
from heyi.finance.services.periods import period_close, period_of
from heyi.platform.errors import InvalidTransition, NotPermitted, StaleVersion, ValidationFailed
from heyi.platform.models import OutboxEvent

D = Decimal
TODAY = datetime.date.today()
RECEIPT, PAYMENT = Payment.Kind.CUSTOMER_RECEIPT, Payment.Kind.SUPPLIER_PAYMENT


@pytest.fixture
def books(company):
    return finance_settings(company)


@pytest.fixture
def bank(company, books):
    return Account.objects.get(company=company, code="1002")


def receive_money(company, actor, partner, bank, amount, on=TODAY, **extra) -> Payment:
    receipt = payment_create(
        actor=actor,
        company=company,
        kind=RECEIPT,
        partner=partner,
        payment_date=on,
        amount=amount,
        account=bank,
        **extra,
    )
    return payment_submit(actor=actor, company=company, payment=receipt)


def test_a_receipt_with_nothing_allocated_is_the_customers_credit(company, finance, customer, bank):
    receipt = payment_create(
        actor=finance,
        company=company,
        kind=RECEIPT,
        partner=customer,
        payment_date=TODAY,
        amount="5000",
        account=bank,
        reference="工行回单 0001",
    )
    assert (receipt.state, receipt.number, receipt.voucher) == ("draft", "", None)
    assert account_balance(company, "1002") == D("0.00")

    payment_submit(actor=finance, company=company, payment=receipt)
    receipt.refresh_from_db()
    assert receipt.state == "posted" and receipt.number == f"RC-{TODAY.year}-000001"
    assert receipt.unallocated_amount == D("5000.00")
    assert receipt.voucher.word == Voucher.Word.RECEIPT and receipt.voucher.number == "收-0001"
    assert account_balance(company, "1002") == D("5000.00")
    assert account_balance(company, "1122", partner=customer) == D("-5000.00")
    event = OutboxEvent.objects.get(company=company, type="finance.payment_posted")
    assert event.subject_id == str(receipt.pk) and event.data["amount"] == "5000.00"


def test_a_supplier_payment_with_nothing_allocated_is_paid_in_advance(company, finance, supplier, bank):
    payment = payment_create(
        actor=finance,
        company=company,
        kind=PAYMENT,
        partner=supplier,
        payment_date=TODAY,
        amount=D("12000.00"),
        account=bank,
    )
    payment_submit(actor=finance, company=company, payment=payment)
    payment.refresh_from_db()
    assert payment.number == f"PY-{TODAY.year}-000001" and payment.voucher.number == "付-0001"
    assert account_balance(company, "220201", partner=supplier) == D("12000.00")
    assert account_balance(company, "1002") == D("-12000.00")
    assert VoucherLine.objects.get(voucher=payment.voucher, account__code="220201").debit == D("12000.00")


def test_posting_in_a_closed_period_is_refused_and_takes_no_number(company, finance, customer, bank):
    last_month = TODAY.replace(day=1) - datetime.timedelta(days=1)
    period_close(actor=finance, company=company, period=period_of(company, last_month))
    late = payment_create(
        actor=finance,
        company=company,
        kind=RECEIPT,
        partner=customer,
        payment_date=last_month,
        amount="800",
        account=bank,
    )
    with pytest.raises(PeriodClosed) as refused:
        payment_submit(actor=finance, company=company, payment=late)
    assert refused.value.code == "period_closed"
    late.refresh_from_db()
    assert (late.state, late.number, late.voucher) == ("draft", "", None)
    assert account_balance(company, "1002") == D("0.00")
    on_time = receive_money(company, finance, customer, bank, "800")
    assert on_time.number == f"RC-{TODAY.year}-000001"


def test_someone_without_the_payment_permission_is_refused(company, customer, bank, sales):
    with pytest.raises(NotPermitted):
        payment_create(
            actor=sales,
            company=company,
            kind=RECEIPT,
            partner=customer,
            payment_date=TODAY,
            amount="100",
            account=bank,
        )
    assert not Payment.objects.filter(company=company).exists()


@pytest.mark.parametrize(
    ("field", "change"),
    [
        ("partner", {"partner": "supplier"}),
        ("account", {"account": "1122"}),
        ("account", {"account": "1002-other"}),
        ("amount", {"amount": "0"}),
        ("amount", {"amount": "12.345"}),
        ("kind", {"kind": "refund"}),
    ],
)
def test_bad_receipts_are_refused_on_the_right_field(
    company, other_company, finance, customer, supplier, bank, field, change
):
    values = {"kind": RECEIPT, "partner": customer, "amount": "100", "account": bank}
    if change.get("partner") == "supplier":
        values["partner"] = supplier
    if change.get("account") == "1122":
        values["account"] = Account.objects.get(company=company, code="1122")
    if change.get("account") == "1002-other":
        finance_settings(other_company)
        values["account"] = Account.objects.get(company=other_company, code="1002")
    for key in ("amount", "kind"):
        if key in change:
            values[key] = change[key]
    with pytest.raises(ValidationFailed) as refused:
        payment_create(actor=finance, company=company, payment_date=TODAY, **values)
    assert field in refused.value.fields
    assert not Payment.objects.filter(company=company).exists()


def test_a_draft_can_be_changed_until_it_posts(company, finance, customer, bank):
    receipt = payment_create(
        actor=finance,
        company=company,
        kind=RECEIPT,
        partner=customer,
        payment_date=TODAY,
        amount="100",
        account=bank,
    )
    cash = Account.objects.get(company=company, code="1001")
    payment_update(actor=finance, company=company, payment=receipt, version=1, amount="150.50", account=cash)
    receipt.refresh_from_db()
    assert (receipt.amount, receipt.account, receipt.version) == (D("150.50"), cash, 2)
    with pytest.raises(StaleVersion):
        payment_update(actor=finance, company=company, payment=receipt, version=1, amount="1")
    payment_submit(actor=finance, company=company, payment=receipt)
    with pytest.raises(InvalidTransition):
        payment_update(actor=finance, company=company, payment=receipt, version=3, amount="1")
    with pytest.raises(InvalidTransition):
        payment_cancel(actor=finance, company=company, payment=receipt)
    assert account_balance(company, "1001") == D("150.50")


def test_a_cancelled_draft_never_posts(company, finance, customer, bank):
    receipt = payment_create(
        actor=finance,
        company=company,
        kind=RECEIPT,
        partner=customer,
        payment_date=TODAY,
        amount="100",
        account=bank,
    )
    payment_cancel(actor=finance, company=company, payment=receipt)
    with pytest.raises(InvalidTransition):
        payment_submit(actor=finance, company=company, payment=receipt)
    receipt.refresh_from_db()
    assert receipt.state == "cancelled" and account_balance(company, "1002") == D("0.00")


@pytest.fixture
def approval_pending():
    approval.install_gate(lambda **kw: approval.Decision.PENDING)
    yield
    approval.install_gate(None)


def test_with_an_approval_flow_a_payment_waits_and_posts_on_approval(
    company, finance, supplier, bank, approval_pending
):
    payment = payment_create(
        actor=finance,
        company=company,
        kind=PAYMENT,
        partner=supplier,
        payment_date=TODAY,
        amount="900",
        account=bank,
    )
    payment_submit(actor=finance, company=company, payment=payment)
    payment.refresh_from_db()
    assert (payment.state, payment.number) == ("submitted", "")
    payment_reject(actor=None, company=company, payment=payment)
    payment.refresh_from_db()
    assert payment.state == "draft"
    payment_submit(actor=finance, company=company, payment=payment)
    payment_post(actor=None, company=company, payment=payment)
    payment.refresh_from_db()
    assert payment.state == "posted" and account_balance(company, "1002") == D("-900.00")
