"""The finance permission an endpoint checks first, before any id is looked up, so a user
without it learns 403 rather than 404."""

from django.http import HttpRequest

from heyi.platform import access as platform_access

from ..permissions import MANAGE_PAYMENT, VIEW


def require_view(request: HttpRequest) -> None:
    platform_access.require_perm(request.actor, request.company, VIEW)


def require_manage_payment(request: HttpRequest) -> None:
    platform_access.require_perm(request.actor, request.company, MANAGE_PAYMENT)
