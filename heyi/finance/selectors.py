"""Reads of the books that services, reports and tests share."""

import datetime
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet, Sum

from heyi.platform.http.pagination import text_search
from heyi.platform.models import Company

from .models import Account, Invoice, Period, Voucher, VoucherLine

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
