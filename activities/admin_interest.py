"""The chair's console for interest groups (兴趣小组): groups with their leader and member count, and the groups'
yearly plans, which the chair approves or returns with a note (admin actions with a page for the note)."""

from django import forms
from django.contrib import admin
from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext

from core.admin import ReadOnlyInline
from core.admin_actions import confirm_each
from core.money import MoneyAdminMixin, money

from . import interest
from .models import InterestGroup, InterestGroupMembership, InterestGroupPlan


class InterestGroupMembershipInline(ReadOnlyInline):
    model = InterestGroupMembership
    fields = ("member", "joined_at", "left_at")
    ordering = ("left_at", "joined_at")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("member")


class InterestGroupPlanInline(MoneyAdminMixin, ReadOnlyInline):
    money_fields = ("budget",)
    model = InterestGroupPlan
    fields = ("year", "budget", "status", "decision_note")
    show_change_link = True


@admin.register(InterestGroup)
class InterestGroupAdmin(admin.ModelAdmin):
    list_display = ("name", "leader", "member_count", "active")
    list_filter = ("active",)
    search_fields = ("name",)
    autocomplete_fields = ("leader",)
    list_select_related = ("leader",)
    inlines = [InterestGroupMembershipInline, InterestGroupPlanInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(
            member_count=Count("memberships", filter=Q(memberships__left_at__isnull=True)))

    @admin.display(description=gettext_lazy("members"), ordering="member_count")
    def member_count(self, group):
        return group.member_count

    def has_delete_permission(self, request, obj=None):
        # A group with members or plans is history: deactivate it instead.
        if obj is not None and (obj.memberships.exists() or obj.plans.exists()):
            return False
        return super().has_delete_permission(request, obj)


class DecisionForm(forms.Form):
    note = forms.CharField(label=gettext_lazy("Note to the group's leader"), required=False,
                           widget=forms.Textarea(attrs={"rows": 4, "cols": 70}))

    def __init__(self, *args, note_required=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["note"].required = note_required
        if note_required:
            self.fields["note"].help_text = _("Say what should change; the leader sees this note.")


@admin.register(InterestGroupPlan)
class InterestGroupPlanAdmin(MoneyAdminMixin, admin.ModelAdmin):
    """Plans are written by the groups' leaders in the portal; the chair approves or returns them here."""

    money_fields = ("budget",)
    list_display = ("group", "year", "budget", "status", "submitted_at", "decided_by", "decided_at")
    list_filter = ("status", "year", "group")
    search_fields = ("group__name",)
    list_select_related = ("group", "decided_by")
    readonly_fields = ("group", "year", "activities", "budget", "status", "submitted_at", "decision_note",
                       "decided_by", "decided_at")
    fields = readonly_fields
    actions = ["approve_plans", "return_plans"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=gettext_lazy("Approve the selected plans"), permissions=["change"])
    def approve_plans(self, request, queryset):
        return self._decide(request, queryset, service=interest.interest_plan_approve, note_required=False,
                            title=_("Approve plans"), button=_("Approve"))

    @admin.action(description=gettext_lazy("Return the selected plans with a note"), permissions=["change"])
    def return_plans(self, request, queryset):
        return self._decide(request, queryset, service=interest.interest_plan_return, note_required=True,
                            title=_("Return plans for changes"), button=_("Return with this note"))

    def _decide(self, request, queryset, *, service, note_required, title, button):
        """Every selected plan decided with the same note, all or none (a refusal names the plan)."""
        plans = list(queryset.select_related("group"))
        total = sum((plan.budget or 0 for plan in plans), 0)
        return confirm_each(
            self, request, plans, title=title, heading=pgettext("interest group plans", "Plans"), confirmed_field="decide",
            template="admin/activities/interestgroupplan/decide.html", form_class=DecisionForm,
            form_kwargs={"note_required": note_required}, context={"plans": plans, "button": button},
            question=lambda count: ngettext("%(count)d plan, %(total)s yuan requested in all.",
                                            "%(count)d plans, %(total)s yuan requested in all.", count)
            % {"count": count, "total": money(total)},
            skip=lambda plan: (None if plan.status == InterestGroupPlan.Status.SUBMITTED
                               else _("not submitted for a decision (%(status)s)") % {"status": plan.get_status_display()}),
            service=lambda plan, data: service(plan=plan, actor=request.user, note=data["note"]),
            success=lambda count: ngettext("%(count)d plan decided.", "%(count)d plans decided.", count)
            % {"count": count})
