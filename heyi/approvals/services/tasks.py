"""Decisions on a request by whoever holds a task on it: approve, reject, return, transfer, add a
signer; and many approvals at once. Each takes the request's row lock first, so of two
concurrent decisions on one node exactly one counts and the other finds its task closed."""

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from heyi.platform.errors import refuse
from heyi.platform.models import Company, Membership, User
from heyi.platform.retrying import retry_when_busy
from heyi.platform.services.audit import audit_record

from ..errors import BadTarget, NotOpen, NotYourTask, OwnRequest, TaskClosed
from ..models import ApprovalAction, ApprovalInstance, ApprovalTask
from ..permissions import SUBMIT
from . import engine
from ._common import check
from .instances import attachments_checked, instance_locked
from .log import action_write

Kind = ApprovalAction.Kind
TaskState = ApprovalTask.State


def _my_task(actor: User, company: Company, instance: ApprovalInstance) -> ApprovalTask:
    """The actor's open task on the request's current step; why not, when there is none."""
    if instance.submitter_id == actor.pk:
        raise OwnRequest()
    if instance.state != ApprovalInstance.State.RUNNING:
        raise NotOpen()
    mine = ApprovalTask.objects.filter(company=company, instance=instance, assignee=actor).order_by(
        "-activation"
    )
    task = mine.filter(activation=instance.activation, state=TaskState.PENDING).first()
    if task is not None:
        return task
    if mine.exists():
        raise TaskClosed()
    raise NotYourTask()


def _comment(comment: str) -> str:
    if len(comment) > 2000:
        raise refuse("comment", _("At most 2000 characters."))
    return comment.strip()


def _decide(
    actor: User, company: Company, instance: ApprovalInstance, task: ApprovalTask, state: str, comment: str
) -> None:
    task.state = state
    task.comment = comment
    task.decided_at = timezone.now()
    task.save(update_fields=["state", "comment", "decided_at", "updated_at"])
    audit_record(
        actor=actor,
        company=company,
        action="approval_decision",
        obj=instance,
        changes={"task": str(task.pk), "node": task.node_id, "state": ["pending", state]},
    )


def _target(company: Company, instance: ApprovalInstance, user: User | None) -> User:
    """Someone who may take a place at this step: an active member, not the submitter, not
    already holding an open task here."""
    if user is None or not Membership.objects.filter(company=company, user=user, is_active=True).exists():
        raise BadTarget(fields={"user": [_("Choose an active member of the company.")]})
    if user.pk == instance.submitter_id:
        raise BadTarget(fields={"user": [str(OwnRequest.default_message)]})
    if ApprovalTask.objects.filter(
        company=company,
        instance=instance,
        activation=instance.activation,
        assignee=user,
        state__in=ApprovalTask.OPEN,
    ).exists():
        raise BadTarget(fields={"user": [_("This person already has this step to decide.")]})
    return user


def _decision(
    actor: User,
    company: Company,
    instance: ApprovalInstance,
    *,
    state: str,
    kind: str,
    comment: str,
    attachments: Any,
    version: int | None,
) -> ApprovalInstance:
    """Approve or reject: the actor's task decided, logged, and the step judged."""
    with transaction.atomic():
        locked = instance_locked(actor, company, instance, version)
        task = _my_task(actor, company, locked)
        files = attachments_checked(company, locked, attachments)
        _decide(actor, company, locked, task, state, comment)
        action_write(
            company=company,
            instance=locked,
            kind=kind,
            actor=actor,
            task=task,
            node_id=task.node_id,
            comment=comment,
            data={"attachments": files} if files else None,
        )
        engine.advance(company, locked, actor=actor, comment=comment)
        engine.bump(locked)
    return locked


@retry_when_busy
def approval_task_approve(
    *,
    actor: User,
    company: Company,
    instance: ApprovalInstance,
    comment: str = "",
    attachments: Any = (),
    version: int | None = None,
) -> ApprovalInstance:
    check(actor, company, SUBMIT)
    return _decision(
        actor,
        company,
        instance,
        state=TaskState.APPROVED,
        kind=Kind.APPROVE,
        comment=_comment(comment),
        attachments=attachments,
        version=version,
    )


@retry_when_busy
def approval_task_reject(
    *,
    actor: User,
    company: Company,
    instance: ApprovalInstance,
    comment: str,
    attachments: Any = (),
    version: int | None = None,
) -> ApprovalInstance:
    """A rejection ends the request (in a ratio sign, once the ratio can no longer be reached);
    the comment is required and reaches the document."""
    check(actor, company, SUBMIT)
    comment = _comment(comment)
    if not comment:
        raise refuse("comment", _("Say why you reject the request."))
    return _decision(
        actor,
        company,
        instance,
        state=TaskState.REJECTED,
        kind=Kind.REJECT,
        comment=comment,
        attachments=attachments,
        version=version,
    )


@retry_when_busy
def approval_task_return(
    *,
    actor: User,
    company: Company,
    instance: ApprovalInstance,
    to: str,
    comment: str,
    version: int | None = None,
) -> ApprovalInstance:
    """Send the request back (驳回): to an earlier approval step, which decides again, or to the
    submitter (`to="submitter"`), who may revise and resubmit it or withdraw it."""
    check(actor, company, SUBMIT)
    comment = _comment(comment)
    if not comment:
        raise refuse("comment", _("Say why you return the request."))
    with transaction.atomic():
        locked = instance_locked(actor, company, instance, version)
        task = _my_task(actor, company, locked)
        here = locked.path.index(locked.current_node)
        flow = engine.flow_of(locked)
        earlier = [n for n in locked.path[:here] if flow.node(n).type == "approve"]
        if to != "submitter" and to not in earlier:
            raise refuse("to", _("Return the request to the submitter or to an earlier approval step."))
        _decide(actor, company, locked, task, TaskState.RETURNED, comment)
        action_write(
            company=company,
            instance=locked,
            kind=Kind.RETURN,
            actor=actor,
            task=task,
            node_id=task.node_id,
            comment=comment,
            data={"to": to},
        )
        engine.close_open_tasks(company, locked)
        if to == "submitter":
            engine.return_to_submitter(company, locked, actor=actor, comment=comment)
        else:
            engine.enter(company, locked, locked.path.index(to), actor=actor, fresh=True)
        engine.bump(locked)
    return locked


@retry_when_busy
def approval_task_transfer(
    *,
    actor: User,
    company: Company,
    instance: ApprovalInstance,
    to: User | None,
    comment: str = "",
    version: int | None = None,
) -> ApprovalInstance:
    """Hand one's task to someone else (转交), who decides in one's place."""
    check(actor, company, SUBMIT)
    comment = _comment(comment)
    with transaction.atomic():
        locked = instance_locked(actor, company, instance, version)
        task = _my_task(actor, company, locked)
        target = _target(company, locked, to)
        _decide(actor, company, locked, task, TaskState.TRANSFERRED, comment)
        successor = _task_like(task, assignee=target, added_by=None)
        successor.state = TaskState.WAITING
        successor.save(force_insert=True)
        ApprovalTask.objects.filter(company=company, waits_for=task).exclude(pk=successor.pk).update(
            waits_for=successor
        )
        action_write(
            company=company,
            instance=locked,
            kind=Kind.TRANSFER,
            actor=actor,
            task=task,
            node_id=task.node_id,
            comment=comment,
            data={"to": str(target.pk)},
        )
        node = engine.flow_of(locked).node(task.node_id)
        engine.task_open(company, successor, node, timezone.now())
        successor.save(update_fields=["state", "due_at", "updated_at"])
        engine.bump(locked)
    return locked


def _task_like(task: ApprovalTask, *, assignee: User, added_by: User | None) -> ApprovalTask:
    return ApprovalTask(
        company_id=task.company_id,
        instance=task.instance,
        node_id=task.node_id,
        node_name=task.node_name,
        activation=task.activation,
        chain=task.chain,
        waits_for=task.waits_for,
        assignee=assignee,
        added_by=added_by,
        assigned_at=timezone.now(),
    )


@retry_when_busy
def approval_task_add_signer(
    *,
    actor: User,
    company: Company,
    instance: ApprovalInstance,
    signer: User | None,
    position: str,
    comment: str = "",
    version: int | None = None,
) -> ApprovalInstance:
    """Add a signer to one's place in the step (加签): `before` (they decide first, then the task
    comes back) or `after` (they decide once one has approved)."""
    check(actor, company, SUBMIT)
    comment = _comment(comment)
    if position not in ("before", "after"):
        raise refuse("position", _("Add the signer before or after yourself."))
    with transaction.atomic():
        locked = instance_locked(actor, company, instance, version)
        task = _my_task(actor, company, locked)
        target = _target(company, locked, signer)
        added = _task_like(task, assignee=target, added_by=actor)
        node = engine.flow_of(locked).node(task.node_id)
        now = timezone.now()
        if position == "before":
            added.state = TaskState.WAITING
            added.save(force_insert=True)
            task.waits_for = added
            task.state = TaskState.WAITING
            task.save(update_fields=["waits_for", "state", "updated_at"])
            engine.task_open(company, added, node, now)
            added.save(update_fields=["state", "due_at", "updated_at"])
        else:
            added.waits_for = task
            added.state = TaskState.WAITING
            added.save(force_insert=True)
            ApprovalTask.objects.filter(company=company, waits_for=task).exclude(pk=added.pk).update(
                waits_for=added
            )
        action_write(
            company=company,
            instance=locked,
            kind=Kind.ADD_SIGNER,
            actor=actor,
            task=task,
            node_id=task.node_id,
            comment=comment,
            data={"signer": str(target.pk), "position": position},
        )
        engine.bump(locked)
    return locked


def approval_tasks_approve(
    *, actor: User, company: Company, instances: Iterable[ApprovalInstance], comment: str = ""
) -> dict[str, Any]:
    """Batch approval: each request decided in its own transaction, so one that fails (decided
    meanwhile, say) leaves the others approved; the failures come back with their reasons."""
    from heyi.platform.errors import DomainError

    approved: list[str] = []
    failed: dict[str, str] = {}
    for instance in instances:
        try:
            approval_task_approve(actor=actor, company=company, instance=instance, comment=comment)
            approved.append(str(instance.pk))
        except DomainError as exc:
            failed[str(instance.pk)] = str(exc.message)
    return {"approved": approved, "failed": failed}
