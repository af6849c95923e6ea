"""The door to purchasing documents on a user's behalf (ERP module).

Requisitions are seen by whoever may view purchasing (company-wide for buyers, the warehouse
and finance) and by their requester (`manage_requisition`, own scope for employees). Everything
else needs `purchasing.view`. Another company's document is simply not found.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from heyi.platform import modules
from heyi.platform.access import access_record, require_module, scoped
from heyi.platform.errors import NotFound
from heyi.platform.models import Company, User

from .models import PurchaseOrder, PurchaseRequisition, PurchaseReturn, Receipt, SupplierPrice
from .permissions import MANAGE_REQUISITION, VIEW


def requisitions_visible(*, user: User, company: Company) -> QuerySet[PurchaseRequisition]:
    require_module(company, modules.ERP)
    base = PurchaseRequisition.objects.all()
    return scoped(base, user=user, company=company, perm=VIEW) | scoped(
        base, user=user, company=company, perm=MANAGE_REQUISITION
    )


def access_requisition(
    *, user: User, company: Company, id: Any, for_update: bool = False
) -> PurchaseRequisition:
    qs = requisitions_visible(user=user, company=company)
    try:
        found = qs.get(pk=id)
    except (PurchaseRequisition.DoesNotExist, ValueError, TypeError, ValidationError):
        raise NotFound()
    if for_update:
        return PurchaseRequisition.objects.select_for_update().get(pk=found.pk)
    return found


def _access(model: type, user: User, company: Company, id: Any, for_update: bool) -> Any:
    require_module(company, modules.ERP)
    return access_record(model, user=user, company=company, id=id, perm=VIEW, for_update=for_update)


def access_order(*, user: User, company: Company, id: Any, for_update: bool = False) -> PurchaseOrder:
    return _access(PurchaseOrder, user, company, id, for_update)


def access_receipt(*, user: User, company: Company, id: Any, for_update: bool = False) -> Receipt:
    return _access(Receipt, user, company, id, for_update)


def access_return(*, user: User, company: Company, id: Any, for_update: bool = False) -> PurchaseReturn:
    return _access(PurchaseReturn, user, company, id, for_update)


def access_supplier_price(*, user: User, company: Company, id: Any) -> SupplierPrice:
    return _access(SupplierPrice, user, company, id, False)
