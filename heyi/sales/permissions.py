"""Who sells: salespeople take and confirm orders (their own, or their team's for a manager), the
warehouse ships, and finance sees everything. The record scope comes from the role."""

from django.utils.translation import gettext_lazy as _

from heyi.platform.permissions import register_permissions
from heyi.platform.roles import grant_to_roles

VIEW_ORDER = "sales.view_order"
MANAGE_ORDER = "sales.manage_order"
CONFIRM_ORDER = "sales.confirm_order"
SHIP_DELIVERY = "sales.ship_delivery"
MANAGE_RETURN = "sales.manage_return"

register_permissions(
    {
        VIEW_ORDER: _("See sales orders, deliveries, returns and margins"),
        MANAGE_ORDER: _("Create and change sales orders and their deliveries"),
        CONFIRM_ORDER: _("Confirm, cancel and close sales orders"),
        SHIP_DELIVERY: _("Pick, pack and ship deliveries"),
        MANAGE_RETURN: _("Record and receive sales returns"),
    }
)
grant_to_roles(
    {
        "sales": [VIEW_ORDER, MANAGE_ORDER, CONFIRM_ORDER],
        "sales_manager": [VIEW_ORDER, MANAGE_ORDER, CONFIRM_ORDER, MANAGE_RETURN],
        "warehouse": [VIEW_ORDER, SHIP_DELIVERY, MANAGE_RETURN],
        "after_sales": [VIEW_ORDER, MANAGE_RETURN],
        "finance": [VIEW_ORDER],
    }
)
