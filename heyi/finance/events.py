"""What finance tells others: posted vouchers, invoices and payments."""

import dataclasses

from heyi.platform.eventbus import DomainEvent, event_type


@event_type
@dataclasses.dataclass(frozen=True, kw_only=True)
class VoucherPosted(DomainEvent):
    type = "finance.voucher_posted"
    number: str
    date: str
    total: str
    source_type: str


@event_type
@dataclasses.dataclass(frozen=True, kw_only=True)
class InvoicePosted(DomainEvent):
    type = "finance.invoice_posted"
    kind: str
    number: str
    partner_id: str
    total_amount: str
    source_id: str  # the delivery, return, order or receipt it came from, if any


@event_type
@dataclasses.dataclass(frozen=True, kw_only=True)
class PaymentPosted(DomainEvent):
    type = "finance.payment_posted"
    kind: str
    number: str
    partner_id: str
    amount: str
