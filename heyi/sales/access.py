"""The door to sales documents on a user's behalf.

An order is visible within the record scope the user's role gives `sales.view_order` (a
salesperson their own orders, a manager their department's); its deliveries and returns are
visible exactly when the order is. Another company's document is simply not found.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from heyi.platform import modules
from heyi.platform.access import require_module, scoped
from heyi.platform.errors import NotFound
from heyi.platform.models import Company, User

from .models import Delivery, SalesOrder, SalesReturn
from .permissions import VIEW_ORDER


def orders_visible(*, user: User, company: Company) -> QuerySet[SalesOrder]:
    require_module(company, modules.ERP)
    return scoped(SalesOrder.objects.all(), user=user, company=company, perm=VIEW_ORDER)


def deliveries_visible(*, user: User, company: Company) -> QuerySet[Delivery]:
    orders = orders_visible(user=user, company=company).values("pk")
    return Delivery.objects.filter(company=company, order__in=orders)


def returns_visible(*, user: User, company: Company) -> QuerySet[SalesReturn]:
    orders = orders_visible(user=user, company=company).values("pk")
    return SalesReturn.objects.filter(company=company, delivery__order__in=orders)


def _one(qs: QuerySet, id: Any, for_update: bool) -> Any:
    if for_update:
        qs = qs.select_for_update()
    try:
        return qs.get(pk=id)
    except (qs.model.DoesNotExist, ValueError, TypeError, ValidationError):
        raise NotFound()


def access_sales_order(*, user: User, company: Company, id: Any, for_update: bool = False) -> SalesOrder:
    return _one(orders_visible(user=user, company=company), id, for_update)


def access_delivery(*, user: User, company: Company, id: Any, for_update: bool = False) -> Delivery:
    return _one(deliveries_visible(user=user, company=company), id, for_update)


def access_sales_return(*, user: User, company: Company, id: Any, for_update: bool = False) -> SalesReturn:
    return _one(returns_visible(user=user, company=company), id, for_update)
