"""Fiscal years and monthly periods: opened on first use, closed by finance.

A closed period refuses every posting dated in it, automatic ones included, so a delivery
dated in a closed month is refused as a whole. Closing the year carries profit and loss to
the profit of the year and on to undistributed profit (结转损益).
"""

import calendar
import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from heyi.partners.models import Partner
from heyi.platform.errors import InvalidTransition, ValidationFailed
from heyi.platform.models import Company, User
from heyi.platform.services.audit import audit_record

from ..errors import PeriodClosed
from ..models import Account, FiscalYear, Period, Voucher, VoucherLine
from ..permissions import CLOSE_PERIOD
from .common import ZERO, check, finance_settings, money


def _open_year(company: Company, year: int) -> None:
    try:
        with transaction.atomic():
            fiscal_year = FiscalYear.objects.create(company=company, year=year)
            Period.objects.bulk_create(
                Period(
                    company=company,
                    fiscal_year=fiscal_year,
                    year=year,
                    month=month,
                    start=datetime.date(year, month, 1),
                    end=datetime.date(year, month, calendar.monthrange(year, month)[1]),
                )
                for month in range(1, 13)
            )
    except IntegrityError:
        pass  # opened by a concurrent posting


def period_of(company: Company, date: datetime.date) -> Period:
    """The period a date falls in, its fiscal year opened if this is its first posting."""
    period = Period.objects.filter(company=company, year=date.year, month=date.month).first()
    if period is None:
        _open_year(company, date.year)
        period = Period.objects.get(company=company, year=date.year, month=date.month)
    return period


def period_open_for(company: Company, date: datetime.date) -> Period:
    period = period_of(company, date)
    if period.state == Period.State.CLOSED:
        raise PeriodClosed(
            _("The period %(period)s is closed; nothing can be posted on %(date)s.")
            % {"period": str(period), "date": date.isoformat()},
            period=str(period),
        )
    return period


def period_close(*, actor: User, company: Company, period: Period) -> Period:
    """Close a month. Draft vouchers dated in it must be posted or deleted first."""
    check(actor, company, CLOSE_PERIOD)
    with transaction.atomic():
        locked = Period.objects.select_for_update().get(pk=period.pk, company=company)
        if locked.state == Period.State.CLOSED:
            raise InvalidTransition(current=locked.state, target=Period.State.CLOSED)
        drafts = Voucher.objects.filter(company=company, period=locked, state=Voucher.State.DRAFT).count()
        if drafts:
            raise InvalidTransition(
                _("%(count)s draft vouchers are dated in this period; post or delete them first.")
                % {"count": drafts},
                current=locked.state,
                target=Period.State.CLOSED,
            )
        locked.state, locked.closed_at = Period.State.CLOSED, timezone.now()
        locked.save(update_fields=["state", "closed_at", "updated_at"])
        audit_record(
            actor=actor,
            company=company,
            action="period_close",
            obj=locked,
            changes={"state": ["open", "closed"]},
        )
        return locked


def period_reopen(*, actor: User, company: Company, period: Period) -> Period:
    """Open a closed month again (a lock-date change, audited); not in a closed fiscal year."""
    check(actor, company, CLOSE_PERIOD)
    with transaction.atomic():
        locked = (
            Period.objects.select_for_update()
            .select_related("fiscal_year")
            .get(pk=period.pk, company=company)
        )
        if locked.state == Period.State.OPEN or locked.fiscal_year.state == FiscalYear.State.CLOSED:
            raise InvalidTransition(current=locked.state, target=Period.State.OPEN)
        locked.state, locked.closed_at = Period.State.OPEN, None
        locked.save(update_fields=["state", "closed_at", "updated_at"])
        audit_record(
            actor=actor,
            company=company,
            action="period_reopen",
            obj=locked,
            changes={"state": ["closed", "open"]},
        )
        return locked


def profit_and_loss_balances(
    company: Company, start: datetime.date, end: datetime.date
) -> dict[Account, Decimal]:
    """Debit minus credit of every profit-and-loss account over the dates."""
    rows = (
        VoucherLine.objects.filter(
            company=company,
            posted=True,
            date__gte=start,
            date__lte=end,
            account__type=Account.Type.PROFIT_LOSS,
        )
        .values("account")
        .annotate(debit=Sum("debit"), credit=Sum("credit"))
    )
    accounts = Account.objects.in_bulk([r["account"] for r in rows])
    balances = {accounts[r["account"]]: money(r["debit"] - r["credit"]) for r in rows}
    return {account: balance for account, balance in balances.items() if balance}


def _closing_lines(company: Company, year: int) -> tuple[list, Decimal]:
    """The lines that bring every profit-and-loss account of the year to zero (per partner
    on accounts kept by partner), and the profit they carry."""
    from .vouchers import LineIn

    rows = (
        VoucherLine.objects.filter(
            company=company,
            posted=True,
            date__gte=datetime.date(year, 1, 1),
            date__lte=datetime.date(year, 12, 31),
            account__type=Account.Type.PROFIT_LOSS,
        )
        .values("account", "partner")
        .annotate(debit=Sum("debit"), credit=Sum("credit"))
    )
    accounts = Account.objects.in_bulk([r["account"] for r in rows])
    partners = Partner.objects.in_bulk([r["partner"] for r in rows if r["partner"]])
    lines, profit = [], ZERO
    for row in sorted(rows, key=lambda r: (accounts[r["account"]].code, str(r["partner"] or ""))):
        balance = money(row["debit"] - row["credit"])
        if not balance:
            continue
        profit -= balance
        lines.append(
            LineIn(
                account=accounts[row["account"]],
                debit=max(-balance, ZERO),
                credit=max(balance, ZERO),
                partner=partners.get(row["partner"]),
            )
        )
    return lines, profit


def fiscal_year_close(*, actor: User, company: Company, year: int) -> FiscalYear:
    """Carry the year's profit and loss to the profit of the year, then to undistributed profit,
    in one transfer voucher dated 31 December (December must still be open), and close the year
    with all its periods."""
    from .vouchers import LineIn, ledger_post

    check(actor, company, CLOSE_PERIOD)
    if not 1900 <= year <= 2999:
        raise ValidationFailed(fields={"year": [_("Enter a year between 1900 and 2999.")]})
    settings = finance_settings(company)
    with transaction.atomic():
        period_of(company, datetime.date(year, 12, 31))
        fiscal_year = FiscalYear.objects.select_for_update().get(company=company, year=year)
        if fiscal_year.state == FiscalYear.State.CLOSED:
            raise InvalidTransition(current=fiscal_year.state, target=FiscalYear.State.CLOSED)
        drafts = Voucher.objects.filter(
            company=company, period__fiscal_year=fiscal_year, state=Voucher.State.DRAFT
        ).count()
        if drafts:
            raise InvalidTransition(
                _("%(count)s draft vouchers are dated in this year; post or delete them first.")
                % {"count": drafts},
                current=fiscal_year.state,
                target=FiscalYear.State.CLOSED,
            )
        end = datetime.date(year, 12, 31)
        lines, profit = _closing_lines(company, year)
        if profit:
            profit_side = settings.current_year_profit
            lines.append(LineIn(account=profit_side, debit=max(-profit, ZERO), credit=max(profit, ZERO)))
            lines.append(LineIn(account=profit_side, debit=max(profit, ZERO), credit=max(-profit, ZERO)))
            lines.append(
                LineIn(account=settings.retained_earnings, debit=max(-profit, ZERO), credit=max(profit, ZERO))
            )
        if lines:
            ledger_post(
                actor=actor,
                company=company,
                date=end,
                word=Voucher.Word.TRANSFER,
                narration=_("Year-end closing of profit and loss %(year)s") % {"year": year},
                lines=lines,
                source=("finance.year_end", str(fiscal_year.pk), str(year)),
                check_control=False,
            )
        now = timezone.now()
        Period.objects.filter(company=company, fiscal_year=fiscal_year).update(
            state=Period.State.CLOSED, closed_at=now, updated_at=now
        )
        fiscal_year.state, fiscal_year.closed_at = FiscalYear.State.CLOSED, now
        fiscal_year.save(update_fields=["state", "closed_at", "updated_at"])
        audit_record(
            actor=actor,
            company=company,
            action="fiscal_year_close",
            obj=fiscal_year,
            changes={"profit": profit},
        )
        return fiscal_year
