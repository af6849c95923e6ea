"""Company settings and module switches."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import access, modules
from ..errors import DomainError, NotFound, NotPermitted
from ..forms import CompanyForm, ModuleSwitchForm
from ..permissions import MANAGE_COMPANY, VIEW_COMPANY
from ..services import tenancy
from ..webkit import attach_errors, company_view


@company_view(perm=VIEW_COMPANY)
def company_settings(request: HttpRequest) -> HttpResponse:
    company = request.company
    form = CompanyForm(
        request.POST or None,
        initial={
            "name": company.name,
            "tax_number": company.tax_number,
            "time_zone": company.time_zone,
            "prices_include_tax": company.prices_include_tax,
        },
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                tenancy.company_update(actor=request.user, company=company, data=form.cleaned_data)
            except (NotFound, NotPermitted):
                raise
            except DomainError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("platform:company_settings")
        status = 400
    enabled = access.enabled_modules(company)
    ctx = {
        "title": _("Company settings"),
        "form": form,
        "can_manage": access.has_perm(request.user, company, MANAGE_COMPANY),
        "modules": [(code, label, code in enabled) for code, label in modules.MODULES.items()],
    }
    return render(request, "platform/company.html", ctx, status=status)


@company_view(perm=MANAGE_COMPANY)
@require_POST
def company_module(request: HttpRequest) -> HttpResponse:
    form = ModuleSwitchForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Unknown module."))
        return redirect("platform:company_settings")
    module, enabled = form.cleaned_data["module"], form.cleaned_data["enabled"]
    tenancy.company_module_set(actor=request.user, company=request.company, module=module, enabled=enabled)
    label = modules.MODULES[module]
    if enabled:
        messages.success(request, _("%(module)s is switched on.") % {"module": label})
    else:
        messages.success(
            request,
            _("%(module)s is switched off. Its data is kept and comes back when you switch it on.")
            % {"module": label},
        )
    return redirect("platform:company_settings")
