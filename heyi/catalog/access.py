from typing import Any

from heyi.platform.access import access_record
from heyi.platform.errors import NotFound
from heyi.platform.models import Company, User

from .models import Category, Product, ProductUnit, Unit
from .permissions import VIEW_PRODUCT


def access_product(*, user: User, company: Company, id: Any, for_update: bool = False) -> Product:
    return access_record(Product, user=user, company=company, id=id, perm=VIEW_PRODUCT, for_update=for_update)


def access_category(*, user: User, company: Company, id: Any, for_update: bool = False) -> Category:
    return access_record(
        Category, user=user, company=company, id=id, perm=VIEW_PRODUCT, for_update=for_update
    )


def access_unit(*, user: User, company: Company, id: Any, for_update: bool = False) -> Unit:
    return access_record(Unit, user=user, company=company, id=id, perm=VIEW_PRODUCT, for_update=for_update)


def access_product_unit(
    *, user: User, company: Company, product: Product, id: Any, for_update: bool = False
) -> ProductUnit:
    """A packaging unit, found only under the product it belongs to."""
    pu = access_record(
        ProductUnit, user=user, company=company, id=id, perm=VIEW_PRODUCT, for_update=for_update
    )
    if pu.product_id != product.pk:
        raise NotFound()
    return pu
