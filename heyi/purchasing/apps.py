from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PurchasingConfig(AppConfig):
    name = "heyi.purchasing"
    label = "purchasing"
    verbose_name = _("Purchasing")

    def ready(self) -> None:
        from . import approval, events, permissions, records  # noqa: F401  (approvable documents, event types, role grants, registrations)

        events.subscribe_handlers()
