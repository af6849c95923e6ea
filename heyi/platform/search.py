"""Global search: every registered record type the user may see, through its record scope."""

from typing import Any

from django.utils.translation import gettext as _

from . import access
from .errors import ValidationFailed
from .http.pagination import text_search
from .models import Company, User
from .record_access import visible_rows
from .registry import record_types
from .services.comments import record_url

PER_TYPE = 10
TOTAL = 50
MAX_QUERY = 100


def search_query(q: str | None) -> str:
    """The text to look for, or a 400 when it is empty or longer than 100 characters."""
    q = (q or "").strip()
    if not q or len(q) > MAX_QUERY:
        raise ValidationFailed(
            fields={"q": [_("Type between 1 and %(max)s characters to search.") % {"max": MAX_QUERY}]}
        )
    return q


def global_search(*, user: User, company: Company, q: str) -> list[dict[str, Any]]:
    """Records matching `q` (names, codes, pinyin initials), at most 10 per type and 50 in all."""
    q = search_query(q)
    results: list[dict[str, Any]] = []
    for rt in record_types():
        if len(results) >= TOTAL:
            break
        if not rt.search_fields or not access.module_enabled(company, rt.module):
            continue
        qs = text_search(visible_rows(rt, user=user, company=company), q, rt.search_fields)
        ordering = list(rt.model._meta.ordering or []) + ["pk"]
        for obj in qs.order_by(*ordering)[: min(PER_TYPE, TOTAL - len(results))]:
            results.append(
                {
                    "type": rt.key,
                    "label": str(rt.label),
                    "id": str(obj.pk),
                    "title": str(obj),
                    "subtitle": str(rt.subtitle(obj) or ""),
                    "url": record_url(rt, obj),
                }
            )
    return results
