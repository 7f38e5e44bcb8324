"""Report pages (/finance/reports/): asking for a report and downloading kept ones, the audit report the committee
writes, and 财务公开 for the members.

Who sees what is decided in finance.reports.access.
"""

import datetime
import io
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from finance.models import AuditReport, Disclosure, FiscalYear, ReportDocument, ReportKind

from . import archive, writing
from .access import (
    can_finalise_audit_report,
    can_prepare_disclosure,
    can_publish_disclosure,
    can_start_audit_report,
    can_write_audit_report,
    disclosure_for_user,
    disclosure_reader_check,
    report_document_for_user,
    reports_reader_check,
)
from .forms import ArchiveCopyForm, AuditReportForm, DisclosureForm, ReportForm
from .jobs import report_document_start


@login_required
def report_index(request):
    reports_reader_check(request.user)
    form = ReportForm(initial=ReportForm.default_initial())
    documents = ReportDocument.objects.select_related("job", "account", "created_by")
    year = request.GET.get("year", "")
    if year.isdigit():
        documents = documents.filter(date_from__year__lte=int(year), date_to__year__gte=int(year))
    return render(request, "finance/reports/index.html", {
        "form": form, "documents": documents[:100], "year": year,
        "years": ReportDocument.objects.dates("date_to", "year", order="DESC")})


@login_required
@require_POST
def report_start(request):
    reports_reader_check(request.user)
    form = ReportForm(request.POST)
    if form.is_valid():
        try:
            document = report_document_start(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("finance:report_document", document.pk)
    return render(request, "finance/reports/index.html", {
        "form": form, "documents": ReportDocument.objects.select_related("job", "account", "created_by")[:100]},
        status=400)


@login_required
def report_document(request, pk):
    document = report_document_for_user(user=request.user, pk=pk)
    return render(request, "finance/reports/document.html", {
        "document": document, "job": document.job, "status_url": reverse("core:job_status", args=[document.job.pk])
        if document.job.visible_to(request.user) else ""})


@login_required
def report_download(request, pk):
    document = report_document_for_user(user=request.user, pk=pk)
    job = document.job
    if job.status != job.Status.DONE or not job.output_file:
        return redirect("finance:report_document", document.pk)
    return FileResponse(job.output_file.open("rb"), as_attachment=True, filename=job.result.get("filename"),
                        content_type=job.result.get("mimetype"))


# -- audit report (经审报告) -------------------------------------------------------------------------------------------

@login_required
def audit_reports(request):
    reports_reader_check(request.user)
    reports = AuditReport.objects.all()
    this_year = timezone.localdate().year
    known = {report.year for report in reports}
    return render(request, "finance/reports/audit_list.html", {
        "reports": reports, "new_years": [year for year in (this_year - 1, this_year) if year not in known],
        "may_write": can_start_audit_report(request.user)})


def _audit_year_or_404(year):
    """An audit report is about a year the books know (a fiscal year, or a report already written), or the year
    just ended or running: not year 1 or 99999."""
    this_year = timezone.localdate().year
    if year not in (this_year - 1, this_year) and not (FiscalYear.objects.filter(year=year).exists()
                                                       or AuditReport.objects.filter(year=year).exists()):
        raise Http404


@login_required
@require_http_methods(["GET", "POST"])
def audit_report(request, year):
    reports_reader_check(request.user)
    _audit_year_or_404(year)
    report = AuditReport.objects.filter(year=year).first() or AuditReport(year=year)
    may_write = can_write_audit_report(request.user, report)
    form = AuditReportForm(instance=report) if may_write else None
    if request.method == "POST":
        if not may_write:
            raise PermissionDenied
        form = AuditReportForm(request.POST, instance=report)
        if form.is_valid():
            try:
                writing.audit_report_save(year=year, actor=request.user, **{
                    name: form.cleaned_data[name] for name in writing.AUDIT_TEXT_FIELDS})
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The audit report is saved."))
                return redirect("finance:audit_report", year)
    return render(request, "finance/reports/audit_report.html", {
        "report": report, "form": form, "figures": writing.audit_report_figures(report),
        "may_finalise": bool(report.pk) and not report.is_final
        and can_finalise_audit_report(request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def audit_report_finalise(request, year):
    reports_reader_check(request.user)
    if not can_finalise_audit_report(request.user):
        raise PermissionDenied
    report = get_object_or_404(AuditReport, year=year)
    if request.method == "POST":
        try:
            writing.audit_report_finalise(report=report, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The audit report is finalised."))
        return redirect("finance:audit_report", year)
    return render(request, "finance/reports/confirm.html", {
        "title": _("Finalise the audit report for %(year)s") % {"year": year},
        "text": _("Once finalised, the text and the figures of the report are frozen: nobody can change them."),
        "button": _("Finalise"), "back": reverse("finance:audit_report", args=[year])})


@login_required
@require_POST
def audit_report_pdf(request, year):
    reports_reader_check(request.user)
    _audit_year_or_404(year)
    document = report_document_start(kind=ReportKind.AUDIT_REPORT, fmt="pdf", date_from=datetime.date(year, 1, 1),
                                      date_to=datetime.date(year, 12, 31), actor=request.user)
    return redirect("finance:report_document", document.pk)


# -- 财务公开 ---------------------------------------------------------------------------------------------------------

@login_required
def disclosures(request):
    sees_drafts = disclosure_reader_check(request.user)
    items = Disclosure.objects.all() if sees_drafts else Disclosure.objects.filter(state=Disclosure.State.PUBLISHED)
    return render(request, "finance/reports/disclosures.html", {
        "disclosures": items, "may_prepare": can_prepare_disclosure(request.user),
        "form": DisclosureForm() if can_prepare_disclosure(request.user) else None})


@login_required
def disclosure_detail(request, pk):
    disclosure = disclosure_for_user(user=request.user, pk=pk)
    return render(request, "finance/reports/disclosure.html", {
        "disclosure": disclosure, "figures": writing.disclosure_figures(disclosure),
        "may_publish": not disclosure.is_published and can_publish_disclosure(request.user)})


@login_required
@require_POST
def disclosure_prepare(request):
    if not can_prepare_disclosure(request.user):
        raise PermissionDenied
    form = DisclosureForm(request.POST)
    if form.is_valid():
        try:
            disclosure = writing.disclosure_prepare(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The disclosure is saved as a draft. The chair publishes it."))
            return redirect("finance:disclosure", disclosure.pk)
    return render(request, "finance/reports/disclosures.html", {
        "disclosures": Disclosure.objects.all(), "may_prepare": True, "form": form}, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def disclosure_publish(request, pk):
    disclosure = disclosure_for_user(user=request.user, pk=pk, change=True)
    if request.method == "POST":
        try:
            writing.disclosure_publish(disclosure=disclosure, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The disclosure is published to every member."))
        return redirect("finance:disclosure", disclosure.pk)
    return render(request, "finance/reports/confirm.html", {
        "title": _("Publish %(disclosure)s") % {"disclosure": disclosure},
        "text": _("Every member will see these figures. Once published they are kept as they are now and cannot "
                  "be changed."),
        "button": _("Publish"), "back": reverse("finance:disclosure", args=[disclosure.pk])})


# -- the year's accounting archive (会计档案) ---------------------------------------------------------------------


@login_required
def year_archives(request, *, copy_form=None, status=200):
    """Closed years and their kept archives as their manifests list them; a check re-hashes on request."""
    reports_reader_check(request.user)
    return render(request, "finance/reports/year_archives.html", {
        "years": archive.year_archive_overview(), "copy_form": copy_form or ArchiveCopyForm()}, status=status)


@login_required
@require_POST
def year_archive_start(request, year):
    reports_reader_check(request.user)
    try:
        archive.year_archive_start(year=year, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The archive of %(year)s is being made; reload this page in a minute.")
                         % {"year": year})
    return redirect("finance:year_archives")


def _kept_files_or_404(request, year):
    """The kept archive of ``year``: its latest edition, or the one ``?edition=`` names."""
    reports_reader_check(request.user)
    edition = request.GET.get("edition", "")
    files = archive.kept_files(year, int(edition) if edition.isdigit() else None)
    if files is None:
        raise Http404
    return files


@login_required
def year_archive_download(request, year):
    """The kept archive as one zip (the PDFs and manifest.json, the same bytes every time)."""
    files = _kept_files_or_404(request, year)
    edition = json.loads(files[archive.MANIFEST]).get("edition", 1) if archive.MANIFEST in files else 1
    name = f"accounting-archive-{year}.zip" if edition == 1 else f"accounting-archive-{year}-{edition}.zip"
    return FileResponse(io.BytesIO(archive.archive_zip(files)), as_attachment=True, filename=name,
                        content_type="application/zip")


def _archive_check_page(request, *, files, source):
    problems = archive.year_archive_check(files)
    try:
        manifest = json.loads(files[archive.MANIFEST])
    except (KeyError, ValueError):
        manifest = {}
    listed = manifest.get("files", {}) if isinstance(manifest, dict) else {}
    rows = [{"name": name, "size": len(files[name]) if name in files else None, "problems": problems.get(name, [])}
            for name in sorted(set(listed) | set(files) - {archive.MANIFEST})]
    return render(request, "finance/reports/year_archive_check.html", {
        "source": source, "year": manifest.get("year") if isinstance(manifest, dict) else None, "rows": rows,
        "manifest_problems": problems.get(archive.MANIFEST, []), "failed": bool(problems)})


@login_required
@require_POST
def year_archive_check(request, year):
    """Re-hash the kept archive of ``year`` against its manifest and check each PDF is PDF/A."""
    files = _kept_files_or_404(request, year)
    return _archive_check_page(request, files=files, source=_("The kept archive of %(year)s") % {"year": year})


@login_required
@require_POST
def year_archive_check_copy(request):
    """The same check on a copy the auditor downloaded earlier (and kept elsewhere)."""
    reports_reader_check(request.user)
    form = ArchiveCopyForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            files = archive.files_from_zip(form.cleaned_data["copy"])
        except ValidationError as error:
            form.add_error("copy", error)
        else:
            return _archive_check_page(request, files=files, source=form.cleaned_data["copy"].name)
    return year_archives(request, copy_form=form, status=400)
