"""One error body for every 4xx: {"error": {"code", "message", "fields"}}."""

from typing import Any

from django.db import OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from ..errors import Busy, DomainError, NotPermitted
from ..middleware import is_busy_error


def error_body(code: str, message: Any, fields: dict | None = None) -> dict:
    return {"error": {"code": code, "message": str(message), "fields": fields or {}}}


def _field_path(loc: tuple) -> str:
    parts = [p for p in loc if p not in ("body", "payload", "query", "path", "header", "form", "file")]
    path = ""
    for p in parts:
        path += f"[{p}]" if isinstance(p, int) else (f".{p}" if path else str(p))
    return path or "non_field_errors"


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(DomainError)
    def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        if isinstance(exc, NotPermitted):
            from ..services.audit import audit_security

            audit_security(
                actor=getattr(request, "actor", None),
                company=getattr(request, "company", None),
                action="permission_denied",
                detail={"path": request.path, **exc.extra},
            )
        body = error_body(exc.code, exc.message, exc.fields)
        if exc.extra:
            body["error"]["detail"] = {k: str(v) for k, v in exc.extra.items() if k != "permission"}
        return api.create_response(request, body, status=exc.status)

    @api.exception_handler(NinjaValidationError)
    def validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        fields: dict[str, list[str]] = {}
        for err in exc.errors:
            fields.setdefault(_field_path(tuple(err.get("loc", ()))), []).append(str(err.get("msg", "")))
        return api.create_response(
            request, error_body("validation_error", _("Some fields are not valid."), fields), status=400
        )

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return api.create_response(
            request, error_body("not_authenticated", _("Sign in or send a valid token.")), status=401
        )

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return api.create_response(request, error_body("not_found", _("Not found.")), status=404)

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        code = {
            400: "bad_request",
            403: "forbidden",
            404: "not_found",
            409: "conflict",
            413: "too_large",
        }.get(exc.status_code, "error")
        return api.create_response(request, error_body(code, exc.message), status=exc.status_code)

    @api.exception_handler(OperationalError)
    def database_busy(request: HttpRequest, exc: OperationalError) -> HttpResponse:
        """SQLite's 'database is locked' and PostgreSQL serialization failures: retry later."""
        if is_busy_error(exc):
            response = api.create_response(request, error_body(Busy.code, Busy.default_message), status=503)
            response["Retry-After"] = "1"
            return response
        raise exc
