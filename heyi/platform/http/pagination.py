"""Lists: ?page, ?page_size (max 500), ?q text search and ?ordering from an allowlist."""

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext as _

from ..errors import ValidationFailed

MAX_PAGE_SIZE = 500


def page_params(request: HttpRequest) -> tuple[int, int]:
    try:
        page = int(request.GET.get("page", "1"))
        size = int(request.GET.get("page_size", "50"))
    except ValueError:
        raise ValidationFailed(fields={"page": [_("Page and page size must be whole numbers.")]})
    if page < 1 or not 1 <= size <= MAX_PAGE_SIZE:
        raise ValidationFailed(
            fields={
                "page_size": [
                    _("Page starts at 1; page size is between 1 and %(max)s.") % {"max": MAX_PAGE_SIZE}
                ]
            }
        )
    return page, size


def text_search(qs: models.QuerySet, q: str | None, fields: Sequence[str]) -> models.QuerySet:
    q = (q or "").strip()[:100]
    if not q or not fields:
        return qs
    cond = models.Q()
    for name in fields:
        cond |= models.Q(**{f"{name}__icontains": q})
    return qs.filter(cond)


def ordered(
    qs: models.QuerySet, ordering: str | None, allowed: Iterable[str], default: str
) -> models.QuerySet:
    """Sort only by fields on the allowlist; anything else is a 400, never raw SQL."""
    allowed = set(allowed)
    keys = [k.strip() for k in (ordering or default).split(",") if k.strip()]
    for key in keys:
        if key.lstrip("-") not in allowed:
            raise ValidationFailed(
                fields={
                    "ordering": [
                        _("Cannot sort by %(field)s. Choose from: %(allowed)s.")
                        % {"field": key[:40], "allowed": ", ".join(sorted(allowed))}
                    ]
                }
            )
    return qs.order_by(*keys, "pk")


def paginate(
    request: HttpRequest, qs: models.QuerySet | list, render: Callable[[Any], Any] | None = None
) -> dict:
    page, size = page_params(request)
    count = qs.count() if isinstance(qs, models.QuerySet) else len(qs)
    items = list(qs[(page - 1) * size : page * size])
    return {
        "items": [render(i) for i in items] if render else items,
        "count": count,
        "page": page,
        "page_size": size,
    }
