from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.http import content_disposition_header

from . import access
from .models import Candidate, Election, ElectionRules
from .roll import roll_pdf


class ManageElectionMixin:
    """Elections are run by those with ``elections.manage_election`` (the chair), whatever the model permissions."""

    def has_module_permission(self, request):
        return access.can_manage(request.user) or super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return access.can_manage(request.user) or super().has_view_permission(request, obj)


@admin.register(ElectionRules)
class ElectionRulesAdmin(ManageElectionMixin, admin.ModelAdmin):
    list_display = ("kind", "margin_ratio", "quorum_numerator", "quorum_denominator", "majority_numerator",
                    "majority_denominator", "women_share_target", "to_check")


class CandidateInline(admin.TabularInline):
    model = Candidate
    extra = 0
    raw_id_fields = ("member",)


@admin.register(Election)
class ElectionAdmin(ManageElectionMixin, admin.ModelAdmin):
    list_display = ("title", "kind", "seats", "held_on", "state", "roll_frozen")
    list_filter = ("kind", "state")
    inlines = [CandidateInline]
    change_form_template = "admin/elections/election/change_form.html"

    def get_urls(self):
        return [path("<int:pk>/roll.pdf", self.admin_site.admin_view(self.roll_pdf_view),
                     name="elections_election_roll_pdf")] + super().get_urls()

    def roll_pdf_view(self, request, pk):
        """选民名单: the frozen roll as a PDF, for those who run elections."""
        if not access.can_manage(request.user):
            raise PermissionDenied
        election = get_object_or_404(Election, pk=pk)
        filename, mimetype, data = roll_pdf(election)
        response = HttpResponse(data, content_type=mimetype)
        response["Content-Disposition"] = content_disposition_header(True, filename)
        return response
