"""The finance settings: which accounts automatic postings use, the three-way-match tolerances
and the payment terms.

A posting account must be an active leaf account of the company, of the type its role posts
(revenue to profit and loss, receivable to assets, ...). The control accounts (receivable,
payable, goods received not invoiced, inventory) are each used by one role only and change
only while neither the old nor the new one carries postings: their balance must always equal
the open documents and the stock they stand for.
"""

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from heyi.platform.errors import ValidationFailed
from heyi.platform.models import Company, User
from heyi.platform.services.records import record_update

from ..models import Account, FinanceSettings, VoucherLine
from ..permissions import MANAGE_SETTINGS
from .common import ACCOUNT_ROLES, check, finance_settings

A, L, E, C, PL = (
    Account.Type.ASSET,
    Account.Type.LIABILITY,
    Account.Type.EQUITY,
    Account.Type.COST,
    Account.Type.PROFIT_LOSS,
)

ROLE_TYPES: dict[str, tuple[str, ...]] = {
    "receivable": (A,),
    "payable": (L,),
    "goods_received_not_invoiced": (L,),
    "inventory": (A,),
    "cost_of_goods_sold": (PL, C),
    "revenue": (PL,),
    "output_vat": (L,),
    "input_vat": (L, A),
    "price_difference": (PL, C, A),
    "stock_adjustment": (A, PL),
    "expense": (PL, C),
    "employee_payable": (L,),
    "current_year_profit": (E,),
    "retained_earnings": (E,),
}
CONTROL_ROLES = ("receivable", "payable", "goods_received_not_invoiced", "inventory")
BY_PARTNER = ("receivable", "payable", "goods_received_not_invoiced")
PERCENT_FIELDS = ("price_tolerance_percent", "quantity_tolerance_percent")
MAX_TERMS_DAYS = 365


def _account(company: Company, role: str, account: Any) -> Account:
    if not isinstance(account, Account) or account.company_id != company.pk:
        raise ValidationFailed(fields={role: [_("Not found.")]})
    if not account.is_leaf or not account.active:
        raise ValidationFailed(fields={role: [_("Choose an active account without sub-accounts.")]})
    if account.type not in ROLE_TYPES[role]:
        raise ValidationFailed(
            fields={
                role: [
                    _("Choose an account of type: %(types)s.")
                    % {"types": ", ".join(str(Account.Type(t).label) for t in ROLE_TYPES[role])}
                ]
            }
        )
    if role in BY_PARTNER and not account.partner_required:
        raise ValidationFailed(fields={role: [_("Choose an account kept by customer or supplier.")]})
    return account


def _percent(name: str, value: Any) -> Decimal:
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        raise ValidationFailed(fields={name: [_("Enter a number.")]})
    if not number.is_finite() or not 0 <= number <= 100 or number != number.quantize(Decimal("0.01")):
        raise ValidationFailed(fields={name: [_("Enter a percentage from 0 to 100, at most two decimals.")]})
    return number


def finance_settings_update(
    *, actor: User, company: Company, changes: dict[str, Any], version: int | None = None
) -> FinanceSettings:
    """Change posting accounts (`<role>`: Account), tolerances and payment terms; audited."""
    check(actor, company, MANAGE_SETTINGS)
    current = finance_settings(company)
    data: dict[str, Any] = {}
    for role in ACCOUNT_ROLES:
        if role in changes and changes[role] is not None:
            data[role] = _account(company, role, changes[role])
    for name in PERCENT_FIELDS:
        if name in changes and changes[name] is not None:
            data[name] = _percent(name, changes[name])
    if changes.get("payment_terms_days") is not None:
        days = changes["payment_terms_days"]
        if isinstance(days, bool) or not isinstance(days, int) or not 0 <= days <= MAX_TERMS_DAYS:
            raise ValidationFailed(
                fields={
                    "payment_terms_days": [_("Enter whole days from 0 to %(max)s.") % {"max": MAX_TERMS_DAYS}]
                }
            )
        data["payment_terms_days"] = days
    with transaction.atomic():
        locked = FinanceSettings.objects.select_for_update().get(pk=current.pk, company=company)
        _check_controls(company, locked, data)
        record_update(actor=actor, company=company, obj=locked, data=data, version=version)
        return finance_settings(company)


def _check_controls(company: Company, settings: FinanceSettings, data: dict[str, Any]) -> None:
    chosen = {role: data.get(role) or getattr(settings, role) for role in ACCOUNT_ROLES}
    for role in CONTROL_ROLES:
        others = [r for r in ACCOUNT_ROLES if r != role and chosen[r].pk == chosen[role].pk]
        if others:
            raise ValidationFailed(
                fields={
                    role: [_("A control account serves one posting role only; it is also used for another.")]
                }
            )
        new = data.get(role)
        old_id = getattr(settings, f"{role}_id")
        if new is None or new.pk == old_id:
            continue
        if VoucherLine.objects.filter(company=company, account_id__in=[old_id, new.pk]).exists():
            raise ValidationFailed(
                fields={
                    role: [
                        _(
                            "The old or the new account already carries postings; a control account "
                            "changes only before anything is posted to either."
                        )
                    ]
                }
            )
