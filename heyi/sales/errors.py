from django.utils.translation import gettext_lazy as _

from heyi.platform.errors import DomainError


class OverDelivery(DomainError):
    code = "over_delivery"
    status = 422
    default_message = _("This is more than the order still has to deliver.")


class OverReturn(DomainError):
    code = "over_return"
    status = 422
    default_message = _("This is more than was shipped and not yet returned.")


class NothingToDeliver(DomainError):
    code = "nothing_to_deliver"
    status = 422
    default_message = _("The order has nothing left to deliver.")
