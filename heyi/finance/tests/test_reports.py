"""Financial reports told as a month of a small trading company: the owners pay in capital,
stock is bought and some of it sold, office costs are paid; the reports show the books."""

import datetime
from decimal import Decimal

import pytest

from heyi.finance.models import Account
from heyi.finance.reports import trial_balance
from heyi.finance.services.common import finance_settings
from heyi.finance.services.vouchers import LineIn, voucher_create, voucher_post

D = Decimal
TODAY = datetime.date.today()
MONTH_START = TODAY - datetime.timedelta(days=30)


def post(user, company, on, *entries, narration=""):
    """Post a hand-made voucher; entries are (account code, debit, credit)."""
    finance_settings(company)
    lines = [
        LineIn(account=Account.objects.get(company=company, code=code), debit=D(dr), credit=D(cr))
        for code, dr, cr in entries
    ]
    voucher = voucher_create(actor=user, company=company, date=on, lines=lines, narration=narration)
    return voucher_post(actor=user, company=company, voucher=voucher)


@pytest.fixture
def month(company, finance, received, shipped, printer, toner):
    """Capital paid in before the month; within it, stock received (printers 10 x 2000, toner
    20 x 210), 3 printers and 5 toners shipped, and office costs paid from the bank."""
    post(
        finance,
        company,
        MONTH_START - datetime.timedelta(days=5),
        ("1002", "100000", "0"),
        ("3001", "0", "100000"),
    )
    received([(printer, 10, "2000"), (toner, 20, "210")])
    shipped([(printer, 3, "2680"), (toner, 5, "399")])
    post(finance, company, TODAY, ("560201", "1200", "0"), ("1002", "0", "1200"), narration="Office rent")
    return company


def rows_by_code(report):
    return {r.code: r for r in report.rows}


def test_trial_balance_shows_opening_movements_and_closing_per_account_with_parents(month):
    report = trial_balance(month, MONTH_START, TODAY)
    rows = rows_by_code(report)

    bank = rows["1002"]
    assert (bank.opening_debit, bank.debit, bank.credit, bank.closing_debit) == (
        D("100000.00"),
        D("0.00"),
        D("1200.00"),
        D("98800.00"),
    )
    capital = rows["3001"]
    assert (capital.opening_credit, capital.credit, capital.closing_credit) == (
        D("100000.00"),
        D("0.00"),
        D("100000.00"),
    )
    stock = rows["1405"]
    assert (stock.opening, stock.debit, stock.credit, stock.closing) == (
        D("0.00"),
        D("24200.00"),
        D("7050.00"),
        D("17150.00"),
    )
    assert rows["540101"].closing_debit == D("7050.00")
    assert rows["220202"].closing_credit == D("24200.00")
    # parents sum their sub-accounts; a parent is not counted twice in the totals
    assert rows["5401"].closing_debit == D("7050.00") and not rows["5401"].is_leaf
    assert rows["2202"].closing_credit == D("24200.00") and rows["2202"].level == 1
    assert rows["220202"].level == 2
    assert rows["5602"].debit == rows["560201"].debit == D("1200.00")

    totals = report.totals
    assert totals.balanced
    assert (totals.opening_debit, totals.debit, totals.closing_debit) == (
        D("100000.00"),
        D("24200.00") + D("7050.00") + D("1200.00"),
        D("98800.00") + D("17150.00") + D("7050.00") + D("1200.00"),
    )
    assert "1001" not in rows and "1122" not in rows  # untouched accounts are left out
    assert "1001" in rows_by_code(trial_balance(month, MONTH_START, TODAY, all_accounts=True))


def test_trial_balance_before_the_month_holds_only_the_capital(month):
    report = trial_balance(
        month, MONTH_START - datetime.timedelta(days=10), MONTH_START - datetime.timedelta(days=1)
    )
    assert {r.code: r.closing for r in report.rows} == {
        "1002": D("100000.00"),
        "3001": D("-100000.00"),
    }
    assert report.totals.opening_debit == 0 and report.totals.debit == D("100000.00")


def test_another_companys_lines_never_appear(month, other_company, outsider):
    post(outsider, other_company, TODAY, ("1001", "555", "0"), ("3001", "0", "555"))
    rows = rows_by_code(trial_balance(month, MONTH_START, TODAY))
    assert "1001" not in rows and rows["3001"].closing == D("-100000.00")
    other = rows_by_code(trial_balance(other_company, MONTH_START, TODAY))
    assert set(other) == {"1001", "3001"}
