"""What the inboxes, the request page and the overview read.

The pending inbox reads ApprovalTask through its (company, assignee, state, -assigned_at)
index and joins the request, its template and submitter in the same query, so it stays one
page-sized query however many requests the company has.
"""

import math
import statistics
from collections import defaultdict
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext

from heyi.platform import modules
from heyi.platform.access import require_module, require_perm
from heyi.platform.models import Company, OutboxEvent, User

from .access import instances_visible
from .design import Flow
from .models import ApprovalAction, ApprovalCc, ApprovalInstance, ApprovalTask, ApprovalTemplate
from .permissions import SUBMIT, VIEW_ALL

DECIDED = (
    ApprovalTask.State.APPROVED,
    ApprovalTask.State.REJECTED,
    ApprovalTask.State.RETURNED,
    ApprovalTask.State.TRANSFERRED,
)
FINISH_EVENTS = ("approvals.instance_approved", "approvals.instance_rejected")


def field_label(field: dict[str, Any]) -> str:
    """A form field's label in the reader's language. A document type's fields are stored with
    their English labels (the apps' msgids), so the catalog turns them into Chinese; a label a
    designer typed has no msgid and reads as typed."""
    label = str(field.get("label") or "")
    return gettext(label) if label else str(field.get("key", ""))


def form_read(form: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The form with every label, table columns' too, as `field_label` shows it."""
    shown = []
    for field in form:
        copy = {**field, "label": field_label(field)}
        if isinstance(field.get("columns"), list):
            copy["columns"] = [{**c, "label": field_label(c)} for c in field["columns"]]
        shown.append(copy)
    return shown


def require_member(user: User, company: Company) -> None:
    require_module(company, modules.OA)
    require_perm(user, company, SUBMIT)


def _instances(company: Company) -> QuerySet[ApprovalInstance]:
    return ApprovalInstance.objects.filter(company=company).select_related(
        "template", "template_version", "submitter"
    )


def pending_tasks(user: User, company: Company) -> QuerySet[ApprovalTask]:
    """The tasks the user has to decide now, newest first."""
    require_member(user, company)
    return (
        ApprovalTask.objects.filter(company=company, assignee=user, state=ApprovalTask.State.PENDING)
        .select_related("instance__template", "instance__submitter", "delegated_from")
        .order_by("-assigned_at")
    )


def submitted_by(user: User, company: Company) -> QuerySet[ApprovalInstance]:
    require_member(user, company)
    return _instances(company).filter(submitter=user).order_by("-submitted_at")


def copied_to(user: User, company: Company) -> QuerySet[ApprovalInstance]:
    require_member(user, company)
    ids = ApprovalCc.objects.filter(company=company, user=user).values("instance_id")
    return _instances(company).filter(pk__in=ids).order_by("-submitted_at")


def decided_by(user: User, company: Company) -> QuerySet[ApprovalInstance]:
    """Requests the user decided on (not the ones the engine approved in their name)."""
    require_member(user, company)
    ids = ApprovalTask.objects.filter(company=company, assignee=user, state__in=DECIDED, auto=False).values(
        "instance_id"
    )
    return _instances(company).filter(pk__in=ids).order_by("-submitted_at")


def all_visible(user: User, company: Company) -> QuerySet[ApprovalInstance]:
    return instances_visible(user=user, company=company).select_related(
        "template", "template_version", "submitter"
    )


def instance_route(instance: ApprovalInstance) -> list[dict[str, Any]]:
    """The request's planned route as the flow diagram shows it: each node with its status
    (done, current, ahead or skipped), its decisions and the people it copied."""
    flow = Flow(instance.template_version.flow)
    tasks = list(
        ApprovalTask.objects.filter(company_id=instance.company_id, instance=instance)
        .select_related("assignee", "delegated_from")
        .order_by("assigned_at", "chain")
    )
    copies = ApprovalCc.objects.filter(company_id=instance.company_id, instance=instance).select_related(
        "user"
    )
    actions = list(
        ApprovalAction.objects.filter(company_id=instance.company_id, instance=instance)
        .only("kind", "node_id", "at", "sequence")
        .order_by("sequence")
    )
    round_start = max(
        (a for a in actions if a.kind in (ApprovalAction.Kind.SUBMIT, ApprovalAction.Kind.RESUBMIT)),
        key=lambda a: a.sequence,
        default=None,
    )
    recent = [a for a in actions if round_start is None or a.sequence >= round_start.sequence]
    reached = {a.node_id for a in recent if a.node_id}
    skipped = {a.node_id for a in recent if a.kind == ApprovalAction.Kind.SKIP}
    by_node: dict[str, list[ApprovalTask]] = defaultdict(list)
    for task in tasks:
        by_node[task.node_id].append(task)
        if round_start is None or task.assigned_at >= round_start.at:
            reached.add(task.node_id)
    copied: dict[str, list[str]] = defaultdict(list)
    for cc in copies:
        copied[cc.node_id].append(str(cc.user))
    running = instance.state == ApprovalInstance.State.RUNNING
    here = (
        instance.path.index(instance.current_node)
        if running and instance.current_node in instance.path
        else -1
    )
    nodes = []
    for index, node_id in enumerate(instance.path):
        node = flow.nodes.get(node_id)
        if node is None:
            continue
        if running:
            status = "done" if index < here else "current" if index == here else "ahead"
        elif node.type == "start" or (
            node.type == "end" and instance.state == ApprovalInstance.State.APPROVED
        ):
            status = "done"
        else:
            status = "done" if node_id in reached else "ahead"
        if status == "done" and node_id in skipped:
            status = "skipped"
        nodes.append(
            {
                "id": node_id,
                "type": node.type,
                "name": node.name,
                "status": status,
                "decisions": [
                    {
                        "task_id": t.pk,
                        "assignee_id": t.assignee_id,
                        "assignee": str(t.assignee),
                        "on_behalf_of": str(t.delegated_from) if t.delegated_from_id else "",
                        "state": t.state,
                        "state_label": t.get_state_display(),
                        "comment": t.comment,
                        "auto": t.auto,
                        "assigned_at": t.assigned_at,
                        "decided_at": t.decided_at,
                        "due_at": t.due_at,
                    }
                    for t in by_node.get(node_id, [])
                ],
                "copied_to": copied.get(node_id, []),
            }
        )
    return nodes


def _percentile(ordered: list[int], share: float) -> int:
    """Nearest rank: the smallest value with at least `share` of the values at or below it."""
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def cycle_times(company: Company, user: User | None = None) -> list[dict[str, Any]]:
    """Per template, how long decided requests took from submission to the final decision,
    read from the event history (approved and rejected requests; withdrawn ones are no
    decision)."""
    if user is not None:
        require_module(company, modules.OA)
        require_perm(user, company, VIEW_ALL)
    seconds: dict[str, list[int]] = defaultdict(list)
    rows = OutboxEvent.objects.filter(company=company, type__in=FINISH_EVENTS).values_list(
        "data__template", "data__cycle_seconds"
    )
    for code, value in rows.iterator(chunk_size=5000):
        if code is not None and value is not None:
            seconds[str(code)].append(int(value))
    templates = {
        t.code: t
        for t in ApprovalTemplate.objects.filter(company=company, code__in=list(seconds)).only("code", "name")
    }
    result = []
    for code, values in seconds.items():
        values.sort()
        template = templates.get(code)
        result.append(
            {
                "template_id": template.pk if template else None,
                "code": code,
                "name": template.name if template else code,
                "count": len(values),
                "median_seconds": int(statistics.median(values)),
                "p90_seconds": _percentile(values, 0.9),
            }
        )
    return sorted(result, key=lambda r: str(r["name"]))
