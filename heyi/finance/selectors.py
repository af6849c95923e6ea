"""Reads of the books that services, reports and tests share."""

import datetime
from decimal import Decimal

from django.db.models import Sum

from heyi.platform.models import Company

from .models import VoucherLine

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
    from .models import Account

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
