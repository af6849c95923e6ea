"""Receipts and payments: money comes in from 杭州星辰 and goes out to 深圳办公设备 through the
bank; what the books say at each step, and what is refused."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.db import connection

from heyi.approvals.models import ApprovalInstance
from heyi.approvals.services.tasks import approval_task_approve, approval_task_reject
from heyi.approvals.services.templates import approval_template_create
from heyi.finance import approval
from heyi.finance.errors import OverAllocation, PeriodClosed
from heyi.finance.models import Account, Allocation, Invoice, Payment, Voucher, VoucherLine
from heyi.finance.selectors import account_balance
from heyi.finance.services.common import finance_settings
from heyi.finance.services.invoices import invoice_create, invoice_post
from heyi.finance.services.invoicing import InvoiceLineIn
from heyi.finance.services.payments import (
    credit_note_allocate,
    payment_allocate,
    payment_allocate_oldest,
    payment_cancel,
    payment_create,
    payment_submit,
    payment_update,
)
from heyi.finance.services.periods import period_close, period_of
from heyi.partners.services.partners import partner_create
from heyi.platform.errors import InvalidTransition, NotFound, NotPermitted, StaleVersion, ValidationFailed
from heyi.platform.models import OutboxEvent

D = Decimal
TODAY = datetime.date.today()
RECEIPT, PAYMENT = Payment.Kind.CUSTOMER_RECEIPT, Payment.Kind.SUPPLIER_PAYMENT


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


def test_with_an_approval_flow_a_payment_waits_and_posts_on_approval(company, admin, finance, supplier, bank):
    approval_template_create(
        actor=admin,
        company=company,
        code="payments",
        name="付款审批",
        document_type=approval.PAYMENT,
        flow=one_step(admin),
    )
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
    approval_task_reject(actor=admin, company=company, instance=request_of(payment), comment="先核对发票")
    payment.refresh_from_db()
    assert payment.state == "draft" and account_balance(company, "1002") == D("0.00")
    payment_submit(actor=finance, company=company, payment=payment)
    approval_task_approve(actor=admin, company=company, instance=request_of(payment))
    payment.refresh_from_db()
    assert payment.state == "posted" and account_balance(company, "1002") == D("-900.00")


def one_step(approver) -> dict:
    return {
        "nodes": [
            {"id": "start", "type": "start", "next": "boss"},
            {
                "id": "boss",
                "type": "approve",
                "name": "总经理",
                "approvers": [{"kind": "user", "user": str(approver.pk)}],
                "next": "end",
            },
            {"id": "end", "type": "end"},
        ]
    }


def request_of(document) -> ApprovalInstance:
    return ApprovalInstance.objects.get(document_id=str(document.pk), state="running")


# Allocation: which invoices the money settles


def invoiced(
    company, actor, partner, gross, kind=Invoice.Kind.CUSTOMER_INVOICE, on=TODAY, due=None
) -> Invoice:
    """A posted invoice (or bill, or credit note) of one untaxed service line worth `gross`."""
    draft = invoice_create(
        actor=actor,
        company=company,
        kind=kind,
        partner=partner,
        invoice_date=on,
        due_date=due,
        lines=[InvoiceLineIn(quantity=D(1), unit_price=D(gross), tax_rate=D(0), description="技术服务费")],
    )
    return invoice_post(actor=actor, company=company, invoice=draft)


def open_of(*documents) -> list[Decimal]:
    for document in documents:
        document.refresh_from_db()
    return [
        document.unallocated_amount if isinstance(document, Payment) else document.open_amount
        for document in documents
    ]


def test_a_receipt_settles_an_invoice_in_part_then_in_full(company, finance, customer, bank):
    invoice = invoiced(company, finance, customer, "6056.80")
    receipt = receive_money(company, finance, customer, bank, "5000")
    assert account_balance(company, "1122", partner=customer) == D("1056.80")

    payment_allocate(actor=finance, company=company, payment=receipt, allocations=[(invoice, "3000")])
    assert open_of(invoice, receipt) == [D("3056.80"), D("2000.00")]
    payment_allocate(actor=finance, company=company, payment=receipt, allocations=[(invoice, D("2000"))])
    assert open_of(invoice, receipt) == [D("1056.80"), D("0.00")]
    assert account_balance(company, "1122", partner=customer) == D("1056.80")

    rest = receive_money(company, finance, customer, bank, "1056.80", allocations=[(invoice, "1056.80")])
    assert open_of(invoice, rest) == [D("0.00"), D("0.00")]
    assert account_balance(company, "1122", partner=customer) == D("0.00")
    assert account_balance(company, "1002") == D("6056.80")
    assert [a.amount for a in invoice.allocations.order_by("amount")] == [D("1056.80"), D("2000"), D("3000")]


def test_allocating_beyond_what_is_open_is_refused_and_nothing_changes(company, finance, customer, bank):
    invoice = invoiced(company, finance, customer, "1000")
    other = invoiced(company, finance, customer, "800")
    receipt = receive_money(company, finance, customer, bank, "1500")
    with pytest.raises(OverAllocation) as refused:
        payment_allocate(
            actor=finance,
            company=company,
            payment=receipt,
            allocations=[(other, "500"), (invoice, "1000.01")],
        )
    assert refused.value.code == "over_allocation" and refused.value.status == 422
    assert "allocations[1].amount" in refused.value.fields
    with pytest.raises(OverAllocation):
        payment_allocate(
            actor=finance,
            company=company,
            payment=receipt,
            allocations=[(invoice, "1000"), (other, "500.01")],
        )
    with pytest.raises(OverAllocation):
        payment_allocate(
            actor=finance,
            company=company,
            payment=receipt,
            allocations=[(invoice, "600"), (invoice, "400.01")],
        )
    assert open_of(invoice, other, receipt) == [D("1000.00"), D("800.00"), D("1500.00")]
    assert not Allocation.objects.filter(company=company).exists()


def test_an_overpayment_stays_as_the_customers_credit(company, finance, customer, bank):
    older = invoiced(company, finance, customer, "600", due=TODAY)
    newer = invoiced(company, finance, customer, "900", due=TODAY + datetime.timedelta(days=30))
    receipt = receive_money(company, finance, customer, bank, "2000")
    payment_allocate_oldest(actor=finance, company=company, payment=receipt)
    assert open_of(older, newer, receipt) == [D("0.00"), D("0.00"), D("500.00")]
    assert account_balance(company, "1122", partner=customer) == D("-500.00")
    payment_allocate_oldest(actor=finance, company=company, payment=receipt)
    assert open_of(receipt) == [D("500.00")]


def test_allocating_oldest_first_settles_the_earliest_due_and_leaves_the_rest_open(
    company, finance, customer, bank
):
    later = invoiced(company, finance, customer, "900", due=TODAY + datetime.timedelta(days=30))
    earlier = invoiced(company, finance, customer, "600", due=TODAY)
    receipt = receive_money(company, finance, customer, bank, "1000")
    payment_allocate_oldest(actor=finance, company=company, payment=receipt)
    assert open_of(earlier, later, receipt) == [D("0.00"), D("500.00"), D("0.00")]


def test_a_supplier_payment_settles_a_bill(company, finance, supplier, bank):
    bill = invoiced(company, finance, supplier, "1130", kind=Invoice.Kind.SUPPLIER_BILL)
    assert account_balance(company, "220201", partner=supplier) == D("-1130.00")
    payment = payment_create(
        actor=finance,
        company=company,
        kind=PAYMENT,
        partner=supplier,
        payment_date=TODAY,
        amount="1130",
        account=bank,
        allocations=[(bill, "1130")],
    )
    assert payment.planned_allocations == [[str(bill.pk), "1130.00"]]
    payment_submit(actor=finance, company=company, payment=payment)
    assert open_of(bill, payment) == [D("0.00"), D("0.00")]
    assert account_balance(company, "220201", partner=supplier) == D("0.00")
    assert account_balance(company, "1002") == D("-1130.00")


def test_a_credit_note_settles_part_of_an_invoice(company, finance, customer, bank):
    invoice = invoiced(company, finance, customer, "1000")
    credit = invoiced(company, finance, customer, "300", kind=Invoice.Kind.CUSTOMER_CREDIT_NOTE)
    assert account_balance(company, "1122", partner=customer) == D("700.00")
    credit_note_allocate(actor=finance, company=company, credit_note=credit, allocations=[(invoice, "300")])
    assert open_of(invoice, credit) == [D("700.00"), D("0.00")]
    assert account_balance(company, "1122", partner=customer) == D("700.00")
    with pytest.raises(OverAllocation):
        credit_note_allocate(
            actor=finance, company=company, credit_note=credit, allocations=[(invoice, "0.01")]
        )


def test_a_supplier_credit_note_settles_a_bill(company, finance, supplier):
    bill = invoiced(company, finance, supplier, "500", kind=Invoice.Kind.SUPPLIER_BILL)
    credit = invoiced(company, finance, supplier, "120", kind=Invoice.Kind.SUPPLIER_CREDIT_NOTE)
    credit_note_allocate(actor=finance, company=company, credit_note=credit, allocations=[(bill, "120")])
    assert open_of(bill, credit) == [D("380.00"), D("0.00")]
    assert account_balance(company, "220201", partner=supplier) == D("-380.00")


def test_money_only_settles_the_same_partners_documents_of_its_side(
    company, admin, finance, customer, supplier, bank
):
    neighbour = partner_create(actor=admin, company=company, name="宁波海曙贸易有限公司", is_customer=True)
    theirs = invoiced(company, finance, neighbour, "100")
    bill = invoiced(company, finance, supplier, "100", kind=Invoice.Kind.SUPPLIER_BILL)
    draft = invoice_create(
        actor=finance,
        company=company,
        kind=Invoice.Kind.CUSTOMER_INVOICE,
        partner=customer,
        invoice_date=TODAY,
        lines=[InvoiceLineIn(quantity=D(1), unit_price=D(100), tax_rate=D(0), description="咨询费")],
    )
    receipt = receive_money(company, finance, customer, bank, "100")
    for wrong in (theirs, bill, draft):
        with pytest.raises(ValidationFailed) as refused:
            payment_allocate(actor=finance, company=company, payment=receipt, allocations=[(wrong, "10")])
        assert "allocations[0].invoice_id" in refused.value.fields
    assert open_of(receipt) == [D("100.00")]


def test_another_companys_invoice_is_not_found(company, other_company, outsider, finance, customer, bank):
    stranger = partner_create(actor=outsider, company=other_company, name="外地客户", is_customer=True)
    theirs = invoiced(other_company, outsider, stranger, "100")
    receipt = receive_money(company, finance, customer, bank, "100")
    with pytest.raises(NotFound):
        payment_allocate(actor=finance, company=company, payment=receipt, allocations=[(theirs, "10")])
    with pytest.raises(NotFound):
        payment_create(
            actor=finance,
            company=company,
            kind=RECEIPT,
            partner=customer,
            payment_date=TODAY,
            amount="100",
            account=bank,
            allocations=[(theirs, "10")],
        )
    assert open_of(theirs, receipt) == [D("100.00"), D("100.00")]


def test_a_draft_cannot_be_allocated_and_an_allocation_needs_a_permission(
    company, finance, customer, bank, sales
):
    invoice = invoiced(company, finance, customer, "100")
    draft = payment_create(
        actor=finance,
        company=company,
        kind=RECEIPT,
        partner=customer,
        payment_date=TODAY,
        amount="100",
        account=bank,
    )
    with pytest.raises(InvalidTransition):
        payment_allocate(actor=finance, company=company, payment=draft, allocations=[(invoice, "10")])
    posted = payment_submit(actor=finance, company=company, payment=draft)
    with pytest.raises(NotPermitted):
        payment_allocate(actor=sales, company=company, payment=posted, allocations=[(invoice, "10")])
    assert open_of(invoice, posted) == [D("100.00"), D("100.00")]


def test_a_planned_allocation_beyond_what_is_open_at_posting_is_refused(company, finance, customer, bank):
    invoice = invoiced(company, finance, customer, "100")
    first = payment_create(
        actor=finance,
        company=company,
        kind=RECEIPT,
        partner=customer,
        payment_date=TODAY,
        amount="80",
        account=bank,
        allocations=[(invoice, "80")],
    )
    receive_money(company, finance, customer, bank, "50", allocations=[(invoice, "50")])
    with pytest.raises(OverAllocation):
        payment_submit(actor=finance, company=company, payment=first)
    first.refresh_from_db()
    assert (first.state, first.number) == ("draft", "")
    assert open_of(invoice) == [D("50.00")]


@pytest.mark.pg
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks")
@pytest.mark.django_db(transaction=True)
def test_ten_clerks_allocating_one_receipt_at_once_never_settle_more_than_it_holds(
    company, finance, customer, bank
):
    invoice = invoiced(company, finance, customer, "1000")
    receipt = receive_money(company, finance, customer, bank, "500")
    barrier = threading.Barrier(10)
    results: list = [None] * 10

    def allocate(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            payment_allocate(actor=finance, company=company, payment=receipt, allocations=[(invoice, "100")])
            results[i] = "ok"
        except Exception as exc:  # kept for the assertions
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=allocate, args=(i,)) for i in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    refused = [r for r in results if r != "ok"]
    assert results.count("ok") == 5
    assert all(isinstance(r, OverAllocation) for r in refused), refused
    assert open_of(invoice, receipt) == [D("500.00"), D("0.00")]
    assert Allocation.objects.filter(payment=receipt).count() == 5
