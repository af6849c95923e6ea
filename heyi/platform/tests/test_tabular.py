"""Exports hand spreadsheets numbers as numbers and text that cannot run as a formula."""

import csv
import io
from decimal import Decimal

from openpyxl import load_workbook

from heyi.platform.models import AuditEntry
from heyi.platform.tabular import Column, export_response

ROWS = [
    {"name": '=HYPERLINK("http://example.com")', "amount": Decimal("-3000.00"), "count": -2},
    {"name": "-1+2", "amount": Decimal("12.50"), "count": 0},
    {"name": "退款 RF-2026-000001", "amount": Decimal("0"), "count": 7},
]
COLUMNS = [
    Column("name", "Name", value=lambda r: r["name"]),
    Column("amount", "Amount", value=lambda r: r["amount"], numeric=True),
    Column("count", "Count", value=lambda r: r["count"], numeric=True),
]


def _export(company, admin, fmt):
    return export_response(actor=admin, company=company, name="ledger", columns=COLUMNS, rows=ROWS, fmt=fmt)


def test_a_csv_keeps_negative_numbers_and_neutralises_formulas(company, admin):
    response = _export(company, admin, "csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == [
        ["Name", "Amount", "Count"],
        ['\'=HYPERLINK("http://example.com")', "-3000.00", "-2"],
        ["'-1+2", "12.50", "0"],
        ["退款 RF-2026-000001", "0", "7"],
    ]
    assert AuditEntry.objects.filter(company=company, action="export").count() == 1


def test_an_excel_file_has_numbers_as_numbers(company, admin):
    sheet = load_workbook(io.BytesIO(_export(company, admin, "xlsx").content)).active
    assert list(sheet.iter_rows(values_only=True))[1:] == [
        ('\'=HYPERLINK("http://example.com")', -3000, -2),
        ("'-1+2", 12.5, 0),
        ("退款 RF-2026-000001", 0, 7),
    ]
