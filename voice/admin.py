"""The voice's admin: notices (with attachments; publish / withdraw) and surveys (with questions)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import Notice, NoticeAttachment, Question, Survey
from .notices import services as notice_services
from .surveys import services as survey_services


class AttachmentInline(admin.TabularInline):
    model = NoticeAttachment
    extra = 0
    fields = ["original_name", "content_type", "size"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


def _run(modeladmin, request, queryset, service, done):
    count = 0
    for obj in queryset:
        try:
            service(obj, request.user)
            count += 1
        except ValidationError as error:
            modeladmin.message_user(request, f"{obj}: {' '.join(error.messages)}", messages.ERROR)
    if count:
        modeladmin.message_user(request, done % {"count": count}, messages.SUCCESS)


class NoticeForm(forms.ModelForm):
    attach = forms.FileField(label=_("Attach a file"), required=False,
                             help_text=_("PDF, Word, Excel or images, up to 10 MB."))

    class Meta:
        model = Notice
        fields = ["title", "body", "pinned", "expires_on", "audience", "union_groups", "departments", "roles",
                  "retirees_included"]

    def clean_attach(self):
        upload = self.cleaned_data.get("attach")
        if upload:
            notice_services.attachment_check(upload)
        return upload


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    form = NoticeForm
    list_display = ["title", "state", "pinned", "published_at", "expires_on"]
    list_filter = ["state", "pinned"]
    search_fields = ["title"]
    filter_horizontal = ["union_groups", "departments", "roles"]
    readonly_fields = ["state", "published_at", "created_by"]
    inlines = [AttachmentInline]
    actions = ["publish", "withdraw"]

    def save_model(self, request, obj, form, change):
        notice_services.notice_save(notice=obj, actor=request.user)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if form.cleaned_data.get("attach"):
            notice_services.attachment_add(notice=form.instance, upload=form.cleaned_data["attach"],
                                           actor=request.user)

    def has_publish_permission(self, request):
        return request.user.has_perm("voice.publish_notice")

    @admin.action(description=_("Publish the chosen notices"), permissions=["publish"])
    def publish(self, request, queryset):
        _run(self, request, queryset, lambda n, u: notice_services.notice_publish(notice=n, actor=u),
             _("%(count)d notices published."))

    @admin.action(description=_("Withdraw the chosen notices"), permissions=["publish"])
    def withdraw(self, request, queryset):
        _run(self, request, queryset, lambda n, u: notice_services.notice_withdraw(notice=n, actor=u),
             _("%(count)d notices withdrawn."))


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
        _run(self, request, queryset, lambda s, u: survey_services.survey_publish(survey=s, actor=u),
             _("%(count)d surveys published."))
