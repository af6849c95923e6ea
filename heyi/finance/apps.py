from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinanceConfig(AppConfig):
    name = "heyi.finance"
    label = "finance"
    verbose_name = _("Finance")

    def ready(self) -> None:
        from . import approval, events, permissions, postings, records  # noqa: F401  (approvable documents, events, grants, stock postings, records)
        from .views import documents, ledger, payments, reports  # noqa: F401  (each area registers its navigation)
