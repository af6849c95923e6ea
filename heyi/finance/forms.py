"""Finance forms: the shape of the pages; every rule lives in the services."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from heyi.catalog.models import Product
from heyi.partners.models import Partner
from heyi.platform.models import Company, Department, Employee
from heyi.platform.widgets import DateInput

from .models import Account, FinanceSettings, Voucher
from .services.common import ACCOUNT_ROLES
from .services.vouchers import LineIn

MONEY = {"max_digits": 16, "decimal_places": 2, "min_value": 0}


def posting_accounts(company: Company):
    """The accounts a line may name: active leaf accounts, in chart order."""
    return Account.objects.filter(company=company, is_leaf=True, active=True).order_by("code")


class VoucherForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput())
    word = forms.ChoiceField(label=_("Voucher word"), choices=Voucher.Word.choices)
    narration = forms.CharField(label=_("Narration"), max_length=200, required=False)
    notes = forms.CharField(
        label=_("Notes"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class VoucherLineForm(forms.Form):
    narration = forms.CharField(label=_("Narration"), max_length=200, required=False)
    account = forms.ModelChoiceField(label=_("Account"), queryset=Account.objects.none())
    debit = forms.DecimalField(label=_("Debit"), required=False, **MONEY)
    credit = forms.DecimalField(label=_("Credit"), required=False, **MONEY)
    partner = forms.ModelChoiceField(
        label=_("Customer or supplier"), queryset=Partner.objects.none(), required=False
    )
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.none(), required=False
    )
    employee = forms.ModelChoiceField(label=_("Employee"), queryset=Employee.objects.none(), required=False)
    product = forms.ModelChoiceField(label=_("Product"), queryset=Product.objects.none(), required=False)
    project = forms.CharField(label=_("Project"), max_length=60, required=False)

    def __init__(self, *args, company: Company, partners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = posting_accounts(company)
        self.fields["partner"].queryset = partners.filter(is_active=True).order_by("name")
        self.fields["department"].queryset = Department.objects.filter(company=company).order_by("name")
        self.fields["employee"].queryset = Employee.objects.filter(company=company, is_active=True).order_by(
            "name"
        )
        self.fields["product"].queryset = Product.objects.filter(company=company, is_active=True).order_by(
            "sku"
        )


LINE_ERROR = re.compile(r"^lines\[(\d+)\]\.(\w+)$")


class BaseVoucherLineFormSet(forms.BaseFormSet):
    def used_forms(self) -> list[forms.Form]:
        return [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]

    def lines(self) -> list[LineIn]:
        return [
            LineIn(
                account=f.cleaned_data["account"],
                debit=f.cleaned_data.get("debit") or 0,
                credit=f.cleaned_data.get("credit") or 0,
                narration=f.cleaned_data.get("narration") or "",
                partner=f.cleaned_data.get("partner"),
                department=f.cleaned_data.get("department"),
                employee=f.cleaned_data.get("employee"),
                product=f.cleaned_data.get("product"),
                project=f.cleaned_data.get("project") or "",
            )
            for f in self.used_forms()
        ]

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


VoucherLineFormSet = forms.formset_factory(
    VoucherLineForm, formset=BaseVoucherLineFormSet, extra=2, can_delete=True, max_num=500
)


def voucher_initial(voucher: Voucher) -> tuple[dict, list[dict]]:
    header = {
        "date": voucher.date,
        "word": voucher.word,
        "narration": voucher.narration,
        "notes": voucher.notes,
        "version": voucher.version,
    }
    lines = [
        {
            "narration": ln.narration,
            "account": ln.account_id,
            "debit": ln.debit or None,
            "credit": ln.credit or None,
            "partner": ln.partner_id,
            "department": ln.department_id,
            "employee": ln.employee_id,
            "product": ln.product_id,
            "project": ln.project,
        }
        for ln in voucher.lines.all()
    ]
    return header, lines


class ReverseForm(forms.Form):
    date = forms.DateField(
        label=_("Date of the reversal"),
        widget=DateInput(),
        help_text=_("Its period must be open."),
    )


class FiscalYearCloseForm(forms.Form):
    confirm = forms.BooleanField(required=True)

    def __init__(self, *args, year: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["confirm"].label = _(
            "Carry the profit and loss of %(year)s to undistributed profit in a transfer voucher dated "
            "31 December, and close every month of the year. This cannot be undone."
        ) % {"year": year}


class AccountForm(forms.Form):
    code = forms.RegexField(
        label=_("Code"),
        regex=r"^[0-9]+$",
        max_length=20,
        help_text=_("The parent's code followed by digits."),
    )
    name = forms.CharField(label=_("Name"), max_length=100)
    name_en = forms.CharField(label=_("English name"), max_length=100, required=False)
    partner_required = forms.BooleanField(label=_("Kept by customer or supplier"), required=False)


class AccountEditForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    name_en = forms.CharField(label=_("English name"), max_length=100, required=False)
    active = forms.BooleanField(
        label=_("Active"), required=False, help_text=_("An inactive account takes no new postings.")
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class FinanceSettingsForm(forms.Form):
    price_tolerance_percent = forms.DecimalField(
        label=_("Price tolerance (%)"), max_digits=5, decimal_places=2, min_value=0, max_value=100
    )
    quantity_tolerance_percent = forms.DecimalField(
        label=_("Quantity tolerance (%)"), max_digits=5, decimal_places=2, min_value=0, max_value=100
    )
    payment_terms_days = forms.IntegerField(label=_("Payment terms (days)"), min_value=0, max_value=365)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, company: Company, **kwargs):
        super().__init__(*args, **kwargs)
        accounts = posting_accounts(company)
        for role in ACCOUNT_ROLES:
            self.fields[role] = forms.ModelChoiceField(
                label=FinanceSettings._meta.get_field(role).verbose_name, queryset=accounts
            )


def finance_settings_initial(settings: FinanceSettings) -> dict:
    initial = {role: getattr(settings, f"{role}_id") for role in ACCOUNT_ROLES}
    return initial | {
        "price_tolerance_percent": settings.price_tolerance_percent,
        "quantity_tolerance_percent": settings.quantity_tolerance_percent,
        "payment_terms_days": settings.payment_terms_days,
        "version": settings.version,
    }
