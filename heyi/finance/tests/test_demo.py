"""The demo company keeps books: capital, stock in the books, expenses, a closed month, a draft."""

from heyi.finance.books import books_differences
from heyi.finance.models import Period, Voucher
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
    assert books_differences() == []
