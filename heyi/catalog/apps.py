from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "heyi.catalog"
    label = "catalog"
    verbose_name = _("Products")

    def ready(self) -> None:
        from . import permissions, records  # noqa: F401  (permissions, record type, navigation, import)
