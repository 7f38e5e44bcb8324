"""Notices in the admin: writing (the body sanitised, a file attached), publishing and withdrawing."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ..admin_actions import run_on_each
from ..models import Notice, NoticeAttachment
from . import services as notice_services


class AttachmentInline(admin.TabularInline):
    model = NoticeAttachment
    extra = 0
    fields = ["original_name", "content_type", "size"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


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
        run_on_each(self, request, queryset, lambda n, u: notice_services.notice_publish(notice=n, actor=u),
             _("%(count)d notices published."))

    @admin.action(description=_("Withdraw the chosen notices"), permissions=["publish"])
    def withdraw(self, request, queryset):
        run_on_each(self, request, queryset, lambda n, u: notice_services.notice_withdraw(notice=n, actor=u),
             _("%(count)d notices withdrawn."))
