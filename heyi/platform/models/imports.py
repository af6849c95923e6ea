from django.db import models
from django.utils.translation import gettext_lazy as _

from .base import CompanyOwned


def import_path(instance: "ImportBatch", filename: str) -> str:
    return f"imports/{instance.company_id}/{instance.id}"


class ImportBatch(CompanyOwned):
    """One uploaded file of records: checked row by row first, then imported all at once or not at all."""

    class Status(models.TextChoices):
        CHECKING = "checking", _("Checking")
        READY = "ready", _("Ready to import")
        INVALID = "invalid", _("Has errors")
        IMPORTING = "importing", _("Importing")
        IMPORTED = "imported", _("Imported")
        FAILED = "failed", _("Failed")

    TRANSITIONS = {
        Status.CHECKING: {Status.READY, Status.INVALID, Status.FAILED},
        Status.READY: {Status.IMPORTING, Status.CHECKING},
        Status.INVALID: {Status.CHECKING},
        Status.IMPORTING: {Status.IMPORTED, Status.INVALID, Status.FAILED},
        Status.FAILED: {Status.CHECKING, Status.IMPORTING},
        Status.IMPORTED: set(),
    }

    spec = models.CharField(_("import"), max_length=60)
    file = models.FileField(upload_to=import_path, max_length=300)
    file_name = models.CharField(_("file name"), max_length=255)
    # Values for columns the file leaves out or empty, given once for the whole file.
    shared_values = models.JSONField(_("same for every row"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.CHECKING)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    # [{"row": 3, "column": "email", "message": "..."}], the first few hundred of them
    errors = models.JSONField(_("error report"), default=list, blank=True)
    created_count = models.PositiveIntegerField(_("records created"), default=0)
    job = models.ForeignKey(
        "platform.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey("platform.User", null=True, on_delete=models.SET_NULL, related_name="+")
    imported_at = models.DateTimeField(_("imported at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        indexes = [models.Index(fields=["company", "created_by", "created_at"], name="import_batch_user_idx")]

    def __str__(self) -> str:
        return self.file_name
