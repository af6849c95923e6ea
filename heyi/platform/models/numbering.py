from django.db import models

from .base import CompanyOwned


class DocumentSequence(CompanyOwned):
    """The last number given for one document type in one year; locked while a number is taken."""

    doc_type = models.CharField(max_length=40)
    year = models.PositiveIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["company", "doc_type", "year"], name="uniq_document_sequence")
        ]
