"""Payments and expense claims as document types of the approval engine.

`payment_submit` and `expense_claim_submit` ask the engine (`approval_pending`); with OA off or no active template for the document
type the document is approved (and posts) at once, as it is when every step of its flow was
skipped. While a flow decides, the document waits as `submitted`; the decisions come back
through the document types registered here, in the deciding transaction: approved ->
`payment_post` / `expense_claim_approve`; rejected or withdrawn -> back to draft through
`payment_reject` / `expense_claim_reject`.

Field labels are stored in a template's form as written; they are marked for translation and
translated where the form is shown.
"""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from heyi.approvals.registry import DocumentType, register_document_type
from heyi.platform.errors import NotFound
from heyi.platform.models import Company, User

from .models import ExpenseClaim, Payment

PAYMENT = "finance.payment"
EXPENSE_CLAIM = "finance.expense_claim"


def _payment(company: Company, id: str) -> Payment:
    try:
        return Payment.objects.select_related("partner").get(company=company, pk=id)
    except (Payment.DoesNotExist, ValueError):
        raise NotFound()


def _claim(company: Company, id: str) -> ExpenseClaim:
    try:
        return ExpenseClaim.objects.select_related("employee").get(company=company, pk=id)
    except (ExpenseClaim.DoesNotExist, ValueError):
        raise NotFound()


def _payment_values(payment: Payment) -> dict[str, Any]:
    return {"amount": str(payment.amount), "partner": payment.partner.name, "kind": payment.kind}


def _claim_values(claim: ExpenseClaim) -> dict[str, Any]:
    return {
        "amount": str(claim.total_amount),
        "department": str(claim.department_id) if claim.department_id else None,
        "purpose": claim.description,
    }


def _payment_title(payment: Payment) -> str:
    return _("%(kind)s %(amount)s, %(partner)s") % {
        "kind": payment.get_kind_display(),
        "amount": payment.amount,
        "partner": payment.partner.name,
    }


def _payment_posted(*, actor: User | None, company: Company, document: Payment) -> None:
    from .services.payments import payment_post

    payment_post(actor=actor, company=company, payment=document)


def _payment_back_to_draft(
    *, actor: User | None, company: Company, document: Payment, comment: str = ""
) -> None:
    from .services.payments import payment_reject

    payment_reject(actor=actor, company=company, payment=document)


def _claim_approved(*, actor: User | None, company: Company, document: ExpenseClaim) -> None:
    from .services.expenses import expense_claim_approve

    expense_claim_approve(actor=actor, company=company, claim=document)


def _claim_back_to_draft(
    *, actor: User | None, company: Company, document: ExpenseClaim, comment: str = ""
) -> None:
    from .services.expenses import expense_claim_reject

    expense_claim_reject(actor=actor, company=company, claim=document)


register_document_type(
    DocumentType(
        key=PAYMENT,
        label=gettext_lazy("Receipt, payment or refund"),
        fields=[
            {"key": "amount", "label": gettext_noop("Amount"), "type": "money"},
            {"key": "partner", "label": gettext_noop("Partner"), "type": "text"},
            {
                "key": "kind",
                "label": gettext_noop("Kind"),
                "type": "choice",
                "choices": list(Payment.Kind.values),
            },
        ],
        load=_payment,
        values=_payment_values,
        title=_payment_title,
        on_approved=_payment_posted,
        on_rejected=_payment_back_to_draft,
        on_withdrawn=_payment_back_to_draft,
        url=lambda p: reverse("finance:payment_detail", args=[p.pk]),
    )
)
register_document_type(
    DocumentType(
        key=EXPENSE_CLAIM,
        label=gettext_lazy("Expense claim"),
        fields=[
            {"key": "amount", "label": gettext_noop("Total"), "type": "money"},
            {"key": "department", "label": gettext_noop("Department"), "type": "department"},
            {"key": "purpose", "label": gettext_noop("Purpose"), "type": "text"},
        ],
        load=_claim,
        values=_claim_values,
        title=lambda c: (
            _("Expense claim %(number)s, %(employee)s") % {"number": c.number, "employee": c.employee.name}
        ),
        on_approved=_claim_approved,
        on_rejected=_claim_back_to_draft,
        on_withdrawn=_claim_back_to_draft,
        url=lambda c: reverse("finance:expense_claim_detail", args=[c.pk]),
    )
)
