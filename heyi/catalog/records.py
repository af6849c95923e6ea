"""What the catalog tells the platform: its record type, navigation and product import."""

from decimal import Decimal, InvalidOperation

from django.db.models import Q
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _

from heyi.platform.errors import DomainError, ValidationFailed
from heyi.platform.imports import ImportColumn, ImportSpec, register_import
from heyi.platform.models import Company, User
from heyi.platform.navigation import NavItem, register_nav
from heyi.platform.registry import RecordType, register_record_type

from .models import Category, Product, Unit
from .permissions import MANAGE_PRODUCT, VIEW_PRODUCT

register_record_type(
    RecordType(
        key="catalog.product",
        model=Product,
        label=_("Product"),
        view_permission=VIEW_PRODUCT,
        search_fields=("mnemonic", "sku", "barcode", "name"),
        detail_url_name="catalog:product_detail",
        subtitle=lambda p: p.sku,
    )
)

register_nav(
    NavItem("master", _("Products"), "catalog:product_list", VIEW_PRODUCT, order=20),
    NavItem("master", _("Product categories"), "catalog:category_tree", VIEW_PRODUCT, order=21),
    NavItem("master", _("Units"), "catalog:unit_list", VIEW_PRODUCT, order=22),
)


def _decimal(row: dict[str, str], key: str, default: str = "0") -> Decimal:
    text = (row.get(key) or "").strip().replace(",", "") or default
    percent = text.endswith("%")
    try:
        value = Decimal(text.rstrip("%"))
    except InvalidOperation:
        raise ValidationFailed(fields={key: [gettext_now("Not a number.")]})
    if not value.is_finite():
        raise ValidationFailed(fields={key: [gettext_now("Not a number.")]})
    return value / 100 if percent or (key == "tax_rate" and value >= 1) else value


def _lookup(model: type, company: Company, key: str, text: str, fields: tuple[str, ...]):
    cond = Q()
    for name in fields:
        cond |= Q(**{name: text})
    found = list(model.objects.filter(cond, company=company)[:2])
    if len(found) != 1:
        message = (
            gettext_now("Not found.") if not found else gettext_now("More than one match; use the code.")
        )
        raise ValidationFailed(fields={key: [message]})
    return found[0]


def _kind(text: str) -> str:
    text = text.strip()
    if not text:
        return Product.Kind.STOCKABLE
    for value, label in Product.Kind.choices:
        if text.lower() == value or text == str(label):
            return value
    raise ValidationFailed(fields={"kind": [gettext_now("Use one of: stockable, consumable, service.")]})


def create_product_row(user: User, company: Company, row: dict[str, str]) -> Product:
    """One product from an import row; errors come back keyed by the column they belong to."""
    from .services.products import product_create

    category_text = (row.get("category") or "").strip()
    unit_text = (row.get("unit") or "").strip()
    if not unit_text:
        raise ValidationFailed(fields={"unit": [gettext_now("This field is required.")]})
    try:
        return product_create(
            actor=user,
            company=company,
            sku=(row.get("sku") or "").strip(),
            name=(row.get("name") or "").strip(),
            category=_lookup(Category, company, "category", category_text, ("code", "name"))
            if category_text
            else None,
            base_unit=_lookup(Unit, company, "unit", unit_text, ("code", "name")),
            barcode=(row.get("barcode") or "").strip(),
            tax_rate=_decimal(row, "tax_rate", "0.13"),
            sale_price=_decimal(row, "sale_price"),
            purchase_price=_decimal(row, "purchase_price"),
            safety_stock=_decimal(row, "safety_stock"),
            kind=_kind(row.get("kind") or ""),
        )
    except DomainError as exc:
        if "base_unit" in exc.fields:
            exc.fields["unit"] = exc.fields.pop("base_unit")
        raise


register_import(
    ImportSpec(
        key="catalog.product",
        label=_("Products"),
        permission=MANAGE_PRODUCT,
        columns=(
            ImportColumn("sku", _("SKU"), required=True),
            ImportColumn("name", _("Name"), required=True),
            ImportColumn("category", _("Category"), help=_("Category code or name")),
            ImportColumn("unit", _("Unit"), required=True, help=_("Unit code or name, such as 个 or kg")),
            ImportColumn("barcode", _("Barcode")),
            ImportColumn("tax_rate", _("VAT rate"), help=_("0.13, 13% or 13; empty means 13%")),
            ImportColumn("sale_price", _("Sale price (excl. tax)")),
            ImportColumn("purchase_price", _("Purchase price (excl. tax)")),
            ImportColumn("safety_stock", _("Safety stock")),
            ImportColumn("kind", _("Kind"), help=_("stockable, consumable or service")),
        ),
        create_row=create_product_row,
    )
)
