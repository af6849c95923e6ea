"""Endpoints that work on any registered record: attachments, comments, global search, imports."""

import datetime
import uuid

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from .errors import NotFound
from .http.auth import api_auth
from .http.pagination import paginate
from .models import Attachment, Comment, ImportBatch
from .record_access import access_attachment, access_registered_record
from .schemas import ErrorOut, JobOut, page_of
from .search import global_search
from .services import comments as comment_services
from .services import files as file_services
from .services import imports as import_services

ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 413: ErrorOut}

router = Router(auth=api_auth(), tags=["records"])


class AttachmentOut(Schema):
    id: uuid.UUID
    record: str
    record_id: str
    name: str
    size: int
    content_type: str
    sha256: str
    uploaded_by: str | None
    created_at: datetime.datetime

    @staticmethod
    def resolve_record(obj: Attachment) -> str:
        return obj.object_type

    @staticmethod
    def resolve_record_id(obj: Attachment) -> str:
        return obj.object_id

    @staticmethod
    def resolve_uploaded_by(obj: Attachment) -> str | None:
        return obj.uploaded_by.username if obj.uploaded_by_id else None


class DownloadLinkOut(Schema):
    url: str
    expires_at: datetime.datetime


class CommentIn(Schema):
    record: str = Field(..., max_length=60)
    record_id: str = Field(..., max_length=64)
    body: str = Field(..., max_length=20000)


class CommentOut(Schema):
    id: uuid.UUID
    record: str
    record_id: str
    author: str
    author_name: str
    body: str
    mentions: list[str]
    created_at: datetime.datetime

    @staticmethod
    def resolve_record(obj: Comment) -> str:
        return obj.object_type

    @staticmethod
    def resolve_record_id(obj: Comment) -> str:
        return obj.object_id

    @staticmethod
    def resolve_author(obj: Comment) -> str:
        return obj.author.username

    @staticmethod
    def resolve_author_name(obj: Comment) -> str:
        return str(obj.author)

    @staticmethod
    def resolve_mentions(obj: Comment) -> list[str]:
        return sorted(u.username for u in obj.mentions.all())


class SearchHit(Schema):
    type: str
    label: str
    id: str
    title: str
    subtitle: str
    url: str


class SearchOut(Schema):
    q: str
    items: list[SearchHit]
    count: int


class ImportErrorOut(Schema):
    row: int
    column: str
    message: str


class ImportOut(Schema):
    id: uuid.UUID
    spec: str
    file_name: str
    shared_values: dict[str, str]
    status: str
    total_rows: int
    error_count: int
    created_count: int
    errors: list[ImportErrorOut]
    job: JobOut | None
    created_at: datetime.datetime
    imported_at: datetime.datetime | None


# -- attachments ------------------------------------------------------------------------------


@router.get("/attachments", response={200: page_of(AttachmentOut), **ERRORS})
def attachments(
    request: HttpRequest, record: str = Query(..., max_length=60), record_id: str = Query(..., max_length=64)
):
    """The files on one record (only for those who can read the record)."""
    rt, obj = access_registered_record(user=request.actor, company=request.company, key=record, id=record_id)
    qs = Attachment.objects.filter(company=request.company, object_type=rt.key, object_id=str(obj.pk))
    return paginate(request, qs.select_related("uploaded_by").order_by("-created_at", "pk"))


@router.post("/attachments", response={201: AttachmentOut, **ERRORS})
def attachment_upload(
    request: HttpRequest,
    record: Form[str],
    record_id: Form[str],
    file: File[UploadedFile],
):
    """Upload a file to a record (multipart: record, record_id, file)."""
    attachment = file_services.attachment_create(
        actor=request.actor, company=request.company, record_key=record, record_id=record_id, upload=file
    )
    return Status(201, attachment)


@router.get("/attachments/{attachment_id}", response={200: AttachmentOut, **ERRORS})
def attachment_detail(request: HttpRequest, attachment_id: uuid.UUID):
    return access_attachment(user=request.actor, company=request.company, id=attachment_id)


@router.get("/attachments/{attachment_id}/download-link", response={200: DownloadLinkOut, **ERRORS})
def attachment_download_link(request: HttpRequest, attachment_id: uuid.UUID):
    """A link that downloads the file without signing in; it is for this user only and expires."""
    attachment = access_attachment(user=request.actor, company=request.company, id=attachment_id)
    token = file_services.download_token(user=request.actor, company=request.company, attachment=attachment)
    return {
        "url": request.build_absolute_uri(reverse("web:attachment_download", args=[token])),
        "expires_at": timezone.now() + datetime.timedelta(seconds=settings.HEYI_DOWNLOAD_LINK_TTL),
    }


@router.delete("/attachments/{attachment_id}", response={204: None, **ERRORS})
def attachment_delete(request: HttpRequest, attachment_id: uuid.UUID):
    """Only the uploader or an administrator may remove a file."""
    attachment = access_attachment(user=request.actor, company=request.company, id=attachment_id)
    file_services.attachment_delete(actor=request.actor, company=request.company, attachment=attachment)
    return Status(204, None)


# -- comments ---------------------------------------------------------------------------------


@router.get("/comments", response={200: page_of(CommentOut), **ERRORS})
def comments(
    request: HttpRequest, record: str = Query(..., max_length=60), record_id: str = Query(..., max_length=64)
):
    rt, obj = access_registered_record(user=request.actor, company=request.company, key=record, id=record_id)
    qs = Comment.objects.filter(company=request.company, object_type=rt.key, object_id=str(obj.pk))
    return paginate(
        request, qs.select_related("author").prefetch_related("mentions").order_by("created_at", "pk")
    )


@router.post("/comments", response={201: CommentOut, **ERRORS})
def comment_create(request: HttpRequest, payload: CommentIn):
    """Comment on a record; `@username` notifies colleagues who can read the record."""
    comment = comment_services.comment_create(
        actor=request.actor,
        company=request.company,
        record_key=payload.record,
        record_id=payload.record_id,
        body=payload.body,
    )
    return Status(201, comment)


@router.get("/comments/{comment_id}", response={200: CommentOut, **ERRORS})
def comment_detail(request: HttpRequest, comment_id: uuid.UUID):
    comment = Comment.objects.filter(company=request.company, pk=comment_id).select_related("author").first()
    if comment is None:
        raise NotFound()
    access_registered_record(
        user=request.actor, company=request.company, key=comment.object_type, id=comment.object_id
    )
    return comment


# -- search -----------------------------------------------------------------------------------


@router.get("/search", response={200: SearchOut, **ERRORS})
def search(request: HttpRequest, q: str = ""):
    """Every record you may see whose name, code or pinyin initials (`hzkj`) match."""
    items = global_search(user=request.actor, company=request.company, q=q)
    return {"q": q.strip(), "items": items, "count": len(items)}


# -- imports ----------------------------------------------------------------------------------


def _my_batches(request: HttpRequest):
    from . import access
    from .permissions import MANAGE_JOBS

    qs = ImportBatch.objects.filter(company=request.company).select_related("job")
    if not access.has_perm(request.actor, request.company, MANAGE_JOBS):
        qs = qs.filter(created_by=request.actor)
    return qs


@router.get("/imports/templates/{spec}", response={200: None, **ERRORS})
def import_template(request: HttpRequest, spec: str):
    """An empty Excel file with the right header row for this import."""
    found = import_services.access_import_spec(user=request.actor, company=request.company, key=spec)
    response = HttpResponse(
        import_services.import_template(found),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{found.key}-template.xlsx"'
    return response


@router.get("/imports", response={200: page_of(ImportOut), **ERRORS})
def imports(request: HttpRequest, spec: str = "", status: str = ""):
    qs = _my_batches(request)
    if spec:
        qs = qs.filter(spec=spec[:60])
    if status:
        qs = qs.filter(status=status[:10])
    return paginate(request, qs.order_by("-created_at", "pk"))


@router.post("/imports", response={201: ImportOut, **ERRORS})
def import_upload(
    request: HttpRequest, spec: Form[str], file: File[UploadedFile], shared_values: Form[str] = ""
):
    """Upload an .xlsx or .csv file; every row is checked at once (nothing is saved yet).
    `shared_values`, a JSON object such as `{"account": "1002"}`, fills the spec's shared columns
    where the file leaves them out or empty."""
    batch = import_services.import_upload(
        actor=request.actor,
        company=request.company,
        spec_key=spec,
        upload=file,
        shared_values=import_services.shared_values_parsed(shared_values),
    )
    return Status(201, batch)


@router.get("/imports/{batch_id}", response={200: ImportOut, **ERRORS})
def import_detail(request: HttpRequest, batch_id: uuid.UUID):
    return import_services.access_import_batch(user=request.actor, company=request.company, id=batch_id)


@router.post("/imports/{batch_id}/commit", response={200: ImportOut, **ERRORS})
def import_commit(request: HttpRequest, batch_id: uuid.UUID):
    """Import a checked file in one transaction: every row, or none if any row fails."""
    batch = import_services.access_import_batch(user=request.actor, company=request.company, id=batch_id)
    return import_services.import_commit(actor=request.actor, company=request.company, batch=batch)
