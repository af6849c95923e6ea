"""Domain events: synchronous handlers share the transaction; asynchronous ones run once from the outbox."""

import dataclasses

import pytest
from django.core import mail
from django.db import transaction

from heyi.platform.eventbus import DomainEvent, event_type, publish, subscribe
from heyi.platform.models import HandlerRun, OutboxEvent
from heyi.platform.services.events import event_retry, events_dispatch
from heyi.platform.services.notifications import notify


@event_type
@dataclasses.dataclass(frozen=True, kw_only=True)
class OrderShipped(DomainEvent):
    type = "test.order_shipped"
    tracking_number: str


SEEN: list[str] = []
FLAKY_FAILURES: list[str] = []


@subscribe(OrderShipped)
def write_timeline(event: OrderShipped) -> None:
    if event.tracking_number == "BOOM":
        raise RuntimeError("timeline write failed")
    SEEN.append(f"sync:{event.tracking_number}")


@subscribe(OrderShipped, mode="async")
def print_label(event: OrderShipped) -> None:
    SEEN.append(f"label:{event.tracking_number}")


@subscribe(OrderShipped, mode="async")
def tell_customer(event: OrderShipped) -> None:
    if event.tracking_number.startswith("FLAKY") and len(FLAKY_FAILURES) < 1:
        FLAKY_FAILURES.append(event.tracking_number)
        raise ConnectionError("mail server away")
    SEEN.append(f"async:{event.tracking_number}")


def _ship(company, admin, tracking: str) -> None:
    with transaction.atomic():
        publish(
            OrderShipped(
                company_id=company.pk,
                actor_id=admin.pk,
                subject_type="sales.delivery",
                subject_id="d-1",
                tracking_number=tracking,
            )
        )


@pytest.fixture(autouse=True)
def _clean():
    SEEN.clear()
    FLAKY_FAILURES.clear()


def test_event_is_stored_and_sync_handler_runs_in_the_same_transaction(company, admin, api):
    _ship(company, admin, "SF1001")
    assert SEEN == ["sync:SF1001"]
    history = api.get("/events", subject_type="sales.delivery", subject_id="d-1").json()["items"]
    assert [(e["type"], e["data"], e["subject"]) for e in history] == [
        ("test.order_shipped", {"tracking_number": "SF1001"}, {"type": "sales.delivery", "id": "d-1"})
    ]


def test_a_failing_sync_handler_rolls_the_whole_action_back(company, admin):
    with pytest.raises(RuntimeError):
        _ship(company, admin, "BOOM")
    assert not OutboxEvent.objects.filter(type="test.order_shipped").exists()


def test_publishing_outside_a_transaction_is_a_bug():
    with pytest.raises(RuntimeError):
        publish(
            OrderShipped(
                company_id=None, actor_id=None, subject_type="x", subject_id="1", tracking_number="1"
            )
        )


def test_async_handlers_run_once_and_failures_back_off_then_succeed(company, admin):
    _ship(company, admin, "FLAKY-7")
    first = events_dispatch()
    assert first["retry"] == 1
    event = OutboxEvent.objects.get(type="test.order_shipped")
    assert (
        event.state == OutboxEvent.State.PENDING
        and event.attempts == 1
        and "mail server away" in event.last_error
    )
    assert SEEN == ["sync:FLAKY-7", "label:FLAKY-7"], "the handler that worked is kept"
    assert events_dispatch()["done"] == 0  # not due yet: backing off
    OutboxEvent.objects.filter(pk=event.pk).update(next_attempt_at=event.occurred_at)
    assert events_dispatch()["done"] == 1
    assert SEEN.count("async:FLAKY-7") == 1
    event.refresh_from_db()
    assert event.state == OutboxEvent.State.DONE
    event_retry(event=event)
    events_dispatch()
    assert SEEN.count("async:FLAKY-7") == 1, "a handler already done for an event never runs again"
    assert SEEN.count("label:FLAKY-7") == 1, "a sibling's failure does not make a done handler run again"
    assert HandlerRun.objects.filter(event=event).count() == 2


def test_notifications_are_in_app_and_emailed_from_the_outbox(company, admin, sales):
    notify(
        company=company,
        recipients=[sales],
        kind="test",
        title="新线索已分配给您",
        body="杭州科技",
        actor=admin,
    )
    assert sales.notifications.filter(read_at__isnull=True).count() == 1
    assert mail.outbox == []
    events_dispatch()
    assert [m.subject for m in mail.outbox] == ["新线索已分配给您"]
    assert mail.outbox[0].to == [sales.email]


def test_people_outside_the_company_are_not_notified(company, admin, outsider):
    assert notify(company=company, recipients=[outsider], kind="test", title="x") == []
