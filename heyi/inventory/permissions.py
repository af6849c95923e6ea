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

VIEW_STOCK = "inventory.view_stock"
MOVE_STOCK = "inventory.move_stock"
COUNT_STOCK = "inventory.count_stock"
WATCH_STOCK_ALERTS = "inventory.watch_stock_alerts"
MANAGE_SETTINGS = "inventory.manage_settings"

register_permissions(
    {
        VIEW_STOCK: _("See stock levels, moves, batches and alerts"),
        MOVE_STOCK: _("Post transfers, adjustments and reversals of stock moves"),
        COUNT_STOCK: _("Carry out stock counts"),
        WATCH_STOCK_ALERTS: _("Be told when stock falls below its safety level"),
        MANAGE_SETTINGS: _("Change the inventory settings"),
    }
)
grant_to_roles(
    {
        "warehouse": [VIEW_STOCK, MOVE_STOCK, COUNT_STOCK, WATCH_STOCK_ALERTS],
        "purchasing": [VIEW_STOCK, WATCH_STOCK_ALERTS],
        "sales": [VIEW_STOCK],
        "sales_manager": [VIEW_STOCK],
        "production": [VIEW_STOCK],
        "finance": [VIEW_STOCK],
        "after_sales": [VIEW_STOCK],
    }
)
