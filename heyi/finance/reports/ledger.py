"""Reports of accounts: the trial balance (科目余额表), the account detail (明细账) and the
cash position, read from posted lines inside the database."""

import datetime
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import F, Q, RowRange, Sum, Window

from heyi.partners.models import Partner
from heyi.platform.models import Company

from ..models import Account, VoucherLine

ZERO = Decimal("0.00")


def cents(value: Decimal | None) -> Decimal:
    """Sums come back with float noise on SQLite; money is compared and shown to the cent."""
    return Decimal(value or 0).quantize(ZERO)


def debit_side(balance: Decimal) -> Decimal:
    return balance if balance > 0 else ZERO


def credit_side(balance: Decimal) -> Decimal:
    return -balance if balance < 0 else ZERO


@dataclass
class TrialBalanceRow:
    """One account; a parent's figures are the sums of its sub-accounts. Balances are debit
    minus credit, shown on the side they fall."""

    account_id: uuid.UUID
    code: str
    name: str
    name_en: str
    type: str
    side: str
    level: int
    is_leaf: bool
    opening: Decimal = ZERO
    debit: Decimal = ZERO
    credit: Decimal = ZERO

    @property
    def closing(self) -> Decimal:
        return self.opening + self.debit - self.credit

    @property
    def opening_debit(self) -> Decimal:
        return debit_side(self.opening)

    @property
    def opening_credit(self) -> Decimal:
        return credit_side(self.opening)

    @property
    def closing_debit(self) -> Decimal:
        return debit_side(self.closing)

    @property
    def closing_credit(self) -> Decimal:
        return credit_side(self.closing)


@dataclass
class TrialBalanceTotals:
    opening_debit: Decimal = ZERO
    opening_credit: Decimal = ZERO
    debit: Decimal = ZERO
    credit: Decimal = ZERO
    closing_debit: Decimal = ZERO
    closing_credit: Decimal = ZERO

    @property
    def balanced(self) -> bool:
        return (
            self.opening_debit == self.opening_credit
            and self.debit == self.credit
            and self.closing_debit == self.closing_credit
        )


@dataclass
class TrialBalance:
    start: datetime.date
    end: datetime.date
    rows: list[TrialBalanceRow] = field(default_factory=list)
    totals: TrialBalanceTotals = field(default_factory=TrialBalanceTotals)


def account_tree(company: Company) -> dict[uuid.UUID, Account]:
    """The company's accounts by id (a chart is about a hundred rows)."""
    return {
        a.pk: a
        for a in Account.objects.filter(company=company).only(
            "pk", "code", "name", "name_en", "type", "side", "parent_id", "is_leaf", "is_cash"
        )
    }


def ancestors(accounts: dict[uuid.UUID, Account], account_id: uuid.UUID) -> list[uuid.UUID]:
    """The account and its parents up to the top level."""
    chain = []
    current: uuid.UUID | None = account_id
    while current is not None and current in accounts:
        chain.append(current)
        current = accounts[current].parent_id
    return chain


def trial_balance(
    company: Company, start: datetime.date, end: datetime.date, *, all_accounts: bool = False
) -> TrialBalance:
    """Opening balance, debits and credits of the period and closing balance of every account
    that has any (or of every account), parents summing their sub-accounts.

    One GROUP BY account over the posted lines up to `end`, with conditional sums for before
    and within the period: the lines never leave the database.
    """
    before, within = Q(date__lt=start), Q(date__gte=start)
    sums = (
        VoucherLine.objects.filter(company=company, posted=True, date__lte=end)
        .values("account_id")
        .annotate(
            opening_debit=Sum("debit", filter=before),
            opening_credit=Sum("credit", filter=before),
            period_debit=Sum("debit", filter=within),
            period_credit=Sum("credit", filter=within),
        )
        .order_by()
    )
    accounts = account_tree(company)
    rows: dict[uuid.UUID, TrialBalanceRow] = {}
    totals = TrialBalanceTotals()

    def row(account_id: uuid.UUID) -> TrialBalanceRow:
        if account_id not in rows:
            account = accounts[account_id]
            rows[account_id] = TrialBalanceRow(
                account_id=account.pk,
                code=account.code,
                name=account.name,
                name_en=account.name_en,
                type=account.type,
                side=account.side,
                level=len(ancestors(accounts, account_id)),
                is_leaf=account.is_leaf,
            )
        return rows[account_id]

    for s in sums:
        opening = cents(s["opening_debit"]) - cents(s["opening_credit"])
        debit, credit = cents(s["period_debit"]), cents(s["period_credit"])
        closing = opening + debit - credit
        totals.opening_debit += debit_side(opening)
        totals.opening_credit += credit_side(opening)
        totals.debit += debit
        totals.credit += credit
        totals.closing_debit += debit_side(closing)
        totals.closing_credit += credit_side(closing)
        for account_id in ancestors(accounts, s["account_id"]):
            r = row(account_id)
            r.opening += opening
            r.debit += debit
            r.credit += credit
    if all_accounts:
        for account_id in accounts:
            row(account_id)
    shown = [r for r in rows.values() if all_accounts or r.opening or r.debit or r.credit]
    return TrialBalance(start=start, end=end, rows=sorted(shown, key=lambda r: r.code), totals=totals)


@dataclass
class LedgerEntry:
    date: datetime.date
    voucher_id: uuid.UUID
    voucher_number: str
    narration: str
    account_code: str
    account_name: str
    partner_name: str
    debit: Decimal
    credit: Decimal
    balance: Decimal
    source_type: str
    source_id: str
    source_reference: str


ENTRY_ORDER = ("date", "voucher__word", "voucher__sequence", "position", "pk")


class LedgerEntries:
    """The lines of an account in date and voucher order with their running balance, read a
    page at a time: the balance is a window sum computed by the database over the whole period,
    so any page starts from the right figure."""

    def __init__(self, lines, opening: Decimal):
        self._lines = lines.annotate(
            running=Window(
                Sum(F("debit") - F("credit")),
                order_by=[F(name).asc() for name in ENTRY_ORDER],
                frame=RowRange(start=None, end=0),
            )
        ).values(
            "date",
            "voucher_id",
            "voucher__number",
            "narration",
            "account__code",
            "account__name",
            "partner__name",
            "debit",
            "credit",
            "running",
            "voucher__source_type",
            "voucher__source_id",
            "voucher__source_reference",
        )
        self._lines = self._lines.order_by(*ENTRY_ORDER)
        self._opening = opening
        self._count: int | None = None

    def _entry(self, row: dict) -> LedgerEntry:
        return LedgerEntry(
            date=row["date"],
            voucher_id=row["voucher_id"],
            voucher_number=row["voucher__number"],
            narration=row["narration"],
            account_code=row["account__code"],
            account_name=row["account__name"],
            partner_name=row["partner__name"] or "",
            debit=cents(row["debit"]),
            credit=cents(row["credit"]),
            balance=self._opening + cents(row["running"]),
            source_type=row["voucher__source_type"],
            source_id=row["voucher__source_id"],
            source_reference=row["voucher__source_reference"],
        )

    def __len__(self) -> int:
        if self._count is None:
            self._count = self._lines.count()
        return self._count

    def __getitem__(self, index: slice) -> list[LedgerEntry]:
        return [self._entry(row) for row in self._lines[index]]

    def __iter__(self) -> Iterator[LedgerEntry]:
        return (self._entry(row) for row in self._lines.iterator(chunk_size=2000))


@dataclass
class GeneralLedger:
    account: Account
    start: datetime.date
    end: datetime.date
    opening: Decimal
    debit: Decimal
    credit: Decimal
    entries: LedgerEntries

    @property
    def closing(self) -> Decimal:
        return self.opening + self.debit - self.credit


def general_ledger(
    company: Company,
    account: Account,
    start: datetime.date,
    end: datetime.date,
    *,
    partner: Partner | None = None,
) -> GeneralLedger:
    """The account detail (明细账) of an account and its sub-accounts, optionally of one partner:
    opening balance, every posted line of the period with its running balance, closing balance."""
    accounts = account_tree(company)
    ids = [pk for pk in accounts if account.pk in ancestors(accounts, pk)]
    lines = VoucherLine.objects.filter(company=company, posted=True, account_id__in=ids, date__lte=end)
    if partner is not None:
        lines = lines.filter(partner=partner)
    before, within = Q(date__lt=start), Q(date__gte=start)
    sums = lines.aggregate(
        opening_debit=Sum("debit", filter=before),
        opening_credit=Sum("credit", filter=before),
        period_debit=Sum("debit", filter=within),
        period_credit=Sum("credit", filter=within),
    )
    opening = cents(sums["opening_debit"]) - cents(sums["opening_credit"])
    return GeneralLedger(
        account=account,
        start=start,
        end=end,
        opening=opening,
        debit=cents(sums["period_debit"]),
        credit=cents(sums["period_credit"]),
        entries=LedgerEntries(lines.filter(within), opening),
    )


@dataclass
class CashRow:
    account_id: uuid.UUID
    code: str
    name: str
    name_en: str
    balance: Decimal
    received: Decimal
    paid: Decimal

    @property
    def opening(self) -> Decimal:
        """The balance before the days the movements cover."""
        return self.balance - self.received + self.paid


@dataclass
class CashPosition:
    date: datetime.date
    since: datetime.date
    rows: list[CashRow]

    @property
    def balance(self) -> Decimal:
        return sum((r.balance for r in self.rows), ZERO)

    @property
    def received(self) -> Decimal:
        return sum((r.received for r in self.rows), ZERO)

    @property
    def paid(self) -> Decimal:
        return sum((r.paid for r in self.rows), ZERO)

    @property
    def opening(self) -> Decimal:
        return sum((r.opening for r in self.rows), ZERO)


CASH_DAYS = 30


def cash_position(company: Company, as_of: datetime.date) -> CashPosition:
    """The balance of every cash and bank account on a date, and the money in and out of each
    over the 30 days up to it."""
    since = as_of - datetime.timedelta(days=CASH_DAYS - 1)
    cash = list(
        Account.objects.filter(company=company, is_cash=True, is_leaf=True)
        .only("pk", "code", "name", "name_en", "active")
        .order_by("code")
    )
    recent = Q(date__gte=since)
    sums = {
        s["account_id"]: s
        for s in VoucherLine.objects.filter(
            company=company, posted=True, date__lte=as_of, account_id__in=[a.pk for a in cash]
        )
        .values("account_id")
        .annotate(
            total_debit=Sum("debit"),
            total_credit=Sum("credit"),
            received=Sum("debit", filter=recent),
            paid=Sum("credit", filter=recent),
        )
        .order_by()
    }
    rows = []
    for account in cash:
        s = sums.get(account.pk)
        if s is None and not account.active:
            continue
        rows.append(
            CashRow(
                account_id=account.pk,
                code=account.code,
                name=account.name,
                name_en=account.name_en,
                balance=cents(s["total_debit"]) - cents(s["total_credit"]) if s else ZERO,
                received=cents(s["received"]) if s else ZERO,
                paid=cents(s["paid"]) if s else ZERO,
            )
        )
    return CashPosition(date=as_of, since=since, rows=rows)
