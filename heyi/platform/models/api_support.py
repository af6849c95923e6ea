from django.db import models
from django.utils.translation import gettext_lazy as _

from .base import CompanyOwned, UUIDModel


class ApiToken(UUIDModel):
    """A personal token; only its hash is kept, the token itself is shown once."""

    user = models.ForeignKey("platform.User", on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]


class IdempotencyRecord(CompanyOwned):
    """The first response to a POST carrying an Idempotency-Key, replayed for its repeats."""

    user = models.ForeignKey("platform.User", on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(null=True)
    response_body = models.BinaryField(null=True)
    response_type = models.CharField(max_length=100, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["company", "user", "key"], name="uniq_idempotency_key")
        ]
