from django.db.models import QuerySet

from heyi.platform import modules
from heyi.platform.access import require_module, scoped
from heyi.platform.models import Company, User

from .models import Warehouse
from .permissions import VIEW_WAREHOUSE


def warehouse_list(*, user: User, company: Company, active: bool | None = None) -> QuerySet[Warehouse]:
    require_module(company, modules.ERP)
    qs = scoped(Warehouse.objects.select_related("manager"), user=user, company=company, perm=VIEW_WAREHOUSE)
    if active is not None:
        qs = qs.filter(is_active=active)
    return qs
