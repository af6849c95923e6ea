"""Attachments: files on any registered record, checked before they are stored.

The size, the uploader's and the company's quota, the real type (read from the content, never
from the name or the browser's claim), zip bombs and hostile file names are all dealt with here,
so the API and the web page accept exactly the same files. Download links are signed for one
user and one attachment and expire.
"""

import hashlib
import io
import re
import unicodedata
import zipfile
from typing import Any

import filetype
from django.conf import settings
from django.core import signing
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from .. import access
from ..errors import FileTooLarge, NotFound, NotPermitted, QuotaExceeded, ValidationFailed
from ..models import Attachment, Company, User
from ..record_access import access_attachment, access_registered_record
from .audit import audit_record

MAX_NAME = 255
ZIP_MAX_RATIO = 100
ZIP_MAX_EXPANDED = 200 * 1024 * 1024
ZIP_MAX_MEMBERS = 10000
# Shown in the browser; everything else is downloaded (SVG and HTML could run script).
INLINE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf"})
SIGNING_SALT = "heyi.attachment.download"

_FORBIDDEN_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}


def safe_file_name(name: str) -> str:
    """A file name with no path, no control or direction characters, at most 255 characters."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = re.split(r"[/\\]", name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch) not in _FORBIDDEN_CATEGORIES)
    name = name.strip().lstrip(".").strip()
    if not name:
        return "file"
    if len(name) > MAX_NAME:
        stem, dot, ext = name.rpartition(".")
        if dot and stem and 0 < len(ext) <= 16:
            name = stem[: MAX_NAME - len(ext) - 1] + "." + ext
        else:
            name = name[:MAX_NAME]
    return name


def _looks_like_text(data: bytes) -> str | None:
    if b"\x00" in data[:8192]:
        return None
    head = data[:65536]
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return head.decode(encoding)
        except UnicodeDecodeError as exc:
            if len(data) > len(head) and exc.start >= len(head) - 4:  # a character cut at the edge
                return head[: exc.start].decode(encoding, errors="replace")
    return None


def detect_content_type(data: bytes, name: str) -> str:
    """The type a file really has, read from its first bytes; the name only tells CSV from text."""
    kind = filetype.guess(data[:8192])
    if kind is not None:
        return kind.mime
    text = _looks_like_text(data)
    if text is None:
        return "application/octet-stream"
    head = text.lstrip()[:1024].lower()
    if "<svg" in head and (
        head.startswith("<svg") or head.startswith("<?xml") or head.startswith("<!doctype svg")
    ):
        return "image/svg+xml"
    if head.startswith(("<!doctype html", "<html", "<head", "<body", "<script")):
        return "text/html"
    if name.lower().endswith(".csv"):
        return "text/csv"
    return "text/plain"


def check_zip_safe(data: bytes) -> None:
    """Refuse archives (xlsx, docx, zip...) that expand far beyond their size: zip bombs."""
    if not data.startswith(b"PK"):
        return
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, NotImplementedError, EOFError):
        raise ValidationFailed(fields={"file": [_("The file looks like a damaged archive.")]})
    expanded = sum(m.file_size for m in members)
    if (
        len(members) > ZIP_MAX_MEMBERS
        or expanded > ZIP_MAX_EXPANDED
        or expanded > ZIP_MAX_RATIO * max(len(data), 1)
    ):
        raise ValidationFailed(fields={"file": [_("The archive expands to far more data than it holds.")]})


def read_upload(upload: Any, *, max_bytes: int | None = None) -> bytes:
    """The uploaded bytes, refusing a file over the size limit before reading it all."""
    limit = settings.HEYI_ATTACHMENT_MAX_BYTES if max_bytes is None else max_bytes
    if upload is None:
        raise ValidationFailed(fields={"file": [_("Choose a file.")]})
    if (upload.size or 0) > limit:
        raise FileTooLarge(max_bytes=limit)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise FileTooLarge(max_bytes=limit)
    return data


def _used(company: Company, **filters: Any) -> int:
    return Attachment.objects.filter(company=company, **filters).aggregate(total=Sum("size"))["total"] or 0


def attachment_create(
    *, actor: User, company: Company, record_key: str, record_id: Any, upload: Any
) -> Attachment:
    """Attach an uploaded file to a record the actor can read."""
    rt, record = access_registered_record(user=actor, company=company, key=record_key, id=record_id)
    data = read_upload(upload)
    name = safe_file_name(getattr(upload, "name", "") or "")
    content_type = detect_content_type(data, name)
    check_zip_safe(data)
    attachment = Attachment(
        company=company,
        object_type=rt.key,
        object_id=str(record.pk),
        name=name,
        size=len(data),
        content_type=content_type,
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by=actor,
    )
    with transaction.atomic():
        Company.objects.select_for_update().filter(pk=company.pk).first()  # one quota check at a time
        if _used(company, uploaded_by=actor) + len(data) > settings.HEYI_ATTACHMENT_USER_QUOTA:
            raise QuotaExceeded(_("Your storage quota is used up."))
        if _used(company) + len(data) > settings.HEYI_ATTACHMENT_COMPANY_QUOTA:
            raise QuotaExceeded(_("Your company's storage quota is used up."))
        attachment.file.save(name, ContentFile(data), save=False)
        stored = attachment.file.name or ""
        try:
            attachment.save(force_insert=True)
            audit_record(
                actor=actor,
                company=company,
                action="attachment_add",
                object_type=rt.key,
                object_id=str(record.pk),
                object_repr=str(record),
                changes={"attachment": [None, name], "attachment_id": [None, str(attachment.pk)]},
            )
        except Exception:
            attachment.file.storage.delete(stored)
            raise
    return attachment


def attachment_delete(*, actor: User, company: Company, attachment: Attachment) -> None:
    """The uploader or an administrator removes a file; the stored bytes go once the row is gone."""
    with transaction.atomic():
        locked = access_attachment(user=actor, company=company, id=attachment.pk, for_update=True)
        if locked.uploaded_by_id != actor.pk and not access.grants(actor, company).is_admin:
            raise NotPermitted()
        _rt, record = access_registered_record(
            user=actor, company=company, key=locked.object_type, id=locked.object_id
        )
        storage, stored = locked.file.storage, locked.file.name or ""
        audit_record(
            actor=actor,
            company=company,
            action="attachment_delete",
            object_type=locked.object_type,
            object_id=locked.object_id,
            object_repr=str(record),
            changes={"attachment": [locked.name, None], "attachment_id": [str(locked.pk), None]},
        )
        locked.delete()
        transaction.on_commit(lambda: storage.delete(stored))


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=SIGNING_SALT)


def download_token(*, user: User, company: Company, attachment: Attachment) -> str:
    """A token naming this user, company and attachment; it expires after the configured TTL."""
    return _signer().sign_object({"a": str(attachment.pk), "u": str(user.pk), "c": str(company.pk)})


def download_open(token: str) -> tuple[Attachment, User]:
    """The attachment a token grants, if it is genuine, fresh, and its user may still read the record."""
    try:
        claims = _signer().unsign_object(token[:1000], max_age=settings.HEYI_DOWNLOAD_LINK_TTL)
    except (signing.BadSignature, ValueError, TypeError):
        raise NotFound()
    user = User.objects.filter(pk=claims.get("u"), is_active=True).first()
    company = Company.objects.filter(pk=claims.get("c"), is_active=True).first()
    if user is None or company is None or not access.is_member(user, company):
        raise NotFound()
    return access_attachment(user=user, company=company, id=claims.get("a")), user


def serve_inline(attachment: Attachment) -> bool:
    return attachment.content_type in INLINE_TYPES
