"""Checks shared by the purchasing services."""

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from heyi.catalog.models import Product, Unit
from heyi.catalog.selectors import unit_convert
from heyi.partners.models import Partner
from heyi.platform import modules
from heyi.platform.access import ours, require_access
from heyi.platform.errors import refuse
from heyi.platform.models import Company, User

from ..errors import NoLines, NotASupplier

QUANTITY = Decimal("0.0001")


def check(actor: User | None, company: Company, *perms: str) -> None:
    """ERP on, and the actor holds one of `perms` (none: a system action on the actor's behalf)."""
    require_access(actor, company, modules.ERP, *perms)


def supplier_checked(company: Company, field: str, supplier: Partner | None) -> None:
    if supplier is None:
        return
    ours(company, field, supplier)
    if not (supplier.is_supplier and supplier.is_active):
        raise NotASupplier(fields={field: [str(NotASupplier.default_message)]})


def positive_quantity(field: str, quantity: Any) -> Decimal:
    try:
        value = Decimal(quantity)
    except Exception:
        raise refuse(field, _("Enter a number."))
    if not value.is_finite() or value <= 0:
        raise refuse(field, _("The quantity must be greater than zero."))
    if value != value.quantize(QUANTITY):
        raise refuse(field, _("At most 4 decimal places."))
    return value.quantize(QUANTITY)


def not_negative(field: str, value: Any, places: int) -> Decimal:
    try:
        number = Decimal(value)
    except Exception:
        raise refuse(field, _("Enter a number."))
    scale = Decimal(1).scaleb(-places)
    if not number.is_finite() or number < 0:
        raise refuse(field, _("Must not be negative."))
    if number != number.quantize(scale):
        raise refuse(field, _("At most %(places)s decimal places.") % {"places": places})
    return number.quantize(scale)


def product_checked(company: Company, field: str, product: Product, unit: Unit | None) -> Unit:
    """The product is ours, active and stocked; the unit (default: its base unit) converts to it."""
    ours(company, f"{field}.product", product)
    if not product.is_active:
        raise refuse(f"{field}.product", _("This product is no longer active."))
    if product.kind == Product.Kind.SERVICE:
        raise refuse(f"{field}.product", _("Services are not bought into stock."))
    unit = unit or product.base_unit
    ours(company, f"{field}.unit", unit)
    unit_convert(Decimal(1), unit, product.base_unit, product)
    return unit


def lines_required(lines: list) -> None:
    if not lines:
        raise NoLines()
    if len(lines) > 500:
        raise refuse("lines", _("At most 500 lines."))


def to_unit(quantity: Decimal, from_unit: Unit, to: Unit, product: Product) -> Decimal:
    return unit_convert(quantity, from_unit, to, product)
