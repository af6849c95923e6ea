"""The demo company keeps books: capital, stock in the books, expenses, a closed month, a draft."""

from decimal import Decimal

from django.utils import timezone

from heyi.approvals.models import ApprovalInstance
from heyi.finance.books import books_differences
from heyi.finance.models import Account, ExpenseClaim, Invoice, Payment, Period, Voucher
from heyi.finance.reports import bank_reconciliation
from heyi.finance.selectors import account_balance
from heyi.inventory.models import ProductValuation
from heyi.platform.demo import load_demo


def test_the_demo_books_balance_and_hold_the_stock(db):
    company = load_demo()
    vouchers = Voucher.objects.filter(company=company)
    assert vouchers.filter(state=Voucher.State.DRAFT).count() == 1
    assert vouchers.filter(state=Voucher.State.POSTED, source_type="sales.delivery").count() == 3
    stock_value = sum(v.value for v in ProductValuation.objects.filter(company=company))
    assert account_balance(company, "1405") == stock_value
    assert account_balance(company, "1901") == 0
    assert Period.objects.filter(company=company, state=Period.State.CLOSED).count() == 1
    invoices = Invoice.objects.filter(company=company, state=Invoice.State.POSTED)
    assert invoices.filter(kind=Invoice.Kind.CUSTOMER_INVOICE).count() == 3
    assert invoices.filter(kind=Invoice.Kind.CUSTOMER_CREDIT_NOTE).count() == 1
    assert invoices.filter(kind=Invoice.Kind.SUPPLIER_BILL).exists()
    open_amounts = sorted(i.open_amount > 0 for i in invoices.filter(kind=Invoice.Kind.CUSTOMER_INVOICE))
    assert open_amounts == [False, True, True], "one invoice paid, one half paid, one open"
    posted = Payment.objects.filter(company=company, state=Payment.State.POSTED)
    assert posted.count() == 4
    refund = posted.get(kind=Payment.Kind.CUSTOMER_REFUND)
    assert refund.amount == Decimal("500.00") and refund.refunded_payment.unallocated_amount == 0
    assert set(ExpenseClaim.objects.filter(company=company).values_list("state", flat=True)) == {
        "paid",
        "approved",
        "draft",
    }
    assert books_differences() == []
    bank = Account.objects.get(company=company, code="1002")
    statement = bank_reconciliation(company, bank, timezone.localdate())
    assert statement.agrees, (statement.adjusted_book, statement.adjusted_bank)
    assert [line.description for line in statement.bank_only] == ["账户管理费"]
    assert statement.book_only, "today's payments have not reached the bank"
    payment = Payment.objects.get(company=company, state=Payment.State.SUBMITTED)
    request = ApprovalInstance.objects.get(company=company, document_id=str(payment.pk))
    assert request.state == "running" and request.tasks.filter(state="pending").count() == 1
    claims = ApprovalInstance.objects.filter(company=company, document_type="finance.expense_claim")
    assert ExpenseClaim.objects.get(pk=claims.get(state="approved").document_id).state == "approved"
