"""The company's purchasing settings."""

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from heyi.platform.models import Company, User
from heyi.platform.services.records import record_update

from ..models import PurchasingSettings
from ..permissions import CONFIRM_ORDER
from ._common import check, not_negative, refuse
from .requisitions import _settings_locked


def purchasing_settings_update(
    *, actor: User, company: Company, over_receipt_tolerance: Decimal, version: int | None
) -> PurchasingSettings:
    check(actor, company, CONFIRM_ORDER)
    tolerance = not_negative("over_receipt_tolerance", over_receipt_tolerance, 2)
    if tolerance > 100:
        raise refuse("over_receipt_tolerance", _("Between 0 and 100 percent."))
    with transaction.atomic():
        settings = _settings_locked(company)
        record_update(
            actor=actor,
            company=company,
            obj=settings,
            data={"over_receipt_tolerance": tolerance},
            version=version,
        )
    return settings
