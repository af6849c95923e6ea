"""Built-in roles every company starts with; apps add their permissions to them.

Each app's `permissions.py` calls `grant_to_roles` for the roles that need its actions, so
the platform never has to know the permissions of the apps above it.
"""

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


@dataclass(frozen=True)
class BuiltinRole:
    code: str
    name: Any
    scope: str
    is_admin: bool = False


BUILTIN_ROLES = [
    BuiltinRole("admin", _("Administrator"), "company", is_admin=True),
    BuiltinRole("sales", _("Sales"), "own"),
    BuiltinRole("sales_manager", _("Sales manager"), "department"),
    BuiltinRole("legal", _("Legal"), "company"),
    BuiltinRole("finance", _("Finance"), "company"),
    BuiltinRole("purchasing", _("Purchasing"), "company"),
    BuiltinRole("warehouse", pgettext_lazy("role", "Warehouse"), "company"),
    BuiltinRole("production", _("Production"), "company"),
    BuiltinRole("after_sales", _("After-sales"), "company"),
    BuiltinRole("hr", _("HR"), "company"),
    BuiltinRole("employee", _("Employee"), "own"),
]

_grants: dict[str, set[str]] = {r.code: set() for r in BUILTIN_ROLES}


def grant_to_roles(grants: dict[str, list[str]]) -> None:
    for role_code, perms in grants.items():
        _grants.setdefault(role_code, set()).update(perms)


def builtin_permissions(role_code: str) -> list[str]:
    return sorted(_grants.get(role_code, set()))
