from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InventoryConfig(AppConfig):
    name = "heyi.inventory"
    label = "inventory"
    verbose_name = _("Inventory")

    def ready(self) -> None:
        from . import permissions, records  # noqa: F401  (permissions, record type, navigation, import)
