"""Report endpoints (ERP module, `finance.view`): /reports/trial-balance, /general-ledger,
/balance-sheet, /income-statement, /receivable-ageing, /payable-ageing, /cash-position and
/gross-margin.

Periods are `date_from` and `date_to` (default: this month up to today), a day is `date`
(default today); a malformed or impossible date is a 400 `validation_error`.
"""

import datetime
import uuid
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router

from heyi.partners.access import access_partner
from heyi.platform import modules
from heyi.platform.api import ERRORS
from heyi.platform.errors import ValidationFailed
from heyi.platform.http.auth import api_auth
from heyi.platform.http.pagination import paginate

from .. import reports
from ..access import accounts_visible
from ..models import Account
from ..permissions import VIEW
from ..reports.ageing import Ageing, AgeingRow
from ..reports.dates import date_checked, month_start, period_checked
from ..reports.margin import MARGIN_GROUPS
from ..schemas.reports import (
    AgeingOut,
    BalanceSheetOut,
    CashPositionOut,
    GeneralLedgerOut,
    GrossMarginOut,
    IncomeStatementOut,
    TrialBalanceOut,
    TrialBalanceRowOut,
)
from ..services.common import check

router = Router(auth=api_auth(modules.ERP), tags=["finance"])

TRIAL_BALANCE_FIELDS = tuple(TrialBalanceRowOut.model_fields)


def _period(
    request: HttpRequest, date_from: datetime.date | None, date_to: datetime.date | None
) -> tuple[datetime.date, datetime.date]:
    check(request.actor, request.company, VIEW)
    end = date_to or timezone.localdate()
    return period_checked(date_from or month_start(end), end)


def _day(request: HttpRequest, date: datetime.date | None) -> datetime.date:
    check(request.actor, request.company, VIEW)
    return date_checked("date", date or timezone.localdate())


def account_named(request: HttpRequest, value: str) -> Account:
    """An account named by its code or its id."""
    accounts = accounts_visible(user=request.actor, company=request.company)
    value = value.strip()[:40]
    try:
        key = uuid.UUID(value)
    except ValueError:
        found = accounts.filter(code=value).first()
    else:
        found = accounts.filter(pk=key).first()
    if found is None:
        raise ValidationFailed(fields={"account": [_("No account with this code.")]})
    return found


@router.get("/reports/trial-balance", response={200: TrialBalanceOut, **ERRORS})
def trial_balance(
    request: HttpRequest,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    all_accounts: bool = False,
):
    """Opening balance, debits, credits and closing balance of each account over the period,
    parents summing their sub-accounts; `all_accounts` lists the accounts without any too."""
    start, end = _period(request, date_from, date_to)
    report = reports.trial_balance(request.company, start, end, all_accounts=all_accounts)
    totals = report.totals
    return {
        "date_from": start,
        "date_to": end,
        "rows": [{name: getattr(r, name) for name in TRIAL_BALANCE_FIELDS} for r in report.rows],
        "totals": {**vars(totals), "balanced": totals.balanced},
    }


@router.get("/reports/general-ledger", response={200: GeneralLedgerOut, **ERRORS})
def general_ledger(
    request: HttpRequest,
    account: str,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    partner_id: uuid.UUID | None = None,
):
    """The account detail (明细账) of an account (its code or id) and its sub-accounts,
    optionally of one partner: opening balance, each posted line with its running balance in
    date and voucher order (paginated), closing balance."""
    start, end = _period(request, date_from, date_to)
    found = account_named(request, account)
    partner = (
        access_partner(user=request.actor, company=request.company, id=partner_id) if partner_id else None
    )
    ledger = reports.general_ledger(request.company, found, start, end, partner=partner)
    return {
        "account_id": found.pk,
        "account_code": found.code,
        "account_name": found.name,
        "partner_id": partner.pk if partner else None,
        "date_from": start,
        "date_to": end,
        "opening": ledger.opening,
        "debit": ledger.debit,
        "credit": ledger.credit,
        "closing": ledger.closing,
        **paginate(request, ledger.entries, vars),
    }


@router.get("/reports/balance-sheet", response={200: BalanceSheetOut, **ERRORS})
def balance_sheet(request: HttpRequest, date: datetime.date | None = None):
    """The balance sheet (资产负债表, 会小企01表) on `date`: closing balances and those at the
    start of its year, by line number of the form."""
    sheet = reports.balance_sheet(request.company, _day(request, date))
    return {
        "date": sheet.date,
        "year_start": sheet.year_start,
        "balanced": sheet.balanced,
        "lines": [
            {
                "number": ln.number,
                "label": str(ln.label),
                "level": ln.level,
                "closing": ln.amounts[0] if ln.amounts else None,
                "year_opening": ln.amounts[1] if ln.amounts else None,
            }
            for ln in sheet.lines
        ],
    }


@router.get("/reports/income-statement", response={200: IncomeStatementOut, **ERRORS})
def income_statement(
    request: HttpRequest, date_from: datetime.date | None = None, date_to: datetime.date | None = None
):
    """The income statement (利润表, 会小企02表): amounts of the period and of the year to its end."""
    start, end = _period(request, date_from, date_to)
    statement = reports.income_statement(request.company, start, end)
    return {
        "date_from": start,
        "date_to": end,
        "year_start": statement.year_start,
        "lines": [
            {
                "number": ln.number,
                "label": str(ln.label),
                "level": ln.level,
                "period": ln.amounts[0],
                "year_to_date": ln.amounts[1],
            }
            for ln in statement.lines
        ],
    }


def _ageing_row(row: AgeingRow) -> dict[str, Any]:
    return {
        "partner_id": row.partner_id,
        "partner_name": row.partner_name,
        **dict(zip(("days_0_30", "days_31_60", "days_61_90", "over_90"), row.buckets, strict=True)),
        "credits": row.credits,
        "total": row.total,
    }


def _ageing(report: Ageing) -> dict[str, Any]:
    return {
        "date": report.date,
        "rows": [_ageing_row(r) for r in report.rows],
        "totals": _ageing_row(report.totals),
        "ledger_balance": report.ledger_balance,
        "agrees": report.agrees,
    }


@router.get("/reports/receivable-ageing", response={200: AgeingOut, **ERRORS})
def receivable_ageing(request: HttpRequest, date: datetime.date | None = None):
    """What each customer owes on `date`, by age of the open invoices (0-30, 31-60, 61-90 and
    over 90 days from the invoice date), less their credit notes and unallocated receipts."""
    return _ageing(reports.receivable_ageing(request.company, _day(request, date)))


@router.get("/reports/payable-ageing", response={200: AgeingOut, **ERRORS})
def payable_ageing(request: HttpRequest, date: datetime.date | None = None):
    """What we owe each supplier on `date`, by age of the open bills, less their credit notes
    and our unallocated payments."""
    return _ageing(reports.payable_ageing(request.company, _day(request, date)))


@router.get("/reports/cash-position", response={200: CashPositionOut, **ERRORS})
def cash_position(request: HttpRequest, date: datetime.date | None = None):
    """Each cash and bank account's balance on `date` and its money in and out over the 30
    days up to it."""
    position = reports.cash_position(request.company, _day(request, date))
    return {
        "date": position.date,
        "since": position.since,
        "rows": [{**vars(r), "opening": r.opening} for r in position.rows],
        "opening": position.opening,
        "received": position.received,
        "paid": position.paid,
        "balance": position.balance,
    }


@router.get("/reports/gross-margin", response={200: GrossMarginOut, **ERRORS})
def gross_margin(
    request: HttpRequest,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    by: str = "product",
):
    """Revenue posted by invoices less the cost of goods sold, per `product` or `customer`."""
    start, end = _period(request, date_from, date_to)
    if by not in MARGIN_GROUPS:
        raise ValidationFailed(
            fields={"by": [_("Choose from: %(groups)s.") % {"groups": ", ".join(MARGIN_GROUPS)}]}
        )
    report = reports.gross_margin(request.company, start, end, by=by)
    return {
        "date_from": start,
        "date_to": end,
        "by": by,
        "rows": [{**vars(r), "margin": r.margin, "margin_percent": r.margin_percent} for r in report.rows],
        "revenue": report.totals.revenue,
        "cost": report.totals.cost,
        "margin": report.totals.margin,
    }
