"""The door to the books on a user's behalf (ERP module).

Whoever may see the ledger (`finance.view`) sees the whole company's books: accounts,
vouchers, periods, invoices and bills, the bank's statement lines. Another company's record is
simply not found.

Expense claims are the exception: an employee who may claim (`finance.claim_expense`) sees the
claims made by them or for them; finance (`finance.view` or `finance.manage_payment`) sees all.
"""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet

from heyi.platform import modules
from heyi.platform.access import access_record, has_perm, require_module, scoped
from heyi.platform.errors import NotFound
from heyi.platform.models import Company, User

from .models import Account, BankLine, ExpenseClaim, Invoice, Payment, Period, Voucher
from .permissions import CLAIM_EXPENSE, MANAGE_PAYMENT, VIEW


def _access(model: type, user: User, company: Company, id: Any, for_update: bool) -> Any:
    require_module(company, modules.ERP)
    return access_record(model, user=user, company=company, id=id, perm=VIEW, for_update=for_update)


def accounts_visible(*, user: User, company: Company) -> QuerySet[Account]:
    require_module(company, modules.ERP)
    return scoped(Account.objects.all(), user=user, company=company, perm=VIEW)


def vouchers_visible(*, user: User, company: Company) -> QuerySet[Voucher]:
    require_module(company, modules.ERP)
    return scoped(Voucher.objects.all(), user=user, company=company, perm=VIEW)


def access_account(*, user: User, company: Company, id: Any, for_update: bool = False) -> Account:
    return _access(Account, user, company, id, for_update)


def access_voucher(*, user: User, company: Company, id: Any, for_update: bool = False) -> Voucher:
    return _access(Voucher, user, company, id, for_update)


def access_period(*, user: User, company: Company, id: Any, for_update: bool = False) -> Period:
    return _access(Period, user, company, id, for_update)


def invoices_visible(
    *, user: User, company: Company, kinds: Iterable[str] | None = None
) -> QuerySet[Invoice]:
    """Invoices, bills and credit notes; `kinds` narrows to some of them."""
    require_module(company, modules.ERP)
    qs = scoped(Invoice.objects.all(), user=user, company=company, perm=VIEW)
    return qs if kinds is None else qs.filter(kind__in=list(kinds))


def access_invoice(*, user: User, company: Company, id: Any, for_update: bool = False) -> Invoice:
    """An invoice, bill or credit note of any kind."""
    return _access(Invoice, user, company, id, for_update)


def payments_visible(*, user: User, company: Company) -> QuerySet[Payment]:
    require_module(company, modules.ERP)
    return scoped(Payment.objects.all(), user=user, company=company, perm=VIEW)


def access_payment(*, user: User, company: Company, id: Any, for_update: bool = False) -> Payment:
    """A customer receipt or a supplier payment."""
    return _access(Payment, user, company, id, for_update)


def bank_lines_visible(*, user: User, company: Company) -> QuerySet[BankLine]:
    """The lines of the bank's statements of the company's bank accounts."""
    require_module(company, modules.ERP)
    return scoped(BankLine.objects.all(), user=user, company=company, perm=VIEW)


def access_bank_line(*, user: User, company: Company, id: Any, for_update: bool = False) -> BankLine:
    return _access(BankLine, user, company, id, for_update)


def sees_all_expense_claims(user: User, company: Company) -> bool:
    return has_perm(user, company, VIEW) or has_perm(user, company, MANAGE_PAYMENT)


def expense_claims_visible(*, user: User, company: Company) -> QuerySet[ExpenseClaim]:
    """All claims for finance; for anyone else who may claim, those made by them or for them."""
    require_module(company, modules.ERP)
    qs = ExpenseClaim.objects.filter(company=company)
    if sees_all_expense_claims(user, company):
        return qs
    if has_perm(user, company, CLAIM_EXPENSE):
        return qs.filter(Q(employee__user=user) | Q(created_by=user))
    return qs.none()


def access_expense_claim(*, user: User, company: Company, id: Any, for_update: bool = False) -> ExpenseClaim:
    qs = expense_claims_visible(user=user, company=company)
    if for_update:
        qs = qs.select_for_update(of=("self",))
    try:
        return qs.get(pk=id)
    except (ExpenseClaim.DoesNotExist, ValueError, TypeError, ValidationError):
        raise NotFound()


def expense_accounts_visible(*, user: User, company: Company) -> QuerySet[Account]:
    """The accounts an expense can be claimed on (debit-side profit and loss or cost accounts
    that take postings), for whoever may claim or pay claims."""
    require_module(company, modules.ERP)
    if not (has_perm(user, company, CLAIM_EXPENSE) or has_perm(user, company, MANAGE_PAYMENT)):
        return Account.objects.none()
    return Account.objects.filter(
        company=company,
        type__in=[Account.Type.PROFIT_LOSS, Account.Type.COST],
        side=Account.Side.DEBIT,
        is_leaf=True,
        active=True,
    ).order_by("code")


def access_expense_account(*, user: User, company: Company, id: Any) -> Account:
    try:
        return expense_accounts_visible(user=user, company=company).get(pk=id)
    except (Account.DoesNotExist, ValueError, TypeError, ValidationError):
        raise NotFound()
