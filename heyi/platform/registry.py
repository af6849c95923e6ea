"""Record types: the one place where an app tells the platform about a kind of business record.

Attachments, comments, audit links, global search and the customer timeline work on any
registered record through this registry, without the platform importing the apps above it.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import models


@dataclass(frozen=True)
class RecordType:
    key: str  # "<app>.<entity>", as used in URLs, audit rows and attachments
    model: type[models.Model]
    label: Any
    view_permission: str
    search_fields: tuple[str, ...] = ()
    detail_url_name: str | None = None
    module: str | None = None
    subtitle: Callable[[Any], str] = field(default=lambda obj: "")
    visible: Callable[[Any, Any], Any] | None = None  # (user, company) -> rows; for kind-dependent access


_types: dict[str, RecordType] = {}


def register_record_type(record_type: RecordType) -> RecordType:
    _types[record_type.key] = record_type
    return record_type


def record_type(key: str) -> RecordType | None:
    return _types.get(key)


def record_type_of(model: type[models.Model] | models.Model) -> RecordType | None:
    cls = model if isinstance(model, type) else type(model)
    for rt in _types.values():
        if rt.model is cls:
            return rt
    return None


def record_key(obj: models.Model) -> str:
    rt = record_type_of(obj)
    return rt.key if rt else obj._meta.label_lower


def record_types() -> list[RecordType]:
    return list(_types.values())
