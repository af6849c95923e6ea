"""Receivable and payable ageing (账龄分析): what each partner owes us, or we owe them, by the
age of the invoice (or bill) counted from its date, on any date.

A document's open amount on a date is its open amount now plus the allocations that took
effect after that date (an allocation takes effect when both it and the payment or credit note
behind it are dated). Credit notes and unallocated payments stand as the partner's credits.
So the total always equals the control account's balance on that date, the invariant
`books.py` checks.
"""

import datetime
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import DecimalField, F, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils.translation import gettext_lazy as _

from heyi.partners.models import Partner
from heyi.platform.models import Company

from ..models import Allocation, FinanceSettings, Invoice, Payment
from ..selectors import account_balance
from .ledger import ZERO, cents

RECEIVABLE, PAYABLE = "receivable", "payable"
SIDES: dict[str, dict[str, Any]] = {
    RECEIVABLE: {
        "debts": (Invoice.Kind.CUSTOMER_INVOICE,),
        "credit_notes": (Invoice.Kind.CUSTOMER_CREDIT_NOTE,),
        "payments": Payment.Kind.CUSTOMER_RECEIPT,
        "account": "receivable",
        "sign": 1,
    },
    PAYABLE: {
        "debts": (Invoice.Kind.SUPPLIER_BILL,),
        "credit_notes": (Invoice.Kind.SUPPLIER_CREDIT_NOTE,),
        "payments": Payment.Kind.SUPPLIER_PAYMENT,
        "account": "payable",
        "sign": -1,
    },
}
BUCKETS: tuple[tuple[int, int | None], ...] = ((0, 30), (31, 60), (61, 90), (91, None))
BUCKET_LABELS = (_("0-30 days"), _("31-60 days"), _("61-90 days"), _("Over 90 days"))
AMOUNT = DecimalField(max_digits=16, decimal_places=2)


def bucket_of(age: int) -> int:
    return next(i for i, (low, high) in enumerate(BUCKETS) if age >= low and (high is None or age <= high))


@dataclass
class OpenDocument:
    """An invoice or bill still open on the date (a debt), or a credit note or payment not yet
    allocated (a credit, its amount negative)."""

    kind: str
    id: uuid.UUID
    number: str
    partner_id: uuid.UUID
    partner_name: str
    date: datetime.date
    due_date: datetime.date | None
    age: int
    amount: Decimal

    @property
    def is_payment(self) -> bool:
        return self.kind in Payment.Kind.values

    @property
    def is_credit(self) -> bool:
        return self.amount < 0


@dataclass
class AgeingRow:
    partner_id: uuid.UUID | None
    partner_name: str
    buckets: list[Decimal] = field(default_factory=lambda: [ZERO] * len(BUCKETS))
    credits: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        return sum(self.buckets, ZERO) + self.credits

    def add(self, document: OpenDocument) -> None:
        if document.is_credit:
            self.credits += document.amount
        else:
            self.buckets[bucket_of(document.age)] += document.amount


@dataclass
class Ageing:
    side: str
    date: datetime.date
    rows: list[AgeingRow]
    totals: AgeingRow
    ledger_balance: Decimal

    @property
    def agrees(self) -> bool:
        return self.totals.total == self.ledger_balance


def _effective_after(as_of: datetime.date, **match: Any) -> Coalesce:
    """Allocations of the outer document that take effect after `as_of`, summed."""
    later = (
        Allocation.objects.filter(**match)
        .annotate(
            effective=Greatest(
                "allocated_on", Coalesce("payment__payment_date", "credit_note__invoice_date", "allocated_on")
            )
        )
        .filter(effective__gt=as_of)
        .values(*match)
        .annotate(total=Sum("amount"))
        .values("total")
        .order_by()
    )
    return Coalesce(Subquery(later, output_field=AMOUNT), Value(ZERO), output_field=AMOUNT)


def open_documents(
    company: Company, side: str, as_of: datetime.date, *, partner: Partner | None = None
) -> list[OpenDocument]:
    """Every document of the side open on `as_of`, by partner name and date."""
    spec = SIDES[side]
    invoices = Invoice.objects.filter(
        company=company,
        kind__in=spec["debts"] + spec["credit_notes"],
        state=Invoice.State.POSTED,
        invoice_date__lte=as_of,
    )
    payments = Payment.objects.filter(
        company=company, kind=spec["payments"], state=Payment.State.POSTED, payment_date__lte=as_of
    )
    if partner is not None:
        invoices, payments = invoices.filter(partner=partner), payments.filter(partner=partner)
    invoices = invoices.annotate(
        open_then=F("open_amount")
        + _effective_after(as_of, invoice=OuterRef("pk"))
        + _effective_after(as_of, credit_note=OuterRef("pk"))
    ).filter(open_then__gt=0)
    payments = payments.annotate(
        open_then=F("unallocated_amount") + _effective_after(as_of, payment=OuterRef("pk"))
    ).filter(open_then__gt=0)
    found = [
        OpenDocument(
            kind=row["kind"],
            id=row["pk"],
            number=row["number"],
            partner_id=row["partner_id"],
            partner_name=row["partner__name"],
            date=row["invoice_date"],
            due_date=row["due_date"],
            age=(as_of - row["invoice_date"]).days,
            amount=-cents(row["open_then"])
            if row["kind"] in spec["credit_notes"]
            else cents(row["open_then"]),
        )
        for row in invoices.values(
            "pk", "kind", "number", "partner_id", "partner__name", "invoice_date", "due_date", "open_then"
        )
    ]
    found += [
        OpenDocument(
            kind=row["kind"],
            id=row["pk"],
            number=row["number"],
            partner_id=row["partner_id"],
            partner_name=row["partner__name"],
            date=row["payment_date"],
            due_date=None,
            age=(as_of - row["payment_date"]).days,
            amount=-cents(row["open_then"]),
        )
        for row in payments.values(
            "pk", "kind", "number", "partner_id", "partner__name", "payment_date", "open_then"
        )
    ]
    return sorted(found, key=lambda d: (d.partner_name, str(d.partner_id), d.date, d.number))


def _ageing(company: Company, side: str, as_of: datetime.date) -> Ageing:
    rows: dict[uuid.UUID, AgeingRow] = {}
    totals = AgeingRow(partner_id=None, partner_name="")
    for document in open_documents(company, side, as_of):
        if document.partner_id not in rows:
            rows[document.partner_id] = AgeingRow(document.partner_id, document.partner_name)
        rows[document.partner_id].add(document)
        totals.add(document)
    settings = FinanceSettings.objects.filter(company=company).select_related(SIDES[side]["account"]).first()
    ledger = ZERO
    if settings is not None:
        control = getattr(settings, SIDES[side]["account"])
        ledger = SIDES[side]["sign"] * account_balance(company, control.code, upto=as_of)
    return Ageing(side=side, date=as_of, rows=list(rows.values()), totals=totals, ledger_balance=ledger)


def receivable_ageing(company: Company, as_of: datetime.date) -> Ageing:
    """What customers owe on `as_of`: open invoices by age, less credit notes and receipts not
    yet allocated."""
    return _ageing(company, RECEIVABLE, as_of)


def payable_ageing(company: Company, as_of: datetime.date) -> Ageing:
    """What we owe suppliers on `as_of`: open bills by age, less supplier credit notes and
    payments not yet allocated."""
    return _ageing(company, PAYABLE, as_of)
