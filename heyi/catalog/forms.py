"""Catalog forms: the shape of the pages' input; the rules live in the services."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from heyi.platform.models import Company

from . import selectors
from .models import Category, Product, Unit


class CategoryField(forms.ChoiceField):
    """A category picked from the tree, indented by depth; only the company's own are offered."""

    def __init__(self, company: Company, *, exclude: Category | None = None, **kwargs):
        tree = selectors.category_tree(company)
        skip = selectors.category_subtree_ids(company, exclude) if exclude is not None else set()
        self.by_id = {str(c.pk): c for c, _depth in tree if c.pk not in skip}
        choices = [("", "---------")] + [
            (str(c.pk), "\u3000" * depth + c.name) for c, depth in tree if c.pk not in skip
        ]
        super().__init__(choices=choices, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        return self.by_id.get(value) if value else None


def unit_field(company: Company, **kwargs) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        queryset=Unit.objects.filter(company=company, is_active=True).order_by("category", "code"), **kwargs
    )


class VersionedForm(forms.Form):
    """Carries the version the page was rendered with, so a concurrent edit is refused, not lost."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ProductForm(VersionedForm):
    sku = forms.CharField(label=_("SKU"), max_length=64)
    name = forms.CharField(label=_("Name"), max_length=200)
    barcode = forms.CharField(label=_("Barcode"), max_length=64, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=Product.Kind.choices)
    tax_rate = forms.TypedChoiceField(
        label=_("VAT rate"),
        choices=[(str(value), label) for value, label in Product.TAX_RATES],
        coerce=Decimal,
        initial="0.13",
    )
    prices_include_tax = forms.BooleanField(
        label=_("The prices below include tax"),
        required=False,
        help_text=_("They are stored without tax and shown both ways."),
    )
    sale_price = forms.DecimalField(label=_("Sale price"), max_digits=18, decimal_places=6, min_value=0)
    purchase_price = forms.DecimalField(
        label=_("Purchase price"), max_digits=18, decimal_places=6, min_value=0
    )
    standard_cost = forms.DecimalField(
        label=_("Standard cost"), max_digits=18, decimal_places=6, min_value=0, initial=0
    )
    safety_stock = forms.DecimalField(
        label=_("Safety stock"), max_digits=16, decimal_places=4, min_value=0, initial=0
    )
    reorder_point = forms.DecimalField(
        label=_("Reorder point"), max_digits=16, decimal_places=4, min_value=0, initial=0
    )
    description = forms.CharField(
        label=_("Description"), max_length=4000, required=False, widget=forms.Textarea
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    field_order = ["sku", "name", "category", "base_unit", "barcode", "kind"]

    def __init__(self, company: Company, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"] = CategoryField(company, label=_("Category"), required=False)
        self.fields["base_unit"] = unit_field(company, label=_("Base unit"))
        self.order_fields(self.field_order)


class ProductUnitForm(VersionedForm):
    factor = forms.DecimalField(
        label=_("Quantity in base units"), max_digits=16, decimal_places=4, min_value=Decimal("0.0001")
    )
    barcode = forms.CharField(label=_("Barcode"), max_length=64, required=False)

    def __init__(self, company: Company, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"] = unit_field(company, label=_("Unit"))
        self.order_fields(["unit", "factor", "barcode"])


class CategoryForm(VersionedForm):
    name = forms.CharField(label=_("Name"), max_length=100)
    code = forms.CharField(label=_("Code"), max_length=40, required=False)

    def __init__(self, company: Company, *args, category: Category | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"] = CategoryField(
            company, exclude=category, label=_("Parent category"), required=False
        )


class UnitForm(VersionedForm):
    code = forms.CharField(label=_("Code"), max_length=20)
    name = forms.CharField(label=_("Name"), max_length=40)
    category = forms.ChoiceField(label=_("Unit category"), choices=Unit.Category.choices)
    ratio = forms.DecimalField(
        label=_("Ratio to the reference unit"),
        max_digits=24,
        decimal_places=12,
        required=False,
        help_text=_(
            "Kilogram 1, gram 0.001. Leave empty for a packaging unit (a box) whose size depends on the product."
        ),
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)
