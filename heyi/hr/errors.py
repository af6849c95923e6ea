"""HR's domain errors, each with a stable code."""

from django.utils.translation import gettext_lazy as _

from heyi.platform.errors import DomainError


class InsufficientLeaveBalance(DomainError):
    code = "insufficient_leave_balance"
    status = 422
    default_message = _("Not enough days of this leave are left for this year.")


class LeaveOverlap(DomainError):
    code = "leave_overlap"
    status = 422
    default_message = _(
        "This leave overlaps another leave of the same employee that is in approval or approved."
    )


class NoWorkingDays(DomainError):
    code = "no_working_days"
    status = 422
    default_message = _("The leave covers no working day.")


class LeaveSpansYears(DomainError):
    code = "leave_spans_years"
    status = 422
    default_message = _("A leave cannot run into the next year; file one request for each year.")


class LeaveStarted(DomainError):
    code = "leave_started"
    status = 422
    default_message = _("This leave has already started and can no longer be cancelled.")


class NoEmployeeRecord(DomainError):
    code = "no_employee_record"
    status = 422
    default_message = _("You have no employee record in this company; ask HR to create one.")


class LeaveTypeInactive(DomainError):
    code = "leave_type_inactive"
    status = 422
    default_message = _("This kind of leave is no longer offered.")
