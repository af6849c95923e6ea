"""Checks the sales services share: permissions, the module, references of the company."""

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from heyi.catalog.errors import UnitNotConvertible
from heyi.catalog.models import Product, Unit
from heyi.catalog.selectors import unit_convert
from heyi.platform import modules
from heyi.platform.access import require_module, require_perm
from heyi.platform.errors import ValidationFailed
from heyi.platform.models import Company, User

from ..models import SalesSettings


def check(actor: User, company: Company, *perms: str) -> None:
    """ERP switched on and the actor holds every one of `perms`."""
    require_module(company, modules.ERP)
    for perm in perms:
        require_perm(actor, company, perm)


def require_any(actor: User, company: Company, *perms: str) -> None:
    require_module(company, modules.ERP)
    from heyi.platform.access import has_perm

    if not any(has_perm(actor, company, p) for p in perms):
        require_perm(actor, company, perms[0])


def ours(company: Company, field: str, obj: Any) -> None:
    """A reference to another company's record reads as unknown, never as found."""
    if obj is not None and getattr(obj, "company_id", None) != company.pk:
        raise ValidationFailed(fields={field: [_("Not found.")]})


def positive(field: str, value: Any) -> Decimal:
    if value is None or not isinstance(value, (Decimal, int)) or Decimal(value) <= 0:
        raise ValidationFailed(fields={field: [_("Enter a quantity greater than zero.")]})
    return Decimal(value)


def to_base(field: str, quantity: Decimal, unit: Unit, product: Product) -> Decimal:
    """The quantity in the product's base unit; a unit that cannot convert is a field error."""
    try:
        return unit_convert(quantity, unit, product.base_unit, product)
    except UnitNotConvertible as exc:
        exc.fields = {field: [str(exc.message)]}
        raise


def from_base(quantity: Decimal, unit: Unit, product: Product) -> Decimal:
    return unit_convert(quantity, product.base_unit, unit, product)


def sales_settings(company: Company) -> SalesSettings:
    found = SalesSettings.objects.filter(company=company).first()
    return found if found is not None else SalesSettings(company=company)
