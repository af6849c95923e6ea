"""Outgoing webhooks: subscriptions, one delivery per (webhook, event), and sending them.

A URL is checked when it is saved and again before every delivery, because DNS may have
changed in between: http(s) only, every address the host resolves to must be public, and the
connection goes to the address that was checked. Redirects are not followed and no proxy is
used. The body is signed with HMAC-SHA256 (`X-Heyi-Signature: sha256=<hex>`). A failed
delivery is tried again with backoff; a delivered one is never sent again.
"""

import datetime
import functools
import hashlib
import hmac
import http.client
import ipaddress
import json
import secrets
import socket
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import access, eventbus, txcache
from ..errors import ValidationFailed
from ..models import Company, OutboxEvent, User, Webhook, WebhookDelivery
from ..permissions import register_permissions
from ..registry import RecordType, register_record_type
from .audit import audit_record
from .records import record_update, validate

MANAGE_WEBHOOKS = "platform.manage_webhooks"
register_permissions({MANAGE_WEBHOOKS: _("Manage outgoing webhooks")})
register_record_type(
    RecordType(
        key="platform.webhook",
        model=Webhook,
        label=_("Webhook"),
        view_permission=MANAGE_WEBHOOKS,
        detail_url_name="platform:webhook_detail",
    )
)

TIMEOUT_SECONDS = 5
MAX_ATTEMPTS = 8
CLAIM_LEASE = datetime.timedelta(minutes=2)
NAT64 = ipaddress.ip_network("64:ff9b::/96")


def backoff(attempts: int) -> datetime.timedelta:
    return datetime.timedelta(seconds=min(6 * 3600, 30 * 2 ** max(0, attempts - 1)))


class UnsafeUrl(Exception):
    pass


@dataclass(frozen=True)
class Target:
    host: str
    port: int
    address: str


def resolve_host(host: str, port: int) -> list[str]:
    return [str(info[4][0]) for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)]


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    if ip in NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def address_allowed(address: str) -> bool:
    """Public unicast only; loopback too when HEYI_WEBHOOK_ALLOW_PRIVATE is on (a local receiver)."""
    try:
        ip: ipaddress.IPv4Address | ipaddress.IPv6Address = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address):
        inner = _embedded_ipv4(ip)
        if inner is not None:
            return address_allowed(str(inner))
    if ip.is_loopback:
        return bool(settings.HEYI_WEBHOOK_ALLOW_PRIVATE)
    return not (
        ip.is_private
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or not ip.is_global
    )


def url_target(url: str) -> Target:
    """Where a webhook URL may be sent, or UnsafeUrl with the reason."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise UnsafeUrl(_("Only http and https URLs are allowed."))
    if parts.username is not None or parts.password is not None:
        raise UnsafeUrl(_("User names and passwords in the URL are not allowed; use the signing secret."))
    host = parts.hostname
    if not host:
        raise UnsafeUrl(_("The URL has no host."))
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        addresses = resolve_host(host, port)
    except (OSError, UnicodeError, ValueError):
        raise UnsafeUrl(_("The host name cannot be resolved."))
    if not addresses:
        raise UnsafeUrl(_("The host name cannot be resolved."))
    if not all(address_allowed(a) for a in addresses):
        raise UnsafeUrl(_("The URL points to a local, private or reserved address."))
    return Target(host=host, port=port, address=addresses[0])


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, *args: Any, address: str, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, *args: Any, address: str, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def _opener(address: str) -> urllib.request.OpenerDirector:
    class PinnedHTTP(urllib.request.HTTPHandler):
        def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
            return self.do_open(functools.partial(_PinnedHTTPConnection, address=address), req)

    class PinnedHTTPS(urllib.request.HTTPSHandler):
        def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
            return self.do_open(
                functools.partial(_PinnedHTTPSConnection, address=address),
                req,
                context=self._context,  # type: ignore[attr-defined]
            )

    return urllib.request.build_opener(
        urllib.request.ProxyHandler({}), _NoRedirect(), PinnedHTTP(), PinnedHTTPS()
    )


def post_json(url: str, *, address: str, body: bytes, headers: dict[str, str]) -> int:
    """POST to `url`, connecting to `address` only; returns the HTTP status (3xx not followed)."""
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with _opener(address).open(request, timeout=TIMEOUT_SECONDS) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        exc.close()
        return int(exc.code)


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def event_body(event: OutboxEvent) -> bytes:
    """The event as `/api/v1/events` shows it, plus the company."""
    return json.dumps(
        {
            "id": str(event.pk),
            "type": event.type,
            "occurred_at": event.occurred_at.isoformat(),
            "company": str(event.company_id),
            "actor": event.actor.username if event.actor is not None else None,
            "subject": {"type": event.subject_type, "id": event.subject_id},
            "data": event.data,
        },
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode()


# Subscriptions ---------------------------------------------------------------------------


def access_webhook(*, user: User, company: Company, id: Any, for_update: bool = False) -> Webhook:
    return access.access_record(
        Webhook, user=user, company=company, id=id, perm=MANAGE_WEBHOOKS, for_update=for_update
    )


def webhook_url_check(url: str) -> None:
    try:
        url_target(url)
    except UnsafeUrl as exc:
        raise ValidationFailed(fields={"url": [str(exc)]})


def _event_types(types: list[str]) -> list[str]:
    wanted = sorted({t.strip() for t in types if t.strip()})
    if not wanted:
        raise ValidationFailed(fields={"event_types": [str(_("Choose at least one event type."))]})
    unknown = [t for t in wanted if t != Webhook.ALL_EVENTS and t not in eventbus.event_types()]
    if unknown:
        raise ValidationFailed(
            fields={"event_types": [str(_("Unknown event type: %s")) % ", ".join(unknown)[:300]]}
        )
    return wanted


def webhook_create(
    *,
    actor: User,
    company: Company,
    url: str,
    event_types: list[str],
    description: str = "",
    is_active: bool = True,
) -> Webhook:
    """A new subscription with a fresh signing secret (the secret is never audited)."""
    access.require_perm(actor, company, MANAGE_WEBHOOKS)
    webhook = Webhook(
        company=company,
        url=url.strip(),
        event_types=_event_types(event_types),
        description=description,
        is_active=is_active,
        secret=secrets.token_urlsafe(32),
    )
    validate(webhook)
    webhook_url_check(webhook.url)
    with transaction.atomic():
        webhook.save(force_insert=True)
        audit_record(
            actor=actor,
            company=company,
            action="create",
            obj=webhook,
            changes={
                "url": [None, webhook.url],
                "event_types": [None, webhook.event_types],
                "is_active": [None, is_active],
            },
        )
    return webhook


def webhook_update(
    *, actor: User, company: Company, webhook: Webhook, data: dict[str, Any], version: int | None
) -> Webhook:
    access.require_perm(actor, company, MANAGE_WEBHOOKS)
    data = {k: v for k, v in data.items() if k in {"url", "event_types", "description", "is_active"}}
    if "event_types" in data:
        data["event_types"] = _event_types(data["event_types"])
    if "url" in data:
        data["url"] = data["url"].strip()
        webhook_url_check(data["url"])
    with transaction.atomic():
        locked = access_webhook(user=actor, company=company, id=webhook.pk, for_update=True)
        record_update(actor=actor, company=company, obj=locked, data=data, version=version)
    return locked


def webhook_secret_rotate(*, actor: User, company: Company, webhook: Webhook) -> Webhook:
    access.require_perm(actor, company, MANAGE_WEBHOOKS)
    with transaction.atomic():
        locked = access_webhook(user=actor, company=company, id=webhook.pk, for_update=True)
        locked.secret = secrets.token_urlsafe(32)
        locked.version += 1
        locked.save(update_fields=["secret", "version", "updated_at"])
        audit_record(actor=actor, company=company, action="secret_rotate", obj=locked)
    return locked


def webhook_delete(*, actor: User, company: Company, webhook: Webhook) -> None:
    """Gone with its delivery log; the audit trail keeps that it existed."""
    access.require_perm(actor, company, MANAGE_WEBHOOKS)
    with transaction.atomic():
        locked = access_webhook(user=actor, company=company, id=webhook.pk, for_update=True)
        audit_record(
            actor=actor,
            company=company,
            action="delete",
            obj=locked,
            changes={"url": [locked.url, None], "event_types": [locked.event_types, None]},
        )
        locked.delete()


# Deliveries ------------------------------------------------------------------------------


def _company_has_webhooks(event: eventbus.DomainEvent | OutboxEvent) -> bool:
    """Asked for every event published; answered once per company and transaction."""
    return txcache.remembered(
        ("webhooks", str(event.company_id)),
        Webhook.objects.filter(company_id=event.company_id, is_active=True).exists,
    )


@receiver([post_save, post_delete], sender=Webhook)
def _webhooks_changed(sender: type[Webhook], instance: Webhook, **kwargs: Any) -> None:
    txcache.forget(("webhooks", str(instance.company_id)))


@eventbus.subscribe_all(wants=_company_has_webhooks)
def webhook_deliveries_plan(event: OutboxEvent) -> None:
    """Outbox handler: a pending delivery for each active webhook that wants this event."""
    for webhook in Webhook.objects.filter(company_id=event.company_id, is_active=True):
        if webhook.wants(event.type):
            WebhookDelivery.objects.get_or_create(
                company_id=event.company_id,
                webhook=webhook,
                event=event,
                defaults={"event_type": event.type},
            )


def webhook_deliveries_dispatch(*, limit: int = 100) -> dict[str, int]:
    """Send due deliveries. Each is claimed by a conditional update first, so two dispatchers
    never send the same one; a claim left by a dead process expires after CLAIM_LEASE."""
    counts = {"delivered": 0, "retry": 0, "failed": 0}
    now = timezone.now()
    due = list(
        WebhookDelivery.objects.filter(status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at")
        .values_list("pk", "next_attempt_at")[:limit]
    )
    for pk, due_at in due:
        claimed = WebhookDelivery.objects.filter(
            pk=pk, status=WebhookDelivery.Status.PENDING, next_attempt_at=due_at
        ).update(next_attempt_at=now + CLAIM_LEASE, attempts=F("attempts") + 1)
        if claimed:
            delivery = WebhookDelivery.objects.select_related("webhook", "event", "event__actor").get(pk=pk)
            counts[_send(delivery)] += 1
    return counts


def _send(delivery: WebhookDelivery) -> str:
    webhook = delivery.webhook
    code: int | None = None
    if not webhook.is_active:
        return _finish(delivery, WebhookDelivery.Status.FAILED, None, str(_("The webhook is switched off.")))
    body = event_body(delivery.event)
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "Heyi-Webhooks/1",
        "X-Heyi-Event": delivery.event_type,
        "X-Heyi-Delivery": str(delivery.pk),
        "X-Heyi-Signature": signature(webhook.secret, body),
    }
    try:
        target = url_target(webhook.url)
        code = post_json(webhook.url, address=target.address, body=body, headers=headers)
    except UnsafeUrl as exc:
        error = str(exc)
    except (OSError, http.client.HTTPException, ValueError) as exc:
        error = f"{type(exc).__name__}: {exc}"[:1000]
    else:
        if 200 <= code < 300:
            return _finish(delivery, WebhookDelivery.Status.DELIVERED, code, "")
        error = str(_("Redirects are not followed.")) if 300 <= code < 400 else f"HTTP {code}"
    if delivery.attempts >= MAX_ATTEMPTS:
        return _finish(delivery, WebhookDelivery.Status.FAILED, code, error)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        response_code=code, error=error, next_attempt_at=timezone.now() + backoff(delivery.attempts)
    )
    return "retry"


def _finish(delivery: WebhookDelivery, status: str, code: int | None, error: str) -> str:
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        status=status,
        response_code=code,
        error=error,
        delivered_at=timezone.now() if status == WebhookDelivery.Status.DELIVERED else None,
    )
    return str(status)
