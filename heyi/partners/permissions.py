"""Who sees and keeps customers and suppliers. The record scope (own / department / company)
comes from the role: a salesperson sees the customers they own, a sales manager their team's."""

from django.utils.translation import gettext_lazy as _

from heyi.platform.permissions import register_permissions
from heyi.platform.roles import grant_to_roles

VIEW_CUSTOMERS = "partners.view_customers"
MANAGE_CUSTOMERS = "partners.manage_customers"
VIEW_SUPPLIERS = "partners.view_suppliers"
MANAGE_SUPPLIERS = "partners.manage_suppliers"

register_permissions(
    {
        VIEW_CUSTOMERS: _("See customers, their contacts and addresses"),
        MANAGE_CUSTOMERS: _("Create and change customers, their contacts, addresses and tags"),
        VIEW_SUPPLIERS: _("See suppliers, their contacts and addresses"),
        MANAGE_SUPPLIERS: _("Create and change suppliers, their contacts, addresses and tags"),
    }
)
grant_to_roles(
    {
        "sales": [VIEW_CUSTOMERS, MANAGE_CUSTOMERS],
        "sales_manager": [VIEW_CUSTOMERS, MANAGE_CUSTOMERS],
        "after_sales": [VIEW_CUSTOMERS, MANAGE_CUSTOMERS],
        "purchasing": [VIEW_SUPPLIERS, MANAGE_SUPPLIERS],
        "finance": [VIEW_CUSTOMERS, VIEW_SUPPLIERS],
    }
)
