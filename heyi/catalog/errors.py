from django.utils.translation import gettext_lazy as _

from heyi.platform.errors import DomainError


class UnitNotConvertible(DomainError):
    code = "unit_not_convertible"
    status = 422
    default_message = _("These units cannot be converted into each other.")
