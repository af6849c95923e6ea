"""What transfers and counts share: the checks of a line and the audit of a line change."""

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from heyi.catalog.errors import UnitNotConvertible
from heyi.catalog.models import Product, Unit
from heyi.catalog.selectors import unit_convert
from heyi.platform.errors import StaleVersion, ValidationFailed
from heyi.platform.models import Company, User, Versioned
from heyi.platform.services.audit import audit_record

from ..models import Batch, Warehouse


def field_error(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(fields={field: [message]})


def check_warehouse(company: Company, warehouse: Warehouse, field: str) -> None:
    if warehouse.company_id != company.pk:
        raise field_error(field, _("Not found."))
    if not warehouse.is_active:
        raise field_error(field, _("This warehouse is no longer active."))
    if warehouse.kind == Warehouse.Kind.TRANSIT:
        raise field_error(field, _("Goods pass through the transit warehouse on their own; choose another."))


def check_product(company: Company, product: Product, batch: Batch | None, prefix: str) -> None:
    if product.company_id != company.pk:
        raise field_error(f"{prefix}product_id", _("Not found."))
    if product.kind == Product.Kind.SERVICE:
        raise field_error(f"{prefix}product_id", _("A service is not kept in stock."))
    if batch is not None and (batch.company_id != company.pk or batch.product_id != product.pk):
        raise field_error(f"{prefix}batch_id", _("Not found."))


def check_quantity(
    company: Company, product: Product, quantity: Any, unit: Unit | None, prefix: str
) -> Decimal:
    """The quantity in the product's base unit; it must be more than zero and convertible."""
    if not isinstance(quantity, Decimal) or not quantity.is_finite() or quantity <= 0:
        raise field_error(f"{prefix}quantity", _("Enter a quantity greater than zero."))
    unit = unit or product.base_unit
    if unit.company_id != company.pk:
        raise field_error(f"{prefix}unit_id", _("Not found."))
    try:
        base = unit_convert(quantity, unit, product.base_unit, product)
    except UnitNotConvertible as exc:
        raise UnitNotConvertible(fields={f"{prefix}unit_id": [str(exc.message)]}) from exc
    if base <= 0:
        raise field_error(f"{prefix}quantity", _("The quantity is too small for the product's unit."))
    return base


def check_version(obj: Versioned, version: int | None) -> None:
    if version is not None and obj.version != version:
        raise StaleVersion(current_version=obj.version)


def audit_lines(*, actor: User, company: Company, obj: Any, old: list, new: list) -> None:
    audit_record(actor=actor, company=company, action="update", obj=obj, changes={"lines": [old, new]})
