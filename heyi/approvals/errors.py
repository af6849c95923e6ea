"""The approval engine's domain errors, each with a stable code."""

from django.utils.translation import gettext_lazy as _

from heyi.platform.errors import DomainError


class InvalidDesign(DomainError):
    code = "invalid_template"
    status = 422
    default_message = _("The template cannot be run as designed.")


class InvalidValues(DomainError):
    code = "invalid_form_values"
    status = 400
    default_message = _("Some form values are not valid.")


class NoTemplate(DomainError):
    code = "no_template"
    status = 422
    default_message = _("No active approval template applies to this document.")


class NoApprover(DomainError):
    code = "no_approver"
    status = 422
    default_message = _(
        "A step of this flow has nobody to approve it; ask an administrator to fix the template."
    )


class NotYourTask(DomainError):
    code = "not_your_task"
    status = 403
    default_message = _("This task is not assigned to you.")


class TaskClosed(DomainError):
    code = "task_closed"
    status = 409
    default_message = _("This task has already been decided or is no longer needed.")


class AlreadyDecided(DomainError):
    code = "already_decided"
    status = 409
    default_message = _("Someone has already decided on this request; it can no longer be withdrawn.")


class NotOpen(DomainError):
    code = "approval_closed"
    status = 409
    default_message = _("This request is no longer under approval.")


class OwnRequest(DomainError):
    code = "own_request"
    status = 403
    default_message = _("Nobody approves their own request.")


class BadTarget(DomainError):
    code = "bad_target"
    status = 422
    default_message = _("That person cannot take this task.")
