"""Warehouses: everyone working in the ERP sees them; the warehouse team keeps them."""

from django.utils.translation import gettext_lazy as _

from heyi.platform.permissions import register_permissions
from heyi.platform.roles import BUILTIN_ROLES, grant_to_roles

VIEW_WAREHOUSE = "inventory.view_warehouse"
MANAGE_WAREHOUSE = "inventory.manage_warehouse"

register_permissions(
    {
        VIEW_WAREHOUSE: _("See warehouses"),
        MANAGE_WAREHOUSE: _("Create and change warehouses"),
    }
)
grant_to_roles({role.code: [VIEW_WAREHOUSE] for role in BUILTIN_ROLES})
grant_to_roles({"warehouse": [MANAGE_WAREHOUSE]})
