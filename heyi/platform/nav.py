"""The platform's pages in the navigation: company settings, people, audit, jobs, webhooks."""

from django.utils.translation import gettext_lazy as _

from .navigation import NavItem, register_nav
from .permissions import (
    MANAGE_JOBS,
    MANAGE_ROLES,
    MANAGE_USERS,
    VIEW_AUDIT,
    VIEW_COMPANY,
    VIEW_EVENTS,
    VIEW_PEOPLE,
)
from .services.webhooks import MANAGE_WEBHOOKS

register_nav(
    NavItem("oa", _("Departments"), "platform:department_list", VIEW_PEOPLE, order=10),
    NavItem("oa", _("Employees"), "platform:employee_list", VIEW_PEOPLE, order=20),
    NavItem("settings", _("Company"), "platform:company_settings", VIEW_COMPANY, order=10),
    NavItem("settings", _("Users"), "platform:user_list", MANAGE_USERS, order=20),
    NavItem("settings", _("Roles"), "platform:role_list", MANAGE_ROLES, order=30),
    NavItem("settings", _("Audit log"), "platform:audit_log", VIEW_AUDIT, order=60),
    NavItem("settings", _("Event history"), "platform:event_list", VIEW_EVENTS, order=70),
    NavItem("settings", _("Background jobs"), "platform:job_list", MANAGE_JOBS, order=80),
    NavItem("settings", _("Webhooks"), "platform:webhook_list", MANAGE_WEBHOOKS, order=90),
)
