"""Form shapes of the approval pages; the rules stay in the services and in design.py, and
the designer's rows become the engine's JSON in designer.py."""

import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from heyi.platform.models import Company, Department, Role, User
from heyi.platform.widgets import DateInput

from .design import APPROVER_KINDS, FIELD_TYPES, OPERATORS
from .models import ApprovalTemplate
from .registry import outcomes
from .selectors import field_label

DATE = DateInput()
TABLE_ROWS = 5


def members(company: Company):
    return User.objects.filter(memberships__company=company, memberships__is_active=True).order_by("username")


def _departments(company: Company):
    return Department.objects.filter(company=company).order_by("name")


class CompanyForm(forms.Form):
    def __init__(self, company: Company, *args, **kwargs):
        self.company = company
        super().__init__(*args, **kwargs)


# Requests


FIELD_TYPE_LABELS = {
    "text": _("Text"),
    "number": _("Number"),
    "money": _("Amount"),
    "date": _("Date"),
    "date_range": _("Date range"),
    "choice": _("Choice"),
    "person": _("Person"),
    "department": _("Department"),
    "attachment": _("Attachments"),
    "table": _("Table"),
}


def _input(company: Company, field: dict[str, Any], required: bool) -> forms.Field:
    kind = field["type"]
    label = field_label(field)
    if kind == "number":
        return forms.DecimalField(label=label, required=required, max_digits=20, decimal_places=6)
    if kind == "money":
        return forms.DecimalField(label=label, required=required, max_digits=16, decimal_places=2)
    if kind == "date":
        return forms.DateField(label=label, required=required, widget=DATE)
    if kind == "choice":
        return forms.ChoiceField(
            label=label, required=required, choices=[("", "---------")] + [(c, c) for c in field["choices"]]
        )
    if kind == "person":
        return forms.ModelChoiceField(label=label, required=required, queryset=members(company))
    if kind == "department":
        return forms.ModelChoiceField(label=label, required=required, queryset=_departments(company))
    return forms.CharField(
        label=label, required=required, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


def _plain(value: Any) -> Any:
    if value is None or value == "":
        return None
    if hasattr(value, "pk"):
        return str(value.pk)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


class RequestForm(CompanyForm):
    """A request's values, with inputs made from the template's fields. Attachments are added
    on the request page once it exists (or through the API)."""

    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, company: Company, template_form: list[dict[str, Any]], *args, values=None, **kwargs):
        self.template_form = template_form
        initial = kwargs.setdefault("initial", {})
        super().__init__(company, *args, **kwargs)
        self.tables: list[dict[str, Any]] = []
        values = values or {}
        for field in template_form:
            key, kind = field["key"], field["type"]
            if kind == "attachment":
                continue
            if kind == "date_range":
                start, end = (values.get(key) or [None, None])[:2]
                self.fields[f"v_{key}__start"] = forms.DateField(
                    label=f"{field_label(field)} · {_('from')}",
                    required=bool(field.get("required")),
                    widget=DATE,
                )
                self.fields[f"v_{key}__end"] = forms.DateField(
                    label=f"{field_label(field)} · {_('to')}",
                    required=bool(field.get("required")),
                    widget=DATE,
                )
                initial[f"v_{key}__start"], initial[f"v_{key}__end"] = start, end
            elif kind == "table":
                rows = values.get(key) or []
                table = {"field": field, "rows": []}
                for r in range(max(TABLE_ROWS, len(rows) + 1)):
                    cells = []
                    for column in field["columns"]:
                        name = f"v_{key}__{r}__{column['key']}"
                        self.fields[name] = _input(company, column, False)
                        if r < len(rows):
                            initial[name] = rows[r].get(column["key"])
                        cells.append(name)
                    table["rows"].append(cells)
                self.tables.append(table)
            else:
                self.fields[f"v_{key}"] = _input(company, field, bool(field.get("required")))
                initial[f"v_{key}"] = values.get(key)

    def simple_fields(self):
        table_names = {name for t in self.tables for row in t["rows"] for name in row}
        return [self[name] for name in self.fields if name.startswith("v_") and name not in table_names]

    def table_blocks(self):
        return [
            {
                "label": field_label(t["field"]),
                "columns": [field_label(c) for c in t["field"]["columns"]],
                "rows": [[self[name] for name in row] for row in t["rows"]],
            }
            for t in self.tables
        ]

    def values(self) -> dict[str, Any]:
        """The cleaned inputs as the engine takes them; the engine checks them again."""
        data = self.cleaned_data
        values: dict[str, Any] = {}
        for field in self.template_form:
            key, kind = field["key"], field["type"]
            if kind == "attachment":
                continue
            if kind == "date_range":
                start, end = _plain(data.get(f"v_{key}__start")), _plain(data.get(f"v_{key}__end"))
                if start or end:
                    values[key] = [start, end]
            elif kind == "table":
                rows = []
                for r in range(len(next(t for t in self.tables if t["field"]["key"] == key)["rows"])):
                    row = {c["key"]: _plain(data.get(f"v_{key}__{r}__{c['key']}")) for c in field["columns"]}
                    if any(v is not None for v in row.values()):
                        rows.append({k: v for k, v in row.items() if v is not None})
                if rows:
                    values[key] = rows
            else:
                value = _plain(data.get(f"v_{key}"))
                if value is not None:
                    values[key] = value
        return values

    def attach_value_errors(self, problems: dict[str, list[str]]) -> None:
        for name, errors in problems.items():
            key = name.split(".", 1)[0].split("[", 1)[0]
            target = next((f for f in (f"v_{key}", f"v_{key}__start") if f in self.fields), None)
            for error in errors:
                self.add_error(target, error)


# Decisions


class VersionedForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class DecisionForm(VersionedForm):
    comment = forms.CharField(
        label=_("Comment"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReturnForm(DecisionForm):
    to = forms.ChoiceField(label=pgettext_lazy("return a request", "Return to"))

    def __init__(self, *args, targets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].choices = [("submitter", _("The submitter"))] + list(targets)


class PersonForm(DecisionForm):
    user = forms.ModelChoiceField(label=_("Person"), queryset=User.objects.none())

    def __init__(self, company: Company, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = members(company)  # type: ignore[attr-defined]


class AddSignerForm(PersonForm):
    position = forms.ChoiceField(
        label=_("Signs"),
        choices=[("before", _("before me")), ("after", _("after me"))],
    )


class CommentForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


# Delegations


class DelegationForm(CompanyForm):
    deputy = forms.ModelChoiceField(label=_("Deputy"), queryset=User.objects.none())
    start = forms.DateField(label=_("From"), widget=DATE)
    end = forms.DateField(label=_("To"), widget=DATE)
    template = forms.ModelChoiceField(
        label=_("Template"),
        queryset=ApprovalTemplate.objects.none(),
        required=False,
        help_text=_("Empty: every template."),
    )

    def __init__(self, company: Company, *args, **kwargs):
        super().__init__(company, *args, **kwargs)
        self.fields["deputy"].queryset = members(company)  # type: ignore[attr-defined]
        self.fields["template"].queryset = ApprovalTemplate.objects.filter(  # type: ignore[attr-defined]
            company=company, is_active=True
        )


# The template designer


class TemplateHeaderForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=40)
    name = forms.CharField(label=_("Name"), max_length=100)
    category = forms.CharField(label=_("Category"), max_length=40, required=False)
    description = forms.CharField(
        label=_("Description"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)
    outcome = forms.ChoiceField(label=_("On approval"), required=False)
    empty_approver = forms.ChoiceField(
        label=_("When a step has nobody to approve it"),
        choices=[
            ("skip", _("Skip the step")),
            ("admin", _("Give it to the administrators")),
            ("refuse", _("Refuse the request")),
        ],
    )
    dedupe = forms.BooleanField(
        label=_("Someone who already approved this request is not asked again"), required=False, initial=True
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, fixed_outcome: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["outcome"]
        field.choices = [("", _("Nothing more"))] + [(o.key, o.label) for o in outcomes()]  # type: ignore[attr-defined]
        field.help_text = outcome_help()
        if fixed_outcome:
            field.disabled = True
            field.help_text = _("Fixed once the template exists. %(needs)s") % {"needs": field.help_text}


def _field_needed(field: dict[str, Any]) -> str:
    kind = FIELD_TYPE_LABELS.get(field["type"], field["type"])
    if field["type"] != "table":
        return f"{field['key']} ({kind})"
    columns = ", ".join(f"{c['key']} {FIELD_TYPE_LABELS.get(c['type'], c['type'])}" for c in field["columns"])
    return f"{field['key']} ({kind}: {columns})"


def outcome_help(key: str = "") -> str:
    """The fields the form must have for each outcome (or for the one named), so that the
    designer can add them."""
    return " ".join(
        str(
            _("“%(outcome)s” needs the fields %(fields)s.")
            % {"outcome": o.label, "fields": "; ".join(_field_needed(f) for f in o.fields)}
        )
        for o in outcomes()
        if not key or o.key == key
    )


class FieldRowForm(forms.Form):
    key = forms.CharField(label=_("Key"), max_length=40)
    label = forms.CharField(label=_("Label"), max_length=100)
    type = forms.ChoiceField(label=_("Type"), choices=[(t, FIELD_TYPE_LABELS[t]) for t in FIELD_TYPES])
    required = forms.BooleanField(label=_("Required"), required=False)
    choices = forms.CharField(
        label=_("Choices"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 18}),
        help_text=_("For a choice: the values, one per line."),
    )
    columns = forms.CharField(
        label=_("Columns"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 30}),
        help_text=_(
            "For a table: one column per line as key, label, type, and “required” if it must be filled."
        ),
    )


APPROVER_KIND_LABELS = {
    "user": _("Named people"),
    "role": _("Everyone with a role"),
    "manager": _("The submitter's manager"),
    "department_head": _("Head of a department"),
    "field": _("The person in a form field"),
}
MODE_LABELS = [
    ("all", _("Everyone must approve (countersign)")),
    ("any", _("One approval is enough (or-sign)")),
    ("ratio", _("A share must approve")),
    ("sequential", _("One after another")),
]
OPERATOR_LABELS = {
    "eq": _("is"),
    "ne": _("is not"),
    "gt": _("greater than"),
    "gte": _("at least"),
    "lt": _("less than"),
    "lte": _("at most"),
    "in": _("one of (comma-separated)"),
    "not_in": _("none of (comma-separated)"),
    "contains": _("contains"),
    "within": _("is in or under the department"),
}


class StepRowForm(CompanyForm):
    place = forms.ChoiceField(label=_("For"))
    kind = forms.ChoiceField(
        label=_("Step"),
        choices=[("approve", _("Approval")), ("cc", pgettext_lazy("approval step", "Copy to"))],
    )
    name = forms.CharField(label=_("Name"), max_length=100, required=False)
    approver_kind = forms.ChoiceField(
        label=_("Who"), choices=[(k, APPROVER_KIND_LABELS[k]) for k in APPROVER_KINDS]
    )
    users = forms.ModelMultipleChoiceField(label=_("People"), queryset=User.objects.none(), required=False)
    role = forms.ChoiceField(label=_("Role"), required=False)
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.none(), required=False
    )
    levels = forms.IntegerField(label=_("Levels up"), min_value=1, max_value=10, required=False)
    field = forms.CharField(label=_("Form field"), max_length=40, required=False)
    mode = forms.ChoiceField(label=_("Signing"), choices=MODE_LABELS, required=False)
    ratio_percent = forms.IntegerField(label=_("Share (%)"), min_value=1, max_value=100, required=False)
    deadline_hours = forms.IntegerField(label=_("Deadline (hours)"), min_value=1, required=False)

    def __init__(self, company: Company, *args, branches: int = 0, **kwargs):
        super().__init__(company, *args, **kwargs)
        self.fields["place"].choices = place_choices(branches)
        self.fields["users"].queryset = members(company)  # type: ignore[attr-defined]
        self.fields["department"].queryset = _departments(company)  # type: ignore[attr-defined]
        self.fields["role"].choices = [("", "---------")] + list(
            Role.objects.filter(company=company).order_by("name").values_list("code", "name")
        )


def place_choices(branches: int) -> list[tuple[str, Any]]:
    return (
        [("before", _("Every request (before the split)"))]
        + [(f"b{i}", _("Branch %(n)d") % {"n": i}) for i in range(1, branches + 1)]
        + [("default", _("Default branch")), ("after", _("Every request (after the split)"))]
    )


BRANCHES_MAX = 50


class BranchRowForm(CompanyForm):
    branch = forms.IntegerField(label=_("Branch"), min_value=1, max_value=BRANCHES_MAX, required=False)
    name = forms.CharField(label=_("Name"), max_length=100, required=False)
    field = forms.CharField(
        label=_("Field"),
        max_length=40,
        help_text=_("A form field's key, or submitter.department."),
    )
    op = forms.ChoiceField(label=_("Comparison"), choices=[(o, OPERATOR_LABELS[o]) for o in OPERATORS])
    value = forms.CharField(label=_("Value"), max_length=200, required=False)
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.none(), required=False
    )

    def __init__(self, company: Company, *args, **kwargs):
        super().__init__(company, *args, **kwargs)
        self.fields["department"].queryset = _departments(company)  # type: ignore[attr-defined]


class FlowJsonForm(forms.Form):
    form = forms.CharField(
        label=_("Form (JSON)"), widget=forms.Textarea(attrs={"rows": 12, "class": "is-family-monospace"})
    )
    flow = forms.CharField(
        label=_("Flow (JSON)"), widget=forms.Textarea(attrs={"rows": 20, "class": "is-family-monospace"})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def _json(self, name: str, kind: type) -> Any:
        try:
            value = json.loads(self.cleaned_data[name])
        except ValueError as exc:
            raise forms.ValidationError(_("Not valid JSON: %(error)s") % {"error": exc})
        if not isinstance(value, kind):
            raise forms.ValidationError(_("Expected a list.") if kind is list else _("Expected an object."))
        return value

    def clean_form(self) -> Any:
        return self._json("form", list)

    def clean_flow(self) -> Any:
        return self._json("flow", dict)
