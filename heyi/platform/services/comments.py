"""Comments on any registered record, with @mentions that notify colleagues.

A comment is plain text (templates escape it). Only members who can read the record are
notified when mentioned, so a mention never leaks a record to someone outside its scope.
"""

import re
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext as _

from ..errors import DomainError, ValidationFailed
from ..models import Comment, Company, Membership, User
from ..record_access import access_registered_record
from ..registry import RecordType
from .audit import audit_record
from .notifications import notify

MAX_BODY = 5000
MENTION = re.compile(r"(?<![\w@.])@([\w.+-]*\w)")


def mentioned_usernames(body: str) -> set[str]:
    return {m.group(1) for m in MENTION.finditer(body)}


def record_url(rt: RecordType, record: Any) -> str:
    if not rt.detail_url_name:
        return ""
    try:
        return reverse(rt.detail_url_name, args=[record.pk])
    except NoReverseMatch:
        return ""


def _readers(company: Company, rt: RecordType, record: Any, usernames: set[str], author: User) -> list[User]:
    """The named members of the company who can read the record (the author excepted)."""
    if not usernames:
        return []
    candidates = User.objects.filter(
        pk__in=Membership.objects.filter(company=company, is_active=True).values("user_id"),
        username__in=list(usernames)[:50],
        is_active=True,
    ).exclude(pk=author.pk)
    readers = []
    for user in candidates:
        try:
            access_registered_record(user=user, company=company, key=rt.key, id=record.pk)
        except DomainError:
            continue
        readers.append(user)
    return readers


def comment_create(*, actor: User, company: Company, record_key: str, record_id: Any, body: str) -> Comment:
    """Add a comment to a record the actor can read; notify the members it mentions."""
    rt, record = access_registered_record(user=actor, company=company, key=record_key, id=record_id)
    body = (body or "").replace("\x00", "").strip()
    if not body:
        raise ValidationFailed(fields={"body": [_("Write something first.")]})
    if len(body) > MAX_BODY:
        raise ValidationFailed(
            fields={"body": [_("A comment has at most %(max)s characters.") % {"max": MAX_BODY}]}
        )
    mentioned = _readers(company, rt, record, mentioned_usernames(body), actor)
    link = record_url(rt, record)
    with transaction.atomic():
        comment = Comment.objects.create(
            company=company, object_type=rt.key, object_id=str(record.pk), author=actor, body=body
        )
        comment.mentions.set(mentioned)
        audit_record(
            actor=actor,
            company=company,
            action="comment",
            object_type=rt.key,
            object_id=str(record.pk),
            object_repr=str(record),
            changes={"comment": [None, body[:200]], "comment_id": [None, str(comment.pk)]},
        )
        for user in mentioned:
            with translation.override(user.language or settings.LANGUAGE_CODE):
                title = _("%(user)s mentioned you on %(record)s") % {"user": actor, "record": record}
            notify(
                company=company,
                recipients=[user],
                kind="mention",
                title=title,
                body=body,
                link=link,
                actor=actor,
            )
    return comment
