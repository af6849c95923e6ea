"""Leave pages (OA module): my leave with balances, the request form and page with its approval,
HR's pages for leave types and balances, and the work calendar (everyone reads it, HR keeps it)."""

from collections.abc import Callable
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from heyi.platform import modules
from heyi.platform.webkit import (
    Column,
    Filter,
    ListSpec,
    company_view,
    detail_page,
    document_action,
    form_page,
    list_page,
    post_action,
    run_action,
)

from . import access, selectors
from .forms import CalendarDaysForm, LeaveBalanceForm, LeaveRequestForm, LeaveTypeForm
from .models import LeaveRequest
from .permissions import MANAGE_LEAVE, REQUEST_LEAVE
from .services import calendar, requests, types

OA = modules.OA
State = LeaveRequest.State


def _days(value: Any) -> str:
    return f"{value.normalize():f}"


def _span(leave: LeaveRequest) -> str:
    return f"{leave.start_date} {leave.get_start_half_display()} – {leave.end_date} {leave.get_end_half_display()}"


@company_view(perm=REQUEST_LEAVE, module=OA)
def leave_request_list(request: HttpRequest) -> HttpResponse:
    """The user's balances for the year and the requests they may see (HR: everyone's)."""
    user, company = request.user, request.company
    year = timezone.localdate().year
    employee = selectors.employee_of(company, user)
    balances = selectors.balances_of(company, employee, year) if employee else []
    qs = selectors.leave_request_list(user=user, company=company)
    state = request.GET.get("state", "")
    if state in State.values:
        qs = qs.filter(state=state)
    page = Paginator(qs.order_by("-start_date", "-created_at", "pk"), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "hr/leave_request_list.html",
        {
            "title": _("My leave"),
            "year": year,
            "employee": employee,
            "balances": balances,
            "page": page,
            "state": state,
            "states": State.choices,
            "is_hr": access.is_hr(user, company),
        },
    )


def _request_form(request: HttpRequest, initial: dict | None = None) -> LeaveRequestForm:
    return LeaveRequestForm(
        request.company,
        request.POST or None,
        initial=initial,
        for_anyone=access.is_hr(request.user, request.company),
    )


@company_view(perm=REQUEST_LEAVE, module=OA)
def leave_request_create(request: HttpRequest) -> HttpResponse:
    def save(data: dict) -> LeaveRequest:
        return requests.leave_request_create(
            actor=request.user,
            company=request.company,
            employee=data.get("employee"),
            leave_type=data["leave_type"],
            start_date=data["start_date"],
            start_half=data["start_half"],
            end_date=data["end_date"],
            end_half=data["end_half"],
            reason=data["reason"],
        )

    return form_page(
        request,
        form=_request_form(request),
        title=_("New leave request"),
        on_valid=save,
        success_url=lambda leave: reverse("hr:leave_request_detail", args=[leave.pk]),
        back_url=reverse("hr:leave_request_list"),
    )


@company_view(perm=REQUEST_LEAVE, module=OA)
def leave_request_edit(request: HttpRequest, pk) -> HttpResponse:
    leave = access.access_leave_request(user=request.user, company=request.company, id=pk)
    fields = ("leave_type", "start_date", "start_half", "end_date", "end_half", "reason")
    form = _request_form(request, {**{f: getattr(leave, f) for f in fields}, "version": leave.version})
    form.fields.pop("employee", None)

    def save(data: dict) -> LeaveRequest:
        return requests.leave_request_update(
            actor=request.user,
            company=request.company,
            leave_request=leave,
            data={f: data[f] for f in fields},
            version=data.get("version"),
        )

    return form_page(
        request,
        form=form,
        title=_("Edit %(number)s") % {"number": leave.number},
        on_valid=save,
        success_url=lambda done: reverse("hr:leave_request_detail", args=[done.pk]),
        back_url=reverse("hr:leave_request_detail", args=[pk]),
    )


@company_view(perm=REQUEST_LEAVE, module=OA)
def leave_request_detail(request: HttpRequest, pk) -> HttpResponse:
    leave = access.access_leave_request(user=request.user, company=request.company, id=pk)
    may_act = (
        access.is_hr(request.user, request.company)
        or leave.created_by_id == request.user.pk
        or leave.employee.user_id == request.user.pk
    )
    actions = []
    if may_act and leave.state in LeaveRequest.EDITABLE:
        actions.append(post_action(_("Submit"), reverse("hr:leave_request_submit", args=[pk]), "is-primary"))
    if may_act and leave.state == State.SUBMITTED:
        actions.append(
            post_action(_("Withdraw"), reverse("hr:leave_request_withdraw", args=[pk]), "is-warning")
        )
    if may_act and (
        leave.state in LeaveRequest.EDITABLE
        or (leave.state == State.APPROVED and leave.start_date > timezone.localdate())
    ):
        actions.append(
            post_action(_("Cancel leave"), reverse("hr:leave_request_cancel", args=[pk]), "is-danger")
        )
    return detail_page(
        request,
        obj=leave,
        title=f"{_('Leave request')} {leave.number}",
        fields=[
            (_("Number"), leave.number),
            (_("Employee"), leave.employee.name),
            (_("Leave type"), leave.leave_type.name),
            (_("Period"), _span(leave)),
            (_("Days"), _days(leave.days)),
            (_("Reason"), leave.reason),
            (_("State"), leave.get_state_display()),
            (_("Submitted at"), leave.submitted_at),
            (_("Decision comment"), leave.decision_comment),
        ],
        actions=actions,
        edit_url=reverse("hr:leave_request_edit", args=[pk])
        if may_act and leave.state in LeaveRequest.EDITABLE
        else None,
        back_url=reverse("hr:leave_request_list"),
        sections=[
            {
                "title": _("Approval"),
                "template": "hr/_approval.html",
                "approval": leave.approval,
                "url": reverse("approvals:instance_detail", args=[leave.approval_id])
                if leave.approval_id
                else "",
            }
        ],
    )


def _action(service: Callable[..., Any], done: Callable[[], Any]) -> Callable:
    return document_action(
        access_one=access.access_leave_request,
        service=service,
        param="leave_request",
        detail="hr:leave_request_detail",
        perm=REQUEST_LEAVE,
        module=OA,
        done=done,
    )


leave_request_submit = _action(requests.leave_request_submit, lambda: _("Submitted."))
leave_request_withdraw = _action(requests.leave_request_withdraw, lambda: _("Withdrawn."))
leave_request_cancel = _action(requests.leave_request_cancel, lambda: _("Cancelled."))


# HR: leave types and balances


@company_view(perm=MANAGE_LEAVE, module=OA)
def leave_type_list(request: HttpRequest) -> HttpResponse:
    spec = ListSpec(
        title=_("Leave types"),
        columns=[
            Column("code", _("Code"), link=True),
            Column("name", _("Name"), link=True),
            Column("paid", _("Paid")),
            Column("annual_allowance", _("Annual allowance (days)"), numeric=True),
            Column("needs_balance", _("Limited by balance")),
            Column("is_active", _("Active")),
        ],
        search_fields=("code", "name"),
        ordering_fields=("code", "name"),
        default_ordering="code",
        create_url=reverse("hr:leave_type_create"),
        export_name="leave-types",
        row_url=lambda t: reverse("hr:leave_type_edit", args=[t.pk]),
    )
    return list_page(request, access.leave_types_visible(user=request.user, company=request.company), spec)


@company_view(perm=MANAGE_LEAVE, module=OA)
def leave_type_create(request: HttpRequest) -> HttpResponse:
    def save(data: dict):
        data.pop("version", None)
        return types.leave_type_create(actor=request.user, company=request.company, **data)

    return form_page(
        request,
        form=LeaveTypeForm(request.POST or None),
        title=_("New leave type"),
        on_valid=save,
        success_url=lambda _t: reverse("hr:leave_type_list"),
        back_url=reverse("hr:leave_type_list"),
    )


@company_view(perm=MANAGE_LEAVE, module=OA)
def leave_type_edit(request: HttpRequest, pk) -> HttpResponse:
    leave_type = access.access_leave_type(user=request.user, company=request.company, id=pk)
    names = ("code", "name", "paid", "annual_allowance", "needs_balance", "is_active", "version")

    def save(data: dict):
        version = data.pop("version", None)
        return types.leave_type_update(
            actor=request.user, company=request.company, leave_type=leave_type, data=data, version=version
        )

    return form_page(
        request,
        form=LeaveTypeForm(request.POST or None, initial={n: getattr(leave_type, n) for n in names}),
        title=_("Edit %(name)s") % {"name": leave_type.name},
        on_valid=save,
        success_url=lambda _t: reverse("hr:leave_type_list"),
        back_url=reverse("hr:leave_type_list"),
    )


@company_view(perm=MANAGE_LEAVE, module=OA)
def leave_balance_list(request: HttpRequest) -> HttpResponse:
    qs = selectors.leave_balance_list(user=request.user, company=request.company)
    years = sorted({*qs.values_list("year", flat=True).distinct(), timezone.localdate().year}, reverse=True)
    spec = ListSpec(
        title=_("Leave balances"),
        columns=[
            Column("year", _("Year")),
            Column("employee__name", _("Employee")),
            Column("leave_type__name", _("Leave type")),
            Column("entitled", _("Entitled days"), numeric=True),
            Column("taken", _("Days taken"), numeric=True),
            Column("pending", _("Days pending"), numeric=True),
            Column("available", _("Days left"), numeric=True),
        ],
        search_fields=("employee__name", "employee__mnemonic", "leave_type__name"),
        ordering_fields=("year", "employee__name", "taken"),
        default_ordering="employee__name",
        filters=[Filter("year", _("Year"), [(str(y), str(y)) for y in years])],
        create_url=reverse("hr:leave_balance_set"),
        export_name="leave-balances",
    )
    return list_page(request, qs, spec)


@company_view(perm=MANAGE_LEAVE, module=OA)
def leave_balance_set(request: HttpRequest) -> HttpResponse:
    return form_page(
        request,
        form=LeaveBalanceForm(request.company, request.POST or None),
        title=_("Set a leave balance"),
        on_valid=lambda data: types.leave_balance_set(actor=request.user, company=request.company, **data),
        success_url=lambda _b: reverse("hr:leave_balance_list"),
        back_url=reverse("hr:leave_balance_list"),
    )


# Work calendar


@company_view(perm=REQUEST_LEAVE, module=OA)
def calendar_day_list(request: HttpRequest) -> HttpResponse:
    qs = access.calendar_days_visible(user=request.user, company=request.company)
    this_year = timezone.localdate().year
    years = sorted({*(d.year for d in qs.dates("date", "year")), this_year, this_year + 1}, reverse=True)
    hr = access.is_hr(request.user, request.company)
    spec = ListSpec(
        title=_("Work calendar"),
        columns=[
            Column("date", _("Date"), link=hr),
            Column("kind", _("Kind"), value=lambda d: d.get_kind_display()),
            Column("name", _("Name"), link=hr),
        ],
        search_fields=("name",),
        ordering_fields=("date", "name"),
        default_ordering="date",
        filters=[Filter("year", _("Year"), [(str(y), str(y)) for y in years], lookup="date__year")],
        create_url=reverse("hr:calendar_days_set") if hr else None,
        export_name="work-calendar",
        row_url=(lambda d: reverse("hr:calendar_day_detail", args=[d.pk])) if hr else None,
    )
    return list_page(request, qs, spec)


@company_view(perm=MANAGE_LEAVE, module=OA)
def calendar_days_set(request: HttpRequest) -> HttpResponse:
    def save(data: dict):
        return calendar.calendar_days_set(
            actor=request.user,
            company=request.company,
            start=data["start_date"],
            end=data["end_date"],
            kind=data["kind"],
            name=data["name"],
        )

    return form_page(
        request,
        form=CalendarDaysForm(request.POST or None),
        title=_("Mark days in the work calendar"),
        on_valid=save,
        success_url=lambda _days: reverse("hr:calendar_day_list"),
        back_url=reverse("hr:calendar_day_list"),
    )


@company_view(perm=MANAGE_LEAVE, module=OA)
def calendar_day_detail(request: HttpRequest, pk) -> HttpResponse:
    day = access.access_calendar_day(user=request.user, company=request.company, id=pk)
    return detail_page(
        request,
        obj=day,
        title=str(day),
        fields=[(_("Date"), day.date), (_("Kind"), day.get_kind_display()), (_("Name"), day.name)],
        actions=[
            post_action(
                _("Remove from the calendar"),
                reverse("hr:calendar_day_delete", args=[pk]),
                "is-danger is-light",
            )
        ],
        back_url=reverse("hr:calendar_day_list"),
    )


@require_POST
@company_view(perm=MANAGE_LEAVE, module=OA)
def calendar_day_delete(request: HttpRequest, pk) -> HttpResponse:
    day = access.access_calendar_day(user=request.user, company=request.company, id=pk)
    return run_action(
        request,
        lambda: calendar.calendar_day_delete(actor=request.user, company=request.company, day=day),
        reverse("hr:calendar_day_list"),
        lambda: _("%(day)s follows the plain week again.") % {"day": day.date},
    )
