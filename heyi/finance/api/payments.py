"""Payment and expense claim endpoints (ERP module): /payments (+ /submit, /cancel,
/allocate, /open-invoices, /refund), /invoices/{id}/refund and /bills/{id}/refund for credit
notes, /expense-claims (+ /submit, /pay, /cancel) and /expense-accounts.

A payment posts when it is submitted (until an approval flow decides), numbered then.
Allocating more than is open on an invoice, or more than the payment has left, is
`over_allocation` (422) and changes nothing. Expense claims are seen by the employee they are
for and whoever made them; finance sees all.
"""

import datetime
import uuid
from typing import Any

from django.db.models import Prefetch
from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Status

from heyi.partners.access import access_partner
from heyi.platform import modules
from heyi.platform.access import access_department, access_employee
from heyi.platform.api import ERRORS
from heyi.platform.errors import NotFound
from heyi.platform.http.auth import api_auth
from heyi.platform.http.pagination import ordered, paginate, text_search
from heyi.platform.schemas import page_of

from ..access import (
    access_account,
    access_expense_account,
    access_expense_claim,
    access_invoice,
    access_payment,
    expense_accounts_visible,
    expense_claims_visible,
    payments_visible,
)
from ..models import ExpenseClaim, ExpenseClaimLine, Invoice, Payment
from ..schemas.documents import InvoiceOut
from ..schemas.payments import (
    CreditNoteAllocateIn,
    ExpenseAccountOut,
    ExpenseClaimIn,
    ExpenseClaimLineIn,
    ExpenseClaimOut,
    ExpenseClaimPatch,
    ExpenseClaimPayIn,
    OpenInvoiceOut,
    PaymentAllocateIn,
    PaymentAllocationIn,
    PaymentIn,
    PaymentListOut,
    PaymentOut,
    PaymentPatch,
    RefundIn,
)
from ..services import expenses
from ..services import payments as payment_services
from .guards import require_manage_payment, require_view

router = Router(auth=api_auth(modules.ERP), tags=["finance"])

PAYMENT_ORDERING = ["payment_date", "number", "amount", "unallocated_amount", "created_at", "state"]
CLAIM_ORDERING = ["claim_date", "number", "total_amount", "created_at", "state"]


def _payment(request: HttpRequest, payment_id: uuid.UUID) -> Payment:
    return access_payment(user=request.actor, company=request.company, id=payment_id)


def _allocations(request: HttpRequest, items: list[PaymentAllocationIn]) -> list[tuple[Any, Any]]:
    return [
        (access_invoice(user=request.actor, company=request.company, id=item.invoice_id), item.amount)
        for item in items
    ]


def _account(request: HttpRequest, account_id: uuid.UUID | None):
    if account_id is None:
        return None
    return access_account(user=request.actor, company=request.company, id=account_id)


# Payments


@router.get("/payments", response={200: page_of(PaymentListOut), **ERRORS})
def payment_list(
    request: HttpRequest,
    q: str = "",
    kind: str = "",
    state: str = "",
    partner: uuid.UUID | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    unallocated: bool | None = None,
    ordering: str = "-payment_date",
):
    """Receipts and payments; `unallocated=true` keeps those with money not yet allocated."""
    require_view(request)
    qs = payments_visible(user=request.actor, company=request.company).select_related("partner")
    if kind:
        qs = qs.filter(kind=kind[:20])
    if state:
        qs = qs.filter(state=state[:10])
    if partner is not None:
        qs = qs.filter(partner_id=partner)
    if date_from is not None:
        qs = qs.filter(payment_date__gte=date_from)
    if date_to is not None:
        qs = qs.filter(payment_date__lte=date_to)
    if unallocated is not None:
        qs = qs.filter(unallocated_amount__gt=0) if unallocated else qs.filter(unallocated_amount=0)
    qs = text_search(qs, q, ["number", "reference", "partner__name", "notes"])
    return paginate(request, ordered(qs, ordering, PAYMENT_ORDERING, "-payment_date"))


@router.post("/payments", response={201: PaymentOut, **ERRORS})
def payment_create(request: HttpRequest, payload: PaymentIn):
    """A draft receipt or payment; its `allocations` are applied when it posts."""
    require_manage_payment(request)
    u, c = request.actor, request.company
    return Status(
        201,
        payment_services.payment_create(
            actor=u,
            company=c,
            kind=payload.kind,
            partner=access_partner(user=u, company=c, id=payload.partner_id),
            payment_date=payload.payment_date or timezone.localdate(),
            amount=payload.amount,
            account=_account(request, payload.account_id),
            reference=payload.reference,
            notes=payload.notes,
            allocations=_allocations(request, payload.allocations),
        ),
    )


@router.get("/payments/{payment_id}", response={200: PaymentOut, **ERRORS})
def payment_detail(request: HttpRequest, payment_id: uuid.UUID):
    return _payment(request, payment_id)


@router.patch("/payments/{payment_id}", response={200: PaymentOut, **ERRORS})
def payment_update(request: HttpRequest, payment_id: uuid.UUID, payload: PaymentPatch):
    """Change a draft; given `allocations` replace the planned ones."""
    require_manage_payment(request)
    u, c = request.actor, request.company
    payment = _payment(request, payment_id)
    return payment_services.payment_update(
        actor=u,
        company=c,
        payment=payment,
        version=payload.version,
        partner=access_partner(user=u, company=c, id=payload.partner_id) if payload.partner_id else None,
        payment_date=payload.payment_date,
        amount=payload.amount,
        account=_account(request, payload.account_id),
        reference=payload.reference,
        notes=payload.notes,
        allocations=_allocations(request, payload.allocations) if payload.allocations is not None else None,
    )


@router.post("/payments/{payment_id}/submit", response={200: PaymentOut, **ERRORS})
def payment_submit(request: HttpRequest, payment_id: uuid.UUID):
    """Send for approval; without an approval flow it posts at once."""
    require_manage_payment(request)
    payment = _payment(request, payment_id)
    return payment_services.payment_submit(actor=request.actor, company=request.company, payment=payment)


@router.post("/payments/{payment_id}/cancel", response={200: PaymentOut, **ERRORS})
def payment_cancel(request: HttpRequest, payment_id: uuid.UUID):
    require_manage_payment(request)
    payment = _payment(request, payment_id)
    return payment_services.payment_cancel(actor=request.actor, company=request.company, payment=payment)


@router.post("/payments/{payment_id}/allocate", response={200: PaymentOut, **ERRORS})
def payment_allocate(request: HttpRequest, payment_id: uuid.UUID, payload: PaymentAllocateIn):
    """Settle invoices (for a receipt) or bills (for a payment) of the same partner, or with
    `oldest_first` the oldest open ones with whatever the payment has left."""
    require_manage_payment(request)
    u, c = request.actor, request.company
    payment = _payment(request, payment_id)
    if payload.oldest_first:
        return payment_services.payment_allocate_oldest(actor=u, company=c, payment=payment)
    return payment_services.payment_allocate(
        actor=u, company=c, payment=payment, allocations=_allocations(request, payload.allocations)
    )


def _credit_note(request: HttpRequest, credit_note_id: uuid.UUID, kind: str) -> Invoice:
    require_manage_payment(request)
    credit_note = access_invoice(user=request.actor, company=request.company, id=credit_note_id)
    if credit_note.kind != kind:
        raise NotFound()
    return credit_note


def _credit_note_allocate(
    request: HttpRequest, credit_note_id: uuid.UUID, kind: str, payload: CreditNoteAllocateIn
):
    return payment_services.credit_note_allocate(
        actor=request.actor,
        company=request.company,
        credit_note=_credit_note(request, credit_note_id, kind),
        allocations=_allocations(request, payload.allocations),
    )


@router.post("/invoices/{invoice_id}/allocate", response={200: InvoiceOut, **ERRORS})
def customer_credit_note_allocate(request: HttpRequest, invoice_id: uuid.UUID, payload: CreditNoteAllocateIn):
    """Settle the same customer's open invoices from a posted customer credit note."""
    return _credit_note_allocate(request, invoice_id, Invoice.Kind.CUSTOMER_CREDIT_NOTE, payload)


@router.post("/bills/{bill_id}/allocate", response={200: InvoiceOut, **ERRORS})
def supplier_credit_note_allocate(request: HttpRequest, bill_id: uuid.UUID, payload: CreditNoteAllocateIn):
    """Settle the same supplier's open bills from a posted supplier credit note."""
    return _credit_note_allocate(request, bill_id, Invoice.Kind.SUPPLIER_CREDIT_NOTE, payload)


@router.get("/payments/{payment_id}/open-invoices", response={200: list[OpenInvoiceOut], **ERRORS})
def payment_open_invoices(request: HttpRequest, payment_id: uuid.UUID):
    """The partner's posted invoices (or bills) with something still open, the oldest due first;
    none for a refund, which settles only the credit it pays back."""
    payment = _payment(request, payment_id)
    if payment.is_refund:
        return []
    return payment_services.open_invoices(
        request.company, kind=payment_services.SETTLES[payment.kind], partner_id=payment.partner_id
    )


def _refund(request: HttpRequest, credit: Payment | Invoice, payload: RefundIn):
    return Status(
        201,
        payment_services.refund_create(
            actor=request.actor,
            company=request.company,
            credit=credit,
            account=_account(request, payload.account_id),
            payment_date=payload.payment_date or timezone.localdate(),
            amount=payload.amount,
            reference=payload.reference,
            notes=payload.notes,
        ),
    )


@router.post("/payments/{payment_id}/refund", response={201: PaymentOut, **ERRORS})
def payment_refund(request: HttpRequest, payment_id: uuid.UUID, payload: RefundIn):
    """A draft refund of what a posted receipt (or supplier payment) has not allocated; submit
    it to post. More than is left is `over_allocation` (422)."""
    require_manage_payment(request)
    return _refund(request, _payment(request, payment_id), payload)


@router.post("/invoices/{invoice_id}/refund", response={201: PaymentOut, **ERRORS})
def customer_credit_note_refund(request: HttpRequest, invoice_id: uuid.UUID, payload: RefundIn):
    """A draft refund to the customer of what a posted customer credit note has open."""
    return _refund(request, _credit_note(request, invoice_id, Invoice.Kind.CUSTOMER_CREDIT_NOTE), payload)


@router.post("/bills/{bill_id}/refund", response={201: PaymentOut, **ERRORS})
def supplier_credit_note_refund(request: HttpRequest, bill_id: uuid.UUID, payload: RefundIn):
    """A draft refund from the supplier of what a posted supplier credit note has open."""
    return _refund(request, _credit_note(request, bill_id, Invoice.Kind.SUPPLIER_CREDIT_NOTE), payload)


# Expense claims


def _claim(request: HttpRequest, claim_id: uuid.UUID) -> ExpenseClaim:
    return access_expense_claim(user=request.actor, company=request.company, id=claim_id)


def _claim_lines(request: HttpRequest, lines: list[ExpenseClaimLineIn]) -> list[dict]:
    return [
        {
            "account": access_expense_account(
                user=request.actor, company=request.company, id=line.account_id
            ),
            "description": line.description,
            "amount": line.amount,
        }
        for line in lines
    ]


def _employee(request: HttpRequest, employee_id: uuid.UUID | None):
    if employee_id is None:
        return None
    return access_employee(user=request.actor, company=request.company, id=employee_id)


def _department(request: HttpRequest, department_id: uuid.UUID | None):
    if department_id is None:
        return None
    return access_department(user=request.actor, company=request.company, id=department_id)


@router.get("/expense-accounts", response={200: list[ExpenseAccountOut], **ERRORS})
def expense_account_list(request: HttpRequest):
    """The accounts an expense can be claimed on."""
    return list(expense_accounts_visible(user=request.actor, company=request.company))


@router.get("/expense-claims", response={200: page_of(ExpenseClaimOut), **ERRORS})
def expense_claim_list(
    request: HttpRequest,
    q: str = "",
    state: str = "",
    employee: uuid.UUID | None = None,
    mine: bool = False,
    ordering: str = "-claim_date",
):
    """Claims the caller may see: their own, or all for finance; `mine=true` keeps their own."""
    qs = (
        expense_claims_visible(user=request.actor, company=request.company)
        .select_related("employee")
        .prefetch_related(Prefetch("lines", queryset=ExpenseClaimLine.objects.select_related("account")))
    )
    if state:
        qs = qs.filter(state=state[:10])
    if employee is not None:
        qs = qs.filter(employee_id=employee)
    if mine:
        qs = qs.filter(employee__user=request.actor)
    qs = text_search(qs, q, ["number", "description", "employee__name"])
    return paginate(request, ordered(qs, ordering, CLAIM_ORDERING, "-claim_date"))


@router.post("/expense-claims", response={201: ExpenseClaimOut, **ERRORS})
def expense_claim_create(request: HttpRequest, payload: ExpenseClaimIn):
    """A draft claim, for the caller unless finance names another employee."""
    return Status(
        201,
        expenses.expense_claim_create(
            actor=request.actor,
            company=request.company,
            description=payload.description,
            claim_date=payload.claim_date,
            employee=_employee(request, payload.employee_id),
            department=_department(request, payload.department_id),
            lines=_claim_lines(request, payload.lines),
        ),
    )


@router.get("/expense-claims/{claim_id}", response={200: ExpenseClaimOut, **ERRORS})
def expense_claim_detail(request: HttpRequest, claim_id: uuid.UUID):
    return _claim(request, claim_id)


@router.patch("/expense-claims/{claim_id}", response={200: ExpenseClaimOut, **ERRORS})
def expense_claim_update(request: HttpRequest, claim_id: uuid.UUID, payload: ExpenseClaimPatch):
    """Change a draft; given lines replace the old ones."""
    claim = _claim(request, claim_id)
    return expenses.expense_claim_update(
        actor=request.actor,
        company=request.company,
        claim=claim,
        version=payload.version,
        description=payload.description,
        claim_date=payload.claim_date,
        employee=_employee(request, payload.employee_id),
        department=_department(request, payload.department_id),
        lines=_claim_lines(request, payload.lines) if payload.lines is not None else None,
    )


@router.post("/expense-claims/{claim_id}/submit", response={200: ExpenseClaimOut, **ERRORS})
def expense_claim_submit(request: HttpRequest, claim_id: uuid.UUID):
    """Send for approval; without an approval flow it is approved and posted at once."""
    claim = _claim(request, claim_id)
    return expenses.expense_claim_submit(actor=request.actor, company=request.company, claim=claim)


@router.post("/expense-claims/{claim_id}/pay", response={200: ExpenseClaimOut, **ERRORS})
def expense_claim_pay(request: HttpRequest, claim_id: uuid.UUID, payload: ExpenseClaimPayIn):
    """Pay an approved claim back to the employee from a cash or bank account."""
    require_manage_payment(request)
    claim = _claim(request, claim_id)
    return expenses.expense_claim_pay(
        actor=request.actor,
        company=request.company,
        claim=claim,
        account=_account(request, payload.account_id),
        date=payload.date,
    )


@router.post("/expense-claims/{claim_id}/cancel", response={200: ExpenseClaimOut, **ERRORS})
def expense_claim_cancel(request: HttpRequest, claim_id: uuid.UUID):
    claim = _claim(request, claim_id)
    return expenses.expense_claim_cancel(actor=request.actor, company=request.company, claim=claim)
