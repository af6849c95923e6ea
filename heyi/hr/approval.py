"""Leave requests as a document type of the approval engine.

A template for `hr.leave_request` reads these fields: the kind of leave, the days, the first
and last day, the employee's department and the reason. The kind is offered to conditions as
one of the usual codes; a company's own kinds outside that list read as `other`.
"""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from heyi.approvals.registry import DocumentType, register_document_type
from heyi.platform.models import Company

from .access import DOCUMENT_TYPE
from .models import LeaveRequest
from .services import requests

KINDS = [
    "annual",
    "sick",
    "personal",
    "marriage",
    "maternity",
    "paternity",
    "bereavement",
    "compensatory",
    "other",
]


def _fields() -> list[dict[str, Any]]:
    """The form as templates store it: plain JSON with English labels, shown translated."""
    return [
        {
            "key": "leave_type",
            "label": gettext_noop("Leave type"),
            "type": "choice",
            "choices": KINDS,
            "required": True,
        },
        {"key": "days", "label": gettext_noop("Days"), "type": "number", "required": True},
        {"key": "start", "label": gettext_noop("First day"), "type": "date", "required": True},
        {"key": "end", "label": gettext_noop("Last day"), "type": "date", "required": True},
        {"key": "department", "label": gettext_noop("Department"), "type": "department"},
        {"key": "reason", "label": gettext_noop("Reason"), "type": "text"},
    ]


def _load(company: Company, id: str) -> LeaveRequest:
    return LeaveRequest.objects.select_for_update().get(company=company, pk=id)


def _values(leave: LeaveRequest) -> dict[str, Any]:
    code = leave.leave_type.code
    return {
        "leave_type": code if code in KINDS else "other",
        "days": str(leave.days),
        "start": leave.start_date.isoformat(),
        "end": leave.end_date.isoformat(),
        "department": str(leave.employee.department_id) if leave.employee.department_id else None,
        "reason": leave.reason,
    }


def _title(leave: LeaveRequest) -> str:
    return _("%(employee)s: %(type)s, %(days)s days from %(start)s") % {
        "employee": leave.employee.name,
        "type": leave.leave_type.name,
        "days": f"{leave.days.normalize():f}",
        "start": leave.start_date.isoformat(),
    }


register_document_type(
    DocumentType(
        key=DOCUMENT_TYPE,
        label=gettext_lazy("Leave request"),
        fields=_fields(),
        load=_load,
        values=_values,
        title=_title,
        on_approved=lambda actor, company, document: requests.leave_request_approved(
            actor=actor, company=company, leave_request=document
        ),
        on_rejected=lambda actor, company, document, comment: requests.leave_request_rejected(
            actor=actor, company=company, leave_request=document, comment=comment
        ),
        on_withdrawn=lambda actor, company, document: requests.leave_request_withdrawn(
            actor=actor, company=company, leave_request=document
        ),
        url=lambda leave: reverse("hr:leave_request_detail", args=[leave.pk]),
    )
)
