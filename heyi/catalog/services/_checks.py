"""Checks shared by the catalog services."""

import contextlib
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from heyi.platform.errors import DuplicateValue, ValidationFailed
from heyi.platform.models import Company


def same_company(company: Company, **objs: Any) -> None:
    """A reference to another company's record reads as unknown, never as found."""
    for name, obj in objs.items():
        if obj is not None and getattr(obj, "company_id", None) != company.pk:
            raise ValidationFailed(fields={name: [_("Not found.")]})


def unique(
    model: type[models.Model],
    *,
    company: Company,
    field: str,
    value: Any,
    message: Any,
    exclude_pk: Any = None,
    **scope: Any,
) -> None:
    """A friendly 400 on the field before the database's unique key would refuse the row."""
    if value in (None, ""):
        return
    qs = model._default_manager.filter(company=company, **{field: value}, **scope)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    if qs.exists():
        raise ValidationFailed(fields={field: [str(message)]})


@contextlib.contextmanager
def duplicates_refused() -> Iterator[None]:
    """Two writers that both passed `unique` race to the database; the loser gets a clean 409."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError as exc:
        raise DuplicateValue() from exc


def quantized(model: type[models.Model], data: dict[str, Any]) -> dict[str, Any]:
    """Decimals at their column's scale, so "12.5" and "12.500000" are one value in the audit diff.

    A value with more places than the column keeps them, and validation refuses it.
    """
    result = dict(data)
    for name, value in data.items():
        field = model._meta.get_field(name)
        if isinstance(field, models.DecimalField) and isinstance(value, Decimal) and value.is_finite():
            scale = Decimal(1).scaleb(-field.decimal_places)
            try:
                exact = value.quantize(scale)
            except InvalidOperation:
                continue
            if exact == value:
                result[name] = exact
    return result
