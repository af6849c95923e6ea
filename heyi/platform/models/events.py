from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .base import CompanyOwned


class OutboxEvent(CompanyOwned):
    """A domain event, written in the transaction that caused it: the outbox and the event history."""

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    type = models.CharField(_("type"), max_length=80, db_index=True)
    occurred_at = models.DateTimeField(_("occurred at"), default=timezone.now)
    actor = models.ForeignKey(
        "platform.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    subject_type = models.CharField(_("subject type"), max_length=60)
    subject_id = models.CharField(_("subject id"), max_length=64)
    data = models.JSONField(_("data"), default=dict)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["-occurred_at"]
        indexes = [
            models.Index(
                fields=["company", "subject_type", "subject_id", "occurred_at"], name="event_subject_idx"
            ),
            models.Index(fields=["state", "next_attempt_at"], name="event_pending_idx"),
            models.Index(fields=["company", "type", "occurred_at"], name="event_type_idx"),
        ]


class HandlerRun(CompanyOwned):
    """One asynchronous handler done for one event, so a retry never does it twice."""

    event = models.ForeignKey(OutboxEvent, on_delete=models.CASCADE, related_name="handler_runs")
    handler = models.CharField(max_length=200)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "handler"], name="uniq_handler_run")]
