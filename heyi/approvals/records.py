"""What the engine tells the platform: requests as records (search, comments, attachments)."""

from django.utils.translation import gettext_lazy as _

from heyi.platform import modules
from heyi.platform.registry import RecordType, register_record_type

from .access import instances_visible
from .models import ApprovalInstance
from .permissions import SUBMIT

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
