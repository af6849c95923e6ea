"""Products, categories and units: everyone sees them; the people who buy, stock and make things keep them."""

from django.utils.translation import gettext_lazy as _

from heyi.platform.permissions import register_permissions
from heyi.platform.roles import BUILTIN_ROLES, grant_to_roles

VIEW_PRODUCT = "catalog.view_product"
MANAGE_PRODUCT = "catalog.manage_product"

register_permissions(
    {
        VIEW_PRODUCT: _("See products, categories and units"),
        MANAGE_PRODUCT: _("Create and change products, categories and units"),
    }
)
grant_to_roles({role.code: [VIEW_PRODUCT] for role in BUILTIN_ROLES})
grant_to_roles({code: [MANAGE_PRODUCT] for code in ("purchasing", "warehouse", "production")})
