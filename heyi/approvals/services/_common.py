"""Checks shared by the engine's services."""

from heyi.platform import modules
from heyi.platform.access import require_access
from heyi.platform.models import Company, User


def check(actor: User | None, company: Company, *perms: str) -> None:
    """OA on, and the actor holds one of `perms` (no actor: the engine acting on its own)."""
    require_access(actor, company, modules.OA, *perms)
