"""Reads of the catalog: unit conversion, the category tree, product lists."""

import uuid
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q, QuerySet

from heyi.platform.access import scoped
from heyi.platform.models import Company, User

from .errors import UnitNotConvertible
from .models import Category, Product, ProductUnit, Unit
from .permissions import VIEW_PRODUCT

QUANTITY = Decimal("0.0001")


def _base_factor(unit: Unit, product: Product) -> Decimal | None:
    """How many of the product's base unit one `unit` is, or None if nothing says so."""
    base = product.base_unit
    if unit.pk == base.pk:
        return Decimal(1)
    packaging = ProductUnit.objects.filter(company_id=product.company_id, product=product, unit=unit).first()
    if packaging is not None:
        return packaging.factor
    if unit.category == base.category and unit.ratio is not None and base.ratio is not None:
        return unit.ratio / base.ratio
    return None


def unit_convert(
    quantity: Decimal, from_unit: Unit, to_unit: Unit, product: Product | None = None
) -> Decimal:
    """`quantity` of `from_unit` expressed in `to_unit`, rounded half-up to 4 places.

    Units of one category convert through their ratios; with a product, its packaging units
    (箱 = 12 个) count too. Anything else is refused rather than guessed.
    """
    companies = {from_unit.company_id, to_unit.company_id}
    if product is not None:
        companies.add(product.company_id)
    if len(companies) != 1:
        raise UnitNotConvertible(from_unit=from_unit.code, to_unit=to_unit.code)
    if from_unit.pk == to_unit.pk:
        return Decimal(quantity).quantize(QUANTITY, rounding=ROUND_HALF_UP)
    factor: Decimal | None = None
    if product is not None:
        from_factor, to_factor = _base_factor(from_unit, product), _base_factor(to_unit, product)
        if from_factor is not None and to_factor is not None:
            factor = from_factor / to_factor
    if (
        factor is None
        and from_unit.category == to_unit.category
        and from_unit.ratio is not None
        and to_unit.ratio is not None
    ):
        factor = from_unit.ratio / to_unit.ratio
    if factor is None:
        raise UnitNotConvertible(from_unit=from_unit.code, to_unit=to_unit.code)
    return (Decimal(quantity) * factor).quantize(QUANTITY, rounding=ROUND_HALF_UP)


def category_tree(company: Company) -> list[tuple[Category, int]]:
    """Every category of the company in tree order, each with its depth (roots at 0)."""
    children: dict[uuid.UUID | None, list[Category]] = {}
    for category in Category.objects.filter(company=company).order_by("name"):
        children.setdefault(category.parent_id, []).append(category)
    result: list[tuple[Category, int]] = []
    stack: list[tuple[Category, int]] = [(c, 0) for c in reversed(children.get(None, []))]
    while stack:
        category, depth = stack.pop()
        result.append((category, depth))
        stack.extend((c, depth + 1) for c in reversed(children.get(category.pk, [])))
    return result


def category_subtree_ids(company: Company, root: Category) -> set[uuid.UUID]:
    """The category and every category below it."""
    children: dict[uuid.UUID, list[uuid.UUID]] = {}
    for pk, parent_id in Category.objects.filter(company=company).values_list("id", "parent_id"):
        if parent_id is not None:
            children.setdefault(parent_id, []).append(pk)
    seen: set[uuid.UUID] = set()
    stack = [root.pk]
    while stack:
        current = stack.pop()
        if current not in seen:
            seen.add(current)
            stack.extend(children.get(current, []))
    return seen


def category_path(category: Category | None) -> str:
    names: list[str] = []
    seen: set[uuid.UUID] = set()
    while category is not None and category.pk not in seen:
        seen.add(category.pk)
        names.append(category.name)
        category = category.parent
    return " / ".join(reversed(names))


def product_list(
    *,
    user: User,
    company: Company,
    q: str = "",
    category: Category | None = None,
    kind: str = "",
    active: bool | None = None,
) -> QuerySet[Product]:
    """Products this user may see; `q` matches SKU, name, barcode or pinyin initials."""
    qs = scoped(
        Product.objects.select_related("category", "base_unit"), user=user, company=company, perm=VIEW_PRODUCT
    )
    q = q.strip()[:100]
    if q:
        qs = qs.filter(
            Q(sku__icontains=q) | Q(name__icontains=q) | Q(barcode__icontains=q) | Q(mnemonic__icontains=q)
        )
    if category is not None:
        qs = qs.filter(category_id__in=category_subtree_ids(company, category))
    if kind:
        qs = qs.filter(kind=kind)
    if active is not None:
        qs = qs.filter(is_active=active)
    return qs
