"""Deadlines: an overdue task reminds its holder once, and when it stays overdue as long again
it is escalated to the holder's manager, who decides in their place. Run every few minutes by
`approval_deadlines --loop` (started by `make run`)."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from heyi.platform.models import Company
from heyi.platform.retrying import retry_when_busy
from heyi.platform.services.notifications import notify

from ..models import ApprovalAction, ApprovalInstance, ApprovalTask
from . import engine
from .log import action_write

Kind = ApprovalAction.Kind


def _remind(company: Company, task: ApprovalTask, now: datetime.datetime) -> None:
    task.reminded_at = now
    task.save(update_fields=["reminded_at", "updated_at"])
    action_write(
        company=company, instance=task.instance, kind=Kind.REMIND, actor=None, task=task, node_id=task.node_id
    )
    notify(
        company=company,
        recipients=[task.assignee],
        kind="approval_overdue",
        title=_("Overdue: %(title)s") % {"title": task.instance.title},
        body=task.instance.number,
        link=engine.instance_link(task.instance),
    )


def _escalate(company: Company, task: ApprovalTask, now: datetime.datetime) -> None:
    """The holder's manager takes the task over; with no manager (or the submitter as the
    manager) the task stays where it is, marked escalated, and the holder is told again."""
    instance = task.instance
    boss_id = engine.manager_user_id(company, task.assignee_id)
    boss = next(iter(engine.members_active(company, [boss_id])), None) if boss_id else None
    task.escalated = True
    busy = (
        boss is not None
        and ApprovalTask.objects.filter(
            company=company,
            instance=instance,
            activation=task.activation,
            assignee=boss,
            state__in=ApprovalTask.OPEN,
        ).exists()
    )
    if boss is None or boss.pk == instance.submitter_id or busy:
        task.save(update_fields=["escalated", "updated_at"])
        action_write(
            company=company,
            instance=instance,
            kind=Kind.ESCALATE,
            actor=None,
            task=task,
            node_id=task.node_id,
        )
        return
    task.state = ApprovalTask.State.TRANSFERRED
    task.decided_at = now
    task.save(update_fields=["escalated", "state", "decided_at", "updated_at"])
    successor = ApprovalTask.objects.create(
        company=company,
        instance=instance,
        node_id=task.node_id,
        node_name=task.node_name,
        activation=task.activation,
        chain=task.chain,
        waits_for=task.waits_for,
        assignee=boss,
        state=ApprovalTask.State.WAITING,
        escalated=True,
        assigned_at=now,
    )
    ApprovalTask.objects.filter(company=company, waits_for=task).exclude(pk=successor.pk).update(
        waits_for=successor
    )
    action_write(
        company=company,
        instance=instance,
        kind=Kind.ESCALATE,
        actor=None,
        task=task,
        node_id=task.node_id,
        data={"to": str(boss.pk)},
    )
    engine.task_open(company, successor, engine.flow_of(instance).node(task.node_id), now)
    successor.save(update_fields=["state", "due_at", "updated_at"])


@retry_when_busy
def approval_deadlines_run(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Remind the holders of tasks past their deadline, and escalate those overdue twice as long."""
    now = now or timezone.now()
    counts = {"reminded": 0, "escalated": 0}
    overdue = (
        ApprovalTask.objects.filter(
            state=ApprovalTask.State.PENDING, due_at__lte=now, escalated=False, instance__state="running"
        )
        .order_by("due_at")
        .values_list("pk", "company_id", "instance_id")
    )
    for task_id, company_id, instance_id in list(overdue[:500]):
        with transaction.atomic():
            instance = (
                ApprovalInstance.objects.select_for_update()
                .select_related("company", "template_version", "submitter")
                .get(pk=instance_id, company_id=company_id)
            )
            task = ApprovalTask.objects.select_related("assignee").get(pk=task_id, company_id=company_id)
            if task.state != ApprovalTask.State.PENDING or task.due_at is None:
                continue
            task.instance = instance
            company = instance.company
            if task.reminded_at is None:
                _remind(company, task, now)
                counts["reminded"] += 1
            elif now >= task.due_at + (task.due_at - task.assigned_at):
                _escalate(company, task, now)
                counts["escalated"] += 1
    return counts
