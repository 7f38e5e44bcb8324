"""Export a console list as .xlsx (issue 12 §1): an "Export .xlsx" button on the changelist that downloads the rows
the list shows for its filters, search and ordering — every page of them — to whoever may view the list.

A ModelAdmin mixes in ``ChangelistExportMixin`` and writes ``changelist_xlsx(request, queryset)`` returning
(filename, mimetype, bytes), built by the sub-domain's own export module (core.xlsx)."""

from django.contrib import messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _


class ChangelistExportMixin:
    change_list_template = "admin/change_list_export.html"

    def changelist_xlsx(self, request, queryset):  # pragma: no cover — each admin writes its own
        raise NotImplementedError

    def _export_url_name(self):
        return f"{self.opts.app_label}_{self.opts.model_name}_export"

    def get_urls(self):
        export = path("export/", self.admin_site.admin_view(self.changelist_export_view),
                      name=self._export_url_name())
        return [export, *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        export_url = reverse(f"admin:{self._export_url_name()}")
        if request.GET:
            export_url += f"?{request.GET.urlencode()}"
        return super().changelist_view(request, {**(extra_context or {}), "export_url": export_url})

    def changelist_export_view(self, request):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        try:
            changelist = self.get_changelist_instance(request)
        except IncorrectLookupParameters:
            self.message_user(request, _("The list's filters are not valid; export from the list again."),
                              messages.ERROR)
            return HttpResponseRedirect(reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist"))
        filename, mimetype, content = self.changelist_xlsx(request, changelist.get_queryset(request))
        response = HttpResponse(content, content_type=mimetype)
        response["Content-Disposition"] = content_disposition_header(True, filename)
        return response
