"""Ledger pages (ERP module): vouchers, the chart of accounts, periods and the finance settings.

A voucher page reads like the paper 凭证: word and number, date, lines of 摘要 / 科目 / 借方 /
贷方 with their dimensions, totals, who prepared and who posted it, the document that wrote
it and the reversal either way. Posted vouchers offer no edit or delete, only Reverse.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from heyi.partners.access import partners_visible
from heyi.platform import access as platform_access
from heyi.platform import modules
from heyi.platform.errors import DomainError, NotFound, NotPermitted
from heyi.platform.navigation import NavItem, register_nav
from heyi.platform.registry import record_type
from heyi.platform.webkit import (
    Column,
    Filter,
    ListSpec,
    attach_errors,
    company_view,
    detail_page,
    document_action,
    domain_error_page,
    form_page,
    list_page,
    post_action,
    run_action,
)

from ..access import access_account, access_period, access_voucher, accounts_visible, vouchers_visible
from ..errors import PostedImmutable
from ..forms import (
    AccountEditForm,
    AccountForm,
    FinanceSettingsForm,
    FiscalYearCloseForm,
    ReverseForm,
    VoucherForm,
    VoucherLineFormSet,
    finance_settings_initial,
    voucher_initial,
)
from ..models import Account, FiscalYear, Period, Voucher, VoucherLine
from ..permissions import CLOSE_PERIOD, MANAGE_SETTINGS, MANAGE_VOUCHER, POST_VOUCHER, VIEW
from ..selectors import chart_balances, chart_levels, voucher_search
from ..services import chart as chart_services
from ..services import periods as period_services
from ..services import vouchers as voucher_services
from ..services.common import finance_settings
from ..services.settings import finance_settings_update

ERP = modules.ERP
PADDING = (0, 4, 5, 6)  # design-system left padding of an account's name, by depth in the chart
SOURCE_LABELS = {"finance.year_end": gettext_lazy("Year-end closing")}


def _can(request: HttpRequest, perm: str) -> bool:
    return platform_access.has_perm(request.user, request.company, perm)


def _amount(value) -> str:
    return "" if value is None else f"{value:,.2f}"


def _voucher_url(voucher: Voucher) -> str:
    return reverse("finance:voucher_detail", args=[voucher.pk])


def source_link(voucher: Voucher) -> tuple[str, str | None]:
    """What wrote the voucher, and the page of that document when one is registered."""
    if not voucher.source_type:
        return "", None
    found = record_type(voucher.source_type)
    kind = found.label if found else SOURCE_LABELS.get(voucher.source_type, voucher.source_type)
    label = f"{kind} {voucher.source_reference}".strip()
    if found is None or not found.detail_url_name:
        return label, None
    try:
        return label, reverse(found.detail_url_name, args=[voucher.source_id])
    except NoReverseMatch:
        return label, None


# Vouchers


@dataclass(frozen=True)
class AccountFilter(Filter):
    """Vouchers with a line on the account or one of its sub-accounts (`?account=<code>`)."""

    company_id: Any = None

    def apply(self, qs: QuerySet, value: str) -> QuerySet:
        if not value or value not in {c[0] for c in self.choices}:
            return qs
        lines = VoucherLine.objects.filter(company_id=self.company_id, account__code__startswith=value)
        return qs.filter(pk__in=lines.values("voucher_id"))


@dataclass(frozen=True)
class SourceFilter(Filter):
    """Vouchers written by one kind of document, or by hand (`?source=manual`)."""

    def apply(self, qs: QuerySet, value: str) -> QuerySet:
        if value == "manual":
            return qs.filter(source_type="")
        return super().apply(qs, value)


def _dates(request: HttpRequest) -> tuple[datetime.date | None, datetime.date | None]:
    found = []
    for name in ("date_from", "date_to"):
        try:
            found.append(parse_date(request.GET.get(name, "")[:10]))
        except ValueError:
            found.append(None)
    return found[0], found[1]


@company_view(perm=VIEW, module=ERP)
def voucher_list(request: HttpRequest) -> HttpResponse:
    c = request.company
    date_from, date_to = _dates(request)
    qs = voucher_search(
        vouchers_visible(user=request.user, company=c), date_from=date_from, date_to=date_to
    ).select_related("period", "created_by")
    periods = Period.objects.filter(company=c).order_by("-year", "-month")
    sources = sorted(
        set(Voucher.objects.filter(company=c).order_by().values_list("source_type", flat=True).distinct())
        - {""}
    )
    accounts = accounts_visible(user=request.user, company=c).order_by("code")
    title = _("Vouchers")
    if date_from or date_to:
        title = f"{title} {date_from or ''} – {date_to or ''}"
    spec = ListSpec(
        title=title,
        columns=[
            Column("date", _("Date")),
            Column("number", _("Number"), value=lambda v: v.number or _("Draft"), link=True),
            Column("narration", _("Narration")),
            Column("total", _("Amount"), value=lambda v: _amount(v.total), numeric=True),
            Column("state", _("State"), value=lambda v: v.get_state_display()),
            Column("source", _("Source"), value=lambda v: source_link(v)[0] or _("Manual")),
            Column("created_by", _("Prepared by"), value=lambda v: str(v.created_by or "")),
        ],
        search_fields=("number", "narration", "source_reference"),
        ordering_fields=("date", "number", "total", "created_at", "state"),
        default_ordering="-date",
        filters=[
            Filter("state", _("State"), Voucher.State.choices),
            Filter("word", _("Voucher word"), Voucher.Word.choices),
            Filter("period", _("Period"), [(str(p.pk), str(p)) for p in periods]),
            SourceFilter(
                "source",
                _("Source"),
                [("manual", _("Manual")), *((s, SOURCE_LABELS.get(s) or _label(s)) for s in sources)],
                lookup="source_type",
            ),
            AccountFilter("account", _("Account"), [(a.code, str(a)) for a in accounts], company_id=c.pk),
        ],
        create_url=reverse("finance:voucher_create") if _can(request, MANAGE_VOUCHER) else None,
        export_name="vouchers",
        row_url=_voucher_url,
    )
    return list_page(request, qs, spec)


def _label(source_type: str) -> str:
    found = record_type(source_type)
    return str(found.label) if found else source_type


@company_view(perm=VIEW, module=ERP)
def voucher_detail(request: HttpRequest, pk) -> HttpResponse:
    voucher = access_voucher(user=request.user, company=request.company, id=pk)
    lines = list(voucher.lines.select_related("account", "partner", "product", "department", "employee"))
    reversal = Voucher.objects.filter(company=request.company, reverses=voucher).first()
    draft, manual = voucher.state == Voucher.State.DRAFT, not voucher.source_type
    actions = []
    if draft and _can(request, POST_VOUCHER):
        actions.append(post_action(_("Post"), reverse("finance:voucher_post", args=[pk]), "is-success"))
    if draft and _can(request, MANAGE_VOUCHER):
        actions.append(
            post_action(_("Delete draft"), reverse("finance:voucher_delete", args=[pk]), "is-danger is-light")
        )
    reversible = manual and voucher.reverses_id is None and reversal is None
    if not draft and reversible and _can(request, POST_VOUCHER):
        actions.append(
            {"label": _("Reverse"), "url": reverse("finance:voucher_reverse", args=[pk]), "css": "is-warning"}
        )
    label, url = source_link(voucher)
    fields: list[tuple[Any, Any]] = [
        (_("Voucher"), f"{voucher.number}" if voucher.number else _("Draft (numbered when posted)")),
        (_("Date"), voucher.date),
        (_("Period"), str(voucher.period)),
        (_("State"), voucher.get_state_display()),
        (_("Narration"), voucher.narration),
        (_("Source"), format_html('<a href="{}">{}</a>', url, label) if url else (label or _("Manual"))),
    ]
    if voucher.reverses_id:
        original = voucher.reverses
        fields.append(
            (_("Reverses"), format_html('<a href="{}">{}</a>', _voucher_url(original), original.number))
        )
    if reversal is not None:
        fields.append(
            (_("Reversed by"), format_html('<a href="{}">{}</a>', _voucher_url(reversal), reversal.number))
        )
    fields.append((_("Notes"), voucher.notes))
    sections = [
        {
            "title": _("Lines"),
            "template": "finance/ledger/_voucher_lines.html",
            "voucher": voucher,
            "lines": lines,
            "debit": sum(ln.debit for ln in lines),
            "credit": sum(ln.credit for ln in lines),
        }
    ]
    title = f"{voucher.number or _('Draft voucher')} · {voucher.date}"
    return detail_page(
        request,
        obj=voucher,
        title=title,
        fields=fields,
        actions=actions,
        edit_url=reverse("finance:voucher_edit", args=[pk])
        if draft and _can(request, MANAGE_VOUCHER)
        else None,
        back_url=reverse("finance:voucher_list"),
        sections=sections,
    )


def _line_formset(request: HttpRequest, initial: list[dict], data=None):
    partners = partners_visible(user=request.user, company=request.company)
    return VoucherLineFormSet(
        data,
        initial=initial,
        form_kwargs={"company": request.company, "partners": partners},
        prefix="lines",
    )


def _voucher_form_page(request: HttpRequest, voucher: Voucher | None) -> HttpResponse:
    c = request.company
    if voucher is not None and voucher.state != Voucher.State.DRAFT:
        return domain_error_page(request, PostedImmutable())
    header, lines = voucher_initial(voucher) if voucher else ({"date": timezone.localdate()}, [])
    data = request.POST if request.method == "POST" else None
    form = VoucherForm(data, initial=header)
    formset = _line_formset(request, lines, data)
    status = 200
    if request.method == "POST":
        if form.is_valid() and formset.is_valid():
            values = dict(form.cleaned_data)
            version = values.pop("version", None)
            try:
                if voucher is None:
                    saved = voucher_services.voucher_create(
                        actor=request.user, company=c, lines=formset.lines(), **values
                    )
                else:
                    saved = voucher_services.voucher_update(
                        actor=request.user,
                        company=c,
                        voucher=voucher,
                        version=version,
                        lines=formset.lines(),
                        **values,
                    )
            except DomainError as exc:
                if isinstance(exc, (NotFound, NotPermitted)):
                    return domain_error_page(request, exc)
                rest = formset.attach_errors(exc.fields)
                if rest or not exc.fields:
                    exc.fields = rest
                    attach_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect(_voucher_url(saved))
        status = 400
    title = _("Edit draft voucher") if voucher else _("New voucher")
    back = _voucher_url(voucher) if voucher else reverse("finance:voucher_list")
    ctx = {"form": form, "formset": formset, "title": title, "back_url": back}
    return render(request, "finance/ledger/voucher_form.html", ctx, status=status)


@company_view(perm=MANAGE_VOUCHER, module=ERP)
def voucher_create(request: HttpRequest) -> HttpResponse:
    return _voucher_form_page(request, None)


@company_view(perm=MANAGE_VOUCHER, module=ERP)
def voucher_edit(request: HttpRequest, pk) -> HttpResponse:
    return _voucher_form_page(request, access_voucher(user=request.user, company=request.company, id=pk))


@company_view(perm=MANAGE_VOUCHER, module=ERP)
def voucher_line(request: HttpRequest) -> HttpResponse:
    """One more empty line for the voucher form (htmx): the row, and the formset's new count."""
    try:
        index = max(0, min(int(request.GET.get("lines-TOTAL_FORMS", "0")), 499))
    except ValueError:
        index = 0
    formset = _line_formset(request, [])
    form = formset.empty_form
    form.prefix = formset.add_prefix(index)
    ctx = {"f": form, "total": index + 1}
    return render(request, "finance/ledger/_voucher_line_row.html", ctx)


voucher_post = document_action(
    access_one=access_voucher,
    service=voucher_services.voucher_post,
    param="voucher",
    detail="finance:voucher_detail",
    perm=POST_VOUCHER,
    module=ERP,
    done=lambda: _("The voucher is posted."),
)


@require_POST
@company_view(perm=MANAGE_VOUCHER, module=ERP)
def voucher_delete(request: HttpRequest, pk) -> HttpResponse:
    voucher = access_voucher(user=request.user, company=request.company, id=pk)
    try:
        voucher_services.voucher_delete(actor=request.user, company=request.company, voucher=voucher)
    except DomainError as exc:
        return domain_error_page(request, exc)
    messages.success(request, _("The draft voucher is deleted."))
    return redirect("finance:voucher_list")


@company_view(perm=POST_VOUCHER, module=ERP)
def voucher_reverse(request: HttpRequest, pk) -> HttpResponse:
    voucher = access_voucher(user=request.user, company=request.company, id=pk)
    form = ReverseForm(request.POST or None, initial={"date": timezone.localdate()})
    return form_page(
        request,
        form=form,
        title=_("Reverse %(number)s") % {"number": voucher.number or _("Draft voucher")},
        on_valid=lambda data: voucher_services.voucher_reverse(
            actor=request.user, company=request.company, voucher=voucher, date=data["date"]
        ),
        success_url=_voucher_url,
        back_url=_voucher_url(voucher),
    )


# Chart of accounts


@company_view(perm=VIEW, module=ERP)
def account_list(request: HttpRequest) -> HttpResponse:
    """The chart as a tree; a company's first look installs the small-enterprise chart."""
    c = request.company
    finance_settings(c)
    qs = accounts_visible(user=request.user, company=c).order_by("code")
    q = request.GET.get("q", "").strip()[:100]
    if q:
        qs = qs.filter(Q(code__startswith=q) | Q(name__icontains=q) | Q(name_en__icontains=q))
    kind = request.GET.get("type", "")
    if kind in Account.Type.values:
        qs = qs.filter(type=kind)
    show = request.GET.get("active", "1")
    if show in ("0", "1"):
        qs = qs.filter(active=show == "1")
    balances, levels = chart_balances(c), chart_levels(c)
    rows = [
        {
            "account": a,
            "pad": PADDING[min(levels.get(a.pk, 1), len(PADDING)) - 1],
            "balance": abs(balances.get(a.pk) or 0),
            "direction": _direction(balances.get(a.pk) or 0),
        }
        for a in qs
    ]
    ctx = {
        "title": _("Chart of accounts"),
        "rows": rows,
        "q": q,
        "type": kind,
        "active": show,
        "types": Account.Type.choices,
        "can_manage": _can(request, MANAGE_SETTINGS),
    }
    return render(request, "finance/ledger/account_list.html", ctx)


def _direction(balance) -> str:
    if balance > 0:
        return _("Dr")
    if balance < 0:
        return _("Cr")
    return _("Nil")


@company_view(perm=MANAGE_SETTINGS, module=ERP)
def account_create(request: HttpRequest, pk) -> HttpResponse:
    parent = access_account(user=request.user, company=request.company, id=pk)
    form = AccountForm(
        request.POST or None, initial={"code": parent.code, "partner_required": parent.partner_required}
    )
    return form_page(
        request,
        form=form,
        title=_("New sub-account of %(account)s") % {"account": str(parent)},
        on_valid=lambda data: chart_services.account_create(
            actor=request.user, company=request.company, parent=parent, **data
        ),
        success_url=lambda a: reverse("finance:account_list") + f"?q={a.code}",
        back_url=reverse("finance:account_list"),
    )


@company_view(perm=MANAGE_SETTINGS, module=ERP)
def account_edit(request: HttpRequest, pk) -> HttpResponse:
    account = access_account(user=request.user, company=request.company, id=pk)
    form = AccountEditForm(
        request.POST or None,
        initial={
            "name": account.name,
            "name_en": account.name_en,
            "active": account.active,
            "version": account.version,
        },
    )

    def save(data: dict) -> Account:
        version = data.pop("version", None)
        return chart_services.account_update(
            actor=request.user, company=request.company, account=account, changes=data, version=version
        )

    return form_page(
        request,
        form=form,
        title=_("Account %(account)s") % {"account": str(account)},
        on_valid=save,
        success_url=lambda a: reverse("finance:account_list") + f"?q={a.code}&active=",
        back_url=reverse("finance:account_list"),
    )


# Periods


@company_view(perm=VIEW, module=ERP)
def period_list(request: HttpRequest) -> HttpResponse:
    c = request.company
    counts = {
        (row["period"], row["state"]): row["n"]
        for row in Voucher.objects.filter(company=c).values("period", "state").annotate(n=Count("pk"))
    }
    years = []
    for fiscal_year in FiscalYear.objects.filter(company=c).order_by("-year"):
        periods = Period.objects.filter(company=c, fiscal_year=fiscal_year).order_by("month")
        years.append(
            {
                "year": fiscal_year,
                "periods": [
                    {
                        "period": p,
                        "posted": counts.get((p.pk, Voucher.State.POSTED), 0),
                        "drafts": counts.get((p.pk, Voucher.State.DRAFT), 0),
                    }
                    for p in periods
                ],
            }
        )
    ctx = {"title": _("Periods"), "years": years, "can_close": _can(request, CLOSE_PERIOD)}
    return render(request, "finance/ledger/period_list.html", ctx)


def _period_action(service, done):
    @require_POST
    @company_view(perm=CLOSE_PERIOD, module=ERP)
    def view(request: HttpRequest, pk) -> HttpResponse:
        period = access_period(user=request.user, company=request.company, id=pk)
        return run_action(
            request,
            lambda: service(actor=request.user, company=request.company, period=period),
            reverse("finance:period_list"),
            done,
        )

    return view


period_close = _period_action(period_services.period_close, lambda: _("The period is closed."))
period_reopen = _period_action(period_services.period_reopen, lambda: _("The period is open again."))


@company_view(perm=CLOSE_PERIOD, module=ERP)
def fiscal_year_close(request: HttpRequest, year: int) -> HttpResponse:
    """Close a year after the accountant confirms it: the closing voucher cannot be undone."""
    fiscal_year = FiscalYear.objects.filter(company=request.company, year=year).first()
    if fiscal_year is None:
        return domain_error_page(request, NotFound())
    form = FiscalYearCloseForm(request.POST or None, year=year)
    return form_page(
        request,
        form=form,
        title=_("Close fiscal year %(year)s") % {"year": year},
        on_valid=lambda data: period_services.fiscal_year_close(
            actor=request.user, company=request.company, year=year
        ),
        success_url=lambda y: reverse("finance:period_list"),
        back_url=reverse("finance:period_list"),
    )


# Finance settings


@company_view(perm=MANAGE_SETTINGS, module=ERP)
def settings_edit(request: HttpRequest) -> HttpResponse:
    current = finance_settings(request.company)
    form = FinanceSettingsForm(
        request.POST or None, company=request.company, initial=finance_settings_initial(current)
    )

    def save(data: dict):
        version = data.pop("version", None)
        return finance_settings_update(
            actor=request.user, company=request.company, changes=data, version=version
        )

    return form_page(
        request,
        form=form,
        title=_("Finance settings"),
        on_valid=save,
        success_url=lambda s: reverse("finance:settings"),
        back_url=reverse("finance:account_list"),
    )


urlpatterns = [
    path("vouchers/", voucher_list, name="voucher_list"),
    path("vouchers/new/", voucher_create, name="voucher_create"),
    path("vouchers/line/", voucher_line, name="voucher_line"),
    path("vouchers/<uuid:pk>/", voucher_detail, name="voucher_detail"),
    path("vouchers/<uuid:pk>/edit/", voucher_edit, name="voucher_edit"),
    path("vouchers/<uuid:pk>/post/", voucher_post, name="voucher_post"),
    path("vouchers/<uuid:pk>/delete/", voucher_delete, name="voucher_delete"),
    path("vouchers/<uuid:pk>/reverse/", voucher_reverse, name="voucher_reverse"),
    path("accounts/", account_list, name="account_list"),
    path("accounts/<uuid:pk>/new/", account_create, name="account_create"),
    path("accounts/<uuid:pk>/edit/", account_edit, name="account_edit"),
    path("periods/", period_list, name="period_list"),
    path("periods/<uuid:pk>/close/", period_close, name="period_close"),
    path("periods/<uuid:pk>/reopen/", period_reopen, name="period_reopen"),
    path("fiscal-years/<int:year>/close/", fiscal_year_close, name="fiscal_year_close"),
    path("settings/", settings_edit, name="settings"),
]

register_nav(
    NavItem("finance", gettext_lazy("Vouchers"), "finance:voucher_list", VIEW, module=ERP, order=10),
    NavItem("finance", gettext_lazy("Chart of accounts"), "finance:account_list", VIEW, module=ERP, order=80),
    NavItem("finance", gettext_lazy("Periods"), "finance:period_list", VIEW, module=ERP, order=85),
    NavItem(
        "finance", gettext_lazy("Finance settings"), "finance:settings", MANAGE_SETTINGS, module=ERP, order=95
    ),
)
