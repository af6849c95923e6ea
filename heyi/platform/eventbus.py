"""Domain events: published inside the acting transaction, written to the outbox with it.

Synchronous handlers change our own data in the same transaction (if one fails, the whole
action rolls back). Asynchronous handlers (mail, webhooks) run later from the outbox through
`events_dispatch`, each (handler, event) pair at most once. A handler subscribed to every type
(`subscribe_all`, for outgoing webhooks) receives the stored outbox row, whatever the event class.
"""

import dataclasses
import uuid
from collections.abc import Callable
from typing import Any, ClassVar

from django.db import transaction


@dataclasses.dataclass(frozen=True, kw_only=True)
class DomainEvent:
    type: ClassVar[str] = ""
    company_id: uuid.UUID
    actor_id: uuid.UUID | None
    subject_type: str
    subject_id: str

    BASE_FIELDS: ClassVar[frozenset[str]] = frozenset(
        {"company_id", "actor_id", "subject_type", "subject_id"}
    )

    def payload(self) -> dict[str, Any]:
        from .services.audit import jsonable

        return {
            f.name: jsonable(getattr(self, f.name))
            for f in dataclasses.fields(self)
            if f.name not in self.BASE_FIELDS
        }


Handler = Callable[[DomainEvent], None]
Wants = Callable[[Any], bool]

_event_classes: dict[str, type[DomainEvent]] = {}
_sync: dict[str, list[Handler]] = {}
_async: dict[str, list[Handler]] = {}
_every: list[tuple[Callable[[Any], None], Wants]] = []


def event_type(cls: type[DomainEvent]) -> type[DomainEvent]:
    """Class decorator: make an event class known, so the outbox can rebuild it later."""
    if not cls.type:
        raise ValueError(f"{cls.__name__} needs a type")
    _event_classes[cls.type] = cls
    return cls


def subscribe(event_cls: type[DomainEvent], *, mode: str = "sync") -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        target = _sync if mode == "sync" else _async
        handlers = target.setdefault(event_cls.type, [])
        if handler not in handlers:
            handlers.append(handler)
        return handler

    return register


def subscribe_all(*, wants: Wants) -> Callable[[Callable[[Any], None]], Callable[[Any], None]]:
    """An asynchronous handler of every event type, called with the `OutboxEvent` row.

    `wants(event)` is asked when publishing, so events nobody listens to are not queued, and
    again when dispatching.
    """

    def register(handler: Callable[[Any], None]) -> Callable[[Any], None]:
        if all(h is not handler for h, _w in _every):
            _every.append((handler, wants))
        return handler

    return register


def is_every_type(handler: Callable) -> bool:
    return any(h is handler for h, _w in _every)


def handler_name(handler: Handler) -> str:
    return f"{handler.__module__}.{handler.__qualname__}"


def async_handlers(type_: str, event: Any) -> list[Callable[[Any], None]]:
    """The handlers of `type_`, then the every-type handlers that want `event` (a domain
    event when publishing, its outbox row when dispatching: both carry `company_id`)."""
    return [*_async.get(type_, []), *(h for h, wants in _every if wants(event))]


def event_types() -> list[str]:
    return sorted(_event_classes)


def rebuild(
    type_: str, *, company_id: Any, actor_id: Any, subject_type: str, subject_id: str, data: dict
) -> DomainEvent:
    cls = _event_classes.get(type_)
    if cls is None:
        raise LookupError(f"unknown event type {type_}")
    names = {f.name for f in dataclasses.fields(cls)}
    return cls(
        company_id=company_id,
        actor_id=actor_id,
        subject_type=subject_type,
        subject_id=subject_id,
        **{k: v for k, v in data.items() if k in names},
    )


def publish(event: DomainEvent) -> None:
    from .bulk import row_insert
    from .models import OutboxEvent

    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("events are published inside the service's transaction")
    row_insert(
        OutboxEvent(
            company_id=event.company_id,
            type=event.type,
            actor_id=event.actor_id,
            subject_type=event.subject_type,
            subject_id=event.subject_id,
            data=event.payload(),
            state=OutboxEvent.State.PENDING if async_handlers(event.type, event) else OutboxEvent.State.DONE,
        )
    )
    for handler in list(_sync.get(event.type, [])):
        handler(event)
