from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WelfareConfig(AppConfig):
    name = "welfare"
    verbose_name = _("Welfare and aid")

    def ready(self):
        from . import reminders  # noqa: F401 — registers the reminder collectors (core.reminders)
        from . import reminders_care  # noqa: F401 — and those that read the care and hardship records
