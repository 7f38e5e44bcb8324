"""The union's books (工会会计制度, 财会〔2021〕7号): chart of accounts, fiscal periods, vouchers and spending.

Only the finance services write these tables. Other apps record spending through `finance.spending`
(the one door into the books for welfare payouts and activity costs) and read through `finance.books.selectors`.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.money import money


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
    """会计年度. Holds the voucher number counter so numbers are allocated under one row lock, without gaps.

    A year is opened on purpose (finance.books.services.year_open: who and when, its twelve periods); only an open
    year takes postings. A year's row may exist before it is opened (its budget is drafted in December). A year is
    closed when every one of its periods is closed (月结 of each month, December's being the year's close)."""

    year = models.PositiveIntegerField(_("year"), unique=True)
    last_voucher_number = models.PositiveIntegerField(_("last voucher number"), default=0)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("opened by"), on_delete=models.PROTECT,
                                  null=True, blank=True, related_name="+")
    opening_voucher = models.ForeignKey(
        "Voucher", verbose_name=_("opening balances voucher"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="opens_years",
        help_text=_("The voucher that booked the balances brought forward when the books started (期初余额)."),
    )

    class Meta:
        ordering = ["-year"]
        verbose_name = _("fiscal year")
        verbose_name_plural = _("fiscal years")

    def __str__(self):
        return str(self.year)

    @property
    def is_opened(self):
        """Whether the year was opened on purpose (a closed year was opened too: its periods say it is closed)."""
        return self.opened_at is not None


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
        permissions = [
            ("close_period", _("Can close an accounting period")),
            ("reopen_period", _("Can reopen a closed accounting period")),
        ]
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
        permissions = [
            ("post_voucher", _("Can post a voucher to the books")),
            ("review_voucher", _("Can review a posted voucher")),
            ("reverse_voucher", _("Can correct a posted voucher with a reversing voucher")),
        ]
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
        return _("Voucher %(number)s") % {"number": self.number_label}

    @property
    def number_label(self) -> str:
        """The voucher's number as the books show it, "2027-0003"; "" while it is an unnumbered draft."""
        if self.number is None:
            return ""
        return f"{self.fiscal_year.year}-{self.number:04d}"


class VoucherLine(models.Model):
    """One line of a voucher: an account and an amount on the debit or the credit side (never both, never < 0)."""

    voucher = models.ForeignKey(Voucher, verbose_name=_("voucher"), on_delete=models.PROTECT, related_name="lines")
    account = models.ForeignKey(Account, verbose_name=_("account"), on_delete=models.PROTECT, related_name="lines")
    summary = models.CharField(_("summary"), max_length=200, blank=True)
    debit = models.DecimalField(_("debit"), max_digits=14, decimal_places=2, default=0)
    credit = models.DecimalField(_("credit"), max_digits=14, decimal_places=2, default=0)
    occasion = models.CharField(
        _("occasion"), max_length=50, blank=True,
        help_text=_("An analysis item (辅助核算): the occasion the line pays for, e.g. 2027 春节; the audit report "
                    "lists holiday gifts by it."),
    )

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
        return f"{self.account.code} {money(self.debit, blank_zero=True)}/{money(self.credit, blank_zero=True)}"


class SpendingState(models.TextChoices):
    RECORDED = "recorded", _("recorded, not yet in the books")
    POSTED = "posted", _("posted")
    REVERSED = "reversed", _("posted, then reversed")
    CANCELLED = "cancelled", _("cancelled")


#: Spending that went into the books (a reversed one keeps its link to the voucher that booked it).
BOOKED_SPENDING_STATES = [SpendingState.POSTED, SpendingState.REVERSED]


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
        permissions = [
            ("post_spending", _("Can post recorded spending to a voucher")),
            ("record_spending", _("Can record spending for an activity")),
        ]
        constraints = [
            # A reversed spending is recorded again (finance.books.services.voucher_reverse): one that counts.
            models.UniqueConstraint(fields=["source_type", "source_id"], condition=~Q(state=SpendingState.REVERSED),
                                    name="spending_one_per_source"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="spending_amount_positive"),
            models.CheckConstraint(
                condition=Q(state__in=BOOKED_SPENDING_STATES, voucher__isnull=False)
                | (~Q(state__in=BOOKED_SPENDING_STATES) & Q(voucher__isnull=True)),
                name="spending_voucher_when_posted",
            ),
        ]
        indexes = [models.Index(fields=["state", "spent_on"])]

    def __str__(self):
        return f"{self.spent_on} {self.summary} {money(self.amount)}"


class PeriodReopening(models.Model):
    """Log of a closed period being opened again: its own act, by the chair, with a reason (never edited)."""

    period = models.ForeignKey(Period, verbose_name=_("accounting period"), on_delete=models.PROTECT,
                               related_name="reopenings")
    reason = models.CharField(_("reason"), max_length=300)
    was_closed_at = models.DateTimeField(_("had been closed at"))
    reopened_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reopened by"),
                                    on_delete=models.PROTECT, related_name="+")
    reopened_at = models.DateTimeField(_("reopened at"), auto_now_add=True)

    class Meta:
        ordering = ["-reopened_at"]
        verbose_name = _("period reopening")
        verbose_name_plural = _("period reopenings")

    def __str__(self):
        return f"{self.period} {self.reopened_at:%Y-%m-%d}"


class BudgetState(models.TextChoices):
    """The approval path of a budget and of each adjustment (《基层工会经费收支管理办法》)."""

    DRAFT = "draft", _("draft (草拟)")
    COMMITTEE = "committee", _("passed by the union committee (委员会通过)")
    AUDIT = "audit", _("reviewed by the audit committee (经审会审查)")
    HIGHER = "higher", _("approved by the higher union (上级批复)")


#: States in which a budget's lines limit spending: agreed by the committee and the 经审会. The higher union's reply
#: often comes months into the year; spending is checked against what the union itself has agreed.
BUDGET_IN_FORCE = (BudgetState.AUDIT, BudgetState.HIGHER)


class Budget(models.Model):
    """年度预算, or an adjustment (预算调整) of it. Lines hold amounts per account; an adjustment's lines are
    changes (+/−) to the approved amounts. Each approval step keeps who recorded it, when, and its reference."""

    fiscal_year = models.ForeignKey(FiscalYear, verbose_name=_("fiscal year"), on_delete=models.PROTECT,
                                    related_name="budgets")
    adjusts = models.ForeignKey("self", verbose_name=_("adjusts budget"), on_delete=models.PROTECT, null=True,
                                blank=True, related_name="adjustments")
    title = models.CharField(_("title"), max_length=200)
    state = models.CharField(_("state"), max_length=10, choices=BudgetState.choices, default=BudgetState.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("prepared by"),
                                   on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("prepared at"), auto_now_add=True)
    committee_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("committee decision recorded by"),
                                     on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    committee_on = models.DateField(_("committee decision on"), null=True, blank=True)
    committee_reference = models.CharField(_("committee minutes"), max_length=200, blank=True)
    audit_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("audit committee review recorded by"),
                                 on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    audit_on = models.DateField(_("audit committee review on"), null=True, blank=True)
    audit_reference = models.CharField(_("audit committee minutes"), max_length=200, blank=True)
    higher_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("higher union's reply recorded by"),
                                  on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    higher_on = models.DateField(_("higher union's reply on"), null=True, blank=True)
    higher_reference = models.CharField(_("higher union's reply"), max_length=200, blank=True)

    class Meta:
        ordering = ["-fiscal_year__year", "pk"]
        verbose_name = _("budget")
        verbose_name_plural = _("budgets")
        permissions = [("approve_budget", _("Can record the approval steps of a budget"))]
        constraints = [
            models.UniqueConstraint(fields=["fiscal_year"], condition=Q(adjusts__isnull=True),
                                    name="budget_one_per_year"),
        ]

    def __str__(self):
        return f"{self.fiscal_year.year} {self.title}"

    @property
    def is_adjustment(self):
        return self.adjusts_id is not None


class BudgetLine(models.Model):
    """One account's amount in a budget (or, in an adjustment, the change to it)."""

    budget = models.ForeignKey(Budget, verbose_name=_("budget"), on_delete=models.CASCADE, related_name="lines")
    account = models.ForeignKey(Account, verbose_name=_("account"), on_delete=models.PROTECT,
                                related_name="budget_lines")
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2,
                                 help_text=_("In an adjustment: the change, negative to reduce the line."))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["account__code"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        constraints = [models.UniqueConstraint(fields=["budget", "account"], name="budget_line_one_per_account")]

    def __str__(self):
        return f"{self.account.code} {money(self.amount)}"


class OverBudgetApprovalQuerySet(models.QuerySet):
    def pending(self):
        """The requests waiting for the chair: neither confirmed nor declined."""
        return self.filter(approved_at__isnull=True, declined_at__isnull=True)

    def declined(self):
        return self.filter(declined_at__isnull=False)


class OverBudgetApproval(models.Model):
    """The chair's explicit consent to spend beyond an approved budget line (超预算支出), or to spend while no budget
    is in force for the year (``no_budget``: 预算尚未生效). Either the chair records it before the treasurer posts,
    or the treasurer, refused at posting, asks for it (requested_by, requested_at: the spending is then held for
    the chair) and the chair confirms it (approved_by, approved_at) or declines it with a reason (declined_by,
    declined_at, decline_reason: nothing is posted, and the posting can be held again). A request names what it
    holds (held_key, held_voucher or held_spendings). Consumed by the first voucher that needs it, which it then
    points to."""

    fiscal_year = models.ForeignKey(FiscalYear, verbose_name=_("fiscal year"), on_delete=models.PROTECT,
                                    related_name="over_budget_approvals")
    account = models.ForeignKey(Account, verbose_name=_("account"), on_delete=models.PROTECT,
                                related_name="over_budget_approvals")
    no_budget = models.BooleanField(
        _("no budget in force"), default=False,
        help_text=_("Spending while the year's budget is not yet in force, rather than above an approved line."))
    amount = models.DecimalField(_("amount above the budget"), max_digits=14, decimal_places=2)
    reason = models.CharField(_("reason"), max_length=300)
    subject = models.CharField(_("spending held"), max_length=200, blank=True,
                               help_text=_("What the treasurer was posting when it was held for the chair."))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("requested by"),
                                     on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    requested_at = models.DateTimeField(_("requested at"), null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("approved by"),
                                    on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    voucher = models.ForeignKey(Voucher, verbose_name=_("used by voucher"), on_delete=models.PROTECT,
                                null=True, blank=True, related_name="over_budget_approvals")
    # What the request is for: the draft voucher or the recorded spending held (held_key names it, so the same
    # posting is not asked for twice whatever its summary says, and two postings with the same summary are two).
    held_key = models.CharField(_("held posting"), max_length=64, blank=True, db_index=True)
    held_voucher = models.ForeignKey(Voucher, verbose_name=_("voucher held"), on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="held_requests")
    held_spendings = models.ManyToManyField("Spending", verbose_name=_("spending held"), blank=True,
                                            related_name="held_requests")
    declined_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("declined by"),
                                    on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    declined_at = models.DateTimeField(_("declined at"), null=True, blank=True)
    decline_reason = models.CharField(_("reason for declining"), max_length=300, blank=True)

    objects = OverBudgetApprovalQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-approved_at", "-pk"]
        verbose_name = _("over-budget approval")
        verbose_name_plural = _("over-budget approvals")
        permissions = [("approve_over_budget", _("Can approve spending above the budget"))]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="over_budget_amount_positive"),
            # approved: by whom and when, together; otherwise a request, waiting for the chair
            models.CheckConstraint(condition=Q(approved_by__isnull=True, approved_at__isnull=True)
                                   | Q(approved_by__isnull=False, approved_at__isnull=False),
                                   name="over_budget_approved_by_and_at"),
            models.CheckConstraint(condition=Q(approved_at__isnull=False) | Q(requested_at__isnull=False),
                                   name="over_budget_requested_or_approved"),
            models.CheckConstraint(condition=Q(voucher__isnull=True) | Q(approved_at__isnull=False),
                                   name="over_budget_used_once_approved"),
            # declined: a request, by whom, when and why, together; never also confirmed
            models.CheckConstraint(condition=Q(declined_by__isnull=True, declined_at__isnull=True)
                                   | Q(declined_by__isnull=False, declined_at__isnull=False, requested_at__isnull=False,
                                       approved_at__isnull=True) & ~Q(decline_reason=""),
                                   name="over_budget_declined_request_with_reason"),
        ]

    def __str__(self):
        return f"{self.fiscal_year.year} {self.account.code} +{money(self.amount)}"

    @property
    def is_pending(self):
        """Waiting for the chair: neither confirmed nor declined."""
        return self.approved_at is None and self.declined_at is None

    @property
    def is_declined(self):
        return self.declined_at is not None
