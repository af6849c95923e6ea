"""What inventory tells the platform: the warehouse record type, navigation and import."""

from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _

from heyi.platform import modules
from heyi.platform.errors import ValidationFailed
from heyi.platform.imports import ImportColumn, ImportSpec, register_import
from heyi.platform.models import Company, Employee, User
from heyi.platform.navigation import NavItem, register_nav
from heyi.platform.registry import RecordType, register_record_type

from .models import Warehouse
from .permissions import MANAGE_WAREHOUSE, VIEW_WAREHOUSE

register_record_type(
    RecordType(
        key="inventory.warehouse",
        model=Warehouse,
        label=_("Warehouse"),
        view_permission=VIEW_WAREHOUSE,
        search_fields=("mnemonic", "code", "name", "address"),
        detail_url_name="inventory:warehouse_detail",
        module=modules.ERP,
        subtitle=lambda w: w.code,
    )
)

register_nav(
    NavItem(
        "inventory", _("Warehouses"), "inventory:warehouse_list", VIEW_WAREHOUSE, module=modules.ERP, order=90
    )
)


def create_warehouse_row(user: User, company: Company, row: dict[str, str]) -> Warehouse:
    """One warehouse from an import row; the manager is named by employee number or name."""
    from .services.warehouses import warehouse_create

    manager = None
    manager_text = (row.get("manager") or "").strip()
    if manager_text:
        matches = list(Employee.objects.filter(company=company, number=manager_text)[:1]) or list(
            Employee.objects.filter(company=company, name=manager_text)[:2]
        )
        if len(matches) != 1:
            message = (
                gettext_now("Not found.")
                if not matches
                else gettext_now("More than one match; use the number.")
            )
            raise ValidationFailed(fields={"manager": [message]})
        manager = matches[0]
    return warehouse_create(
        actor=user,
        company=company,
        code=(row.get("code") or "").strip(),
        name=(row.get("name") or "").strip(),
        address=(row.get("address") or "").strip(),
        manager=manager,
    )


register_import(
    ImportSpec(
        key="inventory.warehouse",
        label=_("Warehouses"),
        permission=MANAGE_WAREHOUSE,
        columns=(
            ImportColumn("code", _("Code"), required=True),
            ImportColumn("name", _("Name"), required=True),
            ImportColumn("address", _("Address")),
            ImportColumn("manager", _("Manager"), help=_("Employee number or name")),
        ),
        create_row=create_warehouse_row,
        module=modules.ERP,
    )
)
