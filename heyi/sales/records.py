"""What sales tells the platform: record types (search, comments, attachments) and navigation."""

from django.utils.translation import gettext_lazy as _

from heyi.platform import modules
from heyi.platform.navigation import NavItem, register_nav
from heyi.platform.permissions import MANAGE_COMPANY
from heyi.platform.registry import RecordType, register_record_type

from .access import deliveries_visible, orders_visible, returns_visible
from .models import Delivery, SalesOrder, SalesReturn
from .permissions import VIEW_ORDER

register_record_type(
    RecordType(
        key="sales.order",
        model=SalesOrder,
        label=_("Sales order"),
        view_permission=VIEW_ORDER,
        search_fields=("number", "customer__name", "customer__mnemonic"),
        detail_url_name="sales:order_detail",
        module=modules.ERP,
        subtitle=lambda o: f"{o.customer.name} · {o.total_amount:,.2f}",
        visible=lambda user, company: orders_visible(user=user, company=company),
    )
)
register_record_type(
    RecordType(
        key="sales.delivery",
        model=Delivery,
        label=_("Delivery"),
        view_permission=VIEW_ORDER,
        search_fields=("number", "tracking_number", "order__number"),
        detail_url_name="sales:delivery_detail",
        module=modules.ERP,
        subtitle=lambda d: f"{d.order.number} · {d.order.customer.name}",
        visible=lambda user, company: deliveries_visible(user=user, company=company),
    )
)
register_record_type(
    RecordType(
        key="sales.return",
        model=SalesReturn,
        label=_("Sales return"),
        view_permission=VIEW_ORDER,
        search_fields=("number", "delivery__number"),
        detail_url_name="sales:return_detail",
        module=modules.ERP,
        subtitle=lambda r: r.delivery.number,
        visible=lambda user, company: returns_visible(user=user, company=company),
    )
)

register_nav(
    NavItem("sales", _("Sales orders"), "sales:order_list", VIEW_ORDER, module=modules.ERP, order=20),
    NavItem("sales", _("Deliveries"), "sales:delivery_list", VIEW_ORDER, module=modules.ERP, order=30),
    NavItem("sales", _("Sales returns"), "sales:return_list", VIEW_ORDER, module=modules.ERP, order=40),
    NavItem("sales", _("Gross margin"), "sales:margins", VIEW_ORDER, module=modules.ERP, order=50),
    NavItem("settings", _("Sales settings"), "sales:settings", MANAGE_COMPANY, module=modules.ERP, order=60),
)
