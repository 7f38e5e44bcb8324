"""The budget console: budgets and adjustments with their lines (edited while drafts), the approval steps on a
confirmation page (chair only, finance.budgets.services.budget_advance), and the chair's over-budget approvals."""

from django.contrib import admin
from django.forms.models import BaseInlineFormSet
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from core.admin import ReadOnlyModelAdmin
from core.admin_actions import confirm_action
from core.money import MoneyAdminMixin
from finance.books import selectors
from finance.books.admin import AccountChoiceMixin, BooksAdminMixin
from finance.books.admin_links import admin_link
from finance.books.forms import BudgetStepForm
from finance.models import BUDGET_IN_FORCE, Budget, BudgetLine, BudgetState, OverBudgetApproval

from .access import APPROVE_BUDGET, APPROVE_OVER_BUDGET, can_approve_over_budget
from .forms import DeclineForm
from .selectors import DECLINED, PENDING
from .services import (
    NEXT_STEP,
    budget_advance,
    held_together,
    over_budget_approve,
    over_budget_confirm,
    over_budget_decline,
)


class BudgetLineFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        if self.instance.adjusts_id or any(self.errors):
            return
        for form in self.forms:
            amount = (getattr(form, "cleaned_data", None) or {}).get("amount")
            if amount is not None and amount < 0:
                form.add_error("amount", _("A budget line cannot be negative; reduce it with an adjustment."))


class BudgetLineInline(MoneyAdminMixin, AccountChoiceMixin, admin.TabularInline):
    money_fields = ("amount",)
    model = BudgetLine
    formset = BudgetLineFormSet
    fields = ("account", "amount", "note")
    extra = 3


    def _draft(self, obj):
        return obj is None or obj.state == BudgetState.DRAFT

    def has_add_permission(self, request, obj=None):
        return self._draft(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._draft(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._draft(obj) and super().has_delete_permission(request, obj)


@admin.register(Budget)
class BudgetAdmin(BooksAdminMixin, admin.ModelAdmin):
    list_display = ("__str__", "adjusts", "state", "committee_on", "audit_on", "higher_on")
    list_filter = ("fiscal_year__year", "state")
    list_select_related = ("fiscal_year", "adjusts__fiscal_year")
    inlines = [BudgetLineInline]
    actions = None
    change_form_template = "admin/finance/budget/change_form.html"
    step_fields = ("committee_by", "committee_on", "committee_reference", "audit_by", "audit_on", "audit_reference",
                   "higher_by", "higher_on", "higher_reference")

    def get_fields(self, request, obj=None):
        return ("fiscal_year", "adjusts", "title") + (("state", "created_by") + self.step_fields if obj else ())

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        if obj.state == BudgetState.DRAFT:
            return ("fiscal_year", "adjusts", "state", "created_by") + self.step_fields
        return self.get_fields(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "adjusts":
            kwargs["queryset"] = Budget.objects.filter(adjusts__isnull=True, state__in=BUDGET_IN_FORCE)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        return (obj is None or obj.state == BudgetState.DRAFT) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return (obj is None or obj.state == BudgetState.DRAFT) and super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if not change:
            if obj.adjusts_id:  # an adjustment belongs to the year of the budget it adjusts
                obj.fiscal_year = obj.adjusts.fiscal_year
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def get_urls(self):
        return [path("<int:pk>/advance/", self._wrap(self.advance_view), name="finance_budget_advance"),
                path("<int:pk>/execution/", self._wrap(self.execution_view), name="finance_budget_execution")] \
            + super().get_urls()

    def advance_view(self, request, pk):
        budget = self._object(request, pk, APPROVE_BUDGET)
        return confirm_action(
            self, request, obj=budget, title=_("Record the next approval step"),
            template="admin/finance/budget/advance.html", form_class=BudgetStepForm,
            perform=lambda data: budget_advance(budget=budget, on=data["on"], reference=data["reference"],
                                                actor=request.user),
            success=_("Step recorded."), done_url=self._change_url(budget),
            context=lambda: {"next_step": BudgetState(NEXT_STEP[budget.state]).label
                             if budget.state in NEXT_STEP else None})

    def execution_view(self, request, pk):
        budget = self._object(request, pk, "finance.view_budget")
        rows = selectors.budget_vs_actual(year=budget.fiscal_year.year)
        return self._page(request, budget, _("Budget vs actual %(year)s") % {"year": budget.fiscal_year.year},
                          "admin/finance/budget/execution.html", rows=rows,
                          totals=selectors.budget_totals(rows))


class ApprovalStateFilter(admin.SimpleListFilter):
    """Held for the chair (a request not yet answered), confirmed and not yet used, used by a voucher, declined."""

    title = gettext_lazy("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [(PENDING, _("waiting for the chair")), ("unused", _("confirmed, not yet used")),
                ("used", _("used by a voucher")), (DECLINED, _("declined by the chair"))]

    def queryset(self, request, queryset):
        return {PENDING: queryset.pending(),
                "unused": queryset.filter(approved_at__isnull=False, voucher__isnull=True),
                "used": queryset.filter(voucher__isnull=False),
                DECLINED: queryset.declined()}.get(self.value(), queryset)


@admin.register(OverBudgetApproval)
class OverBudgetApprovalAdmin(MoneyAdminMixin, BooksAdminMixin, ReadOnlyModelAdmin):
    """The chair's consent to spend above a budget line or while no budget is in force: added here
    (finance.budgets.services.over_budget_approve), or asked for by the treasurer when posting was refused and
    confirmed here (over_budget_confirm); never changed; a voucher that needed it points at it."""

    money_fields = ("amount",)
    # the chair's answer (or buttons) before the wide columns, so it is seen without scrolling the list sideways
    list_display = ("account", "kind", "amount", "subject", "answer", "requested_by", "requested_at", "reason",
                    "approved_by", "voucher_link")
    list_filter = (ApprovalStateFilter, "fiscal_year__year", "no_budget", "account")
    list_select_related = ("fiscal_year", "account", "requested_by", "approved_by", "declined_by",
                           "voucher__fiscal_year")
    fields = ("fiscal_year", "account", "no_budget", "amount", "reason")
    actions = None
    change_form_template = "admin/finance/overbudgetapproval/change_form.html"

    shown = ("fiscal_year", "account", "kind", "amount", "subject", "held_link", "reason", "requested_by",
             "requested_at", "approved_by", "approved_at", "voucher_link", "declined_by", "declined_at",
             "decline_reason")

    def get_fields(self, request, obj=None):
        return self._as_money(self.shown) if obj else super().get_fields(request, obj)

    def get_readonly_fields(self, request, obj=None):
        return self._as_money(self.shown) if obj else ()

    @admin.display(description=gettext_lazy("used by voucher"))
    def voucher_link(self, obj):
        return admin_link(obj.voucher) if obj.voucher_id else "—"

    @admin.display(description=gettext_lazy("kind"))
    def kind(self, obj):
        return _("no budget in force") if obj.no_budget else _("above the budget")

    @admin.display(description=gettext_lazy("voucher held"))
    def held_link(self, obj):
        return admin_link(obj.held_voucher) if obj.held_voucher_id else "—"

    def get_list_display(self, request):
        # Only the chair is offered the buttons; everyone else (the treasurer, the auditor) reads the answer.
        shown = super().get_list_display(request)
        return shown if can_approve_over_budget(request.user) else [
            "answer_text" if name == "answer" else name for name in shown]

    @admin.display(description=gettext_lazy("chair's answer"))
    def answer_text(self, obj):
        return self.answer(obj) if not obj.is_pending else _("waiting for the chair")

    @admin.display(description=gettext_lazy("chair's answer"))
    def answer(self, obj):
        if obj.is_declined:
            return format_html('<span class="declined">{}</span>', _("declined by %(who)s on %(when)s: %(reason)s") % {
                "who": obj.declined_by, "when": date_format(localtime(obj.declined_at), "Y-m-d"),
                "reason": obj.decline_reason})
        if not obj.is_pending:
            return _("confirmed")
        return format_html('<a href="{}" class="button">{}</a> <a href="{}" class="button">{}</a>',
                           reverse("admin:finance_overbudgetapproval_confirm", args=[obj.pk]), _("Confirm"),
                           reverse("admin:finance_overbudgetapproval_decline", args=[obj.pk]),
                           pgettext("held spending", "Decline"))

    def has_add_permission(self, request):
        return can_approve_over_budget(request.user) and request.user.has_perm("finance.add_overbudgetapproval")

    def save_model(self, request, obj, form, change):
        approval = over_budget_approve(year=obj.fiscal_year.year, account=obj.account, amount=obj.amount,
                                       reason=obj.reason, no_budget=obj.no_budget, actor=request.user)
        obj.pk = approval.pk

    def get_urls(self):
        return [path("<int:pk>/confirm/", self._wrap(self.confirm_view), name="finance_overbudgetapproval_confirm"),
                path("<int:pk>/decline/", self._wrap(self.decline_view), name="finance_overbudgetapproval_decline")] \
            + super().get_urls()

    def confirm_view(self, request, pk):
        """The chair confirms spending the treasurer held for a budget confirmation (over_budget_confirm)."""
        approval = self._object(request, pk, APPROVE_OVER_BUDGET)
        return confirm_action(
            self, request, obj=approval, title=_("Confirm the spending"),
            template="admin/finance/overbudgetapproval/confirm.html", once="finance.over_budget_confirm",
            perform=lambda data: over_budget_confirm(approval=approval, actor=request.user),
            success=_("Confirmed: the treasurer can post it now."),
            done_url=reverse("admin:finance_overbudgetapproval_changelist") + f"?state={PENDING}")

    def decline_view(self, request, pk):
        """The chair declines spending the treasurer held, with a reason (over_budget_decline): nothing is posted."""
        approval = self._object(request, pk, APPROVE_OVER_BUDGET)
        return confirm_action(
            self, request, obj=approval, title=_("Decline the spending"), form_class=DeclineForm,
            template="admin/finance/overbudgetapproval/decline.html", once="finance.over_budget_decline",
            perform=lambda data: over_budget_decline(approval=approval, reason=data["reason"], actor=request.user),
            success=_("Declined: nothing is posted, and the treasurer has been told why."),
            done_url=reverse("admin:finance_overbudgetapproval_changelist") + f"?state={DECLINED}",
            context=lambda: {"together": list(held_together(approval))})
