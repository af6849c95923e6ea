"""The trial balance (科目余额表), reading posted lines in the database, grouped by account."""

import datetime
import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, Sum

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
            debit=Sum("debit", filter=within),
            credit=Sum("credit", filter=within),
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
        debit, credit = cents(s["debit"]), cents(s["credit"])
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
