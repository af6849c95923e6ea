from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "heyi.partners"
    label = "partners"
    verbose_name = _("Business partners")

    def ready(self) -> None:
        from . import events, permissions, records  # noqa: F401  (event types, role grants, registrations)
