"""A request with its flow and the decisions the user may take; new requests and resubmission."""

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from heyi.platform import modules
from heyi.platform.errors import DomainError, NotFound, NotPermitted
from heyi.platform.models import Department, User
from heyi.platform.registry import record_key
from heyi.platform.webkit import (
    attach_errors,
    company_view,
    domain_error_page,
    run_action,
)

from .. import access, selectors
from ..errors import InvalidValues
from ..forms import (
    AddSignerForm,
    CommentForm,
    DecisionForm,
    PersonForm,
    RequestForm,
    ReturnForm,
)
from ..models import ApprovalInstance, ApprovalTask
from ..permissions import SUBMIT
from ..services import instances, tasks

OA = modules.OA
State = ApprovalInstance.State


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
