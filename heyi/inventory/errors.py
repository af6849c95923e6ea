from django.utils.translation import gettext_lazy as _

from heyi.platform.errors import DomainError


class InsufficientStock(DomainError):
    """Not enough available stock; `extra` names the product, what was asked and what there is."""

    code = "insufficient_stock"
    status = 422
    default_message = _("Not enough stock is available.")


class NotReserved(DomainError):
    code = "not_reserved"
    status = 422
    default_message = _("Less is reserved for this document than it tries to use.")


class AlreadyReversed(DomainError):
    code = "already_reversed"
    status = 409
    default_message = _("This stock move has already been reversed.")
