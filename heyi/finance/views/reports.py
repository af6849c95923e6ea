"""Report pages (ERP module, `finance.view`): the trial balance, the account detail, the balance
sheet and income statement, receivable and payable ageing, the cash position and gross margin.

Each page takes its dates from the query string (bad dates are a message on the page, never an
error page), exports what it shows with `?export=xlsx` (or csv), and leads down: an account to
its detail, a line to its voucher and the document that posted it, a partner's ageing to their
open invoices.
"""

import uuid
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from django import forms
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, path, reverse
from django.utils.http import urlencode
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from heyi.partners.access import access_partner
from heyi.platform import modules
from heyi.platform.navigation import NavItem, register_nav
from heyi.platform.registry import record_type
from heyi.platform.tabular import Column, export_response
from heyi.platform.webkit import company_view

from .. import reports
from ..access import accounts_visible
from ..forms_reports import DayForm, LedgerForm, MarginForm, PeriodForm
from ..models import FinanceSettings, Invoice, Payment
from ..permissions import VIEW
from ..reports.ageing import BUCKET_LABELS, PAYABLE, RECEIVABLE, SIDES, Ageing, OpenDocument, bucket_of
from ..reports.margin import BY_PRODUCT
from ..reports.statements import BALANCE_SHEET, INCOME_STATEMENT, Item, StatementLine

ERP = modules.ERP
EXPORTS = ("xlsx", "csv")
GL_PAGE_SIZE = 50


def money(value: Decimal | None, *, blank_zero: bool = False) -> str:
    if value is None or (blank_zero and not value):
        return ""
    return f"{value:,.2f}"


def _url(name: str, *args: Any, **query: Any) -> str:
    """A link, or none when the page does not exist (or the id does not fit it)."""
    try:
        url = reverse(name, args=args)
    except NoReverseMatch:
        return ""
    kept = {k: v for k, v in query.items() if v not in (None, "")}
    return f"{url}?{urlencode(kept)}" if kept else url


def _source_url(source_type: str, source_id: str) -> str:
    found = record_type(source_type) if source_type else None
    if found is None or not found.detail_url_name:
        return ""
    return _url(found.detail_url_name, source_id)


def _account_name(name: str, name_en: str) -> str:
    return name_en if name_en and (get_language() or "").startswith("en") else name


def _page(
    request: HttpRequest, template: str, title: Any, form: forms.Form, context: dict[str, Any]
) -> HttpResponse:
    """A report page: the filter form (its errors as a message, status 400), then the report.

    A valid form shows the dates it took, defaults included."""
    params = request.GET.copy()
    params.pop("export", None)
    params.pop("page", None)
    valid = not form.errors
    if valid:
        shown = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
        form.data = {**form.data.dict(), **shown}
    ctx = {
        "title": title,
        "form": form,
        "valid": valid,
        "exportable": valid and context.pop("exportable", True),
        "query": params.urlencode(),
        **context,
    }
    return render(request, f"finance/reports/{template}", ctx, status=400 if form.errors else 200)


def _export(request: HttpRequest, name: str, columns: Sequence[Column], rows: Any) -> HttpResponse | None:
    fmt = request.GET.get("export")
    if fmt not in EXPORTS:
        return None
    return export_response(
        actor=request.user, company=request.company, name=name, columns=columns, rows=rows, fmt=fmt
    )


def _number(key: str, label: Any, value: Callable[[Any], Any]) -> Column:
    return Column(key, label, value=value, numeric=True)


# Index


REPORTS = [
    (
        "finance:report_trial_balance",
        gettext_lazy("Trial balance"),
        gettext_lazy("Opening balance, debits, credits and closing balance of every account."),
    ),
    (
        "finance:report_general_ledger",
        gettext_lazy("Account detail"),
        gettext_lazy("Every posted line of an account with its running balance."),
    ),
    (
        "finance:report_balance_sheet",
        gettext_lazy("Balance sheet"),
        gettext_lazy("Assets, liabilities and owners' equity on a date (small-enterprise format)."),
    ),
    (
        "finance:report_income_statement",
        gettext_lazy("Income statement"),
        gettext_lazy("Revenue, costs and profit of a period and of the year (small-enterprise format)."),
    ),
    (
        "finance:report_receivable_ageing",
        gettext_lazy("Receivable ageing"),
        gettext_lazy("What each customer owes, by age of the open invoices."),
    ),
    (
        "finance:report_payable_ageing",
        gettext_lazy("Payable ageing"),
        gettext_lazy("What is owed to each supplier, by age of the open bills."),
    ),
    (
        "finance:report_cash_position",
        gettext_lazy("Cash position"),
        gettext_lazy("Cash and bank balances and the money in and out over 30 days."),
    ),
    (
        "finance:bank_reconciliation",
        gettext_lazy("Bank reconciliation"),
        gettext_lazy(
            "A bank account's balance per books and per bank statement, and what only one of them recorded."
        ),
    ),
    (
        "finance:report_gross_margin",
        gettext_lazy("Gross margin"),
        gettext_lazy("Revenue less cost of goods sold per product or customer."),
    ),
]


@company_view(perm=VIEW, module=ERP)
def report_index(request: HttpRequest) -> HttpResponse:
    items = [{"url": reverse(name), "title": title, "description": text} for name, title, text in REPORTS]
    return render(request, "finance/reports/index.html", {"title": _("Financial reports"), "items": items})


# Trial balance and account detail


@company_view(perm=VIEW, module=ERP)
def trial_balance(request: HttpRequest) -> HttpResponse:
    title = _("Trial balance")
    form = PeriodForm(request.GET)
    if not form.is_valid():
        return _page(request, "trial_balance.html", title, form, {})
    start, end = form.cleaned_data["date_from"], form.cleaned_data["date_to"]
    show_all = request.GET.get("all") == "1"
    report = reports.trial_balance(request.company, start, end, all_accounts=show_all)
    columns = [
        Column("code", _("Code")),
        Column("name", _("Account"), value=lambda r: _account_name(r.name, r.name_en)),
        _number("opening_debit", _("Opening debit"), lambda r: r.opening_debit),
        _number("opening_credit", _("Opening credit"), lambda r: r.opening_credit),
        _number("debit", _("Debits"), lambda r: r.debit),
        _number("credit", _("Credits"), lambda r: r.credit),
        _number("closing_debit", _("Closing debit"), lambda r: r.closing_debit),
        _number("closing_credit", _("Closing credit"), lambda r: r.closing_credit),
    ]
    exported = _export(request, "trial-balance", columns, report.rows)
    if exported:
        return exported
    rows = [
        {
            "code": r.code,
            "name": _account_name(r.name, r.name_en),
            "level": r.level,
            "is_leaf": r.is_leaf,
            "url": _url("finance:report_general_ledger", account=r.code, date_from=start, date_to=end),
            "cells": [money(c.get(r), blank_zero=True) for c in columns[2:]],
        }
        for r in report.rows
    ]
    t = report.totals
    totals = [t.opening_debit, t.opening_credit, t.debit, t.credit, t.closing_debit, t.closing_credit]
    return _page(
        request,
        "trial_balance.html",
        title,
        form,
        {
            "start": start,
            "end": end,
            "show_all": show_all,
            "headers": [c.label for c in columns[2:]],
            "rows": rows,
            "totals": [money(v) for v in totals],
            "balanced": t.balanced,
        },
    )


@company_view(perm=VIEW, module=ERP)
def general_ledger(request: HttpRequest) -> HttpResponse:
    title = _("Account detail")
    accounts = {
        a.code: a
        for a in accounts_visible(user=request.user, company=request.company)
        .only("pk", "code", "name", "name_en")
        .order_by("code")
    }
    choices = [(code, f"{code} {_account_name(a.name, a.name_en)}") for code, a in accounts.items()]
    form = LedgerForm(request.GET, accounts=choices)
    if not form.is_valid() or not form.cleaned_data.get("account"):
        return _page(request, "general_ledger.html", title, form, {"exportable": False})
    data = form.cleaned_data
    account, start, end = accounts[data["account"]], data["date_from"], data["date_to"]
    partner = None
    if data.get("partner"):
        partner = access_partner(user=request.user, company=request.company, id=data["partner"])
    ledger = reports.general_ledger(request.company, account, start, end, partner=partner)
    columns = [
        Column("date", _("Date")),
        Column("voucher_number", _("Voucher")),
        Column("account_code", _("Account")),
        Column("narration", _("Narration")),
        Column("partner_name", _("Partner")),
        Column("source_reference", _("Source")),
        _number("debit", _("Debit"), lambda e: e.debit),
        _number("credit", _("Credit"), lambda e: e.credit),
        _number("balance", _("Balance"), lambda e: e.balance),
    ]
    exported = _export(request, f"ledger-{account.code}", columns, ledger.entries)
    if exported:
        return exported
    page = Paginator(ledger.entries, GL_PAGE_SIZE).get_page(request.GET.get("page"))
    entries = [
        {
            "entry": e,
            "voucher_url": _url("finance:voucher_detail", e.voucher_id),
            "source_url": _source_url(e.source_type, e.source_id),
            "debit": money(e.debit, blank_zero=True),
            "credit": money(e.credit, blank_zero=True),
            "balance": money(abs(e.balance)),
            "side": _side(e.balance),
        }
        for e in page.object_list
    ]
    return _page(
        request,
        "general_ledger.html",
        title,
        form,
        {
            "account": account,
            "account_name": _account_name(account.name, account.name_en),
            "partner": partner,
            "without_partner": _url(
                "finance:report_general_ledger", account=account.code, date_from=start, date_to=end
            ),
            "start": start,
            "end": end,
            "opening": money(abs(ledger.opening)),
            "opening_side": _side(ledger.opening),
            "debit": money(ledger.debit),
            "credit": money(ledger.credit),
            "closing": money(abs(ledger.closing)),
            "closing_side": _side(ledger.closing),
            "entries": entries,
            "page": page,
        },
    )


def _side(balance: Decimal) -> str:
    """借, 贷 or 平: the side a balance stands on."""
    if balance > 0:
        return _("Dr")
    if balance < 0:
        return _("Cr")
    return _("Nil")


# Statements


def _statement(
    request: HttpRequest,
    *,
    lines: Sequence[StatementLine],
    items: Sequence[Item],
    headers: Sequence[Any],
    name: str,
    link: Callable[[str], str],
) -> dict[str, Any] | HttpResponse:
    """The lines of a statement; a line summing one account leads to that account's detail."""
    columns = [
        Column("label", _("Item"), value=lambda ln: str(ln.label)),
        Column("number", _("Line"), value=lambda ln: ln.number),
        *[
            _number(f"amount_{i}", h, lambda ln, i=i: ln.amounts[i] if ln.amounts else None)
            for i, h in enumerate(headers)
        ],
    ]
    exported = _export(request, name, columns, lines)
    if exported:
        return exported
    codes = {i.number: i.codes for i in items if i.number is not None}
    return {
        "headers": headers,
        "lines": [
            {
                "line": ln,
                "url": link(codes[ln.number][0]) if ln.number and len(codes[ln.number]) == 1 else "",
                "amounts": [money(a) for a in ln.amounts],
            }
            for ln in lines
        ],
    }


@company_view(perm=VIEW, module=ERP)
def balance_sheet(request: HttpRequest) -> HttpResponse:
    title = _("Balance sheet")
    form = DayForm(request.GET)
    if not form.is_valid():
        return _page(request, "statement.html", title, form, {"form_kind": "day"})
    sheet = reports.balance_sheet(request.company, form.cleaned_data["date"])
    shown = _statement(
        request,
        lines=sheet.lines,
        items=BALANCE_SHEET,
        headers=[_("Closing balance"), _("Opening balance of the year")],
        name="balance-sheet",
        link=lambda code: _url(
            "finance:report_general_ledger", account=code, date_from=sheet.year_start, date_to=sheet.date
        ),
    )
    if isinstance(shown, HttpResponse):
        return shown
    return _page(
        request,
        "statement.html",
        title,
        form,
        {
            **shown,
            "form_kind": "day",
            "form_code": "会小企01表",
            "as_of": sheet.date,
            "balanced": sheet.balanced,
        },
    )


@company_view(perm=VIEW, module=ERP)
def income_statement(request: HttpRequest) -> HttpResponse:
    title = _("Income statement")
    form = PeriodForm(request.GET)
    if not form.is_valid():
        return _page(request, "statement.html", title, form, {"form_kind": "period"})
    start, end = form.cleaned_data["date_from"], form.cleaned_data["date_to"]
    statement = reports.income_statement(request.company, start, end)
    shown = _statement(
        request,
        lines=statement.lines,
        items=INCOME_STATEMENT,
        headers=[_("This period"), _("Year to date")],
        name="income-statement",
        link=lambda code: _url("finance:report_general_ledger", account=code, date_from=start, date_to=end),
    )
    if isinstance(shown, HttpResponse):
        return shown
    return _page(
        request,
        "statement.html",
        title,
        form,
        {
            **shown,
            "form_kind": "period",
            "form_code": "会小企02表",
            "start": start,
            "end": end,
            "balanced": True,
        },
    )


# Ageing


def _ageing_page(request: HttpRequest, side: str) -> HttpResponse:
    title = _("Receivable ageing") if side == RECEIVABLE else _("Payable ageing")
    form = DayForm(request.GET)
    if not form.is_valid():
        return _page(request, "ageing.html", title, form, {})
    as_of = form.cleaned_data["date"]
    report: Ageing = (reports.receivable_ageing if side == RECEIVABLE else reports.payable_ageing)(
        request.company, as_of
    )
    columns = [
        Column("partner_name", _("Customer") if side == RECEIVABLE else _("Supplier")),
        *[
            _number(f"bucket_{i}", label, lambda r, i=i: r.buckets[i])
            for i, label in enumerate(BUCKET_LABELS)
        ],
        _number("credits", _("Credits"), lambda r: r.credits),
        _number("total", _("Total"), lambda r: r.total),
    ]
    exported = _export(request, f"{side}-ageing", columns, report.rows)
    if exported:
        return exported
    partner_page = f"finance:report_{side}_partner"
    rows = [
        {
            "name": r.partner_name,
            "url": _url(partner_page, r.partner_id, date=as_of),
            "cells": [money(c.get(r), blank_zero=True) for c in columns[1:]],
        }
        for r in report.rows
    ]
    return _page(
        request,
        "ageing.html",
        title,
        form,
        {
            "side": side,
            "as_of": as_of,
            "headers": [c.label for c in columns],
            "rows": rows,
            "totals": [money(c.get(report.totals)) for c in columns[1:]],
            "ledger_balance": money(report.ledger_balance),
            "agrees": report.agrees,
        },
    )


@company_view(perm=VIEW, module=ERP)
def receivable_ageing(request: HttpRequest) -> HttpResponse:
    return _ageing_page(request, RECEIVABLE)


@company_view(perm=VIEW, module=ERP)
def payable_ageing(request: HttpRequest) -> HttpResponse:
    return _ageing_page(request, PAYABLE)


def _document_url(document: OpenDocument) -> str:
    return _url("finance:payment_detail" if document.is_payment else "finance:invoice_detail", document.id)


def _document_kind(document: OpenDocument) -> str:
    labels = {**dict(Invoice.Kind.choices), **dict(Payment.Kind.choices)}
    return str(labels.get(document.kind, document.kind))


def _ageing_partner(request: HttpRequest, side: str, pk: uuid.UUID) -> HttpResponse:
    partner = access_partner(user=request.user, company=request.company, id=pk)
    form = DayForm(request.GET)
    title = f"{partner.name} · " + (_("Receivable ageing") if side == RECEIVABLE else _("Payable ageing"))
    if not form.is_valid():
        return _page(request, "ageing_partner.html", title, form, {"partner": partner, "side": side})
    as_of = form.cleaned_data["date"]
    documents = reports.open_documents(request.company, side, as_of, partner=partner)
    columns = [
        Column("number", _("Number")),
        Column("kind", _("Kind"), value=_document_kind),
        Column("date", _("Date")),
        Column("due_date", _("Due date")),
        Column("age", _("Days"), numeric=True),
        _number("amount", _("Open amount"), lambda d: d.amount),
    ]
    exported = _export(request, f"{side}-{partner.name}", columns, documents)
    if exported:
        return exported
    settings = (
        FinanceSettings.objects.filter(company=request.company).select_related(SIDES[side]["account"]).first()
    )
    control = getattr(settings, SIDES[side]["account"]) if settings else None
    return _page(
        request,
        "ageing_partner.html",
        title,
        form,
        {
            "partner": partner,
            "side": side,
            "as_of": as_of,
            "back_url": _url(f"finance:report_{side}_ageing", date=as_of),
            "ledger_url": _url(
                "finance:report_general_ledger",
                account=control.code,
                partner=partner.pk,
                date_from=as_of.replace(month=1, day=1),
                date_to=as_of,
            )
            if control
            else "",
            "documents": [
                {
                    "document": d,
                    "kind": _document_kind(d),
                    "url": _document_url(d),
                    "bucket": BUCKET_LABELS[bucket_of(d.age)] if not d.is_credit else _("Credit"),
                    "amount": money(d.amount),
                }
                for d in documents
            ],
            "total": money(sum((d.amount for d in documents), Decimal("0.00"))),
        },
    )


@company_view(perm=VIEW, module=ERP)
def receivable_partner(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    return _ageing_partner(request, RECEIVABLE, pk)


@company_view(perm=VIEW, module=ERP)
def payable_partner(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    return _ageing_partner(request, PAYABLE, pk)


# Cash and margin


@company_view(perm=VIEW, module=ERP)
def cash_position(request: HttpRequest) -> HttpResponse:
    title = _("Cash position")
    form = DayForm(request.GET)
    if not form.is_valid():
        return _page(request, "cash_position.html", title, form, {})
    position = reports.cash_position(request.company, form.cleaned_data["date"])
    columns = [
        Column("code", _("Code")),
        Column("name", _("Account"), value=lambda r: _account_name(r.name, r.name_en)),
        _number("opening", _("Balance before"), lambda r: r.opening),
        _number("received", _("Money in"), lambda r: r.received),
        _number("paid", _("Money out"), lambda r: r.paid),
        _number("balance", _("Balance"), lambda r: r.balance),
    ]
    exported = _export(request, "cash-position", columns, position.rows)
    if exported:
        return exported
    rows = [
        {
            "code": r.code,
            "name": _account_name(r.name, r.name_en),
            "url": _url(
                "finance:report_general_ledger",
                account=r.code,
                date_from=position.since,
                date_to=position.date,
            ),
            "cells": [money(c.get(r)) for c in columns[2:]],
        }
        for r in position.rows
    ]
    totals = [position.opening, position.received, position.paid, position.balance]
    return _page(
        request,
        "cash_position.html",
        title,
        form,
        {
            "position": position,
            "headers": [c.label for c in columns[2:]],
            "rows": rows,
            "totals": [money(v) for v in totals],
        },
    )


@company_view(perm=VIEW, module=ERP)
def gross_margin(request: HttpRequest) -> HttpResponse:
    title = _("Gross margin")
    form = MarginForm(request.GET)
    if not form.is_valid():
        return _page(request, "gross_margin.html", title, form, {})
    data = form.cleaned_data
    by = data.get("by") or BY_PRODUCT
    report = reports.gross_margin(request.company, data["date_from"], data["date_to"], by=by)
    unnamed = _("No product") if by == BY_PRODUCT else _("No customer")
    columns = [
        Column("code", _("SKU") if by == BY_PRODUCT else _("Code")),
        Column(
            "label", _("Product") if by == BY_PRODUCT else _("Customer"), value=lambda r: r.label or unnamed
        ),
        _number("revenue", _("Revenue"), lambda r: r.revenue),
        _number("cost", _("Cost of goods sold"), lambda r: r.cost),
        _number("margin", _("Gross margin"), lambda r: r.margin),
        _number("margin_percent", _("Margin %"), lambda r: r.margin_percent),
    ]
    exported = _export(request, f"gross-margin-{by}", columns, report.rows)
    if exported:
        return exported
    rows = [
        {
            "code": r.code,
            "label": r.label or unnamed,
            "cells": [money(c.get(r)) for c in columns[2:]],
        }
        for r in report.rows
    ]
    t = report.totals
    return _page(
        request,
        "gross_margin.html",
        title,
        form,
        {
            "by": by,
            "headers": [c.label for c in columns],
            "rows": rows,
            "totals": [money(t.revenue), money(t.cost), money(t.margin), money(t.margin_percent)],
        },
    )


urlpatterns = [
    path("reports/", report_index, name="report_index"),
    path("reports/trial-balance/", trial_balance, name="report_trial_balance"),
    path("reports/general-ledger/", general_ledger, name="report_general_ledger"),
    path("reports/balance-sheet/", balance_sheet, name="report_balance_sheet"),
    path("reports/income-statement/", income_statement, name="report_income_statement"),
    path("reports/receivable-ageing/", receivable_ageing, name="report_receivable_ageing"),
    path("reports/receivable-ageing/<uuid:pk>/", receivable_partner, name="report_receivable_partner"),
    path("reports/payable-ageing/", payable_ageing, name="report_payable_ageing"),
    path("reports/payable-ageing/<uuid:pk>/", payable_partner, name="report_payable_partner"),
    path("reports/cash-position/", cash_position, name="report_cash_position"),
    path("reports/gross-margin/", gross_margin, name="report_gross_margin"),
]

register_nav(NavItem("finance", gettext_lazy("Reports"), "finance:report_index", VIEW, module=ERP, order=70))
