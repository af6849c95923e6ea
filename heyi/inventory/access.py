from typing import Any

from heyi.platform import modules
from heyi.platform.access import access_record, require_module
from heyi.platform.models import Company, User

from .models import Warehouse
from .permissions import VIEW_WAREHOUSE


def access_warehouse(*, user: User, company: Company, id: Any, for_update: bool = False) -> Warehouse:
    require_module(company, modules.ERP)
    return access_record(
        Warehouse, user=user, company=company, id=id, perm=VIEW_WAREHOUSE, for_update=for_update
    )
