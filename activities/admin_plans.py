"""The chair's console for the annual work plan (imported by activities/admin.py; it brings admin_interest along).

Editing a plan: the plan page holds the guiding paragraph and its sections (inline); each section's page holds its
items (inline: number, task, owner, deadline, status, linked activities). The item list (filtered by plan) is where
statuses are ticked off during the year. After the committee's approval the content fields turn read-only and any
attempt to change them is refused with the reason; statuses, linked activities and the year-end text stay editable.

Buttons on the plan page: approve (委员会通过), publish (发布), start next year's plan from this one, and the two PDFs,
which run as background jobs with a progress page and a download link.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.admin_actions import confirm_action
from core.models import Job

from . import (
    access,
    admin_interest,  # noqa: F401  (interest groups and their plans)
    attendance,
    workplan,
)
from .models import Activity, WorkPlan, WorkPlanItem, WorkPlanSection

DRAFT = WorkPlan.State.DRAFT


def _is_draft(plan):
    return plan is None or plan.pk is None or plan.state == DRAFT


# --- forms that refuse content changes of an approved plan ------------------------------------------------------

class _ContentLockForm(forms.ModelForm):
    """Refuses a new object, or a change of a content field, under a plan the committee has approved.

    Normally the admin shows those fields read-only; this catches the race (approved in another tab after the form
    was opened) and hand-made POSTs. The check locks the plan row inside the admin's transaction (see
    ``workplan_check_content_editable``)."""

    content_fields = ()

    def plans(self):
        return []

    def clean(self):
        cleaned = super().clean()
        if self.instance._state.adding or set(self.changed_data) & set(self.content_fields) or self._posted_changes():
            for plan in self.plans():
                workplan.workplan_check_content_editable(plan=plan, lock=True)
        return cleaned

    def _posted_changes(self):
        """Content fields the admin now shows read-only (the plan was approved after the page was opened) but
        that came in with the POST, changed: refused with the reason rather than silently dropped."""
        changed = []
        for name in self.content_fields:
            key = self.add_prefix(name)
            if name in self.fields or key not in self.data:
                continue
            field = self.instance._meta.get_field(name)
            current = getattr(self.instance, field.attname)
            if str(self.data.get(key)).strip() != ("" if current is None else str(current)).strip():
                changed.append(name)
        return changed


class WorkPlanForm(_ContentLockForm):
    content_fields = workplan.PLAN_CONTENT_FIELDS

    class Meta:
        model = WorkPlan
        fields = "__all__"
        widgets = {"guiding": forms.Textarea(attrs={"rows": 6, "cols": 90}),
                   "summary_text": forms.Textarea(attrs={"rows": 10, "cols": 90})}

    def plans(self):
        return [] if self.instance._state.adding else [self.instance]


class WorkPlanSectionForm(_ContentLockForm):
    content_fields = workplan.SECTION_CONTENT_FIELDS

    class Meta:
        model = WorkPlanSection
        fields = "__all__"
        widgets = {"number": forms.NumberInput(attrs={"style": "width: 4em"}),
                   "title": forms.TextInput(attrs={"size": 40})}

    def plans(self):
        found = []
        if self.instance.plan_id:
            found.append(WorkPlan(pk=self.instance.plan_id))
        if self.cleaned_data.get("plan") is not None:
            found.append(self.cleaned_data["plan"])
        return found


class WorkPlanItemForm(_ContentLockForm):
    content_fields = workplan.ITEM_CONTENT_FIELDS

    class Meta:
        model = WorkPlanItem
        fields = "__all__"
        widgets = {"number": forms.NumberInput(attrs={"style": "width: 4em"}),
                   "text": forms.Textarea(attrs={"rows": 2, "cols": 44}),
                   "owner": forms.TextInput(attrs={"size": 14}), "deadline": forms.TextInput(attrs={"size": 10})}
        # The model's help texts carry the plan's Chinese column names; here each language has its own sentence.
        help_texts = {"owner": gettext_lazy("The person or office responsible for the item."),
                      "deadline": gettext_lazy("When it is done, as the plan says it: a month, months or the whole "
                                               "year (e.g. 4月, 7–8月, 全年).")}

    def plans(self):
        section_ids = {self.instance.section_id, getattr(self.cleaned_data.get("section"), "pk", None)} - {None}
        return [WorkPlan(pk=pk) for pk in
                WorkPlanSection.objects.filter(pk__in=section_ids).values_list("plan_id", flat=True)]


class ActivityChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{timezone.localtime(obj.starts_at):%Y-%m-%d} {obj.title}"


def _activity_choices(years, section=None):
    """Activities an item may link to: published or cancelled ones of the given years, and whatever the section's
    items link to already (so saving never drops a link)."""
    wanted = Q(pk__in=[])
    for year in years:
        start, end = attendance.year_bounds(year)
        wanted |= Q(starts_at__gte=start, starts_at__lt=end)
    if section is not None:
        wanted |= Q(plan_items__section=section)
    return Activity.objects.filter(wanted).exclude(state=Activity.State.DRAFT).distinct().order_by("starts_at")


def _without_bulk_delete(actions):
    # "Delete selected" would bypass the per-object rule that only a draft plan's content may be removed.
    actions.pop("delete_selected", None)
    return actions


# --- work plan -----------------------------------------------------------------------------------------------------

class WorkPlanSectionInline(admin.TabularInline):
    model = WorkPlanSection
    form = WorkPlanSectionForm
    fields = ("number", "title", "items_link")
    readonly_fields = ("items_link",)
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(item_count=Count("items"))

    def get_extra(self, request, obj=None, **kwargs):
        return 3 if obj is None else (1 if _is_draft(obj) else 0)

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields + (() if _is_draft(obj) else ("number", "title"))

    def has_add_permission(self, request, obj=None):
        return _is_draft(obj) and super().has_add_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return _is_draft(obj) and super().has_delete_permission(request, obj)

    @admin.display(description=gettext_lazy("items"))
    def items_link(self, section):
        if section.pk is None:
            return _("Save the plan first, then add the section's items.")
        label = ngettext("%(count)d item", "%(count)d items", section.item_count) % {"count": section.item_count}
        return format_html('<a href="{}">{} · {}</a>', reverse("admin:activities_workplansection_change",
                                                              args=[section.pk]), label, _("edit items"))


@admin.register(WorkPlan)
class WorkPlanAdmin(admin.ModelAdmin):
    form = WorkPlanForm
    inlines = [WorkPlanSectionInline]
    list_display = ("year", "title", "state", "item_progress", "approved_at", "published_at")
    list_display_links = ("year", "title")
    list_filter = ("state",)
    search_fields = ("title",)
    actions = ["copy_to_next_year"]
    change_form_template = "admin/activities/workplan/change_form.html"

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(
            item_count=Count("sections__items"),
            done_count=Count("sections__items", filter=Q(sections__items__status=WorkPlanItem.Status.DONE)))

    def get_fieldsets(self, request, obj=None):
        main = ["year", "title", "guiding"]
        if obj is not None:
            main += ["state", "state_history"]
        fieldsets = [(None, {"fields": main})]
        if obj is not None:
            fieldsets.append((_("Year-end summary"), {
                "fields": ["summary_text"],
                "description": _("The chair's own words, printed at the top of the year-end summary PDF. The "
                                 "figures (items done, activities, attendance) fill themselves in from the records."),
            }))
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        fields = ("state", "state_history")
        return fields + (() if _is_draft(obj) else workplan.PLAN_CONTENT_FIELDS)

    def get_changeform_initial_data(self, request):
        today = timezone.localdate()
        year = today.year + 1 if today.month >= 10 else today.year
        return {"year": year, "title": workplan.default_plan_title(year), **super().get_changeform_initial_data(request)}

    def has_delete_permission(self, request, obj=None):
        return _is_draft(obj) and super().has_delete_permission(request, obj)

    def get_actions(self, request):
        return _without_bulk_delete(super().get_actions(request))

    @admin.display(description=gettext_lazy("items done"))
    def item_progress(self, plan):
        return f"{plan.done_count} / {plan.item_count}"

    @admin.display(description=gettext_lazy("approvals"))
    def state_history(self, plan):
        labels = {"activities.workplan.approved": _("approved by the committee"),
                  "activities.workplan.published": _("published"),
                  "activities.workplan.copied": _("created as a copy of last year's plan")}
        rows = [(labels.get(action, action), timezone.localtime(at).strftime("%Y-%m-%d %H:%M"),
                 getattr(actor, "username", None) or _("(system)"))
                for action, actor, at in workplan.workplan_state_history(plan)]
        if not rows:
            return "—"
        return format_html_join(mark_safe("<br>"), "{} · {} · {}", rows)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if object_id and request.method == "GET":
            plan = self.get_object(request, object_id)
            if plan is not None and not _is_draft(plan):
                self.message_user(request, workplan.workplan_content_locked_message(plan), messages.INFO)
        return super().changeform_view(request, object_id, form_url, extra_context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            may_change = self.has_change_permission(request, obj)
            context.update({
                "may_approve": may_change and obj.state == DRAFT,
                "may_publish": may_change and obj.state == WorkPlan.State.APPROVED,
                "may_copy": self.has_add_permission(request),
                "may_print": self.has_view_permission(request, obj),
            })
        return super().render_change_form(request, context, add, change, form_url, obj)

    # --- actions and custom views ---------------------------------------------------------------------------
    @admin.action(description=gettext_lazy("Start next year's plan from the selected plan"), permissions=["add"])
    def copy_to_next_year(self, request, queryset):
        plans = list(queryset[:2])
        if len(plans) != 1:
            self.message_user(request, _("Select exactly one plan to start next year's plan from."), messages.ERROR)
            return None
        return self._copy(request, plans[0])

    def _copy(self, request, plan):
        try:
            new_plan = workplan.workplan_copy_to_next_year(plan=plan, actor=request.user)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return None
        self.message_user(request, self._copied(new_plan), messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:activities_workplan_change", args=[new_plan.pk]))

    @staticmethod
    def _copied(new_plan):
        # A plan is copied to the year after its own (workplan_copy_to_next_year).
        return _("“%(title)s” was created from %(year)s's plan as a draft: review and edit it.") \
            % {"title": new_plan.title, "year": new_plan.year - 1}

    def get_urls(self):
        def view(fn):
            return self.admin_site.admin_view(fn)

        return [
            path("<int:pk>/approve/", view(self.approve_view), name="activities_workplan_approve"),
            path("<int:pk>/publish/", view(self.publish_view), name="activities_workplan_publish"),
            path("<int:pk>/copy/", view(self.copy_view), name="activities_workplan_copy"),
            path("<int:pk>/pdf/<str:kind>/", view(self.pdf_start_view), name="activities_workplan_pdf"),
            path("pdf-jobs/<int:job_id>/", view(self.pdf_job_view), name="activities_workplan_pdf_job"),
            path("pdf-jobs/<int:job_id>/download/", view(self.pdf_download_view),
                 name="activities_workplan_pdf_download"),
        ] + super().get_urls()

    def _plan(self, request, pk, permission):
        plan = WorkPlan.objects.filter(pk=pk).first()
        if plan is None or not self.has_view_permission(request, plan):
            raise Http404
        if not permission(request, plan):
            raise PermissionDenied
        return plan

    def _context(self, request, title, **extra):
        return {**self.admin_site.each_context(request), "title": title, "opts": self.model._meta, **extra}

    def _confirm(self, request, pk, *, permission, service, title, question, button, success=None, done_url=None):
        plan = self._plan(request, pk, permission)
        change_url = reverse("admin:activities_workplan_change", args=[plan.pk])
        return confirm_action(
            self, request, obj=plan, title=title, template="admin/activities/workplan/confirm.html",
            context={"plan": plan, "question": question, "button": button, "change_url": change_url},
            perform=lambda data: service(plan=plan, actor=request.user),
            success=success or (lambda result: _("“%(title)s” is now “%(state)s”.")
                                % {"title": plan.title, "state": plan.get_state_display()}),
            done_url=done_url or change_url)

    def approve_view(self, request, pk):
        return self._confirm(
            request, pk, permission=self.has_change_permission, service=workplan.workplan_approve,
            title=_("Record the committee's approval"), button=_("Record the approval"),
            question=_("Record that the union committee has approved this plan? Afterwards its content (guiding "
                       "paragraph, sections, items, owners and deadlines) can no longer be changed."))

    def publish_view(self, request, pk):
        return self._confirm(
            request, pk, permission=self.has_change_permission, service=workplan.workplan_publish,
            title=_("Publish the plan"), button=_("Publish"),
            question=_("Publish this plan to the members? A published plan stays published."))

    def copy_view(self, request, pk):
        return self._confirm(
            request, pk, permission=lambda request, plan: self.has_add_permission(request),
            service=workplan.workplan_copy_to_next_year, success=self._copied,
            done_url=lambda new_plan: reverse("admin:activities_workplan_change", args=[new_plan.pk]),
            title=_("Start next year's plan"), button=_("Create next year's plan"),
            question=_("Create a draft plan for the following year with this plan's guiding paragraph, sections and "
                       "items? Every item starts as “planned”, without linked activities."))

    def pdf_start_view(self, request, pk, kind):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if kind not in workplan.JOB_KINDS:
            raise Http404
        # Starting a job writes (a Job row, a file): for those who keep the plan, not for read-only roles (the auditor).
        plan = self._plan(request, pk, self.has_change_permission)
        job = workplan.workplan_pdf_start(plan=plan, kind=kind, actor=request.user,
                                          language=translation.get_language())
        return HttpResponseRedirect(reverse("admin:activities_workplan_pdf_job", args=[job.pk]))

    def pdf_job_view(self, request, job_id):
        job = access.workplan_pdf_job_for_user(user=request.user, job_id=job_id)
        plan = WorkPlan.objects.filter(pk=job.params.get("plan")).first()
        watches = job.visible_to(request.user)
        title = _("Work plan PDF") if job.kind == workplan.JOB_KIND_PLAN else _("Year-end summary PDF")
        return TemplateResponse(request, "admin/activities/workplan/pdf_job.html", self._context(
            request, title, job=job, plan=plan,
            status_url=reverse("core:job_status", args=[job.pk]) if watches else "",
            download_url=reverse("admin:activities_workplan_pdf_download", args=[job.pk])))

    def pdf_download_view(self, request, job_id):
        job = access.workplan_pdf_job_for_user(user=request.user, job_id=job_id)
        if job.status != Job.Status.DONE or not job.output_file:
            raise Http404
        return FileResponse(job.output_file.open("rb"), as_attachment=True,
                            filename=job.result.get("filename") or "workplan.pdf", content_type="application/pdf")


class WorkPlanItemInline(admin.TabularInline):
    model = WorkPlanItem
    form = WorkPlanItemForm
    fields = ("number", "text", "owner", "deadline", "status", "activities")

    def get_formset(self, request, obj=None, **kwargs):
        request.workplan_section = obj  # for the activity choices below (ModelAdmins are shared between requests)
        return super().get_formset(request, obj, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "activities":
            section = getattr(request, "workplan_section", None)
            years = [section.plan.year] if section is not None else []
            return ActivityChoiceField(
                queryset=_activity_choices(years, section), required=False,
                label=db_field.verbose_name,
                widget=forms.SelectMultiple(attrs={"size": 3, "style": "min-width: 16em; height: 5em"}))
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_extra(self, request, obj=None, **kwargs):
        return 2 if obj is not None and _is_draft(obj.plan) else 0

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None or _is_draft(obj.plan) else ("number", "text", "owner", "deadline")

    def has_add_permission(self, request, obj=None):
        return (obj is None or _is_draft(obj.plan)) and super().has_add_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return (obj is None or _is_draft(obj.plan)) and super().has_delete_permission(request, obj)


@admin.register(WorkPlanSection)
class WorkPlanSectionAdmin(admin.ModelAdmin):
    """A section and its items. Reached from the plan page (hidden from the admin index)."""

    form = WorkPlanSectionForm
    inlines = [WorkPlanItemInline]
    fields = ("plan", "number", "title")
    list_display = ("plan", "number", "title")
    list_filter = ("plan",)
    list_select_related = ("plan",)
    change_form_template = "admin/activities/workplan/section_change_form.html"

    def get_model_perms(self, request):
        return {}

    def get_actions(self, request):
        return _without_bulk_delete(super().get_actions(request))

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("plan")

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return ("plan",) if _is_draft(obj.plan) else workplan.SECTION_CONTENT_FIELDS

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "plan":
            kwargs["queryset"] = WorkPlan.objects.filter(state=DRAFT)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_delete_permission(self, request, obj=None):
        return (obj is None or _is_draft(obj.plan)) and super().has_delete_permission(request, obj)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if object_id and request.method == "GET":
            section = self.get_object(request, object_id)
            if section is not None and not _is_draft(section.plan):
                self.message_user(request, workplan.workplan_content_locked_message(section.plan), messages.INFO)
        return super().changeform_view(request, object_id, form_url, extra_context)

    def response_post_save_change(self, request, obj):
        return HttpResponseRedirect(reverse("admin:activities_workplan_change", args=[obj.plan_id]))

    def response_post_save_add(self, request, obj):
        return HttpResponseRedirect(reverse("admin:activities_workplan_change", args=[obj.plan_id]))


@admin.register(WorkPlanItem)
class WorkPlanItemAdmin(admin.ModelAdmin):
    """All items, filtered by plan: where statuses are ticked off during the year."""

    form = WorkPlanItemForm
    list_display = ("plan_year", "section_title", "number", "text_short", "owner", "deadline", "status",
                    "linked_activities")
    list_display_links = ("text_short",)
    list_editable = ("status",)
    list_filter = ("section__plan", "status")
    search_fields = ("text", "owner", "deadline")
    list_select_related = ("section__plan",)
    ordering = ("-section__plan__year", "section__number", "number")
    list_per_page = 100

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("section__plan").annotate(
            activity_count=Count("activities"))

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None or _is_draft(obj.section.plan) else workplan.ITEM_CONTENT_FIELDS

    def has_delete_permission(self, request, obj=None):
        return (obj is None or _is_draft(obj.section.plan)) and super().has_delete_permission(request, obj)

    def get_form(self, request, obj=None, change=False, **kwargs):
        request.workplan_item = obj  # for the activity choices below (ModelAdmins are shared between requests)
        return super().get_form(request, obj, change, **kwargs)

    def get_actions(self, request):
        return _without_bulk_delete(super().get_actions(request))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "section":
            kwargs["queryset"] = WorkPlanSection.objects.filter(plan__state=DRAFT).select_related("plan")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "activities":
            item = getattr(request, "workplan_item", None)
            this_year = timezone.localdate().year
            years = [item.section.plan.year] if item is not None else [this_year, this_year + 1]
            return ActivityChoiceField(
                queryset=_activity_choices(years, item.section if item else None), required=False,
                label=db_field.verbose_name, widget=forms.SelectMultiple(attrs={"size": 8}))
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if object_id and request.method == "GET":
            item = self.get_object(request, object_id)
            if item is not None and not _is_draft(item.section.plan):
                self.message_user(request, workplan.workplan_content_locked_message(item.section.plan),
                                  messages.INFO)
        return super().changeform_view(request, object_id, form_url, extra_context)

    @admin.display(description=gettext_lazy("year"), ordering="section__plan__year")
    def plan_year(self, item):
        return item.section.plan.year

    @admin.display(description=gettext_lazy("section"), ordering="section__number")
    def section_title(self, item):
        return workplan.section_heading(item.section.number, item.section.title)

    @admin.display(description=gettext_lazy("task"))
    def text_short(self, item):
        return item.text if len(item.text) <= 40 else item.text[:40] + "…"

    @admin.display(description=gettext_lazy("linked activities"), ordering="activity_count")
    def linked_activities(self, item):
        return item.activity_count
