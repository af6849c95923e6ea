"""The door to the books on a user's behalf (ERP module).

Whoever may see the ledger (`finance.view`) sees the whole company's books: accounts,
vouchers, periods, invoices and bills. Another company's record is simply not found.
"""

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet

from heyi.platform import modules
from heyi.platform.access import access_record, require_module, scoped
from heyi.platform.models import Company, User

from .models import Account, Invoice, Period, Voucher
from .permissions import VIEW


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
