"""The document registry: how a business document plugs into the engine.

An app above the engine (purchasing, finance, hr) registers each approvable document type
once, at start-up. The engine reads the document's form values through it when a request
starts and calls its services back on the final decision, in the same transaction; it never
imports the app.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from heyi.platform.models import Company


@dataclass(frozen=True)
class DocumentType:
    key: str
    label: Any
    fields: list[dict[str, Any]]
    """The form fields the document provides; conditions of a template may test them."""
    load: Callable[[Company, str], Any]
    values: Callable[[Any], dict[str, Any]]
    title: Callable[[Any], str]
    on_approved: Callable[..., None]
    """(actor, company, document): the final approver, after the last node."""
    on_rejected: Callable[..., None]
    """(actor, company, document, comment): the rejecter, with their comment."""
    on_withdrawn: Callable[..., None]
    """(actor, company, document): the submitter took the request back."""
    url: Callable[[Any], str] = field(default=lambda document: "")


@dataclass(frozen=True)
class Outcome:
    """What an approved request of a template of its own leads to in another app (a fixed-asset
    request becomes a purchase requisition). A template that names an outcome must have the
    outcome's fields; `check` reads the values at submission, `run` acts on the final approval
    in the same transaction."""

    key: str
    label: Any
    fields: list[dict[str, Any]]
    check: Callable[[Company, dict[str, Any]], dict[str, list[str]]]
    run: Callable[..., None]
    """(actor, company, instance)"""


_types: dict[str, DocumentType] = {}
_outcomes: dict[str, Outcome] = {}


def register_document_type(document_type: DocumentType) -> None:
    _types[document_type.key] = document_type


def document_type(key: str) -> DocumentType | None:
    return _types.get(key)


def document_types() -> list[DocumentType]:
    return sorted(_types.values(), key=lambda d: d.key)


def register_outcome(outcome: Outcome) -> None:
    _outcomes[outcome.key] = outcome


def outcome(key: str) -> Outcome | None:
    return _outcomes.get(key)


def outcomes() -> list[Outcome]:
    return sorted(_outcomes.values(), key=lambda o: o.key)
