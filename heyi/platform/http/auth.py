"""API authentication: a bearer token or the web session (with CSRF), then the active company.

A request that carries an Authorization header is judged by its token alone; the session
cookie is never consulted for it. The active company is the `X-Company` header or the user's
default; naming a company the user does not belong to is refused (403) and audited.
"""

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.errors import AuthenticationError, HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from .. import access
from ..errors import NotAMember
from ..middleware import default_company_for
from ..models import ApiToken, Company, User
from ..services.accounts import token_hash


def user_for_token(raw: str) -> User | None:
    record = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=token_hash(raw), revoked_at__isnull=True)
        .first()
    )
    if record is None or not record.user.is_active:
        return None
    now = timezone.now()
    if record.expires_at and record.expires_at < now:
        return None
    if record.last_used_at is None or (now - record.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=record.pk).update(last_used_at=now)
    return record.user


def resolve_company(request: HttpRequest, user: User) -> Company:
    from ..services.audit import audit_security

    wanted = request.headers.get("X-Company", "").strip()
    if wanted:
        company = Company.objects.filter(pk=wanted, is_active=True).first() if _is_uuid(wanted) else None
        if company is None or not access.is_member(user, company):
            audit_security(
                actor=user, company=company, action="company_switch_denied", detail={"x_company": wanted[:64]}
            )
            raise NotAMember()
        return company
    company = default_company_for(user)
    if company is None:
        raise NotAMember()
    return company


def _is_uuid(value: str) -> bool:
    import uuid

    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _enter(request: HttpRequest, user: User, module: str | None) -> User:
    company = resolve_company(request, user)
    access.require_module(company, module)
    request.company = company  # type: ignore[attr-defined]
    request.actor = user  # type: ignore[attr-defined]
    return user


class TokenAuth(HttpBearer):
    def __init__(self, module: str | None = None):
        self.module = module
        super().__init__()

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = user_for_token(token)
        if user is None:
            raise AuthenticationError()
        return _enter(request, user, self.module)


class CookieAuth(APIKeyCookie):
    """The web session, for htmx and the browsable docs; unsafe methods need the CSRF token."""

    param_name = "sessionid"

    def __init__(self, module: str | None = None):
        self.module = module
        super().__init__(csrf=False)

    def _get_key(self, request: HttpRequest) -> str | None:
        if "Authorization" in request.headers:
            return None
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if key is None or not request.user.is_authenticated:
            return None
        if check_csrf(request) is not None:
            raise HttpError(403, "CSRF check failed")
        return _enter(request, request.user, self.module)


def api_auth(module: str | None = None) -> list:
    return [TokenAuth(module), CookieAuth(module)]
