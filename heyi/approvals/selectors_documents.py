"""A business document's approval as its own page shows it: the latest request and who decided.

Read for whoever may see the document (its app has checked that); the request page itself
keeps its own access rules.
"""

from dataclasses import dataclass
from typing import Any

from heyi.platform.models import Company

from .models import ApprovalInstance, ApprovalTask


@dataclass(frozen=True)
class DocumentApproval:
    instance: ApprovalInstance
    decisions: list[ApprovalTask]
    """Tasks decided by a person or by the engine, in the order decided."""


def approval_of_document(company: Company, document_type: str, document_id: Any) -> DocumentApproval | None:
    """The document's latest request (a document may have gone round more than once)."""
    instance = (
        ApprovalInstance.objects.filter(
            company=company, document_type=document_type, document_id=str(document_id)
        )
        .order_by("-submitted_at")
        .first()
    )
    if instance is None:
        return None
    decisions = list(
        ApprovalTask.objects.filter(company=company, instance=instance, decided_at__isnull=False)
        .exclude(state=ApprovalTask.State.CANCELLED)
        .select_related("assignee", "delegated_from")
        .order_by("decided_at", "assigned_at")
    )
    return DocumentApproval(instance=instance, decisions=decisions)
