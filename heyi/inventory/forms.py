"""Inventory forms: the shape of the pages' input; the rules live in the services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from heyi.catalog.models import Product, Unit
from heyi.platform.models import Company, Employee
from heyi.platform.widgets import DateInput

from .models import Batch, Warehouse


class WarehouseForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=20)
    name = forms.CharField(label=_("Name"), max_length=100)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=Warehouse.Kind.choices,
        initial=Warehouse.Kind.STOCK,
        required=False,
        help_text=_("Only stock warehouses count as available; the kind is fixed once created."),
    )
    priority = forms.IntegerField(
        label=_("Priority"),
        min_value=0,
        max_value=32767,
        initial=10,
        required=False,
        help_text=_("Reservations take stock from lower numbers first."),
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, company: Company, *args, creating: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["manager"] = forms.ModelChoiceField(
            label=_("Manager"),
            queryset=Employee.objects.filter(company=company, is_active=True).order_by("number"),
            required=False,
        )
        if not creating:
            del self.fields["kind"]
        self.order_fields(["code", "name", "address", "manager", "kind", "priority", "is_active"])


class LocationForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=30)
    name = forms.CharField(label=_("Name"), max_length=100, required=False)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class SettingsForm(forms.Form):
    allow_negative_stock = forms.BooleanField(
        label=_("Allow negative stock"),
        required=False,
        help_text=_("Let goods be issued before their receipt is entered; the on hand may go below zero."),
    )


def _products(company: Company):
    return (
        Product.objects.filter(company=company, is_active=True)
        .exclude(kind=Product.Kind.SERVICE)
        .order_by("sku")
    )


class BatchForm(forms.Form):
    product = forms.ModelChoiceField(label=_("Product"), queryset=Product.objects.none())
    code = forms.CharField(label=_("Batch"), max_length=40)
    manufactured_on = forms.DateField(label=_("Manufactured on"), required=False, widget=DateInput())
    expiry_date = forms.DateField(label=_("Expiry date"), required=False, widget=DateInput())

    def __init__(self, company: Company, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = _products(company)  # type: ignore[attr-defined]


class BatchChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        expiry = f" ({obj.expiry_date:%Y-%m-%d})" if obj.expiry_date else ""
        return f"{obj.product.sku} · {obj.code}{expiry}"


def _batches(company: Company | None):
    return Batch.objects.filter(company=company).select_related("product").order_by("product__sku", "code")


def _warehouses(company: Company):
    return Warehouse.objects.filter(company=company, is_active=True).exclude(kind=Warehouse.Kind.TRANSIT)


class TransferForm(forms.Form):
    from_warehouse = forms.ModelChoiceField(label=_("From warehouse"), queryset=Warehouse.objects.none())
    to_warehouse = forms.ModelChoiceField(label=_("To warehouse"), queryset=Warehouse.objects.none())
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, company: Company, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("from_warehouse", "to_warehouse"):
            self.fields[name].queryset = _warehouses(company)  # type: ignore[attr-defined]


class TransferLineForm(forms.Form):
    product = forms.ModelChoiceField(label=_("Product"), queryset=Product.objects.none())
    quantity = forms.DecimalField(label=_("Quantity"), max_digits=16, decimal_places=4)
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False)
    batch = BatchChoiceField(label=_("Batch"), queryset=Batch.objects.none(), required=False)

    def __init__(self, *args, company: Company | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = _products(company)  # type: ignore[attr-defined,arg-type]
        self.fields["unit"].queryset = Unit.objects.filter(company=company, is_active=True)  # type: ignore[attr-defined]
        self.fields["batch"].queryset = _batches(company)  # type: ignore[attr-defined]


class StockCountForm(forms.Form):
    warehouse = forms.ModelChoiceField(label=_("Warehouse"), queryset=Warehouse.objects.none())
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, company: Company, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["warehouse"].queryset = _warehouses(company)  # type: ignore[attr-defined]
        if editing:
            del self.fields["warehouse"]


class CountLineForm(forms.Form):
    product = forms.ModelChoiceField(label=_("Product"), queryset=Product.objects.none())
    batch = BatchChoiceField(label=_("Batch"), queryset=Batch.objects.none(), required=False)
    counted_quantity = forms.DecimalField(
        label=_("Counted quantity"), max_digits=16, decimal_places=4, required=False
    )

    def __init__(self, *args, company: Company | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = _products(company)  # type: ignore[attr-defined,arg-type]
        self.fields["batch"].queryset = _batches(company)  # type: ignore[attr-defined]


class BaseLineFormSet(forms.BaseFormSet):
    def lines(self) -> list[dict]:
        return [
            {k: v for k, v in f.cleaned_data.items() if k != "DELETE"}
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]


TransferLineFormSet = forms.formset_factory(
    TransferLineForm, formset=BaseLineFormSet, extra=3, can_delete=True, max_num=500
)
CountLineFormSet = forms.formset_factory(
    CountLineForm, formset=BaseLineFormSet, extra=3, can_delete=True, max_num=2000
)
