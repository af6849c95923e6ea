"""Approval templates: the list, the designer of rows and the JSON view."""

import json
from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from heyi.platform import modules
from heyi.platform.errors import DomainError, NotFound, NotPermitted
from heyi.platform.webkit import (
    Column,
    Filter,
    ListSpec,
    company_view,
    domain_error_page,
    list_page,
)

from .. import access, selectors
from ..designer import (
    branch_numbers,
    flow_from_rows,
    form_fits_rows,
    form_from_rows,
    rows_from_flow,
    rows_from_form,
)
from ..forms import (
    BranchRowForm,
    FieldRowForm,
    FlowJsonForm,
    StepRowForm,
    TemplateHeaderForm,
    outcome_help,
)
from ..models import ApprovalInstance, ApprovalTemplate
from ..permissions import MANAGE_TEMPLATES
from ..registry import outcome as outcome_named
from ..services import templates

OA = modules.OA
State = ApprovalInstance.State


def _outcome_label(template: ApprovalTemplate) -> str:
    found = outcome_named(template.outcome) if template.outcome else None
    return str(found.label) if found else template.outcome


@company_view(perm=MANAGE_TEMPLATES, module=OA)
def template_list(request: HttpRequest) -> HttpResponse:
    qs = access.templates_visible(user=request.user, company=request.company).select_related(
        "current_version"
    )
    spec = ListSpec(
        title=_("Approval templates"),
        columns=[
            Column("name", _("Name"), link=True),
            Column("code", _("Code")),
            Column("category", _("Category")),
            Column("document_type", _("Document type"), value=lambda t: t.document_type or _("Free form")),
            Column("outcome", _("On approval"), value=_outcome_label),
            Column(
                "current_version",
                _("Version"),
                value=lambda t: t.current_version.number if t.current_version_id else "",
            ),
            Column("is_active", _("Active")),
        ],
        search_fields=("code", "name", "description"),
        ordering_fields=("name", "code", "category", "created_at"),
        default_ordering="name",
        filters=[Filter("is_active", _("Active"), [("True", _("Yes")), ("False", _("No"))])],
        create_url=reverse("approvals:template_create"),
        export_name="approval-templates",
        row_url=lambda t: reverse("approvals:template_edit", args=[t.pk]),
    )
    return list_page(request, qs, spec)


class _CompanyFormSet(django_forms.BaseFormSet):
    def __init__(self, *args, company=None, branches: int | None = None, **kwargs):
        self.company = company
        self.branches = branches
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        kwargs: dict[str, Any] = {}
        if self.company is not None:
            kwargs["company"] = self.company
        if self.branches is not None:
            kwargs["branches"] = self.branches
        return kwargs


def _kept(formset) -> list[tuple[django_forms.Form, dict[str, Any]]]:
    """The rows filled in and not removed, in order (blank extra rows have no cleaned data)."""
    return [(f, f.cleaned_data) for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]


class _BranchFormSet(_CompanyFormSet):
    """Rule rows; the branch numbers must run 1, 2, 3… so that a step's “Branch n” is clear."""

    def clean(self):
        if any(self.errors):
            return
        numbers = sorted(set(branch_numbers([d for _f, d in _kept(self)])))
        if numbers != list(range(1, len(numbers) + 1)):
            raise django_forms.ValidationError(_("Number the branches 1, 2, 3… without gaps."))


def _formset(
    form_class, data, prefix: str, initial: list[dict], extra: int, formset=_CompanyFormSet, **kwargs
):
    cls = django_forms.formset_factory(form_class, formset=formset, extra=extra, can_delete=True, max_num=100)
    return cls(data, initial=initial, prefix=prefix, **kwargs)


def _with_more_rows(data, prefix: str):
    more = data.copy()
    more[f"{prefix}-TOTAL_FORMS"] = str(int(more.get(f"{prefix}-TOTAL_FORMS", "0")) + 1)
    return more


def _designer_errors(exc: DomainError, header, fields_kept, steps_kept, branch_set, row_node) -> None:
    node_row = {
        node: form for index, (form, _data) in enumerate(steps_kept) for node in [row_node.get(index)] if node
    }
    if not exc.fields:
        header.add_error(None, str(exc.message))
    for name, errors in exc.fields.items():
        target: Any = None
        field_name: str | None = None
        if name.startswith("form[") and "]" in name:
            index = int(name[5 : name.index("]")])
            target = fields_kept[index][0] if index < len(fields_kept) else None
        elif name in node_row:
            target = node_row[name]
        elif name == "split":
            target = branch_set.forms[0] if branch_set.forms else None
        elif name in header.fields:
            target, field_name = header, name
        for error in errors:
            (target or header).add_error(field_name, error)


def _designer(request: HttpRequest, template: ApprovalTemplate | None) -> HttpResponse:
    company = request.company
    version = template.current_version if template else None
    form, flow = (version.form, version.flow) if version else ([], {"nodes": []})
    rows = rows_from_flow(flow) if version else ([], [])
    if rows is None or not form_fits_rows(form):
        messages.info(request, _("This design goes beyond what the rows can show; edit it as JSON."))
        return redirect("approvals:template_json", pk=template.pk)  # type: ignore[union-attr]
    step_rows, branch_rows = rows
    data = request.POST if request.method == "POST" else None
    adding = next(
        (p for p in ("fields", "steps", "branches") if data is not None and f"add_{p}" in data), None
    )
    if adding:
        data = _with_more_rows(data, adding)
    header = TemplateHeaderForm(
        data,
        initial={
            "code": template.code if template else "",
            "name": template.name if template else "",
            "category": template.category if template else "",
            "description": template.description if template else "",
            "is_active": template.is_active if template else True,
            "outcome": template.outcome if template else "",
            "empty_approver": flow.get("empty_approver", "skip"),
            "dedupe": flow.get("dedupe", True),
            "version": template.version if template else None,
        },
        fixed_outcome=template is not None,
    )
    if template is not None:
        header.fields["code"].disabled = True
    field_set = _formset(FieldRowForm, data, "fields", rows_from_form(form), extra=2)
    branch_set = _formset(
        BranchRowForm, data, "branches", branch_rows, extra=2, formset=_BranchFormSet, company=company
    )
    rules = (
        [
            f.cleaned_data
            for f in branch_set.forms
            if f.is_valid() and f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        if data is not None
        else branch_rows
    )
    branch_count = max(branch_numbers(rules), default=0)
    step_set = _formset(
        StepRowForm,
        data,
        "steps",
        step_rows,
        extra=2,
        company=company,
        branches=max(branch_count, max(branch_numbers(branch_rows), default=0)),
    )
    status = 200
    if data is not None and not adding:
        if header.is_valid() and field_set.is_valid() and branch_set.is_valid() and step_set.is_valid():
            fields_kept, steps_kept, branches_kept = _kept(field_set), _kept(step_set), _kept(branch_set)
            new_form = form_from_rows([d for _f, d in fields_kept])
            new_flow, row_node = flow_from_rows(
                [d for _f, d in steps_kept],
                [d for _f, d in branches_kept],
                header.cleaned_data["empty_approver"],
                header.cleaned_data["dedupe"],
            )
            head = header.cleaned_data
            try:
                if template is None:
                    saved = templates.approval_template_create(
                        actor=request.user,
                        company=company,
                        code=head["code"],
                        name=head["name"],
                        category=head["category"],
                        description=head["description"],
                        outcome=head["outcome"],
                        form=new_form,
                        flow=new_flow,
                    )
                else:
                    saved = templates.approval_template_update(
                        actor=request.user,
                        company=company,
                        template=template,
                        version=head.get("version"),
                        name=head["name"],
                        category=head["category"],
                        description=head["description"],
                        is_active=head["is_active"],
                        form=new_form,
                        flow=new_flow,
                    )
            except DomainError as exc:
                if isinstance(exc, NotFound | NotPermitted):
                    return domain_error_page(request, exc)
                _designer_errors(exc, header, fields_kept, steps_kept, branch_set, row_node)
            else:
                messages.success(request, _("Saved."))
                return redirect("approvals:template_edit", pk=saved.pk)
        status = 400
    return render(
        request,
        "approvals/template_designer.html",
        {
            "title": template.name if template else _("New approval template"),
            "template_obj": template,
            "header": header,
            "field_set": field_set,
            "step_set": step_set,
            "branch_set": branch_set,
            "back_url": reverse("approvals:template_list"),
        },
        status=status,
    )


@company_view(perm=MANAGE_TEMPLATES, module=OA)
def template_create(request: HttpRequest) -> HttpResponse:
    return _designer(request, None)


@company_view(perm=MANAGE_TEMPLATES, module=OA)
def template_edit(request: HttpRequest, pk) -> HttpResponse:
    template = access.access_template(user=request.user, company=request.company, id=pk)
    if template.document_type:
        messages.info(request, _("A document's template reads the document's fields; edit its flow as JSON."))
        return redirect("approvals:template_json", pk=pk)
    return _designer(request, template)


@company_view(perm=MANAGE_TEMPLATES, module=OA)
def template_json(request: HttpRequest, pk) -> HttpResponse:
    """The template's form and flow as the engine stores them, for flows the rows cannot show."""
    template = access.access_template(user=request.user, company=request.company, id=pk)
    current = template.current_version
    form = FlowJsonForm(
        request.POST or None,
        initial={
            "form": json.dumps(current.form if current else [], ensure_ascii=False, indent=2),
            "flow": json.dumps(current.flow if current else {}, ensure_ascii=False, indent=2),
            "version": template.version,
        },
    )
    if template.document_type:
        form.fields["form"].disabled = True
        form.fields["form"].help_text = _("The document's fields, read-only: %(fields)s.") % {
            "fields": "; ".join(
                f"{f['key']} ({f['label']})" for f in selectors.form_read(current.form if current else [])
            )
        }
    elif template.outcome:
        found = outcome_named(template.outcome)
        form.fields["form"].help_text = _("On approval: %(outcome)s. %(needs)s") % {
            "outcome": found.label if found else template.outcome,
            "needs": outcome_help(template.outcome),
        }
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                templates.approval_template_update(
                    actor=request.user,
                    company=request.company,
                    template=template,
                    version=form.cleaned_data.get("version"),
                    form=None if template.document_type else form.cleaned_data["form"],
                    flow=form.cleaned_data["flow"],
                )
            except DomainError as exc:
                if isinstance(exc, NotFound | NotPermitted):
                    return domain_error_page(request, exc)
                for name, errors in exc.fields.items():
                    for error in errors:
                        form.add_error("form" if name.startswith("form") else "flow", f"{name}: {error}")
                if not exc.fields:
                    form.add_error(None, str(exc.message))
            else:
                messages.success(request, _("Saved."))
                return redirect("approvals:template_json", pk=pk)
        status = 400
    return render(
        request,
        "web/form.html",
        {
            "form": form,
            "title": _("%(name)s: form and flow as JSON") % {"name": template.name},
            "back_url": reverse("approvals:template_list"),
        },
        status=status,
    )


# Delegations
