"""Forms of the dues pages: uploading a deduction list, and a payment in person."""

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput
from core.spreadsheet import check_upload_size

from .selectors import previous_month

MONTHS = [(m, str(m)) for m in range(1, 13)]
#: A deduction list of a few thousand rows is well under a megabyte; anything far larger is not one.


def _default_year_month():
    today = timezone.localdate()
    return previous_month(today.year, today.month)


class MonthFields(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    month = forms.TypedChoiceField(label=_("Month"), choices=MONTHS, coerce=int)
    received_on = forms.DateField(label=_("Date the money arrived"), widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        year, month = _default_year_month()
        self.fields["year"].initial = year
        self.fields["month"].initial = month
        self.fields["received_on"].initial = timezone.localdate()


class DuesImportForm(MonthFields):
    file = forms.FileField(label=_("Deduction list (.xlsx or .csv)"),
                           help_text=_("The payroll office's list for the month, with the file's own column headers: the "
                                       "name (姓名), the ID number (身份证号) or union card number (会员证号), and the "
                                       "amount (工会会费, 代扣会费, 会费 …), and the pay base (工资基数) if it has one. "
                                       "The file is deleted after the import."))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        check_upload_size(upload)
        return upload


class PaymentForm(MonthFields):
    amount = forms.DecimalField(label=_("Amount paid"), max_digits=14, decimal_places=2, min_value=Decimal("0.01"))
    account = forms.ChoiceField(label=_("Received"), choices=[("101", _("in cash (101 库存现金)")),
                                                               ("102", _("into the bank (102 银行存款)"))])
