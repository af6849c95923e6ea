"""Document numbers per company, type and year, taken under a row lock.

The caller's transaction holds the lock until it commits, so a rolled-back document gives
its number back and two documents never share one: the sequence has no gap and no duplicate.
"""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from ..models import Company, DocumentSequence


def sequence_next(*, company: Company, doc_type: str, year: int) -> int:
    """The next number of a (company, type, year) sequence, taken under the sequence row's lock."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("document numbers are taken inside the creating transaction")
    lookup = dict(company=company, doc_type=doc_type, year=year)
    seq = DocumentSequence.objects.select_for_update().filter(**lookup).first()
    if seq is None:
        try:
            with transaction.atomic():
                seq = DocumentSequence.objects.create(**lookup)
        except IntegrityError:
            pass
        seq = DocumentSequence.objects.select_for_update().get(**lookup)
    seq.last_number += 1
    seq.save(update_fields=["last_number", "updated_at"])
    return seq.last_number


def number_next(*, company: Company, doc_type: str, prefix: str, on: datetime.date | None = None) -> str:
    year = (on or timezone.localdate()).year
    return f"{prefix}-{year}-{sequence_next(company=company, doc_type=doc_type, year=year):06d}"
