"""The platform's own record types, navigation entries and imports."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .errors import ValidationFailed
from .imports import ImportColumn, ImportSpec, register_import
from .models import Company, Department, Employee, User
from .permissions import MANAGE_PEOPLE, VIEW_PEOPLE
from .registry import RecordType, register_record_type

register_record_type(
    RecordType(
        key="platform.department",
        model=Department,
        label=_("Department"),
        view_permission=VIEW_PEOPLE,
        search_fields=("name", "code", "mnemonic"),
        detail_url_name="platform:department_detail",
    )
)
register_record_type(
    RecordType(
        key="platform.employee",
        model=Employee,
        label=_("Employee"),
        view_permission=VIEW_PEOPLE,
        search_fields=("name", "number", "mnemonic", "phone", "email"),
        detail_url_name="platform:employee_detail",
        subtitle=lambda e: e.position,
    )
)


def _employee_row(user: User, company: Company, row: dict[str, str]) -> Employee:
    from .services.tenancy import employee_create

    department = None
    if row["department"]:
        department = (
            Department.objects.filter(company=company)
            .filter(Q(name=row["department"]) | Q(code=row["department"]))
            .order_by("pk")
            .first()
        )
        if department is None:
            raise ValidationFailed(fields={"department": [str(_("No department has this name or code."))]})
    return employee_create(
        actor=user,
        company=company,
        number=row["number"],
        name=row["name"],
        department=department,
        position=row["position"],
        email=row["email"],
        phone=row["phone"],
    )


register_import(
    ImportSpec(
        key="platform.employee",
        label=_("Employees"),
        permission=MANAGE_PEOPLE,
        columns=(
            ImportColumn("number", _("Employee number"), help=_("Leave empty to number automatically.")),
            ImportColumn("name", _("Name"), required=True),
            ImportColumn(
                "department", _("Department"), help=_("The name or code of an existing department.")
            ),
            ImportColumn("position", _("Position")),
            ImportColumn("email", _("E-mail")),
            ImportColumn("phone", _("Phone")),
        ),
        create_row=_employee_row,
    )
)
