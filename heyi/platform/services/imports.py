"""The import engine: an Excel or CSV file of records, checked row by row, then imported whole.

Upload stores the file and starts a check job, which creates every row through the app's own
service inside a transaction that is rolled back, so the error report (row, column, message)
is exactly what a real import would hit. Importing runs the same rows again in ONE transaction:
one bad row and nothing is written. Both run as background jobs that report their progress.
"""

import csv
import datetime
import decimal
import io
import json
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connection, connections, transaction
from django.db.utils import load_backend
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .. import access, context
from ..errors import DomainError, InvalidTransition, NotFound, ValidationFailed
from ..imports import ImportSpec, import_spec
from ..jobs import job_kind
from ..models import Company, ImportBatch, Job, User
from .audit import audit_record
from .files import check_zip_safe, read_upload, safe_file_name
from .jobs import job_start

MAX_REPORTED_ERRORS = 500
EXTENSIONS = (".xlsx", ".csv")
Progress = Callable[[int, int, str], None]


class FileProblem(Exception):
    """The file as a whole cannot be read as a table of this import."""


def access_import_spec(*, user: User, company: Company, key: str) -> ImportSpec:
    spec = import_spec(str(key)[:60])
    if spec is None:
        raise NotFound()
    access.require_module(company, spec.module)
    access.require_perm(user, company, spec.permission)
    return spec


def access_import_batch(*, user: User, company: Company, id: Any, for_update: bool = False) -> ImportBatch:
    """A batch of the company, seen by the one who uploaded it or by whoever manages jobs."""
    from ..permissions import MANAGE_JOBS

    qs = ImportBatch.objects.filter(company=company)
    if not access.has_perm(user, company, MANAGE_JOBS):
        qs = qs.filter(created_by=user)
    if for_update:
        qs = qs.select_for_update()
    try:
        return qs.get(pk=id)
    except (ImportBatch.DoesNotExist, ValueError, TypeError, ValidationError):
        raise NotFound()


# -- reading the file ---------------------------------------------------------------------------


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return str(decimal.Decimal(repr(value)))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(sep=" ")
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    return str(value).strip()


def _xlsx_rows(data: bytes) -> Iterator[list[str]]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        raise FileProblem(_("The file is not a readable Excel workbook (.xlsx)."))
    try:
        ws = wb.worksheets[0]
        for row in ws.iter_rows(values_only=True):
            yield [_cell_text(v) for v in row]
    finally:
        wb.close()


def _csv_rows(data: bytes) -> Iterator[list[str]]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise FileProblem(_("The CSV file is neither UTF-8 nor GBK text."))
    if "\x00" in text:
        raise FileProblem(_("The CSV file is not text."))
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            yield [c.strip() for c in row]
    except csv.Error:
        raise FileProblem(_("The CSV file is malformed."))


def _normal(text: str) -> str:
    return " ".join(str(text).replace("*", " ").split()).casefold()


def header_names(spec: ImportSpec) -> dict[str, str]:
    """Every header text that names a column: its key, its aliases and its label in English and
    Chinese."""
    names: dict[str, str] = {}
    for column in spec.columns:
        names.setdefault(_normal(column.key), column.key)
        for alias in column.aliases:
            names.setdefault(_normal(alias), column.key)
        for language in ("en", "zh-hans"):
            with translation.override(language):
                names.setdefault(_normal(str(column.label)), column.key)
    return names


def read_table(
    spec: ImportSpec, file_name: str, data: bytes, shared: dict[str, str] | None = None
) -> tuple[list[str | None], list[tuple[int, list[str]]]]:
    """The column key of each header cell and the non-empty data rows with their row numbers."""
    rows = _xlsx_rows(data) if file_name.lower().endswith(".xlsx") else _csv_rows(data)
    header: list[str | None] | None = None
    body: list[tuple[int, list[str]]] = []
    names = header_names(spec)
    limit = settings.HEYI_IMPORT_MAX_ROWS
    for number, cells in enumerate(rows, start=1):
        if not any(cells):
            continue
        if header is None:
            seen: set[str] = set()
            header = []
            for cell in cells:
                key = names.get(_normal(cell))
                header.append(key if key not in seen else None)
                if key:
                    seen.add(key)
            continue
        body.append((number, cells))
        if len(body) > limit:
            raise FileProblem(
                _("The file has more than %(max)s rows; split it into smaller files.") % {"max": limit}
            )
    if header is None:
        raise FileProblem(_("The file is empty."))
    missing = [
        str(c.label)
        for c in spec.columns
        if c.required and c.key not in header and not (shared or {}).get(c.key)
    ]
    if missing:
        raise FileProblem(_("Required columns are missing: %(columns)s.") % {"columns": ", ".join(missing)})
    if not body:
        raise FileProblem(_("The file has a header row but no data."))
    return header, body


# -- running the rows ---------------------------------------------------------------------------


def _row_values(
    spec: ImportSpec, header: list[str | None], cells: list[str], shared: dict[str, str]
) -> dict[str, str]:
    values = {c.key: "" for c in spec.columns}
    for key, cell in zip(header, cells, strict=False):
        if key:
            values[key] = cell
    for key, value in shared.items():
        if key in values and not values[key].strip():
            values[key] = value
    return values


def _row_errors(spec: ImportSpec, number: int, exc: DomainError) -> list[dict[str, Any]]:
    keys = {c.key for c in spec.columns}
    errors = []
    for field, messages in exc.fields.items():
        column = (
            field if field in keys else field.removesuffix("_id") if field.removesuffix("_id") in keys else ""
        )
        for message in messages:
            errors.append({"row": number, "column": column, "message": str(message)})
    if not errors:
        errors.append({"row": number, "column": "", "message": str(exc.message)})
    return errors


def _run_rows(
    spec: ImportSpec, batch: ImportBatch, user: User, header: list[str | None], body: list, progress: Progress
) -> tuple[list[dict[str, Any]], int]:
    """Create every row, each in its own savepoint; return the errors and the count created."""
    errors: list[dict[str, Any]] = []
    created = 0
    required = [c for c in spec.columns if c.required]
    step = max(1, len(body) // 100)
    company, shared = batch.company, batch.shared_values
    rows = [(number, _row_values(spec, header, cells, shared)) for number, cells in body]
    if spec.order_rows is not None:
        rows = [rows[i] for i in spec.order_rows([values for _number, values in rows])]
    for index, (number, values) in enumerate(rows, start=1):
        blank = [c for c in required if not values[c.key]]
        if blank:
            errors.extend(
                {"row": number, "column": c.key, "message": _("This field is required.")} for c in blank
            )
        else:
            try:
                with transaction.atomic():
                    spec.create_row(user, company, values)
                created += 1
            except DomainError as exc:
                errors.extend(_row_errors(spec, number, exc))
            except IntegrityError:
                errors.append(
                    {"row": number, "column": "", "message": _("The row conflicts with data already saved.")}
                )
        if index % step == 0 or index == len(body):
            progress(index, len(body), _("Row %(row)s of %(total)s") % {"row": index, "total": len(body)})
    return errors, created


def _outside_progress(job: Job, fallback: Progress) -> tuple[Progress, Callable[[], None]]:
    """Progress that a watcher sees while the import's transaction is still open.

    On PostgreSQL it is written through a second connection, skipping the row if it is locked
    (never waiting on our own transaction); SQLite allows one writer only, so there it is written
    in the transaction and shows once the transaction ends.
    """
    if connection.vendor != "postgresql":
        return fallback, lambda: None
    alias = f"heyi_progress_{job.pk.hex}"
    default = connections[DEFAULT_DB_ALIAS]
    connections[alias] = load_backend(default.settings_dict["ENGINE"]).DatabaseWrapper(
        dict(default.settings_dict), alias
    )
    jobs = Job.objects.using(alias)

    def report(done: int, total: int, message: str = "") -> None:
        with transaction.atomic(using=alias):
            free = jobs.filter(pk=job.pk).select_for_update(skip_locked=True).values("pk")
            jobs.filter(pk__in=free).update(progress=done, total=total, message=message[:300])

    def close() -> None:
        connections[alias].close()
        del connections[alias]

    return report, close


def _fail(batch: ImportBatch, message: str) -> dict[str, Any]:
    batch.status = ImportBatch.Status.INVALID
    batch.errors = [{"row": 0, "column": "", "message": message}]
    batch.error_count = 1
    batch.save(update_fields=["status", "errors", "error_count", "updated_at"])
    return {"batch": str(batch.pk), "status": batch.status, "errors": 1}


def _load(job: Job) -> tuple[ImportBatch, ImportSpec, User]:
    batch = ImportBatch.objects.select_related("company", "created_by").get(
        pk=job.params["batch"], company=job.company_id
    )
    spec = import_spec(batch.spec)
    if spec is None or batch.created_by is None:
        raise NotFound()
    return batch, spec, batch.created_by


def _read(batch: ImportBatch, spec: ImportSpec) -> tuple[list[str | None], list]:
    with batch.file.open("rb") as fh:
        data = fh.read()
    return read_table(spec, batch.file_name, data, batch.shared_values)


def _marks_failure(
    fn: Callable[[Job, Progress], dict[str, Any]],
) -> Callable[[Job, Progress], dict[str, Any]]:
    """A job that breaks leaves its batch marked failed (the job keeps the error and can be retried)."""

    def run(job: Job, progress: Progress) -> dict[str, Any]:
        try:
            return fn(job, progress)
        except Exception:
            ImportBatch.objects.filter(pk=job.params.get("batch"), company=job.company_id).exclude(
                status=ImportBatch.Status.IMPORTED
            ).update(status=ImportBatch.Status.FAILED)
            raise

    return run


@job_kind("platform.import_check")
@_marks_failure
def import_check_job(job: Job, progress: Progress) -> dict[str, Any]:
    batch, spec, user = _load(job)
    if batch.status == ImportBatch.Status.IMPORTED:
        return {"batch": str(batch.pk), "status": batch.status}
    with context.acting("job"), translation.override(user.language or settings.LANGUAGE_CODE):
        try:
            header, body = _read(batch, spec)
        except FileProblem as exc:
            return _fail(batch, str(exc))
        report, close = _outside_progress(job, progress)
        try:
            with transaction.atomic():
                errors, _created = _run_rows(spec, batch, user, header, body, report)
                transaction.set_rollback(True)
        finally:
            close()
    progress(len(body), len(body), "")
    batch.total_rows = len(body)
    batch.error_count = len(errors)
    batch.errors = errors[:MAX_REPORTED_ERRORS]
    batch.status = ImportBatch.Status.INVALID if errors else ImportBatch.Status.READY
    batch.save(update_fields=["total_rows", "error_count", "errors", "status", "updated_at"])
    return {"batch": str(batch.pk), "status": batch.status, "rows": len(body), "errors": len(errors)}


@job_kind("platform.import_commit")
@_marks_failure
def import_commit_job(job: Job, progress: Progress) -> dict[str, Any]:
    batch, spec, user = _load(job)
    with context.acting("job"), translation.override(user.language or settings.LANGUAGE_CODE):
        try:
            header, body = _read(batch, spec)
        except FileProblem as exc:
            return _fail(batch, str(exc))
        report, close = _outside_progress(job, progress)
        try:
            with transaction.atomic():
                locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
                if locked.status == ImportBatch.Status.IMPORTED:
                    return {"batch": str(batch.pk), "status": locked.status}
                errors, created = _run_rows(spec, batch, user, header, body, report)
                if errors:
                    transaction.set_rollback(True)
                else:
                    locked.status = ImportBatch.Status.IMPORTED
                    locked.created_count = created
                    locked.total_rows = len(body)
                    locked.error_count = 0
                    locked.errors = []
                    locked.imported_at = timezone.now()
                    locked.save()
                    audit_record(
                        actor=user,
                        company=batch.company,
                        action="import",
                        obj=locked,
                        changes={"spec": [None, spec.key], "created": [None, created]},
                    )
        finally:
            close()
    progress(len(body), len(body), "")
    if errors:
        batch.status = ImportBatch.Status.INVALID
        batch.error_count = len(errors)
        batch.errors = errors[:MAX_REPORTED_ERRORS]
        batch.save(update_fields=["status", "error_count", "errors", "updated_at"])
        return {"batch": str(batch.pk), "status": batch.status, "errors": len(errors)}
    return {"batch": str(batch.pk), "status": ImportBatch.Status.IMPORTED, "created": created}


# -- the services ------------------------------------------------------------------------------


def shared_values_parsed(text: str) -> dict[str, str]:
    """The shared values sent as a JSON object of column keys and texts."""
    if not text.strip():
        return {}
    try:
        found = json.loads(text)
    except ValueError:
        found = None
    if not isinstance(found, dict) or not all(isinstance(v, str | int) for v in found.values()):
        raise ValidationFailed(
            fields={
                "shared_values": [
                    _('Send a JSON object of column keys and texts, such as {"account": "1002"}.')
                ]
            }
        )
    return {str(k): str(v) for k, v in found.items()}


def import_upload(
    *, actor: User, company: Company, spec_key: str, upload: Any, shared_values: dict[str, str] | None = None
) -> ImportBatch:
    """Store an uploaded .xlsx or .csv file and start checking it row by row. `shared_values` fill
    the spec's shared columns where the file leaves them out or empty."""
    spec = access_import_spec(user=actor, company=company, key=spec_key)
    shared = {c.key for c in spec.columns if c.shared}
    unknown = sorted(set(shared_values or {}) - shared)
    if unknown:
        raise ValidationFailed(
            fields={key: [_("This column cannot be given for the whole file.")] for key in unknown}
        )
    given = {
        key: str(value).strip()[:200] for key, value in (shared_values or {}).items() if str(value).strip()
    }
    name = safe_file_name(getattr(upload, "name", "") or "")
    if not name.lower().endswith(EXTENSIONS):
        raise ValidationFailed(fields={"file": [_("Upload an Excel (.xlsx) or CSV (.csv) file.")]})
    data = read_upload(upload)
    check_zip_safe(data)
    if name.lower().endswith(".xlsx") and not data.startswith(b"PK"):
        raise ValidationFailed(fields={"file": [_("The file is not a readable Excel workbook (.xlsx).")]})
    from django.core.files.base import ContentFile

    with transaction.atomic():
        batch = ImportBatch(
            company=company, spec=spec.key, file_name=name, shared_values=given, created_by=actor
        )
        batch.file.save(name, ContentFile(data), save=False)
        batch.save(force_insert=True)
        audit_record(
            actor=actor,
            company=company,
            action="create",
            obj=batch,
            changes={"spec": [None, spec.key], **({"shared_values": [None, given]} if given else {})},
        )
        _start(actor, company, batch, "platform.import_check")
    batch.refresh_from_db()
    return batch


def import_commit(*, actor: User, company: Company, batch: ImportBatch) -> ImportBatch:
    """Import a checked file: every row or, if any row fails, none."""
    spec = access_import_spec(user=actor, company=company, key=batch.spec)
    with transaction.atomic():
        locked = access_import_batch(user=actor, company=company, id=batch.pk, for_update=True)
        if locked.status != ImportBatch.Status.READY:
            raise InvalidTransition(
                _("Only a file that was checked without errors can be imported."),
                current=locked.status,
                target=ImportBatch.Status.IMPORTING,
            )
        locked.status = ImportBatch.Status.IMPORTING
        locked.save(update_fields=["status", "updated_at"])
        audit_record(
            actor=actor,
            company=company,
            action="transition",
            obj=locked,
            changes={"status": [ImportBatch.Status.READY, locked.status], "spec": [None, spec.key]},
        )
        _start(actor, company, locked, "platform.import_commit")
    locked.refresh_from_db()
    return locked


def _start(actor: User, company: Company, batch: ImportBatch, kind: str) -> None:
    job = job_start(actor=actor, company=company, kind=kind, params={"batch": str(batch.pk)})
    ImportBatch.objects.filter(pk=batch.pk).update(job=job)


def import_template(spec: ImportSpec) -> bytes:
    """An empty workbook with the spec's header row (required columns marked *) and help notes."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = str(spec.label)[:31]
    for index, column in enumerate(spec.columns, start=1):
        cell = ws.cell(row=1, column=index, value=str(column.label) + (" *" if column.required else ""))
        cell.font = Font(bold=True)
        if column.help:
            cell.comment = Comment(str(column.help), "Heyi")
        ws.column_dimensions[cell.column_letter].width = max(12, len(str(column.label)) * 2 + 4)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
