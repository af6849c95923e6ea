"""What HR tells the platform: leave requests as records (search, comments, attachments) and navigation."""

from django.utils.translation import gettext_lazy as _

from heyi.platform import modules
from heyi.platform.navigation import NavItem, register_nav
from heyi.platform.registry import RecordType, register_record_type

from .access import DOCUMENT_TYPE, leave_requests_visible
from .models import LeaveRequest
from .permissions import MANAGE_LEAVE, REQUEST_LEAVE

register_record_type(
    RecordType(
        key=DOCUMENT_TYPE,
        model=LeaveRequest,
        label=_("Leave request"),
        view_permission=REQUEST_LEAVE,
        search_fields=("number", "employee__name", "reason"),
        detail_url_name="hr:leave_request_detail",
        module=modules.OA,
        subtitle=lambda r: f"{r.employee.name} · {r.get_state_display()}",
        visible=lambda user, company: leave_requests_visible(user=user, company=company),
    )
)

register_nav(
    NavItem("oa", _("My leave"), "hr:leave_request_list", REQUEST_LEAVE, modules.OA, 40),
    NavItem("oa", _("Leave types"), "hr:leave_type_list", MANAGE_LEAVE, modules.OA, 41),
    NavItem("oa", _("Leave balances"), "hr:leave_balance_list", MANAGE_LEAVE, modules.OA, 42),
    NavItem("oa", _("Work calendar"), "hr:calendar_day_list", REQUEST_LEAVE, modules.OA, 43),
)
