from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Portal")

    def ready(self):
        # audit guards the log (each app registers its own models in its ready()); the others define tasks.
        from . import audit, backup, reminder_engine, services  # noqa: F401

        audit.register_core_models()
        # The workbench's own task: reminders that could not be delivered (the job retries them; someone should
        # look at a channel that keeps failing).
        from django.urls import reverse
        from django.utils.translation import gettext_lazy

        from .models import ReminderDispatch
        from .workbench import register_task

        register_task(key="core.reminders_failed", label=gettext_lazy("Reminders that failed"), order=90,
                      permission="core.view_reminderdispatch",
                      count=lambda *, today: ReminderDispatch.objects.filter(
                          status=ReminderDispatch.Status.FAILED).count(),
                      url=lambda *, today: reverse("admin:core_reminderdispatch_changelist") + "?status__exact=failed")

        from . import home_cards

        home_cards.register()  # the member home's notifications card and the 首页 / 通知 tabs
