from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SalesConfig(AppConfig):
    name = "heyi.sales"
    label = "sales"
    verbose_name = _("Sales")

    def ready(self) -> None:
        from . import events, permissions, records  # noqa: F401  (events, permissions, record types, navigation)
