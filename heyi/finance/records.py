"""What finance tells the platform: record types (search, comments, attachments)."""

from django.utils.translation import gettext_lazy as _

from heyi.platform import modules
from heyi.platform.registry import RecordType, register_record_type

from .access import expense_claims_visible
from .models import ExpenseClaim, Invoice, Payment, Voucher
from .permissions import VIEW

register_record_type(
    RecordType(
        key="finance.voucher",
        model=Voucher,
        label=_("Voucher"),
        view_permission=VIEW,
        search_fields=("number", "narration", "source_reference"),
        detail_url_name="finance:voucher_detail",
        module=modules.ERP,
        subtitle=lambda v: f"{v.date} · {v.get_state_display()}",
    )
)
register_record_type(
    RecordType(
        key="finance.invoice",
        model=Invoice,
        label=_("Invoice"),
        view_permission=VIEW,
        search_fields=("number", "partner__name", "partner_reference"),
        detail_url_name="finance:invoice_detail",
        module=modules.ERP,
        subtitle=lambda i: f"{i.get_kind_display()} · {i.partner.name} · {i.get_state_display()}",
    )
)
register_record_type(
    RecordType(
        key="finance.payment",
        model=Payment,
        label=_("Payment"),
        view_permission=VIEW,
        search_fields=("number", "partner__name", "reference"),
        detail_url_name="finance:payment_detail",
        module=modules.ERP,
        subtitle=lambda p: f"{p.get_kind_display()} · {p.partner.name} · {p.amount}",
    )
)
register_record_type(
    RecordType(
        key="finance.expense_claim",
        model=ExpenseClaim,
        label=_("Expense claim"),
        view_permission=VIEW,
        search_fields=("number", "description"),
        detail_url_name="finance:expense_claim_detail",
        module=modules.ERP,
        subtitle=lambda c: f"{c.total_amount} · {c.get_state_display()}",
        visible=lambda user, company: expense_claims_visible(user=user, company=company),
    )
)
