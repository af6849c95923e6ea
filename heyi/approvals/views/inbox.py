"""The overview and the inboxes: to approve (with batch approval), submitted, copied, decided, all."""

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from heyi.platform import modules
from heyi.platform.access import has_perm
from heyi.platform.errors import NotFound
from heyi.platform.webkit import (
    Column,
    Filter,
    ListSpec,
    company_view,
    list_page,
)

from .. import access, selectors
from ..models import ApprovalInstance, ApprovalTemplate
from ..permissions import MANAGE_TEMPLATES, SUBMIT, VIEW_ALL
from ..services import tasks

OA = modules.OA
State = ApprovalInstance.State


def _duration(seconds: int) -> str:
    hours, rest = divmod(int(seconds), 3600)
    if hours >= 48:
        return _("%(d).1f days") % {"d": seconds / 86400}
    return _("%(h)d h %(m)02d min") % {"h": hours, "m": rest // 60}


@company_view(perm=SUBMIT, module=OA)
def overview(request: HttpRequest) -> HttpResponse:
    user, company = request.user, request.company
    cycles = []
    if has_perm(user, company, VIEW_ALL):
        cycles = [
            {**row, "median": _duration(row["median_seconds"]), "p90": _duration(row["p90_seconds"])}
            for row in selectors.cycle_times(company)
        ]
    return render(
        request,
        "approvals/overview.html",
        {
            "title": _("Approvals"),
            "pending": selectors.pending_tasks(user, company).count(),
            "submitted": selectors.submitted_by(user, company)
            .filter(state__in=[State.RUNNING, State.RETURNED])
            .count(),
            "copied": selectors.copied_to(user, company).count(),
            "cycles": cycles,
            "show_cycles": has_perm(user, company, VIEW_ALL),
            "can_design": has_perm(user, company, MANAGE_TEMPLATES),
        },
    )


# Inboxes


@company_view(perm=SUBMIT, module=OA)
def pending_list(request: HttpRequest) -> HttpResponse:
    """My tasks, with boxes to approve several at once."""
    qs = selectors.pending_tasks(request.user, request.company)
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    template = (
        "approvals/_pending_table.html" if request.headers.get("HX-Request") else "approvals/pending.html"
    )
    return render(request, template, {"title": _("To approve"), "page": page})


@require_POST
@company_view(perm=SUBMIT, module=OA)
def batch_approve(request: HttpRequest) -> HttpResponse:
    found = []
    for pk in request.POST.getlist("ids")[:200]:
        try:
            found.append(access.access_instance(user=request.user, company=request.company, id=pk))
        except NotFound:
            messages.error(request, _("A selected request was not found."))
    if not found:
        messages.warning(request, _("Select the requests to approve."))
        return redirect("approvals:pending_list")
    comment = request.POST.get("comment", "")[:2000]
    result = tasks.approval_tasks_approve(
        actor=request.user, company=request.company, instances=found, comment=comment
    )
    if result["approved"]:
        messages.success(request, _("Approved: %(n)d.") % {"n": len(result["approved"])})
    numbers = {str(i.pk): i.number for i in found}
    for pk, reason in result["failed"].items():
        messages.error(request, f"{numbers.get(pk, pk)}: {reason}")
    return redirect("approvals:pending_list")


def _instance_list(request: HttpRequest, qs, title: Any) -> HttpResponse:
    spec = ListSpec(
        title=title,
        columns=[
            Column("number", _("Number"), link=True),
            Column("title", _("Title")),
            Column("template", _("Template")),
            Column("submitter", _("Submitter")),
            Column("state", _("State"), value=lambda i: i.get_state_display()),
            Column("submitted_at", _("Submitted at")),
            Column("finished_at", _("Finished at")),
        ],
        search_fields=("number", "title"),
        ordering_fields=("number", "submitted_at", "finished_at", "state"),
        default_ordering="-submitted_at",
        filters=[
            Filter("state", _("State"), State.choices),
            Filter(
                "template",
                _("Template"),
                [
                    (str(pk), name)
                    for pk, name in ApprovalTemplate.objects.filter(company=request.company).values_list(
                        "pk", "name"
                    )
                ],
                lookup="template_id",
            ),
        ],
        create_url=reverse("approvals:request_start"),
        export_name="approvals",
        row_url=lambda i: reverse("approvals:instance_detail", args=[i.pk]),
    )
    return list_page(request, qs, spec)


@company_view(perm=SUBMIT, module=OA)
def submitted_list(request: HttpRequest) -> HttpResponse:
    return _instance_list(
        request, selectors.submitted_by(request.user, request.company), _("Submitted by me")
    )


@company_view(perm=SUBMIT, module=OA)
def copied_list(request: HttpRequest) -> HttpResponse:
    return _instance_list(request, selectors.copied_to(request.user, request.company), _("Copied to me"))


@company_view(perm=SUBMIT, module=OA)
def decided_list(request: HttpRequest) -> HttpResponse:
    return _instance_list(request, selectors.decided_by(request.user, request.company), _("Decided by me"))


@company_view(perm=VIEW_ALL, module=OA)
def all_list(request: HttpRequest) -> HttpResponse:
    return _instance_list(request, selectors.all_visible(request.user, request.company), _("All requests"))


# A request
