"""Forms of the settings pages: shape only, the rules live in the services."""

import zoneinfo

from django import forms
from django.apps import apps
from django.utils.translation import gettext_lazy as _

from . import eventbus, modules
from .models import Company, Department, Employee, Role, User, Webhook
from .permissions import all_permissions
from .selectors import company_members


class CompanyForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    tax_number = forms.CharField(label=_("Tax number"), max_length=40, required=False)
    time_zone = forms.ChoiceField(label=_("Time zone"))
    prices_include_tax = forms.BooleanField(label=_("Show prices tax-inclusive"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = [(z, z) for z in sorted(zoneinfo.available_timezones())]


class ModuleSwitchForm(forms.Form):
    module = forms.ChoiceField(choices=list(modules.MODULES.items()))
    enabled = forms.TypedChoiceField(choices=[("1", "on"), ("0", "off")], coerce=lambda v: v == "1")


class UserRolesForm(forms.Form):
    roles = forms.ModelMultipleChoiceField(
        label=_("Roles"), queryset=Role.objects.none(), widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args, company: Company, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["roles"].queryset = Role.objects.filter(company=company).order_by("name")


def permission_groups() -> list[tuple[str, list[tuple[str, str]]]]:
    """Permission checkboxes grouped by the app that registered them."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for codename, label in sorted(all_permissions().items()):
        app_label = codename.split(".", 1)[0]
        groups.setdefault(app_label, []).append((codename, f"{label} ({codename})"))
    titled = []
    for app_label, choices in groups.items():
        config = next((c for c in apps.get_app_configs() if c.label == app_label), None)
        titled.append((str(config.verbose_name) if config else app_label, choices))
    return titled


class RoleForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=40)
    name = forms.CharField(label=_("Name"), max_length=100)
    scope = forms.ChoiceField(label=_("Record scope"), choices=Role.Scope.choices, widget=forms.RadioSelect)
    permissions = forms.MultipleChoiceField(
        label=_("Permissions"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["permissions"].choices = permission_groups()
        if editing:
            self.fields["code"].disabled = True


class DepartmentForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    code = forms.CharField(label=_("Code"), max_length=40, required=False)
    parent = forms.ModelChoiceField(
        label=_("Parent department"), queryset=Department.objects.none(), required=False
    )
    manager = forms.ModelChoiceField(label=_("Manager"), queryset=Employee.objects.none(), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, company: Company, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = Department.objects.filter(company=company).order_by("name")
        self.fields["manager"].queryset = Employee.objects.filter(company=company, is_active=True)


class EmployeeForm(forms.Form):
    number = forms.CharField(
        label=_("Employee number"),
        max_length=40,
        required=False,
        help_text=_("Left empty, the next number is given."),
    )
    name = forms.CharField(label=_("Name"), max_length=100)
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.none(), required=False
    )
    manager = forms.ModelChoiceField(label=_("Manager"), queryset=Employee.objects.none(), required=False)
    position = forms.CharField(label=_("Position"), max_length=100, required=False)
    user = forms.ModelChoiceField(label=_("User"), queryset=User.objects.none(), required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, company: Company, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(company=company).order_by("name")
        self.fields["manager"].queryset = Employee.objects.filter(company=company, is_active=True)
        self.fields["user"].queryset = company_members(company)


class WebhookForm(forms.Form):
    url = forms.URLField(label=_("URL"), max_length=500, assume_scheme="https")
    event_types = forms.MultipleChoiceField(
        label=_("Events"), widget=forms.CheckboxSelectMultiple, help_text=_("Choose the events to send.")
    )
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event_types"].choices = [
            (Webhook.ALL_EVENTS, _("Every event")),
            *((t, t) for t in eventbus.event_types()),
        ]
