"""The union's books (工会会计制度, 财会〔2021〕7号): chart of accounts, fiscal periods, vouchers and spending.

Only the finance services write these tables. Other apps record spending through `finance.spending`
(the one door into the books for welfare payouts and activity costs) and read through `finance.selectors`.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class AccountKind(models.TextChoices):
    ASSET = "asset", _("assets")
    LIABILITY = "liability", _("liabilities")
    NET_ASSETS = "net_assets", _("net assets")
    INCOME = "income", _("income")
    EXPENSE = "expense", _("expenses")


class Account(models.Model):
    """会计科目. Seeded from DOMAIN.md §4; codes the 2021 rule renumbered are flagged `unverified` ([?])."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=AccountKind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent account"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="children",
    )
    unverified = models.BooleanField(
        _("code not verified against the rule"), default=False,
        help_text=_("The code was not checked against the text of the accounting rule: check and edit it."),
    )
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("account")
        verbose_name_plural = _("chart of accounts")

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def debit_normal(self):
        """Assets and expenses grow on the debit side; liabilities, net assets and income on the credit side."""
        return self.kind in (AccountKind.ASSET, AccountKind.EXPENSE)


class FiscalYear(models.Model):
    """会计年度. Holds the voucher number counter so numbers are allocated under one row lock, without gaps."""

    year = models.PositiveIntegerField(_("year"), unique=True)
    last_voucher_number = models.PositiveIntegerField(_("last voucher number"), default=0)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("fiscal year")
        verbose_name_plural = _("fiscal years")

    def __str__(self):
        return str(self.year)


class Period(models.Model):
    """会计期间: one month. A closed period accepts no posting; reopening is its own logged, chair-only act."""

    fiscal_year = models.ForeignKey(FiscalYear, verbose_name=_("fiscal year"), on_delete=models.PROTECT,
                                    related_name="periods")
    month = models.PositiveSmallIntegerField(_("month"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("closed by"), on_delete=models.PROTECT,
                                  null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["fiscal_year__year", "month"]
        verbose_name = _("accounting period")
        verbose_name_plural = _("accounting periods")
        constraints = [
            models.UniqueConstraint(fields=["fiscal_year", "month"], name="period_unique_month"),
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="period_month_range"),
        ]

    def __str__(self):
        return f"{self.fiscal_year.year}-{self.month:02d}"

    @property
    def is_closed(self):
        return self.closed_at is not None


class VoucherState(models.TextChoices):
    DRAFT = "draft", _("draft")
    POSTED = "posted", _("posted")
    REVIEWED = "reviewed", _("reviewed")


class Voucher(models.Model):
    """记账凭证. Numbered per year when posted (sequential, no gaps); posted vouchers are never edited or deleted."""

    fiscal_year = models.ForeignKey(FiscalYear, verbose_name=_("fiscal year"), on_delete=models.PROTECT,
                                    related_name="vouchers")
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    date = models.DateField(_("date"))
    summary = models.CharField(_("summary"), max_length=200)
    attachments = models.PositiveSmallIntegerField(_("attachments"), default=0)
    state = models.CharField(_("state"), max_length=10, choices=VoucherState.choices, default=VoucherState.DRAFT)
    reverses = models.OneToOneField(
        "self", verbose_name=_("reverses voucher"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="reversed_by",
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("prepared by"),
                                   on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("prepared at"), auto_now_add=True)
    posted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("posted by"), on_delete=models.PROTECT,
                                  null=True, blank=True, related_name="+")
    posted_at = models.DateTimeField(_("posted at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reviewed by"),
                                    on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)

    class Meta:
        ordering = ["fiscal_year__year", "number", "pk"]
        verbose_name = _("voucher")
        verbose_name_plural = _("vouchers")
        constraints = [
            models.UniqueConstraint(fields=["fiscal_year", "number"], name="voucher_unique_number"),
            models.CheckConstraint(
                condition=Q(state=VoucherState.DRAFT, number__isnull=True)
                | (~Q(state=VoucherState.DRAFT) & Q(number__isnull=False, posted_at__isnull=False)),
                name="voucher_numbered_when_posted",
            ),
        ]

    def __str__(self):
        if self.number is None:
            return _("Draft voucher: %(summary)s") % {"summary": self.summary}
        return _("Voucher %(year)s-%(number)04d") % {"year": self.fiscal_year.year, "number": self.number}


class VoucherLine(models.Model):
    """One line of a voucher: an account and an amount on the debit or the credit side (never both, never < 0)."""

    voucher = models.ForeignKey(Voucher, verbose_name=_("voucher"), on_delete=models.PROTECT, related_name="lines")
    account = models.ForeignKey(Account, verbose_name=_("account"), on_delete=models.PROTECT, related_name="lines")
    summary = models.CharField(_("summary"), max_length=200, blank=True)
    debit = models.DecimalField(_("debit"), max_digits=14, decimal_places=2, default=0)
    credit = models.DecimalField(_("credit"), max_digits=14, decimal_places=2, default=0)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("voucher line")
        verbose_name_plural = _("voucher lines")
        constraints = [
            models.CheckConstraint(
                condition=(Q(debit__gt=0) & Q(credit=0)) | (Q(debit=0) & Q(credit__gt=0)),
                name="voucher_line_one_side_positive",
            ),
        ]

    def __str__(self):
        return f"{self.account.code} {self.debit or ''}/{self.credit or ''}"


class SpendingState(models.TextChoices):
    RECORDED = "recorded", _("recorded, not yet in the books")
    POSTED = "posted", _("posted")
    CANCELLED = "cancelled", _("cancelled")


class Spending(models.Model):
    """支出记录: one payout another part of the portal made (a 慰问 gift, a hardship aid payment, an activity's
    costs), waiting for the treasurer to post it, then linked to the voucher that booked it.

    Linked both ways: `source` points at the welfare visit / aid payment / activity; the source finds its
    spending with `finance.spending.spending_for(source)`; `voucher` points at the booking.
    """

    source_type = models.ForeignKey(ContentType, verbose_name=_("source type"), on_delete=models.PROTECT,
                                    related_name="+")
    source_id = models.PositiveBigIntegerField(_("source id"))
    source = GenericForeignKey("source_type", "source_id")
    account = models.ForeignKey(Account, verbose_name=_("expense account"), on_delete=models.PROTECT,
                                related_name="spendings")
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    spent_on = models.DateField(_("date"))
    summary = models.CharField(_("summary"), max_length=200)
    occasion = models.CharField(
        _("occasion"), max_length=50, blank=True,
        help_text=_("What the payout was for, e.g. 2027 春节; the audit report lists holiday gifts by it."),
    )
    state = models.CharField(_("state"), max_length=10, choices=SpendingState.choices,
                             default=SpendingState.RECORDED)
    voucher = models.ForeignKey(Voucher, verbose_name=_("voucher"), on_delete=models.PROTECT, null=True,
                                blank=True, related_name="spendings")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"),
                                    on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["-spent_on", "-pk"]
        verbose_name = _("spending")
        verbose_name_plural = _("spending")
        constraints = [
            models.UniqueConstraint(fields=["source_type", "source_id"], name="spending_one_per_source"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="spending_amount_positive"),
            models.CheckConstraint(
                condition=Q(state=SpendingState.POSTED, voucher__isnull=False)
                | (~Q(state=SpendingState.POSTED) & Q(voucher__isnull=True)),
                name="spending_voucher_when_posted",
            ),
        ]
        indexes = [models.Index(fields=["state", "spent_on"])]

    def __str__(self):
        return f"{self.spent_on} {self.summary} {self.amount}"
