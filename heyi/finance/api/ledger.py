"""Ledger endpoints (ERP module): /accounts, /vouchers (+ /post, /reverse), /periods
(+ /close, /reopen), /fiscal-years/{year}/close and /finance-settings.

A draft voucher is balanced or refused (`unbalanced_voucher`, 422); posting numbers it and
makes it immutable: PATCH or DELETE of a posted voucher is `posted_immutable` (409), and a
mistake is corrected by `POST /vouchers/{id}/reverse`.
"""

import datetime
import uuid
from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from heyi.catalog.access import access_product
from heyi.partners.access import access_partner
from heyi.platform import modules
from heyi.platform.access import access_department, access_employee
from heyi.platform.api import ERRORS
from heyi.platform.http.auth import api_auth
from heyi.platform.http.pagination import ordered, paginate, text_search
from heyi.platform.schemas import page_of

from ..access import access_account, access_period, access_voucher, accounts_visible, vouchers_visible
from ..models import Account, Period
from ..schemas.ledger import (
    AccountIn,
    AccountOut,
    AccountPatch,
    FinanceSettingsOut,
    FinanceSettingsPatch,
    FiscalYearOut,
    PeriodOut,
    VoucherIn,
    VoucherLineIn,
    VoucherListOut,
    VoucherOut,
    VoucherPatch,
    VoucherReverseIn,
)
from ..selectors import chart_balances, chart_levels, voucher_search
from ..services import chart as chart_services
from ..services import periods as period_services
from ..services import vouchers as voucher_services
from ..services.common import ACCOUNT_ROLES, finance_settings
from ..services.settings import finance_settings_update
from ..services.vouchers import LineIn
from .guards import require_view

router = Router(auth=api_auth(modules.ERP), tags=["finance"])

VOUCHER_ORDERING = ["date", "number", "created_at", "updated_at", "total", "state"]


def _with_tree(company, accounts: list[Account]) -> list[Account]:
    balances, levels = chart_balances(company), chart_levels(company)
    for account in accounts:
        account.balance = balances.get(account.pk)  # type: ignore[attr-defined]
        account.level = levels.get(account.pk, 1)  # type: ignore[attr-defined]
    return accounts


# Accounts


@router.get("/accounts", response={200: page_of(AccountOut), **ERRORS})
def account_list(
    request: HttpRequest, q: str = "", type: str = "", active: bool | None = None, leaf: bool | None = None
):
    """The chart in tree order (by code); `q` matches the code or either name. A company
    without a chart gets the small-enterprise one on first look."""
    require_view(request)
    finance_settings(request.company)
    qs = accounts_visible(user=request.actor, company=request.company)
    qs = text_search(qs, q, ("code", "name", "name_en"))
    if type:
        qs = qs.filter(type=type[:20])
    if active is not None:
        qs = qs.filter(active=active)
    if leaf is not None:
        qs = qs.filter(is_leaf=leaf)
    page = paginate(request, qs.order_by("code"))
    page["items"] = _with_tree(request.company, page["items"])
    return page


@router.post("/accounts", response={201: AccountOut, **ERRORS})
def account_create(request: HttpRequest, payload: AccountIn):
    """A sub-account; the first child of an account without postings makes it a group."""
    u, c = request.actor, request.company
    account = chart_services.account_create(
        actor=u,
        company=c,
        parent=access_account(user=u, company=c, id=payload.parent_id),
        code=payload.code,
        name=payload.name,
        name_en=payload.name_en,
        partner_required=payload.partner_required,
    )
    return Status(201, _with_tree(c, [account])[0])


@router.get("/accounts/{account_id}", response={200: AccountOut, **ERRORS})
def account_detail(request: HttpRequest, account_id: uuid.UUID):
    account = access_account(user=request.actor, company=request.company, id=account_id)
    return _with_tree(request.company, [account])[0]


@router.patch("/accounts/{account_id}", response={200: AccountOut, **ERRORS})
def account_update(request: HttpRequest, account_id: uuid.UUID, payload: AccountPatch):
    """Rename or (de)activate; code, type and place in the tree never change."""
    u, c = request.actor, request.company
    account = access_account(user=u, company=c, id=account_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    data = {k: v for k, v in data.items() if v is not None}
    saved = chart_services.account_update(actor=u, company=c, account=account, changes=data, version=version)
    return _with_tree(c, [saved])[0]


# Vouchers


def _voucher_lines(request: HttpRequest, lines: list[VoucherLineIn]) -> list[LineIn]:
    u, c = request.actor, request.company
    return [
        LineIn(
            account=access_account(user=u, company=c, id=ln.account_id),
            debit=ln.debit,
            credit=ln.credit,
            narration=ln.narration,
            partner=access_partner(user=u, company=c, id=ln.partner_id) if ln.partner_id else None,
            product=access_product(user=u, company=c, id=ln.product_id) if ln.product_id else None,
            department=access_department(user=u, company=c, id=ln.department_id)
            if ln.department_id
            else None,
            employee=access_employee(user=u, company=c, id=ln.employee_id) if ln.employee_id else None,
            project=ln.project,
        )
        for ln in lines
    ]


@router.get("/vouchers", response={200: page_of(VoucherListOut), **ERRORS})
def voucher_list(
    request: HttpRequest,
    q: str = "",
    state: str = "",
    word: str = "",
    period: uuid.UUID | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    account: uuid.UUID | None = None,
    source: str = "",
    ordering: str = "-date,-number",
):
    """Vouchers of the company. `account` takes in its sub-accounts; `source` is a document type
    (`sales.delivery`, `finance.invoice`, ...) or `manual` for vouchers prepared by hand."""
    require_view(request)
    u, c = request.actor, request.company
    qs = voucher_search(
        vouchers_visible(user=u, company=c),
        q=q,
        state=state,
        word=word,
        period=access_period(user=u, company=c, id=period) if period else None,
        date_from=date_from,
        date_to=date_to,
        account=access_account(user=u, company=c, id=account) if account else None,
        source=source,
    )
    return paginate(request, ordered(qs, ordering, VOUCHER_ORDERING, "-date,-number"))


@router.post("/vouchers", response={201: VoucherOut, **ERRORS})
def voucher_create(request: HttpRequest, payload: VoucherIn):
    """A draft voucher prepared by hand; lines may not touch the control accounts."""
    voucher = voucher_services.voucher_create(
        actor=request.actor,
        company=request.company,
        date=payload.date,
        word=payload.word,
        narration=payload.narration,
        notes=payload.notes,
        lines=_voucher_lines(request, payload.lines),
    )
    return Status(201, voucher)


@router.get("/vouchers/{voucher_id}", response={200: VoucherOut, **ERRORS})
def voucher_detail(request: HttpRequest, voucher_id: uuid.UUID):
    """A voucher with its lines, its source document (type, id, reference) and reversal links."""
    return access_voucher(user=request.actor, company=request.company, id=voucher_id)


@router.patch("/vouchers/{voucher_id}", response={200: VoucherOut, **ERRORS})
def voucher_update(request: HttpRequest, voucher_id: uuid.UUID, payload: VoucherPatch):
    """Change a draft; a posted voucher is `posted_immutable` (409)."""
    u, c = request.actor, request.company
    voucher = access_voucher(user=u, company=c, id=voucher_id)
    data: dict[str, Any] = payload.dict(exclude_unset=True)
    lines = _voucher_lines(request, payload.lines) if payload.lines is not None else None
    return voucher_services.voucher_update(
        actor=u,
        company=c,
        voucher=voucher,
        version=data["version"],
        date=data.get("date"),
        word=data.get("word"),
        narration=data.get("narration"),
        notes=data.get("notes"),
        lines=lines,
    )


@router.delete("/vouchers/{voucher_id}", response={204: None, **ERRORS})
def voucher_delete(request: HttpRequest, voucher_id: uuid.UUID):
    """Delete a draft; a posted voucher is never deleted (`posted_immutable`, 409)."""
    voucher = access_voucher(user=request.actor, company=request.company, id=voucher_id)
    voucher_services.voucher_delete(actor=request.actor, company=request.company, voucher=voucher)
    return Status(204, None)


@router.post("/vouchers/{voucher_id}/post", response={200: VoucherOut, **ERRORS})
def voucher_post(request: HttpRequest, voucher_id: uuid.UUID):
    """Post a draft: numbered in its period and word (记-0001), chained, immutable from now on."""
    voucher = access_voucher(user=request.actor, company=request.company, id=voucher_id)
    return voucher_services.voucher_post(actor=request.actor, company=request.company, voucher=voucher)


@router.post("/vouchers/{voucher_id}/reverse", response={201: VoucherOut, **ERRORS})
def voucher_reverse(request: HttpRequest, voucher_id: uuid.UUID, payload: VoucherReverseIn | None = None):
    """Post the mirror of a posted voucher written by hand and answer with it (201); a second
    reversal is `already_reversed` (409); vouchers of documents are corrected through them."""
    voucher = access_voucher(user=request.actor, company=request.company, id=voucher_id)
    reversal = voucher_services.voucher_reverse(
        actor=request.actor, company=request.company, voucher=voucher, date=payload.date if payload else None
    )
    return Status(201, reversal)


# Periods and fiscal years


@router.get("/periods", response={200: page_of(PeriodOut), **ERRORS})
def period_list(request: HttpRequest, year: int | None = None, state: str = ""):
    """Monthly periods, the latest year first and its months in order."""
    require_view(request)
    qs = Period.objects.filter(company=request.company).select_related("fiscal_year")
    if year is not None:
        qs = qs.filter(year=year)
    if state:
        qs = qs.filter(state=state[:10])
    return paginate(request, qs.order_by("-year", "month"))


def _period_action(name: str, service, doc: str) -> None:
    def action(request: HttpRequest, period_id: uuid.UUID):
        period = access_period(user=request.actor, company=request.company, id=period_id)
        return service(actor=request.actor, company=request.company, period=period)

    action.__doc__ = doc
    router.post(
        f"/periods/{{period_id}}/{name}", response={200: PeriodOut, **ERRORS}, operation_id=f"period_{name}"
    )(action)


_period_action(
    "close",
    period_services.period_close,
    "Close a month: every posting dated in it is refused from now on (`period_closed`).",
)
_period_action("reopen", period_services.period_reopen, "Open a closed month again (audited).")


@router.post("/fiscal-years/{year}/close", response={200: FiscalYearOut, **ERRORS})
def fiscal_year_close(request: HttpRequest, year: int):
    """Carry the year's profit and loss to 3103 and on to 310401 (结转损益) and close the year."""
    return period_services.fiscal_year_close(actor=request.actor, company=request.company, year=year)


# Finance settings


@router.get("/finance-settings", response={200: FinanceSettingsOut, **ERRORS})
def finance_settings_detail(request: HttpRequest):
    require_view(request)
    return finance_settings(request.company)


@router.patch("/finance-settings", response={200: FinanceSettingsOut, **ERRORS})
def finance_settings_patch(request: HttpRequest, payload: FinanceSettingsPatch):
    """Posting accounts (active leaf accounts of the right type), tolerances, payment terms."""
    u, c = request.actor, request.company
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    changes: dict[str, Any] = {}
    for key, value in data.items():
        role = key.removesuffix("_id")
        if role in ACCOUNT_ROLES and value is not None:
            changes[role] = access_account(user=u, company=c, id=value)
        elif value is not None:
            changes[key] = value
    return finance_settings_update(actor=u, company=c, changes=changes, version=version)
