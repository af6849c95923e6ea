"""Requests: started for a document or from a free template, withdrawn, resubmitted, commented
on and urged by their submitter."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from heyi.platform.errors import Conflict, NotFound, NotPermitted, refuse
from heyi.platform.eventbus import publish
from heyi.platform.models import Attachment, Company, Department, Membership, User
from heyi.platform.retrying import retry_when_busy
from heyi.platform.services.audit import audit_record
from heyi.platform.services.notifications import notify
from heyi.platform.services.numbering import number_next
from heyi.platform.services.records import check_version

from ..access import access_instance
from ..design import ValueProblems, clean_values
from ..errors import AlreadyDecided, InvalidValues, NoTemplate, NotOpen
from ..events import InstanceSubmitted
from ..models import ApprovalAction, ApprovalInstance, ApprovalTask, ApprovalTemplate
from ..permissions import SUBMIT
from ..registry import document_type as registered_type
from ..registry import outcome as registered_outcome
from . import engine
from ._common import check
from .log import action_write
from .templates import template_for_document

Kind = ApprovalAction.Kind
URGE_INTERVAL = datetime.timedelta(minutes=30)


def _values_checked(company: Company, form: list[dict[str, Any]], values: Any) -> dict[str, Any]:
    """Form values by type, and the people, departments and files they name in this company."""
    try:
        cleaned = clean_values(form, values)
    except ValueProblems as exc:
        raise InvalidValues(fields=exc.problems)
    problems: dict[str, list[str]] = {}
    for field in form:
        value = cleaned.get(field["key"])
        if value is None:
            continue
        kind = field["type"]
        try:
            if kind == "person":
                known = Membership.objects.filter(company=company, user_id=value, is_active=True).exists()
            elif kind == "department":
                known = Department.objects.filter(company=company, pk=value).exists()
            elif kind == "attachment":
                known = Attachment.objects.filter(company=company, pk__in=value).count() == len(set(value))
            else:
                continue
        except (ValueError, TypeError, ValidationError):  # a malformed id is as unknown as a missing one
            known = False
        if not known:
            problems[field["key"]] = [_("Not found in this company.")]
    if problems:
        raise InvalidValues(fields=problems)
    return cleaned


def _start(
    *,
    actor: User,
    company: Company,
    template: ApprovalTemplate,
    values: dict[str, Any],
    title: str,
    document_type: str = "",
    document_id: str = "",
    starting_document: bool = False,
) -> ApprovalInstance:
    version = template.current_version
    assert version is not None
    now = timezone.now()
    instance = ApprovalInstance(
        company=company,
        number=number_next(company=company, doc_type="approvals.instance", prefix="SP"),
        template=template,
        template_version=version,
        title=(title or template.name)[:200],
        submitter=actor,
        document_type=document_type,
        document_id=document_id,
        values=values,
        submitted_at=now,
    )
    instance.path = engine.route_plan(company, instance)
    try:
        with transaction.atomic():
            instance.save(force_insert=True)
    except IntegrityError:
        raise Conflict(_("This document is already under approval."))
    audit_record(
        actor=actor,
        company=company,
        action="create",
        obj=instance,
        changes={"template": [None, template.code]},
    )
    action_write(
        company=company,
        instance=instance,
        kind=Kind.SUBMIT,
        actor=actor,
        data={"version": version.number, "route": instance.path},
    )
    publish(
        InstanceSubmitted(
            company_id=company.pk,
            actor_id=actor.pk,
            subject_type="approvals.instance",
            subject_id=str(instance.pk),
            number=instance.number,
            template=template.code,
            document_type=document_type,
            document_id=document_id,
        )
    )
    instance._starting = starting_document  # type: ignore[attr-defined]
    engine.enter(company, instance, 1, actor=actor)
    instance._starting = False  # type: ignore[attr-defined]
    return instance


def approval_start(
    *, actor: User, company: Company, document_type: str, document: Any
) -> ApprovalInstance | None:
    """Start the approval of a business document, inside the document's submitting transaction.

    None when OA is off or no active template approves this type: the document needs no
    approval. The returned instance may already be approved (every step skipped or already
    approved by the same people); the submitting service then approves the document itself,
    as it does for every later final decision through the registry."""
    from heyi.platform import modules
    from heyi.platform.access import module_enabled

    if not module_enabled(company, modules.OA):
        return None
    doc_type = registered_type(document_type)
    if doc_type is None:
        raise NoTemplate(_("This kind of document is not known to the approval engine."))
    template = template_for_document(company, document_type)
    if template is None:
        return None
    assert template.current_version is not None
    values = doc_type.values(document)
    form = doc_type.fields  # the document type's fields now, not as they were when the template was saved
    form_keys = {f["key"] for f in form}
    values = _values_checked(company, form, {k: v for k, v in values.items() if k in form_keys})
    with transaction.atomic():
        return _start(
            actor=actor,
            company=company,
            template=template,
            values=values,
            title=doc_type.title(document),
            document_type=document_type,
            document_id=str(document.pk),
            starting_document=True,
        )


def approval_pending(*, actor: User, company: Company, document_type: str, document: Any) -> bool:
    """`approval_start` as a submitting service reads it: True while a flow decides the document
    (its decision comes back through the registry); False when the service approves it now
    (OA off, no template, or every step skipped)."""
    instance = approval_start(actor=actor, company=company, document_type=document_type, document=document)
    return instance is not None and instance.is_open


@retry_when_busy
def approval_instance_create(
    *, actor: User, company: Company, template: ApprovalTemplate, values: dict[str, Any], title: str = ""
) -> ApprovalInstance:
    """A request from a template of its own (leave, a fixed-asset request, anything free)."""
    check(actor, company, SUBMIT)
    if template.company_id != company.pk:
        raise NotFound()
    if template.document_type:
        raise refuse("template", _("This template is started from its document, not by hand."))
    if not template.is_active or template.current_version is None:
        raise refuse("template", _("This template is not active."))
    cleaned = _values_checked(company, template.current_version.form, values)
    then = registered_outcome(template.outcome) if template.outcome else None
    if then is not None:
        problems = then.check(company, cleaned)
        if problems:
            raise InvalidValues(fields=problems)
    with transaction.atomic():
        return _start(actor=actor, company=company, template=template, values=cleaned, title=title)


def instance_locked(
    user: User, company: Company, instance: ApprovalInstance, version: int | None
) -> ApprovalInstance:
    """The request under its row lock, for a decision by `user`. Whether the user may decide is
    the decision's own check (not yours: 403), so only another company's request is not found."""
    try:
        locked = (
            ApprovalInstance.objects.select_for_update()
            .select_related("template", "template_version", "submitter")
            .get(company=company, pk=instance.pk)
        )
    except ApprovalInstance.DoesNotExist:
        raise NotFound()
    check_version(locked, version)
    return locked


@retry_when_busy
def approval_withdraw(
    *,
    actor: User,
    company: Company,
    instance: ApprovalInstance,
    comment: str = "",
    version: int | None = None,
) -> ApprovalInstance:
    """The submitter takes the request back, before anyone has decided on it (or once it was
    returned to them)."""
    check(actor, company, SUBMIT)
    with transaction.atomic():
        locked = instance_locked(actor, company, instance, version)
        if locked.submitter_id != actor.pk:
            raise NotPermitted(_("Only the submitter can withdraw a request."))
        if not locked.is_open:
            raise NotOpen()
        decided = ApprovalTask.objects.filter(
            company=company,
            instance=locked,
            auto=False,
            state__in=[
                ApprovalTask.State.APPROVED,
                ApprovalTask.State.REJECTED,
                ApprovalTask.State.RETURNED,
                ApprovalTask.State.TRANSFERRED,
            ],
        ).exists()
        if decided and locked.state == ApprovalInstance.State.RUNNING:
            raise AlreadyDecided()
        engine.close_open_tasks(company, locked)
        action_write(company=company, instance=locked, kind=Kind.WITHDRAW, actor=actor, comment=comment)
        engine.finish(company, locked, ApprovalInstance.State.WITHDRAWN, actor=actor, comment=comment)
    return locked


@retry_when_busy
def approval_resubmit(
    *,
    actor: User,
    company: Company,
    instance: ApprovalInstance,
    values: dict[str, Any] | None = None,
    version: int | None = None,
) -> ApprovalInstance:
    """A request returned to its submitter goes round again from the first step, with revised
    values (a document's values are read from the document again)."""
    check(actor, company, SUBMIT)
    with transaction.atomic():
        locked = instance_locked(actor, company, instance, version)
        if locked.submitter_id != actor.pk:
            raise NotPermitted(_("Only the submitter can resubmit a request."))
        if locked.state != ApprovalInstance.State.RETURNED:
            raise NotOpen(_("Only a request returned to its submitter can be resubmitted."))
        form = locked.template_version.form
        if locked.document_type:
            doc_type = registered_type(locked.document_type)
            assert doc_type is not None
            document = doc_type.load(company, locked.document_id)
            keys = {f["key"] for f in form}
            values = {k: v for k, v in doc_type.values(document).items() if k in keys}
        if values is not None:
            locked.values = _values_checked(company, form, values)
        locked.state = ApprovalInstance.State.RUNNING
        locked.path = engine.route_plan(company, locked)
        locked.version += 1
        locked.save()
        audit_record(
            actor=actor,
            company=company,
            action="transition",
            obj=locked,
            changes={"state": ["returned", "running"]},
        )
        action_write(
            company=company, instance=locked, kind=Kind.RESUBMIT, actor=actor, data={"route": locked.path}
        )
        engine.enter(company, locked, 1, actor=actor)
    return locked


def attachments_checked(company: Company, instance: ApprovalInstance, ids: Any) -> list[str]:
    """Files attached to the request itself, named by id in a decision or comment."""
    ids = [str(i) for i in (ids or [])]
    if not ids:
        return []
    try:
        found = Attachment.objects.filter(
            company=company, object_type="approvals.instance", object_id=str(instance.pk), pk__in=ids
        ).count()
    except (ValueError, ValidationError):
        found = -1
    if found != len(set(ids)):
        raise refuse("attachments", _("Attach files to this request first."))
    return ids


@retry_when_busy
def approval_comment(
    *, actor: User, company: Company, instance: ApprovalInstance, comment: str, attachments: Any = ()
) -> ApprovalAction:
    check(actor, company, SUBMIT)
    if not comment.strip():
        raise refuse("comment", _("Write a comment."))
    if len(comment) > 2000:
        raise refuse("comment", _("At most 2000 characters."))
    with transaction.atomic():
        locked = access_instance(user=actor, company=company, id=instance.pk, for_update=True)
        files = attachments_checked(company, locked, attachments)
        return action_write(
            company=company,
            instance=locked,
            kind=Kind.COMMENT,
            actor=actor,
            node_id=locked.current_node,
            comment=comment.strip(),
            data={"attachments": files} if files else None,
        )


@retry_when_busy
def approval_urge(*, actor: User, company: Company, instance: ApprovalInstance) -> ApprovalInstance:
    """The submitter nudges whoever holds the request now (催办), at most every half hour."""
    check(actor, company, SUBMIT)
    with transaction.atomic():
        locked = access_instance(user=actor, company=company, id=instance.pk, for_update=True)
        if locked.submitter_id != actor.pk:
            raise NotPermitted(_("Only the submitter can urge a request."))
        if locked.state != ApprovalInstance.State.RUNNING:
            raise NotOpen()
        now = timezone.now()
        if locked.urged_at and now - locked.urged_at < URGE_INTERVAL:
            raise Conflict(_("You urged this request less than half an hour ago."))
        pending = list(
            ApprovalTask.objects.filter(
                company=company, instance=locked, state=ApprovalTask.State.PENDING
            ).select_related("assignee")
        )
        locked.urged_at = now
        locked.save(update_fields=["urged_at", "updated_at"])
        action_write(
            company=company,
            instance=locked,
            kind=Kind.URGE,
            actor=actor,
            node_id=locked.current_node,
            data={"to": [str(t.assignee_id) for t in pending]},
        )
        notify(
            company=company,
            recipients=[t.assignee for t in pending],
            kind="approval_urge",
            title=_("Please decide: %(title)s") % {"title": locked.title},
            body=locked.number,
            link=engine.instance_link(locked),
            actor=actor,
        )
    return locked


def approval_abandon(
    *, actor: User, company: Company, document_type: str, document_id: Any
) -> ApprovalInstance | None:
    """The document was cancelled while under approval (inside its cancelling transaction): its
    open request ends as withdrawn, without calling the document back, and its tasks close."""
    instance = (
        ApprovalInstance.objects.select_for_update()
        .select_related("template", "template_version", "submitter")
        .filter(
            company=company,
            document_type=document_type,
            document_id=str(document_id),
            state__in=[ApprovalInstance.State.RUNNING, ApprovalInstance.State.RETURNED],
        )
        .first()
    )
    if instance is None:
        return None
    engine.close_open_tasks(company, instance)
    action_write(
        company=company,
        instance=instance,
        kind=Kind.WITHDRAW,
        actor=actor,
        comment=_("The document was cancelled."),
        data={"document_cancelled": True},
    )
    instance._starting = True  # type: ignore[attr-defined]  # the document is ending itself
    engine.finish(company, instance, ApprovalInstance.State.WITHDRAWN, actor=actor)
    return instance
