from auditlog.admin import LogEntryAdmin as AuditlogLogEntryAdmin
from auditlog.filters import CIDFilter, ResourceTypeFilter
from auditlog.models import LogEntry
from django.contrib import admin, messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from . import reminder_engine
from .audit import CONFIDENTIAL_ENTRIES
from .audit_display import changes_html, field_label
from .idempotency import AlreadySubmitted, submit_once
from .models import Job, ReminderDelivery, ReminderDispatch, ReminderRun, ReminderSettings, WorkChatWebhook


class ReadOnlyInline(admin.TabularInline):
    """A history or list shown under its parent that nobody edits there (events, memberships, plans)."""

    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ReadOnlyModelAdmin(admin.ModelAdmin):
    """Records written only by services (histories, registrations): viewable, never added, edited or deleted."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Job)
class JobAdmin(ReadOnlyModelAdmin):
    list_display = ("kind", "status", "progress_done", "progress_total", "created_by", "created_at", "finished_at")
    list_filter = ("kind", "status")
    readonly_fields = fields = [f.name for f in Job._meta.fields if f.name not in ("id", "input_file", "output_file")] + [
        "input_name", "output_name"]

    # The files are named, not linked: they are handed out only by the job's own permission-checked view.
    @admin.display(description=gettext_lazy("input file"))
    def input_name(self, obj):
        return obj.input_file.name or "—"

    @admin.display(description=gettext_lazy("output file"))
    def output_name(self, obj):
        return obj.output_file.name or "—"

    def has_delete_permission(self, request, obj=None):
        return admin.ModelAdmin.has_delete_permission(self, request, obj)  # old jobs may be cleared


# --- Daily reminders: run log, ledger (read-only), settings and work-chat robots (the chair) ----------------------


class ReminderDispatchInline(ReadOnlyInline):
    model = ReminderDispatch
    fields = ("channel", "status", "attempts", "last_error", "claimed_at", "delivered_at")


@admin.register(ReminderDelivery)
class ReminderDeliveryAdmin(ReadOnlyModelAdmin):
    list_display = ("title", "recipient", "kind", "remind_on", "due_on", "created_at")
    list_filter = ("kind", "remind_on")
    search_fields = ("key", "title", "recipient__username")
    date_hierarchy = "created_at"
    list_select_related = ("recipient",)
    readonly_fields = ("recipient", "key", "kind", "title", "body", "url", "remind_on", "due_on", "run", "created_at")
    inlines = [ReminderDispatchInline]


@admin.register(ReminderDispatch)
class ReminderDispatchAdmin(ReadOnlyModelAdmin):
    """Per channel: what went, what failed and why (failed rows are retried by the job on their own)."""

    list_display = ("delivery", "channel", "status", "attempts", "last_error", "delivered_at")
    list_filter = ("status", "channel")
    search_fields = ("delivery__key", "delivery__recipient__username")
    list_select_related = ("delivery",)
    readonly_fields = ("delivery", "channel", "status", "attempts", "last_error", "claimed_at", "delivered_at")


@admin.register(ReminderRun)
class ReminderRunAdmin(ReadOnlyModelAdmin):
    list_display = ("started_at", "since", "today", "status", "collected", "claimed", "delivered", "failed")
    list_filter = ("status",)
    readonly_fields = ("since", "today", "status", "collected", "claimed", "delivered", "failed", "message",
                       "started_at", "finished_at")

    def get_urls(self):
        return [path("run-now/", self.admin_site.admin_view(self.run_now_view), name="core_reminderrun_run_now")
                ] + super().get_urls()

    def run_now_view(self, request):
        """Queue the daily job now, after a confirmation (it is safe to run twice: the ledger keeps it once)."""
        if not request.user.has_perm("core.run_reminders"):
            raise PermissionDenied
        changelist = reverse("admin:core_reminderrun_changelist")
        if request.method == "POST":
            try:
                submit_once(request, scope="core.reminders_run_now", url=changelist,
                            perform=lambda: transaction.on_commit(reminder_engine.send_reminders.delay))
            except AlreadySubmitted as first:
                self.message_user(request, first.message, messages.INFO)
                return HttpResponseRedirect(first.url or changelist)
            except ValidationError as refusal:
                self.message_user(request, " ".join(refusal.messages), messages.ERROR)
                return HttpResponseRedirect(request.path)
            self.message_user(request, _("The reminder job has been queued; its run appears here when it starts."),
                              messages.SUCCESS)
            return HttpResponseRedirect(changelist)
        context = {**self.admin_site.each_context(request), "title": _("Run the reminders now"),
                   "opts": self.model._meta}
        return TemplateResponse(request, "admin/core/reminderrun/run_now.html", context)


@admin.register(ReminderSettings)
class ReminderSettingsAdmin(admin.ModelAdmin):
    list_display = ("__str__", "birthday_days_ahead", "retirement_days_ahead", "school_aid_opens_month",
                    "school_aid_opens_day")

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not ReminderSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(WorkChatWebhook)
class WorkChatWebhookAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "enabled")
    list_filter = ("kind", "enabled")
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


class NamedResourceTypeFilter(ResourceTypeFilter):
    """auditlog lists the model's internal name (department, member); people read its verbose name (处室, 会员)."""

    def lookups(self, request, model_admin):
        ids = model_admin.get_queryset(request).values_list("content_type_id", flat=True).distinct()
        types = [ContentType.objects.get_for_id(pk) for pk in ids]  # cached by the manager
        return sorted(((ct.pk, str(ct)) for ct in types), key=lambda pair: pair[1])


class LogEntryAdmin(AuditlogLogEntryAdmin):
    """auditlog's read-only log, less the entries of confidential records (hardship cases) for those who do not
    handle them: the auditor reads the log, and an entry alone would say that a member has a case."""

    def get_queryset(self, request):
        # The actor is shown by name (their member record) and each entry's fields by their model's names.
        queryset = super().get_queryset(request).select_related("actor__member", "content_type")
        hidden = [model for model, permission in CONFIDENTIAL_ENTRIES.items() if not request.user.has_perm(permission)]
        if hidden:
            types = ContentType.objects.get_for_models(*hidden, for_concrete_models=False).values()
            queryset = queryset.exclude(content_type__in=[content_type.pk for content_type in types])
        return queryset

    @admin.display(description=gettext_lazy("Changes"))
    def msg_short(self, obj):
        """auditlog's "5 changes: a, b" is English only; the count and the fields' own (translated) names."""
        if obj.action in [LogEntry.Action.DELETE, LogEntry.Action.ACCESS]:
            return ""
        changes = obj.changes_dict
        model = obj.content_type.model_class()
        fields = "、".join(field_label(model, name) for name in changes)
        if len(fields) > 60:
            fields = fields[:60] + "…"
        return ngettext("%(count)d change: %(fields)s", "%(count)d changes: %(fields)s", len(changes)) % {
            "count": len(changes), "fields": fields}

    list_filter = ["action", NamedResourceTypeFilter, CIDFilter]

    @admin.display(description=gettext_lazy("Changes"))
    def msg(self, obj):
        return changes_html(obj)

    @admin.display(description=gettext_lazy("User"))
    def user_url(self, obj):
        # auditlog prints "system" (English) for an entry without an actor (a background job, a migration).
        return super().user_url(obj) if obj.actor_id else _("system")

    @admin.display(description=gettext_lazy("Correlation ID"))
    def cid_url(self, obj):
        return super().cid_url(obj)


admin.site.unregister(LogEntry)
admin.site.register(LogEntry, LogEntryAdmin)

from . import admin_beat  # noqa: E402,F401 — re-registers django_celery_beat's admin (registered before core's)
