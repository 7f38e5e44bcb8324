"""Surveys in the admin, with their questions; publishing."""

from django.contrib import admin
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from core.admin_actions import confirm_each

from ..models import Question, Survey
from . import services as survey_services


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 1
    fields = ["position", "text", "kind", "choices", "required"]


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "anonymous", "state", "opens_at", "closes_at"]
    list_filter = ["kind", "state", "anonymous"]
    search_fields = ["title"]
    filter_horizontal = ["union_groups", "departments"]
    readonly_fields = ["state"]
    raw_id_fields = ["activity"]
    inlines = [QuestionInline]
    actions = ["publish"]

    @admin.action(description=_("Publish the chosen surveys"), permissions=["change"])
    def publish(self, request, queryset):
        return confirm_each(
            self, request, queryset, title=gettext("Publish surveys"), heading=gettext("Surveys to publish"),
            question=lambda count: ngettext("%(count)d survey will be published and opened to its audience.",
                                            "%(count)d surveys will be published and opened to their audiences.",
                                            count) % {"count": count},
            skip=lambda survey: gettext("published already") if survey.state == Survey.State.PUBLISHED else None,
            service=lambda survey, data: survey_services.survey_publish(survey=survey, actor=request.user),
            success=lambda count: gettext("%(count)d surveys published.") % {"count": count})
