"""Tags: a company's shared labels for partners, kept by anyone who manages customers or suppliers."""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from heyi.platform.errors import NotPermitted, ValidationFailed
from heyi.platform.models import Company, User
from heyi.platform.services.records import record_create, record_delete, record_update

from ..access import access_tag, can_manage_partners
from ..models import Tag
from ..permissions import MANAGE_CUSTOMERS, MANAGE_SUPPLIERS
from .common import allowed, unique_or_field_error

TAG_FIELDS = {"name", "colour"}
DUPLICATE_NAME = _("A tag with this name already exists.")


def _require_manage(actor: User, company: Company) -> None:
    if not can_manage_partners(actor, company):
        raise NotPermitted(permission=f"{MANAGE_CUSTOMERS} / {MANAGE_SUPPLIERS}")


def _name_free(company: Company, name: Any, exclude_pk: Any = None) -> None:
    if name and Tag.objects.filter(company=company, name=name).exclude(pk=exclude_pk).exists():
        raise ValidationFailed(fields={"name": [str(DUPLICATE_NAME)]})


def tag_create(*, actor: User, company: Company, **fields: Any) -> Tag:
    _require_manage(actor, company)
    data = allowed(fields, TAG_FIELDS)
    with transaction.atomic():
        _name_free(company, data.get("name"))
        return unique_or_field_error(
            lambda: record_create(actor=actor, company=company, obj=Tag(**data)), "name", DUPLICATE_NAME
        )


def tag_update(*, actor: User, company: Company, tag: Tag, data: dict[str, Any], version: int | None) -> Tag:
    _require_manage(actor, company)
    fields = allowed(data, TAG_FIELDS)
    with transaction.atomic():
        locked = access_tag(user=actor, company=company, id=tag.pk, for_update=True)
        _name_free(company, fields.get("name"), exclude_pk=locked.pk)
        unique_or_field_error(
            lambda: record_update(actor=actor, company=company, obj=locked, data=fields, version=version),
            "name",
            DUPLICATE_NAME,
        )
    return locked


def tag_delete(*, actor: User, company: Company, tag: Tag) -> None:
    """Remove a tag from the company and from every partner that carried it."""
    _require_manage(actor, company)
    with transaction.atomic():
        locked = access_tag(user=actor, company=company, id=tag.pk, for_update=True)
        record_delete(actor=actor, company=company, obj=locked)
