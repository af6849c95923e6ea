"""The filters of the report pages: a period, a day, an account; dates checked as the API
checks them, so a bad date is a message on the form."""

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy

from heyi.platform.errors import ValidationFailed
from heyi.platform.webkit import attach_errors
from heyi.platform.widgets import DateInput

from .reports.dates import date_checked, month_start, period_checked
from .reports.margin import BY_CUSTOMER, BY_PRODUCT


class SmallDateInput(DateInput):
    def __init__(self) -> None:
        super().__init__(attrs={"class": "input is-small"})


class PeriodForm(forms.Form):
    """A period, by default this month up to today (or the month `date_to` falls in)."""

    date_from = forms.DateField(label=gettext_lazy("From"), required=False, widget=SmallDateInput())
    date_to = forms.DateField(label=gettext_lazy("To"), required=False, widget=SmallDateInput())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        end = data.get("date_to") or timezone.localdate()
        start = data.get("date_from") or month_start(end)
        try:
            data["date_from"], data["date_to"] = period_checked(start, end)
        except ValidationFailed as exc:
            attach_errors(self, exc)
        return data


class DayForm(forms.Form):
    date = forms.DateField(label=gettext_lazy("Date"), required=False, widget=SmallDateInput())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        try:
            data["date"] = date_checked("date", data.get("date") or timezone.localdate())
        except ValidationFailed as exc:
            attach_errors(self, exc)
        return data


class LedgerForm(PeriodForm):
    account = forms.ChoiceField(label=gettext_lazy("Account"), required=False)
    partner = forms.UUIDField(label=gettext_lazy("Partner"), required=False, widget=forms.HiddenInput())

    def __init__(self, *args: Any, accounts: Sequence[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["account"].choices = [("", "---------"), *accounts]


class MarginForm(PeriodForm):
    by = forms.ChoiceField(
        label=gettext_lazy("Per"),
        required=False,
        choices=[(BY_PRODUCT, gettext_lazy("Product")), (BY_CUSTOMER, gettext_lazy("Customer"))],
    )
