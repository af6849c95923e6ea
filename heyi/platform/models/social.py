from django.db import models
from django.utils.translation import gettext_lazy as _

from .base import CompanyOwned


class Comment(CompanyOwned):
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=64)
    author = models.ForeignKey("platform.User", on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("comment"))
    mentions = models.ManyToManyField("platform.User", blank=True, related_name="+")

    class Meta:
        ordering = ["created_at"]
        indexes = [models.Index(fields=["company", "object_type", "object_id"], name="comment_object_idx")]


class Notification(CompanyOwned):
    recipient = models.ForeignKey("platform.User", on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("kind"), max_length=60)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"), blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["company", "recipient", "read_at"], name="notification_inbox_idx")]
