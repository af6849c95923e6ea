from django.utils.translation import gettext_lazy as _

from heyi.platform.errors import DomainError


class Unbalanced(DomainError):
    code = "unbalanced_voucher"
    status = 422
    default_message = _("Debits and credits of the voucher are not equal.")


class PeriodClosed(DomainError):
    code = "period_closed"
    status = 422
    default_message = _("The accounting period of this date is closed.")


class PostedImmutable(DomainError):
    code = "posted_immutable"
    status = 409
    default_message = _("A posted voucher cannot be changed or deleted; reverse it instead.")


class AlreadyReversed(DomainError):
    code = "already_reversed"
    status = 409
    default_message = _("This voucher has already been reversed.")


class OverAllocation(DomainError):
    code = "over_allocation"
    status = 422
    default_message = _("The amount is more than is still open.")


class NothingToInvoice(DomainError):
    code = "nothing_to_invoice"
    status = 422
    default_message = _("Everything shipped or received has already been invoiced.")


class OverInvoiced(DomainError):
    code = "over_invoiced"
    status = 422
    default_message = _("More would be invoiced than was shipped.")
