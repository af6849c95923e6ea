"""Domain errors: a stable code, an HTTP status, a message in the user's language.

Every app's errors derive from `DomainError`; the API and the web UI render them the same
way, and raising one inside a service rolls the whole action back.
"""

from typing import Any

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    code = "domain_error"
    status = 422
    default_message: Any = _("The request breaks a business rule.")

    def __init__(self, message: Any = None, *, fields: dict[str, list[str]] | None = None, **extra: Any):
        self.message = message if message is not None else self.default_message
        self.fields = fields or {}
        self.extra = extra
        super().__init__(str(self.message))


class ValidationFailed(DomainError):
    code = "validation_error"
    status = 400
    default_message = _("Some fields are not valid.")


def refuse(field: str, message: Any) -> ValidationFailed:
    """A bad value of one field, answered as the API and the forms show field errors."""
    return ValidationFailed(fields={field: [str(message)]})


class NotFound(DomainError):
    code = "not_found"
    status = 404
    default_message = _("Not found.")


class NotPermitted(DomainError):
    code = "not_permitted"
    status = 403
    default_message = _("You are not permitted to do this.")


class ModuleDisabled(DomainError):
    code = "module_disabled"
    status = 403
    default_message = _("This module is not switched on for your company.")


class NotAMember(DomainError):
    code = "not_a_member"
    status = 403
    default_message = _("You do not belong to that company.")


class InvalidTransition(DomainError):
    code = "invalid_transition"
    status = 409
    default_message = _("The document cannot move to that state from its current state.")


class StaleVersion(DomainError):
    code = "stale_version"
    status = 409
    default_message = _("Someone else changed this record; reload it and try again.")


class Conflict(DomainError):
    code = "conflict"
    status = 409
    default_message = _("The request conflicts with the current state.")


class DuplicateValue(DomainError):
    code = "duplicate"
    status = 409
    default_message = _("A record with this value already exists.")


class QuotaExceeded(DomainError):
    code = "quota_exceeded"
    status = 413
    default_message = _("The storage quota is used up.")


class FileTooLarge(DomainError):
    code = "file_too_large"
    status = 413
    default_message = _("The file is too large.")


class Busy(DomainError):
    code = "busy"
    status = 503
    default_message = _("The system is busy; please try again in a moment.")
