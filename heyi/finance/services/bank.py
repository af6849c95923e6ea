"""Bank lines (银行流水) and bank reconciliation (银行对账).

The bank's statement of a bank account is entered or imported line by line, in the bank's
order: each line's balance must follow from the one before, so a line left out, repeated or
mistyped is refused at once instead of surfacing as a difference at month end. A bank line is
then matched to the posted voucher line on the same account that records the same money,
by hand or automatically (same amount, nearest date within `MATCH_DAYS`). What stays
unmatched on either side is what the reconciliation statement (余额调节表) lists.

Lines are added under a lock on the account's last line, so two imports into one account run
one after the other; a voucher line is matched at most once (unique in the database).
"""

import datetime
from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from heyi.platform.errors import InvalidTransition, NotFound, ValidationFailed
from heyi.platform.models import Company, User
from heyi.platform.services.audit import audit_record
from heyi.platform.services.records import record_create

from ..models import Account, BankLine, VoucherLine
from ..permissions import MANAGE_PAYMENT
from .common import amount as amount_checked
from .common import check
from .payments import cash_account_checked

MATCH_DAYS = 10


def _refuse(field: str, message: Any) -> ValidationFailed:
    return ValidationFailed(fields={field: [str(message)]})


def bank_line_create(
    *,
    actor: User,
    company: Company,
    account: Account,
    line_date: datetime.date,
    amount: Any,
    balance: Any,
    description: str = "",
    reference: str = "",
    counterparty: str = "",
) -> BankLine:
    """The next line of the bank's statement of `account`: money in (amount > 0) or out (< 0)
    and the balance after it, which must be the last line's balance plus the amount. A line
    dated before the last one, or one already there, is refused."""
    check(actor, company, MANAGE_PAYMENT)
    cash_account_checked(company, "account", account)
    if line_date is None:
        raise _refuse("line_date", _("This field is required."))
    money = amount_checked("amount", amount, signed=True, allow_zero=False)
    after = amount_checked("balance", balance, signed=True)
    with transaction.atomic():
        last = (
            BankLine.objects.select_for_update()
            .filter(company=company, account=account)
            .order_by("-sequence")
            .first()
        )
        if last is not None:
            if BankLine.objects.filter(
                company=company,
                account=account,
                line_date=line_date,
                amount=money,
                balance=after,
                reference=(reference or "").strip(),
            ).exists():
                raise _refuse("amount", _("This line is already on the bank's statement."))
            if line_date < last.line_date:
                raise _refuse(
                    "line_date",
                    _("Lines are added in the bank's order: the last one is dated %(date)s.")
                    % {"date": last.line_date.isoformat()},
                )
            if last.balance + money != after:
                raise _refuse(
                    "balance",
                    _(
                        "The balance after this line should be %(expected)s (%(last)s before it, plus %(amount)s)."
                    )
                    % {"expected": last.balance + money, "last": last.balance, "amount": money},
                )
        line = BankLine(
            account=account,
            sequence=(last.sequence + 1) if last is not None else 1,
            line_date=line_date,
            amount=money,
            balance=after,
            description=(description or "").strip()[:200],
            reference=(reference or "").strip()[:64],
            counterparty=(counterparty or "").strip()[:100],
            created_by=actor,
        )
        return record_create(actor=actor, company=company, obj=line)


def _line_of(company: Company, bank_line: BankLine) -> BankLine:
    try:
        return BankLine.objects.select_for_update().get(company=company, pk=bank_line.pk)
    except BankLine.DoesNotExist:
        raise NotFound()


def _book_amount(voucher_line: VoucherLine) -> Any:
    """What the voucher line did to the bank account: debit is money in, credit money out."""
    return voucher_line.debit - voucher_line.credit


def _set_match(
    actor: User | None, company: Company, line: BankLine, voucher_line: VoucherLine | None
) -> None:
    before = str(line.matched_line_id) if line.matched_line_id else None
    line.matched_line = voucher_line
    line.matched_at = timezone.now() if voucher_line is not None else None
    try:
        with transaction.atomic():
            line.save(update_fields=["matched_line", "matched_at", "updated_at"])
    except IntegrityError:
        raise _refuse("voucher_line", _("This voucher line is already matched to another bank line."))
    audit_record(
        actor=actor,
        company=company,
        action="match" if voucher_line is not None else "unmatch",
        obj=line,
        changes={"matched_line": [before, str(voucher_line.pk) if voucher_line is not None else None]},
    )


def bank_line_match(
    *, actor: User, company: Company, bank_line: BankLine, voucher_line: VoucherLine
) -> BankLine:
    """Say which posted voucher line records this bank line: the same account and the same
    money in or out; each side is matched once."""
    check(actor, company, MANAGE_PAYMENT)
    if voucher_line is None or voucher_line.company_id != company.pk:
        raise NotFound()
    with transaction.atomic():
        line = _line_of(company, bank_line)
        if line.matched_line_id:
            raise InvalidTransition(
                _("This bank line is already matched."), current="matched", target="matched"
            )
        if voucher_line.account_id != line.account_id:
            raise _refuse("voucher_line", _("The voucher line is on another account."))
        if not voucher_line.posted:
            raise _refuse("voucher_line", _("Only a posted voucher line can be matched."))
        if _book_amount(voucher_line) != line.amount:
            raise _refuse(
                "voucher_line",
                _("The voucher line records %(book)s, the bank %(bank)s.")
                % {"book": _book_amount(voucher_line), "bank": line.amount},
            )
        _set_match(actor, company, line, voucher_line)
    return line


def bank_line_unmatch(*, actor: User, company: Company, bank_line: BankLine) -> BankLine:
    check(actor, company, MANAGE_PAYMENT)
    with transaction.atomic():
        line = _line_of(company, bank_line)
        if not line.matched_line_id:
            raise InvalidTransition(
                _("This bank line is not matched."), current="unmatched", target="unmatched"
            )
        _set_match(actor, company, line, None)
    return line


def unmatched_book_lines(company: Company, account: Account) -> Any:
    """Posted voucher lines on the account that no bank line is matched to."""
    taken = BankLine.objects.filter(company=company, matched_line__isnull=False).values("matched_line")
    return (
        VoucherLine.objects.filter(company=company, account=account, posted=True)
        .exclude(pk__in=taken)
        .annotate(book_amount=F("debit") - F("credit"))
    )


def bank_match_candidates(company: Company, line: BankLine) -> list[VoucherLine]:
    """Unmatched posted voucher lines of the same money, the nearest date first; none for a line
    already matched (it is unmatched first)."""
    return bank_match_candidates_of(company, [line])[line.pk]


def bank_match_candidates_of(
    company: Company, lines: Sequence[BankLine], limit: int = 200
) -> dict[Any, list[VoucherLine]]:
    """`bank_match_candidates` of each of the lines (one account's), read in one query."""
    open_lines = [line for line in lines if line.matched_line_id is None]
    found: dict[Any, list[VoucherLine]] = {line.pk: [] for line in lines}
    if not open_lines:
        return found
    by_amount: dict[Decimal, list[VoucherLine]] = defaultdict(list)
    for v in (
        unmatched_book_lines(company, open_lines[0].account)
        .filter(book_amount__in={line.amount for line in open_lines})
        .select_related("voucher", "partner")
        .order_by("date", "pk")
    ):
        by_amount[v.book_amount].append(v)
    for line in open_lines:
        nearest = sorted(
            by_amount[line.amount],
            key=lambda v: (abs((v.date - line.line_date).days), v.date, v.voucher.number),
        )
        found[line.pk] = nearest[:limit]
    return found


def bank_match_auto(*, actor: User, company: Company, account: Account) -> int:
    """Match every unmatched bank line of the account to an unmatched voucher line of the same
    money dated at most `MATCH_DAYS` away, the nearest first; returns how many were matched."""
    check(actor, company, MANAGE_PAYMENT)
    if account is None or account.company_id != company.pk:
        raise NotFound()
    matched = 0
    with transaction.atomic():
        lines = list(
            BankLine.objects.select_for_update()
            .filter(company=company, account=account, matched_line__isnull=True)
            .order_by("sequence")
        )
        if not lines:
            return 0
        pool: dict[Any, list[VoucherLine]] = {}
        for v in (
            unmatched_book_lines(company, account)
            .filter(
                date__gte=min(x.line_date for x in lines) - datetime.timedelta(days=MATCH_DAYS),
                date__lte=max(x.line_date for x in lines) + datetime.timedelta(days=MATCH_DAYS),
            )
            .order_by("date", "pk")
        ):
            pool.setdefault(v.book_amount, []).append(v)
        for line in lines:
            near = [v for v in pool.get(line.amount, []) if abs((v.date - line.line_date).days) <= MATCH_DAYS]
            if not near:
                continue
            best = min(near, key=lambda v: (abs((v.date - line.line_date).days), v.date))
            pool[line.amount].remove(best)
            _set_match(actor, company, line, best)
            matched += 1
    return matched
