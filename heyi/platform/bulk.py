"""Writing back many rows a service has locked and changed, in one cheap statement."""

from collections.abc import Iterable, Sequence

from django.db import models


def rows_save(objs: Iterable[models.Model], fields: Sequence[str]) -> None:
    """Save `fields` of rows that already exist, as one INSERT ... ON CONFLICT (id) DO UPDATE.

    Django's `bulk_update` builds a CASE expression per field and row, which costs more
    Python time than the round trip it saves; an upsert on the primary key writes the same
    values with a plain VALUES list. Only for rows read in full (every column is sent).
    """
    rows = list(objs)
    if not rows:
        return
    type(rows[0]).objects.bulk_create(  # type: ignore[attr-defined]
        rows, update_conflicts=True, unique_fields=["id"], update_fields=list(fields)
    )
