"""Checks shared by the engine's services."""

from typing import Any

from heyi.platform import modules
from heyi.platform.access import require_module, require_perm
from heyi.platform.errors import ValidationFailed
from heyi.platform.models import Company, User


def check(actor: User | None, company: Company, perm: str | None = None) -> None:
    """OA on, and the actor holds `perm` (no actor: the engine acting on its own)."""
    require_module(company, modules.OA)
    if actor is not None and perm is not None:
        require_perm(actor, company, perm)


def refuse(field: str, message: Any) -> ValidationFailed:
    return ValidationFailed(fields={field: [str(message)]})
