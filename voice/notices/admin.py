"""Notices in the admin: writing (the body sanitised, a file attached), publishing and withdrawing."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from core.admin_actions import confirm_each

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
        return confirm_each(
            self, request, queryset, title=gettext("Publish notices"), heading=gettext("Notices to publish"),
            question=lambda count: ngettext(
                "%(count)d notice will be published; its audience is told with the next reminder run.",
                "%(count)d notices will be published; their audiences are told with the next reminder run.",
                count) % {"count": count},
            skip=lambda notice: gettext("published already") if notice.state == Notice.State.PUBLISHED else None,
            service=lambda notice, data: notice_services.notice_publish(notice=notice, actor=request.user),
            success=lambda count: gettext("%(count)d notices published.") % {"count": count},
            once="voice.notices_publish")

    @admin.action(description=_("Withdraw the chosen notices"), permissions=["publish"])
    def withdraw(self, request, queryset):
        return confirm_each(
            self, request, queryset, title=gettext("Withdraw notices"), heading=gettext("Notices to withdraw"),
            question=lambda count: ngettext("%(count)d notice will be withdrawn: members no longer see it.",
                                            "%(count)d notices will be withdrawn: members no longer see them.",
                                            count) % {"count": count},
            skip=lambda notice: gettext("not published") if notice.state != Notice.State.PUBLISHED else None,
            service=lambda notice, data: notice_services.notice_withdraw(notice=notice, actor=request.user),
            success=lambda count: gettext("%(count)d notices withdrawn.") % {"count": count})
