"""What purchasing tells the platform: record types (search, comments, attachments) and navigation."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from heyi.inventory.alert_actions import AlertAction, register_alert_action
from heyi.platform import modules
from heyi.platform.navigation import NavItem, register_nav
from heyi.platform.registry import RecordType, register_record_type

from .access import requisitions_visible
from .models import PurchaseOrder, PurchaseRequisition, PurchaseReturn, Receipt
from .permissions import MANAGE_REQUISITION, VIEW

register_record_type(
    RecordType(
        key="purchasing.requisition",
        model=PurchaseRequisition,
        label=_("Purchase requisition"),
        view_permission=MANAGE_REQUISITION,
        search_fields=("number", "notes"),
        detail_url_name="purchasing:requisition_detail",
        module=modules.ERP,
        subtitle=lambda r: r.get_status_display(),
        visible=lambda user, company: requisitions_visible(user=user, company=company),
    )
)
register_record_type(
    RecordType(
        key="purchasing.order",
        model=PurchaseOrder,
        label=_("Purchase order"),
        view_permission=VIEW,
        search_fields=("number", "supplier__name", "notes"),
        detail_url_name="purchasing:order_detail",
        module=modules.ERP,
        subtitle=lambda o: f"{o.supplier.name} · {o.get_status_display()}",
    )
)
register_record_type(
    RecordType(
        key="purchasing.receipt",
        model=Receipt,
        label=_("Goods receipt"),
        view_permission=VIEW,
        search_fields=("number", "delivery_note"),
        detail_url_name="purchasing:receipt_detail",
        module=modules.ERP,
        subtitle=lambda r: r.get_status_display(),
    )
)
register_record_type(
    RecordType(
        key="purchasing.return",
        model=PurchaseReturn,
        label=_("Purchase return"),
        view_permission=VIEW,
        search_fields=("number", "reason"),
        detail_url_name="purchasing:return_detail",
        module=modules.ERP,
        subtitle=lambda r: r.get_status_display(),
    )
)

register_nav(
    NavItem(
        "purchasing", _("Requisitions"), "purchasing:requisition_list", MANAGE_REQUISITION, modules.ERP, 20
    ),
    NavItem("purchasing", _("Purchase orders"), "purchasing:order_list", VIEW, modules.ERP, 30),
    NavItem("purchasing", _("Goods receipts"), "purchasing:receipt_list", VIEW, modules.ERP, 40),
    NavItem("purchasing", _("Purchase returns"), "purchasing:return_list", VIEW, modules.ERP, 50),
    NavItem("purchasing", _("Supplier prices"), "purchasing:price_list", VIEW, modules.ERP, 60),
    NavItem("purchasing", _("Reorder suggestions"), "purchasing:alert_list", VIEW, modules.ERP, 70),
)

register_alert_action(
    AlertAction(
        label=_("Create requisition"),
        url=lambda alert: reverse("purchasing:alert_requisition", args=[alert.pk]),
        perm=MANAGE_REQUISITION,
        module=modules.ERP,
    )
)
