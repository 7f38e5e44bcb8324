from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Portal")

    def ready(self):
        # audit guards the log (each app registers its own models in its ready()); the others define tasks.
        from . import audit, reminder_engine, services  # noqa: F401

        audit.register_core_models()

        from . import home_cards

        home_cards.register()  # the member home's notifications card and the 首页 / 通知 tabs
