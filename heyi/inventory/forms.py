from django import forms
from django.utils.translation import gettext_lazy as _

from heyi.platform.models import Company, Employee


class WarehouseForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=20)
    name = forms.CharField(label=_("Name"), max_length=100)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, company: Company, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["manager"] = forms.ModelChoiceField(
            label=_("Manager"),
            queryset=Employee.objects.filter(company=company, is_active=True).order_by("number"),
            required=False,
        )
        self.order_fields(["code", "name", "address", "manager", "is_active"])
