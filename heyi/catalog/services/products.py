"""Products and their packaging units."""

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from heyi.platform.access import require_perm
from heyi.platform.errors import ValidationFailed
from heyi.platform.models import Company, User
from heyi.platform.services.records import record_create, record_delete, record_update

from ..access import access_product, access_product_unit
from ..models import Category, Product, ProductUnit, Unit
from ..permissions import MANAGE_PRODUCT
from ._checks import duplicates_refused, quantized, same_company, unique

PRODUCT_FIELDS = {
    "sku",
    "name",
    "barcode",
    "category",
    "base_unit",
    "kind",
    "tax_rate",
    "sale_price",
    "purchase_price",
    "standard_cost",
    "safety_stock",
    "reorder_point",
    "description",
    "is_active",
}
PRODUCT_UNIT_FIELDS = {"unit", "factor", "barcode"}
DUPLICATE_SKU = _("A product with this SKU already exists.")
DUPLICATE_BARCODE = _("This barcode is already used by another product or packaging unit.")


def _barcode_free(
    company: Company, barcode: Any, *, product_pk: Any = None, packaging_pk: Any = None
) -> None:
    """A scanned barcode must lead to exactly one product or packaging unit of the company."""
    unique(
        Product,
        company=company,
        field="barcode",
        value=barcode,
        message=DUPLICATE_BARCODE,
        exclude_pk=product_pk,
    )
    unique(
        ProductUnit,
        company=company,
        field="barcode",
        value=barcode,
        message=DUPLICATE_BARCODE,
        exclude_pk=packaging_pk,
    )


def product_create(
    *,
    actor: User,
    company: Company,
    sku: str,
    name: str,
    base_unit: Unit,
    category: Category | None = None,
    barcode: str = "",
    kind: str = Product.Kind.STOCKABLE,
    tax_rate: Decimal = Decimal("0.13"),
    sale_price: Decimal = Decimal(0),
    purchase_price: Decimal = Decimal(0),
    standard_cost: Decimal = Decimal(0),
    safety_stock: Decimal = Decimal(0),
    reorder_point: Decimal = Decimal(0),
    description: str = "",
    is_active: bool = True,
) -> Product:
    require_perm(actor, company, MANAGE_PRODUCT)
    same_company(company, category=category, base_unit=base_unit)
    product = Product(
        sku=sku,
        name=name,
        base_unit=base_unit,
        category=category,
        barcode=barcode,
        kind=kind,
        description=description,
        is_active=is_active,
        **quantized(
            Product,
            {
                "tax_rate": tax_rate,
                "sale_price": sale_price,
                "purchase_price": purchase_price,
                "standard_cost": standard_cost,
                "safety_stock": safety_stock,
                "reorder_point": reorder_point,
            },
        ),
    )
    with transaction.atomic():
        unique(Product, company=company, field="sku", value=sku, message=DUPLICATE_SKU)
        _barcode_free(company, barcode)
        with duplicates_refused():
            return record_create(actor=actor, company=company, obj=product)


def product_update(
    *, actor: User, company: Company, product: Product, data: dict[str, Any], version: int | None
) -> Product:
    """Change a product's master data; an edit based on an old version is refused (409)."""
    require_perm(actor, company, MANAGE_PRODUCT)
    data = quantized(Product, {k: v for k, v in data.items() if k in PRODUCT_FIELDS})
    if "base_unit" in data and data["base_unit"] is None:
        raise ValidationFailed(fields={"base_unit": [str(_("This field cannot be empty."))]})
    same_company(company, category=data.get("category"), base_unit=data.get("base_unit"))
    with transaction.atomic():
        locked = access_product(user=actor, company=company, id=product.pk, for_update=True)
        unique(
            Product,
            company=company,
            field="sku",
            value=data.get("sku"),
            message=DUPLICATE_SKU,
            exclude_pk=locked.pk,
        )
        _barcode_free(company, data.get("barcode"), product_pk=locked.pk)
        base_unit = data.get("base_unit")
        if base_unit is not None and base_unit.pk != locked.base_unit_id and locked.units.exists():
            # Packaging factors count base units; a new base unit would silently change their meaning.
            raise ValidationFailed(
                fields={"base_unit": [str(_("Remove the packaging units before changing the base unit."))]}
            )
        with duplicates_refused():
            record_update(actor=actor, company=company, obj=locked, data=data, version=version)
    return locked


def product_deactivate(*, actor: User, company: Company, product: Product) -> Product:
    """Retire a product: it stays on old documents but is no longer offered for new ones."""
    require_perm(actor, company, MANAGE_PRODUCT)
    with transaction.atomic():
        locked = access_product(user=actor, company=company, id=product.pk, for_update=True)
        record_update(actor=actor, company=company, obj=locked, data={"is_active": False}, version=None)
    return locked


def product_unit_create(
    *, actor: User, company: Company, product: Product, unit: Unit, factor: Decimal, barcode: str = ""
) -> ProductUnit:
    """Say how many base units one package of the product holds (箱 = 12 个)."""
    require_perm(actor, company, MANAGE_PRODUCT)
    same_company(company, unit=unit)
    with transaction.atomic():
        locked = access_product(user=actor, company=company, id=product.pk, for_update=True)
        _packaging_checks(company, locked, unit)
        _barcode_free(company, barcode)
        with duplicates_refused():
            return record_create(
                actor=actor,
                company=company,
                obj=ProductUnit(
                    product=locked, unit=unit, barcode=barcode, **quantized(ProductUnit, {"factor": factor})
                ),
            )


def product_unit_update(
    *,
    actor: User,
    company: Company,
    product: Product,
    product_unit: ProductUnit,
    data: dict[str, Any],
    version: int | None,
) -> ProductUnit:
    require_perm(actor, company, MANAGE_PRODUCT)
    data = quantized(ProductUnit, {k: v for k, v in data.items() if k in PRODUCT_UNIT_FIELDS})
    if "unit" in data and data["unit"] is None:
        raise ValidationFailed(fields={"unit": [str(_("This field cannot be empty."))]})
    same_company(company, unit=data.get("unit"))
    with transaction.atomic():
        locked_product = access_product(user=actor, company=company, id=product.pk, for_update=True)
        locked = access_product_unit(
            user=actor, company=company, product=locked_product, id=product_unit.pk, for_update=True
        )
        if "unit" in data and data["unit"].pk != locked.unit_id:
            _packaging_checks(company, locked_product, data["unit"])
        _barcode_free(company, data.get("barcode"), packaging_pk=locked.pk)
        with duplicates_refused():
            record_update(actor=actor, company=company, obj=locked, data=data, version=version)
    return locked


def product_unit_delete(
    *, actor: User, company: Company, product: Product, product_unit: ProductUnit
) -> None:
    require_perm(actor, company, MANAGE_PRODUCT)
    with transaction.atomic():
        locked_product = access_product(user=actor, company=company, id=product.pk, for_update=True)
        locked = access_product_unit(
            user=actor, company=company, product=locked_product, id=product_unit.pk, for_update=True
        )
        record_delete(actor=actor, company=company, obj=locked)


def _packaging_checks(company: Company, product: Product, unit: Unit) -> None:
    if unit.pk == product.base_unit_id:
        raise ValidationFailed(fields={"unit": [str(_("The base unit needs no packaging entry."))]})
    if ProductUnit.objects.filter(company=company, product=product, unit=unit).exists():
        raise ValidationFailed(fields={"unit": [str(_("This product already has this unit."))]})
