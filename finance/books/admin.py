"""The treasurer's and chair's console for the books: the chart of accounts, fiscal years and periods, vouchers
(entry with running totals, posting, review, reversal) and recorded spending.

Drafts are edited here; everything that puts something into the books or takes a step goes through
finance.books.services / finance.spending / finance.budgets.services, on confirmation pages. A posted voucher shows read-only,
without a delete button. The auditor holds only view permissions, so every write here answers 403 for them.
"""

from django.contrib import admin, messages
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.admin import ReadOnlyInline, ReadOnlyModelAdmin
from core.admin_actions import confirm_action, confirm_each
from core.admin_export import ChangelistExportMixin
from core.money import MoneyAdminMixin, money
from core.punctuation import labelled
from finance.budgets.services import (
    BudgetExceeded,
    declined_requests,
    held_key,
    pending_requests,
    voucher_hold,
)
from finance.models import (
    Account,
    FiscalYear,
    OverBudgetApproval,
    Period,
    PeriodReopening,
    Spending,
    SpendingState,
    Voucher,
    VoucherLine,
    VoucherState,
)
from finance.spending import spending_for, spending_hold, spending_post, spending_record

from . import exports, selectors, services


def _warn_overdrawn(modeladmin, request, voucher):
    """Say so when a posting left 库存现金 or another asset account below zero (the books do not refuse it)."""
    for account, balance in selectors.overdrawn_assets(voucher):
        modeladmin.message_user(request, _(
            "%(account)s now stands at %(balance)s yuan on %(date)s: an asset cannot go below zero — check that "
            "the money really came from this account, or enter the receipt that is missing.")
            % {"account": account, "balance": balance, "date": voucher.date.isoformat()}, messages.WARNING)


#: The button of the posting pages that holds refused spending for the chair instead of posting it.
ASK_CHAIR = "ask_chair"


def _budget_context(refusal, *, year, key):
    """A budget refusal is shown with the way out: hold it for the chair (or, for the chair, approve it), which
    requests for this posting (`key`, finance.budgets.services.held_key) wait already, and the chair's last
    refusal of it, if any, with the reason."""
    pending = list(pending_requests(year=year, findings=refusal.excesses).filter(held_key=key))
    waiting = {(request.account_id, request.no_budget) for request in pending}
    return {"budget_error": refusal, "pending": pending, "declined": declined_requests(key=key).first(),
            "all_held": all((finding.account.pk, finding.no_budget) in waiting for finding in refusal.excesses)}


def _held(requests):
    return ngettext("Held for the chair's confirmation (%(count)d request); post it again once the chair has "
                    "confirmed.", "Held for the chair's confirmation (%(count)d requests); post it again once the "
                    "chair has confirmed.", len(requests)) % {"count": len(requests)}
from .access import can_record_spending
from .admin_links import admin_link
from .forms import (
    ActivitySpendingForm,
    ChairRequestForm,
    ConfirmForm,
    OpeningBalancesForm,
    PostSpendingForm,
    ReopenPeriodForm,
    ReverseVoucherForm,
    SpendingHoldForm,
    VoucherAdminForm,
    VoucherLineFormSet,
    YearOpenForm,
    account_label,
)
from .selectors import subtree_ids_for_code


class BooksAdminMixin:
    """Confirmation pages on an object of this admin: fetch (404), authorise (403), render."""

    def _object(self, request, pk, permission):
        obj = get_object_or_404(self.model, pk=pk)
        if not self.has_view_permission(request, obj) or not request.user.has_perm(permission):
            raise PermissionDenied
        return obj

    def _page(self, request, obj, title, template, **extra):
        context = {**self.admin_site.each_context(request), "title": title, "opts": self.model._meta,
                   "original": obj, **extra}
        return TemplateResponse(request, template, context)

    def _change_url(self, obj):
        return reverse(f"admin:finance_{self.model._meta.model_name}_change", args=[obj.pk])

    def _wrap(self, view):
        return self.admin_site.admin_view(view)

    def changelist_view(self, request, extra_context=None):
        # An action the user may not run is a refused write (403), not a quiet "no action selected".
        if request.method == "POST" and "action" in request.POST \
                and request.POST["action"] not in self.get_actions(request):
            raise PermissionDenied
        return super().changelist_view(request, extra_context)


# --- chart of accounts -------------------------------------------------------------------------------------------

@admin.register(Account)
class AccountAdmin(BooksAdminMixin, admin.ModelAdmin):
    list_display = ("code", "name", "kind", "parent", "flag", "is_active", "line_count")
    list_filter = ("kind", "unverified", "is_active")
    search_fields = ("code", "name")
    list_select_related = ("parent",)
    fields = ("code", "name", "kind", "parent", "unverified", "is_active")
    actions = None

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(line_total=Count("lines"))

    @admin.display(description=gettext_lazy("code checked"))
    def flag(self, obj):
        if obj.unverified:
            return format_html('<strong class="unverified" title="{}">[?] {}</strong>',
                               _("The code was not checked against the text of the accounting rule: check and "
                                 "edit it."), _("not verified"))
        return "✓"

    @admin.display(description=gettext_lazy("lines"), ordering="line_total")
    def line_count(self, obj):
        return obj.line_total

    def get_readonly_fields(self, request, obj=None):
        # What an account means cannot change under lines already booked on it; its name can.
        if obj is not None and obj.lines.exists():
            return ("code", "kind", "parent")
        return ()

    def has_delete_permission(self, request, obj=None):
        if obj is not None and (obj.lines.exists() or obj.children.exists() or obj.spendings.exists()
                                or obj.budget_lines.exists()):
            return False
        return super().has_delete_permission(request, obj)


# --- fiscal years and periods ------------------------------------------------------------------------------------

class PeriodInline(ReadOnlyInline):
    model = Period
    fields = ("month", "closed_at", "closed_by")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("closed_by__member")


@admin.register(FiscalYear)
class FiscalYearAdmin(BooksAdminMixin, admin.ModelAdmin):
    """Opening a year creates its twelve periods (finance.books.services.year_open); nothing else is edited here."""

    list_display = ("year", "last_voucher_number", "closed_periods", "opening_link")
    fields = ("year",)
    inlines = [PeriodInline]
    actions = None
    change_form_template = "admin/finance/fiscalyear/change_form.html"

    @admin.display(description=gettext_lazy("opening balances"))
    def opening_link(self, obj):
        return admin_link(obj.opening_voucher) if obj.opening_voucher_id else "—"

    def get_urls(self):
        return [path("<int:pk>/opening-balances/", self._wrap(self.opening_view),
                     name="finance_fiscalyear_opening"),
                path("open/", self._wrap(self.open_view), name="finance_fiscalyear_open")] + super().get_urls()

    def add_view(self, request, form_url="", extra_context=None):
        """A year is opened on its confirmation page (open_view), not through a plain add form."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        return HttpResponseRedirect(reverse("admin:finance_fiscalyear_open"))

    def open_view(self, request):
        """开账: open a fiscal year on purpose (finance.books.services.year_open — after the year before it, except
        the first year of the books); then on to its opening balances when it is the first year."""
        year = request.GET.get("year", "")
        year = int(year) if year.isascii() and year.isdigit() and len(year) == 4 else None
        return confirm_action(
            self, request, title=_("Open a fiscal year"), template="admin/finance/fiscalyear/open.html",
            form_class=YearOpenForm, form_kwargs={"year": year},
            permission="finance.add_fiscalyear",
            perform=lambda data: services.year_open(year=data["year"], actor=request.user),
            success=lambda fiscal_year: _("The fiscal year %(year)s is open.") % {"year": fiscal_year.year},
            done_url=self._after_opening)

    def _after_opening(self, fiscal_year):
        first = not FiscalYear.objects.filter(opened_at__isnull=False, year__lt=fiscal_year.year).exists()
        if first and fiscal_year.opening_voucher_id is None:
            return reverse("admin:finance_fiscalyear_opening", args=[fiscal_year.pk])
        return self._change_url(fiscal_year)

    def opening_view(self, request, pk):
        """期初余额: the balances the books start with, entered per account and booked as the year's opening
        voucher (finance.books.services.opening_balances_book)."""
        year = self._object(request, pk, "finance.post_voucher")
        return confirm_action(
            self, request, obj=year, title=_("Opening balances of %(year)s") % {"year": year.year},
            template="admin/finance/fiscalyear/opening.html", form_class=OpeningBalancesForm,
            done_url=self._change_url(year), once="finance.opening_balances",
            perform=lambda data: services.opening_balances_book(year=year.year, balances=data["balances"],
                                                                actor=request.user),
            success=lambda voucher: format_html(_("The opening balances are booked as {}."), admin_link(voucher)))

    def get_queryset(self, request):
        closed = Count("periods", filter=Q(periods__closed_at__isnull=False))
        return super().get_queryset(request).select_related("opening_voucher__fiscal_year").annotate(closed=closed)

    @admin.display(description=gettext_lazy("closed periods"))
    def closed_periods(self, obj):
        return obj.closed

    def get_readonly_fields(self, request, obj=None):
        return ("year", "last_voucher_number") if obj else ()

    def get_inlines(self, request, obj):
        return self.inlines if obj else []

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_related(self, request, form, formsets, change):
        pass


class ReopeningInline(ReadOnlyInline):
    model = PeriodReopening
    fields = ("reopened_at", "reopened_by", "was_closed_at", "reason")


@admin.register(Period)
class PeriodAdmin(BooksAdminMixin, ReadOnlyModelAdmin):
    list_display = ("__str__", "state", "closed_at", "closed_by")
    list_filter = ("fiscal_year__year", ("closed_at", admin.EmptyFieldListFilter))
    fields = ("fiscal_year", "month", "closed_at", "closed_by")
    readonly_fields = fields
    list_select_related = ("fiscal_year", "closed_by")
    inlines = [ReopeningInline]
    actions = ["close_selected"]
    change_form_template = "admin/finance/period/change_form.html"

    @admin.display(description=gettext_lazy("state"))
    def state(self, obj):
        return _("closed") if obj.is_closed else _("open")

    def has_close_permission(self, request):
        return request.user.has_perm("finance.close_period")

    @admin.action(description=gettext_lazy("Close the selected periods"), permissions=["close"])
    def close_selected(self, request, queryset):
        """Every selected period closed, or none (a refusal names the period)."""
        return confirm_each(
            self, request, queryset.order_by("fiscal_year__year", "month"), title=_("Close periods"),
            template="admin/finance/period/close.html", heading=_("Periods to close"),
            question=lambda count: ngettext("%(count)d period will be closed.", "%(count)d periods will be closed.",
                                            count) % {"count": count},
            skip=lambda period: _("closed already") if period.is_closed else None,
            service=lambda period, data: services.period_close(period=period, actor=request.user),
            success=lambda count: ngettext("%(count)d period closed.", "%(count)d periods closed.", count)
            % {"count": count})

    def get_urls(self):
        return [path("<int:pk>/reopen/", self._wrap(self.reopen_view), name="finance_period_reopen")] \
            + super().get_urls()

    def reopen_view(self, request, pk):
        period = self._object(request, pk, "finance.reopen_period")
        return confirm_action(
            self, request, obj=period, title=_("Reopen period"), template="admin/finance/period/reopen.html",
            form_class=ReopenPeriodForm, done_url=self._change_url(period),
            perform=lambda data: services.period_reopen(period=period, reason=data["reason"], actor=request.user),
            success=_("%(period)s is open again.") % {"period": period})


@admin.register(PeriodReopening)
class PeriodReopeningAdmin(BooksAdminMixin, ReadOnlyModelAdmin):
    """Every reopening of a closed period, for the audit committee."""

    list_display = ("period", "reopened_at", "reopened_by", "was_closed_at", "reason")
    list_filter = ("period__fiscal_year__year",)
    list_select_related = ("period__fiscal_year", "reopened_by")
    actions = None


# --- vouchers ----------------------------------------------------------------------------------------------------

class AccountChoiceMixin:
    """Inline lines offer the accounts in use, unverified codes marked [?]."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "account":
            kwargs["queryset"] = Account.objects.filter(is_active=True).order_by("code")
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "account":
            field.label_from_instance = account_label
        return field


class VoucherLineInline(MoneyAdminMixin, AccountChoiceMixin, admin.TabularInline):
    money_fields = ("debit", "credit",)
    model = VoucherLine
    formset = VoucherLineFormSet
    fields = ("account", "summary", "occasion", "debit", "credit")
    extra = 0
    min_num = 2

    def get_extra(self, request, obj=None, **kwargs):
        return 0 if obj else 2


    def has_add_permission(self, request, obj=None):
        return (obj is None or obj.state == VoucherState.DRAFT) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return (obj is None or obj.state == VoucherState.DRAFT) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return (obj is None or obj.state == VoucherState.DRAFT) and super().has_delete_permission(request, obj)


class SpendingInline(MoneyAdminMixin, ReadOnlyInline):
    money_fields = ("amount",)
    model = Spending
    fields = ("spent_on", "summary", "account", "amount", "source_link")
    readonly_fields = fields
    verbose_name_plural = gettext_lazy("spending booked by this voucher")

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields

    @admin.display(description=gettext_lazy("source"))
    def source_link(self, obj):
        return admin_link(obj.source)

    def has_delete_permission(self, request, obj=None):
        return False


class MonthFilter(admin.SimpleListFilter):
    title = gettext_lazy("period (month)")
    parameter_name = "month"

    def lookups(self, request, model_admin):
        return [(str(month), f"{month:02d}") for month in range(1, 13)]

    def queryset(self, request, queryset):
        months = {str(month) for month in range(1, 13)}
        return queryset.filter(date__month=int(self.value())) if self.value() in months else queryset


class AccountFilter(admin.SimpleListFilter):
    title = gettext_lazy("account")
    parameter_name = "account"

    def lookups(self, request, model_admin):
        return [(account.code, str(account)) for account in Account.objects.order_by("code")]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        # A subquery, not a join: the list's per-voucher sums must not be multiplied by matching lines.
        return queryset.filter(Exists(VoucherLine.objects.filter(
            account_id__in=subtree_ids_for_code(self.value()), voucher=OuterRef("pk"))))


@admin.register(Voucher)
class VoucherAdmin(ChangelistExportMixin, BooksAdminMixin, admin.ModelAdmin):
    list_display = ("display_number", "date", "summary", "amount", "state", "reverses_link", "attachments")
    list_filter = ("fiscal_year__year", MonthFilter, "state", AccountFilter)
    search_fields = ("summary", "lines__summary", "=number")
    list_select_related = ("fiscal_year", "reverses__fiscal_year")
    date_hierarchy = "date"
    inlines = [VoucherLineInline, SpendingInline]
    actions = None
    change_form_template = "admin/finance/voucher/change_form.html"
    form = VoucherAdminForm

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(debit_total=Sum("lines__debit"))

    def changelist_xlsx(self, request, queryset):
        return exports.vouchers_xlsx(queryset.prefetch_related("lines__account"))

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # A posted voucher's lines are read-only: its totals come from the books, not from the page's inputs.
        if obj is not None and obj.state != VoucherState.DRAFT:
            context["voucher_totals"] = obj.lines.aggregate(debit=Sum("debit"), credit=Sum("credit"))
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)

    @admin.display(description=gettext_lazy("number"), ordering="number")
    def display_number(self, obj):
        return obj.number_label or _("draft")

    @admin.display(description=gettext_lazy("amount"), ordering="debit_total")
    def amount(self, obj):
        return money(obj.debit_total)  # "86,523.40", right-aligned by the console's list styles

    @admin.display(description=gettext_lazy("reverses voucher"))
    def reverses_link(self, obj):
        return admin_link(obj.reverses) if obj.reverses_id else ""

    def get_fields(self, request, obj=None):
        if obj is None or obj.state == VoucherState.DRAFT:
            return ("date", "summary", "attachments")
        return ("display_number", "date", "summary", "attachments", "state", "reverses_link", "reversed_by_link",
                "created_by", "posted_by", "posted_at", "reviewed_by", "reviewed_at")

    def get_readonly_fields(self, request, obj=None):
        if obj is None or obj.state == VoucherState.DRAFT:
            return ()
        return self.get_fields(request, obj)

    @admin.display(description=gettext_lazy("reversed by"))
    def reversed_by_link(self, obj):
        reversal = Voucher.objects.filter(reverses=obj).first()
        return admin_link(reversal) if reversal else "—"

    def get_inlines(self, request, obj):
        return [VoucherLineInline, SpendingInline] if obj and obj.spendings.exists() else [VoucherLineInline]

    def has_change_permission(self, request, obj=None):
        return (obj is None or obj.state == VoucherState.DRAFT) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return (obj is None or obj.state == VoucherState.DRAFT) and super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        """A new draft is saved empty; its lines go in through the service in save_related."""
        if not change:
            obj.fiscal_year = services.fiscal_year_for(obj.date)
            obj.created_by = request.user
            obj.save()

    def save_formset(self, request, form, formset, change):
        if isinstance(formset, VoucherLineFormSet):
            data = form.cleaned_data
            form.instance = services.voucher_update_draft(
                voucher=form.instance, date=data["date"], summary=data["summary"],
                attachments=data.get("attachments") or 0, lines=formset.line_inputs(), actor=request.user)
            # The service replaced the lines; the admin's change message reads these.
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        else:
            super().save_formset(request, form, formset, change)

    def get_deleted_objects(self, objs, request):
        # A draft's lines are protected from a stray delete, but voucher_delete_draft removes them with it; what it
        # still asks of the chair is withdrawn with it (held_withdraw), and the confirmation page says so.
        deleted, counts, perms_needed, _protected = super().get_deleted_objects(objs, request)
        waiting = OverBudgetApproval.objects.pending().filter(held_voucher__in=objs).select_related("account")
        withdrawn = _("Request waiting for the chair, withdrawn with it")
        deleted += [labelled(withdrawn, f"{request.account} {money(request.amount)}") for request in waiting]
        return deleted, counts, perms_needed, []

    def delete_model(self, request, obj):
        services.voucher_delete_draft(voucher=obj, actor=request.user)

    def get_urls(self):
        return [
            path("<int:pk>/post/", self._wrap(self.post_view), name="finance_voucher_post"),
            path("<int:pk>/review/", self._wrap(self.review_view), name="finance_voucher_review"),
            path("<int:pk>/reverse/", self._wrap(self.reverse_view), name="finance_voucher_reverse"),
        ] + super().get_urls()

    def _confirm(self, request, voucher, *, title, template, action, once, form_class=ConfirmForm):
        def done(result):
            _warn_overdrawn(self, request, result)
            return _("Done: %(voucher)s.") % {"voucher": result}

        def refused(refusal, form):
            if isinstance(refusal, BudgetExceeded):
                return _budget_context(refusal, year=voucher.date.year, key=held_key(voucher=voucher))
            form.add_error(None, refusal)
            return {}

        return confirm_action(
            self, request, obj=voucher, title=title, template=template, form_class=form_class, perform=action,
            success=done, done_url=self._change_url, on_refusal=refused, once=once,
            context=lambda: {"lines": voucher.lines.select_related("account"),
                             # only a draft about to be posted can still be stopped: warn on its page alone
                             "overdrawn": selectors.overdrawn_assets(voucher)
                             if voucher.state == VoucherState.DRAFT else []})

    def post_view(self, request, pk):
        voucher = self._object(request, pk, "finance.post_voucher")
        if request.method == "POST" and ASK_CHAIR in request.POST:
            return confirm_action(
                self, request, obj=voucher, title=_("Post voucher"), template="admin/finance/voucher/post.html",
                form_class=ChairRequestForm, once="finance.voucher_hold", success=_held,
                done_url=self._change_url(voucher),
                perform=lambda data: voucher_hold(voucher=voucher, reason=data["chair_reason"], actor=request.user),
                context=lambda: {"lines": voucher.lines.select_related("account")})
        return self._confirm(request, voucher, title=_("Post voucher"), template="admin/finance/voucher/post.html",
                             once="finance.voucher_post",
                             action=lambda data: services.voucher_post(voucher=voucher, actor=request.user))

    def review_view(self, request, pk):
        voucher = self._object(request, pk, "finance.review_voucher")
        return self._confirm(request, voucher, title=_("Review voucher"),
                             template="admin/finance/voucher/review.html", once="finance.voucher_review",
                             action=lambda data: services.voucher_review(voucher=voucher, actor=request.user))

    def reverse_view(self, request, pk):
        voucher = self._object(request, pk, "finance.reverse_voucher")
        return self._confirm(request, voucher, title=_("Reverse voucher"), form_class=ReverseVoucherForm,
                             template="admin/finance/voucher/reverse.html", once="finance.voucher_reverse",
                             action=lambda data: services.voucher_reverse(
                                 voucher=voucher, date=data["date"], reason=data["reason"], actor=request.user))


# --- recorded spending -------------------------------------------------------------------------------------------

@admin.register(Spending)
class SpendingAdmin(MoneyAdminMixin, BooksAdminMixin, ReadOnlyModelAdmin):
    """Spending is written only by finance.spending (welfare and activities record it); here the treasurer posts
    it to the books and records what an activity cost."""

    money_fields = ("amount",)
    list_display = ("spent_on", "summary", "account", "amount", "occasion", "state", "voucher_link", "source_link")
    list_filter = ("state", "account", "occasion")
    search_fields = ("summary", "occasion")
    list_select_related = ("account", "voucher__fiscal_year", "source_type")
    actions = ["post_selected"]
    change_list_template = "admin/finance/spending/change_list.html"

    def get_queryset(self, request):
        # The sources (a visit, an aid payment, an activity) name themselves through their own foreign keys: fetch
        # each kind in one query with those joined, not one query per row.
        kinds = ContentType.objects.filter(pk__in=Spending.objects.values("source_type").distinct())
        fetch = [kind.model_class()._default_manager.select_related() for kind in kinds if kind.model_class()]
        return super().get_queryset(request).prefetch_related(GenericPrefetch("source", fetch))

    @admin.display(description=gettext_lazy("voucher"))
    def voucher_link(self, obj):
        return admin_link(obj.voucher) if obj.voucher_id else "—"

    @admin.display(description=gettext_lazy("source"))
    def source_link(self, obj):
        return admin_link(obj.source)

    def has_post_permission(self, request):
        return request.user.has_perm("finance.post_spending")

    @admin.action(description=gettext_lazy("Post the selected spending to the books"), permissions=["post"])
    def post_selected(self, request, queryset):
        spendings = list(queryset.filter(state=SpendingState.RECORDED).select_related("account"))
        page = {"title": _("Post spending to the books"), "template": "admin/finance/spending/post.html",
                "context": lambda: {"spendings": spendings, "total": sum((s.amount for s in spendings), 0),
                                    "skipped": queryset.count() - len(spendings)}}
        if ASK_CHAIR in request.POST:  # posting was refused by the budget check: hold it for the chair
            return confirm_action(
                self, request, queryset, form_class=SpendingHoldForm, once="finance.spending_hold", success=_held,
                perform=lambda data: spending_hold(spendings=spendings, date=data["date"],
                                                   reason=data["chair_reason"], actor=request.user), **page)

        def refused(refusal, form):
            if isinstance(refusal, BudgetExceeded):
                return _budget_context(refusal, year=form.cleaned_data["date"].year, key=held_key(spendings=spendings))
            return {"error": " ".join(refusal.messages)}

        return confirm_action(
            self, request, queryset, form_class=PostSpendingForm, once="finance.spending_post",
            perform=lambda data: spending_post(spendings=spendings, date=data["date"], actor=request.user,
                                               credit_account_code=data["credit_account"].code),
            success=lambda voucher: (_warn_overdrawn(self, request, voucher)
                                     or format_html(_("Posted as {}."), admin_link(voucher))),
            on_refusal=refused, **page)

    def get_urls(self):
        return [path("record-activity/", self._wrap(self.record_activity_view),
                     name="finance_spending_record_activity")] + super().get_urls()

    def record_activity_view(self, request):
        def record(data):
            if spending_for(data["activity"]) is not None:
                raise ValidationError(_("Spending for this activity is recorded already."))
            return spending_record(source=data["activity"], amount=data["amount"], account_code=data["account"].code,
                                   spent_on=data["spent_on"], summary=data["summary"], actor=request.user)

        return confirm_action(
            self, request, title=_("Record what an activity cost"),
            template="admin/finance/spending/record_activity.html", form_class=ActivitySpendingForm,
            permission=lambda request: can_record_spending(request.user), perform=record,
            once="finance.activity_spending",
            success=_("Recorded; post it to the books from this list."))

