"""Signing in: one answer for an unknown user and a wrong password; throttled; audited."""

from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _t

from ..errors import DomainError
from ..models import User
from .audit import audit_security


class LoginFailed(DomainError):
    code = "invalid_credentials"
    status = 401
    default_message = _t("The username or password is not correct.")


class LockedOut(DomainError):
    code = "locked_out"
    status = 429
    default_message = _t("Too many failed sign-ins. Wait a while and try again.")


def user_login_check(*, request: HttpRequest, username: str, password: str) -> User:
    """Authenticate through the throttled backends; audit success and failure."""
    from axes.exceptions import AxesBackendPermissionDenied
    from axes.handlers.proxy import AxesProxyHandler

    if AxesProxyHandler.is_locked(request, credentials={"username": username}):
        audit_security(actor=None, company=None, action="login_locked", actor_name=username)
        raise LockedOut()
    try:
        user = authenticate(request=request, username=username, password=password)
    except AxesBackendPermissionDenied:
        audit_security(actor=None, company=None, action="login_locked", actor_name=username)
        raise LockedOut()
    if user is None:
        audit_security(actor=None, company=None, action="login_failed", actor_name=username)
        if getattr(request, "axes_locked_out", False):
            raise LockedOut()
        raise LoginFailed()
    audit_security(actor=user, company=user.default_company, action="login")
    return user
