"""Reads of the books that services, reports and tests share."""

import datetime
from decimal import Decimal
from typing import Any

from django.db.models import DecimalField, F, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from heyi.platform.http.pagination import text_search
from heyi.platform.models import Company
from heyi.purchasing.models import Receipt, ReceiptLine
from heyi.sales.models import Delivery, DeliveryLine, SalesReturn, SalesReturnLine

from .models import Account, Invoice, InvoiceLine, Period, Voucher, VoucherLine

ZERO = Decimal("0.00")


def account_balance(
    company: Company, code: str, *, upto: datetime.date | None = None, partner=None
) -> Decimal:
    """Debits minus credits posted to an account and its sub-accounts (by code prefix)."""
    lines = VoucherLine.objects.filter(company=company, posted=True, account__code__startswith=code)
    if upto is not None:
        lines = lines.filter(date__lte=upto)
    if partner is not None:
        lines = lines.filter(partner=partner)
    totals = lines.aggregate(debit=Sum("debit"), credit=Sum("credit"))
    return Decimal(totals["debit"] or 0).quantize(ZERO) - Decimal(totals["credit"] or 0).quantize(ZERO)


def chart_balances(company: Company) -> dict:
    """Every account's posted balance (debits minus credits) by account id, groups summing
    their sub-accounts: one query for the whole chart."""
    rows = (
        VoucherLine.objects.filter(company=company, posted=True)
        .values("account")
        .annotate(debit=Sum("debit"), credit=Sum("credit"))
    )
    parents = dict(Account.objects.filter(company=company).values_list("pk", "parent_id"))
    balances: dict = {pk: ZERO for pk in parents}
    for row in rows:
        value = Decimal(row["debit"] or 0).quantize(ZERO) - Decimal(row["credit"] or 0).quantize(ZERO)
        pk = row["account"]
        while pk is not None:
            balances[pk] += value
            pk = parents[pk]
    return balances


def chart_levels(company: Company) -> dict:
    """Each account's depth in the chart (1 for a top-level account), by account id."""
    parents = dict(Account.objects.filter(company=company).values_list("pk", "parent_id"))
    levels: dict = {}

    def level(pk) -> int:
        if pk not in levels:
            levels[pk] = 1 if parents[pk] is None else level(parents[pk]) + 1
        return levels[pk]

    for pk in parents:
        level(pk)
    return levels


def voucher_search(
    qs: QuerySet[Voucher],
    *,
    q: str = "",
    state: str = "",
    word: str = "",
    period: Period | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    account: Account | None = None,
    source: str = "",
) -> QuerySet[Voucher]:
    """Vouchers narrowed by the list filters; the API and the voucher list page share it."""
    qs = text_search(qs, q, ("number", "narration", "source_reference"))
    if state:
        qs = qs.filter(state=state[:10])
    if word:
        qs = qs.filter(word=word[:2])
    if period is not None:
        qs = qs.filter(period=period)
    if date_from is not None:
        qs = qs.filter(date__gte=date_from)
    if date_to is not None:
        qs = qs.filter(date__lte=date_to)
    if account is not None:
        lines = VoucherLine.objects.filter(company=account.company_id, account__code__startswith=account.code)
        qs = qs.filter(pk__in=lines.values("voucher_id"))
    if source == "manual":
        qs = qs.filter(source_type="")
    elif source:
        qs = qs.filter(source_type=source[:60])
    return qs


def invoice_search(
    qs: QuerySet[Invoice],
    *,
    q: str = "",
    kind: str = "",
    state: str = "",
    partner: Any = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    overdue_on: datetime.date | None = None,
) -> QuerySet[Invoice]:
    """Invoices, bills and credit notes narrowed by the list filters (API and pages);
    `overdue_on`: posted, still open and due before that day."""
    qs = text_search(qs, q, ("number", "partner__name", "partner_reference"))
    if kind:
        qs = qs.filter(kind=kind[:24])
    if state:
        qs = qs.filter(state=state[:10])
    if partner is not None:
        qs = qs.filter(partner_id=partner)
    if date_from is not None:
        qs = qs.filter(invoice_date__gte=date_from)
    if date_to is not None:
        qs = qs.filter(invoice_date__lte=date_to)
    if overdue_on is not None:
        qs = qs.filter(state=Invoice.State.POSTED, open_amount__gt=0, due_date__lt=overdue_on)
    return qs.select_related("partner")


def _claimed(kind: str, field: str, states: tuple[str, ...]) -> Subquery:
    """The quantity documents of `kind` in `states` claim of the outer source line."""
    rows = (
        InvoiceLine.objects.filter(invoice__kind=kind, invoice__state__in=states, **{field: OuterRef("pk")})
        .values(field)
        .annotate(quantity=Sum("quantity"))
        .values("quantity")
    )
    return Subquery(rows, output_field=DecimalField(max_digits=16, decimal_places=4))


CLAIMING = (Invoice.State.DRAFT, Invoice.State.HELD, Invoice.State.POSTED)
NOTHING = Value(Decimal(0), output_field=DecimalField(max_digits=16, decimal_places=4))


def deliveries_to_invoice(deliveries: QuerySet[Delivery]) -> QuerySet[Delivery]:
    """Shipped deliveries with a line no invoice (draft, held or posted) fully claims."""
    open_lines = (
        DeliveryLine.objects.filter(delivery__in=deliveries.filter(state=Delivery.State.SHIPPED))
        .annotate(
            claimed=Coalesce(_claimed(Invoice.Kind.CUSTOMER_INVOICE, "delivery_line", CLAIMING), NOTHING)
        )
        .filter(quantity__gt=F("claimed"))
    )
    return deliveries.filter(pk__in=open_lines.values("delivery_id")).select_related("order__customer")


def returns_to_credit(returns: QuerySet[SalesReturn]) -> QuerySet[SalesReturn]:
    """Received returns with a line no credit note fully claims."""
    open_lines = (
        SalesReturnLine.objects.filter(sales_return__in=returns.filter(state=SalesReturn.State.RECEIVED))
        .annotate(
            claimed=Coalesce(
                _claimed(Invoice.Kind.CUSTOMER_CREDIT_NOTE, "sales_return_line", CLAIMING), NOTHING
            )
        )
        .filter(quantity__gt=F("claimed"))
    )
    return returns.filter(pk__in=open_lines.values("sales_return_id")).select_related(
        "delivery__order__customer"
    )


def receipts_to_bill(receipts: QuerySet[Receipt]) -> QuerySet[Receipt]:
    """Confirmed receipts with goods kept (accepted, not sent back) that bills do not fully claim,
    supplier credit notes given back."""
    open_lines = (
        ReceiptLine.objects.filter(receipt__in=receipts.filter(status=Receipt.Status.CONFIRMED))
        .annotate(
            billed=Coalesce(_claimed(Invoice.Kind.SUPPLIER_BILL, "receipt_line", CLAIMING), NOTHING),
            credited=Coalesce(
                _claimed(Invoice.Kind.SUPPLIER_CREDIT_NOTE, "receipt_line", (Invoice.State.POSTED,)), NOTHING
            ),
        )
        .filter(accepted_quantity__gt=F("returned_accepted") + F("billed") - F("credited"))
    )
    return receipts.filter(pk__in=open_lines.values("receipt_id")).select_related("order", "supplier")
