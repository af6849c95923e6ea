"""Designing templates: a form and a flow, checked at save; every change of either is a version."""

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from heyi.platform.errors import Conflict, DuplicateValue, refuse
from heyi.platform.models import Company, User
from heyi.platform.retrying import retry_when_busy
from heyi.platform.services.audit import audit_record
from heyi.platform.services.records import check_version, record_create, record_update

from ..design import DesignError, check_flow, check_form
from ..errors import InvalidDesign
from ..models import ApprovalTemplate, TemplateVersion
from ..permissions import MANAGE_TEMPLATES
from ..registry import document_type as registered_type
from ..registry import outcome as registered_outcome
from ._common import check


def _checked(form: Any, flow: Any, outcome_key: str = "") -> None:
    try:
        check_flow(flow, check_form(form))
        if outcome_key:
            _outcome_fits(outcome_key, form)
    except DesignError as exc:
        raise InvalidDesign(
            _("The template cannot be saved: %(problems)s") % {"problems": exc},
            fields={k: list(v) for k, v in exc.problems.items()},
        )


def _outcome_fits(outcome_key: str, form: list[dict[str, Any]]) -> None:
    """The form carries every field the outcome reads, of the same type (a table with the same
    columns)."""
    wanted = registered_outcome(outcome_key)
    if wanted is None:
        raise DesignError({"outcome": [_("Unknown outcome.")]})
    have = {f["key"]: f for f in form}
    missing = []
    for field in wanted.fields:
        mine = have.get(field["key"])
        if mine is None or mine["type"] != field["type"]:
            missing.append(field)
        elif field["type"] == "table":
            columns = {c["key"]: c["type"] for c in mine.get("columns", [])}
            if any(columns.get(c["key"]) != c["type"] for c in field["columns"]):
                missing.append(field)
    if missing:
        names = ", ".join(f"{f['key']} ({f['type']})" for f in missing)
        raise DesignError(
            {"outcome": [_("The form needs these fields for this outcome: %(fields)s.") % {"fields": names}]}
        )


def _version_add(
    actor: User | None, company: Company, template: ApprovalTemplate, form: Any, flow: Any
) -> None:
    last = template.versions.order_by("-number").values_list("number", flat=True).first() or 0
    version = TemplateVersion.objects.create(
        company=company,
        template=template,
        number=last + 1,
        form=form,
        flow=flow,
        created_by=actor if actor is not None and actor.pk else None,
    )
    template.current_version = version
    template.save(update_fields=["current_version", "updated_at"])


def _form_for(doc_type_key: str, form: Any) -> Any:
    """A document's template reads the document's own fields; a free template has its own."""
    if not doc_type_key:
        return form
    doc_type = registered_type(doc_type_key)
    if doc_type is None:
        raise refuse("document_type", _("Unknown document type."))
    return doc_type.fields


@retry_when_busy
def approval_template_create(
    *,
    actor: User | None,
    company: Company,
    code: str,
    name: str,
    flow: dict[str, Any],
    form: list[dict[str, Any]] | None = None,
    document_type: str = "",
    category: str = "",
    description: str = "",
    outcome: str = "",
) -> ApprovalTemplate:
    check(actor, company, MANAGE_TEMPLATES)
    if outcome and document_type:
        raise refuse("outcome", _("A document's template approves the document; it has no other outcome."))
    form = _form_for(document_type, form or [])
    _checked(form, flow, outcome)
    try:
        with transaction.atomic():
            template = record_create(
                actor=actor,
                company=company,
                obj=ApprovalTemplate(
                    code=code,
                    name=name,
                    category=category,
                    description=description,
                    document_type=document_type,
                    outcome=outcome,
                ),
                validate_exclude=["current_version"],
            )
            _version_add(actor, company, template, form, flow)
    except IntegrityError:
        if ApprovalTemplate.objects.filter(company=company, code=code).exists():
            raise DuplicateValue(fields={"code": [_("Another template has this code.")]})
        raise Conflict(_("Another active template already approves this document type; deactivate it first."))
    return template


@retry_when_busy
def approval_template_update(
    *,
    actor: User | None,
    company: Company,
    template: ApprovalTemplate,
    version: int | None = None,
    name: str | None = None,
    description: str | None = None,
    category: str | None = None,
    is_active: bool | None = None,
    form: list[dict[str, Any]] | None = None,
    flow: dict[str, Any] | None = None,
) -> ApprovalTemplate:
    """Change a template; a new form or flow becomes a new version, and requests already under
    way keep the version they started with."""
    check(actor, company, MANAGE_TEMPLATES)
    try:
        with transaction.atomic():
            locked = ApprovalTemplate.objects.select_for_update().get(company=company, pk=template.pk)
            check_version(locked, version)
            data = {
                k: v
                for k, v in {
                    "name": name,
                    "description": description,
                    "category": category,
                    "is_active": is_active,
                }.items()
                if v is not None
            }
            changed = record_update(actor=actor, company=company, obj=locked, data=data, version=None)
            if form is not None or flow is not None:
                current = locked.current_version
                assert current is not None
                new_form = _form_for(locked.document_type, form if form is not None else current.form)
                new_flow = flow if flow is not None else current.flow
                _checked(new_form, new_flow, locked.outcome)
                if (new_form, new_flow) != (current.form, current.flow):
                    _version_add(actor, company, locked, new_form, new_flow)
                    if not changed:
                        locked.version += 1
                        locked.save(update_fields=["version", "updated_at"])
                    audit_record(
                        actor=actor,
                        company=company,
                        action="update",
                        obj=locked,
                        changes={"template_version": [current.number, current.number + 1]},
                    )
    except IntegrityError:
        raise Conflict(_("Another active template already approves this document type; deactivate it first."))
    return locked


def template_for_document(company: Company, document_type: str) -> ApprovalTemplate | None:
    return (
        ApprovalTemplate.objects.filter(
            company=company, document_type=document_type, is_active=True, current_version__isnull=False
        )
        .select_related("current_version")
        .first()
    )
