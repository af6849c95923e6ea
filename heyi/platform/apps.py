from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlatformConfig(AppConfig):
    name = "heyi.platform"
    label = "platform"
    verbose_name = _("Platform")

    def ready(self) -> None:
        from . import handlers, jobs, nav, records  # noqa: F401  (handlers, job kinds, navigation, record types)
        from .services import imports  # noqa: F401  (the import engine's job kinds)
        from .services.webhooks import webhook_deliveries_plan  # noqa: F401  (the outbox handler of webhooks)
