"""What inventory tells the platform: record types, navigation and the warehouse import."""

from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _

from heyi.platform import modules
from heyi.platform.errors import ValidationFailed
from heyi.platform.imports import ImportColumn, ImportSpec, register_import
from heyi.platform.models import Company, Employee, User
from heyi.platform.navigation import NavItem, register_nav
from heyi.platform.registry import RecordType, register_record_type

from .models import Batch, StockAlert, StockCount, StockMove, Transfer, Warehouse
from .permissions import MANAGE_SETTINGS, MANAGE_WAREHOUSE, VIEW_STOCK, VIEW_WAREHOUSE

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

register_record_type(
    RecordType(
        key="inventory.transfer",
        model=Transfer,
        label=_("Transfer"),
        view_permission=VIEW_STOCK,
        search_fields=("number", "note"),
        detail_url_name="inventory:transfer_detail",
        module=modules.ERP,
        subtitle=lambda t: f"{t.from_warehouse} → {t.to_warehouse}",
    )
)
register_record_type(
    RecordType(
        key="inventory.stock_count",
        model=StockCount,
        label=_("Stock count"),
        view_permission=VIEW_STOCK,
        search_fields=("number", "note"),
        detail_url_name="inventory:stock_count_detail",
        module=modules.ERP,
        subtitle=lambda c: str(c.warehouse),
    )
)
register_record_type(
    RecordType(
        key="inventory.batch",
        model=Batch,
        label=_("Batch"),
        view_permission=VIEW_STOCK,
        search_fields=("code",),
        detail_url_name="inventory:batch_detail",
        module=modules.ERP,
        subtitle=lambda b: f"{b.product.sku} {b.product.name}",
    )
)
register_record_type(
    RecordType(
        key="inventory.stock_move",
        model=StockMove,
        label=_("Stock move"),
        view_permission=VIEW_STOCK,
        detail_url_name="inventory:stock_move_detail",
        module=modules.ERP,
        subtitle=lambda m: m.reference,
    )
)

register_record_type(
    RecordType(
        key="inventory.stock_alert",
        model=StockAlert,
        label=_("Stock alert"),
        view_permission=VIEW_STOCK,
        detail_url_name="inventory:stock_alert_detail",
        module=modules.ERP,
        subtitle=lambda a: a.product.sku,
    )
)

register_nav(
    NavItem("inventory", _("Stock"), "inventory:stock_list", VIEW_STOCK, module=modules.ERP, order=10),
    NavItem(
        "inventory", _("Stock moves"), "inventory:stock_move_list", VIEW_STOCK, module=modules.ERP, order=20
    ),
    NavItem("inventory", _("Transfers"), "inventory:transfer_list", VIEW_STOCK, module=modules.ERP, order=30),
    NavItem(
        "inventory", _("Stock counts"), "inventory:stock_count_list", VIEW_STOCK, module=modules.ERP, order=40
    ),
    NavItem("inventory", _("Batches"), "inventory:batch_list", VIEW_STOCK, module=modules.ERP, order=50),
    NavItem(
        "inventory", _("Stock alerts"), "inventory:stock_alert_list", VIEW_STOCK, module=modules.ERP, order=60
    ),
    NavItem(
        "inventory", _("Warehouses"), "inventory:warehouse_list", VIEW_WAREHOUSE, module=modules.ERP, order=90
    ),
    NavItem(
        "settings",
        _("Inventory settings"),
        "inventory:settings",
        MANAGE_SETTINGS,
        module=modules.ERP,
        order=60,
    ),
)


def create_warehouse_row(user: User, company: Company, row: dict[str, str]) -> Warehouse:
    """One warehouse from an import row; the manager is named by employee number or name, the
    kind by its code or label (default stock)."""
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
    kind_text = (row.get("kind") or "").strip()
    kinds = {str(v).lower(): v for v in Warehouse.Kind.values}
    kinds.update({str(label).lower(): v for v, label in Warehouse.Kind.choices})
    if kind_text and kind_text.lower() not in kinds:
        raise ValidationFailed(
            fields={
                "kind": [gettext_now("Choose from: %(kinds)s.") % {"kinds": ", ".join(Warehouse.Kind.values)}]
            }
        )
    priority_text = (row.get("priority") or "").strip()
    if priority_text and not (priority_text.isdigit() and int(priority_text) <= 32767):
        raise ValidationFailed(fields={"priority": [gettext_now("Enter a whole number from 0 to 32767.")]})
    return warehouse_create(
        actor=user,
        company=company,
        code=(row.get("code") or "").strip(),
        name=(row.get("name") or "").strip(),
        address=(row.get("address") or "").strip(),
        manager=manager,
        kind=kinds[kind_text.lower()] if kind_text else Warehouse.Kind.STOCK,
        priority=int(priority_text) if priority_text else 10,
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
            ImportColumn("kind", _("Kind"), help=_("stock, transit or quarantine; empty: stock")),
            ImportColumn(
                "priority",
                _("Priority"),
                help=_("Reservations take stock from lower numbers first; empty: 10"),
            ),
        ),
        create_row=create_warehouse_row,
        module=modules.ERP,
    )
)
