"""Reports for the auditor and the members, mounted at /finance/reports/ (views in finance/reports/views.py)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.report_index, name="reports"),
    path("start/", views.report_start, name="report_start"),
    path("documents/<int:pk>/", views.report_document, name="report_document"),
    path("documents/<int:pk>/download/", views.report_download, name="report_download"),
    path("audit/", views.audit_reports, name="audit_reports"),
    path("audit/<int:year>/", views.audit_report, name="audit_report"),
    path("audit/<int:year>/finalise/", views.audit_report_finalise, name="audit_report_finalise"),
    path("audit/<int:year>/pdf/", views.audit_report_pdf, name="audit_report_pdf"),
    path("archive/", views.year_archives, name="year_archives"),
    path("archive/<int:year>/start/", views.year_archive_start, name="year_archive_start"),
    path("archive/<int:year>/download/", views.year_archive_download, name="year_archive_download"),
    path("archive/<int:year>/check/", views.year_archive_check, name="year_archive_check"),
    path("archive/check/", views.year_archive_check_copy, name="year_archive_check_copy"),
    path("disclosures/", views.disclosures, name="disclosures"),
    path("disclosures/prepare/", views.disclosure_prepare, name="disclosure_prepare"),
    path("disclosures/<int:pk>/", views.disclosure_detail, name="disclosure"),
    path("disclosures/<int:pk>/publish/", views.disclosure_publish, name="disclosure_publish"),
]
