"""What happened and what is running: the audit log, the event history and background jobs."""

import json

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import access, selectors
from ..errors import NotFound
from ..models import AuditEntry, Job, OutboxEvent
from ..permissions import MANAGE_JOBS, VIEW_AUDIT, VIEW_EVENTS
from ..services import jobs as job_services
from ..webkit import Column, Filter, ListSpec, company_view, list_page

CHOICES_LIMIT = 200


def _distinct(qs: QuerySet, field: str) -> list[tuple[str, str]]:
    values = qs.exclude(**{field: ""}).order_by(field).values_list(field, flat=True).distinct()
    return [(v, v) for v in values[:CHOICES_LIMIT]]


@company_view(perm=VIEW_AUDIT)
def audit_log(request: HttpRequest) -> HttpResponse:
    """Who did what, when and from where; filter, search and export (the export is audited too)."""
    company_rows = AuditEntry.objects.filter(company=request.company)
    qs = selectors.audit_trail(
        user=request.user,
        company=request.company,
        object_id=request.GET.get("object_id", "")[:64],
        q=request.GET.get("q", ""),
    )
    spec = ListSpec(
        title=_("Audit log"),
        columns=[
            Column("at", _("At")),
            Column("actor_name", _("Actor")),
            Column("action", _("Action")),
            Column("object_type", _("Object type")),
            Column("object_repr", _("Object")),
            Column("changes", _("Changes"), value=lambda e: _changes_text(e.changes)),
            Column("source", _("Source")),
            Column("ip", _("IP address")),
        ],
        ordering_fields=["at", "action", "actor_name"],
        default_ordering="-at",
        filters=[
            Filter("action", _("Action"), _distinct(company_rows, "action")),
            Filter("object_type", _("Object type"), _distinct(company_rows, "object_type")),
            Filter("actor", _("Actor"), _distinct(company_rows, "actor_name"), "actor_name"),
        ],
        export_name="audit-log",
        page_size=50,
    )
    return list_page(request, qs, spec)


def _changes_text(changes: dict) -> str:
    return "; ".join(
        f"{field}: {_short(change[0])} → {_short(change[1])}"
        if isinstance(change, list) and len(change) == 2
        else f"{field}: {_short(change)}"
        for field, change in (changes or {}).items()
    )


def _short(value) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 80 else text[:77] + "…"


@company_view(perm=VIEW_EVENTS)
def event_list(request: HttpRequest) -> HttpResponse:
    company_events = OutboxEvent.objects.filter(company=request.company)
    qs = selectors.event_history(
        user=request.user, company=request.company, subject_id=request.GET.get("subject_id", "")[:64]
    )
    spec = ListSpec(
        title=_("Event history"),
        columns=[
            Column("occurred_at", _("Occurred at")),
            Column("type", _("Type")),
            Column("actor", _("Actor"), value=lambda e: e.actor.get_username() if e.actor else ""),
            Column("subject", _("Subject"), value=lambda e: f"{e.subject_type} {e.subject_id}"),
            Column("data", _("Data"), value=lambda e: _short(e.data)),
            Column("state", _("Delivery state"), value=lambda e: e.get_state_display()),
        ],
        search_fields=["subject_id"],
        ordering_fields=["occurred_at", "type"],
        default_ordering="-occurred_at",
        filters=[
            Filter("type", _("Type"), _distinct(company_events, "type")),
            Filter("subject_type", _("Subject type"), _distinct(company_events, "subject_type")),
            Filter("state", _("Delivery state"), OutboxEvent.State.choices),
        ],
        export_name="events",
        page_size=50,
    )
    return list_page(request, qs, spec)


def _jobs(request: HttpRequest) -> QuerySet[Job]:
    """Everyone sees the jobs they started; the job manager sees all of the company's."""
    qs = Job.objects.filter(company=request.company).select_related("created_by")
    if not access.has_perm(request.user, request.company, MANAGE_JOBS):
        qs = qs.filter(created_by=request.user)
    return qs


@company_view()
def job_list(request: HttpRequest) -> HttpResponse:
    qs = _jobs(request)
    status = request.GET.get("status", "")
    if status in Job.Status.values:
        qs = qs.filter(status=status)
    ctx = {
        "title": _("Background jobs"),
        "jobs": qs.order_by("-created_at")[:100],
        "statuses": Job.Status.choices,
        "status": status,
    }
    return render(request, "platform/jobs.html", ctx)


@company_view()
def job_row(request: HttpRequest, pk) -> HttpResponse:
    """One row of the jobs table; htmx polls it every 2 s while the job is queued or running."""
    job = _jobs(request).filter(pk=pk).first()
    if job is None:
        raise NotFound()
    return render(request, "platform/_job_row.html", {"job": job})


@company_view()
@require_POST
def job_retry(request: HttpRequest, pk) -> HttpResponse:
    job = _jobs(request).filter(pk=pk).first()
    if job is None:
        raise NotFound()
    job = job_services.job_retry(actor=request.user, company=request.company, job=job)
    if request.headers.get("HX-Request"):
        return render(request, "platform/_job_row.html", {"job": job})
    messages.success(request, _("The job is queued again."))
    return redirect("platform:job_list")
