"""Document numbers per company, type and year, taken under a row lock.

The caller's transaction holds the lock until it commits, so a rolled-back document gives
its number back and two documents never share one: the sequence has no gap and no duplicate.
"""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from ..models import Company, DocumentSequence


def sequence_next(*, company: Company, doc_type: str, year: int) -> int:
    """The next number of a (company, type, year) sequence. The UPDATE takes the sequence row's
    lock first and the number is read under it, two plain statements on the hot path of posting."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise RuntimeError("document numbers are taken inside the creating transaction")
    params = [DocumentSequence._meta.get_field("company").get_db_prep_value(company.pk, connection)]
    params += [doc_type, year]
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(_TAKE, [now, *params])
        if cursor.rowcount == 0:
            try:
                with transaction.atomic():
                    DocumentSequence.objects.create(company=company, doc_type=doc_type, year=year)
            except IntegrityError:
                pass
            cursor.execute(_TAKE, [now, *params])
        cursor.execute(_READ, params)
        return cursor.fetchone()[0]


_TAKE = (
    'UPDATE "platform_documentsequence" SET "last_number" = "last_number" + 1, "updated_at" = %s '
    'WHERE "company_id" = %s AND "doc_type" = %s AND "year" = %s'
)
_READ = (
    'SELECT "last_number" FROM "platform_documentsequence" '
    'WHERE "company_id" = %s AND "doc_type" = %s AND "year" = %s'
)


def number_next(*, company: Company, doc_type: str, prefix: str, on: datetime.date | None = None) -> str:
    year = (on or timezone.localdate()).year
    return f"{prefix}-{year}-{sequence_next(company=company, doc_type=doc_type, year=year):06d}"
