from django.db import models
from django.utils.translation import gettext_lazy as _

from .base import CompanyOwned


def attachment_path(instance: "Attachment", filename: str) -> str:
    return f"attachments/{instance.company_id}/{instance.id}"


class Attachment(CompanyOwned):
    """A file on a record, stored through Django's storage; readable by whoever can read the record."""

    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=64)
    file = models.FileField(upload_to=attachment_path, max_length=300)
    name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size"))
    content_type = models.CharField(_("content type"), max_length=120)
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey("platform.User", null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["company", "object_type", "object_id"], name="attachment_object_idx")]

    def __str__(self) -> str:
        return self.name
