"""Checks every finance service shares: permission and module, amounts, the company's settings."""

import copy
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.db import transaction
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


def amount(
    field: str, value: Any, *, positive: bool = False, allow_zero: bool = True, signed: bool = False
) -> Decimal:
    """A money amount as given: finite, at most two decimals, not negative (or > 0; or, `signed`,
    of either sign)."""
    try:
        number = Decimal(str(value)) if not isinstance(value, Decimal) else value
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationFailed(fields={field: [_("Enter a number.")]})
    if not number.is_finite():
        raise ValidationFailed(fields={field: [_("Enter a number.")]})
    if number != number.quantize(CENT, rounding=ROUND_HALF_UP) or abs(number) >= Decimal("1e14"):
        raise ValidationFailed(fields={field: [_("At most two decimals and 14 digits.")]})
    if not allow_zero and number == 0 and signed:
        raise ValidationFailed(fields={field: [_("Must not be zero.")]})
    if (number < 0 and not signed) or (positive and number == 0) or (not allow_zero and number == 0):
        raise ValidationFailed(
            fields={field: [_("Must be more than zero.") if positive else _("Must not be negative.")]}
        )
    return number.quantize(CENT)


def finance_settings(company: Company) -> FinanceSettings:
    """The company's posting accounts. A company's first posting installs the small-enterprise
    chart, so stock and documents are in the books from the first move on.

    Every posting asks, so the answer is kept per process and used again while one small query
    says neither the settings nor any account of the company changed since (each save moves
    `updated_at`; a deletion changes the count)."""
    stamp = _settings_stamp(company)
    if stamp is None:
        from .chart import chart_install

        chart_install(actor=None, company=company)
        stamp = _settings_stamp(company)
    cached = _SETTINGS.get(company.pk)
    if cached is None or cached[0] != stamp:
        found = FinanceSettings.objects.get(company=company)
        accounts = Account.objects.in_bulk([getattr(found, f"{role}_id") for role in ACCOUNT_ROLES])
        for role in ACCOUNT_ROLES:
            setattr(found, role, accounts[getattr(found, f"{role}_id")])
        _SETTINGS[company.pk] = cached = (stamp, found)
    return copy.copy(cached[1])


_SETTINGS: dict[Any, tuple[tuple | None, FinanceSettings]] = {}
_STAMP = (
    'SELECT s."id", s."updated_at", MAX(a."updated_at"), COUNT(a."id") '
    'FROM "finance_financesettings" s LEFT JOIN "finance_account" a ON a."company_id" = s."company_id" '
    'WHERE s."company_id" = %s GROUP BY s."id", s."updated_at"'
)


def _settings_stamp(company: Company) -> tuple | None:
    connection = transaction.get_connection()
    with connection.cursor() as cursor:
        cursor.execute(
            _STAMP, [FinanceSettings._meta.get_field("company").get_db_prep_value(company.pk, connection)]
        )
        row = cursor.fetchone()
    return tuple(row) if row else None


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
