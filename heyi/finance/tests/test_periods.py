"""Months and years: a closed month refuses every posting dated in it, by hand or by a document;
reopening is audited; closing the year carries profit and loss to 3103 and on to 310401."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from conftest import make_member
from heyi.finance.errors import PeriodClosed
from heyi.finance.models import Account, FiscalYear, Period, Voucher
from heyi.finance.selectors import account_balance
from heyi.finance.services.chart import account_create
from heyi.finance.services.common import finance_settings
from heyi.finance.services.periods import fiscal_year_close, period_close, period_of, period_reopen
from heyi.finance.services.vouchers import LineIn, voucher_create, voucher_post, voucher_update
from heyi.inventory.models import StockMove
from heyi.platform.errors import InvalidTransition, NotPermitted, ValidationFailed
from heyi.platform.models import AuditEntry

D = Decimal


@pytest.fixture
def accounts(company):
    finance_settings(company)
    return lambda code: Account.objects.get(company=company, code=code)


@pytest.fixture
def book(company, finance, accounts):
    """Prepare and post a voucher at once: Dr `debit` / Cr `credit`."""

    def make(on: datetime.date, debit: str, credit: str, amount: str, partner=None, post=True):
        voucher = voucher_create(
            actor=finance,
            company=company,
            date=on,
            narration="凭证",
            lines=[
                LineIn(account=accounts(debit), debit=D(amount), partner=partner),
                LineIn(account=accounts(credit), credit=D(amount), partner=partner),
            ],
        )
        return voucher_post(actor=finance, company=company, voucher=voucher) if post else voucher

    return make


def test_a_closed_month_refuses_postings_until_it_is_reopened_which_is_audited(company, finance, book):
    march = period_of(company, datetime.date(2026, 3, 1))
    period_close(actor=finance, company=company, period=march)
    with pytest.raises(PeriodClosed) as refused:
        book(datetime.date(2026, 3, 31), "560201", "1002", "300.00")
    assert refused.value.code == "period_closed" and refused.value.status == 422
    assert Voucher.objects.filter(company=company).count() == 0
    draft = book(datetime.date(2026, 4, 1), "560201", "1002", "300.00", post=False)
    with pytest.raises(PeriodClosed):
        voucher_update(
            actor=finance, company=company, voucher=draft, version=1, date=datetime.date(2026, 3, 15)
        )
    assert Voucher.objects.get(pk=draft.pk).date == datetime.date(2026, 4, 1)
    with pytest.raises(InvalidTransition):
        period_close(actor=finance, company=company, period=march)

    period_reopen(actor=finance, company=company, period=march)
    entry = AuditEntry.objects.get(company=company, action="period_reopen", object_id=str(march.pk))
    assert entry.actor == finance and entry.changes == {"state": ["closed", "open"]}
    posted = book(datetime.date(2026, 3, 31), "560201", "1002", "300.00")
    assert posted.number == "记-0001" and account_balance(company, "5602") == D("300.00")
    with pytest.raises(InvalidTransition):
        period_reopen(actor=finance, company=company, period=march)


def test_a_month_with_drafts_in_it_does_not_close(company, finance, book):
    draft = book(datetime.date(2026, 5, 20), "560201", "1002", "80.00", post=False)
    with pytest.raises(InvalidTransition) as refused:
        period_close(actor=finance, company=company, period=draft.period)
    assert "draft" in str(refused.value.message)
    assert Period.objects.get(pk=draft.period_id).state == "open"


def test_a_delivery_or_receipt_dated_in_a_closed_month_is_refused_as_a_whole(
    company, finance, accounts, received, printer
):
    today = period_of(company, timezone.localdate())
    period_close(actor=finance, company=company, period=today)
    with pytest.raises(PeriodClosed):
        received([(printer, 2, "2000")])
    assert not StockMove.objects.filter(company=company).exists()
    assert not Voucher.objects.filter(company=company).exists()


def test_closing_the_year_carries_profit_to_undistributed_profit(company, finance, book, customer):
    year = datetime.date(2025, 1, 1).year
    book(datetime.date(2025, 2, 1), "1002", "5001", "10000.00")
    book(datetime.date(2025, 6, 30), "560201", "1002", "3000.00")
    book(datetime.date(2025, 11, 3), "5603", "1001", "200.00")
    book(datetime.date(2026, 1, 5), "1002", "5051", "50.00")
    closed = fiscal_year_close(actor=finance, company=company, year=year)

    assert closed.state == "closed" and closed.closed_at is not None
    end = datetime.date(2025, 12, 31)
    for code in ("5001", "5602", "5603", "5051"):
        assert account_balance(company, code, upto=end) == 0, code
    assert account_balance(company, "5", upto=end) == 0
    assert account_balance(company, "3103") == 0
    assert account_balance(company, "310401") == D("-6800.00")
    assert account_balance(company, "5051") == D("-50.00")
    closing = Voucher.objects.get(company=company, source_type="finance.year_end")
    assert (closing.word, closing.number, closing.date) == ("转", "转-0001", end)
    carried = [
        (ln.account.code, ln.debit, ln.credit) for ln in closing.lines.filter(account__code__startswith="3")
    ]
    assert carried == [("3103", 0, D("6800.00")), ("3103", D("6800.00"), 0), ("310401", 0, D("6800.00"))]
    assert not Period.objects.filter(company=company, year=2025, state="open").exists()
    assert AuditEntry.objects.filter(company=company, action="fiscal_year_close").get().changes == {
        "profit": "6800.00"
    }

    with pytest.raises(PeriodClosed):
        book(datetime.date(2025, 8, 1), "560201", "1002", "1.00")
    with pytest.raises(InvalidTransition):
        period_reopen(actor=finance, company=company, period=period_of(company, datetime.date(2025, 8, 1)))
    with pytest.raises(InvalidTransition):
        fiscal_year_close(actor=finance, company=company, year=year)


def test_a_year_with_a_loss_debits_undistributed_profit(company, finance, book):
    book(datetime.date(2025, 3, 1), "1002", "5001", "1000.00")
    book(datetime.date(2025, 3, 2), "560204", "1002", "1800.50")
    fiscal_year_close(actor=finance, company=company, year=2025)
    assert account_balance(company, "310401") == D("800.50")
    assert account_balance(company, "5") == 0 and account_balance(company, "3103") == 0


def test_profit_and_loss_kept_by_partner_closes_per_partner(company, finance, accounts, book, customer):
    rebates = account_create(
        actor=finance,
        company=company,
        parent=accounts("5051"),
        code="505101",
        name="返利收入",
        partner_required=True,
    )
    book(datetime.date(2025, 9, 9), "1002", "505101", "120.00", partner=customer)
    fiscal_year_close(actor=finance, company=company, year=2025)
    assert account_balance(company, rebates.code, partner=customer) == 0
    assert account_balance(company, "310401") == D("-120.00")


def test_an_empty_year_closes_without_a_voucher_and_a_year_with_drafts_does_not(company, finance, book):
    assert fiscal_year_close(actor=finance, company=company, year=2024).state == "closed"
    assert not Voucher.objects.filter(company=company).exists()
    book(datetime.date(2025, 4, 4), "560201", "1002", "10.00", post=False)
    with pytest.raises(InvalidTransition) as refused:
        fiscal_year_close(actor=finance, company=company, year=2025)
    assert "draft" in str(refused.value.message)
    assert FiscalYear.objects.get(company=company, year=2025).state == "open"
    with pytest.raises(ValidationFailed):
        fiscal_year_close(actor=finance, company=company, year=20250)


def test_only_finance_closes_periods_and_years(company, finance, accounts):
    clerk = make_member(company, "clerk", roles=["sales"])
    period = period_of(company, datetime.date(2026, 2, 1))
    with pytest.raises(NotPermitted):
        period_close(actor=clerk, company=company, period=period)
    with pytest.raises(NotPermitted):
        fiscal_year_close(actor=clerk, company=company, year=2026)
    assert Period.objects.get(pk=period.pk).state == "open"
