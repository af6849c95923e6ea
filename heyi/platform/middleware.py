import uuid

from django.http import HttpRequest, HttpResponse

from . import context
from .models import Company, Membership


def client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


class RequestContextMiddleware:
    """Marks everything done while handling a request with its source, address and id.

    A database that is momentarily busy (SQLite's lock, a PostgreSQL deadlock or serialization
    failure) answers 503 with Retry-After instead of a 500; the action was rolled back whole.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        from django.db import OperationalError
        from django.shortcuts import render

        from .errors import Busy

        if isinstance(exception, OperationalError) and is_busy_error(exception):
            response = render(
                request, "web/error.html", {"error": Busy(), "title": Busy.default_message}, status=503
            )
            response["Retry-After"] = "1"
            return response
        return None

    def __call__(self, request: HttpRequest) -> HttpResponse:
        source = "api" if request.path.startswith("/api/") else "web"
        request_id = request.headers.get("X-Request-Id", "")[:64] or uuid.uuid4().hex
        token = context.set_current(
            context.RequestContext(source=source, ip=client_ip(request), request_id=request_id)
        )
        try:
            response = refuse_nul(request, source) if carries_nul(request) else self.get_response(request)
        finally:
            context.reset(token)
        response["X-Request-Id"] = request_id
        return response


def carries_nul(request: HttpRequest) -> bool:
    """PostgreSQL can neither store nor compare a NUL character, so one in a query parameter or
    a JSON body would end in a database error; it is refused at the door instead."""
    if any("\x00" in key or any("\x00" in v for v in values) for key, values in request.GET.lists()):
        return True
    return request.content_type == "application/json" and b"\\u0000" in request.body


def refuse_nul(request: HttpRequest, source: str) -> HttpResponse:
    from django.http import HttpResponseBadRequest, JsonResponse
    from django.utils.translation import gettext as _

    from .http.errors import error_body

    message = _("The request contains a NUL character, which is not allowed.")
    if source == "api":
        return JsonResponse(error_body("validation_error", message), status=400)
    return HttpResponseBadRequest(message)


def is_busy_error(exc: Exception) -> bool:
    text = str(exc).lower()
    return "locked" in text or "deadlock" in text or "could not serialize" in text


def default_company_for(user) -> Company | None:
    """The user's default company if they still belong to it, else their first one."""
    memberships = Membership.objects.filter(
        user=user, is_active=True, company__is_active=True
    ).select_related("company")
    chosen = None
    for membership in memberships:
        if membership.company_id == user.default_company_id:
            return membership.company
        chosen = chosen or membership.company
    return chosen


class ActiveCompanyMiddleware:
    """The web session works in one company at a time: the one chosen in the switcher."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.company = None  # type: ignore[attr-defined]
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path.startswith("/api/"):
            company_id = request.session.get("company_id")
            company = None
            if company_id:
                membership = (
                    Membership.objects.filter(
                        user=user, company_id=company_id, is_active=True, company__is_active=True
                    )
                    .select_related("company")
                    .first()
                )
                company = membership.company if membership else None
            if company is None:
                company = default_company_for(user)
                if company is not None:
                    request.session["company_id"] = str(company.pk)
            request.company = company  # type: ignore[attr-defined]
        return self.get_response(request)
