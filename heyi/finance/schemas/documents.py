"""Schemas of the invoice and bill endpoints.

Number, state, company, open amount, totals, hold reason and voucher are set by the services
only: no input schema carries them, and unknown fields are ignored.
"""

import datetime
import uuid

from ninja import Field, Schema

from heyi.platform.http.types import Money, Quantity, Rate, UnitPrice

SALES_KINDS = "^(customer_invoice|customer_credit_note)$"
PURCHASE_KINDS = "^(supplier_bill|supplier_credit_note)$"


class InvoiceLineOut(Schema):
    id: uuid.UUID
    position: int
    product_id: uuid.UUID | None
    product_sku: str | None
    product_name: str | None
    description: str
    account_id: uuid.UUID | None
    account_code: str | None
    quantity: Quantity
    unit_price: UnitPrice
    tax_rate: Rate
    net_amount: Money
    tax_amount: Money
    gross_amount: Money
    delivery_line_id: uuid.UUID | None
    sales_return_line_id: uuid.UUID | None
    receipt_line_id: uuid.UUID | None

    @staticmethod
    def resolve_product_sku(obj) -> str | None:
        return obj.product.sku if obj.product_id else None

    @staticmethod
    def resolve_product_name(obj) -> str | None:
        return obj.product.name if obj.product_id else None

    @staticmethod
    def resolve_account_code(obj) -> str | None:
        return obj.account.code if obj.account_id else None


class InvoiceAllocationOut(Schema):
    """Part of a payment or of a credit note settling part of an invoice or bill, or paid back
    by a refund (`refund_id`, no invoice)."""

    id: uuid.UUID
    invoice_id: uuid.UUID | None
    invoice_number: str | None
    refund_id: uuid.UUID | None
    refund_number: str | None
    payment_id: uuid.UUID | None
    payment_number: str | None
    credit_note_id: uuid.UUID | None
    credit_note_number: str | None
    amount: Money
    allocated_on: datetime.date

    @staticmethod
    def resolve_invoice_number(obj) -> str | None:
        return obj.invoice.number if obj.invoice_id else None

    @staticmethod
    def resolve_refund_number(obj) -> str | None:
        return obj.refund.number if obj.refund_id else None

    @staticmethod
    def resolve_payment_number(obj) -> str | None:
        return obj.payment.number if obj.payment_id else None

    @staticmethod
    def resolve_credit_note_number(obj) -> str | None:
        return obj.credit_note.number if obj.credit_note_id else None


class InvoiceListOut(Schema):
    id: uuid.UUID
    kind: str
    number: str
    state: str
    partner_id: uuid.UUID
    partner_name: str
    invoice_date: datetime.date
    due_date: datetime.date
    partner_reference: str
    untaxed_amount: Money
    tax_amount: Money
    total_amount: Money
    open_amount: Money
    hold_reason: str
    posted_at: datetime.datetime | None
    version: int

    @staticmethod
    def resolve_partner_name(obj) -> str:
        return obj.partner.name


class InvoiceOut(InvoiceListOut):
    """An invoice, bill or credit note with its lines, its voucher once posted, and what
    settles it (`allocations`) or, for a credit note, what it settles (`credits_given`)."""

    prices_include_tax: bool
    sales_order_id: uuid.UUID | None
    delivery_id: uuid.UUID | None
    sales_return_id: uuid.UUID | None
    purchase_order_id: uuid.UUID | None
    credited_invoice_id: uuid.UUID | None
    voucher_id: uuid.UUID | None
    voucher_number: str | None
    notes: str
    lines: list[InvoiceLineOut]
    allocations: list[InvoiceAllocationOut]
    credits_given: list[InvoiceAllocationOut]
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_voucher_number(obj) -> str | None:
        return obj.voucher.number if obj.voucher_id else None

    @staticmethod
    def resolve_lines(obj) -> list:
        return list(obj.lines.select_related("product", "account"))

    @staticmethod
    def resolve_allocations(obj) -> list:
        return list(
            obj.allocations.select_related("invoice", "payment", "credit_note").order_by("allocated_on")
        )

    @staticmethod
    def resolve_credits_given(obj) -> list:
        return list(
            obj.allocations_given.select_related("invoice", "refund", "payment", "credit_note").order_by(
                "allocated_on"
            )
        )


class InvoiceLineIn(Schema):
    """A product or a description; the account defaults to revenue (sales), goods received not
    invoiced (a receipt's line) or the default expense account."""

    product_id: uuid.UUID | None = None
    description: str = Field("", max_length=200)
    account_id: uuid.UUID | None = None
    quantity: Quantity
    unit_price: UnitPrice = Field(..., description="Tax-inclusive when the document's prices include tax.")
    tax_rate: Rate = Field(..., description="0.13, 0.09, 0.06 or 0.")
    line_id: uuid.UUID | None = Field(
        None,
        description="On a change: the line this one replaces; it keeps the delivery, return or receipt "
        "line it was invoiced from.",
    )
    delivery_line_id: uuid.UUID | None = None
    sales_return_line_id: uuid.UUID | None = None
    receipt_line_id: uuid.UUID | None = None


class DocumentIn(Schema):
    partner_id: uuid.UUID
    invoice_date: datetime.date | None = Field(None, description="Default: today.")
    due_date: datetime.date | None = Field(
        None, description="Default: the invoice date plus the payment terms."
    )
    prices_include_tax: bool = False
    partner_reference: str = Field("", max_length=64)
    notes: str = Field("", max_length=2000)
    credited_invoice_id: uuid.UUID | None = Field(
        None, description="A credit note: the posted document it credits."
    )
    lines: list[InvoiceLineIn] = Field(..., min_length=1, max_length=500)


class InvoiceIn(DocumentIn):
    """A draft customer invoice or credit note entered by hand."""

    kind: str = Field("customer_invoice", pattern=SALES_KINDS)


class BillIn(DocumentIn):
    """A draft supplier bill or credit note entered by hand; `partner_reference` is the
    supplier's invoice number."""

    kind: str = Field("supplier_bill", pattern=PURCHASE_KINDS)


class InvoicePatch(Schema):
    """Change a draft or held document; `lines`, when given, replaces every line. A held bill
    returns to draft."""

    version: int
    partner_id: uuid.UUID | None = None
    invoice_date: datetime.date | None = None
    due_date: datetime.date | None = None
    prices_include_tax: bool | None = None
    partner_reference: str | None = Field(None, max_length=64)
    notes: str | None = Field(None, max_length=2000)
    lines: list[InvoiceLineIn] | None = Field(None, min_length=1, max_length=500)


class InvoiceFromDeliveryIn(Schema):
    delivery_id: uuid.UUID
    invoice_date: datetime.date | None = None


class InvoiceFromOrderIn(Schema):
    order_id: uuid.UUID
    invoice_date: datetime.date | None = None


class CreditNoteFromReturnIn(Schema):
    sales_return_id: uuid.UUID
    invoice_date: datetime.date | None = None


class BillFromReceiptIn(Schema):
    receipt_id: uuid.UUID
    invoice_date: datetime.date | None = None
    partner_reference: str = Field("", max_length=64)


class BillFromOrderIn(Schema):
    order_id: uuid.UUID
    invoice_date: datetime.date | None = None
    partner_reference: str = Field("", max_length=64)
