"""Setting up a company's books: the chart from the template and the posting accounts."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from heyi.platform.errors import ValidationFailed
from heyi.platform.models import Company, User
from heyi.platform.services.audit import audit_record
from heyi.platform.services.records import record_create, record_update

from ..chart import ROLES, SMALL_ENTERPRISE
from ..models import Account, FinanceSettings
from ..permissions import MANAGE_SETTINGS
from .common import check


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
    account that has no postings turns it into a group; one with postings cannot get children."""
    from ..models import VoucherLine

    check(actor, company, MANAGE_SETTINGS)
    code = (code or "").strip()
    if parent.company_id != company.pk:
        raise ValidationFailed(fields={"parent": [_("Not found.")]})
    if not code.startswith(parent.code) or len(code) <= len(parent.code) or not code.isdigit():
        raise ValidationFailed(fields={"code": [_("The code must extend the parent's code with digits.")]})
    with transaction.atomic():
        locked = Account.objects.select_for_update().get(pk=parent.pk)
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
    """Rename or (de)activate an account; its code, type and place in the tree stay."""
    check(actor, company, MANAGE_SETTINGS)
    allowed = {k: v for k, v in changes.items() if k in {"name", "name_en", "active"}}
    with transaction.atomic():
        locked = Account.objects.select_for_update().get(pk=account.pk, company=company)
        record_update(actor=actor, company=company, obj=locked, data=allowed, version=version)
        return locked
