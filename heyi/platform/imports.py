"""Import specifications: each app says which columns a file of its records has and which
service creates one record from a row; the platform's import engine does the rest
(parsing xlsx/csv, preview, a row-by-row error report, all-or-nothing commit as a job)."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models

from .models import Company, User


@dataclass(frozen=True)
class ImportColumn:
    key: str
    label: Any
    required: bool = False
    help: Any = ""
    # Other headers that name the column in files exported by other software, e.g. a bank's.
    aliases: tuple[str, ...] = ()
    # May be given once for the whole file on upload (the bank account of a bank's statement).
    shared: bool = False


@dataclass(frozen=True)
class ImportSpec:
    key: str  # "<app>.<entity>", e.g. "catalog.product"
    label: Any
    permission: str
    columns: tuple[ImportColumn, ...]
    # Creates one record from one row (cell texts by column key) through the app's service;
    # raises a DomainError (with `fields` keyed by column key) when the row is not valid.
    create_row: Callable[[User, Company, dict[str, str]], models.Model]
    module: str | None = None
    # The order to create the rows in, as positions in the file's rows (cell texts by column
    # key), for files whose order depends on who exported them; the file's order when not given.
    order_rows: Callable[[list[dict[str, str]]], list[int]] | None = None


_specs: dict[str, ImportSpec] = {}


def register_import(spec: ImportSpec) -> ImportSpec:
    _specs[spec.key] = spec
    return spec


def import_spec(key: str) -> ImportSpec | None:
    return _specs.get(key)


def import_specs() -> list[ImportSpec]:
    return list(_specs.values())
