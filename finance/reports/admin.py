"""Admin: reports. The committee's console shows the audit reports, disclosures and kept report documents; writing
and publishing happen on the portal pages (finance/reports/views.py), where the rules are enforced."""

from django.contrib import admin
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy

from core.admin import ReadOnlyModelAdmin
from finance.models import AuditReport, Disclosure, ReportDocument

from .writing import disclosure_figures


@admin.register(AuditReport)
class AuditReportAdmin(ReadOnlyModelAdmin):
    list_display = ["year", "state", "updated_by", "updated_at", "finalised_at"]
    list_filter = ["state"]


@admin.register(Disclosure)
class DisclosureAdmin(ReadOnlyModelAdmin):
    list_display = ["year", "half", "state", "prepared_by", "published_by", "published_at"]
    list_filter = ["state", "year"]
    exclude = ["figures"]
    readonly_fields = ["figures_table"]

    @admin.display(description=gettext_lazy("published figures"))
    def figures_table(self, disclosure):
        """The figures as members read them (the stored ones once published), not the stored JSON."""
        return render_to_string("finance/reports/_figures.html", {"figures": disclosure_figures(disclosure)})


@admin.register(ReportDocument)
class ReportDocumentAdmin(ReadOnlyModelAdmin):
    list_display = ["kind", "format", "date_from", "date_to", "account", "created_by", "created_at"]
    list_filter = ["kind", "format"]
    date_hierarchy = "date_to"
