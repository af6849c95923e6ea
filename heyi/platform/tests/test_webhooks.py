"""Outgoing webhooks: an integrator subscribes, events arrive signed, nothing reaches inside.

DNS and HTTP are faked (`FakeNet`), and any real connection attempt fails the test, except in
the last tests, which send to a receiver on 127.0.0.1 through the real urllib transport.
"""

import dataclasses
import hashlib
import hmac
import http.server
import ipaddress
import json
import socket
import threading
from datetime import timedelta

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from conftest import make_member
from heyi.platform.eventbus import DomainEvent, event_type, publish
from heyi.platform.models import AuditEntry, OutboxEvent, Webhook, WebhookDelivery
from heyi.platform.services import webhooks
from heyi.platform.services.events import event_retry, events_dispatch


@event_type
@dataclasses.dataclass(frozen=True, kw_only=True)
class InvoicePosted(DomainEvent):
    type = "test.invoice_posted"
    number: str
    amount: str


@event_type
@dataclasses.dataclass(frozen=True, kw_only=True)
class TicketOpened(DomainEvent):
    type = "test.ticket_opened"
    title: str


def post_invoice(company, actor, number="INV-2026-000001", amount="11300.00"):
    with transaction.atomic():
        publish(
            InvoicePosted(
                company_id=company.pk,
                actor_id=actor.pk,
                subject_type="finance.invoice",
                subject_id=number,
                number=number,
                amount=amount,
            )
        )
    return (
        OutboxEvent.objects.filter(company=company, type=InvoicePosted.type).order_by("-occurred_at").first()
    )


class FakeNet:
    """DNS answers from a table; each POST answers with the next scripted status or error."""

    def __init__(self):
        self.dns = {
            "hooks.example.com": ["93.184.216.34"],
            "erp.partner.cn": ["114.114.114.114"],
            "localhost": ["127.0.0.1"],
            "metadata.google.internal": ["169.254.169.254"],
            "half.example.com": ["93.184.216.35", "10.0.0.8"],
        }
        self.sent: list[dict] = []
        self.script: dict[str, list] = {}

    def resolve(self, host: str, port: int) -> list[str]:
        if host in self.dns:
            return list(self.dns[host])
        try:
            return [str(ipaddress.ip_address(host))]
        except ValueError:
            raise socket.gaierror("unknown host")

    def post(self, url: str, *, address: str, body: bytes, headers: dict) -> int:
        self.sent.append({"url": url, "address": address, "body": body, "headers": headers})
        answers = self.script.get(url, [])
        answer = answers.pop(0) if answers else 200
        if isinstance(answer, Exception):
            raise answer
        return answer

    def urls(self) -> list[str]:
        return [s["url"] for s in self.sent]


@pytest.fixture
def net(monkeypatch):
    fake = FakeNet()
    monkeypatch.setattr(webhooks, "resolve_host", fake.resolve)
    monkeypatch.setattr(webhooks, "post_json", fake.post)

    def no_network(*args, **kwargs):
        raise AssertionError("a test tried to open a real connection")

    monkeypatch.setattr(socket, "create_connection", no_network)
    return fake


def subscribe(api, url="https://hooks.example.com/heyi", types=("test.invoice_posted",)):
    r = api.post("/webhooks", {"url": url, "event_types": list(types), "description": "对账系统"})
    assert r.status_code == 201, r.json()
    return r.json()


def make_due(delivery_filter):
    WebhookDelivery.objects.filter(**delivery_filter).update(
        next_attempt_at=timezone.now() - timedelta(seconds=1)
    )


UNSAFE_URLS = [
    "http://127.0.0.1:8000/hook",
    "http://localhost/hook",
    "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
    "http://metadata.google.internal/computeMetadata/v1/",
    "http://10.1.2.3/hook",
    "http://172.16.0.1/hook",
    "http://192.168.1.10/hook",
    "http://100.64.0.1/hook",
    "http://0.0.0.0/hook",
    "http://224.0.0.1/hook",
    "http://240.0.0.1/hook",
    "http://[::1]/hook",
    "http://[::ffff:127.0.0.1]/hook",
    "http://[fe80::1]/hook",
    "http://[fd00::1]/hook",
    "http://[2002:a9fe:a9fe::1]/hook",
    "http://half.example.com/hook",
    "http://nowhere.invalid/hook",
    "ftp://hooks.example.com/hook",
    "file:///etc/passwd",
    "gopher://hooks.example.com/",
    "http://admin:secret@hooks.example.com/hook",
    "javascript:alert(1)",
]


@pytest.mark.parametrize("url", UNSAFE_URLS)
def test_local_private_and_metadata_urls_are_refused_with_a_field_error(api, net, url):
    r = api.post("/webhooks", {"url": url, "event_types": ["*"]})
    assert r.status_code == 400
    assert "url" in r.json()["error"]["fields"]
    assert not Webhook.objects.exists()
    assert net.sent == []


def test_changing_the_url_to_a_private_address_is_refused_too(api, net):
    hook = subscribe(api)
    r = api.patch(f"/webhooks/{hook['id']}", {"version": hook["version"], "url": "http://192.168.0.1/x"})
    assert r.status_code == 400 and "url" in r.json()["error"]["fields"]
    assert Webhook.objects.get().url == "https://hooks.example.com/heyi"


def test_a_local_test_receiver_is_allowed_only_when_the_setting_says_so(api, net, settings):
    settings.HEYI_WEBHOOK_ALLOW_PRIVATE = True
    assert (
        api.post("/webhooks", {"url": "http://localhost:9000/hook", "event_types": ["*"]}).status_code == 201
    )
    for url in ("http://169.254.169.254/latest/", "http://10.0.0.1/hook"):
        assert api.post("/webhooks", {"url": url, "event_types": ["*"]}).status_code == 400


def test_the_administrator_manages_webhooks_and_the_secret_is_shown_once(api, net, company, admin):
    created = subscribe(api, types=["test.invoice_posted", "test.ticket_opened"])
    assert len(created["secret"]) >= 32
    assert created["event_types"] == ["test.invoice_posted", "test.ticket_opened"]
    listed = api.get("/webhooks").json()
    assert listed["count"] == 1 and "secret" not in listed["items"][0]
    assert "secret" not in api.get(f"/webhooks/{created['id']}").json()
    patched = api.patch(f"/webhooks/{created['id']}", {"version": created["version"], "is_active": False})
    assert patched.status_code == 200 and patched.json()["is_active"] is False
    stale = api.patch(f"/webhooks/{created['id']}", {"version": created["version"], "description": "x"})
    assert stale.status_code == 409
    assert api.delete(f"/webhooks/{created['id']}").status_code == 204
    assert not Webhook.objects.exists()
    actions = list(
        AuditEntry.objects.filter(company=company, object_id=created["id"]).values_list("action", flat=True)
    )
    assert sorted(actions) == ["create", "delete", "update"]
    assert not any(
        created["secret"] in json.dumps(e.changes) for e in AuditEntry.objects.filter(company=company)
    ), "the signing secret is never written to the audit trail"


def test_unknown_event_types_are_refused(api, net):
    r = api.post("/webhooks", {"url": "https://hooks.example.com/x", "event_types": ["sales.everything"]})
    assert r.status_code == 400 and "event_types" in r.json()["error"]["fields"]


def test_only_administrators_manage_webhooks_and_other_companies_see_nothing(
    api, api_as, net, company, other_company, outsider
):
    hook = subscribe(api)
    clerk = api_as(make_member(company, "clerk", roles=["finance"]), company)
    assert clerk.get("/webhooks").status_code == 403
    assert (
        clerk.post("/webhooks", {"url": "https://hooks.example.com/x", "event_types": ["*"]}).status_code
        == 403
    )
    assert clerk.get(f"/webhooks/{hook['id']}").status_code == 404
    foreign = api_as(outsider, other_company)
    assert foreign.get("/webhooks").json()["count"] == 0
    for call in (foreign.get, foreign.delete):
        assert call(f"/webhooks/{hook['id']}").status_code == 404
    assert foreign.get(f"/webhooks/{hook['id']}/deliveries").status_code == 404
    assert Webhook.objects.filter(pk=hook["id"]).exists()


def test_an_event_is_delivered_once_signed_with_the_webhooks_secret(api, net, company, admin):
    hook = subscribe(api)
    event = post_invoice(company, admin)
    assert event.state == OutboxEvent.State.PENDING
    counts = events_dispatch()
    assert counts["webhook_delivered"] == 1
    [sent] = net.sent
    assert sent["address"] == "93.184.216.34", "the connection goes to the address that was checked"
    expected = "sha256=" + hmac.new(hook["secret"].encode(), sent["body"], hashlib.sha256).hexdigest()
    assert sent["headers"]["X-Heyi-Signature"] == expected
    assert sent["headers"]["X-Heyi-Event"] == "test.invoice_posted"
    body = json.loads(sent["body"])
    assert body["id"] == str(event.pk) and body["type"] == "test.invoice_posted"
    assert body["data"] == {"number": "INV-2026-000001", "amount": "11300.00"}
    assert body["subject"] == {"type": "finance.invoice", "id": "INV-2026-000001"}
    assert body["actor"] == "admin" and body["company"] == str(company.pk)
    delivery = WebhookDelivery.objects.get()
    assert sent["headers"]["X-Heyi-Delivery"] == str(delivery.pk)
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("delivered", 1, 200)
    assert delivery.delivered_at is not None
    events_dispatch()
    assert len(net.sent) == 1
    log = api.get(f"/webhooks/{hook['id']}/deliveries").json()
    assert [(d["event_type"], d["status"], d["attempts"]) for d in log["items"]] == [
        ("test.invoice_posted", "delivered", 1)
    ]


def test_only_wanted_events_of_active_webhooks_of_the_same_company_are_sent(
    api, api_as, net, company, other_company, outsider, admin
):
    subscribe(api, url="https://hooks.example.com/tickets", types=["test.ticket_opened"])
    paused = subscribe(api, url="https://hooks.example.com/paused", types=["*"])
    api.patch(f"/webhooks/{paused['id']}", {"version": paused["version"], "is_active": False})
    foreign = api_as(outsider, other_company)
    assert (
        foreign.post("/webhooks", {"url": "https://erp.partner.cn/in", "event_types": ["*"]}).status_code
        == 201
    )
    post_invoice(company, admin)
    events_dispatch()
    assert net.sent == []
    assert not WebhookDelivery.objects.exists()


def test_events_of_a_company_without_webhooks_are_not_queued(company, admin):
    event = post_invoice(company, admin)
    assert event.state == OutboxEvent.State.DONE


def test_a_failing_endpoint_is_retried_with_backoff_and_never_delivered_twice(api, net, company, admin):
    flaky = subscribe(api, url="https://hooks.example.com/flaky")
    steady = subscribe(api, url="https://erp.partner.cn/in")
    net.script["https://hooks.example.com/flaky"] = [500, ConnectionResetError("connection reset"), 204]
    event = post_invoice(company, admin)

    events_dispatch()
    first = WebhookDelivery.objects.get(webhook_id=flaky["id"])
    assert (first.status, first.attempts, first.response_code, first.error) == ("pending", 1, 500, "HTTP 500")
    assert timedelta(seconds=25) < first.next_attempt_at - timezone.now() <= timedelta(seconds=30)
    assert WebhookDelivery.objects.get(webhook_id=steady["id"]).status == "delivered"

    events_dispatch()
    assert net.urls().count("https://hooks.example.com/flaky") == 1, "not due yet: backing off"

    make_due({"webhook_id": flaky["id"]})
    events_dispatch()
    second = WebhookDelivery.objects.get(webhook_id=flaky["id"])
    assert second.attempts == 2 and "connection reset" in second.error
    assert timedelta(seconds=55) < second.next_attempt_at - timezone.now() <= timedelta(seconds=60)

    make_due({"webhook_id": flaky["id"]})
    events_dispatch()
    make_due({})
    events_dispatch()
    event_retry(event=event)
    events_dispatch()
    assert net.urls().count("https://hooks.example.com/flaky") == 3
    assert net.urls().count("https://erp.partner.cn/in") == 1
    final = WebhookDelivery.objects.get(webhook_id=flaky["id"])
    assert (final.status, final.attempts, final.response_code, final.error) == ("delivered", 3, 204, "")
    assert WebhookDelivery.objects.count() == 2


def test_two_dispatchers_at_once_send_each_delivery_once(api, net, company, admin, monkeypatch):
    """While the first dispatcher waits for a receiver, a second one runs over the same due list."""
    subscribe(api, url="https://hooks.example.com/a")
    subscribe(api, url="https://erp.partner.cn/b")
    post_invoice(company, admin)
    with transaction.atomic():
        webhooks.webhook_deliveries_plan(OutboxEvent.objects.get(type=InvoicePosted.type))
    OutboxEvent.objects.update(state=OutboxEvent.State.DONE)
    first_post = net.post

    def slow_receiver(url, **kwargs):
        if len(net.sent) == 0:
            net.sent.append({"url": "(second dispatcher starts)"})
            webhooks.webhook_deliveries_dispatch()
        return first_post(url, **kwargs)

    monkeypatch.setattr(webhooks, "post_json", slow_receiver)
    webhooks.webhook_deliveries_dispatch()
    assert sorted(net.urls()[1:]) == ["https://erp.partner.cn/b", "https://hooks.example.com/a"]
    assert set(WebhookDelivery.objects.values_list("status", "attempts")) == {("delivered", 1)}


def test_a_delivery_gives_up_after_the_last_attempt(api, net, company, admin):
    subscribe(api)
    net.script["https://hooks.example.com/heyi"] = [500] * webhooks.MAX_ATTEMPTS
    post_invoice(company, admin)
    events_dispatch()
    for _ in range(webhooks.MAX_ATTEMPTS + 2):
        make_due({})
        webhooks.webhook_deliveries_dispatch()
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("failed", webhooks.MAX_ATTEMPTS)
    assert len(net.sent) == webhooks.MAX_ATTEMPTS


def test_dns_rebinding_to_a_local_address_is_caught_at_delivery_time(api, net, company, admin):
    subscribe(api, url="https://hooks.example.com/rebind")
    net.dns["hooks.example.com"] = ["127.0.0.1"]
    post_invoice(company, admin)
    events_dispatch()
    assert net.sent == []
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "pending" and "local, private or reserved" in delivery.error


def test_the_settings_page_creates_a_webhook_and_lists_its_deliveries(web, net, company, admin):
    r = web.post(
        reverse("platform:webhook_create"),
        {"url": "https://hooks.example.com/web", "event_types": ["test.invoice_posted"], "is_active": "on"},
    )
    assert r.status_code == 302
    webhook = Webhook.objects.get()
    refused = web.post(
        reverse("platform:webhook_create"),
        {"url": "http://169.254.169.254/latest/", "event_types": ["*"], "is_active": "on"},
    )
    assert refused.status_code == 400 and "local, private or reserved" in refused.content.decode()
    post_invoice(company, admin)
    events_dispatch()
    page = web.get(reverse("platform:webhook_detail", args=[webhook.pk])).content.decode()
    assert "test.invoice_posted" in page and "Delivered" in page and webhook.secret in page
    old_secret = webhook.secret
    web.post(reverse("platform:webhook_rotate_secret", args=[webhook.pk]))
    webhook.refresh_from_db()
    assert webhook.secret != old_secret
    assert AuditEntry.objects.filter(action="secret_rotate", object_id=str(webhook.pk)).exists()


class Receiver(http.server.BaseHTTPRequestHandler):
    seen: list[tuple[str, dict, bytes]] = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Receiver.seen.append((self.path, dict(self.headers), body))
        if self.path == "/moved":
            self.send_response(302)
            self.send_header("Location", "/inbox")
        else:
            self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def receiver(settings, monkeypatch):
    """A receiver on 127.0.0.1 under the made-up name hooks.test (only our fake DNS knows it)."""
    settings.HEYI_WEBHOOK_ALLOW_PRIVATE = True
    Receiver.seen = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setattr(
        webhooks, "resolve_host", lambda host, port: ["127.0.0.1"] if host == "hooks.test" else []
    )
    yield f"http://hooks.test:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_the_real_transport_connects_to_the_checked_address_and_signs(api, company, admin, receiver):
    hook = subscribe(api, url=f"{receiver}/inbox")
    post_invoice(company, admin)
    assert events_dispatch()["webhook_delivered"] == 1
    [(path, headers, body)] = Receiver.seen
    assert path == "/inbox" and headers["Host"] == receiver.removeprefix("http://")
    assert (
        headers["X-Heyi-Signature"]
        == "sha256=" + hmac.new(hook["secret"].encode(), body, hashlib.sha256).hexdigest()
    )


def test_the_real_transport_does_not_follow_redirects(api, company, admin, receiver):
    subscribe(api, url=f"{receiver}/moved")
    post_invoice(company, admin)
    events_dispatch()
    assert [path for path, _h, _b in Receiver.seen] == ["/moved"]
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.response_code, delivery.error) == (
        "pending",
        302,
        "Redirects are not followed.",
    )


def test_a_webhook_for_every_event_runs_beside_the_events_own_handlers(api, net, company, admin):
    from django.core import mail

    from heyi.platform.services.notifications import notify

    subscribe(api, types=["*"])
    clerk = make_member(company, "clerk", roles=["employee"])
    notify(company=company, recipients=[clerk], kind="test", title="请审批报销单", actor=admin)
    events_dispatch()
    events_dispatch()
    assert [m.subject for m in mail.outbox] == ["请审批报销单"]
    assert [json.loads(s["body"])["type"] for s in net.sent] == ["platform.notification_created"]


def test_a_webhook_added_inside_the_transaction_is_seen_by_the_next_event(company, admin):
    with transaction.atomic():
        assert post_invoice(company, admin).state == OutboxEvent.State.DONE
        Webhook.objects.create(
            company=company, url="https://hooks.example.com/heyi", event_types=["*"], secret="s"
        )
        assert post_invoice(company, admin, number="INV-2026-000002").state == OutboxEvent.State.PENDING


def test_a_webhook_rolled_back_with_its_savepoint_is_not_remembered(company, admin):
    with transaction.atomic():
        with pytest.raises(RuntimeError), transaction.atomic():
            Webhook.objects.create(
                company=company, url="https://hooks.example.com/heyi", event_types=["*"], secret="s"
            )
            assert post_invoice(company, admin).state == OutboxEvent.State.PENDING
            raise RuntimeError("rolled back")
        assert post_invoice(company, admin, number="INV-2026-000002").state == OutboxEvent.State.DONE
