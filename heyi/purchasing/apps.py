from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PurchasingConfig(AppConfig):
    name = "heyi.purchasing"
    label = "purchasing"
    verbose_name = _("Purchasing")

    def ready(self) -> None:
        from . import (  # noqa: F401  (approvable documents, approval outcomes, event types, role grants, registrations)
            approval,
            asset_requests,
            events,
            permissions,
            records,
        )

        events.subscribe_handlers()
