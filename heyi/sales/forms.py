"""Sales forms: the shape of the pages; every rule lives in the services."""

import re
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from heyi.catalog.models import Product, Unit
from heyi.inventory.models import Warehouse
from heyi.inventory.selectors import stock_warehouses
from heyi.partners.models import Partner
from heyi.platform.selectors import company_members
from heyi.platform.widgets import DateInput

from .models import SalesOrder, SalesSettings


class OrderForm(forms.Form):
    customer = forms.ModelChoiceField(label=_("Customer"), queryset=Partner.objects.none())
    salesperson = forms.ModelChoiceField(label=_("Salesperson"), queryset=None, required=False)
    order_date = forms.DateField(label=_("Order date"), widget=DateInput())
    delivery_address = forms.CharField(label=_("Delivery address"), max_length=300, required=False)
    warehouse = forms.ModelChoiceField(
        label=_("Warehouse"),
        queryset=Warehouse.objects.none(),
        required=False,
        help_text=_("Reserve from this warehouse first; empty: by the warehouses' priority."),
    )
    notes = forms.CharField(
        label=_("Notes"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, company, customers, can_assign: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = customers.filter(is_active=True).order_by("name")
        self.fields["warehouse"].queryset = stock_warehouses(company)
        if can_assign:
            self.fields["salesperson"].queryset = company_members(company)
        else:
            del self.fields["salesperson"]


class OrderLineForm(forms.Form):
    product = forms.ModelChoiceField(label=_("Product"), queryset=Product.objects.none())
    quantity = forms.DecimalField(label=_("Quantity"), max_digits=16, decimal_places=4)
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False)
    unit_price = forms.DecimalField(
        label=_("Unit price (excl. tax)"), max_digits=18, decimal_places=6, required=False
    )
    discount_percent = forms.DecimalField(
        label=_("Discount %"), max_digits=5, decimal_places=2, required=False
    )
    tax_rate = forms.DecimalField(label=_("VAT rate"), max_digits=5, decimal_places=4, required=False)

    def __init__(self, *args, company=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = Product.objects.filter(company=company, is_active=True).order_by(
            "sku"
        )
        self.fields["unit"].queryset = Unit.objects.filter(company=company, is_active=True)


LINE_ERROR = re.compile(r"^lines\[(\d+)\]\.(\w+)$")


class BaseLineFormSet(forms.BaseFormSet):
    def used_forms(self) -> list[forms.Form]:
        return [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]

    def lines(self) -> list[dict]:
        return [{k: v for k, v in f.cleaned_data.items() if k != "DELETE"} for f in self.used_forms()]

    def attach_errors(self, fields: dict[str, list[str]]) -> dict[str, list[str]]:
        """Put a service's `lines[i].field` errors on the row they name; return the others."""
        used = self.used_forms()
        rest = {}
        for name, errors in fields.items():
            match = LINE_ERROR.match(name)
            if match and int(match[1]) < len(used):
                row, field = used[int(match[1])], match[2]
                for error in errors:
                    row.add_error(field if field in row.fields else None, str(error))
            else:
                rest[name] = errors
        return rest


LineFormSet = forms.formset_factory(
    OrderLineForm, formset=BaseLineFormSet, extra=3, can_delete=True, max_num=500
)


def order_initial(order: SalesOrder) -> tuple[dict, list[dict]]:
    header = {
        "customer": order.customer_id,
        "salesperson": order.owner_id,
        "order_date": order.order_date,
        "delivery_address": order.delivery_address,
        "warehouse": order.warehouse_id,
        "notes": order.notes,
        "version": order.version,
    }
    lines = [
        {
            "product": ln.product_id,
            "quantity": ln.quantity.normalize(),
            "unit": ln.unit_id,
            "unit_price": ln.unit_price.normalize(),
            "discount_percent": ln.discount_percent,
            "tax_rate": ln.tax_rate.normalize(),
        }
        for ln in order.lines.all()
    ]
    return header, lines


class QuantitiesForm(forms.Form):
    """One quantity (and, for stock, a warehouse) per open line: a delivery or a return."""

    carrier = forms.CharField(label=_("Carrier"), max_length=100, required=False)
    tracking_number = forms.CharField(label=_("Tracking number"), max_length=100, required=False)

    def __init__(self, *args, rows, warehouses, with_carrier: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_carrier:
            del self.fields["carrier"]
            del self.fields["tracking_number"]
        self.rows = rows
        for row in rows:
            self.fields[f"q_{row['id']}"] = forms.DecimalField(
                label=row["label"],
                max_digits=16,
                decimal_places=4,
                min_value=Decimal(0),
                max_value=row["max"],
                initial=row["initial"].normalize(),
                required=False,
                help_text=row["help"],
            )
            if row.get("stocked"):
                self.fields[f"w_{row['id']}"] = forms.ModelChoiceField(
                    label=_("Warehouse"), queryset=warehouses, initial=row.get("warehouse"), required=False
                )

    def chosen(self) -> list[tuple[str, Decimal, Warehouse | None]]:
        result = []
        for row in self.rows:
            quantity = self.cleaned_data.get(f"q_{row['id']}")
            if quantity:
                result.append((row["id"], quantity, self.cleaned_data.get(f"w_{row['id']}")))
        return result


class ShipForm(forms.Form):
    carrier = forms.CharField(label=_("Carrier"), max_length=100, required=False)
    tracking_number = forms.CharField(label=_("Tracking number"), max_length=100, required=False)


class SettingsForm(forms.Form):
    on_shortage = forms.ChoiceField(
        label=_("When stock is short at confirmation"), choices=SalesSettings.OnShortage.choices
    )
