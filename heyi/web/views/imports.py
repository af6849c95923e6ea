"""The import page of any import spec: upload, watch the check, read the error report, import."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from heyi.platform.errors import DomainError
from heyi.platform.models import ImportBatch
from heyi.platform.services import imports as import_services
from heyi.platform.webkit import company_view

RUNNING = (ImportBatch.Status.CHECKING, ImportBatch.Status.IMPORTING)


def _message(exc: DomainError) -> str:
    return "; ".join(str(m) for messages in exc.fields.values() for m in messages) or str(exc.message)


def _shared_value(request: HttpRequest, key: str) -> str:
    """A shared column's value: as sent with the file, or as a page linking here proposes it
    (`?account=1002`)."""
    if request.method == "POST":
        return request.POST.get(f"shared_{key}", "")
    return request.GET.get(key, "")


@company_view()
def import_start(request: HttpRequest, spec: str) -> HttpResponse:
    found = import_services.access_import_spec(user=request.user, company=request.company, key=spec)
    error = None
    status = 200
    shared = [{"column": c, "value": _shared_value(request, c.key)} for c in found.columns if c.shared]
    if request.method == "POST":
        try:
            batch = import_services.import_upload(
                actor=request.user,
                company=request.company,
                spec_key=found.key,
                upload=request.FILES.get("file"),
                shared_values={c["column"].key: c["value"] for c in shared},
            )
        except DomainError as exc:
            if exc.status in (403, 404):
                raise
            error, status = _message(exc), exc.status
        else:
            return redirect("web:import_batch", pk=batch.pk)
    recent = ImportBatch.objects.filter(
        company=request.company, spec=found.key, created_by=request.user
    ).order_by("-created_at")[:10]
    ctx = {"spec": found, "title": found.label, "error": error, "recent": recent, "shared": shared}
    return render(request, "web/import.html", ctx, status=status)


def _batch_context(request: HttpRequest, batch: ImportBatch) -> dict:
    from heyi.platform.imports import import_spec

    spec = import_spec(batch.spec)
    labels = {c.key: c.label for c in spec.columns} if spec else {}
    errors = [{**e, "label": labels.get(e.get("column", ""), e.get("column", ""))} for e in batch.errors]
    return {
        "batch": batch,
        "spec": spec,
        "title": spec.label if spec else batch.spec,
        "errors": errors,
        "running": batch.status in RUNNING,
        "job": batch.job,
    }


@company_view()
def import_batch(request: HttpRequest, pk) -> HttpResponse:
    batch = import_services.access_import_batch(user=request.user, company=request.company, id=pk)
    return render(request, "web/import_batch.html", _batch_context(request, batch))


@company_view()
def import_status(request: HttpRequest, pk) -> HttpResponse:
    """The part of the batch page that htmx polls while the job runs."""
    batch = import_services.access_import_batch(user=request.user, company=request.company, id=pk)
    return render(request, "web/import_status.html", _batch_context(request, batch))


@require_POST
@company_view()
def import_commit(request: HttpRequest, pk) -> HttpResponse:
    batch = import_services.access_import_batch(user=request.user, company=request.company, id=pk)
    try:
        batch = import_services.import_commit(actor=request.user, company=request.company, batch=batch)
    except DomainError as exc:
        if exc.status in (403, 404):
            raise
        from django.contrib import messages

        messages.error(request, _message(exc))
    if request.headers.get("HX-Request"):
        return render(request, "web/import_status.html", _batch_context(request, batch))
    return redirect("web:import_batch", pk=batch.pk)


@company_view()
def import_template(request: HttpRequest, spec: str) -> HttpResponse:
    found = import_services.access_import_spec(user=request.user, company=request.company, key=spec)
    response = HttpResponse(
        import_services.import_template(found),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{found.key}-template.xlsx"'
    return response
