"""Checks every finance service shares: permission and module, amounts, the company's settings."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from heyi.platform import modules
from heyi.platform.access import require_module, require_perm
from heyi.platform.errors import ValidationFailed
from heyi.platform.models import Company, User

from ..models import Account, FinanceSettings

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def check(actor: User, company: Company, perm: str) -> None:
    require_module(company, modules.ERP)
    require_perm(actor, company, perm)


def money(value: Decimal) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def amount(field: str, value: Any, *, positive: bool = False, allow_zero: bool = True) -> Decimal:
    """A money amount as given: finite, at most two decimals, not negative (or > 0)."""
    try:
        number = Decimal(str(value)) if not isinstance(value, Decimal) else value
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationFailed(fields={field: [_("Enter a number.")]})
    if not number.is_finite():
        raise ValidationFailed(fields={field: [_("Enter a number.")]})
    if number != number.quantize(CENT, rounding=ROUND_HALF_UP) or abs(number) >= Decimal("1e14"):
        raise ValidationFailed(fields={field: [_("At most two decimals and 14 digits.")]})
    if number < 0 or (positive and number == 0) or (not allow_zero and number == 0):
        raise ValidationFailed(
            fields={field: [_("Must be more than zero.") if positive else _("Must not be negative.")]}
        )
    return number.quantize(CENT)


def finance_settings(company: Company) -> FinanceSettings:
    """The company's posting accounts. A company's first posting installs the small-enterprise
    chart, so stock and documents are in the books from the first move on."""
    found = FinanceSettings.objects.filter(company=company).first()
    if found is None:
        from .chart import chart_install

        chart_install(actor=None, company=company)
        found = FinanceSettings.objects.get(company=company)
    accounts = Account.objects.in_bulk([getattr(found, f"{role}_id") for role in ACCOUNT_ROLES])
    for role in ACCOUNT_ROLES:
        setattr(found, role, accounts[getattr(found, f"{role}_id")])
    return found


ACCOUNT_ROLES = (
    "receivable",
    "payable",
    "goods_received_not_invoiced",
    "inventory",
    "cost_of_goods_sold",
    "revenue",
    "output_vat",
    "input_vat",
    "price_difference",
    "stock_adjustment",
    "expense",
    "employee_payable",
    "current_year_profit",
    "retained_earnings",
)
