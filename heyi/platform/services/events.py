"""The outbox dispatcher: claims pending events and runs their asynchronous handlers."""

import datetime
import logging
import traceback

from django.db import connection, transaction
from django.utils import timezone

from ..eventbus import async_handlers, handler_name, is_every_type, rebuild
from ..models import HandlerRun, OutboxEvent
from .webhooks import webhook_deliveries_dispatch

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8


def _backoff(attempts: int) -> datetime.timedelta:
    return datetime.timedelta(seconds=min(3600, 5 * 2 ** max(0, attempts - 1)))


def _claim(limit: int) -> list[OutboxEvent]:
    qs = OutboxEvent.objects.filter(
        state=OutboxEvent.State.PENDING, next_attempt_at__lte=timezone.now()
    ).order_by("next_attempt_at", "occurred_at")
    if connection.features.has_select_for_update_skip_locked:
        qs = qs.select_for_update(skip_locked=True)
    return list(qs[:limit])


def _run_event(event: OutboxEvent) -> None:
    """Each handler commits with its own HandlerRun, so a failing sibling cannot undo it."""
    domain_event = None
    done = set(HandlerRun.objects.filter(event=event).values_list("handler", flat=True))
    for handler in async_handlers(event.type, event):
        name = handler_name(handler)
        if name in done:
            continue
        with transaction.atomic():
            if is_every_type(handler):
                handler(event)
            else:
                domain_event = domain_event or rebuild(
                    event.type,
                    company_id=event.company_id,
                    actor_id=event.actor_id,
                    subject_type=event.subject_type,
                    subject_id=event.subject_id,
                    data=event.data,
                )
                handler(domain_event)
            HandlerRun.objects.create(company_id=event.company_id, event=event, handler=name)


def events_dispatch(*, limit: int = 100) -> dict[str, int]:
    """Run due asynchronous handlers, then send due webhook deliveries (outside the claim's
    transaction, so no row stays locked while a receiver answers).

    Returns how many events were done, retried and failed, and the same for deliveries.
    """
    counts = {"done": 0, "retry": 0, "failed": 0}
    with transaction.atomic():
        events = _claim(limit)
        for event in events:
            try:
                _run_event(event)
            except Exception:
                event.attempts += 1
                event.last_error = traceback.format_exc()[-4000:]
                if event.attempts >= MAX_ATTEMPTS:
                    event.state = OutboxEvent.State.FAILED
                    counts["failed"] += 1
                else:
                    event.next_attempt_at = timezone.now() + _backoff(event.attempts)
                    counts["retry"] += 1
                log.warning("event %s (%s) failed, attempt %s", event.pk, event.type, event.attempts)
            else:
                event.state = OutboxEvent.State.DONE
                event.last_error = ""
                counts["done"] += 1
            event.save(update_fields=["state", "attempts", "next_attempt_at", "last_error", "updated_at"])
    deliveries = webhook_deliveries_dispatch(limit=limit)
    counts.update({f"webhook_{k}": v for k, v in deliveries.items()})
    return counts


def event_retry(*, event: OutboxEvent) -> None:
    """Put a failed event back in the queue; handlers that already ran are not run again."""
    event.state = OutboxEvent.State.PENDING
    event.attempts = 0
    event.next_attempt_at = timezone.now()
    event.save(update_fields=["state", "attempts", "next_attempt_at", "updated_at"])
