import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..pinyin import mnemonic


class UUIDModel(models.Model):
    """Identified outside the database by a UUID, never by a guessable integer."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class CompanyOwned(UUIDModel):
    """Every business table carries its company; queries, indexes and unique keys lead with it."""

    company = models.ForeignKey(
        "platform.Company", on_delete=models.PROTECT, related_name="+", editable=False
    )

    class Meta:
        abstract = True


class Versioned(models.Model):
    """Optimistic locking: an edit names the version it read; a stale one is refused."""

    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        abstract = True


class Owned(models.Model):
    """A record with an owner, which record scopes (own / department / company) filter on."""

    owner = models.ForeignKey(
        "platform.User",
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        abstract = True


class WithMnemonic(models.Model):
    """Keeps the pinyin mnemonic of `name` in step with it for search by initials."""

    mnemonic = models.CharField(_("mnemonic"), max_length=255, blank=True, db_index=True, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.mnemonic = mnemonic(getattr(self, "name", ""))
        if kwargs.get("update_fields") is not None and "name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "mnemonic"}
        super().save(*args, **kwargs)
