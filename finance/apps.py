from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinanceConfig(AppConfig):
    name = "finance"
    verbose_name = _("Finance")

    def ready(self):
        from .reports import sources

        sources.register()  # the dues collection (and budget execution) reports print rows from these sources
