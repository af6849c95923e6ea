"""Running a flow: entering nodes, handing out tasks, judging a node, finishing a request.

The services in `instances.py` and `tasks.py` hold the instance's row lock when they call in
here, so two decisions on one request are judged one after the other. A request's route (the
nodes it goes through) is decided at submission from its values and its submitter, so that a
step with nobody to approve it is refused before anyone is asked.

Signers of a node form chains: in a countersign, an or-sign or a ratio sign each approver is a
chain of one; in a sequential node all are one chain. A signer added before or after someone,
or a person a task is transferred to, takes a place in that chain (`waits_for`). A chain is
finished when every task in it is approved; the node's mode says how many finished chains pass
it, and a rejection ends the request unless a ratio can still be reached without that chain.
"""

import datetime
import math
import uuid
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from heyi.platform.access import grants
from heyi.platform.eventbus import publish
from heyi.platform.models import Company, Department, Employee, Membership, User
from heyi.platform.services.audit import audit_record
from heyi.platform.services.notifications import notify

from ..design import Flow, Node
from ..errors import NoApprover
from ..events import InstanceApproved, InstanceFinished, InstanceRejected, InstanceWithdrawn, TaskAssigned
from ..models import ApprovalAction, ApprovalCc, ApprovalInstance, ApprovalTask, Delegation
from ..registry import document_type
from ..registry import outcome as registered_outcome
from .log import action_write

Kind = ApprovalAction.Kind
TaskState = ApprovalTask.State


def flow_of(instance: ApprovalInstance) -> Flow:
    return Flow(instance.template_version.flow)


def submitter_facts(company: Company, user: User) -> dict[str, Any]:
    """What conditions may test about the submitter: department (and the ones above), roles."""
    employee = Employee.objects.filter(company=company, user=user, is_active=True).first()
    departments: list[str] = []
    department_id = employee.department_id if employee else None
    parents = dict(Department.objects.filter(company=company).values_list("id", "parent_id"))
    current = department_id
    while current is not None and str(current) not in departments:
        departments.append(str(current))
        current = parents.get(current)
    return {
        "department": str(department_id) if department_id else None,
        "departments": departments,
        "roles": sorted(grants(user, company).role_codes),
    }


def members_active(company: Company, user_ids: list[Any]) -> list[User]:
    """Active members among `user_ids`, in the order given, each once."""
    active = {
        m.user_id: m.user
        for m in Membership.objects.filter(
            company=company, user_id__in=user_ids, is_active=True, user__is_active=True
        ).select_related("user")
    }
    seen: set[Any] = set()
    ordered = []
    for uid in user_ids:
        key = active.get(uid) and active[uid].pk
        if key and key not in seen:
            seen.add(key)
            ordered.append(active[uid])
    return ordered


def manager_user_id(company: Company, user_id: Any, levels: int = 1) -> Any | None:
    """The user of the manager N levels up: the employee's manager, else the head of their
    department (or of the department above when they head it themselves)."""
    departments: dict[Any, Department] = {d.pk: d for d in Department.objects.filter(company=company)}
    current = Employee.objects.filter(company=company, user_id=user_id).first()
    for _level in range(levels):
        if current is None:
            return None
        boss_id = current.manager_id
        if boss_id is None:
            department = departments.get(current.department_id)
            while department is not None and department.manager_id in (None, current.pk):
                department = departments.get(department.parent_id)
            boss_id = department.manager_id if department is not None else None
        current = Employee.objects.filter(company=company, pk=boss_id).first() if boss_id else None
    return current.user_id if current is not None and current.is_active else None


def resolve_people(
    company: Company, specs: list[dict[str, Any]], values: dict[str, Any], submitter: User
) -> list[User]:
    """The people a node's approver (or CC) specs name, active members only, each once."""
    ids: list[Any] = []
    for spec in specs:
        kind = spec["kind"]
        if kind == "user":
            ids.append(spec["user"])
        elif kind == "role":
            ids.extend(
                Membership.objects.filter(
                    company=company, is_active=True, roles__company=company, roles__code=spec["role"]
                )
                .order_by("created_at")
                .values_list("user_id", flat=True)
            )
        elif kind == "manager":
            ids.append(manager_user_id(company, submitter.pk, spec.get("levels", 1)))
        elif kind == "department_head":
            head = (
                Department.objects.filter(company=company, pk=spec["department"])
                .values_list("manager__user_id", flat=True)
                .first()
            )
            if head:
                ids.append(head)
        elif kind == "field" and values.get(spec["field"]):
            ids.append(values[spec["field"]])
    return members_active(company, [_uuid(i) for i in ids if i])


def _uuid(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def approvers_for(company: Company, instance: ApprovalInstance, node: Node, flow: Flow) -> list[User]:
    """A node's approvers without the submitter (nobody approves their own request); with none
    left, the empty-approver policy: skip (empty list), the company's administrators, or refuse."""
    people = [
        u
        for u in resolve_people(company, node.raw["approvers"], instance.values, instance.submitter)
        if u.pk != instance.submitter_id
    ]
    if people:
        return people
    policy = flow.empty_policy(node)
    if policy == "admin":
        admins = Membership.objects.filter(
            company=company, is_active=True, roles__company=company, roles__is_admin=True
        ).values_list("user_id", flat=True)
        return [u for u in members_active(company, list(admins)) if u.pk != instance.submitter_id]
    if policy == "refuse":
        raise NoApprover(
            _("Nobody can approve the step “%(step)s” of this request.") % {"step": node.name or node.id},
            node=node.id,
        )
    return []


def route_plan(company: Company, instance: ApprovalInstance) -> list[str]:
    """The nodes the request will go through; refuses now if a step would have no approver."""
    flow = flow_of(instance)
    nodes = flow.route(instance.values, submitter_facts(company, instance.submitter))
    for node in nodes:
        if node.type == "approve" and flow.empty_policy(node) == "refuse":
            approvers_for(company, instance, node, flow)
    return [n.id for n in nodes]


def _deputies(company: Company, instance: ApprovalInstance, people: list[User], today: datetime.date) -> dict:
    """Who stands in today for each of `people` (by user id): a delegation for this template
    before one for every template, the latest first; never the submitter."""
    found: dict[Any, Delegation] = {}
    delegations = (
        Delegation.objects.filter(
            company=company,
            user__in=people,
            is_active=True,
            start__lte=today,
            end__gte=today,
            deputy__is_active=True,
        )
        .filter(Q(template__isnull=True) | Q(template_id=instance.template_id))
        .select_related("deputy")
    )
    for delegation in sorted(delegations, key=lambda d: (d.template_id is None, -d.start.toordinal())):
        found.setdefault(delegation.user_id, delegation)
    return {uid: d.deputy for uid, d in found.items() if d.deputy_id != instance.submitter_id}


def _approved_this_round(instance: ApprovalInstance) -> set[Any]:
    """Who approved earlier in this round: a request sent back is decided afresh."""
    return set(
        ApprovalTask.objects.filter(
            company_id=instance.company_id,
            instance=instance,
            state=TaskState.APPROVED,
            activation__gte=instance.round_start,
        ).values_list("assignee_id", flat=True)
    )


def instance_link(instance: ApprovalInstance) -> str:
    return reverse("approvals:instance_detail", args=[instance.pk])


def task_open(company: Company, task: ApprovalTask, node: Node, now: datetime.datetime) -> None:
    """A task becomes the assignee's to decide: deadline set, assignee told."""
    task.state = TaskState.PENDING
    hours = node.raw.get("deadline_hours")
    task.due_at = now + datetime.timedelta(hours=hours) if hours else None
    instance = task.instance
    publish(
        TaskAssigned(
            company_id=company.pk,
            actor_id=None,
            subject_type="approvals.instance",
            subject_id=str(instance.pk),
            instance_id=str(instance.pk),
            number=instance.number,
            assignee_id=str(task.assignee_id),
            node=node.name or node.id,
        )
    )
    notify(
        company=company,
        recipients=[task.assignee],
        kind="approval_task",
        title=_("To approve: %(title)s") % {"title": instance.title},
        body=_("%(number)s, step “%(step)s”") % {"number": instance.number, "step": node.name or node.id},
        link=instance_link(instance),
    )


def _enter_approval(company: Company, instance: ApprovalInstance, node: Node, flow: Flow) -> bool:
    """Hand out the node's tasks; True when the node is passed at once (skipped or deduplicated)."""
    people = approvers_for(company, instance, node, flow)
    if not people:
        action_write(company=company, instance=instance, kind=Kind.SKIP, actor=None, node_id=node.id)
        return True
    now = timezone.now()
    today = timezone.localdate()
    mode = node.raw.get("mode", "all")
    deputies = _deputies(company, instance, people, today)
    approved = _approved_this_round(instance) if flow.dedupe else set()
    previous: ApprovalTask | None = None
    for position, person in enumerate(people, start=1):
        deputy = deputies.get(person.pk)
        task = ApprovalTask(
            company=company,
            instance=instance,
            node_id=node.id,
            node_name=node.name,
            activation=instance.activation,
            chain=1 if mode == "sequential" else position,
            waits_for=previous if mode == "sequential" else None,
            assignee=deputy or person,
            delegated_from=person if deputy else None,
            state=TaskState.WAITING,
            assigned_at=now,
        )
        if person.pk in approved:
            task.state, task.auto, task.decided_at = TaskState.APPROVED, True, now
        task.save(force_insert=True)
        if task.auto:
            action_write(
                company=company,
                instance=instance,
                kind=Kind.AUTO_APPROVE,
                actor=None,
                task=task,
                node_id=node.id,
            )
        previous = task
    _open_ready(company, instance, node, now)
    return judge(company, instance, node) == "passed"


def _open_ready(company: Company, instance: ApprovalInstance, node: Node, now: datetime.datetime) -> None:
    """Open every waiting task whose place in its chain has come; auto-approve down a chain."""
    tasks = list(
        ApprovalTask.objects.filter(
            company=company, instance=instance, activation=instance.activation
        ).select_related("assignee", "instance")
    )
    by_id = {t.pk: t for t in tasks}
    for task in sorted(tasks, key=lambda t: (t.chain, t.assigned_at)):
        if task.state != TaskState.WAITING:
            continue
        ahead = by_id.get(task.waits_for_id) if task.waits_for_id else None
        if ahead is None or ahead.state == TaskState.APPROVED:
            task_open(company, task, node, now)
            task.save(update_fields=["state", "due_at", "updated_at"])


def judge(company: Company, instance: ApprovalInstance, node: Node) -> str:
    """'passed', 'rejected' or 'open': how the node stands after its latest decision."""
    tasks = [
        t
        for t in ApprovalTask.objects.filter(
            company=company, instance=instance, activation=instance.activation
        )
        if t.state not in (TaskState.TRANSFERRED, TaskState.CANCELLED)
    ]
    chains: dict[int, list[ApprovalTask]] = {}
    for task in tasks:
        chains.setdefault(task.chain, []).append(task)
    finished = sum(1 for c in chains.values() if all(t.state == TaskState.APPROVED for t in c))
    rejected = sum(1 for c in chains.values() if any(t.state == TaskState.REJECTED for t in c))
    mode = node.raw.get("mode", "all")
    if mode == "ratio":
        ratio = node.raw.get("ratio") or {}
        if ratio.get("count"):
            needed = min(int(ratio["count"]), len(chains))
        else:
            needed = max(1, math.ceil(len(chains) * int(ratio["percent"]) / 100))
        if finished >= needed:
            return "passed"
        return "rejected" if len(chains) - rejected < needed else "open"
    if rejected:
        return "rejected"
    if mode == "any":
        return "passed" if finished else "open"
    return "passed" if finished == len(chains) else "open"


def close_open_tasks(company: Company, instance: ApprovalInstance) -> None:
    ApprovalTask.objects.filter(
        company=company, instance=instance, activation=instance.activation, state__in=ApprovalTask.OPEN
    ).update(state=TaskState.CANCELLED, updated_at=timezone.now())


def _copy(company: Company, instance: ApprovalInstance, node: Node) -> None:
    people = resolve_people(company, node.raw["recipients"], instance.values, instance.submitter)
    now = timezone.now()
    ApprovalCc.objects.bulk_create(
        [
            ApprovalCc(company=company, instance=instance, node_id=node.id, user=u, created_at_node=now)
            for u in people
        ],
        ignore_conflicts=True,
    )
    action_write(
        company=company,
        instance=instance,
        kind=Kind.CC,
        actor=None,
        node_id=node.id,
        data={"to": [str(u.pk) for u in people]},
    )
    if people:
        notify(
            company=company,
            recipients=people,
            kind="approval_cc",
            title=_("For your information: %(title)s") % {"title": instance.title},
            body=instance.number,
            link=instance_link(instance),
        )


def enter(
    company: Company, instance: ApprovalInstance, index: int, *, actor: User | None, fresh: bool = False
) -> None:
    """Enter the route's node at `index` and go on for as long as nodes pass at once; `fresh`
    (after a return) starts a new round, in which earlier approvals no longer count."""
    flow = flow_of(instance)
    route: list[str] = instance.path
    if fresh:
        instance.round_start = instance.activation + 1
        instance.save(update_fields=["round_start", "updated_at"])
    while True:
        node = flow.node(route[index])
        instance.current_node = node.id
        instance.activation += 1
        instance.save(update_fields=["current_node", "activation", "updated_at"])
        if node.type == "end":
            finish(company, instance, ApprovalInstance.State.APPROVED, actor=actor)
            return
        if node.type == "cc":
            _copy(company, instance, node)
        elif node.type == "approve" and not _enter_approval(company, instance, node, flow):
            return
        index += 1


def advance(company: Company, instance: ApprovalInstance, *, actor: User | None, comment: str = "") -> None:
    """Judge the current node after a decision, and move on or finish accordingly."""
    flow = flow_of(instance)
    node = flow.node(instance.current_node)
    outcome = judge(company, instance, node)
    if outcome == "open":
        _open_ready(company, instance, node, timezone.now())
        return
    close_open_tasks(company, instance)
    if outcome == "rejected":
        finish(company, instance, ApprovalInstance.State.REJECTED, actor=actor, comment=comment)
        return
    enter(company, instance, instance.path.index(node.id) + 1, actor=actor)


def finish(
    company: Company, instance: ApprovalInstance, state: str, *, actor: User | None, comment: str = ""
) -> None:
    """The request ends; its document hears the outcome in the same transaction (except while
    the document's own service is submitting or cancelling it: that service acts itself)."""
    old = instance.state
    now = timezone.now()
    instance.state = state
    instance.finished_at = now
    instance.current_node = "" if state != ApprovalInstance.State.APPROVED else instance.current_node
    instance.version += 1
    instance.save()
    audit_record(
        actor=actor, company=company, action="transition", obj=instance, changes={"state": [old, state]}
    )
    action_write(company=company, instance=instance, kind=Kind.FINISH, actor=None, data={"outcome": state})
    event: type[InstanceFinished] = {
        "approved": InstanceApproved,
        "rejected": InstanceRejected,
        "withdrawn": InstanceWithdrawn,
    }[state]
    publish(
        event(
            company_id=company.pk,
            actor_id=actor.pk if actor is not None else None,
            subject_type="approvals.instance",
            subject_id=str(instance.pk),
            number=instance.number,
            template=instance.template.code,
            document_type=instance.document_type,
            document_id=instance.document_id,
            cycle_seconds=int((now - instance.submitted_at).total_seconds()),
        )
    )
    notify(
        company=company,
        recipients=[instance.submitter],
        kind="approval_finished",
        title=_("%(title)s: %(outcome)s")
        % {"title": instance.title, "outcome": instance.get_state_display()},
        body=comment,
        link=instance_link(instance),
        actor=actor,
    )
    if instance.template.outcome and state == ApprovalInstance.State.APPROVED:
        then = registered_outcome(instance.template.outcome)
        if then is not None:
            then.run(actor=actor, company=company, instance=instance)
    doc_type = document_type(instance.document_type) if instance.document_type else None
    if doc_type is None or getattr(instance, "_starting", False):
        return
    document = doc_type.load(company, instance.document_id)
    if state == ApprovalInstance.State.APPROVED:
        doc_type.on_approved(actor=actor, company=company, document=document)
    elif state == ApprovalInstance.State.REJECTED:
        doc_type.on_rejected(actor=actor, company=company, document=document, comment=comment)
    else:
        doc_type.on_withdrawn(actor=actor, company=company, document=document)


def bump(instance: ApprovalInstance) -> None:
    """Every decision moves the request's version on, so an edit made on an older view is refused."""
    instance.version += 1
    instance.save(update_fields=["version", "updated_at"])


def return_to_submitter(company: Company, instance: ApprovalInstance, *, actor: User, comment: str) -> None:
    instance.state = ApprovalInstance.State.RETURNED
    instance.current_node = ""
    instance.save(update_fields=["state", "current_node", "updated_at"])
    audit_record(
        actor=actor,
        company=company,
        action="transition",
        obj=instance,
        changes={"state": ["running", "returned"]},
    )
    notify(
        company=company,
        recipients=[instance.submitter],
        kind="approval_returned",
        title=_("Returned to you: %(title)s") % {"title": instance.title},
        body=comment,
        link=instance_link(instance),
        actor=actor,
    )
