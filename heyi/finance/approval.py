"""The approval seam: the one place where a payment or an expense claim asks to be approved.

`approval_request` is called by `payment_submit` and `expense_claim_submit`. Until an approval
engine installs a gate (`install_gate`), every request is approved at once and the document
posts on submission. An engine's gate returns PENDING (the document waits as `submitted`),
starts its flow, and on the final decision calls back `payment_post` / `payment_reject` or
`expense_claim_approve` / `expense_claim_reject`; it never changes finance's tables itself.
"""

import enum
from collections.abc import Callable
from typing import Any

from heyi.platform.models import Company, User

PAYMENT = "finance.payment"
EXPENSE_CLAIM = "finance.expense_claim"


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
