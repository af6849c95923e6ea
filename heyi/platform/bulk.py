"""Writing rows in cheap statements: appending one new row, and writing back many rows a
service has locked and changed."""

from collections.abc import Iterable, Sequence
from typing import TypeVar

from django.db import connections, models, router
from django.db.models.sql import InsertQuery

M = TypeVar("M", bound=models.Model)

_INSERTS: dict[tuple[type[models.Model], str], str] = {}


def row_insert(obj: M) -> M:
    """Insert one new row, as `save(force_insert=True)` would, with the statement compiled the
    first time for its model and database. For append-only rows written on every action (audit
    entries, outbox events) where Django's per-save compilation costs more than the write;
    sends no model signals."""
    model = type(obj)
    alias = router.db_for_write(model, instance=obj)
    connection = connections[alias]
    fields = model._meta.local_concrete_fields
    values = [field.get_db_prep_save(field.pre_save(obj, True), connection) for field in fields]
    sql = _INSERTS.get((model, alias))
    if sql is None:
        query = InsertQuery(model)
        query.insert_values(fields, [obj])
        [(sql, _params)] = query.get_compiler(connection=connection).as_sql()
        _INSERTS[(model, alias)] = sql
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
    obj._state.adding = False
    obj._state.db = alias
    return obj


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
