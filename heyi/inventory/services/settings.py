"""The company's inventory settings."""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from heyi.platform import modules
from heyi.platform.access import require_module, require_perm
from heyi.platform.errors import ValidationFailed
from heyi.platform.models import Company, User
from heyi.platform.services.records import record_create, record_update

from ..models import InventorySettings, StockBalance
from ..permissions import MANAGE_SETTINGS

SETTINGS_FIELDS = {"allow_negative_stock"}


def inventory_settings_update(*, actor: User, company: Company, data: dict[str, Any]) -> InventorySettings:
    """Change the settings; refusing negative stock again needs every balance at zero or more."""
    require_module(company, modules.ERP)
    require_perm(actor, company, MANAGE_SETTINGS)
    data = {k: v for k, v in data.items() if k in SETTINGS_FIELDS}
    with transaction.atomic():
        settings = InventorySettings.objects.select_for_update().filter(company=company).first()
        if settings is None:
            settings = record_create(actor=actor, company=company, obj=InventorySettings())
            settings = InventorySettings.objects.select_for_update().get(pk=settings.pk)
        if (
            data.get("allow_negative_stock") is False
            and settings.allow_negative_stock
            and StockBalance.objects.filter(company=company, on_hand__lt=0).exists()
        ):
            raise ValidationFailed(
                fields={
                    "allow_negative_stock": [
                        str(_("Some stock is below zero; bring it back to zero or more first."))
                    ]
                }
            )
        record_update(actor=actor, company=company, obj=settings, data=data, version=None)
    return settings
