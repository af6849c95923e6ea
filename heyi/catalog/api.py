"""Catalog endpoints: products, their packaging units, categories and units."""

import uuid
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from heyi.platform.access import scoped
from heyi.platform.api import ERRORS
from heyi.platform.errors import ValidationFailed
from heyi.platform.http.auth import api_auth
from heyi.platform.http.pagination import ordered, paginate, text_search
from heyi.platform.schemas import page_of

from . import selectors
from .access import access_category, access_product, access_product_unit, access_unit
from .models import Category, Product, Unit
from .permissions import VIEW_PRODUCT
from .schemas import (
    CategoryIn,
    CategoryOut,
    CategoryPatch,
    ProductIn,
    ProductOut,
    ProductPatch,
    ProductUnitIn,
    ProductUnitOut,
    ProductUnitPatch,
    SignedQuantity,
    UnitIn,
    UnitOut,
    UnitPatch,
)
from .services import categories, products, units

router = Router(auth=api_auth(), tags=["catalog"])

PRODUCT_ORDERING = [
    "sku",
    "name",
    "barcode",
    "kind",
    "sale_price",
    "purchase_price",
    "created_at",
    "updated_at",
]


def _ref(model: type, request: HttpRequest, value: Any, field: str) -> Any:
    """A referenced record of the active company; any other id reads as not found (400 on the field)."""
    if value is None:
        return None
    obj = scoped(model.objects.all(), user=request.actor, company=request.company, perm=VIEW_PRODUCT)
    found = obj.filter(pk=value).first()
    if found is None:
        raise ValidationFailed(fields={field: [_("Not found.")]})
    return found


def _refs(request: HttpRequest, data: dict, names: dict[str, type]) -> dict:
    for key, model in names.items():
        if key in data:
            data[key.removesuffix("_id")] = _ref(model, request, data.pop(key), key)
    return data


@router.get("/products", response={200: page_of(ProductOut), **ERRORS})
def product_list(
    request: HttpRequest,
    q: str = "",
    category_id: uuid.UUID | None = None,
    kind: str = "",
    active: bool | None = None,
    ordering: str = "sku",
):
    """Products; `q` matches SKU, name, barcode or pinyin initials (`hzkj` finds 杭州科技)."""
    category = _ref(Category, request, category_id, "category_id")
    qs = selectors.product_list(
        user=request.actor, company=request.company, q=q, category=category, kind=kind[:12], active=active
    )
    return paginate(request, ordered(qs, ordering, PRODUCT_ORDERING, "sku"))


@router.post("/products", response={201: ProductOut, **ERRORS})
def product_create(request: HttpRequest, payload: ProductIn):
    data = _refs(request, payload.dict(), {"category_id": Category, "base_unit_id": Unit})
    product = products.product_create(actor=request.actor, company=request.company, **data)
    return Status(201, product)


@router.get("/products/{product_id}", response={200: ProductOut, **ERRORS})
def product_detail(request: HttpRequest, product_id: uuid.UUID):
    return access_product(user=request.actor, company=request.company, id=product_id)


@router.patch("/products/{product_id}", response={200: ProductOut, **ERRORS})
def product_patch(request: HttpRequest, product_id: uuid.UUID, payload: ProductPatch):
    product = access_product(user=request.actor, company=request.company, id=product_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    data = _refs(request, data, {"category_id": Category, "base_unit_id": Unit})
    return products.product_update(
        actor=request.actor, company=request.company, product=product, data=data, version=version
    )


@router.post("/products/{product_id}/deactivate", response={200: ProductOut, **ERRORS})
def product_deactivate(request: HttpRequest, product_id: uuid.UUID):
    product = access_product(user=request.actor, company=request.company, id=product_id)
    return products.product_deactivate(actor=request.actor, company=request.company, product=product)


@router.get("/products/{product_id}/units", response={200: page_of(ProductUnitOut), **ERRORS})
def product_unit_list(request: HttpRequest, product_id: uuid.UUID):
    product = access_product(user=request.actor, company=request.company, id=product_id)
    return paginate(request, product.units.select_related("unit").order_by("factor", "pk"))


@router.post("/products/{product_id}/units", response={201: ProductUnitOut, **ERRORS})
def product_unit_create(request: HttpRequest, product_id: uuid.UUID, payload: ProductUnitIn):
    product = access_product(user=request.actor, company=request.company, id=product_id)
    data = _refs(request, payload.dict(), {"unit_id": Unit})
    pu = products.product_unit_create(actor=request.actor, company=request.company, product=product, **data)
    return Status(201, pu)


@router.patch("/products/{product_id}/units/{product_unit_id}", response={200: ProductUnitOut, **ERRORS})
def product_unit_patch(
    request: HttpRequest, product_id: uuid.UUID, product_unit_id: uuid.UUID, payload: ProductUnitPatch
):
    c = request.company
    product = access_product(user=request.actor, company=c, id=product_id)
    pu = access_product_unit(user=request.actor, company=c, product=product, id=product_unit_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    data = _refs(request, data, {"unit_id": Unit})
    return products.product_unit_update(
        actor=request.actor, company=c, product=product, product_unit=pu, data=data, version=version
    )


@router.delete("/products/{product_id}/units/{product_unit_id}", response={204: None, **ERRORS})
def product_unit_delete(request: HttpRequest, product_id: uuid.UUID, product_unit_id: uuid.UUID):
    c = request.company
    product = access_product(user=request.actor, company=c, id=product_id)
    pu = access_product_unit(user=request.actor, company=c, product=product, id=product_unit_id)
    products.product_unit_delete(actor=request.actor, company=c, product=product, product_unit=pu)
    return Status(204, None)


@router.get("/product-categories", response={200: page_of(CategoryOut), **ERRORS})
def category_list(
    request: HttpRequest, q: str = "", parent_id: uuid.UUID | None = None, ordering: str = "name"
):
    qs = scoped(Category.objects.all(), user=request.actor, company=request.company, perm=VIEW_PRODUCT)
    if parent_id is not None:
        qs = qs.filter(parent_id=parent_id)
    qs = text_search(qs, q, ["name", "code", "mnemonic"])
    return paginate(request, ordered(qs, ordering, ["name", "code", "created_at"], "name"))


@router.post("/product-categories", response={201: CategoryOut, **ERRORS})
def category_create(request: HttpRequest, payload: CategoryIn):
    data = _refs(request, payload.dict(), {"parent_id": Category})
    return Status(201, categories.category_create(actor=request.actor, company=request.company, **data))


@router.get("/product-categories/{category_id}", response={200: CategoryOut, **ERRORS})
def category_detail(request: HttpRequest, category_id: uuid.UUID):
    return access_category(user=request.actor, company=request.company, id=category_id)


@router.patch("/product-categories/{category_id}", response={200: CategoryOut, **ERRORS})
def category_patch(request: HttpRequest, category_id: uuid.UUID, payload: CategoryPatch):
    category = access_category(user=request.actor, company=request.company, id=category_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    data = _refs(request, data, {"parent_id": Category})
    return categories.category_update(
        actor=request.actor, company=request.company, category=category, data=data, version=version
    )


@router.delete("/product-categories/{category_id}", response={204: None, **ERRORS})
def category_delete(request: HttpRequest, category_id: uuid.UUID):
    category = access_category(user=request.actor, company=request.company, id=category_id)
    categories.category_delete(actor=request.actor, company=request.company, category=category)
    return Status(204, None)


@router.get("/units", response={200: page_of(UnitOut), **ERRORS})
def unit_list(request: HttpRequest, q: str = "", category: str = "", ordering: str = "code"):
    qs = scoped(Unit.objects.all(), user=request.actor, company=request.company, perm=VIEW_PRODUCT)
    if category:
        qs = qs.filter(category=category[:10])
    qs = text_search(qs, q, ["code", "name"])
    return paginate(request, ordered(qs, ordering, ["code", "name", "category", "created_at"], "code"))


@router.post("/units", response={201: UnitOut, **ERRORS})
def unit_create(request: HttpRequest, payload: UnitIn):
    return Status(201, units.unit_create(actor=request.actor, company=request.company, **payload.dict()))


@router.get("/units/{unit_id}", response={200: UnitOut, **ERRORS})
def unit_detail(request: HttpRequest, unit_id: uuid.UUID):
    return access_unit(user=request.actor, company=request.company, id=unit_id)


@router.patch("/units/{unit_id}", response={200: UnitOut, **ERRORS})
def unit_patch(request: HttpRequest, unit_id: uuid.UUID, payload: UnitPatch):
    unit = access_unit(user=request.actor, company=request.company, id=unit_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    return units.unit_update(
        actor=request.actor, company=request.company, unit=unit, data=data, version=version
    )


@router.delete("/units/{unit_id}", response={204: None, **ERRORS})
def unit_delete(request: HttpRequest, unit_id: uuid.UUID):
    unit = access_unit(user=request.actor, company=request.company, id=unit_id)
    units.unit_delete(actor=request.actor, company=request.company, unit=unit)
    return Status(204, None)


class ConversionOut(Schema):
    quantity: SignedQuantity


@router.get("/unit-conversion", response={200: ConversionOut, **ERRORS})
def unit_conversion(
    request: HttpRequest,
    quantity: SignedQuantity,
    from_unit_id: uuid.UUID,
    to_unit_id: uuid.UUID,
    product_id: uuid.UUID | None = None,
):
    """A quantity in another unit: through the unit category, or the product's packaging units (422 if neither)."""
    product = _ref(Product, request, product_id, "product_id")
    result = selectors.unit_convert(
        quantity,
        _ref(Unit, request, from_unit_id, "from_unit_id"),
        _ref(Unit, request, to_unit_id, "to_unit_id"),
        product,
    )
    return {"quantity": result}
