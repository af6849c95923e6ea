"""Forms of the invoice and bill pages: the shape only; every rule lives in the services."""

import re
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from heyi.catalog.models import Product
from heyi.partners.models import Partner
from heyi.platform.widgets import DateInput

from .models import Account, Invoice

LINE_ERROR = re.compile(r"^lines\[(\d+)\]\.(\w+)$")


class DocumentForm(forms.Form):
    """The header of an invoice, bill or credit note; kind and credited document on creation only."""

    kind = forms.ChoiceField(label=_("Kind"))
    partner = forms.ModelChoiceField(label=_("Partner"), queryset=Partner.objects.none())
    invoice_date = forms.DateField(label=_("Invoice date"), widget=DateInput())
    due_date = forms.DateField(
        label=_("Due date"),
        required=False,
        widget=DateInput(),
        help_text=_("Empty: the invoice date plus the payment terms."),
    )
    prices_include_tax = forms.BooleanField(label=_("Prices include tax"), required=False)
    partner_reference = forms.CharField(label=_("Partner's invoice number"), max_length=64, required=False)
    credited_invoice = forms.ModelChoiceField(
        label=_("Credits invoice"), queryset=Invoice.objects.none(), required=False
    )
    notes = forms.CharField(
        label=_("Notes"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, kinds, partners, credited, editing: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k, Invoice.Kind(k).label) for k in kinds]
        self.fields["partner"].queryset = partners.filter(is_active=True).order_by("name")
        self.fields["credited_invoice"].queryset = credited
        if editing:
            del self.fields["kind"]
            del self.fields["credited_invoice"]


class DocumentLineForm(forms.Form):
    line_id = forms.CharField(widget=forms.HiddenInput, required=False)
    product = forms.ModelChoiceField(label=_("Product"), queryset=Product.objects.none(), required=False)
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
    account = forms.ModelChoiceField(label=_("Account"), queryset=Account.objects.none(), required=False)
    quantity = forms.DecimalField(label=_("Quantity"), max_digits=16, decimal_places=4)
    unit_price = forms.DecimalField(label=_("Unit price"), max_digits=18, decimal_places=6)
    tax_rate = forms.DecimalField(
        label=_("VAT rate"), max_digits=5, decimal_places=4, initial=Decimal("0.13"), min_value=Decimal(0)
    )

    def __init__(self, *args, company=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = Product.objects.filter(company=company).order_by("sku")
        self.fields["account"].queryset = Account.objects.filter(
            company=company, is_leaf=True, active=True
        ).order_by("code")


class BaseDocumentLineFormSet(forms.BaseFormSet):
    def used_forms(self) -> list[forms.Form]:
        return [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]

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


DocumentLineFormSet = forms.formset_factory(
    DocumentLineForm, formset=BaseDocumentLineFormSet, extra=3, can_delete=True, max_num=500
)


def document_initial(invoice: Invoice) -> tuple[dict, list[dict]]:
    header = {
        "partner": invoice.partner_id,
        "invoice_date": invoice.invoice_date,
        "due_date": invoice.due_date,
        "prices_include_tax": invoice.prices_include_tax,
        "partner_reference": invoice.partner_reference,
        "notes": invoice.notes,
        "version": invoice.version,
    }
    lines = [
        {
            "line_id": str(ln.pk),
            "product": ln.product_id,
            "description": ln.description,
            "account": ln.account_id,
            "quantity": ln.quantity.normalize(),
            "unit_price": ln.unit_price.normalize(),
            "tax_rate": ln.tax_rate.normalize(),
        }
        for ln in invoice.lines.all()
    ]
    return header, lines
