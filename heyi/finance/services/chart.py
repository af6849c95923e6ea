"""Setting up a company's books: the chart from the template and the posting accounts."""

import re

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from heyi.platform.errors import ValidationFailed
from heyi.platform.models import Company, User
from heyi.platform.services.audit import audit_record
from heyi.platform.services.records import record_create, record_update

from ..chart import ROLES, SMALL_ENTERPRISE
from ..models import Account, FinanceSettings, Voucher
from ..permissions import MANAGE_SETTINGS
from .common import ACCOUNT_ROLES, check

DIGITS = re.compile(r"[0-9]+")


def chart_install(*, actor: User | None, company: Company) -> FinanceSettings:
    """Create the small-enterprise chart and the settings naming its posting accounts.

    Idempotent: a company that already has a chart keeps it.
    """
    if actor is not None:
        check(actor, company, MANAGE_SETTINGS)
    existing = FinanceSettings.objects.filter(company=company).first()
    if existing is not None:
        return existing
    try:
        return _install(actor, company)
    except IntegrityError:
        return FinanceSettings.objects.get(company=company)  # installed by a concurrent first posting


def _install(actor: User | None, company: Company) -> FinanceSettings:
    with transaction.atomic():
        by_code: dict[str, Account] = {}
        for code, name, name_en, type_, side, flags in sorted(SMALL_ENTERPRISE):
            parent = next(
                (by_code[code[:n]] for n in range(len(code) - 1, 0, -1) if code[:n] in by_code), None
            )
            by_code[code] = Account(
                company=company,
                code=code,
                name=name,
                name_en=name_en,
                type=type_,
                side=side,
                parent=parent,
                partner_required="P" in flags,
                is_cash="C" in flags,
            )
        parents = {a.parent.code for a in by_code.values() if a.parent is not None}
        for account in by_code.values():
            account.is_leaf = account.code not in parents
        Account.objects.bulk_create(list(by_code.values()))
        settings = FinanceSettings.objects.create(
            company=company, **{role: by_code[code] for role, code in ROLES.items()}
        )
        audit_record(
            actor=actor,
            company=company,
            action="chart_install",
            object_type="finance.settings",
            object_id=str(settings.pk),
            object_repr=_("Chart of accounts"),
            changes={"accounts": len(by_code)},
        )
        return settings


def _roles_using(company: Company, account: Account) -> list[str]:
    """The finance settings' posting roles that name this account."""
    settings = FinanceSettings.objects.filter(company=company).first()
    if settings is None:
        return []
    return [role for role in ACCOUNT_ROLES if getattr(settings, f"{role}_id") == account.pk]


def account_create(
    *,
    actor: User,
    company: Company,
    parent: Account,
    code: str,
    name: str,
    name_en: str = "",
    partner_required: bool | None = None,
) -> Account:
    """A sub-account under `parent`, its code extending the parent's. The first child of an
    account that has no postings turns it into a group; one with postings, or one the finance
    settings post to, cannot get children (postings go to leaf accounts only)."""
    from ..models import VoucherLine

    check(actor, company, MANAGE_SETTINGS)
    code = (code or "").strip()
    if parent.company_id != company.pk:
        raise ValidationFailed(fields={"parent": [_("Not found.")]})
    if not DIGITS.fullmatch(code) or not code.startswith(parent.code) or len(code) <= len(parent.code):
        raise ValidationFailed(fields={"code": [_("The code must extend the parent's code with digits.")]})
    with transaction.atomic():
        locked = Account.objects.select_for_update().get(pk=parent.pk)
        if not locked.active:
            raise ValidationFailed(fields={"parent": [_("This account is inactive.")]})
        if locked.is_leaf and _roles_using(company, locked):
            raise ValidationFailed(
                fields={
                    "parent": [
                        _(
                            "The finance settings post to this account; choose another account there "
                            "before giving it sub-accounts."
                        )
                    ]
                }
            )
        if locked.is_leaf and VoucherLine.objects.filter(company=company, account=locked).exists():
            raise ValidationFailed(
                fields={"parent": [_("This account already has postings; it cannot get sub-accounts.")]}
            )
        if Account.objects.filter(company=company, code=code).exists():
            raise ValidationFailed(fields={"code": [_("An account with this code exists.")]})
        account = record_create(
            actor=actor,
            company=company,
            obj=Account(
                code=code,
                name=(name or "").strip(),
                name_en=(name_en or "").strip(),
                type=locked.type,
                side=locked.side,
                parent=locked,
                partner_required=locked.partner_required if partner_required is None else partner_required,
                is_cash=locked.is_cash,
            ),
        )
        if locked.is_leaf:
            record_update(actor=actor, company=company, obj=locked, data={"is_leaf": False}, version=None)
        return account


def account_update(
    *, actor: User, company: Company, account: Account, changes: dict, version: int | None = None
) -> Account:
    """Rename or (de)activate an account; its code, type and place in the tree stay.

    An account is deactivated only when nothing more will come to it: no balance, no active
    sub-account, no posting role of the finance settings.
    """
    check(actor, company, MANAGE_SETTINGS)
    allowed = {k: v for k, v in changes.items() if k in {"name", "name_en", "active"}}
    for key in ("name", "name_en"):
        if key in allowed:
            allowed[key] = (allowed[key] or "").strip()
    with transaction.atomic():
        locked = Account.objects.select_for_update().get(pk=account.pk, company=company)
        if allowed.get("active") is False and locked.active:
            _check_deactivate(company, locked)
        if allowed.get("active") is True and locked.parent is not None and not locked.parent.active:
            raise ValidationFailed(fields={"active": [_("Activate the parent account first.")]})
        record_update(actor=actor, company=company, obj=locked, data=allowed, version=version)
        return locked


def _check_deactivate(company: Company, account: Account) -> None:
    from ..selectors import account_balance

    if _roles_using(company, account):
        raise ValidationFailed(
            fields={
                "active": [
                    _("The finance settings post to this account; choose another account there first.")
                ]
            }
        )
    if Account.objects.filter(company=company, parent=account, active=True).exists():
        raise ValidationFailed(fields={"active": [_("Deactivate its sub-accounts first.")]})
    if account_balance(company, account.code):
        raise ValidationFailed(fields={"active": [_("The account has a balance; bring it to zero first.")]})
    if (
        account.is_leaf
        and Voucher.objects.filter(
            company=company, state=Voucher.State.DRAFT, lines__account=account
        ).exists()
    ):
        raise ValidationFailed(fields={"active": [_("Draft vouchers use this account.")]})
