"""The bank reconciliation statement (银行存款余额调节表) of a bank account on a date.

The books' balance plus what the bank recorded and the books did not, and the bank's balance
plus what the books recorded and the bank did not, agree when every difference is explained.
A pair of lines counts as matched on the date only when both are dated by then. The books'
side starts at the first line of the bank's statement, whose balance already holds everything
before it.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from heyi.platform.models import Company

from ..models import Account, BankLine, VoucherLine
from ..selectors import account_balance
from .ledger import ZERO


@dataclass
class BankReconciliation:
    account: Account
    date: datetime.date
    book_balance: Decimal
    bank_balance: Decimal | None
    bank_only: list[BankLine]
    book_only: list[VoucherLine]

    @property
    def adjusted_book(self) -> Decimal:
        return self.book_balance + sum((line.amount for line in self.bank_only), ZERO)

    @property
    def adjusted_bank(self) -> Decimal | None:
        if self.bank_balance is None:
            return None
        return self.bank_balance + sum((line.debit - line.credit for line in self.book_only), ZERO)

    @property
    def difference(self) -> Decimal | None:
        return None if self.adjusted_bank is None else self.adjusted_book - self.adjusted_bank

    @property
    def agrees(self) -> bool:
        return self.difference == ZERO


def bank_reconciliation(company: Company, account: Account, as_of: datetime.date) -> BankReconciliation:
    bank_lines = list(
        BankLine.objects.filter(company=company, account=account, line_date__lte=as_of)
        .select_related("matched_line")
        .order_by("sequence")
    )
    matched = {
        line.matched_line_id
        for line in bank_lines
        if line.matched_line is not None and line.matched_line.date <= as_of
    }
    book_only: list[VoucherLine] = []
    if bank_lines:
        book_only = [
            v
            for v in VoucherLine.objects.filter(
                company=company,
                account=account,
                posted=True,
                date__gte=bank_lines[0].line_date,
                date__lte=as_of,
            )
            .select_related("voucher", "partner")
            .order_by("date", "voucher__number", "position")
            if v.pk not in matched
        ]
    return BankReconciliation(
        account=account,
        date=as_of,
        book_balance=account_balance(company, account.code, upto=as_of),
        bank_balance=bank_lines[-1].balance if bank_lines else None,
        bank_only=[line for line in bank_lines if line.matched_line_id not in matched],
        book_only=book_only,
    )
