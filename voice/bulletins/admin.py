"""The 工作简报 in the admin: the committee writes an issue (its period, the notices it gathers, its own text),
previews the PDF with the figures as they stand, and publishes it (once) to members."""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from core.admin_actions import confirm_each

from ..models import Bulletin, Notice
from . import services as bulletin_services
from .pdf import bulletin_pdf


class BulletinForm(forms.ModelForm):
    class Meta:
        model = Bulletin
        fields = ["year", "number", "period_start", "period_end", "committee_text", "notices"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "notices" in self.fields:  # a published issue's page is view-only: no field is in its form
            self.fields["notices"].queryset = Notice.objects.filter(state=Notice.State.PUBLISHED)

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            raise ValidationError(_("The period ends on or after the day it starts."))
        return data


@admin.register(Bulletin)
class BulletinAdmin(admin.ModelAdmin):
    form = BulletinForm
    list_display = ["__str__", "period_start", "period_end", "state", "published_at", "preview_link"]
    list_filter = ["state", "year"]
    filter_horizontal = ["notices"]
    readonly_fields = ["state", "published_at", "published_by", "preview_link"]
    actions = ["publish"]

    def has_change_permission(self, request, obj=None):
        # A published issue is shown, not edited: its figures were frozen the day it went out.
        if obj is not None and obj.state == Bulletin.State.PUBLISHED:
            return False
        return super().has_change_permission(request, obj)

    def get_urls(self):
        return [path("<int:pk>/preview/", self.admin_site.admin_view(self.preview),
                     name="voice_bulletin_preview"), *super().get_urls()]

    def preview(self, request, pk):
        """The PDF as members would get it: a draft's figures as they stand now, a published issue's as frozen."""
        bulletin = get_object_or_404(Bulletin, pk=pk)
        if not self.has_view_permission(request, bulletin):
            raise PermissionDenied
        filename, mimetype, data = bulletin_pdf(bulletin=bulletin)
        response = HttpResponse(data, content_type=mimetype)
        response["Content-Disposition"] = f'inline; filename="{filename}"'
        return response

    @admin.display(description=_("PDF"))
    def preview_link(self, obj):
        if not obj or not obj.pk:
            return "—"
        label = gettext("Preview") if obj.state == Bulletin.State.DRAFT else gettext("PDF")
        return format_html('<a href="{}" target="_blank">{}</a>',
                           reverse("admin:voice_bulletin_preview", args=[obj.pk]), label)

    def save_model(self, request, obj, form, change):
        bulletin_services.bulletin_save(bulletin=obj, actor=request.user)

    def has_publish_permission(self, request):
        return request.user.has_perm("voice.publish_bulletin")

    @admin.action(description=_("Publish the chosen bulletins"), permissions=["publish"])
    def publish(self, request, queryset):
        return confirm_each(
            self, request, queryset, title=gettext("Publish bulletins"), heading=gettext("Bulletins to publish"),
            question=lambda count: ngettext(
                "%(count)d bulletin will be published to members with its figures as they stand now; check its "
                "preview first.",
                "%(count)d bulletins will be published to members with their figures as they stand now; check "
                "their previews first.", count) % {"count": count},
            service=lambda bulletin, data: bulletin_services.bulletin_publish(bulletin=bulletin, actor=request.user),
            success=lambda count: gettext("%(count)d bulletins published.") % {"count": count},
            once="voice.bulletins_publish")
