"""Roster import and export in the chair's console (the member changelist).

Import: upload → preview job (progress bar, then new / updated / unchanged / error rows) → confirm (POST) →
import job → done. Needs ``members.import_member``; anyone else gets 403. Export: the changelist as
filtered and searched, to .xlsx; 身份证号 and 手机号 masked unless the user has
``members.export_sensitive_member`` and ticks the box, and every full export is audited.
"""

import copy
from functools import update_wrapper

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect, QueryDict
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect

from core.models import Job
from core.spreadsheet import check_upload_size

from . import roster

IMPORT_PERMISSION = "members.import_member"
FULL_EXPORT_PERMISSION = "members.export_sensitive_member"


class RosterUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Roster file (.xlsx or .csv)"),
        help_text=gettext_lazy("Use the template's headers. CSV may be UTF-8 or GBK."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            check_upload_size(upload)
            self.table = roster.read_roster_file(upload, upload.name)
        except ValidationError as error:
            raise forms.ValidationError(error.messages) from None
        return upload


class RosterExportForm(forms.Form):
    filters = forms.CharField(widget=forms.HiddenInput, required=False)
    full = forms.BooleanField(label=gettext_lazy("Include full ID and mobile numbers"), required=False)


class RosterAdminMixin:
    """Mixed into MemberAdmin: the URLs, views and changelist buttons of the roster import and export."""

    change_list_template = "admin/members/member/change_list.html"

    def get_urls(self):
        def wrap(view, allowed):
            def inner(request, *args, **kwargs):
                if not request.user.is_authenticated:
                    return redirect_to_login(request.get_full_path(), reverse("admin:login"))
                if not (request.user.is_active and request.user.is_staff and allowed(request)):
                    raise PermissionDenied
                return view(request, *args, **kwargs)

            return csrf_protect(never_cache(update_wrapper(inner, view)))

        may_import = self.has_roster_import_permission
        may_export = self.has_view_permission
        return [
            path("roster/import/", wrap(self.roster_import_view, may_import), name="members_member_roster_import"),
            path("roster/import/<int:job_id>/", wrap(self.roster_job_view, may_import),
                 name="members_member_roster_job"),
            path("roster/import/<int:job_id>/confirm/", wrap(self.roster_confirm_view, may_import),
                 name="members_member_roster_confirm"),
            path("roster/template.xlsx", wrap(self.roster_template_view, may_import),
                 name="members_member_roster_template"),
            path("roster/export/", wrap(self.roster_export_view, may_export), name="members_member_roster_export"),
        ] + super().get_urls()

    def has_roster_import_permission(self, request):
        return request.user.has_perm(IMPORT_PERMISSION)

    def _roster_context(self, request, title, **extra):
        context = {**self.admin_site.each_context(request), "title": title, "opts": self.model._meta}
        context.update(extra)
        return context

    # --- import -------------------------------------------------------------------------------------------
    def roster_import_view(self, request):
        form = RosterUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            job = roster.roster_import_start(upload=form.cleaned_data["file"], table=form.table, actor=request.user)
            return HttpResponseRedirect(reverse("admin:members_member_roster_job", args=[job.pk]))
        context = self._roster_context(request, _("Import roster"), form=form,
                                       sync_max_rows=settings.ROSTER_IMPORT_SYNC_MAX_ROWS, headers=roster.HEADERS,
                                       required_headers=roster.REQUIRED_HEADERS)
        return TemplateResponse(request, "admin/members/member/roster_import.html", context)

    def _roster_job(self, request, job_id):
        """The job, for its starter (or a superuser) only — the same rule as the progress endpoint."""
        job = Job.objects.filter(pk=job_id, kind=roster.JOB_KIND).first()
        if job is None or (job.created_by_id != request.user.pk and not request.user.is_superuser):
            raise Http404
        return job

    def roster_job_view(self, request, job_id):
        job = self._roster_job(request, job_id)
        phase = job.params.get("phase")
        result = job.result or {}
        apply_job = None
        if phase == roster.PHASE_PREVIEW and job.params.get("apply_job"):
            apply_job = Job.objects.filter(pk=job.params["apply_job"]).first()
        preview_job_id = job.params.get("preview_job")
        title = _("Import roster: preview") if phase == roster.PHASE_PREVIEW else _("Import roster: result")
        context = self._roster_context(
            request, title, job=job, phase=phase, result=result, apply_job=apply_job, preview_job_id=preview_job_id,
            is_preview=phase == roster.PHASE_PREVIEW, can_confirm=(
                phase == roster.PHASE_PREVIEW and job.status == Job.Status.DONE and not result.get("has_errors")
                and apply_job is None and bool(job.input_file)),
            listed_rows=roster.LISTED_ROWS, status_url=reverse("core:job_status", args=[job.pk]),
        )
        return TemplateResponse(request, "admin/members/member/roster_job.html", context)

    def roster_confirm_view(self, request, job_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        job = self._roster_job(request, job_id)
        try:
            apply_job, _started = roster.roster_import_confirm(preview_job=job, actor=request.user)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return HttpResponseRedirect(reverse("admin:members_member_roster_job", args=[job.pk]))
        return HttpResponseRedirect(reverse("admin:members_member_roster_job", args=[apply_job.pk]))

    def roster_template_view(self, request):
        response = HttpResponse(roster.roster_template_xlsx(), content_type=roster.XLSX_MIMETYPE)
        response["Content-Disposition"] = content_disposition_header(True, "会员名册导入模板.xlsx")
        return response

    # --- export -------------------------------------------------------------------------------------------
    def _roster_changelist_queryset(self, request, filters):
        """The members the changelist shows for these GET parameters (filters, search, ordering)."""
        changelist_request = _request_with_get(request, QueryDict(filters))
        changelist = self.get_changelist_instance(changelist_request)
        return changelist.get_queryset(changelist_request)

    def roster_export_view(self, request):
        may_full = request.user.has_perm(FULL_EXPORT_PERMISSION)
        if request.method == "POST":
            form = RosterExportForm(request.POST)
            filters = request.POST.get("filters", "")
        else:
            form = RosterExportForm(initial={"filters": request.GET.urlencode()})
            filters = request.GET.urlencode()
        if not may_full:
            form.fields.pop("full")
        try:
            queryset = self._roster_changelist_queryset(request, filters)
        except IncorrectLookupParameters:
            self.message_user(request, _("The list's filters are not valid; export from the list again."),
                              messages.ERROR)
            return HttpResponseRedirect(reverse("admin:members_member_changelist"))
        if request.method == "POST" and form.is_valid():
            full = bool(form.cleaned_data.get("full"))
            if full and not may_full:
                raise PermissionDenied
            described = {key: values if len(values) > 1 else values[0]
                         for key, values in QueryDict(filters).lists()}
            filename, mimetype, content = roster.roster_export(queryset=queryset, actor=request.user, full=full,
                                                               filters=described)
            response = HttpResponse(content, content_type=mimetype)
            response["Content-Disposition"] = content_disposition_header(True, filename)
            return response
        context = self._roster_context(
            request, _("Export roster (.xlsx)"), form=form, may_full=may_full, count=queryset.count(),
            filters=filters, filter_params=QueryDict(filters),
            changelist_url=reverse("admin:members_member_changelist") + (f"?{filters}" if filters else ""),
        )
        return TemplateResponse(request, "admin/members/member/roster_export.html", context)


def _request_with_get(request, query):
    """A shallow copy of the request whose GET is ``query`` (the changelist reads its filters from GET)."""
    clone = copy.copy(request)
    clone.GET = query
    clone.POST = QueryDict()
    clone.method = "GET"
    return clone
