"""Schemas of the payment and expense claim endpoints.

Numbers, states, open and unallocated amounts, vouchers and the company are set by the
services only: no input schema carries them.
"""

import datetime
import uuid
from decimal import Decimal

from ninja import Field, Schema

from heyi.platform.http.types import Money

PAYMENT_KINDS = "^(customer_receipt|supplier_payment)$"


class PaymentAllocationIn(Schema):
    invoice_id: uuid.UUID = Field(
        ..., description="A customer invoice for a receipt, a supplier bill for a payment."
    )
    amount: Money


class PaymentIn(Schema):
    kind: str = Field(..., pattern=PAYMENT_KINDS)
    partner_id: uuid.UUID = Field(..., description="A customer for a receipt, a supplier for a payment.")
    payment_date: datetime.date | None = Field(None, description="Default: today.")
    amount: Money
    account_id: uuid.UUID = Field(..., description="A cash or bank account.")
    reference: str = Field("", max_length=64)
    notes: str = Field("", max_length=2000)
    allocations: list[PaymentAllocationIn] = Field(
        default_factory=list, max_length=500, description="Applied when the payment posts."
    )


class PaymentPatch(Schema):
    version: int
    partner_id: uuid.UUID | None = None
    payment_date: datetime.date | None = None
    amount: Money | None = None
    account_id: uuid.UUID | None = None
    reference: str | None = Field(None, max_length=64)
    notes: str | None = Field(None, max_length=2000)
    allocations: list[PaymentAllocationIn] | None = Field(None, max_length=500)


class PaymentAllocateIn(Schema):
    allocations: list[PaymentAllocationIn] = Field(default_factory=list, max_length=500)
    oldest_first: bool = Field(
        False, description="Ignore `allocations`: settle the oldest open invoices with what is left."
    )


class CreditNoteAllocateIn(Schema):
    allocations: list[PaymentAllocationIn] = Field(min_length=1, max_length=500)


class RefundIn(Schema):
    amount: Money | None = Field(None, description="Default: all that is left of the credit.")
    account_id: uuid.UUID = Field(..., description="The cash or bank account the money goes through.")
    payment_date: datetime.date | None = Field(None, description="Default: today.")
    reference: str = Field("", max_length=64)
    notes: str = Field("", max_length=2000)


class PaymentAllocationOut(Schema):
    """An invoice (or bill) the payment settles, or a refund that paid part of it back."""

    id: uuid.UUID
    invoice_id: uuid.UUID | None
    invoice_number: str | None
    refund_id: uuid.UUID | None
    refund_number: str | None
    amount: Money
    allocated_on: datetime.date

    @staticmethod
    def resolve_invoice_number(obj) -> str | None:
        return obj.invoice.number if obj.invoice_id else None

    @staticmethod
    def resolve_refund_number(obj) -> str | None:
        return obj.refund.number if obj.refund_id else None


class PlannedAllocationOut(Schema):
    invoice_id: uuid.UUID
    amount: Money


class PaymentListOut(Schema):
    id: uuid.UUID
    kind: str
    number: str
    state: str
    partner_id: uuid.UUID
    partner_name: str
    payment_date: datetime.date
    amount: Money
    unallocated_amount: Money
    account_id: uuid.UUID
    reference: str
    version: int

    @staticmethod
    def resolve_partner_name(obj) -> str:
        return obj.partner.name


class PaymentOut(Schema):
    id: uuid.UUID
    kind: str
    number: str
    state: str
    partner_id: uuid.UUID
    partner_name: str
    payment_date: datetime.date
    amount: Money
    unallocated_amount: Money
    account_id: uuid.UUID
    account: str
    reference: str
    notes: str
    voucher_id: uuid.UUID | None
    voucher_number: str
    refunded_payment_id: uuid.UUID | None = Field(
        description="For a refund: the receipt or payment paid back."
    )
    refunded_credit_note_id: uuid.UUID | None = Field(description="For a refund: the credit note paid back.")
    refunded_number: str | None
    planned_allocations: list[PlannedAllocationOut]
    allocations: list[PaymentAllocationOut]
    posted_at: datetime.datetime | None
    version: int
    created_at: datetime.datetime

    @staticmethod
    def resolve_partner_name(obj) -> str:
        return obj.partner.name

    @staticmethod
    def resolve_account(obj) -> str:
        return str(obj.account)

    @staticmethod
    def resolve_voucher_number(obj) -> str:
        return obj.voucher.number if obj.voucher_id else ""

    @staticmethod
    def resolve_planned_allocations(obj) -> list[dict]:
        return [{"invoice_id": i, "amount": Decimal(a)} for i, a in obj.planned_allocations or []]

    @staticmethod
    def resolve_refunded_number(obj) -> str | None:
        return obj.refunded.number if obj.is_refund else None

    @staticmethod
    def resolve_allocations(obj) -> list:
        return list(obj.allocations.select_related("invoice", "refund").order_by("created_at", "pk"))


class OpenInvoiceOut(Schema):
    id: uuid.UUID
    kind: str
    number: str
    invoice_date: datetime.date
    due_date: datetime.date
    total_amount: Money
    open_amount: Money


class ExpenseAccountOut(Schema):
    id: uuid.UUID
    code: str
    name: str
    name_en: str


class ExpenseClaimLineIn(Schema):
    account_id: uuid.UUID = Field(..., description="An expense or cost account (see /expense-accounts).")
    description: str = Field("", max_length=200)
    amount: Money


class ExpenseClaimIn(Schema):
    description: str = Field(..., min_length=1, max_length=200)
    claim_date: datetime.date | None = Field(None, description="Default: today.")
    employee_id: uuid.UUID | None = Field(None, description="Default: the caller's own employee record.")
    department_id: uuid.UUID | None = Field(None, description="Default: the employee's department.")
    lines: list[ExpenseClaimLineIn] = Field(..., min_length=1, max_length=100)


class ExpenseClaimPatch(Schema):
    version: int
    description: str | None = Field(None, min_length=1, max_length=200)
    claim_date: datetime.date | None = None
    employee_id: uuid.UUID | None = None
    department_id: uuid.UUID | None = None
    lines: list[ExpenseClaimLineIn] | None = Field(None, min_length=1, max_length=100)


class ExpenseClaimPayIn(Schema):
    account_id: uuid.UUID = Field(..., description="The cash or bank account paying the employee.")
    date: datetime.date | None = Field(None, description="Default: today.")


class ExpenseClaimLineOut(Schema):
    id: uuid.UUID
    position: int
    account_id: uuid.UUID
    account: str
    description: str
    amount: Money

    @staticmethod
    def resolve_account(obj) -> str:
        return str(obj.account)


class ExpenseClaimOut(Schema):
    id: uuid.UUID
    number: str
    state: str
    employee_id: uuid.UUID
    employee_name: str
    department_id: uuid.UUID | None
    claim_date: datetime.date
    description: str
    total_amount: Money
    voucher_id: uuid.UUID | None
    payment_voucher_id: uuid.UUID | None
    version: int
    created_at: datetime.datetime
    lines: list[ExpenseClaimLineOut]

    @staticmethod
    def resolve_employee_name(obj) -> str:
        return obj.employee.name

    @staticmethod
    def resolve_lines(obj) -> list:
        prefetched = getattr(obj, "_prefetched_objects_cache", {}).get("lines")
        return list(prefetched if prefetched is not None else obj.lines.select_related("account"))
