"""Forms of the books' console and pages. Each validates and explains in the user's language; the services decide."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from core.forms import DateInput
from core.money import CENT
from finance.models import Account, AccountKind, FiscalYear, Voucher, VoucherState
from finance.spending import source_choices, source_label

from .services import (
    BALANCE_SHEET_KINDS,
    LineInput,
    fiscal_year_for,
    opened_year_check,
    opening_balances_check,
    posting_date_check,
)

ZERO = Decimal("0")


class VoucherLineFormSet(BaseInlineFormSet):
    """The lines of a draft voucher: each a debit or a credit, and all together balanced."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        debit = credit = ZERO
        count = 0
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or not data.get("account"):
                continue
            line_debit, line_credit = data.get("debit") or ZERO, data.get("credit") or ZERO
            if (line_debit > 0) == (line_credit > 0) or line_debit < 0 or line_credit < 0:
                form.add_error(None, _("Enter either a debit or a credit amount, not both."))
                continue
            debit, credit, count = debit + line_debit, credit + line_credit, count + 1
        if count < 2:
            raise ValidationError(_("A voucher needs at least two lines."))
        if debit != credit:
            raise ValidationError(_("The voucher does not balance: debits %(debit)s, credits %(credit)s.")
                                  % {"debit": debit.quantize(CENT), "credit": credit.quantize(CENT)})

    def line_inputs(self):
        return [LineInput(data["account"].code, debit=data.get("debit") or ZERO, credit=data.get("credit") or ZERO,
                          summary=data.get("summary") or "", occasion=data.get("occasion") or "")
                for data in (form.cleaned_data for form in self.forms)
                if data and not data.get("DELETE") and data.get("account")]


def account_label(account):
    """An account as offered in forms, with [?] when its code is not verified against the rule (DOMAIN.md §4)."""
    return f"{account} [?]" if account.unverified else str(account)


def active_accounts():
    return Account.objects.filter(is_active=True).order_by("code")


class ConfirmForm(forms.Form):
    """An empty form: the confirmation page's button is the decision."""


class PostingDateMixin:
    """A form whose ``date`` is the date of a voucher posted at once: refused on the form (not with a 500) when its
    year is not opened or is closed, or its period is closed (finance.books.services.posting_date_check)."""

    def clean_date(self):
        return posting_date_check(self.cleaned_data["date"])


class YearOpenForm(forms.Form):
    """开账: the year to open; it is offered the year after the last one opened (or this year, for the first)."""

    year = forms.IntegerField(label=pgettext_lazy("open year form", "Fiscal year"), min_value=2000,
                              max_value=2100)

    def __init__(self, *args, year=None, **kwargs):
        super().__init__(*args, **kwargs)
        last = FiscalYear.objects.filter(opened_at__isnull=False).order_by("-year").first()
        self.fields["year"].initial = year or (last.year + 1 if last else timezone.localdate().year)


class VoucherAdminForm(forms.ModelForm):
    """A draft voucher in the console: its date must lie in an opened fiscal year that is not closed."""

    class Meta:
        model = Voucher
        fields = "__all__"

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date is not None:
            fiscal_year_for(date)  # the refusal is the field's error
        return date


class ReverseVoucherForm(PostingDateMixin, forms.Form):
    date = forms.DateField(label=gettext_lazy("Date of the reversing voucher"), initial=timezone.localdate,
                           widget=DateInput())
    reason = forms.CharField(label=gettext_lazy("Reason for the correction"), max_length=200)


class ReopenPeriodForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason for reopening"), max_length=300,
                             widget=forms.Textarea(attrs={"rows": 3}))


class OpeningBalancesForm(forms.Form):
    """期初余额: one field per balance-sheet account in use (资产, 负债, 净资产), on its normal side; the form checks
    资产 = 负债 + 净资产 (finance.books.services.opening_balances_check) and says by how much they differ."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.accounts = list(active_accounts().filter(kind__in=BALANCE_SHEET_KINDS))
        for account in self.accounts:
            self.fields[self.field_name(account)] = forms.DecimalField(
                label=account_label(account), required=False, max_digits=14, decimal_places=2,
                widget=forms.NumberInput(attrs={"step": "0.01"}))

    @staticmethod
    def field_name(account):
        return f"account_{account.code}"

    def sections(self):
        """The fields grouped by kind, for the page: (kind label, [bound fields])."""
        return [(label, [self[self.field_name(account)] for account in self.accounts if account.kind == kind])
                for kind, label in AccountKind.choices if kind in BALANCE_SHEET_KINDS]

    def clean(self):
        data = super().clean()
        data["balances"] = {account.code: data[self.field_name(account)] for account in self.accounts
                            if data.get(self.field_name(account))}
        if not self.errors:
            opening_balances_check(data["balances"])  # a ValidationError here is shown at the top of the form
        return data


class PostSpendingForm(PostingDateMixin, forms.Form):
    date = forms.DateField(label=gettext_lazy("Voucher date"), initial=timezone.localdate,
                           widget=DateInput())
    credit_account = forms.ModelChoiceField(
        label=gettext_lazy("Paid from"), to_field_name="code", empty_label=None,
        queryset=Account.objects.filter(kind=AccountKind.ASSET, is_active=True).order_by("code"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["credit_account"].initial = "102"


class ChairRequestForm(forms.Form):
    """Posting was refused by the budget check: hold the spending for the chair, saying why it is needed."""

    chair_reason = forms.CharField(label=gettext_lazy("Why it is needed (for the chair)"), max_length=300,
                                   widget=forms.Textarea(attrs={"rows": 2}))


class SpendingHoldForm(ChairRequestForm, PostSpendingForm):
    """The spending posting form with the reason: held for the chair as it would have been posted."""


class BudgetStepForm(forms.Form):
    on = forms.DateField(label=gettext_lazy("Date of the meeting or reply"), initial=timezone.localdate,
                         widget=DateInput())
    reference = forms.CharField(label=gettext_lazy("Reference (minutes, reply number)"), max_length=200,
                                required=False)


#: The kind of source whose costs the console's "Record what an activity cost" page records; the activities app
#: registers it (finance.spending.register_source), so the books never import activities.
ACTIVITY_SOURCE = "activities.activity"


class ActivitySpendingForm(forms.Form):
    """Record what an activity cost, chargeable to 50102 文体活动 or 50105 会员活动 (or another expense account).
    The activities offered are those the activities app registered as a spending source."""

    activity = forms.ModelChoiceField(label=gettext_lazy("Activity"), queryset=None)
    account = forms.ModelChoiceField(label=gettext_lazy("Expense account"), to_field_name="code", queryset=None)
    amount = forms.DecimalField(label=gettext_lazy("Amount (yuan)"), max_digits=14, decimal_places=2,
                                min_value=Decimal("0.01"))
    spent_on = forms.DateField(label=gettext_lazy("Paid on"), initial=timezone.localdate,
                               widget=DateInput())
    summary = forms.CharField(label=gettext_lazy("Summary"), max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = source_choices(ACTIVITY_SOURCE)
        self.fields["activity"].label = source_label(ACTIVITY_SOURCE, default=self.fields["activity"].label)
        self.fields["account"].queryset = active_accounts().filter(kind=AccountKind.EXPENSE)
        self.fields["account"].label_from_instance = account_label
        self.fields["account"].initial = "50105"

    def clean_spent_on(self):
        return opened_year_check(self.cleaned_data["spent_on"]) and self.cleaned_data["spent_on"]


class VoucherFilterForm(forms.Form):
    """The filters of the voucher list page."""

    year = forms.IntegerField(label=gettext_lazy("Year"), required=False, min_value=2000, max_value=2100)
    month = forms.IntegerField(label=gettext_lazy("Month"), required=False, min_value=1, max_value=12)
    state = forms.ChoiceField(label=gettext_lazy("State"), required=False,
                              choices=[("", "—")] + list(VoucherState.choices))
    account = forms.CharField(label=gettext_lazy("Account code"), required=False, max_length=20)
    q = forms.CharField(label=gettext_lazy("Search"), required=False, max_length=100)

