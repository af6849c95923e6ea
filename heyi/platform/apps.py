from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlatformConfig(AppConfig):
    name = "heyi.platform"
    label = "platform"
    verbose_name = _("Platform")

    def ready(self) -> None:
        from . import handlers, jobs, records  # noqa: F401  (event handlers, job kinds, record types)
