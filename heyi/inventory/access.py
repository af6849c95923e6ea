from typing import Any

from heyi.platform import modules
from heyi.platform.access import access_record, require_module
from heyi.platform.models import Company, User

from .models import Batch, Location, StockAlert, StockCount, StockMove, Transfer, Warehouse
from .permissions import VIEW_STOCK, VIEW_WAREHOUSE


def access_warehouse(*, user: User, company: Company, id: Any, for_update: bool = False) -> Warehouse:
    require_module(company, modules.ERP)
    return access_record(
        Warehouse, user=user, company=company, id=id, perm=VIEW_WAREHOUSE, for_update=for_update
    )


def access_location(*, user: User, company: Company, id: Any, for_update: bool = False) -> Location:
    require_module(company, modules.ERP)
    return access_record(
        Location, user=user, company=company, id=id, perm=VIEW_WAREHOUSE, for_update=for_update
    )


def access_batch(*, user: User, company: Company, id: Any, for_update: bool = False) -> Batch:
    require_module(company, modules.ERP)
    return access_record(Batch, user=user, company=company, id=id, perm=VIEW_STOCK, for_update=for_update)


def access_stock_move(*, user: User, company: Company, id: Any) -> StockMove:
    require_module(company, modules.ERP)
    return access_record(StockMove, user=user, company=company, id=id, perm=VIEW_STOCK)


def access_stock_alert(*, user: User, company: Company, id: Any) -> StockAlert:
    require_module(company, modules.ERP)
    return access_record(StockAlert, user=user, company=company, id=id, perm=VIEW_STOCK)


def access_transfer(*, user: User, company: Company, id: Any, for_update: bool = False) -> Transfer:
    require_module(company, modules.ERP)
    return access_record(Transfer, user=user, company=company, id=id, perm=VIEW_STOCK, for_update=for_update)


def access_stock_count(*, user: User, company: Company, id: Any, for_update: bool = False) -> StockCount:
    require_module(company, modules.ERP)
    return access_record(
        StockCount, user=user, company=company, id=id, perm=VIEW_STOCK, for_update=for_update
    )
