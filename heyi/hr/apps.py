from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HrConfig(AppConfig):
    name = "heyi.hr"
    label = "hr"
    verbose_name = _("Human resources")

    def ready(self) -> None:
        from . import approval, events, permissions, records  # noqa: F401  (document type, events, grants, records)
