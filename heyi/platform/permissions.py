"""Permission codenames: every app registers its own here; roles hold lists of them."""

from typing import Any

from django.utils.translation import gettext_lazy as _

_permissions: dict[str, Any] = {}


def register_permissions(perms: dict[str, Any]) -> None:
    _permissions.update(perms)


def all_permissions() -> dict[str, Any]:
    return dict(_permissions)


VIEW_COMPANY = "platform.view_company"
MANAGE_COMPANY = "platform.manage_company"
MANAGE_USERS = "platform.manage_users"
MANAGE_ROLES = "platform.manage_roles"
VIEW_PEOPLE = "platform.view_people"
MANAGE_PEOPLE = "platform.manage_people"
VIEW_AUDIT = "platform.view_audit"
VIEW_EVENTS = "platform.view_events"
MANAGE_JOBS = "platform.manage_jobs"

register_permissions(
    {
        VIEW_COMPANY: _("See the company settings"),
        MANAGE_COMPANY: _("Change the company settings and module subscriptions"),
        MANAGE_USERS: _("Invite users and change their memberships"),
        MANAGE_ROLES: _("Create roles and assign them"),
        VIEW_PEOPLE: _("See departments and employees"),
        MANAGE_PEOPLE: _("Manage departments and employees"),
        VIEW_AUDIT: _("Read the audit trail"),
        VIEW_EVENTS: _("Read the event history"),
        MANAGE_JOBS: _("See and retry every background job of the company"),
    }
)


def _grant() -> None:
    from .roles import grant_to_roles

    everyone = [
        "sales",
        "sales_manager",
        "legal",
        "finance",
        "purchasing",
        "warehouse",
        "production",
        "after_sales",
        "hr",
        "employee",
    ]
    grant_to_roles({code: [VIEW_PEOPLE] for code in everyone})
    grant_to_roles(
        {"hr": [MANAGE_PEOPLE], "finance": [VIEW_AUDIT, VIEW_EVENTS], "sales_manager": [VIEW_EVENTS]}
    )


_grant()
