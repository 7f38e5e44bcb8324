from django.contrib import admin

from .models import Candidate, Election, ElectionRules


@admin.register(ElectionRules)
class ElectionRulesAdmin(admin.ModelAdmin):
    list_display = ("kind", "margin_ratio", "quorum_numerator", "quorum_denominator", "majority_numerator",
                    "majority_denominator", "women_share_target", "to_check")


class CandidateInline(admin.TabularInline):
    model = Candidate
    extra = 0
    raw_id_fields = ("member",)


@admin.register(Election)
class ElectionAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "seats", "held_on", "state", "roll_frozen")
    list_filter = ("kind", "state")
    inlines = [CandidateInline]
