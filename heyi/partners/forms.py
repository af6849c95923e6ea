"""Partner, contact, address and tag forms: the shape of the page; the rules live in the services."""

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from heyi.platform.selectors import company_members

from .models import Address, Contact, Partner, Tag


class VersionedForm(forms.ModelForm):
    """An edit form carries the version it was loaded at, so a stale save is refused, not lost."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance._state.adding:
            self.fields["version"] = forms.IntegerField(
                widget=forms.HiddenInput, initial=self.instance.version
            )

    def service_data(self) -> dict:
        return dict(self.cleaned_data)


def _formfield(field: models.Field, **kwargs):
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


class PartnerForm(VersionedForm):
    class Meta:
        model = Partner
        formfield_callback = _formfield
        fields = [
            "name",
            "short_name",
            "code",
            "is_customer",
            "is_supplier",
            "tax_number",
            "credit_limit",
            "payment_terms_days",
            "currency",
            "phone",
            "email",
            "website",
            "province",
            "city",
            "region",
            "bank_name",
            "bank_account",
            "tags",
            "owner",
            "notes",
        ]
        widgets = {
            "notes": forms.Textarea(attrs={"rows": 3}),
            "tags": forms.SelectMultiple(attrs={"size": 5}),
        }

    def __init__(self, *args, company, can_assign: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance._state.adding:
            self.fields["code"].required = False
            self.fields["code"].help_text = _("Leave empty for an automatic number such as BP-2026-000001.")
        self.fields["tags"].queryset = Tag.objects.filter(company=company)
        self.fields["tags"].required = False
        if can_assign:
            self.fields["owner"].queryset = company_members(company)
            self.fields["owner"].required = True
        else:
            del self.fields["owner"]

    def service_data(self) -> dict:
        data = super().service_data()
        data["tags"] = list(data.get("tags") or [])
        return data


class ContactForm(VersionedForm):
    class Meta:
        model = Contact
        fields = ["name", "title", "mobile", "phone", "email", "is_primary", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}


class AddressForm(VersionedForm):
    class Meta:
        model = Address
        fields = [
            "kind",
            "province",
            "city",
            "district",
            "street",
            "postal_code",
            "contact_name",
            "phone",
            "is_default",
        ]


class TagForm(VersionedForm):
    class Meta:
        model = Tag
        fields = ["name", "colour"]
