"""Form shapes of the leave pages; the rules stay in the services."""

import datetime
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from heyi.platform.models import Company, Employee
from heyi.platform.widgets import DateInput

from .models import CalendarDay, LeaveRequest, LeaveType

DATE = DateInput()
HALF_DAY = Decimal("0.5")


class LeaveRequestForm(forms.Form):
    employee = forms.ModelChoiceField(
        label=_("Employee"), queryset=Employee.objects.none(), required=False, help_text=_("Empty: yourself.")
    )
    leave_type = forms.ModelChoiceField(label=_("Leave type"), queryset=LeaveType.objects.none())
    start_date = forms.DateField(label=_("From"), widget=DATE)
    start_half = forms.ChoiceField(
        label=_("Starting"), choices=LeaveRequest.Half.choices, initial=LeaveRequest.Half.MORNING
    )
    end_date = forms.DateField(label=_("To"), widget=DATE)
    end_half = forms.ChoiceField(
        label=_("Ending"),
        choices=LeaveRequest.Half.choices,
        initial=LeaveRequest.Half.AFTERNOON,
        help_text=_("Morning: the last day ends at noon."),
    )
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, company: Company, *args, for_anyone: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leave_type"].queryset = LeaveType.objects.filter(company=company, is_active=True)
        if for_anyone:
            self.fields["employee"].queryset = Employee.objects.filter(
                company=company, is_active=True
            ).order_by("name")
        else:
            del self.fields["employee"]


class LeaveTypeForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=40)
    name = forms.CharField(label=_("Name"), max_length=100)
    paid = forms.BooleanField(label=_("Paid"), required=False, initial=True)
    annual_allowance = forms.DecimalField(
        label=_("Annual allowance (days)"),
        max_digits=6,
        decimal_places=1,
        min_value=Decimal(0),
        step_size=HALF_DAY,
        initial=Decimal(0),
    )
    needs_balance = forms.BooleanField(
        label=_("Limited by balance"),
        required=False,
        initial=True,
        help_text=_("Requests may not take more days than are left of the year's balance."),
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class LeaveBalanceForm(forms.Form):
    employee = forms.ModelChoiceField(label=_("Employee"), queryset=Employee.objects.none())
    leave_type = forms.ModelChoiceField(label=_("Leave type"), queryset=LeaveType.objects.none())
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    entitled = forms.DecimalField(
        label=_("Entitled days"), max_digits=6, decimal_places=1, min_value=Decimal(0), step_size=HALF_DAY
    )

    def __init__(self, company: Company, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("year", datetime.date.today().year)
        super().__init__(*args, **kwargs)
        self.fields["employee"].queryset = Employee.objects.filter(company=company, is_active=True).order_by(
            "name"
        )
        self.fields["leave_type"].queryset = LeaveType.objects.filter(company=company).order_by("code")


class CalendarDaysForm(forms.Form):
    start_date = forms.DateField(label=_("First day"), widget=DATE)
    end_date = forms.DateField(
        label=_("Last day"), widget=DATE, required=False, help_text=_("Empty: the first day only.")
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=CalendarDay.Kind.choices)
    name = forms.CharField(
        label=_("Name"), max_length=60, help_text=_("For example 国庆节 or 国庆节调休上班.")
    )
