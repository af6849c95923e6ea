"""Catalog pages: products with their packaging units, the category tree, units."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from heyi.platform.access import has_perm, scoped
from heyi.platform.webkit import Column, Filter, ListSpec, company_view, detail_page, form_page, list_page

from . import selectors
from .access import access_category, access_product, access_product_unit, access_unit
from .forms import CategoryForm, ProductForm, ProductUnitForm, UnitForm
from .models import Category, Product, Unit
from .permissions import MANAGE_PRODUCT, VIEW_PRODUCT
from .pricing import excl_tax, incl_tax
from .services import categories, products, units

PRICE_FIELDS = ("sale_price", "purchase_price")


@dataclass(frozen=True)
class CategoryFilter(Filter):
    """Filtering by a category shows the products of its subcategories too."""

    company: Any = None

    def apply(self, qs, value):
        if value not in {c[0] for c in self.choices}:
            return qs
        category = Category.objects.get(company=self.company, pk=value)
        return qs.filter(category_id__in=selectors.category_subtree_ids(self.company, category))


def _price(value: Decimal) -> str:
    return f"{value:.2f}" if value == value.quantize(Decimal("0.01")) else f"{value.normalize():f}"


def _without_version(data: dict) -> dict:
    return {k: v for k, v in data.items() if k != "version"}


def _tree_choices(request: HttpRequest) -> list[tuple[str, str]]:
    return [(str(c.pk), "\u3000" * depth + c.name) for c, depth in selectors.category_tree(request.company)]


@company_view(perm=VIEW_PRODUCT)
def product_list(request: HttpRequest) -> HttpResponse:
    qs = selectors.product_list(user=request.user, company=request.company)
    can_manage = has_perm(request.user, request.company, MANAGE_PRODUCT)
    spec = ListSpec(
        title=_("Products"),
        columns=[
            Column("sku", _("SKU"), link=True),
            Column("name", _("Name"), link=True),
            Column("category", _("Category"), value=lambda p: p.category.name if p.category_id else ""),
            Column("base_unit", _("Unit")),
            Column("kind", _("Kind"), value=lambda p: p.get_kind_display()),
            Column("tax_rate", _("VAT rate"), value=lambda p: p.get_tax_rate_display()),
            Column("sale_price", _("Sale price (excl. tax)"), numeric=True),
            Column("sale_price_incl_tax", _("Sale price (incl. tax)"), numeric=True),
            Column("purchase_price", _("Purchase price (excl. tax)"), numeric=True),
            Column("safety_stock", _("Safety stock"), numeric=True),
            Column("barcode", _("Barcode")),
            Column("is_active", _("Active")),
        ],
        search_fields=("sku", "name", "barcode", "mnemonic"),
        ordering_fields=("sku", "name", "sale_price", "created_at"),
        default_ordering="sku",
        filters=[
            CategoryFilter("category", _("Category"), _tree_choices(request), company=request.company),
            Filter("kind", _("Kind"), Product.Kind.choices),
            Filter("active", _("Active"), [("1", _("Active")), ("0", _("Inactive"))], lookup="is_active"),
        ],
        create_url=reverse("catalog:product_create") if can_manage else None,
        import_url=reverse("web:import_start", args=["catalog.product"]) if can_manage else None,
        export_name="products",
        row_url=lambda p: reverse("catalog:product_detail", args=[p.pk]),
    )
    return list_page(request, qs, spec)


@company_view(perm=VIEW_PRODUCT)
def product_detail(request: HttpRequest, pk) -> HttpResponse:
    product = access_product(user=request.user, company=request.company, id=pk)
    can_manage = has_perm(request.user, request.company, MANAGE_PRODUCT)
    actions = []
    if can_manage:
        actions.append(
            {"label": _("Add packaging unit"), "url": reverse("catalog:product_unit_create", args=[pk])}
        )
        if product.is_active:
            actions.append(
                {
                    "label": _("Deactivate"),
                    "url": reverse("catalog:product_deactivate", args=[pk]),
                    "method": "post",
                    "css": "is-warning",
                }
            )
    fields = [
        (_("SKU"), product.sku),
        (_("Name"), product.name),
        (_("Mnemonic"), product.mnemonic.split(" ")[0]),
        (_("Barcode"), product.barcode),
        (_("Category"), selectors.category_path(product.category)),
        (_("Base unit"), product.base_unit),
        (_("Kind"), product.get_kind_display()),
        (_("VAT rate"), product.get_tax_rate_display()),
        (_("Sale price (excl. tax)"), _price(product.sale_price)),
        (_("Sale price (incl. tax)"), _price(product.sale_price_incl_tax)),
        (_("Purchase price (excl. tax)"), _price(product.purchase_price)),
        (_("Purchase price (incl. tax)"), _price(product.purchase_price_incl_tax)),
        (_("Standard cost"), _price(product.standard_cost)),
        (_("Safety stock"), product.safety_stock.normalize()),
        (_("Reorder point"), product.reorder_point.normalize()),
        (_("Description"), product.description),
        (_("Active"), product.is_active),
    ]
    packaging = list(product.units.select_related("unit").order_by("factor", "pk"))
    return detail_page(
        request,
        obj=product,
        title=str(product),
        fields=fields,
        actions=actions,
        edit_url=reverse("catalog:product_edit", args=[pk]) if can_manage else None,
        back_url=reverse("catalog:product_list"),
        sections=[
            {
                "title": _("Packaging units"),
                "template": "catalog/_product_units.html",
                "product": product,
                "rows": packaging,
                "can_manage": can_manage,
            }
        ],
    )


def _product_data(cleaned: dict) -> dict:
    data = {k: v for k, v in cleaned.items() if k not in ("prices_include_tax", "version")}
    if cleaned.get("prices_include_tax"):
        for name in PRICE_FIELDS:
            data[name] = excl_tax(cleaned[name], cleaned["tax_rate"])
    return data


@company_view(perm=MANAGE_PRODUCT)
def product_create(request: HttpRequest) -> HttpResponse:
    form = ProductForm(
        request.company,
        request.POST or None,
        initial={"prices_include_tax": request.company.prices_include_tax},
    )
    return form_page(
        request,
        form=form,
        title=_("New product"),
        on_valid=lambda data: products.product_create(
            actor=request.user, company=request.company, **_product_data(data)
        ),
        success_url=lambda p: reverse("catalog:product_detail", args=[p.pk]),
        back_url=reverse("catalog:product_list"),
    )


@company_view(perm=MANAGE_PRODUCT)
def product_edit(request: HttpRequest, pk) -> HttpResponse:
    product = access_product(user=request.user, company=request.company, id=pk)
    include_tax = request.company.prices_include_tax
    initial = {
        "sku": product.sku,
        "name": product.name,
        "barcode": product.barcode,
        "category": str(product.category_id or ""),
        "base_unit": product.base_unit_id,
        "kind": product.kind,
        "tax_rate": str(product.tax_rate),
        "prices_include_tax": include_tax,
        "standard_cost": product.standard_cost,
        "safety_stock": product.safety_stock,
        "reorder_point": product.reorder_point,
        "description": product.description,
        "is_active": product.is_active,
        "version": product.version,
    }
    for name in PRICE_FIELDS:
        stored = getattr(product, name)
        initial[name] = incl_tax(stored, product.tax_rate) if include_tax else stored
    form = ProductForm(request.company, request.POST or None, initial=initial)

    def save(cleaned: dict) -> Product:
        data = _product_data(cleaned)
        if cleaned["prices_include_tax"] and cleaned["tax_rate"] == product.tax_rate:
            for name in PRICE_FIELDS:
                # An untouched tax-inclusive price keeps its stored value exactly (no rounding drift).
                if cleaned[name] == incl_tax(getattr(product, name), product.tax_rate):
                    data[name] = getattr(product, name)
        return products.product_update(
            actor=request.user,
            company=request.company,
            product=product,
            data=data,
            version=cleaned["version"],
        )

    return form_page(
        request,
        form=form,
        title=_("Edit %(product)s") % {"product": product},
        on_valid=save,
        success_url=lambda p: reverse("catalog:product_detail", args=[p.pk]),
        back_url=reverse("catalog:product_detail", args=[pk]),
    )


@require_POST
@company_view(perm=MANAGE_PRODUCT)
def product_deactivate(request: HttpRequest, pk) -> HttpResponse:
    product = access_product(user=request.user, company=request.company, id=pk)
    products.product_deactivate(actor=request.user, company=request.company, product=product)
    return redirect("catalog:product_detail", pk=pk)


@company_view(perm=MANAGE_PRODUCT)
def product_unit_create(request: HttpRequest, pk) -> HttpResponse:
    product = access_product(user=request.user, company=request.company, id=pk)
    form = ProductUnitForm(request.company, request.POST or None)
    return form_page(
        request,
        form=form,
        title=_("New packaging unit of %(product)s") % {"product": product},
        on_valid=lambda data: products.product_unit_create(
            actor=request.user, company=request.company, product=product, **_without_version(data)
        ),
        success_url=lambda pu: reverse("catalog:product_detail", args=[pk]),
        back_url=reverse("catalog:product_detail", args=[pk]),
    )


@company_view(perm=MANAGE_PRODUCT)
def product_unit_edit(request: HttpRequest, pk, unit_pk) -> HttpResponse:
    product = access_product(user=request.user, company=request.company, id=pk)
    pu = access_product_unit(user=request.user, company=request.company, product=product, id=unit_pk)
    form = ProductUnitForm(
        request.company,
        request.POST or None,
        initial={"unit": pu.unit_id, "factor": pu.factor, "barcode": pu.barcode, "version": pu.version},
    )
    return form_page(
        request,
        form=form,
        title=_("Edit packaging unit of %(product)s") % {"product": product},
        on_valid=lambda data: products.product_unit_update(
            actor=request.user,
            company=request.company,
            product=product,
            product_unit=pu,
            data=data,
            version=data.pop("version"),
        ),
        success_url=lambda _pu: reverse("catalog:product_detail", args=[pk]),
        back_url=reverse("catalog:product_detail", args=[pk]),
    )


@require_POST
@company_view(perm=MANAGE_PRODUCT)
def product_unit_delete(request: HttpRequest, pk, unit_pk) -> HttpResponse:
    product = access_product(user=request.user, company=request.company, id=pk)
    pu = access_product_unit(user=request.user, company=request.company, product=product, id=unit_pk)
    products.product_unit_delete(
        actor=request.user, company=request.company, product=product, product_unit=pu
    )
    return redirect("catalog:product_detail", pk=pk)


@company_view(perm=VIEW_PRODUCT)
def category_tree(request: HttpRequest) -> HttpResponse:
    tree = selectors.category_tree(request.company)
    counts: dict = {}
    for category_id in scoped(
        Product.objects.all(), user=request.user, company=request.company, perm=VIEW_PRODUCT
    ).values_list("category_id", flat=True):
        counts[category_id] = counts.get(category_id, 0) + 1
    parents = {c.parent_id for c, _depth in tree}
    rows = [
        {
            "category": c,
            "depth": depth,
            "indent": "\u3000" * depth,
            "products": counts.get(c.pk, 0),
            "deletable": c.pk not in parents and c.pk not in counts,
        }
        for c, depth in tree
    ]
    return render(
        request,
        "catalog/category_tree.html",
        {
            "title": _("Product categories"),
            "rows": rows,
            "can_manage": has_perm(request.user, request.company, MANAGE_PRODUCT),
        },
    )


@company_view(perm=MANAGE_PRODUCT)
def category_create(request: HttpRequest) -> HttpResponse:
    form = CategoryForm(
        request.company, request.POST or None, initial={"parent": request.GET.get("parent", "")}
    )
    return form_page(
        request,
        form=form,
        title=_("New product category"),
        on_valid=lambda data: categories.category_create(
            actor=request.user, company=request.company, **_without_version(data)
        ),
        success_url=lambda _c: reverse("catalog:category_tree"),
        back_url=reverse("catalog:category_tree"),
    )


@company_view(perm=MANAGE_PRODUCT)
def category_edit(request: HttpRequest, pk) -> HttpResponse:
    category = access_category(user=request.user, company=request.company, id=pk)
    form = CategoryForm(
        request.company,
        request.POST or None,
        category=category,
        initial={
            "name": category.name,
            "code": category.code,
            "parent": str(category.parent_id or ""),
            "version": category.version,
        },
    )
    return form_page(
        request,
        form=form,
        title=_("Edit %(category)s") % {"category": category},
        on_valid=lambda data: categories.category_update(
            actor=request.user,
            company=request.company,
            category=category,
            data=data,
            version=data.pop("version"),
        ),
        success_url=lambda _c: reverse("catalog:category_tree"),
        back_url=reverse("catalog:category_tree"),
    )


@require_POST
@company_view(perm=MANAGE_PRODUCT)
def category_delete(request: HttpRequest, pk) -> HttpResponse:
    category = access_category(user=request.user, company=request.company, id=pk)
    categories.category_delete(actor=request.user, company=request.company, category=category)
    return redirect("catalog:category_tree")


@company_view(perm=VIEW_PRODUCT)
def unit_list(request: HttpRequest) -> HttpResponse:
    qs = scoped(Unit.objects.all(), user=request.user, company=request.company, perm=VIEW_PRODUCT)
    can_manage = has_perm(request.user, request.company, MANAGE_PRODUCT)
    spec = ListSpec(
        title=_("Units"),
        columns=[
            Column("code", _("Code"), link=True),
            Column("name", _("Name"), link=True),
            Column("category", _("Unit category"), value=lambda u: u.get_category_display()),
            Column(
                "ratio",
                _("Ratio to the reference unit"),
                value=lambda u: f"{u.ratio.normalize():f}" if u.ratio is not None else _("per product"),
                numeric=True,
            ),
            Column("is_active", _("Active")),
        ],
        search_fields=("code", "name"),
        ordering_fields=("code", "name", "category"),
        default_ordering="category",
        filters=[Filter("category", _("Unit category"), Unit.Category.choices)],
        create_url=reverse("catalog:unit_create") if can_manage else None,
        export_name="units",
        row_url=(lambda u: reverse("catalog:unit_edit", args=[u.pk])) if can_manage else None,
    )
    return list_page(request, qs, spec)


@company_view(perm=MANAGE_PRODUCT)
def unit_create(request: HttpRequest) -> HttpResponse:
    return form_page(
        request,
        form=UnitForm(request.POST or None),
        title=_("New unit"),
        on_valid=lambda data: units.unit_create(
            actor=request.user, company=request.company, **_without_version(data)
        ),
        success_url=lambda _u: reverse("catalog:unit_list"),
        back_url=reverse("catalog:unit_list"),
    )


@company_view(perm=MANAGE_PRODUCT)
def unit_edit(request: HttpRequest, pk) -> HttpResponse:
    unit = access_unit(user=request.user, company=request.company, id=pk)
    form = UnitForm(
        request.POST or None,
        initial={
            "code": unit.code,
            "name": unit.name,
            "category": unit.category,
            "ratio": unit.ratio.normalize() if unit.ratio is not None else None,
            "is_active": unit.is_active,
            "version": unit.version,
        },
    )
    return form_page(
        request,
        form=form,
        title=_("Edit unit %(unit)s") % {"unit": unit},
        on_valid=lambda data: units.unit_update(
            actor=request.user, company=request.company, unit=unit, data=data, version=data.pop("version")
        ),
        success_url=lambda _u: reverse("catalog:unit_list"),
        back_url=reverse("catalog:unit_list"),
    )
