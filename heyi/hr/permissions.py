"""Everyone may ask for leave; HR keeps the kinds of leave and the balances, and sees every request."""

from django.utils.translation import gettext_lazy as _

from heyi.platform.permissions import register_permissions
from heyi.platform.roles import BUILTIN_ROLES, grant_to_roles

REQUEST_LEAVE = "hr.request_leave"
MANAGE_LEAVE = "hr.manage_leave"

register_permissions(
    {
        REQUEST_LEAVE: _("Request leave for oneself and see one's own balances"),
        MANAGE_LEAVE: _("Manage leave types and balances, file leave for anyone and see every request"),
    }
)
grant_to_roles({role.code: [REQUEST_LEAVE] for role in BUILTIN_ROLES})
grant_to_roles({"hr": [MANAGE_LEAVE]})
