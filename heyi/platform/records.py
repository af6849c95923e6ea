"""The platform's own record types, navigation entries and imports."""

from django.utils.translation import gettext_lazy as _

from .models import Department, Employee
from .permissions import VIEW_PEOPLE
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
