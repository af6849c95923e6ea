"""Search, comments and attachments on any registered record, and the signed file download."""

from urllib.parse import quote

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from heyi.platform import access
from heyi.platform.errors import DomainError, NotFound, ValidationFailed
from heyi.platform.models import Attachment, Comment
from heyi.platform.record_access import access_attachment, access_registered_record
from heyi.platform.search import global_search
from heyi.platform.services import comments as comment_services
from heyi.platform.services import files as file_services
from heyi.platform.webkit import company_view


@company_view()
def search(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()
    results: list[dict] = []
    error = None
    if q:
        try:
            results = global_search(user=request.user, company=request.company, q=q)
        except ValidationFailed as exc:
            error = "; ".join(str(m) for m in exc.fields.get("q", [exc.message]))
    ctx = {"results": results, "search_q": q[:200], "error": error, "searched": bool(q)}
    return render(request, "web/search.html", ctx, status=400 if error else 200)


def _after_post(request: HttpRequest, rt, record, render_fragment) -> HttpResponse:
    """htmx swaps the fragment in place; a plain form post goes back to the record."""
    if request.headers.get("HX-Request"):
        return render_fragment()
    url = comment_services.record_url(rt, record)
    return redirect(url) if url else render_fragment()


@company_view()
def comments(request: HttpRequest, key: str, pk) -> HttpResponse:
    rt, record = access_registered_record(user=request.user, company=request.company, key=key, id=pk)
    error = None
    body = ""
    if request.method == "POST":
        body = request.POST.get("body", "")
        try:
            comment_services.comment_create(
                actor=request.user, company=request.company, record_key=rt.key, record_id=record.pk, body=body
            )
        except ValidationFailed as exc:
            error = "; ".join(str(m) for messages in exc.fields.values() for m in messages) or str(
                exc.message
            )
        else:
            body = ""

    def fragment() -> HttpResponse:
        items = (
            Comment.objects.filter(company=request.company, object_type=rt.key, object_id=str(record.pk))
            .select_related("author")
            .order_by("created_at", "pk")
        )
        ctx = {"rt": rt, "record": record, "comments": items, "error": error, "body": body}
        return render(request, "web/_comments.html", ctx)

    if request.method == "POST" and error is None:
        return _after_post(request, rt, record, fragment)
    return fragment()


def _attachments_fragment(request: HttpRequest, rt, record, error: str | None = None) -> HttpResponse:
    items = (
        Attachment.objects.filter(company=request.company, object_type=rt.key, object_id=str(record.pk))
        .select_related("uploaded_by")
        .order_by("-created_at", "pk")
    )
    is_admin = access.grants(request.user, request.company).is_admin
    rows = [
        {
            "obj": a,
            "url": _download_url(request, a),
            "can_delete": is_admin or a.uploaded_by_id == request.user.pk,
        }
        for a in items
    ]
    return render(
        request, "web/_attachments.html", {"rt": rt, "record": record, "rows": rows, "error": error}
    )


def _download_url(request: HttpRequest, attachment: Attachment) -> str:
    from django.urls import reverse

    token = file_services.download_token(user=request.user, company=request.company, attachment=attachment)
    return reverse("web:attachment_download", args=[token])


@company_view()
def attachments(request: HttpRequest, key: str, pk) -> HttpResponse:
    rt, record = access_registered_record(user=request.user, company=request.company, key=key, id=pk)
    if request.method == "POST":
        try:
            file_services.attachment_create(
                actor=request.user,
                company=request.company,
                record_key=rt.key,
                record_id=record.pk,
                upload=request.FILES.get("file"),
            )
        except DomainError as exc:
            if exc.status in (403, 404):
                raise
            message = "; ".join(str(m) for messages in exc.fields.values() for m in messages) or str(
                exc.message
            )
            return _attachments_fragment(request, rt, record, message)
        return _after_post(request, rt, record, lambda: _attachments_fragment(request, rt, record))
    return _attachments_fragment(request, rt, record)


@require_POST
@company_view()
def attachment_delete(request: HttpRequest, key: str, pk, attachment_id) -> HttpResponse:
    rt, record = access_registered_record(user=request.user, company=request.company, key=key, id=pk)
    attachment = access_attachment(user=request.user, company=request.company, id=attachment_id)
    if attachment.object_type != rt.key or attachment.object_id != str(record.pk):
        raise NotFound()
    file_services.attachment_delete(actor=request.user, company=request.company, attachment=attachment)
    return _after_post(request, rt, record, lambda: _attachments_fragment(request, rt, record))


@require_GET
def attachment_download(request: HttpRequest, token: str) -> HttpResponse:
    """The file behind a signed link: no session needed, but the link names its user and expires."""
    try:
        attachment, _user = file_services.download_open(token)
    except DomainError:
        raise Http404()
    inline = file_services.serve_inline(attachment)
    response = FileResponse(
        attachment.file.open("rb"),
        content_type=attachment.content_type if inline else _download_type(attachment.content_type),
    )
    disposition = "inline" if inline else "attachment"
    ascii_name = (
        attachment.name.encode("ascii", "ignore").decode().replace('"', "").replace("\\", "") or "file"
    )
    response["Content-Disposition"] = (
        f"{disposition}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(attachment.name, safe='')}"
    )
    response["Content-Length"] = str(attachment.size)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


def _download_type(content_type: str) -> str:
    """Types a browser could run (HTML, SVG, XML) are sent as plain bytes."""
    risky = ("text/html", "image/svg+xml", "application/xhtml+xml", "text/xml", "application/xml")
    return "application/octet-stream" if content_type in risky else content_type
