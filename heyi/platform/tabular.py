"""Excel (xlsx) and CSV export of any list, with the columns the list shows.

Cells that a spreadsheet would run as a formula are neutralised, and every export is audited.
"""

import csv
import datetime
import decimal
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.http import HttpResponse
from django.utils import timezone

from .models import Company, User
from .services.audit import audit_security

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    key: str
    label: Any
    value: Callable[[Any], Any] | None = None
    link: bool = False
    numeric: bool = False

    def get(self, obj: Any) -> Any:
        if self.value is not None:
            return self.value(obj)
        value: Any = obj
        for part in self.key.split("__"):
            value = getattr(value, part, None) if value is not None else None
            if callable(value) and not hasattr(value, "all"):
                value = value()
        return value


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "✓" if value else ""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    return str(value)


def _safe(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, decimal.Decimal)) and not isinstance(value, bool)


def _csv_value(value: Any) -> str:
    """A number as it is (a minus sign starts no formula in a number), anything else as text a
    spreadsheet will not run."""
    return str(value) if _is_number(value) else _safe(cell_text(value))


def _xlsx_value(value: Any) -> Any:
    if _is_number(value):
        return value
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).replace(tzinfo=None)
    if isinstance(value, datetime.date):
        return value
    return _safe(cell_text(value))


def export_response(
    *, actor: User, company: Company, name: str, columns: Sequence[Column], rows: Iterable[Any], fmt: str
) -> HttpResponse:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    header = [str(c.label) for c in columns]
    count = 0
    if fmt == "xlsx":
        from openpyxl import Workbook

        wb = Workbook(write_only=True)
        ws = wb.create_sheet(title=name[:31])
        ws.append(header)
        for obj in rows:
            ws.append([_xlsx_value(c.get(obj)) for c in columns])
            count += 1
        buf = io.BytesIO()
        wb.save(buf)
        response = HttpResponse(
            buf.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        filename = f"{name}-{stamp}.xlsx"
    else:
        buf_text = io.StringIO()
        buf_text.write("\ufeff")  # Excel opens UTF-8 CSV with Chinese text correctly only with a BOM
        writer = csv.writer(buf_text)
        writer.writerow(header)
        for obj in rows:
            writer.writerow([_csv_value(c.get(obj)) for c in columns])
            count += 1
        response = HttpResponse(buf_text.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8")
        filename = f"{name}-{stamp}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    audit_security(
        actor=actor, company=company, action="export", detail={"list": name, "format": fmt, "rows": count}
    )
    return response
