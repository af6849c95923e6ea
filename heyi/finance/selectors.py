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
