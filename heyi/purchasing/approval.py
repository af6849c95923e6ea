"""The approval seam: the one place where a requisition or an order asks to be approved.

`approval_request` is called by `purchase_requisition_submit` and `purchase_order_confirm`.
Until an approval engine installs a gate (`install_gate`), every request is approved at once.
An engine's gate returns PENDING, starts its flow, and on the final decision calls back
`purchase_requisition_approve` / `purchase_requisition_reject` or `purchase_order_approve` /
`purchase_order_reject`; it never changes purchasing's tables itself.
"""

import enum
from collections.abc import Callable
from typing import Any

from heyi.platform.models import Company, User

REQUISITION = "purchasing.requisition"
ORDER = "purchasing.order"


class Decision(enum.StrEnum):
    APPROVED = "approved"
    PENDING = "pending"


Gate = Callable[..., Decision]
_gate: Gate | None = None


def install_gate(gate: Gate | None) -> None:
    """Called by the approval engine (and by tests) once; None removes it."""
    global _gate
    _gate = gate


def approval_request(*, actor: User, company: Company, kind: str, document: Any) -> Decision:
    if _gate is None:
        return Decision.APPROVED
    return _gate(actor=actor, company=company, kind=kind, document=document)
