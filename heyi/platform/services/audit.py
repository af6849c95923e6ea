"""Audit rows: every create, update, delete, state change and security event."""

import datetime
import decimal
import uuid
from typing import Any

from django.db import models

from .. import context
from ..bulk import row_insert
from ..models import AuditEntry, Company, User
from ..registry import record_key


def jsonable(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, (decimal.Decimal, uuid.UUID, float)):
        return str(value)
    if isinstance(value, (datetime.date, datetime.datetime, datetime.time)):
        return value.isoformat()
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, (list, tuple, set, frozenset)):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    return str(value)


def audit_record(
    *,
    actor: User | None,
    company: Company | None,
    action: str,
    obj: models.Model | None = None,
    changes: dict | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    actor_name: str = "",
) -> AuditEntry:
    ctx = context.current()
    if obj is not None:
        object_type = object_type or record_key(obj)
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:200]
    return row_insert(
        AuditEntry(
            company=company,
            actor=actor if actor is not None and actor.pk else None,
            actor_name=(actor.get_username() if actor is not None and actor.pk else actor_name)[:150],
            action=action,
            object_type=object_type,
            object_id=object_id,
            object_repr=object_repr[:200],
            changes=jsonable(changes or {}),
            source=ctx.source,
            ip=ctx.ip,
            request_id=ctx.request_id,
        )
    )


def audit_security(
    *,
    actor: User | None,
    company: Company | None,
    action: str,
    detail: dict | None = None,
    actor_name: str = "",
) -> AuditEntry:
    """A security event (login, denial, company switch, export). Callers write it outside the
    transaction that failed, so the row stays when the action is rolled back."""
    return audit_record(
        actor=actor, company=company, action=action, changes=detail or {}, actor_name=actor_name
    )
