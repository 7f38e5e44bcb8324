"""Admin: reports. The committee's console shows the audit reports, disclosures and kept report documents; writing
and publishing happen on the portal pages (finance/reports/views.py), where the rules are enforced."""

from django.contrib import admin

from core.admin import ReadOnlyModelAdmin
from finance.models import AuditReport, Disclosure, ReportDocument


@admin.register(AuditReport)
class AuditReportAdmin(ReadOnlyModelAdmin):
    list_display = ["year", "state", "updated_by", "updated_at", "finalised_at"]
    list_filter = ["state"]


@admin.register(Disclosure)
class DisclosureAdmin(ReadOnlyModelAdmin):
    list_display = ["year", "half", "state", "prepared_by", "published_by", "published_at"]
    list_filter = ["state", "year"]


@admin.register(ReportDocument)
class ReportDocumentAdmin(ReadOnlyModelAdmin):
    list_display = ["kind", "format", "date_from", "date_to", "account", "created_by", "created_at"]
    list_filter = ["kind", "format"]
    date_hierarchy = "date_to"
