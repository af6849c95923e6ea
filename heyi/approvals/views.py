"""The engine's pages (OA module): the overview, the inboxes, a request with its flow and the
decisions the user may take, new requests, the template designer and delegations."""

import json
from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from heyi.platform import modules
from heyi.platform.access import has_perm
from heyi.platform.errors import DomainError, NotFound, NotPermitted
from heyi.platform.models import Department, User
from heyi.platform.registry import record_key
from heyi.platform.webkit import (
    Column,
    Filter,
    ListSpec,
    attach_errors,
    company_view,
    domain_error_page,
    list_page,
    run_action,
)

from . import access, selectors
from .errors import InvalidValues
from .forms import (
    AddSignerForm,
    BranchRowForm,
    CommentForm,
    DecisionForm,
    DelegationForm,
    FieldRowForm,
    FlowJsonForm,
    PersonForm,
    RequestForm,
    ReturnForm,
    StepRowForm,
    TemplateHeaderForm,
    branch_numbers,
    flow_from_rows,
    form_fits_rows,
    form_from_rows,
    outcome_help,
    rows_from_flow,
    rows_from_form,
)
from .models import ApprovalInstance, ApprovalTask, ApprovalTemplate, Delegation
from .permissions import MANAGE_TEMPLATES, SUBMIT, VIEW_ALL
from .registry import outcome as outcome_named
from .services import delegations, instances, tasks, templates

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


def _display_values(company, form: list[dict[str, Any]], values: dict[str, Any]) -> list[dict[str, Any]]:
    """The form values with labels, people and departments by name, tables as rows."""
    ids = {str(v) for f in form if f["type"] in ("person", "department") for v in [values.get(f["key"])] if v}
    for f in form:
        if f["type"] == "table":
            for row in values.get(f["key"]) or []:
                ids |= {str(row.get(c["key"])) for c in f["columns"] if c["type"] in ("person", "department")}
    names: dict[str, str] = {}
    if ids:
        valid = [i for i in ids if len(i) == 36]
        names.update(
            {str(u.pk): str(u) for u in User.objects.filter(pk__in=valid, memberships__company=company)}
        )
        names.update({str(d.pk): d.name for d in Department.objects.filter(company=company, pk__in=valid)})

    def text(field: dict[str, Any], value: Any) -> str:
        if value in (None, "", []):
            return ""
        if field["type"] in ("person", "department"):
            return names.get(str(value), str(value))
        if field["type"] == "date_range":
            return f"{value[0]} – {value[1]}"
        if field["type"] == "attachment":
            return _("%(n)d file(s)") % {"n": len(value)}
        return str(value)

    shown = []
    for field in form:
        value = values.get(field["key"])
        if field["type"] == "table":
            shown.append(
                {
                    "label": selectors.field_label(field),
                    "table": {
                        "columns": [selectors.field_label(c) for c in field["columns"]],
                        "rows": [
                            [text(c, row.get(c["key"])) for c in field["columns"]] for row in value or []
                        ],
                    },
                }
            )
        else:
            shown.append({"label": selectors.field_label(field), "value": text(field, value)})
    return shown


def _my_task(user, company, instance: ApprovalInstance) -> ApprovalTask | None:
    if instance.state != State.RUNNING:
        return None
    return ApprovalTask.objects.filter(
        company=company,
        instance=instance,
        assignee=user,
        activation=instance.activation,
        state=ApprovalTask.State.PENDING,
    ).first()


def _return_targets(instance: ApprovalInstance, route: list[dict[str, Any]]) -> list[tuple[str, str]]:
    earlier = []
    for node in route:
        if node["status"] == "current":
            break
        if node["type"] == "approve":
            earlier.append((node["id"], node["name"] or node["id"]))
    return earlier


@company_view(perm=SUBMIT, module=OA)
def instance_detail(request: HttpRequest, pk) -> HttpResponse:
    user, company = request.user, request.company
    instance = access.access_instance(user=user, company=company, id=pk)
    instance = selectors.all_visible(user, company).get(pk=instance.pk)
    route = selectors.instance_route(instance)
    task = _my_task(user, company, instance)
    mine = instance.submitter_id == user.pk
    initial = {"version": instance.version}
    forms: dict[str, Any] = {}
    if task is not None:
        forms = {
            "approve": DecisionForm(initial=initial, prefix="approve"),
            "reject": DecisionForm(initial=initial, prefix="reject"),
            "return": ReturnForm(initial=initial, targets=_return_targets(instance, route), prefix="return"),
            "transfer": PersonForm(company, initial=initial, prefix="transfer"),
            "add_signer": AddSignerForm(company, initial=initial, prefix="add_signer"),
        }
    if mine and instance.is_open:
        forms["withdraw"] = DecisionForm(initial=initial, prefix="withdraw")
    forms["comment"] = CommentForm(prefix="comment")
    actions = instance.actions.select_related("actor").order_by("sequence")
    return render(
        request,
        "approvals/instance_detail.html",
        {
            "title": f"{instance.number} {instance.title}",
            "obj": instance,
            "instance": instance,
            "values": _display_values(company, instance.template_version.form, instance.values),
            "route": route,
            "task": task,
            "forms": forms,
            "can_resubmit": mine and instance.state == State.RETURNED,
            "can_urge": mine and instance.state == State.RUNNING,
            "log": actions,
            "record_key": record_key(instance),
        },
    )


ACTION_FORMS: dict[str, Any] = {
    "approve": DecisionForm,
    "reject": DecisionForm,
    "return": ReturnForm,
    "transfer": PersonForm,
    "add_signer": AddSignerForm,
    "withdraw": DecisionForm,
    "comment": CommentForm,
    "urge": None,
}


def _run(request: HttpRequest, instance: ApprovalInstance, action: str, data: dict[str, Any]) -> None:
    actor, company = request.user, request.company
    common = {"actor": actor, "company": company, "instance": instance}
    comment = data.get("comment", "")
    version = data.get("version")
    if action == "approve":
        tasks.approval_task_approve(**common, comment=comment, version=version)
    elif action == "reject":
        tasks.approval_task_reject(**common, comment=comment, version=version)
    elif action == "return":
        tasks.approval_task_return(**common, to=data["to"], comment=comment, version=version)
    elif action == "transfer":
        tasks.approval_task_transfer(**common, to=data["user"], comment=comment, version=version)
    elif action == "add_signer":
        tasks.approval_task_add_signer(
            **common, signer=data["user"], position=data["position"], comment=comment, version=version
        )
    elif action == "withdraw":
        instances.approval_withdraw(**common, comment=comment, version=version)
    elif action == "comment":
        instances.approval_comment(**common, comment=comment)
    else:
        instances.approval_urge(**common)


DONE_MESSAGES = {
    "approve": _("Approved."),
    "reject": _("Rejected."),
    "return": _("Returned."),
    "transfer": _("Handed over."),
    "add_signer": _("Signer added."),
    "withdraw": _("Withdrawn."),
    "comment": _("Comment added."),
    "urge": _("The approvers were reminded."),
}


@require_POST
@company_view(perm=SUBMIT, module=OA)
def instance_act(request: HttpRequest, pk, action: str) -> HttpResponse:
    """One decision button of the request page; the engine's refusal shows as a message."""
    if action not in ACTION_FORMS:
        return domain_error_page(request, NotFound())
    instance = access.access_instance(user=request.user, company=request.company, id=pk)
    detail = reverse("approvals:instance_detail", args=[pk])
    form_class = ACTION_FORMS[action]
    data: dict[str, Any] = {}
    if form_class is not None:
        kwargs: dict[str, Any] = {"prefix": action}
        if form_class is ReturnForm:
            route = selectors.instance_route(instance)
            kwargs["targets"] = _return_targets(instance, route)
        form = (
            form_class(request.company, request.POST, **kwargs)
            if form_class in (PersonForm, AddSignerForm)
            else form_class(request.POST, **kwargs)
        )
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return redirect(detail)
        data = form.cleaned_data
    return run_action(
        request, lambda: _run(request, instance, action, data), detail, lambda: DONE_MESSAGES[action]
    )


# New requests


@company_view(perm=SUBMIT, module=OA)
def request_start(request: HttpRequest) -> HttpResponse:
    """The free templates a request can be started from."""
    found = (
        access.templates_visible(user=request.user, company=request.company)
        .filter(is_active=True, document_type="", current_version__isnull=False)
        .order_by("category", "name")
    )
    return render(request, "approvals/request_start.html", {"title": _("New request"), "templates": found})


def _request_form_page(
    request: HttpRequest, *, form: RequestForm, title: Any, save, back_url: str
) -> HttpResponse:
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                done = save(form)
            except InvalidValues as exc:
                form.attach_value_errors(exc.fields)
            except DomainError as exc:
                if isinstance(exc, NotFound | NotPermitted):
                    return domain_error_page(request, exc)
                attach_errors(form, exc)
            else:
                messages.success(request, _("Submitted."))
                return redirect("approvals:instance_detail", pk=done.pk)
        status = 400
    has_attachments = any(f["type"] == "attachment" for f in form.template_form)
    return render(
        request,
        "approvals/request_form.html",
        {"title": title, "form": form, "back_url": back_url, "has_attachments": has_attachments},
        status=status,
    )


@company_view(perm=SUBMIT, module=OA)
def request_create(request: HttpRequest, template_pk) -> HttpResponse:
    template = access.access_template(user=request.user, company=request.company, id=template_pk)
    if template.current_version is None:
        return domain_error_page(request, NotFound())
    form = RequestForm(request.company, template.current_version.form, request.POST or None)
    return _request_form_page(
        request,
        form=form,
        title=template.name,
        save=lambda f: instances.approval_instance_create(
            actor=request.user,
            company=request.company,
            template=template,
            values=f.values(),
            title=f.cleaned_data["title"],
        ),
        back_url=reverse("approvals:request_start"),
    )


@company_view(perm=SUBMIT, module=OA)
def request_resubmit(request: HttpRequest, pk) -> HttpResponse:
    """A request returned to its submitter, revised and sent round again."""
    instance = access.access_instance(user=request.user, company=request.company, id=pk)
    form = RequestForm(
        request.company,
        instance.template_version.form,
        request.POST or None,
        values=instance.values,
        initial={"title": instance.title, "version": instance.version},
    )
    form.fields["title"].disabled = True
    return _request_form_page(
        request,
        form=form,
        title=_("Resubmit %(number)s") % {"number": instance.number},
        save=lambda f: instances.approval_resubmit(
            actor=request.user,
            company=request.company,
            instance=instance,
            values=None if instance.document_type else f.values(),
            version=f.cleaned_data.get("version"),
        ),
        back_url=reverse("approvals:instance_detail", args=[pk]),
    )


# Templates


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


@company_view(perm=SUBMIT, module=OA)
def delegation_list(request: HttpRequest) -> HttpResponse:
    """My delegations while away, and a form to add one."""
    form = DelegationForm(request.company, request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                delegations.delegation_create(
                    actor=request.user,
                    company=request.company,
                    deputy=data["deputy"],
                    start=data["start"],
                    end=data["end"],
                    template=data["template"],
                )
            except DomainError as exc:
                if isinstance(exc, NotFound | NotPermitted):
                    return domain_error_page(request, exc)
                attach_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("approvals:delegation_list")
        status = 400
    rows = Delegation.objects.filter(company=request.company, user=request.user).select_related(
        "deputy", "template"
    )
    return render(
        request,
        "approvals/delegations.html",
        {"title": _("Delegation while away"), "form": form, "delegations": rows.order_by("-start")},
        status=status,
    )


@require_POST
@company_view(perm=SUBMIT, module=OA)
def delegation_end(request: HttpRequest, pk) -> HttpResponse:
    delegation = access.access_delegation(user=request.user, company=request.company, id=pk)
    return run_action(
        request,
        lambda: delegations.delegation_end(
            actor=request.user, company=request.company, delegation=delegation
        ),
        reverse("approvals:delegation_list"),
        lambda: _("Delegation ended."),
    )
