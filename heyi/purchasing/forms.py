"""Form shapes of the purchasing pages; the rules stay in the services."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from heyi.catalog.models import Product, Unit
from heyi.inventory.models import Warehouse
from heyi.inventory.selectors import stock_warehouses
from heyi.partners.models import Partner
from heyi.platform.models import Company
from heyi.platform.widgets import DateInput

DATE = DateInput()


def _products(company: Company):
    return (
        Product.objects.filter(company=company, is_active=True)
        .exclude(kind=Product.Kind.SERVICE)
        .order_by("sku")
    )


def _suppliers(company: Company):
    return Partner.objects.filter(company=company, is_supplier=True, is_active=True).order_by("name")


def _warehouses(company: Company):
    return stock_warehouses(company)


def _units(company: Company):
    return Unit.objects.filter(company=company, is_active=True).order_by("category", "code")


class CompanyForm(forms.Form):
    def __init__(self, company: Company, *args, **kwargs):
        self.company = company
        super().__init__(*args, **kwargs)


class RequisitionForm(CompanyForm):
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class RequisitionLineForm(CompanyForm):
    product = forms.ModelChoiceField(label=_("Product"), queryset=Product.objects.none())
    quantity = forms.DecimalField(
        label=_("Quantity"), max_digits=16, decimal_places=4, min_value=Decimal("0.0001")
    )
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False)
    needed_by = forms.DateField(label=_("Needed by"), required=False, widget=DATE)
    supplier = forms.ModelChoiceField(
        label=_("Suggested supplier"), queryset=Partner.objects.none(), required=False
    )
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)

    def __init__(self, company: Company, *args, **kwargs):
        super().__init__(company, *args, **kwargs)
        self.fields["product"].queryset = _products(company)
        self.fields["unit"].queryset = _units(company)
        self.fields["supplier"].queryset = _suppliers(company)


class OrderForm(CompanyForm):
    supplier = forms.ModelChoiceField(label=_("Supplier"), queryset=Partner.objects.none())
    order_date = forms.DateField(label=_("Order date"), required=False, widget=DATE)
    expected_date = forms.DateField(label=_("Expected date"), required=False, widget=DATE)
    warehouse = forms.ModelChoiceField(
        label=_("Receiving warehouse"), queryset=Warehouse.objects.none(), required=False
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, company: Company, *args, **kwargs):
        super().__init__(company, *args, **kwargs)
        self.fields["supplier"].queryset = _suppliers(company)
        self.fields["warehouse"].queryset = _warehouses(company)


class OrderLineForm(CompanyForm):
    product = forms.ModelChoiceField(label=_("Product"), queryset=Product.objects.none())
    quantity = forms.DecimalField(
        label=_("Quantity"), max_digits=16, decimal_places=4, min_value=Decimal("0.0001")
    )
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False)
    unit_price = forms.DecimalField(
        label=_("Unit price (excl. tax)"),
        max_digits=18,
        decimal_places=6,
        min_value=Decimal(0),
        required=False,
    )
    tax_rate = forms.TypedChoiceField(
        label=_("VAT rate"),
        choices=[("", "—"), *Product.TAX_RATES],
        coerce=Decimal,
        empty_value=None,
        required=False,
    )

    def __init__(self, company: Company, *args, **kwargs):
        super().__init__(company, *args, **kwargs)
        self.fields["product"].queryset = _products(company)
        self.fields["unit"].queryset = _units(company)


class ReceiptForm(forms.Form):
    received_date = forms.DateField(label=_("Received on"), required=False, widget=DATE)
    delivery_note = forms.CharField(label=_("Supplier delivery note"), max_length=64, required=False)
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReceiptLineForm(CompanyForm):
    order_line = forms.CharField(widget=forms.HiddenInput)
    quantity = forms.DecimalField(
        label=_("Quantity"), max_digits=16, decimal_places=4, min_value=Decimal(0), required=False
    )
    warehouse = forms.ModelChoiceField(
        label=_("Warehouse"), queryset=Warehouse.objects.none(), required=False
    )
    batch_code = forms.CharField(label=_("Batch"), max_length=40, required=False)
    expiry_date = forms.DateField(label=_("Expiry date"), required=False, widget=DATE)

    def __init__(self, company: Company, *args, **kwargs):
        super().__init__(company, *args, **kwargs)
        self.fields["warehouse"].queryset = _warehouses(company)


class InspectionLineForm(forms.Form):
    line = forms.CharField(widget=forms.HiddenInput)
    accepted = forms.DecimalField(label=_("Accepted"), max_digits=16, decimal_places=4, min_value=Decimal(0))
    rejected = forms.DecimalField(label=_("Rejected"), max_digits=16, decimal_places=4, min_value=Decimal(0))
    reason = forms.CharField(label=_("Rejection reason"), max_length=200, required=False)


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)
    return_date = forms.DateField(label=_("Return date"), required=False, widget=DATE)


class ReturnLineForm(forms.Form):
    receipt_line = forms.CharField(widget=forms.HiddenInput)
    quantity = forms.DecimalField(
        label=_("Quantity"), max_digits=16, decimal_places=4, min_value=Decimal(0), required=False
    )
    from_quarantine = forms.BooleanField(label=_("From quarantine"), required=False)


class SettingsForm(forms.Form):
    over_receipt_tolerance = forms.DecimalField(
        label=_("Over-receipt tolerance (%)"),
        max_digits=5,
        decimal_places=2,
        min_value=Decimal(0),
        max_value=Decimal(100),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
