"""Admin: dues. Records, posted lists and flags are written only by finance.dues.services, so they are read-only
here; the dues rule (rate, step, arrears threshold) is data the treasurer keeps, and a rule already used by a
posted month is not edited (add a new rule with a later effective date instead)."""

from django.contrib import admin
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyModelAdmin
from core.money import MoneyAdminMixin
from finance.models import DuesArrearsFlag, DuesImport, DuesRecord, DuesRule


@admin.register(DuesRule)
class DuesRuleAdmin(MoneyAdminMixin, admin.ModelAdmin):
    money_fields = ("base_unit",)
    list_display = ("effective_from", "rate", "base_unit", "arrears_months", "note")

    def has_change_permission(self, request, obj=None):
        start = obj.effective_from if obj is not None else None
        used = Q(year__gt=start.year) | Q(year=start.year, month__gte=start.month) if start else None
        if used is not None and DuesImport.objects.filter(used).exists():
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DuesImport)
class DuesImportAdmin(MoneyAdminMixin, ReadOnlyModelAdmin):
    money_fields = ("total_paid",)
    list_display = ("__str__", "total_paid", "rows", "received_on", "voucher", "posted_by", "posted_at")
    list_select_related = ("voucher__fiscal_year", "posted_by")
    exclude = ("differences",)
    readonly_fields = ("year", "month", "filename", "rows", "total_paid", "received_on", "voucher", "job",
                       "posted_by", "posted_at")


@admin.register(DuesRecord)
class DuesRecordAdmin(MoneyAdminMixin, ReadOnlyModelAdmin):
    money_fields = ("dues_base", "expected", "paid",)
    list_display = ("member", "year", "month", "dues_base", "expected", "paid", "source", "voucher")
    list_filter = ("year", "month", "source", "member__union_group")
    list_select_related = ("member", "voucher__fiscal_year")
    search_fields = ("member__name", "member__card_number")
    readonly_fields = ("member", "year", "month", "dues_base", "expected", "paid", "source", "dues_import",
                       "voucher", "created_at")


@admin.register(DuesArrearsFlag)
class DuesArrearsFlagAdmin(ReadOnlyModelAdmin):
    list_display = ("member", "since", "months", "flagged_at")
    list_select_related = ("member",)
    readonly_fields = ("member", "since_year", "since_month", "months", "flagged_at")

    @admin.display(description=_("unpaid since"))
    def since(self, obj):
        return f"{obj.since_year}-{obj.since_month:02d}"
