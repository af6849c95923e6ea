"""Approval endpoints (OA module): templates, requests and their decisions, my tasks, delegations."""

import uuid
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Status

from heyi.platform import modules
from heyi.platform.api import ERRORS
from heyi.platform.errors import DomainError, NotFound, ValidationFailed
from heyi.platform.http.auth import api_auth
from heyi.platform.http.pagination import ordered, paginate, text_search
from heyi.platform.models import User
from heyi.platform.schemas import page_of

from . import access, registry, selectors
from .models import ApprovalInstance, ApprovalTask, Delegation
from .schemas import (
    AddSignerIn,
    ApprovalCommentIn,
    ApprovalDetailOut,
    ApprovalIn,
    ApprovalOut,
    ApprovalOutcomeOut,
    ApprovalTransferIn,
    BatchApproveIn,
    BatchApproveOut,
    CycleTimeOut,
    DecisionIn,
    DelegationIn,
    DelegationOut,
    ResubmitIn,
    ReturnIn,
    TaskOut,
    TemplateIn,
    TemplateOut,
    TemplatePatch,
    WithdrawIn,
)
from .services import delegations, instances, tasks, templates

router = Router(auth=api_auth(modules.OA), tags=["approvals"])

BOXES = ("pending", "submitted", "cc", "decided", "all")


def _member(request: HttpRequest, id: uuid.UUID | None) -> User | None:
    """A user of the caller's company, or 404 (another company's people are unknown here)."""
    if id is None:
        return None
    found = User.objects.filter(pk=id, memberships__company=request.company).first()
    if found is None:
        raise NotFound()
    return found


def _instance(request: HttpRequest, id: Any) -> ApprovalInstance:
    return access.access_instance(user=request.actor, company=request.company, id=id)


def _detail(request: HttpRequest, instance: ApprovalInstance) -> ApprovalInstance:
    """The request as the detail schema reads it: route, tasks and log loaded once each."""
    fresh = selectors.all_visible(request.actor, request.company).get(pk=instance.pk)
    fresh.form = selectors.form_read(fresh.template_version.form)  # type: ignore[attr-defined]
    fresh.route = selectors.instance_route(fresh)  # type: ignore[attr-defined]
    fresh.tasks_out = list(  # type: ignore[attr-defined]
        ApprovalTask.objects.filter(company=request.company, instance=fresh)
        .select_related("instance__template", "instance__submitter")
        .order_by("assigned_at", "chain")
    )
    fresh.actions_out = list(fresh.actions.select_related("actor").order_by("sequence"))  # type: ignore[attr-defined]
    return fresh


class _Detail(ApprovalDetailOut):
    @staticmethod
    def resolve_tasks(obj) -> list:
        return obj.tasks_out

    @staticmethod
    def resolve_actions(obj) -> list:
        return obj.actions_out


# Templates


@router.get("/approval-templates", response={200: page_of(TemplateOut), **ERRORS})
def template_list(
    request: HttpRequest,
    q: str = "",
    category: str = "",
    document_type: str | None = None,
    is_active: bool | None = None,
    ordering: str = "name",
):
    """Templates: every active one for a member (to start a request), all for a designer."""
    qs = access.templates_visible(user=request.actor, company=request.company).select_related(
        "current_version"
    )
    if category:
        qs = qs.filter(category=category[:40])
    if document_type is not None:
        qs = qs.filter(document_type=document_type[:60])
    if is_active is not None:
        qs = qs.filter(is_active=is_active)
    qs = text_search(qs, q, ["code", "name", "description"])
    return paginate(request, ordered(qs, ordering, ["code", "name", "category", "created_at"], "name"))


@router.post("/approval-templates", response={201: TemplateOut, **ERRORS})
def template_create(request: HttpRequest, payload: TemplateIn):
    """A template's form and flow are checked at save: a design the engine cannot run is refused
    (422 invalid_template) with the reason per field or node."""
    return Status(
        201,
        templates.approval_template_create(
            actor=request.actor,
            company=request.company,
            code=payload.code,
            name=payload.name,
            description=payload.description,
            category=payload.category,
            document_type=payload.document_type,
            outcome=payload.outcome,
            form=payload.form,
            flow=payload.flow,
        ),
    )


@router.get("/approval-outcomes", response={200: list[ApprovalOutcomeOut], **ERRORS})
def outcome_list(request: HttpRequest):
    """What an approved request of a free template may lead to, each with the fields its form
    must have (`outcome` of a new template)."""
    selectors.require_member(request.actor, request.company)
    return [{"key": o.key, "label": str(o.label), "fields": o.fields} for o in registry.outcomes()]


@router.get("/approval-templates/{template_id}", response={200: TemplateOut, **ERRORS})
def template_detail(request: HttpRequest, template_id: uuid.UUID):
    return access.access_template(user=request.actor, company=request.company, id=template_id)


@router.patch("/approval-templates/{template_id}", response={200: TemplateOut, **ERRORS})
def template_update(request: HttpRequest, template_id: uuid.UUID, payload: TemplatePatch):
    """A changed form or flow becomes a new version; requests under way keep theirs."""
    template = access.access_template(user=request.actor, company=request.company, id=template_id)
    return templates.approval_template_update(
        actor=request.actor,
        company=request.company,
        template=template,
        version=payload.version,
        name=payload.name,
        description=payload.description,
        category=payload.category,
        is_active=payload.is_active,
        form=payload.form,
        flow=payload.flow,
    )


@router.get("/approval-cycle-times", response={200: list[CycleTimeOut], **ERRORS})
def cycle_times(request: HttpRequest):
    """Per template: decided requests, median and 90th percentile of their cycle time in seconds."""
    return selectors.cycle_times(request.company, request.actor)


# Requests


@router.get("/approvals", response={200: page_of(ApprovalOut), **ERRORS})
def approval_list(
    request: HttpRequest,
    box: str = "all",
    q: str = "",
    state: str = "",
    template: uuid.UUID | None = None,
    document_type: str = "",
    document_id: uuid.UUID | None = None,
    ordering: str = "-submitted_at",
):
    """`box`: pending (mine to decide), submitted (by me), cc (copied to me), decided (by me),
    all (every request I may see). `document_type` and `document_id` find the approvals of one
    business document (`purchasing.requisition`, `finance.payment`, `hr.leave_request`, ...)."""
    user, company = request.actor, request.company
    if box == "pending":
        ids = selectors.pending_tasks(user, company).values("instance_id")
        qs = selectors.all_visible(user, company).filter(pk__in=ids)
    elif box == "submitted":
        qs = selectors.submitted_by(user, company)
    elif box == "cc":
        qs = selectors.copied_to(user, company)
    elif box == "decided":
        qs = selectors.decided_by(user, company)
    elif box == "all":
        qs = selectors.all_visible(user, company)
    else:
        raise ValidationFailed(fields={"box": [_("Choose one of: %(boxes)s.") % {"boxes": ", ".join(BOXES)}]})
    if state:
        qs = qs.filter(state=state[:12])
    if template is not None:
        qs = qs.filter(template_id=template)
    if document_type:
        qs = qs.filter(document_type=document_type[:60])
    if document_id is not None:
        qs = qs.filter(document_id=str(document_id))
    qs = text_search(qs, q, ["number", "title"])
    return paginate(
        request, ordered(qs, ordering, ["number", "submitted_at", "finished_at", "state"], "-submitted_at")
    )


@router.post("/approvals", response={201: _Detail, **ERRORS})
def approval_create(request: HttpRequest, payload: ApprovalIn):
    """A request from a free template with its form values (400 invalid_form_values names each
    field that is wrong)."""
    template = access.access_template(user=request.actor, company=request.company, id=payload.template_id)
    instance = instances.approval_instance_create(
        actor=request.actor,
        company=request.company,
        template=template,
        values=payload.values,
        title=payload.title,
    )
    return Status(201, _detail(request, instance))


@router.get("/approvals/{approval_id}", response={200: _Detail, **ERRORS})
def approval_detail(request: HttpRequest, approval_id: uuid.UUID):
    """The request with its values, its route node by node (done, current, ahead, skipped; who
    decided what, when, with which comment), its tasks and its decision log."""
    return _detail(request, _instance(request, approval_id))


def _act(request: HttpRequest, approval_id: uuid.UUID, run) -> ApprovalInstance:
    instance = access.access_instance_to_decide(user=request.actor, company=request.company, id=approval_id)
    run(instance)
    return _detail(request, instance)


@router.post("/approvals/{approval_id}/approve", response={200: _Detail, **ERRORS})
def approval_approve(request: HttpRequest, approval_id: uuid.UUID, payload: DecisionIn):
    return _act(
        request,
        approval_id,
        lambda i: tasks.approval_task_approve(
            actor=request.actor,
            company=request.company,
            instance=i,
            comment=payload.comment,
            attachments=payload.attachments,
            version=payload.version,
        ),
    )


@router.post("/approvals/{approval_id}/reject", response={200: _Detail, **ERRORS})
def approval_reject(request: HttpRequest, approval_id: uuid.UUID, payload: DecisionIn):
    """The comment is required: it tells the submitter why."""
    return _act(
        request,
        approval_id,
        lambda i: tasks.approval_task_reject(
            actor=request.actor,
            company=request.company,
            instance=i,
            comment=payload.comment,
            attachments=payload.attachments,
            version=payload.version,
        ),
    )


@router.post("/approvals/{approval_id}/return", response={200: _Detail, **ERRORS})
def approval_return(request: HttpRequest, approval_id: uuid.UUID, payload: ReturnIn):
    """Back to an earlier approval step (`to` = its node id) or to the submitter."""
    return _act(
        request,
        approval_id,
        lambda i: tasks.approval_task_return(
            actor=request.actor,
            company=request.company,
            instance=i,
            to=payload.to,
            comment=payload.comment,
            version=payload.version,
        ),
    )


@router.post("/approvals/{approval_id}/transfer", response={200: _Detail, **ERRORS})
def approval_transfer(request: HttpRequest, approval_id: uuid.UUID, payload: ApprovalTransferIn):
    target = _member(request, payload.to_user_id)
    return _act(
        request,
        approval_id,
        lambda i: tasks.approval_task_transfer(
            actor=request.actor,
            company=request.company,
            instance=i,
            to=target,
            comment=payload.comment,
            version=payload.version,
        ),
    )


@router.post("/approvals/{approval_id}/add-signer", response={200: _Detail, **ERRORS})
def approval_add_signer(request: HttpRequest, approval_id: uuid.UUID, payload: AddSignerIn):
    """`before`: the signer decides first, then the task comes back; `after`: once you approved."""
    signer = _member(request, payload.signer_id)
    return _act(
        request,
        approval_id,
        lambda i: tasks.approval_task_add_signer(
            actor=request.actor,
            company=request.company,
            instance=i,
            signer=signer,
            position=payload.position,
            comment=payload.comment,
            version=payload.version,
        ),
    )


@router.post("/approvals/{approval_id}/withdraw", response={200: _Detail, **ERRORS})
def approval_withdraw(request: HttpRequest, approval_id: uuid.UUID, payload: WithdrawIn):
    """Only before anyone decided (409 already_decided after), or once it came back to you."""
    return _act(
        request,
        approval_id,
        lambda i: instances.approval_withdraw(
            actor=request.actor,
            company=request.company,
            instance=i,
            comment=payload.comment,
            version=payload.version,
        ),
    )


@router.post("/approvals/{approval_id}/resubmit", response={200: _Detail, **ERRORS})
def approval_resubmit(request: HttpRequest, approval_id: uuid.UUID, payload: ResubmitIn):
    """A request returned to you goes round again, with revised values if given."""
    return _act(
        request,
        approval_id,
        lambda i: instances.approval_resubmit(
            actor=request.actor,
            company=request.company,
            instance=i,
            values=payload.values,
            version=payload.version,
        ),
    )


@router.post("/approvals/{approval_id}/comment", response={200: _Detail, **ERRORS})
def approval_comment(request: HttpRequest, approval_id: uuid.UUID, payload: ApprovalCommentIn):
    """A comment in the decision log, with files attached to the request (`/attachments`)."""
    return _act(
        request,
        approval_id,
        lambda i: instances.approval_comment(
            actor=request.actor,
            company=request.company,
            instance=i,
            comment=payload.comment,
            attachments=payload.attachments,
        ),
    )


@router.post("/approvals/{approval_id}/urge", response={200: _Detail, **ERRORS})
def approval_urge(request: HttpRequest, approval_id: uuid.UUID):
    """Remind whoever has the request now (at most every half hour)."""
    return _act(
        request,
        approval_id,
        lambda i: instances.approval_urge(actor=request.actor, company=request.company, instance=i),
    )


# My tasks


@router.get("/approval-tasks", response={200: page_of(TaskOut), **ERRORS})
def task_list(request: HttpRequest, template: uuid.UUID | None = None, overdue: bool = False):
    """My pending tasks, newest first, each with its deadline."""
    qs = selectors.pending_tasks(request.actor, request.company)
    if template is not None:
        qs = qs.filter(instance__template_id=template)
    if overdue:
        qs = qs.filter(due_at__lt=timezone.now())
    return paginate(request, qs)


@router.post("/approval-tasks/approve", response={200: BatchApproveOut, **ERRORS})
def task_batch_approve(request: HttpRequest, payload: BatchApproveIn):
    """Approve many requests at once; each is decided on its own, so those that cannot be
    approved come back under `failed` with the reason and the others stay approved."""
    found: list[ApprovalInstance] = []
    failed: dict[str, str] = {}
    for pk in dict.fromkeys(payload.ids):
        try:
            found.append(_instance(request, pk))
        except DomainError as exc:
            failed[str(pk)] = str(exc.message)
    result = tasks.approval_tasks_approve(
        actor=request.actor, company=request.company, instances=found, comment=payload.comment
    )
    return {"approved": result["approved"], "failed": {**failed, **result["failed"]}}


# Delegations


@router.get("/approval-delegations", response={200: page_of(DelegationOut), **ERRORS})
def delegation_list(request: HttpRequest, is_active: bool | None = None):
    """My delegations (whom my tasks go to while I am away)."""
    selectors.require_member(request.actor, request.company)
    qs = Delegation.objects.filter(company=request.company, user=request.actor).select_related(
        "user", "deputy"
    )
    if is_active is not None:
        qs = qs.filter(is_active=is_active)
    return paginate(request, qs.order_by("-start", "pk"))


@router.post("/approval-delegations", response={201: DelegationOut, **ERRORS})
def delegation_create(request: HttpRequest, payload: DelegationIn):
    template = (
        access.access_template(user=request.actor, company=request.company, id=payload.template_id)
        if payload.template_id
        else None
    )
    return Status(
        201,
        delegations.delegation_create(
            actor=request.actor,
            company=request.company,
            deputy=_member(request, payload.deputy_id),
            start=payload.start,
            end=payload.end,
            user=_member(request, payload.user_id),
            template=template,
        ),
    )


@router.get("/approval-delegations/{delegation_id}", response={200: DelegationOut, **ERRORS})
def delegation_detail(request: HttpRequest, delegation_id: uuid.UUID):
    return access.access_delegation(user=request.actor, company=request.company, id=delegation_id)


@router.post("/approval-delegations/{delegation_id}/end", response={200: DelegationOut, **ERRORS})
def delegation_end(request: HttpRequest, delegation_id: uuid.UUID):
    delegation = access.access_delegation(user=request.actor, company=request.company, id=delegation_id)
    return delegations.delegation_end(actor=request.actor, company=request.company, delegation=delegation)
