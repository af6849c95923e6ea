"""Small helpers the partner services share."""

from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from django.db import IntegrityError, transaction

from heyi.platform.errors import ValidationFailed

T = TypeVar("T")


def allowed(fields: Mapping[str, Any], names: Iterable[str]) -> dict[str, Any]:
    """Keep only the fields a caller may set (mass-assignment safe), with text trimmed."""
    names = set(names)
    return {k: (v.strip() if isinstance(v, str) else v) for k, v in fields.items() if k in names}


def unique_or_field_error(fn: Callable[[], T], field: str, message: Any) -> T:
    """Run a write whose only unique key is `field`; a concurrent duplicate becomes a field error."""
    try:
        with transaction.atomic():
            return fn()
    except IntegrityError:
        raise ValidationFailed(fields={field: [str(message)]})
