"""Bank reconciliation endpoints (ERP module): /bank-lines (+ /candidates, /match, /unmatch),
/bank-lines/auto-match and /reports/bank-reconciliation.

A bank line is the bank's own record of a bank account, money in positive and out negative,
with the bank's balance after it; lines are added in the bank's order and each balance must
follow from the last one, or the line is refused (400, the field named) and nothing is written.
Statements are imported through `/imports` with spec `finance.bank_line`. Reading needs
`finance.view`, anything that writes `finance.manage_payment`.
"""

import datetime
import uuid

from django.db.models import prefetch_related_objects
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Status

from heyi.platform import modules
from heyi.platform.api import ERRORS
from heyi.platform.errors import NotFound, ValidationFailed
from heyi.platform.http.auth import api_auth
from heyi.platform.http.pagination import ordered, paginate, text_search
from heyi.platform.schemas import page_of

from .. import reports
from ..access import access_account, access_bank_line, bank_lines_visible, vouchers_visible
from ..models import Account, BankLine, VoucherLine
from ..reports.dates import date_checked
from ..schemas.bank import (
    BankAutoMatchIn,
    BankAutoMatchOut,
    BankLineIn,
    BankLineOut,
    BankMatchIn,
    BankReconciliationOut,
    BookLineOut,
)
from ..services import bank as bank_services
from .guards import require_manage_payment, require_view
from .reports import account_named

router = Router(auth=api_auth(modules.ERP), tags=["finance"])

BANK_LINE_ORDERING = ["account", "sequence", "line_date", "amount", "balance", "created_at", "matched_at"]


def _bank_line(request: HttpRequest, bank_line_id: uuid.UUID) -> BankLine:
    return access_bank_line(user=request.actor, company=request.company, id=bank_line_id)


def _account(request: HttpRequest, account_id: uuid.UUID) -> Account:
    return access_account(user=request.actor, company=request.company, id=account_id)


def _voucher_line(request: HttpRequest, voucher_line_id: uuid.UUID) -> VoucherLine:
    """A line of the company's books; another company's is not found."""
    found = (
        VoucherLine.objects.filter(voucher__in=vouchers_visible(user=request.actor, company=request.company))
        .select_related("voucher")
        .filter(pk=voucher_line_id)
        .first()
    )
    if found is None:
        raise NotFound()
    return found


@router.get("/bank-lines", response={200: page_of(BankLineOut), **ERRORS})
def bank_line_list(
    request: HttpRequest,
    q: str = "",
    account: uuid.UUID | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    matched: bool | None = None,
    ordering: str = "account,sequence",
):
    """The bank's statement lines, by account in the bank's order; `matched=false` keeps those
    not yet matched to the books."""
    require_view(request)
    qs = bank_lines_visible(user=request.actor, company=request.company).select_related(
        "account", "matched_line__voucher"
    )
    if account is not None:
        qs = qs.filter(account_id=account)
    if date_from is not None:
        qs = qs.filter(line_date__gte=date_from)
    if date_to is not None:
        qs = qs.filter(line_date__lte=date_to)
    if matched is not None:
        qs = qs.filter(matched_line__isnull=not matched)
    qs = text_search(qs, q, ["description", "reference", "counterparty"])
    return paginate(request, ordered(qs, ordering, BANK_LINE_ORDERING, "account,sequence"))


@router.post("/bank-lines", response={201: BankLineOut, **ERRORS})
def bank_line_create(request: HttpRequest, payload: BankLineIn):
    """The next line of the bank's statement of a bank account. Its balance must be the last
    line's plus `amount`; a line dated before the last one, or one already there, is refused."""
    require_manage_payment(request)
    return Status(
        201,
        bank_services.bank_line_create(
            actor=request.actor,
            company=request.company,
            account=_account(request, payload.account_id),
            line_date=payload.line_date or timezone.localdate(),
            amount=payload.amount,
            balance=payload.balance,
            description=payload.description,
            reference=payload.reference,
            counterparty=payload.counterparty,
        ),
    )


@router.post("/bank-lines/auto-match", response={200: BankAutoMatchOut, **ERRORS})
def bank_line_auto_match(request: HttpRequest, payload: BankAutoMatchIn):
    """Match every unmatched line of the account to an unmatched posted voucher line of the
    same money dated at most 10 days away, the nearest first; answers how many were matched."""
    require_manage_payment(request)
    account = _account(request, payload.account_id)
    matched = bank_services.bank_match_auto(actor=request.actor, company=request.company, account=account)
    return {"matched": matched}


@router.get("/bank-lines/{bank_line_id}", response={200: BankLineOut, **ERRORS})
def bank_line_detail(request: HttpRequest, bank_line_id: uuid.UUID):
    require_view(request)
    return _bank_line(request, bank_line_id)


@router.get("/bank-lines/{bank_line_id}/candidates", response={200: list[BookLineOut], **ERRORS})
def bank_line_candidates(request: HttpRequest, bank_line_id: uuid.UUID):
    """Posted voucher lines on the account, not yet matched, recording the same money: the
    nearest date first."""
    require_view(request)
    line = _bank_line(request, bank_line_id)
    return bank_services.bank_match_candidates(request.company, line)


@router.post("/bank-lines/{bank_line_id}/match", response={200: BankLineOut, **ERRORS})
def bank_line_match(request: HttpRequest, bank_line_id: uuid.UUID, payload: BankMatchIn):
    """Name the posted voucher line that records this bank line: same account, same money;
    each side is matched once (409 `invalid_transition` for a matched bank line)."""
    require_manage_payment(request)
    line = _bank_line(request, bank_line_id)
    return bank_services.bank_line_match(
        actor=request.actor,
        company=request.company,
        bank_line=line,
        voucher_line=_voucher_line(request, payload.voucher_line_id),
    )


@router.post("/bank-lines/{bank_line_id}/unmatch", response={200: BankLineOut, **ERRORS})
def bank_line_unmatch(request: HttpRequest, bank_line_id: uuid.UUID):
    require_manage_payment(request)
    line = _bank_line(request, bank_line_id)
    return bank_services.bank_line_unmatch(actor=request.actor, company=request.company, bank_line=line)


@router.get("/reports/bank-reconciliation", response={200: BankReconciliationOut, **ERRORS})
def bank_reconciliation(request: HttpRequest, account: str, date: datetime.date | None = None):
    """The bank reconciliation statement (银行存款余额调节表) of a bank account on `date`
    (default today): the books' balance plus what only the bank recorded, the bank's balance
    plus what only the books recorded, and the difference left unexplained. `account` is the
    account's code or id."""
    require_view(request)
    day = date_checked("date", date or timezone.localdate())
    found = account_named(request, account)
    if not found.is_cash:
        raise ValidationFailed(fields={"account": [_("Choose a cash or bank account.")]})
    report = reports.bank_reconciliation(request.company, found, day)
    prefetch_related_objects(report.bank_only, "account", "matched_line__voucher")
    return {
        "account_id": found.pk,
        "account_code": found.code,
        "account_name": found.name,
        "date": report.date,
        "book_balance": report.book_balance,
        "bank_balance": report.bank_balance,
        "bank_only": report.bank_only,
        "book_only": report.book_only,
        "adjusted_book": report.adjusted_book,
        "adjusted_bank": report.adjusted_bank,
        "difference": report.difference,
        "agrees": report.agrees,
    }
