"""The tracker in the admin: categories and congresses are data the union edits; items are read here (their steps
are taken on the item's page, through the services). 谈心 records are listed only for the chair and the person
who held each talk: for anyone else the admin does not know they exist (404)."""

from django.contrib import admin
from django.db.models import Q
from django.http import Http404

from ..models import Congress, Item, ItemStep, TrackerCategory
from .selectors import TALK_PERM


@admin.register(TrackerCategory)
class TrackerCategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "sort_order", "active"]
    list_editable = ["sort_order", "active"]


@admin.register(Congress)
class CongressAdmin(admin.ModelAdmin):
    list_display = ["name", "held_on", "proposals_open_on", "proposals_close_on"]


class StepInline(admin.TabularInline):
    model = ItemStep
    extra = 0
    fields = ["kind", "at", "actor", "note"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    list_display = ["__str__", "source", "state", "received_on", "deadline"]
    list_filter = ["source", "state"]
    search_fields = ["title"]
    inlines = [StepInline]
    fields = ["source", "category", "title", "text", "anonymous", "member", "held_by", "congress", "state",
              "review", "proposal_number", "merged_into", "decline_reason", "owner_user", "owner_department",
              "deadline", "answer", "answer_count", "rating", "rating_comment", "received_on", "closed_at"]
    readonly_fields = fields

    def get_queryset(self, request):
        items = super().get_queryset(request).select_related("category")
        if request.user.has_perm(TALK_PERM):
            return items
        return items.filter(~Q(source=Item.Source.TALK) | Q(held_by=request.user))

    def _not_listed_is_404(self, request, object_id):
        """An item the list would not show (a talk, for anyone but the chair and its holder) is not found: the
        admin's own answer would be a redirect saying so, which is what a missing item gets too — 404 for both."""
        if not self.get_queryset(request).filter(pk=str(object_id)).exists() and str(object_id).isdigit():
            raise Http404

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if self.has_view_or_change_permission(request):
            self._not_listed_is_404(request, object_id)
        return super().change_view(request, object_id, form_url, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        if self.has_view_or_change_permission(request):
            self._not_listed_is_404(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
