"""Bank reconciliation pages (银行对账, ERP module).

One page per bank account and date: the reconciliation statement (余额调节表), the books' side
and the bank's side next to each other, then the bank's statement lines up to that date, newest
first, each matched to the voucher line recording it or, for finance, with the unmatched
voucher lines of the same money to match it by hand. Lines come in through the platform's
import page (spec `finance.bank_line`) or one at a time through the form here, which refuses
a balance that does not follow from the line before.
"""

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from heyi.platform import access as platform_access
from heyi.platform import modules
from heyi.platform.access import access_record
from heyi.platform.errors import DomainError, NotFound, NotPermitted
from heyi.platform.models import Company
from heyi.platform.navigation import NavItem, register_nav
from heyi.platform.tabular import Column, export_response
from heyi.platform.webkit import attach_errors, company_view, domain_error_page, run_action
from heyi.platform.widgets import DateInput

from .. import reports
from ..forms_payments import MONEY, cash_accounts
from ..forms_reports import DayForm
from ..models import Account, BankLine, VoucherLine
from ..permissions import MANAGE_PAYMENT, VIEW
from ..services import bank as bank_services
from .reports import EXPORTS

ERP = modules.ERP
IMPORT_SPEC = "finance.bank_line"
LINES_PER_PAGE = 50
CANDIDATES_SHOWN = 20


def _can(request: HttpRequest, perm: str) -> bool:
    return platform_access.has_perm(request.user, request.company, perm)


def _money(value: Decimal | None) -> str:
    return "" if value is None else f"{value:,.2f}"


def _page_url(account: Account | None = None, date: datetime.date | None = None) -> str:
    """The reconciliation page of `account` on `date` (today when not given)."""
    query = {}
    if account is not None:
        query["account"] = str(account.pk)
    if date is not None:
        query["date"] = date.isoformat()
    url = reverse("finance:bank_reconciliation")
    return f"{url}?{urlencode(query)}" if query else url


def _posted_date(request: HttpRequest) -> datetime.date | None:
    """The date of the page a button was pressed on, to return to it."""
    try:
        return parse_date(request.POST.get("date", "").strip())
    except ValueError:
        return None


def _cash_account(company: Company, value: Any) -> Account:
    try:
        return cash_accounts(company).get(pk=value)
    except (Account.DoesNotExist, ValueError, TypeError, ValidationError):
        raise NotFound()


def _default_account(company: Company, accounts: QuerySet[Account]) -> Account | None:
    """The first cash or bank account that has lines of the bank's statement, else the first."""
    with_lines = (
        BankLine.objects.filter(company=company, account__in=accounts)
        .order_by("account__code")
        .values_list("account", flat=True)
        .first()
    )
    if with_lines is not None:
        return accounts.get(pk=with_lines)
    return accounts.first()


class ReconciliationForm(DayForm):
    """The page's filter: a cash or bank account (default: see `_default_account`) and a date
    (default today)."""

    account = forms.ModelChoiceField(
        label=gettext_lazy("Bank account"), queryset=Account.objects.none(), required=False
    )
    field_order = ["account", "date"]

    def __init__(self, company: Company, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = cash_accounts(company)  # type: ignore[attr-defined]


class BankLineForm(forms.Form):
    account = forms.ModelChoiceField(label=gettext_lazy("Bank account"), queryset=Account.objects.none())
    line_date = forms.DateField(label=gettext_lazy("Date"), widget=DateInput())
    amount = forms.DecimalField(
        label=gettext_lazy("Amount"),
        help_text=gettext_lazy("Money in positive, money out negative, as on the bank's statement."),
        **MONEY,
    )
    balance = forms.DecimalField(
        label=gettext_lazy("Balance"), help_text=gettext_lazy("The bank's balance after the line."), **MONEY
    )
    description = forms.CharField(label=gettext_lazy("Description"), max_length=200, required=False)
    reference = forms.CharField(label=gettext_lazy("Reference"), max_length=64, required=False)
    counterparty = forms.CharField(label=gettext_lazy("Counterparty"), max_length=100, required=False)

    def __init__(self, company: Company, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = cash_accounts(company)  # type: ignore[attr-defined]


# The reconciliation page


def _bank_line_text(line: BankLine) -> str:
    return " · ".join(part for part in (line.description, line.counterparty, line.reference) if part)


def _voucher_url(voucher_id: Any) -> str:
    return reverse("finance:voucher_detail", args=[voucher_id])


def _statement(rec: reports.BankReconciliation) -> dict[str, Any]:
    """The two sides of the reconciliation statement, each a balance, what it lacks, and the
    adjusted balance; every row keeps its amount as a number (`value`) for the export."""

    def row(value: Decimal, **cells: Any) -> dict[str, Any]:
        return {"value": value, "amount": _money(value), **cells}

    def bank_rows(money_in: bool) -> list[dict]:
        return [
            row(abs(x.amount), date=x.line_date, number=x.reference, text=_bank_line_text(x))
            for x in rec.bank_only
            if (x.amount > 0) == money_in
        ]

    def book_rows(money_in: bool) -> list[dict]:
        return [
            row(
                v.debit if money_in else v.credit,
                date=v.date,
                number=v.voucher.number,
                url=_voucher_url(v.voucher_id),
                text=v.narration or v.voucher.narration,
            )
            for v in rec.book_only
            if (v.debit > 0) == money_in
        ]

    def side(title: str, label: str, balance: Any, groups: list[tuple[str, list]], adjusted: Any) -> dict:
        return {
            "title": title,
            "balance_label": label,
            "balance": _money(balance),
            "balance_value": balance,
            "groups": [{"label": text, "rows": rows} for text, rows in groups],
            "adjusted": _money(adjusted),
            "adjusted_value": adjusted,
        }

    books = side(
        _("Per books"),
        _("Balance per books"),
        rec.book_balance,
        [
            (_("Add: money in on the bank's statement, not yet in the books"), bank_rows(True)),
            (_("Less: money out on the bank's statement, not yet in the books"), bank_rows(False)),
        ],
        rec.adjusted_book,
    )
    bank = side(
        _("Per bank"),
        _("Balance per bank statement"),
        rec.bank_balance,
        [
            (_("Add: money in in the books, not yet on the bank's statement"), book_rows(True)),
            (_("Less: money out in the books, not yet on the bank's statement"), book_rows(False)),
        ],
        rec.adjusted_bank,
    )
    difference = rec.difference
    return {
        "sides": [books, bank],
        "agrees": rec.agrees,
        "difference": _money(abs(difference)) if difference is not None else "",
        "difference_value": difference,
    }


def _statement_rows(statement: dict[str, Any]) -> list[dict[str, Any]]:
    """The statement as one table, side after side, for Excel or CSV."""
    rows: list[dict[str, Any]] = []
    for side in statement["sides"]:
        rows.append({"item": side["balance_label"], "value": side["balance_value"]})
        for group in side["groups"]:
            rows += [{"item": group["label"], **row} for row in group["rows"]]
        rows.append({"item": f"{side['title']}: {_('Adjusted balance')}", "value": side["adjusted_value"]})
    rows.append({"item": _("Difference, books less bank"), "value": statement["difference_value"]})
    return rows


STATEMENT_COLUMNS = [
    Column("item", gettext_lazy("Item"), value=lambda r: r["item"]),
    Column("date", gettext_lazy("Date"), value=lambda r: r.get("date")),
    Column("number", gettext_lazy("Voucher or reference"), value=lambda r: r.get("number", "")),
    Column("text", gettext_lazy("Description"), value=lambda r: r.get("text", "")),
    Column("value", gettext_lazy("Amount"), value=lambda r: r["value"], numeric=True),
]


def _candidate_label(v: VoucherLine) -> str:
    parts = [v.voucher.number, v.date.isoformat(), v.narration or v.voucher.narration]
    if v.partner_id:
        parts.append(v.partner.name)
    return " · ".join(p for p in parts if p)


def _line_rows(request: HttpRequest, lines: Any, manage: bool) -> list[dict]:
    rows = []
    candidates = (
        bank_services.bank_match_candidates_of(request.company, lines, limit=CANDIDATES_SHOWN)
        if manage
        else {}
    )
    for line in lines:
        matched = line.matched_line
        row: dict[str, Any] = {
            "line": line,
            "money_in": _money(line.amount) if line.amount > 0 else "",
            "money_out": _money(-line.amount) if line.amount < 0 else "",
            "balance": _money(line.balance),
            "voucher": matched.voucher.number if matched is not None else "",
            "voucher_url": _voucher_url(matched.voucher_id) if matched is not None else "",
            "candidates": [],
        }
        if manage and matched is None:
            row["candidates"] = [(v.pk, _candidate_label(v)) for v in candidates[line.pk]]
        rows.append(row)
    return rows


@company_view(perm=VIEW, module=ERP)
def bank_reconciliation(request: HttpRequest) -> HttpResponse:
    company = request.company
    accounts = cash_accounts(company)
    form = ReconciliationForm(company, request.GET)
    manage = _can(request, MANAGE_PAYMENT)
    ctx: dict[str, Any] = {
        "title": _("Bank reconciliation"),
        "form": form,
        "manage": manage,
        "account": None,
    }
    if not form.is_valid():
        return render(request, "finance/bank/reconciliation.html", ctx, status=400)
    ctx["valid"] = True
    account = form.cleaned_data.get("account") or _default_account(company, accounts)
    as_of = form.cleaned_data["date"]
    if account is None:
        return render(request, "finance/bank/reconciliation.html", ctx)
    ctx["form"] = ReconciliationForm(company, initial={"account": account.pk, "date": as_of})
    all_lines = BankLine.objects.filter(company=company, account=account)
    ctx.update(
        {
            "account": account,
            "date": as_of,
            "has_lines": all_lines.exists(),
            "create_url": reverse("finance:bank_line_create") + "?" + urlencode({"account": str(account.pk)}),
            "import_url": reverse("web:import_start", args=[IMPORT_SPEC])
            + "?"
            + urlencode({"account": account.code}),
            "match_days": bank_services.MATCH_DAYS,
        }
    )
    if not ctx["has_lines"]:
        return render(request, "finance/bank/reconciliation.html", ctx)
    rec = reports.bank_reconciliation(company, account, as_of)
    if rec.bank_balance is not None:
        ctx["statement"] = _statement(rec)
        if request.GET.get("export") in EXPORTS:
            return export_response(
                actor=request.user,
                company=company,
                name=f"bank-reconciliation-{account.code}-{as_of.isoformat()}",
                columns=STATEMENT_COLUMNS,
                rows=_statement_rows(ctx["statement"]),
                fmt=request.GET["export"],
            )
    shown = (
        all_lines.filter(line_date__lte=as_of).select_related("matched_line__voucher").order_by("-sequence")
    )
    page = Paginator(shown, LINES_PER_PAGE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("export", None)
    params["account"], params["date"] = str(account.pk), as_of.isoformat()
    ctx.update(
        {
            "page": page,
            "rows": _line_rows(request, page.object_list, manage),
            "query": params.urlencode(),
            "unmatched": all_lines.filter(line_date__lte=as_of, matched_line__isnull=True).count(),
        }
    )
    return render(request, "finance/bank/reconciliation.html", ctx)


# Adding a line by hand


@company_view(perm=MANAGE_PAYMENT, module=ERP)
def bank_line_create(request: HttpRequest) -> HttpResponse:
    company = request.company
    initial: dict[str, Any] = {"line_date": timezone.localdate()}
    chosen = None
    if request.GET.get("account"):
        chosen = _cash_account(company, request.GET["account"])
        initial["account"] = chosen.pk
    form = BankLineForm(company, request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                line = bank_services.bank_line_create(
                    actor=request.user,
                    company=company,
                    account=data["account"],
                    line_date=data["line_date"],
                    amount=data["amount"],
                    balance=data["balance"],
                    description=data.get("description", ""),
                    reference=data.get("reference", ""),
                    counterparty=data.get("counterparty", ""),
                )
            except DomainError as exc:
                if isinstance(exc, NotFound | NotPermitted):
                    return domain_error_page(request, exc)
                attach_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Line %(sequence)s added: %(amount)s, balance %(balance)s.")
                    % {
                        "sequence": line.sequence,
                        "amount": _money(line.amount),
                        "balance": _money(line.balance),
                    },
                )
                if "another" in request.POST:
                    return redirect(
                        reverse("finance:bank_line_create")
                        + "?"
                        + urlencode({"account": str(line.account_id)})
                    )
                shown = line.line_date if line.line_date > timezone.localdate() else None
                return redirect(_page_url(line.account, shown))
        status = 400
        chosen = form.cleaned_data.get("account")
    last = (
        BankLine.objects.filter(company=company, account=chosen).order_by("-sequence").first()
        if chosen is not None
        else None
    )
    return render(
        request,
        "finance/bank/line_form.html",
        {
            "title": _("New bank statement line"),
            "form": form,
            "last": last,
            "last_balance": _money(last.balance) if last is not None else "",
            "back_url": _page_url(chosen),
        },
        status=status,
    )


# Buttons of the page


@require_POST
@company_view(perm=MANAGE_PAYMENT, module=ERP)
def bank_line_match(request: HttpRequest, pk) -> HttpResponse:
    company = request.company
    line = access_record(BankLine, user=request.user, company=company, id=pk, perm=MANAGE_PAYMENT)
    back = _page_url(line.account, _posted_date(request))
    chosen = request.POST.get("voucher_line", "").strip()
    if not chosen:
        messages.error(request, _("Choose the voucher line that records this money."))
        return redirect(back)
    voucher_line = access_record(
        VoucherLine, user=request.user, company=company, id=chosen, perm=MANAGE_PAYMENT
    )
    voucher = voucher_line.voucher
    return run_action(
        request,
        lambda: bank_services.bank_line_match(
            actor=request.user, company=company, bank_line=line, voucher_line=voucher_line
        ),
        back,
        lambda: _("Matched to %(voucher)s.") % {"voucher": voucher.number},
    )


@require_POST
@company_view(perm=MANAGE_PAYMENT, module=ERP)
def bank_line_unmatch(request: HttpRequest, pk) -> HttpResponse:
    company = request.company
    line = access_record(BankLine, user=request.user, company=company, id=pk, perm=MANAGE_PAYMENT)
    return run_action(
        request,
        lambda: bank_services.bank_line_unmatch(actor=request.user, company=company, bank_line=line),
        _page_url(line.account, _posted_date(request)),
        lambda: _("Match undone."),
    )


@require_POST
@company_view(perm=MANAGE_PAYMENT, module=ERP)
def bank_match_auto(request: HttpRequest) -> HttpResponse:
    company = request.company
    account = _cash_account(company, request.POST.get("account", "").strip())
    count = 0

    def run() -> None:
        nonlocal count
        count = bank_services.bank_match_auto(actor=request.user, company=company, account=account)

    def done() -> str:
        if not count:
            return _(
                "No line matched: no unmatched voucher line has the same amount within %(days)s days."
            ) % {"days": bank_services.MATCH_DAYS}
        return ngettext("%(count)s line matched.", "%(count)s lines matched.", count) % {"count": count}

    return run_action(request, run, _page_url(account, _posted_date(request)), done)


urlpatterns = [
    path("bank/", bank_reconciliation, name="bank_reconciliation"),
    path("bank/lines/new/", bank_line_create, name="bank_line_create"),
    path("bank/lines/<uuid:pk>/match/", bank_line_match, name="bank_line_match"),
    path("bank/lines/<uuid:pk>/unmatch/", bank_line_unmatch, name="bank_line_unmatch"),
    path("bank/auto-match/", bank_match_auto, name="bank_match_auto"),
]

register_nav(
    NavItem(
        "finance",
        gettext_lazy("Bank reconciliation"),
        "finance:bank_reconciliation",
        VIEW,
        module=ERP,
        order=45,
    ),
)
