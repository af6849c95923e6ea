from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from heyi.platform import access
from heyi.platform.models import Company
from heyi.platform.services.audit import audit_security
from heyi.platform.webkit import company_view


@company_view()
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html", {})


@login_required
@require_POST
def switch_company(request: HttpRequest) -> HttpResponse:
    """Work in another company: only one the user belongs to; the session id rotates."""
    wanted = request.POST.get("company", "")
    company = Company.objects.filter(pk=wanted, is_active=True).first() if _uuid(wanted) else None
    if company is None or not access.is_member(request.user, company):
        audit_security(
            actor=request.user,
            company=getattr(request, "company", None),
            action="company_switch_denied",
            detail={"company": wanted[:64]},
        )
        return render(request, "web/error.html", {"title": "403", "error": None}, status=403)
    previous = getattr(request, "company", None)
    request.session.cycle_key()
    request.session["company_id"] = str(company.pk)
    audit_security(
        actor=request.user,
        company=company,
        action="company_switch",
        detail={"from": str(previous.pk) if previous else None, "to": str(company.pk)},
    )
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "web:home"
    return redirect(target)


def _uuid(value: str) -> bool:
    import uuid

    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


@company_view()
def notifications(request: HttpRequest) -> HttpResponse:
    from heyi.platform.models import Notification
    from heyi.platform.services.notifications import notifications_mark_read

    if request.method == "POST":
        notifications_mark_read(user=request.user, company=request.company)
        return redirect("web:notifications")
    items = Notification.objects.filter(company=request.company, recipient=request.user).order_by(
        "-created_at"
    )[:100]
    return render(request, "web/notifications.html", {"items": items})
