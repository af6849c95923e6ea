"""Refunds: 杭州星辰 paid too much and sent goods back, and wants the money; 深圳办公设备 owes us
for a return. What the books, the documents and ageing say at each step, and what is refused."""

import datetime
from decimal import Decimal

import pytest

from heyi.approvals.models import TemplateVersion
from heyi.approvals.services.tasks import approval_task_approve
from heyi.approvals.services.templates import approval_template_create
from heyi.finance import approval
from heyi.finance.books import books_differences
from heyi.finance.errors import OverAllocation
from heyi.finance.models import Account, Allocation, Payment, Voucher, VoucherLine
from heyi.finance.reports.ageing import payable_ageing, receivable_ageing
from heyi.finance.selectors import account_balance
from heyi.finance.services.payments import (
    payment_allocate,
    payment_cancel,
    payment_create,
    payment_submit,
    payment_update,
    refund_create,
)
from heyi.platform.errors import InvalidTransition, NotFound, NotPermitted, ValidationFailed

from .test_payments import (
    TODAY,
    invoiced,
    one_step,
    open_of,
    receive_money,
    request_of,
)

D = Decimal
CREDIT_NOTE = "customer_credit_note"
YESTERDAY = TODAY - datetime.timedelta(days=1)


def refund(company, actor, credit, bank, amount=None, on=TODAY, **extra) -> Payment:
    draft = refund_create(
        actor=actor, company=company, credit=credit, account=bank, payment_date=on, amount=amount, **extra
    )
    return payment_submit(actor=actor, company=company, payment=draft)


def test_an_overpayment_is_paid_back_to_the_customer(company, finance, customer, bank):
    invoice = invoiced(company, finance, customer, "4000", on=YESTERDAY)
    receipt = receive_money(company, finance, customer, bank, "5000", on=YESTERDAY)
    payment_allocate(actor=finance, company=company, payment=receipt, allocations=[(invoice, "4000")])
    assert account_balance(company, "1122", partner=customer) == D("-1000.00")

    draft = refund_create(
        actor=finance, company=company, credit=receipt, account=bank, payment_date=TODAY, reference="退多付款"
    )
    assert (draft.kind, draft.state, draft.amount, draft.partner_id) == (
        "customer_refund",
        "draft",
        D("1000.00"),
        customer.pk,
    )
    assert open_of(receipt) == [D("1000.00")]

    payment_submit(actor=finance, company=company, payment=draft)
    draft.refresh_from_db()
    assert draft.state == "posted" and draft.number == f"RF-{TODAY.year}-000001"
    assert draft.unallocated_amount == D("0.00")
    assert draft.voucher.word == Voucher.Word.PAYMENT and draft.voucher.number.startswith("付-")
    assert VoucherLine.objects.get(voucher=draft.voucher, account__code="1122").debit == D("1000.00")
    assert open_of(receipt) == [D("0.00")]
    assert account_balance(company, "1122", partner=customer) == D("0.00")
    assert account_balance(company, "1002") == D("4000.00")
    settled = Allocation.objects.get(refund=draft)
    assert (settled.payment, settled.invoice, settled.amount) == (receipt, None, D("1000.00"))
    assert books_differences(company) == []


def test_a_credit_note_is_refunded_in_part_and_the_rest_stays_the_customers_credit(
    company, finance, customer, bank
):
    credit = invoiced(company, finance, customer, "800", kind=CREDIT_NOTE, on=YESTERDAY)
    refund(company, finance, credit, bank, "500")
    assert open_of(credit) == [D("300.00")]
    assert account_balance(company, "1122", partner=customer) == D("-300.00")
    assert account_balance(company, "1002") == D("-500.00")

    ageing = receivable_ageing(company, TODAY)
    assert ageing.agrees and ageing.totals.credits == D("-300.00")
    before = receivable_ageing(company, YESTERDAY)
    assert before.agrees and before.totals.credits == D("-800.00")
    assert books_differences(company) == []


def test_a_supplier_pays_back_what_we_paid_in_advance(company, finance, supplier, bank):
    payment = payment_submit(
        actor=finance,
        company=company,
        payment=payment_create(
            actor=finance,
            company=company,
            kind="supplier_payment",
            partner=supplier,
            payment_date=YESTERDAY,
            amount="2000",
            account=bank,
        ),
    )
    assert account_balance(company, "220201", partner=supplier) == D("2000.00")
    back = refund(company, finance, payment, bank, "1200")
    back.refresh_from_db()
    assert back.kind == "supplier_refund" and back.number == f"RR-{TODAY.year}-000001"
    assert back.voucher.word == Voucher.Word.RECEIPT
    assert VoucherLine.objects.get(voucher=back.voucher, account__code="220201").credit == D("1200.00")
    assert open_of(payment) == [D("800.00")]
    assert account_balance(company, "220201", partner=supplier) == D("800.00")
    assert account_balance(company, "1002") == D("-800.00")
    ageing = payable_ageing(company, TODAY)
    assert ageing.agrees and ageing.totals.credits == D("-800.00")
    assert books_differences(company) == []


def test_a_supplier_credit_note_is_refunded(company, finance, supplier, bank):
    credit = invoiced(company, finance, supplier, "360", kind="supplier_credit_note")
    refund(company, finance, credit, bank)
    assert open_of(credit) == [D("0.00")]
    assert account_balance(company, "220201", partner=supplier) == D("0.00")
    assert account_balance(company, "1002") == D("360.00")
    assert books_differences(company) == []


def test_refunding_more_than_is_left_is_refused_at_creation_and_again_at_posting(
    company, finance, customer, bank
):
    invoice = invoiced(company, finance, customer, "600")
    receipt = receive_money(company, finance, customer, bank, "1000")
    with pytest.raises(OverAllocation) as refused:
        refund_create(
            actor=finance, company=company, credit=receipt, account=bank, payment_date=TODAY, amount="1000.01"
        )
    assert "amount" in refused.value.fields

    draft = refund_create(actor=finance, company=company, credit=receipt, account=bank, payment_date=TODAY)
    payment_allocate(actor=finance, company=company, payment=receipt, allocations=[(invoice, "600")])
    with pytest.raises(OverAllocation):
        payment_submit(actor=finance, company=company, payment=draft)
    draft.refresh_from_db()
    assert (draft.state, draft.number, draft.voucher_id) == ("draft", "", None)
    assert open_of(receipt) == [D("400.00")] and not Allocation.objects.filter(refund=draft).exists()

    payment_update(actor=finance, company=company, payment=draft, version=draft.version, amount="400")
    payment_submit(actor=finance, company=company, payment=draft)
    assert open_of(receipt) == [D("0.00")]
    with pytest.raises(ValidationFailed) as nothing_left:
        refund_create(actor=finance, company=company, credit=receipt, account=bank, payment_date=TODAY)
    assert "amount" in nothing_left.value.fields
    assert books_differences(company) == []


def test_what_cannot_be_refunded(company, other_company, outsider, finance, customer, bank):
    invoice = invoiced(company, finance, customer, "500")
    with pytest.raises(ValidationFailed) as not_credit:
        refund_create(actor=finance, company=company, credit=invoice, account=bank, payment_date=TODAY)
    assert "credit" in not_credit.value.fields

    credit = invoiced(company, finance, customer, "100", kind=CREDIT_NOTE)
    with pytest.raises(ValidationFailed) as too_early:
        refund_create(actor=finance, company=company, credit=credit, account=bank, payment_date=YESTERDAY)
    assert "payment_date" in too_early.value.fields
    receivable = Account.objects.get(company=company, code="1122")
    with pytest.raises(ValidationFailed) as not_cash:
        refund_create(actor=finance, company=company, credit=credit, account=receivable, payment_date=TODAY)
    assert "account" in not_cash.value.fields
    with pytest.raises(NotFound):
        refund_create(actor=outsider, company=other_company, credit=credit, account=bank, payment_date=TODAY)

    draft_receipt = payment_create(
        actor=finance,
        company=company,
        kind="customer_receipt",
        partner=customer,
        payment_date=TODAY,
        amount="50",
        account=bank,
    )
    with pytest.raises(InvalidTransition):
        refund_create(actor=finance, company=company, credit=draft_receipt, account=bank, payment_date=TODAY)
    assert not Payment.objects.filter(company=company, kind="customer_refund").exists()


def test_a_refund_settles_only_its_credit_and_may_be_cancelled_as_a_draft(company, finance, customer, bank):
    invoice = invoiced(company, finance, customer, "500")
    credit = invoiced(company, finance, customer, "100", kind=CREDIT_NOTE)
    draft = refund_create(actor=finance, company=company, credit=credit, account=bank, payment_date=TODAY)
    with pytest.raises(ValidationFailed):
        payment_update(
            actor=finance,
            company=company,
            payment=draft,
            version=draft.version,
            allocations=[(invoice, "50")],
        )
    payment_cancel(actor=finance, company=company, payment=draft)
    assert open_of(credit) == [D("100.00")]

    posted = refund(company, finance, credit, bank)
    with pytest.raises(ValidationFailed):
        payment_allocate(actor=finance, company=company, payment=posted, allocations=[(invoice, "50")])


def test_a_clerk_without_the_payment_permission_cannot_refund(company, finance, sales, customer, bank):
    credit = invoiced(company, finance, customer, "100", kind=CREDIT_NOTE)
    with pytest.raises(NotPermitted):
        refund_create(actor=sales, company=company, credit=credit, account=bank, payment_date=TODAY)


def test_with_an_approval_flow_a_refund_waits_and_pays_back_on_approval(
    company, admin, finance, customer, bank
):
    approval_template_create(
        actor=admin,
        company=company,
        code="refunds",
        name="退款审批",
        document_type=approval.PAYMENT,
        flow=one_step(admin),
    )
    saved = TemplateVersion.objects.get(company=company, template__code="refunds")
    saved.form = [
        dict(f, choices=["customer_receipt", "supplier_payment"]) if f["key"] == "kind" else f
        for f in saved.form
    ]
    saved.save()  # as saved before refunds existed: the document type's fields now are what count
    credit = invoiced(company, finance, customer, "900", kind=CREDIT_NOTE)
    pending = refund(company, finance, credit, bank)
    assert pending.state == "submitted" and open_of(credit) == [D("900.00")]
    approval_task_approve(actor=admin, company=company, instance=request_of(pending))
    pending.refresh_from_db()
    assert pending.state == "posted" and open_of(credit) == [D("0.00")]
    assert account_balance(company, "1002") == D("-900.00")
    assert books_differences(company) == []
