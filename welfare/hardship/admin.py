"""Admin for hardship cases (visible only to those who handle them).

Every admin here answers 404 to anyone without ``welfare.handle_hardship_case`` — the list, each record, history
and the add/delete pages — and does not show the section in the index. Cases and payments are written by the
services (the workflow pages), so their admins are read-only; the data tables (低保 lines, rules, causes, aid kinds,
standards, 医疗互助 plans) are edited here by the chair.
"""

from django.contrib import admin
from django.http import Http404
from django.urls import URLPattern, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyInline, ReadOnlyModelAdmin
from core.money import MoneyAdminMixin

from ..models import (
    AidKind,
    AidPayment,
    CaseAttachment,
    CaseObjection,
    EducationAidRate,
    HardshipCase,
    HardshipCaseStep,
    HardshipCause,
    HardshipPolicy,
    MedicalAidEnrolment,
    MedicalAidPlan,
    PovertyLine,
    WarmthRate,
)
from .access import can_handle_cases


def _handlers_only(view):
    def wrapped(request, *args, **kwargs):
        if not can_handle_cases(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


class HandlersOnlyMixin:
    """404 for everyone but case handlers, on every URL of the model admin; hidden from the index for them."""

    def get_urls(self):
        return [URLPattern(p.pattern, _handlers_only(p.callback), p.default_args, p.name) for p in super().get_urls()]

    def has_module_permission(self, request):
        return can_handle_cases(request.user) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return can_handle_cases(request.user) and super().has_view_permission(request, obj)


class StepInline(ReadOnlyInline):
    model = HardshipCaseStep
    fields = ["done_on", "step", "from_state", "to_state", "actor", "note", "recorded_at"]


class ObjectionInline(ReadOnlyInline):
    model = CaseObjection
    fields = ["submitted_at", "submitted_by", "text", "resolved_at", "resolved_by", "resolution"]


class PaymentInline(MoneyAdminMixin, ReadOnlyInline):
    money_fields = ("amount",)
    model = AidPayment
    fields = ["paid_on", "kind", "amount", "occasion", "note", "recorded_by"]


class AttachmentInline(ReadOnlyInline):
    model = CaseAttachment
    fields = ["download", "description", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = fields

    @admin.display(description=_("file"))
    def download(self, obj):
        url = reverse("welfare:hardship_attachment", args=[obj.case_id, obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.original_name)


@admin.register(HardshipCase)
class HardshipCaseAdmin(MoneyAdminMixin, HandlersOnlyMixin, ReadOnlyModelAdmin):
    money_fields = ("household_income", "unavoidable_costs", "poverty_line_amount", "per_capita_monthly", "proposed_aid",)
    list_display = ["number", "member", "level", "state", "applied_on", "approved_on", "review_due_on"]
    list_filter = ["state", "level"]
    search_fields = ["number", "member__name", "member__name_initials"]
    list_select_related = ["member"]
    exclude = ["causes"]
    readonly_fields = ["open_page"] + [f.name for f in HardshipCase._meta.fields]
    inlines = [StepInline, ObjectionInline, PaymentInline, AttachmentInline]

    @admin.display(description=_("case page"))
    def open_page(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("welfare:hardship_detail", args=[obj.pk]),
                           _("Open the case page (workflow steps, payments)"))


@admin.register(AidPayment)
class AidPaymentAdmin(MoneyAdminMixin, HandlersOnlyMixin, ReadOnlyModelAdmin):
    money_fields = ("amount",)
    list_display = ["paid_on", "case", "kind", "amount", "occasion", "recorded_by"]
    list_filter = ["kind", "occasion"]
    search_fields = ["case__number"]
    list_select_related = ["case", "kind", "recorded_by__member"]


@admin.register(MedicalAidEnrolment)
class MedicalAidEnrolmentAdmin(MoneyAdminMixin, HandlersOnlyMixin, admin.ModelAdmin):
    money_fields = ("contribution",)
    list_display = ["plan", "member", "contribution", "enrolled_by", "enrolled_at"]
    list_filter = ["plan"]
    search_fields = ["member__name", "member__name_initials"]
    list_select_related = ["plan", "member", "enrolled_by__member"]
    readonly_fields = ["plan", "member", "contribution", "enrolled_by", "enrolled_at"]

    def has_add_permission(self, request):
        return False  # enrolment goes through the 医疗互助 pages (one or all members, with the plan's contribution)

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(PovertyLine)
class PovertyLineAdmin(MoneyAdminMixin, HandlersOnlyMixin, admin.ModelAdmin):
    money_fields = ("monthly_amount",)
    list_display = ["year", "region", "monthly_amount", "is_example", "note"]
    list_filter = ["year"]


@admin.register(HardshipPolicy)
class HardshipPolicyAdmin(HandlersOnlyMixin, admin.ModelAdmin):
    list_display = ["year", "notice_days", "notice_working_days", "relative_multiple_shown", "accident_cost_share_shown",
                    "education_season_from", "education_season_until", "is_example"]
    # The model's labels lead with the Chinese term; here each language reads a sentence of its own.
    LABELS = {
        "relative_multiple": _("relative hardship (相对困难) when income is below this multiple of the minimum living "
                               "allowance line (低保)"),
        "accident_cost_share": _("hardship from an accident or illness (意外致困) when unavoidable costs exceed this "
                                 "share of income"),
    }

    def get_form(self, request, obj=None, change=False, **kwargs):
        return super().get_form(request, obj, change, labels={**self.LABELS, **kwargs.pop("labels", {})}, **kwargs)

    @admin.display(description=LABELS["relative_multiple"], ordering="relative_multiple")
    def relative_multiple_shown(self, policy):
        return policy.relative_multiple

    @admin.display(description=LABELS["accident_cost_share"], ordering="accident_cost_share")
    def accident_cost_share_shown(self, policy):
        return policy.accident_cost_share


@admin.register(HardshipCause)
class HardshipCauseAdmin(HandlersOnlyMixin, admin.ModelAdmin):
    list_display = ["name", "sort_order", "active"]
    list_editable = ["sort_order", "active"]


@admin.register(AidKind)
class AidKindAdmin(HandlersOnlyMixin, admin.ModelAdmin):
    list_display = ["code", "name", "account_code", "sort_order"]

    def has_add_permission(self, request):
        return False  # the kinds are fixed (the rules depend on them); their names and accounts are data

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return ["code"]


@admin.register(EducationAidRate)
class EducationAidRateAdmin(MoneyAdminMixin, HandlersOnlyMixin, admin.ModelAdmin):
    money_fields = ("amount",)
    list_display = ["stage", "amount", "is_example"]


@admin.register(WarmthRate)
class WarmthRateAdmin(MoneyAdminMixin, HandlersOnlyMixin, admin.ModelAdmin):
    money_fields = ("amount",)
    list_display = ["level", "amount", "is_example"]


@admin.register(MedicalAidPlan)
class MedicalAidPlanAdmin(MoneyAdminMixin, HandlersOnlyMixin, admin.ModelAdmin):
    money_fields = ("contribution",)
    list_display = ["year", "name", "contribution", "is_example"]
    list_filter = ["year"]
