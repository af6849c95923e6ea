"""Forms of the payment and expense claim pages: shape only; the rules live in the services."""

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from heyi.partners.models import Partner
from heyi.platform.models import Company, Department, Employee
from heyi.platform.widgets import DateInput

from .models import Account, Payment

DATE = DateInput()
MONEY = {"max_digits": 16, "decimal_places": 2}


def cash_accounts(company: Company) -> QuerySet[Account]:
    return Account.objects.filter(company=company, is_cash=True, is_leaf=True, active=True).order_by("code")


def payment_partners(company: Company, kind: str) -> QuerySet[Partner]:
    side = Q(is_customer=True) if kind == Payment.Kind.CUSTOMER_RECEIPT else Q(is_supplier=True)
    return Partner.objects.filter(side, company=company, is_active=True).order_by("name")


def with_customer(kind: str) -> bool:
    return kind in (Payment.Kind.CUSTOMER_RECEIPT, Payment.Kind.CUSTOMER_REFUND)


class PaymentForm(forms.Form):
    partner = forms.ModelChoiceField(label=_("Customer or supplier"), queryset=Partner.objects.none())
    payment_date = forms.DateField(label=_("Date"), widget=DATE)
    amount = forms.DecimalField(label=_("Amount"), **MONEY)
    account = forms.ModelChoiceField(label=_("Cash or bank account"), queryset=Account.objects.none())
    reference = forms.CharField(label=_("Reference (bank slip, cheque)"), max_length=64, required=False)
    notes = forms.CharField(
        label=_("Notes"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, company: Company, kind: str, *args, **kwargs):
        """A refund goes to the partner whose credit it pays back: it has no partner to choose."""
        super().__init__(*args, **kwargs)
        if kind in Payment.REFUNDS:
            del self.fields["partner"]
        else:
            partner = self.fields["partner"]
            partner.queryset = payment_partners(company, kind)  # type: ignore[attr-defined]
            partner.label = _("Customer") if with_customer(kind) else _("Supplier")
        self.fields["account"].queryset = cash_accounts(company)  # type: ignore[attr-defined]


class ExpenseClaimForm(forms.Form):
    description = forms.CharField(label=_("Purpose"), max_length=200)
    claim_date = forms.DateField(label=_("Date"), widget=DATE)
    employee = forms.ModelChoiceField(
        label=_("Employee"),
        queryset=Employee.objects.none(),
        required=False,
        help_text=_("Leave empty to claim for yourself."),
    )
    department = forms.ModelChoiceField(
        label=_("Department"),
        queryset=Department.objects.none(),
        required=False,
        help_text=_("Default: the employee's department."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, company: Company, *args, for_anyone: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if for_anyone:
            self.fields["employee"].queryset = Employee.objects.filter(  # type: ignore[attr-defined]
                company=company, is_active=True
            ).order_by("name")
        else:
            del self.fields["employee"]
        self.fields["department"].queryset = Department.objects.filter(  # type: ignore[attr-defined]
            company=company
        ).order_by("name")


class ExpenseClaimLineForm(forms.Form):
    account = forms.ModelChoiceField(label=_("Expense account"), queryset=Account.objects.none())
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
    amount = forms.DecimalField(label=_("Amount"), **MONEY)

    def __init__(self, *args, accounts: QuerySet[Account] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if accounts is not None:
            self.fields["account"].queryset = accounts  # type: ignore[attr-defined]


class ExpenseClaimPayForm(forms.Form):
    account = forms.ModelChoiceField(label=_("Pay from"), queryset=Account.objects.none())
    date = forms.DateField(label=_("Date"), widget=DATE)

    def __init__(self, company: Company, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = cash_accounts(company)  # type: ignore[attr-defined]
