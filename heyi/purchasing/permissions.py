"""Who buys: everyone may ask for something to be bought; buyers order, the warehouse receives
and inspects, finance looks on."""

from django.utils.translation import gettext_lazy as _

from heyi.platform.permissions import register_permissions
from heyi.platform.roles import BUILTIN_ROLES, grant_to_roles

VIEW = "purchasing.view"
MANAGE_REQUISITION = "purchasing.manage_requisition"
MANAGE_ORDER = "purchasing.manage_order"
CONFIRM_ORDER = "purchasing.confirm_order"
RECEIVE = "purchasing.receive"
INSPECT = "purchasing.inspect"

register_permissions(
    {
        VIEW: _("See requisitions, purchase orders, receipts, returns and supplier prices"),
        MANAGE_REQUISITION: _("Request purchases (purchase requisitions)"),
        MANAGE_ORDER: _("Create and change purchase orders and purchase returns"),
        CONFIRM_ORDER: _("Confirm and cancel purchase orders"),
        RECEIVE: _("Receive goods against purchase orders and ship purchase returns"),
        INSPECT: _("Inspect received goods (accept or reject)"),
    }
)
grant_to_roles({role.code: [MANAGE_REQUISITION] for role in BUILTIN_ROLES})
grant_to_roles(
    {
        "purchasing": [VIEW, MANAGE_ORDER, CONFIRM_ORDER],
        "warehouse": [VIEW, RECEIVE, INSPECT],
        "finance": [VIEW],
    }
)
