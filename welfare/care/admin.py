"""Admin for benefit policies, visits and holiday distributions.

The chair edits occasions and policies here (the rules are data). Visits, care reports and distributions are written
only by the care services (the pages under /welfare/), so here they are read-only: the treasurer and auditor look
at them, nobody edits them.
"""

from django.contrib import admin
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext, pgettext
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyInline, ReadOnlyModelAdmin
from core.admin_actions import confirm_each
from core.admin_export import ChangelistExportMixin
from core.money import MoneyAdminMixin

from ..models import BenefitPolicy, CareReport, Distribution, Occasion, OccasionRule, Visit
from .exports import visits_xlsx
from .services import policy_copy_to_year


@admin.register(Occasion)
class OccasionAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "kind", "calendar", "month", "day", "this_year", "must_visit", "sort_order")
    list_editable = ("must_visit", "sort_order")
    list_filter = ("kind", "must_visit")
    search_fields = ("name", "code")

    def get_readonly_fields(self, request, obj=None):
        # Caps already checked count holiday gifts by the occasion's kind and year: once gifts are recorded, turning
        # a holiday into another kind (or moving its date) would move past gifts in or out of members' totals.
        if obj is not None and Visit.objects.filter(occasion=obj).exists():
            return ("code", "kind", "calendar", "month", "day")
        return ()

    @admin.display(description=_("date this year"))
    def this_year(self, obj):
        return obj.date_in(timezone.localdate().year) if obj.is_holiday else "—"


class OccasionRuleInline(MoneyAdminMixin, admin.TabularInline):
    money_fields = ("cap_per_event", "cap_per_year", "standard_amount",)
    model = OccasionRule
    extra = 0
    fields = ("occasion", "cap_per_event", "cap_per_year", "standard_amount", "allow_goods", "allow_voucher",
              "allow_cash", "retirees_eligible", "account")
    autocomplete_fields = ()

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("policy", "occasion", "account")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # One query for each picker's choices, not one per rule row (the field is copied into every form).
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None:
            field.choices = list(field.choices)
        return field


@admin.register(BenefitPolicy)
class BenefitPolicyAdmin(MoneyAdminMixin, admin.ModelAdmin):
    money_fields = ("holiday_yearly_cap",)
    list_display = ("year", "region", "name", "in_use", "holiday_yearly_cap")
    list_filter = ("year", "in_use")
    inlines = [OccasionRuleInline]
    actions = ["copy_to_next_year"]

    @admin.action(description=_("Copy to the next year"), permissions=["add"])
    def copy_to_next_year(self, request, queryset):
        return confirm_each(
            self, request, queryset, title=gettext("Copy to the next year"),
            heading=gettext("Policies to copy"),
            question=lambda count: ngettext(
                "%(count)d policy will be copied, with its occasions, caps and standards, to the year after its "
                "own.",
                "%(count)d policies will be copied, with their occasions, caps and standards, to the year after "
                "their own.", count) % {"count": count},
            service=lambda policy, data: policy_copy_to_year(policy=policy, year=policy.year + 1, actor=request.user),
            success=lambda count: ngettext("%(count)d policy copied.", "%(count)d policies copied.", count)
            % {"count": count})


class VisitInline(MoneyAdminMixin, ReadOnlyInline):
    money_fields = ("amount", "checked_cap_per_event", "checked_cap_per_year", "checked_holiday_cap",)
    model = Visit
    fields = ("member", "amount", "form", "status")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("member", "occasion")


@admin.register(Visit)
class VisitAdmin(ChangelistExportMixin, MoneyAdminMixin, ReadOnlyModelAdmin):
    money_fields = ("amount", "checked_cap_per_event", "checked_cap_per_year", "checked_holiday_cap",)
    list_display = ("date", "member", "occasion", "form", "amount", "status", "recorded_by", "page", "year_history")
    list_filter = ("year", "occasion", "status", "form")
    search_fields = ("member__name", "member__card_number")
    date_hierarchy = "date"
    list_select_related = ("member", "occasion", "recorded_by__member")
    exclude = ("visitor_members",)

    def changelist_xlsx(self, request, queryset):
        return visits_xlsx(queryset.select_related("member__department"))

    @admin.display(description=_("page"))
    def page(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("welfare:visit_detail", args=[obj.pk]), pgettext("link", "open"))

    @admin.display(description=_("member's year"))
    def year_history(self, obj):
        return format_html('<a href="{}?year={}">{}</a>', reverse("welfare:member_history", args=[obj.member_id]),
                           obj.year, _("against the caps"))


@admin.register(CareReport)
class CareReportAdmin(ReadOnlyModelAdmin):
    list_display = ("date", "member", "occasion", "status", "reported_by", "reported_at")
    list_filter = ("status", "occasion")
    search_fields = ("member__name",)
    list_select_related = ("member", "occasion", "reported_by__member")


@admin.register(Distribution)
class DistributionAdmin(ReadOnlyModelAdmin):
    list_display = ("year", "occasion", "date", "recorded_by", "recorded_at")
    list_filter = ("year", "occasion")
    inlines = [VisitInline]
