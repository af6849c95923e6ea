"""The door to any registered record, and to what hangs on one (attachments, comments).

Attachments and comments belong to a record of some app the platform does not import; the
registry names its model and view permission, so "may read X" is decided here the same way
for every record type. Whoever cannot read the record gets NotFound, as for the record itself.
"""

from typing import Any

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models

from . import access
from .errors import NotFound
from .models import Attachment, Company, User
from .registry import RecordType, record_type


def visible_rows(rt: RecordType, *, user: User, company: Company) -> models.QuerySet:
    """The records of this type the user may read: the type's own rule, else its view permission
    within the user's record scope."""
    visible = getattr(rt, "visible", None)
    if visible is not None:
        return visible(user, company).filter(company=company)
    return access.scoped(rt.model._default_manager.all(), user=user, company=company, perm=rt.view_permission)


def access_registered_record(
    *, user: User, company: Company, key: str, id: Any, for_update: bool = False
) -> tuple[RecordType, models.Model]:
    """A record of any registered type by key and id, if the user may read it, else NotFound."""
    rt = record_type(str(key)[:60])
    if rt is None:
        raise NotFound()
    access.require_module(company, rt.module)
    qs = visible_rows(rt, user=user, company=company)
    if for_update:
        qs = qs.select_for_update()
    try:
        return rt, qs.get(pk=id)
    except (ObjectDoesNotExist, ValueError, TypeError, ValidationError):
        raise NotFound()


def access_attachment(*, user: User, company: Company, id: Any, for_update: bool = False) -> Attachment:
    qs = Attachment.objects.filter(company=company)
    if for_update:
        qs = qs.select_for_update()
    try:
        attachment = qs.get(pk=id)
    except (Attachment.DoesNotExist, ValueError, TypeError, ValidationError):
        raise NotFound()
    access_registered_record(user=user, company=company, key=attachment.object_type, id=attachment.object_id)
    return attachment
