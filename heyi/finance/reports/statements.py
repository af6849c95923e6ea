"""The balance sheet (资产负债表, 会小企01表) and the income statement (利润表, 会小企02表) in the
format of the Accounting Standards for Small Enterprises, with their line numbers.

Each line sums the balances of the accounts whose codes start with its prefixes, or adds and
subtracts earlier lines. Until the year is closed, undistributed profit takes in the balance of
every profit-and-loss account, so total assets always equal liabilities plus equity.
"""

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _

from heyi.platform.models import Company

from ..models import Account, VoucherLine
from .ledger import ZERO, cents

YEAR_END_SOURCE = "finance.year_end"
DEBIT, CREDIT = 1, -1


@dataclass(frozen=True)
class Item:
    """A line of a statement: `codes` are account code prefixes summed (debit minus credit, then
    times `sign`); `plus` and `minus` are line numbers of the same statement."""

    number: int | None
    label: Any
    codes: tuple[str, ...] = ()
    sign: int = DEBIT
    plus: tuple[int, ...] = ()
    minus: tuple[int, ...] = ()
    level: int = 1  # 0 a heading without figures, 1 a line, 2 an "of which" line, 3 a total

    @property
    def is_heading(self) -> bool:
        return self.number is None


BALANCE_SHEET: tuple[Item, ...] = (
    Item(None, _("Current assets:"), level=0),
    Item(1, _("Cash and cash equivalents"), ("1001", "1002", "1012")),
    Item(2, _("Short-term investments"), ("1101",)),
    Item(3, _("Notes receivable"), ("1121",)),
    Item(4, _("Accounts receivable"), ("1122",)),
    Item(5, _("Prepayments"), ("1123",)),
    Item(6, _("Dividends receivable"), ("1131",)),
    Item(7, _("Interest receivable"), ("1132",)),
    Item(8, _("Other receivables"), ("1221",)),
    Item(
        9,
        _("Inventories"),
        ("1401", "1402", "1403", "1404", "1405", "1407", "1408", "1411", "4001", "4101", "4401"),
    ),
    Item(10, _("of which: raw materials"), ("1403",), level=2),
    Item(11, _("work in progress"), ("4001", "4101"), level=2),
    Item(12, _("finished goods and merchandise"), ("1405",), level=2),
    Item(13, _("turnover materials"), ("1411",), level=2),
    Item(14, _("Other current assets"), ("1901",)),
    Item(15, _("Total current assets"), plus=(1, 2, 3, 4, 5, 6, 7, 8, 9, 14), level=3),
    Item(None, _("Non-current assets:"), level=0),
    Item(16, _("Long-term bond investments"), ("1501",)),
    Item(17, _("Long-term equity investments"), ("1511",)),
    Item(18, _("Fixed assets at cost"), ("1601",)),
    Item(19, _("Less: accumulated depreciation"), ("1602",), sign=CREDIT),
    Item(20, _("Fixed assets, carrying amount"), plus=(18,), minus=(19,)),
    Item(21, _("Construction in progress"), ("1604",)),
    Item(22, _("Construction materials"), ("1605",)),
    Item(23, _("Disposal of fixed assets"), ("1606",)),
    Item(24, _("Productive biological assets")),
    Item(25, _("Intangible assets"), ("1701", "1702")),
    Item(26, _("Development expenditure"), ("4301",)),
    Item(27, _("Long-term deferred expenses"), ("1801",)),
    Item(28, _("Other non-current assets")),
    Item(29, _("Total non-current assets"), plus=(16, 17, 20, 21, 22, 23, 24, 25, 26, 27, 28), level=3),
    Item(30, _("Total assets"), plus=(15, 29), level=3),
    Item(None, _("Current liabilities:"), level=0),
    Item(31, _("Short-term loans"), ("2001",), sign=CREDIT),
    Item(32, _("Notes payable"), ("2201",), sign=CREDIT),
    Item(33, _("Accounts payable"), ("2202",), sign=CREDIT),
    Item(34, _("Advances from customers"), ("2203",), sign=CREDIT),
    Item(35, _("Employee benefits payable"), ("2211",), sign=CREDIT),
    Item(36, _("Taxes payable"), ("2221",), sign=CREDIT),
    Item(37, _("Interest payable"), ("2231",), sign=CREDIT),
    Item(38, _("Profit payable"), ("2232",), sign=CREDIT),
    Item(39, _("Other payables"), ("2241",), sign=CREDIT),
    Item(40, _("Other current liabilities")),
    Item(41, _("Total current liabilities"), plus=tuple(range(31, 41)), level=3),
    Item(None, _("Non-current liabilities:"), level=0),
    Item(42, _("Long-term loans"), ("2501",), sign=CREDIT),
    Item(43, _("Long-term payables"), ("2701",), sign=CREDIT),
    Item(44, _("Deferred income"), ("2401",), sign=CREDIT),
    Item(45, _("Other non-current liabilities")),
    Item(46, _("Total non-current liabilities"), plus=(42, 43, 44, 45), level=3),
    Item(47, _("Total liabilities"), plus=(41, 46), level=3),
    Item(None, _("Owners' equity:"), level=0),
    Item(48, _("Paid-in capital"), ("3001",), sign=CREDIT),
    Item(49, _("Capital reserve"), ("3002",), sign=CREDIT),
    Item(50, _("Surplus reserve"), ("3101",), sign=CREDIT),
    # the profit-and-loss accounts (5xxx) hold the year's profit until the year is closed
    Item(51, _("Undistributed profit"), ("3103", "3104", "5"), sign=CREDIT),
    Item(52, _("Total owners' equity"), plus=(48, 49, 50, 51), level=3),
    Item(53, _("Total liabilities and owners' equity"), plus=(47, 52), level=3),
)
TOTAL_ASSETS, TOTAL_LIABILITIES_AND_EQUITY = 30, 53

INCOME_STATEMENT: tuple[Item, ...] = (
    Item(1, _("Operating revenue"), ("5001", "5051"), sign=CREDIT),
    Item(2, _("Less: operating costs"), ("5401", "5402")),
    Item(3, _("Taxes and surcharges"), ("5403",)),
    Item(11, _("Selling expenses"), ("5601",)),
    Item(14, _("Administrative expenses"), ("5602",)),
    Item(16, _("of which: entertainment expenses"), ("560203",), level=2),
    Item(18, _("Finance costs"), ("5603",)),
    Item(20, _("Add: investment income"), ("5111",), sign=CREDIT),
    Item(21, _("Operating profit"), plus=(1, 20), minus=(2, 3, 11, 14, 18), level=3),
    Item(22, _("Add: non-operating income"), ("5301",), sign=CREDIT),
    Item(24, _("Less: non-operating expenses"), ("5711",)),
    Item(30, _("Total profit"), plus=(21, 22), minus=(24,), level=3),
    Item(31, _("Less: income tax expense"), ("5801",)),
    Item(32, _("Net profit"), plus=(30,), minus=(31,), level=3),
)
OPERATING_REVENUE, OPERATING_COSTS, NET_PROFIT = 1, 2, 32


@dataclass
class StatementLine:
    number: int | None
    label: Any
    level: int
    amounts: tuple[Decimal, ...]

    @property
    def is_heading(self) -> bool:
        return self.number is None


def _lines(items: tuple[Item, ...], columns: list[dict[str, Decimal]]) -> list[StatementLine]:
    """Each item's figure in each column of account balances (code -> debit minus credit)."""
    figures: list[dict[int, Decimal]] = [{} for _c in columns]
    result = []
    for item in items:
        amounts: list[Decimal] = []
        if item.number is not None:
            for balances, done in zip(columns, figures, strict=True):
                value = item.sign * sum(
                    (v for code, v in balances.items() if code.startswith(item.codes)), ZERO
                )
                value += sum((done[n] for n in item.plus), ZERO) - sum((done[n] for n in item.minus), ZERO)
                done[item.number] = value
                amounts.append(value)
        result.append(StatementLine(item.number, item.label, item.level, tuple(amounts)))
    return result


def _balances(codes: dict, rows: Sequence[Mapping[str, Any]], column: str) -> dict[str, Decimal]:
    """Debit minus credit per account code, in one column of the grouped lines."""
    return {codes[r["account_id"]]: cents(r[f"{column}_debit"]) - cents(r[f"{column}_credit"]) for r in rows}


def _codes(company: Company, **narrowed: Any) -> dict:
    return dict(Account.objects.filter(company=company, **narrowed).values_list("pk", "code"))


@dataclass
class BalanceSheet:
    """Closing balances on `date` and opening balances of its year (年初余额)."""

    date: datetime.date
    year_start: datetime.date
    lines: list[StatementLine]

    def line(self, number: int) -> StatementLine:
        return next(ln for ln in self.lines if ln.number == number)

    @property
    def balanced(self) -> bool:
        return self.line(TOTAL_ASSETS).amounts == self.line(TOTAL_LIABILITIES_AND_EQUITY).amounts


def balance_sheet(company: Company, as_of: datetime.date) -> BalanceSheet:
    year_start = as_of.replace(month=1, day=1)
    before_year = Q(date__lt=year_start)
    rows = list(
        VoucherLine.objects.filter(company=company, posted=True, date__lte=as_of)
        .values("account_id")
        .annotate(
            closing_debit=Sum("debit"),
            closing_credit=Sum("credit"),
            opening_debit=Sum("debit", filter=before_year),
            opening_credit=Sum("credit", filter=before_year),
        )
        .order_by()
    )
    codes = _codes(company)
    lines = _lines(BALANCE_SHEET, [_balances(codes, rows, "closing"), _balances(codes, rows, "opening")])
    return BalanceSheet(date=as_of, year_start=year_start, lines=lines)


@dataclass
class IncomeStatement:
    """Amounts of the period and of the year up to its end (本期金额, 本年累计金额)."""

    start: datetime.date
    end: datetime.date
    year_start: datetime.date
    lines: list[StatementLine]

    def line(self, number: int) -> StatementLine:
        return next(ln for ln in self.lines if ln.number == number)


def income_statement(company: Company, start: datetime.date, end: datetime.date) -> IncomeStatement:
    """Profit and loss posted in the dates, leaving out the year-end closing that carries it to
    undistributed profit."""
    year_start = end.replace(month=1, day=1)
    period, year = Q(date__gte=start), Q(date__gte=year_start)
    codes = _codes(company, type=Account.Type.PROFIT_LOSS)
    rows = list(
        VoucherLine.objects.filter(
            company=company,
            posted=True,
            account_id__in=list(codes),
            date__gte=min(start, year_start),
            date__lte=end,
        )
        .exclude(voucher__source_type=YEAR_END_SOURCE)
        .values("account_id")
        .annotate(
            period_debit=Sum("debit", filter=period),
            period_credit=Sum("credit", filter=period),
            year_debit=Sum("debit", filter=year),
            year_credit=Sum("credit", filter=year),
        )
        .order_by()
    )
    lines = _lines(INCOME_STATEMENT, [_balances(codes, rows, "period"), _balances(codes, rows, "year")])
    return IncomeStatement(start=start, end=end, year_start=year_start, lines=lines)
