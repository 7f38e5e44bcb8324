"""The chair's console for activities: types, activities with their questions and audience, publishing and
cancelling, the registrations of each activity (page, .xlsx export, sign-in sheet PDF), and the read-only
registration history.

Publishing and cancelling go through ``activities.registration`` (the same rules, audit and notifications as
everywhere else). Mobile numbers are masked for anyone without ``members.view_sensitive_member``. The list's
counts (seats, waitlist, check-ins, attendance) are subqueries: one query for the page, however many
registrations there are.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import FileResponse, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext, pgettext_lazy

from core.admin import ReadOnlyInline, ReadOnlyModelAdmin
from core.admin_actions import confirm_action, confirm_each
from core.language import site_language
from core.models import Job
from core.money import MoneyAdminMixin
from core.pdf import PDF_MIMETYPE

from . import (
    access,
    admin_plans,  # noqa: F401  (work plans and interest groups)
    exports,
)
from .attendance import activity_attendance, attendance_of, rate_display, with_attendance, year_bounds
from .models import (
    Activity,
    ActivityType,
    DisplayStatus,
    Registration,
    RegistrationEvent,
    RegistrationQuestion,
)
from .registration import activity_cancel, activity_publish, seats_taken, waitlist_fill

# --- filters -----------------------------------------------------------------------------------------------------

class YearFilter(admin.SimpleListFilter):
    title = gettext_lazy("year")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = sorted({moment.year for moment in Activity.objects.datetimes("starts_at", "year")}, reverse=True)
        return [(str(year), str(year)) for year in years]

    def queryset(self, request, queryset):
        if not (self.value() or "").isdigit():
            return queryset
        start, end = year_bounds(int(self.value()))
        return queryset.filter(starts_at__gte=start, starts_at__lt=end)


class StateFilter(admin.ChoicesFieldListFilter):
    """The stored state (draft, published, cancelled), titled apart from the status people see."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = pgettext("activity filter", "publication state")


class DisplayStatusFilter(admin.SimpleListFilter):
    """The status people see (报名中, 报名截止 …), computed from the state and the dates at this moment."""

    title = pgettext_lazy("activity filter", "registration status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return DisplayStatus.choices

    def queryset(self, request, queryset):
        now = timezone.now()
        published = Q(state=Activity.State.PUBLISHED)
        conditions = {
            DisplayStatus.DRAFT: Q(state=Activity.State.DRAFT),
            DisplayStatus.CANCELLED: Q(state=Activity.State.CANCELLED),
            DisplayStatus.NOT_YET_OPEN: published & Q(registration_opens_at__gt=now, starts_at__gt=now,
                                                      registration_closes_at__gt=now),
            DisplayStatus.OPEN: published & Q(registration_opens_at__lte=now, registration_closes_at__gt=now,
                                              starts_at__gt=now),
            DisplayStatus.CLOSED: published & Q(registration_closes_at__lte=now, starts_at__gt=now),
            DisplayStatus.RUNNING: published & Q(starts_at__lte=now, ends_at__gt=now),
            DisplayStatus.FINISHED: published & Q(ends_at__lte=now),
        }
        condition = conditions.get(self.value())
        return queryset if condition is None else queryset.filter(condition)


# --- activity types ------------------------------------------------------------------------------------------------

@admin.register(ActivityType)
class ActivityTypeAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "sort_order", "activity_count")
    list_editable = ("sort_order",)
    search_fields = ("name", "code")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(activity_total=Count("activities"))

    @admin.display(description=pgettext_lazy("count", "activities"), ordering="activity_total")
    def activity_count(self, obj):
        return obj.activity_total

    def has_delete_permission(self, request, obj=None):
        # A type in use stays (activities keep their type); an unused one may go.
        if obj is not None and obj.activities.exists():
            return False
        return super().has_delete_permission(request, obj)


# --- activities ----------------------------------------------------------------------------------------------------

class RegistrationQuestionInline(admin.TabularInline):
    model = RegistrationQuestion
    extra = 0
    fields = ("sort_order", "label", "kind", "choices", "required", "counts_family", "max_number")
    formfield_overrides = {}
    verbose_name_plural = gettext_lazy("questions for registrants (e.g. family members coming, T-shirt size, "
                                       "dietary needs)")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form.base_fields["choices"].widget = forms.Textarea(attrs={"rows": 2, "cols": 24})
        return formset


class ActivityAdminForm(forms.ModelForm):
    class Meta:
        model = Activity
        fields = "__all__"
        widgets = {"description": forms.Textarea(attrs={"rows": 5, "cols": 80})}

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        opens, closes = cleaned.get("registration_opens_at"), cleaned.get("registration_closes_at")
        if starts and ends and ends < starts:
            self.add_error("ends_at", _("The activity must end after it starts."))
        if opens and closes and closes < opens:
            self.add_error("registration_closes_at", _("Registration must close after it opens."))
        deadline = cleaned.get("cancellation_deadline")
        if deadline and starts and deadline > starts:
            self.add_error("cancellation_deadline", _("Cancelling must end before the activity starts."))
        capacity = cleaned.get("capacity")
        if capacity is not None and self.instance.pk:
            taken = seats_taken(self.instance)
            if capacity < taken:
                self.add_error("capacity", _("%(taken)d seats are already taken; the activity cannot have fewer "
                                             "seats. Cancel registrations first.") % {"taken": taken})
        return cleaned


@admin.register(Activity)
class ActivityAdmin(MoneyAdminMixin, admin.ModelAdmin):
    money_fields = ("budget",)
    form = ActivityAdminForm
    list_display = ("title", "activity_type", "starts_at", "status_display", "seats_display", "waitlist_display",
                    "checked_in_display", "attendance_display")
    list_display_links = ("title",)
    list_filter = ("activity_type", ("state", StateFilter), DisplayStatusFilter, YearFilter)
    search_fields = ("title", "place", "organiser__name", "organiser__name_initials")
    list_select_related = ("activity_type",)
    list_per_page = 50
    autocomplete_fields = ("organiser",)
    filter_horizontal = ("union_groups", "departments")
    readonly_fields = ("state", "cancelled_reason", "created_by", "created_at", "updated_at")
    inlines = [RegistrationQuestionInline]
    actions = ["publish_selected"]
    change_form_template = "admin/activities/activity/change_form.html"
    fieldsets = [
        (None, {"fields": ["title", "activity_type", "description", "place", "organiser", "budget"]}),
        (gettext_lazy("Dates"), {"fields": ["starts_at", "ends_at", "registration_opens_at", "registration_closes_at",
                                            "cancellation_deadline"]}),
        (gettext_lazy("Seats"), {"fields": ["capacity", "family_takes_seats"]}),
        (gettext_lazy("Who may take part"), {
            "fields": ["audience", "union_groups", "departments", "retirees_included"],
            "description": gettext_lazy("For “chosen groups or departments”, a member of any chosen group or any "
                                        "chosen department may take part.")}),
        (gettext_lazy("State"), {"fields": ["state", "cancelled_reason", "created_by", "created_at", "updated_at"],
                                 "description": gettext_lazy("Use the buttons “Publish” and “Cancel activity” "
                                                             "above to change the state.")}),
    ]

    def get_queryset(self, request):
        return with_attendance(super().get_queryset(request))

    # --- columns ---------------------------------------------------------------------------------------------------
    @admin.display(description=gettext_lazy("status"))
    def status_display(self, obj):
        return obj.get_display_status_display()

    @admin.display(description=gettext_lazy("seats taken"), ordering="att_seats_taken")
    def seats_display(self, obj):
        return f"{obj.att_seats_taken} / {obj.capacity if obj.capacity is not None else '∞'}"

    @admin.display(description=gettext_lazy("waitlist"), ordering="att_waitlisted")
    def waitlist_display(self, obj):
        return obj.att_waitlisted

    @admin.display(description=gettext_lazy("checked in"), ordering="att_checked_in")
    def checked_in_display(self, obj):
        return obj.att_checked_in

    @admin.display(description=gettext_lazy("attendance rate"))
    def attendance_display(self, obj):
        # Before the start a rate would only say "nobody has come yet".
        if obj.state != Activity.State.PUBLISHED or obj.starts_at > timezone.now():
            return "—"
        return rate_display(attendance_of(obj).rate)

    # --- permissions -----------------------------------------------------------------------------------------------
    def has_change_permission(self, request, obj=None):
        # A cancelled activity is a closed record: it can be looked at, no longer changed.
        if obj is not None and obj.state == Activity.State.CANCELLED:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        # Only a draft may be deleted (registrations keep published activities anyway: PROTECT).
        if obj is not None and obj.state != Activity.State.DRAFT:
            return False
        return super().has_delete_permission(request, obj)

    # --- saving ----------------------------------------------------------------------------------------------------
    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        grew = change and "capacity" in form.changed_data and (
            obj.capacity is None or obj.capacity > (form.initial.get("capacity") or 0))
        if change and "capacity" in form.changed_data and obj.capacity is not None and not grew:
            # Fewer seats: re-check under the activity lock registrations take (the admin's change view runs in
            # a transaction), so a registration committed since the form was checked cannot overflow the seats.
            Activity.objects.select_for_update(of=("self",)).filter(pk=obj.pk).first()
            taken = seats_taken(obj)
            if obj.capacity < taken:
                obj.capacity = taken
                self.message_user(request, _("%(taken)d seats were taken meanwhile; the seats are set to %(taken)d.")
                                  % {"taken": taken}, messages.WARNING)
        super().save_model(request, obj, form, change)
        if grew and obj.state == Activity.State.PUBLISHED:
            # More seats: the first people waiting get them now, as if someone had cancelled.
            with site_language():
                reason = _("Seats added")
            promoted = waitlist_fill(activity=obj, actor=request.user, reason=reason)
            if promoted:
                count = len(promoted)
                self.message_user(request, ngettext("%(count)d person moved from the waitlist to a seat.",
                                                   "%(count)d people moved from the waitlist to a seat.", count)
                                  % {"count": count}, messages.SUCCESS)

    # --- publish and cancel ----------------------------------------------------------------------------------------
    @admin.action(description=gettext_lazy("Publish the selected drafts"), permissions=["change"])
    def publish_selected(self, request, queryset):
        return confirm_each(
            self, request, queryset.order_by("starts_at", "pk"), title=_("Publish activities"),
            heading=_("Activities to publish"),
            question=lambda count: ngettext(
                "%(count)d activity will be published: members it is open to see it and may register.",
                "%(count)d activities will be published: members they are open to see them and may register.",
                count) % {"count": count},
            skip=lambda activity: (None if activity.state == Activity.State.DRAFT
                                   else _("not a draft (%(state)s)") % {"state": activity.get_state_display()}),
            service=lambda activity, data: activity_publish(activity=activity, actor=request.user),
            success=lambda count: ngettext("%(count)d activity published.", "%(count)d activities published.",
                                           count) % {"count": count},
            once="activities.publish_selected")

    def get_urls(self):
        def wrap(view):
            return self.admin_site.admin_view(view)

        return [
            path("<int:pk>/publish/", wrap(self.publish_view), name="activities_activity_publish"),
            path("<int:pk>/cancel/", wrap(self.cancel_view), name="activities_activity_cancel"),
            path("<int:pk>/registrations/", wrap(self.registrations_view), name="activities_activity_registrations"),
            path("<int:pk>/registrations/export/", wrap(self.registrations_export_view),
                 name="activities_activity_registrations_export"),
            path("<int:pk>/signin-sheet/", wrap(self.signin_sheet_view), name="activities_activity_signin_sheet"),
            path("<int:pk>/signin-sheet/<int:job_id>/", wrap(self.signin_sheet_job_view),
                 name="activities_activity_signin_sheet_job"),
            path("<int:pk>/signin-sheet/<int:job_id>/download/", wrap(self.signin_sheet_download_view),
                 name="activities_activity_signin_sheet_download"),
        ] + super().get_urls()

    def _activity(self, request, pk):
        """The activity for a staff user who may at least view activities: 404 if missing, 403 if not allowed."""
        activity = get_object_or_404(Activity.objects.select_related("activity_type", "organiser"), pk=pk)
        if not self.has_view_permission(request, activity):
            raise PermissionDenied
        return activity

    def _context(self, request, activity, title, **extra):
        return {**self.admin_site.each_context(request), "title": title, "opts": self.model._meta,
                "activity": activity, "original": activity, **extra}

    def publish_view(self, request, pk):
        activity = self._activity(request, pk)
        return confirm_action(
            self, request, obj=activity, permission=lambda request: self.has_change_permission(request, activity),
            title=_("Publish activity"), template="admin/activities/activity/publish.html",
            context={"activity": activity},
            perform=lambda data: activity_publish(activity=activity, actor=request.user), once="activities.publish",
            success=lambda result: _("“%(title)s” is published.") % {"title": activity.title},
            done_url=reverse("admin:activities_activity_change", args=[activity.pk]))

    def cancel_view(self, request, pk):
        activity = self._activity(request, pk)
        return confirm_action(
            self, request, obj=activity, permission=lambda request: self.has_change_permission(request, activity),
            title=_("Cancel activity"), template="admin/activities/activity/cancel.html",
            form_class=CancelActivityForm,
            context=lambda: {"activity": activity, "live": activity.registrations.filter(
                status__in=[Registration.Status.CONFIRMED, Registration.Status.WAITLISTED]).count()},
            perform=lambda data: activity_cancel(activity=activity, reason=data["reason"], actor=request.user),
            once="activities.cancel",
            success=lambda result: _("“%(title)s” is cancelled; the registrants have been told.")
            % {"title": activity.title},
            done_url=reverse("admin:activities_activity_change", args=[activity.pk]))

    # --- registrations, export, sign-in sheet ---------------------------------------------------------------------
    def _activity_for_registrations(self, request, pk):
        activity = self._activity(request, pk)
        if not access.can_view_registrations(request.user):
            raise PermissionDenied
        return activity

    def registrations_view(self, request, pk):
        activity = self._activity_for_registrations(request, pk)
        table = exports.registrations_table(activity, user=request.user)
        context = self._context(
            request, activity, _("Registrations: %(title)s") % {"title": activity.title}, table=table,
            attendance=activity_attendance(activity),
            signin_sync_max_rows=exports.signin_sheet_sync_max_rows(),
            may_check_in=access.can_check_in_everywhere(request.user),
        )
        return TemplateResponse(request, "admin/activities/activity/registrations.html", context)

    def registrations_export_view(self, request, pk):
        activity = self._activity_for_registrations(request, pk)
        filename, mimetype, content = exports.registrations_xlsx(activity=activity, user=request.user)
        response = HttpResponse(content, content_type=mimetype)
        response["Content-Disposition"] = content_disposition_header(True, filename)
        return response

    def signin_sheet_view(self, request, pk):
        """Small lists: the PDF right away (GET). Large ones: a page with a button (POST) that starts a job."""
        activity = self._activity_for_registrations(request, pk)
        rows = exports.signin_sheet_row_count(activity)
        large = rows > exports.signin_sheet_sync_max_rows()
        if request.method == "POST":
            if not access.can_start_signin_sheet(request.user):
                raise PermissionDenied
            job = exports.signin_sheet_job_start(activity=activity, actor=request.user)
            return HttpResponseRedirect(reverse("admin:activities_activity_signin_sheet_job",
                                                args=[activity.pk, job.pk]))
        if not large:
            filename, mimetype, data = exports.signin_sheet_pdf(activity)
            response = HttpResponse(data, content_type=mimetype)
            response["Content-Disposition"] = content_disposition_header(True, filename)
            return response
        context = self._context(request, activity, _("Sign-in sheet: %(title)s") % {"title": activity.title},
                                rows=rows, may_start=access.can_start_signin_sheet(request.user))
        return TemplateResponse(request, "admin/activities/activity/signin_sheet.html", context)

    def signin_sheet_job_view(self, request, pk, job_id):
        activity = self._activity_for_registrations(request, pk)
        job = access.signin_sheet_job_for_user(user=request.user, activity=activity, job_id=job_id)
        context = self._context(request, activity, _("Sign-in sheet: %(title)s") % {"title": activity.title},
                                job=job, status_url=reverse("core:job_status", args=[job.pk]))
        return TemplateResponse(request, "admin/activities/activity/signin_sheet_job.html", context)

    def signin_sheet_download_view(self, request, pk, job_id):
        activity = self._activity_for_registrations(request, pk)
        job = access.signin_sheet_job_for_user(user=request.user, activity=activity, job_id=job_id)
        if job.status != Job.Status.DONE or not job.output_file:
            return self._back_to_job(activity, job)
        return FileResponse(job.output_file.open("rb"), as_attachment=True,
                            filename=job.result.get("filename") or "signin-sheet.pdf",
                            content_type=PDF_MIMETYPE)

    def _back_to_job(self, activity, job):
        return HttpResponseRedirect(reverse("admin:activities_activity_signin_sheet_job", args=[activity.pk, job.pk]))


class CancelActivityForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason for cancelling"), max_length=500,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=gettext_lazy("Every registrant (seats and waitlist) is told, with this reason."))


# --- registrations: read-only history ----------------------------------------------------------------------------

class RegistrationEventInline(ReadOnlyInline):
    model = RegistrationEvent
    fields = ("at", "kind", "reason", "actor", "actor_label")
    ordering = ("at", "id")
    verbose_name_plural = gettext_lazy("history of this registration")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")


@admin.register(Registration)
class RegistrationAdmin(ReadOnlyModelAdmin):
    """Read-only: registrations change only through the services (register, cancel, waitlist, check-in)."""

    list_display = ("member", "activity", "status", "seats", "walk_in", "queued_at", "checked_in_at")
    list_filter = ("status", "walk_in", "activity__activity_type")
    search_fields = ("member__name", "member__name_initials", "activity__title")
    list_select_related = ("member", "activity")
    list_per_page = 50
    fields = ("activity", "member", "status", "seats", "answers_display", "walk_in", "queued_at", "checked_in_at",
              "checked_in_by", "updated_at")
    readonly_fields = fields
    inlines = [RegistrationEventInline]

    @admin.display(description=gettext_lazy("answers"))
    def answers_display(self, obj):
        questions = list(obj.activity.questions.order_by("sort_order", "pk"))
        lines = [f"{question.label}: {exports.answer_text(obj, question) or '—'}" for question in questions]
        return "; ".join(lines) or "—"
