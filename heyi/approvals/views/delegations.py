"""Delegation while away: mine to create and end."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from heyi.platform import modules
from heyi.platform.errors import DomainError, NotFound, NotPermitted
from heyi.platform.webkit import (
    attach_errors,
    company_view,
    domain_error_page,
    run_action,
)

from .. import access
from ..forms import (
    DelegationForm,
)
from ..models import ApprovalInstance, Delegation
from ..permissions import SUBMIT
from ..services import delegations

OA = modules.OA
State = ApprovalInstance.State


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
