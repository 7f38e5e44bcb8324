"""django_celery_beat's admin, in the language of the page: its schedules described in words (cron_descriptor in
the current language, not always English), time zones from a short list with their names translated (Beijing time
first), and its column and section titles from our catalogue (core/third_party_strings.py)."""

import zoneinfo

from cron_descriptor import (
    ExpressionDescriptor,
    FormatException,
    MissingFieldException,
    Options,
    WrongArgumentException,
)
from django.contrib import admin
from django.utils import translation
from django.utils.translation import gettext_lazy
from django_celery_beat import admin as beat_admin
from django_celery_beat.models import CrontabSchedule, PeriodicTask

#: The zones a schedule may use, Beijing time first; a stored zone not listed is shown (and kept) as it is.
ZONES = {"Asia/Shanghai": gettext_lazy("Beijing time (UTC+8)"), "UTC": gettext_lazy("Coordinated Universal Time")}


def zone_label(zone):
    return str(ZONES.get(str(zone), str(zone)))


def zone_choices(current=None):
    names = list(ZONES) + ([str(current)] if current and str(current) not in ZONES else [])
    return [(zoneinfo.ZoneInfo(name), zone_label(name)) for name in names]


def cron_expression(crontab):
    return " ".join((crontab.minute, crontab.hour, crontab.day_of_month, crontab.month_of_year,
                     crontab.day_of_week))


def describe(crontab):
    """"在 03:30（北京时间）" / "At 03:30, Beijing time (UTC+8)": the schedule as a person says it."""
    chinese = (translation.get_language() or "").startswith("zh")
    options = Options()
    options.locale_code = "zh_CN" if chinese else "en_US"
    options.use_24hour_time_format = True
    try:
        words = ExpressionDescriptor(cron_expression(crontab), options).get_description()
    except (MissingFieldException, FormatException, WrongArgumentException):
        words = cron_expression(crontab)
    return f"{words}（{zone_label(crontab.timezone)}）" if chinese else f"{words}, {zone_label(crontab.timezone)}"


class TaskTitledFilter(admin.AllValuesFieldListFilter):
    """beat's task field is named 'Task Name' in plain English (no msgid): the filter gets a translated title."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = gettext_lazy("task")


class PeriodicTaskInline(beat_admin.PeriodicTaskInline):
    fields = ("name", "task_name", "args", "kwargs")
    readonly_fields = fields

    @admin.display(description=gettext_lazy("task"))
    def task_name(self, task):
        return task.task


class CrontabScheduleAdmin(beat_admin.CrontabScheduleAdmin):
    inlines = [PeriodicTaskInline]
    list_display = ("expression", "described")
    fields = ("described", "minute", "hour", "day_of_month", "month_of_year", "day_of_week", "timezone")
    readonly_fields = ("described",)

    @admin.display(description=gettext_lazy("schedule (cron)"))
    def expression(self, crontab):
        return cron_expression(crontab)

    @admin.display(description=gettext_lazy("runs"))
    def described(self, crontab):
        return describe(crontab)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if "timezone" in form.base_fields:
            form.base_fields["timezone"].choices = zone_choices(obj.timezone if obj else None)
        return form


class PeriodicTaskAdmin(beat_admin.PeriodicTaskAdmin):
    list_display = ("name", "enabled", "schedule_described", "start_time", "last_run_at", "one_off")
    list_filter = ["enabled", "one_off", ("task", TaskTitledFilter), "start_time", "last_run_at"]

    @admin.display(description=gettext_lazy("runs"))
    def schedule_described(self, task):
        return describe(task.crontab) if task.crontab_id else str(task.schedule)

    @admin.display(description=gettext_lazy("runs"))
    def crontab_translation(self, task):
        return describe(task.crontab) if task.crontab_id else "—"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("crontab")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "crontab" and field is not None:
            field.label_from_instance = describe
        return field


for model, model_admin in ((CrontabSchedule, CrontabScheduleAdmin), (PeriodicTask, PeriodicTaskAdmin)):
    admin.site.unregister(model)
    admin.site.register(model, model_admin)
