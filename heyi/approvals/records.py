"""What the engine tells the platform: requests as records (search, comments, attachments) and
its pages in the navigation."""

from django.utils.translation import gettext_lazy as _

from heyi.platform import modules
from heyi.platform.navigation import NavItem, register_nav
from heyi.platform.registry import RecordType, register_record_type

from .access import instances_visible
from .models import ApprovalInstance
from .permissions import MANAGE_TEMPLATES, SUBMIT, VIEW_ALL

register_record_type(
    RecordType(
        key="approvals.instance",
        model=ApprovalInstance,
        label=_("Approval request"),
        view_permission=SUBMIT,
        search_fields=("number", "title"),
        detail_url_name="approvals:instance_detail",
        module=modules.OA,
        subtitle=lambda i: i.get_state_display(),
        visible=lambda user, company: instances_visible(user=user, company=company),
    )
)

register_nav(
    NavItem("oa", _("Approvals"), "approvals:overview", SUBMIT, modules.OA, 10),
    NavItem("oa", _("To approve"), "approvals:pending_list", SUBMIT, modules.OA, 11),
    NavItem("oa", _("Submitted by me"), "approvals:submitted_list", SUBMIT, modules.OA, 12),
    NavItem("oa", _("Copied to me"), "approvals:copied_list", SUBMIT, modules.OA, 13),
    NavItem("oa", _("Decided by me"), "approvals:decided_list", SUBMIT, modules.OA, 14),
    NavItem("oa", _("New request"), "approvals:request_start", SUBMIT, modules.OA, 15),
    NavItem("oa", _("All requests"), "approvals:all_list", VIEW_ALL, modules.OA, 16),
    NavItem("oa", _("Approval templates"), "approvals:template_list", MANAGE_TEMPLATES, modules.OA, 17),
    NavItem("oa", _("Delegation while away"), "approvals:delegation_list", SUBMIT, modules.OA, 18),
)
