"""Benefit policy, condolence visits (慰问), care reports and holiday distributions.

The rules are data (DOMAIN.md §3, §6): a `BenefitPolicy` per year and region holds one `OccasionRule` per occasion
it covers (caps, allowed forms, eligibility, expense account) and the yearly holiday total. A `Visit` copies the
figures it was checked against (the *snapshot* fields), so editing the policy later never alters what was recorded.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core import chinese_calendar
from core.money import money

MONEY = {"max_digits": 14, "decimal_places": 2}


class OccasionKind(models.TextChoices):
    HOLIDAY = "holiday", _("holiday (节日慰问)")
    BIRTHDAY = "birthday", _("birthday")
    EVENT = "event", _("life event")


class Calendar(models.TextChoices):
    GREGORIAN = chinese_calendar.GREGORIAN, _("Gregorian date")
    LUNAR = chinese_calendar.LUNAR, _("lunar date")
    SOLAR_TERM = chinese_calendar.SOLAR_TERM, _("solar term (day = term index, 清明 = 6)")


class GiftForm(models.TextChoices):
    GOODS = "goods", _("goods (实物)")
    VOUCHER = "voucher", _("voucher for named goods (指定商品券)")
    CASH = "cash", _("cash (慰问金)")


class Occasion(models.Model):
    """An occasion the union cares about (生日, 春节, 生病住院 …). Holidays carry their date rule as data."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=50, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=OccasionKind.choices, default=OccasionKind.EVENT)
    calendar = models.CharField(_("calendar"), max_length=12, choices=Calendar.choices, blank=True, default="",
                                help_text=_("Holidays only: how the date is kept each year."))
    month = models.PositiveSmallIntegerField(_("month"), null=True, blank=True)
    day = models.PositiveSmallIntegerField(_("day"), null=True, blank=True)
    must_visit = models.BooleanField(_("must visit (五必访)"), default=False,
                                     help_text=_("A visit must happen whenever this occasion is reported."))
    after_death = models.BooleanField(_("given after the member's death"), default=False,
                                      help_text=_("e.g. 会员去世: recorded for a member whose status is deceased."))
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("occasion")
        verbose_name_plural = _("occasions")
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind=OccasionKind.HOLIDAY) | (~Q(calendar="") & Q(day__isnull=False)),
                name="occasion_holiday_has_date_rule",
                violation_error_message=_("A holiday needs a calendar and a day (and a month unless a solar term)."),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_holiday(self):
        return self.kind == OccasionKind.HOLIDAY

    def date_in(self, year):
        """The Gregorian date of this holiday in `year` (computed, never typed: 春节 moves every year)."""
        return chinese_calendar.occasion_date(calendar=self.calendar, month=self.month or 1, day=self.day, year=year)


class BenefitPolicy(models.Model):
    """The caps and forms in force for one year in one region (provincial rules differ — DOMAIN §3)."""

    year = models.PositiveIntegerField(_("year"))
    region = models.CharField(_("region"), max_length=50)
    name = models.CharField(_("name"), max_length=200,
                            help_text=_("Say where the figures come from, e.g. the provincial document."))
    in_use = models.BooleanField(_("in use"), default=True,
                                 help_text=_("The policy the portal applies for its year (one per year)."))
    holiday_yearly_cap = models.DecimalField(
        _("yearly holiday total cap"), **MONEY, null=True, blank=True,
        help_text=_("Most a member may receive in holiday gifts (节日慰问) in the year; empty for no total cap."))
    notes = models.TextField(_("notes"), blank=True, default="")

    class Meta:
        ordering = ["-year", "region"]
        verbose_name = _("benefit policy")
        verbose_name_plural = _("benefit policies")
        constraints = [
            models.UniqueConstraint(fields=["year", "region"], name="benefit_policy_year_region_unique"),
            models.UniqueConstraint(fields=["year"], condition=Q(in_use=True), name="benefit_policy_one_in_use",
                                    violation_error_message=_("Another policy is already in use for this year.")),
            models.CheckConstraint(condition=Q(holiday_yearly_cap__isnull=True) | Q(holiday_yearly_cap__gte=0),
                                   name="benefit_policy_holiday_cap_not_negative"),
        ]

    def __str__(self):
        return f"{self.year} {self.name}"


class OccasionRule(models.Model):
    """What a policy allows for one occasion. An occasion without a rule is not covered by the policy."""

    policy = models.ForeignKey(BenefitPolicy, verbose_name=_("policy"), on_delete=models.CASCADE,
                               related_name="rules")
    occasion = models.ForeignKey(Occasion, verbose_name=_("occasion"), on_delete=models.PROTECT, related_name="rules")
    cap_per_event = models.DecimalField(_("cap per event"), **MONEY, null=True, blank=True)
    cap_per_year = models.DecimalField(
        _("cap per year"), **MONEY, null=True, blank=True,
        help_text=_("Most a member may receive for this occasion in a year; for a holiday, the per-holiday cap."))
    standard_amount = models.DecimalField(
        _("standard amount"), **MONEY, null=True, blank=True,
        help_text=_("Per-person amount proposed for a holiday distribution."))
    allow_goods = models.BooleanField(_("goods allowed"), default=True)
    allow_voucher = models.BooleanField(_("vouchers allowed"), default=True)
    allow_cash = models.BooleanField(_("cash allowed"), default=False)
    retirees_eligible = models.BooleanField(_("retired members eligible"), default=False)
    account = models.ForeignKey("finance.Account", verbose_name=_("expense account"), on_delete=models.PROTECT,
                                related_name="+", limit_choices_to={"kind": "expense"})

    class Meta:
        ordering = ["occasion__sort_order", "occasion__name"]
        verbose_name = _("occasion rule")
        verbose_name_plural = _("occasion rules")
        constraints = [
            models.UniqueConstraint(fields=["policy", "occasion"], name="occasion_rule_unique"),
            models.CheckConstraint(condition=Q(cap_per_event__isnull=True) | Q(cap_per_event__gte=0),
                                   name="occasion_rule_cap_event_not_negative"),
            models.CheckConstraint(condition=Q(cap_per_year__isnull=True) | Q(cap_per_year__gte=0),
                                   name="occasion_rule_cap_year_not_negative"),
            models.CheckConstraint(condition=Q(standard_amount__isnull=True) | Q(standard_amount__gte=0),
                                   name="occasion_rule_standard_not_negative"),
            models.CheckConstraint(condition=Q(allow_goods=True) | Q(allow_voucher=True) | Q(allow_cash=True),
                                   name="occasion_rule_some_form_allowed",
                                   violation_error_message=_("Allow at least one form.")),
        ]

    def __str__(self):
        return f"{self.policy.year} {self.occasion}"

    @property
    def allowed_forms(self):
        return [form for form, allowed in ((GiftForm.GOODS, self.allow_goods), (GiftForm.VOUCHER, self.allow_voucher),
                                           (GiftForm.CASH, self.allow_cash)) if allowed]

    def clean(self):
        if self.account_id and self.account.kind != "expense":
            raise ValidationError({"account": _("Choose an expense account.")})


class CareReport(models.Model):
    """情况报告: someone tells the union that a member is in hospital, married, had a child, lost a relative …"""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")

    member = models.ForeignKey("members.Member", verbose_name=_("member"), on_delete=models.PROTECT,
                               related_name="care_reports")
    occasion = models.ForeignKey(Occasion, verbose_name=_("occasion"), on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("date of the event"))
    note = models.TextField(_("note"), blank=True, default="")
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reported by"),
                                    on_delete=models.PROTECT, related_name="+")
    reported_at = models.DateTimeField(_("reported at"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("care report")
        verbose_name_plural = _("care reports")
        indexes = [models.Index(fields=["status", "occasion"])]

    def __str__(self):
        return f"{self.member} {self.occasion} {self.date}"


class Distribution(models.Model):
    """A holiday's gifts recorded for many members at once (e.g. 2027 春节), with its sign-for sheet (签收表)."""

    occasion = models.ForeignKey(Occasion, verbose_name=_("holiday"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveIntegerField(_("year"))
    date = models.DateField(_("date given"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"),
                                    on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("holiday distribution")
        verbose_name_plural = _("holiday distributions")

    def __str__(self):
        return f"{self.year} {self.occasion}"


class Visit(models.Model):
    """One visit or gift (慰问) to one member. Never edited after recording; a mistake is withdrawn with a reason."""

    class Status(models.TextChoices):
        RECORDED = "recorded", _("recorded")
        WITHDRAWN = "withdrawn", _("withdrawn")

    member = models.ForeignKey("members.Member", verbose_name=_("member"), on_delete=models.PROTECT,
                               related_name="visits")
    occasion = models.ForeignKey(Occasion, verbose_name=_("occasion"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveIntegerField(_("year"), help_text=_("The year whose caps the gift counts against."))
    date = models.DateField(_("date"))
    visitor_members = models.ManyToManyField("members.Member", verbose_name=_("visitors (members)"), blank=True,
                                             related_name="+")
    visitors = models.CharField(_("visitors"), max_length=200, blank=True, default="")
    form = models.CharField(_("form"), max_length=10, choices=GiftForm.choices)
    amount = models.DecimalField(_("amount"), **MONEY)
    notes = models.TextField(_("notes"), blank=True, default="")
    signed_by = models.CharField(_("signed for by"), max_length=50, blank=True, default="")
    report = models.ForeignKey(CareReport, verbose_name=_("care report"), on_delete=models.PROTECT, null=True,
                               blank=True, related_name="visits")
    distribution = models.ForeignKey(Distribution, verbose_name=_("distribution"), on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="visits")
    # The policy figures this visit was checked against, copied when recorded (later edits never change them).
    policy = models.ForeignKey(BenefitPolicy, verbose_name=_("policy"), on_delete=models.PROTECT, related_name="+")
    checked_cap_per_event = models.DecimalField(_("cap per event then"), **MONEY, null=True, blank=True)
    checked_cap_per_year = models.DecimalField(_("cap per year then"), **MONEY, null=True, blank=True)
    checked_holiday_cap = models.DecimalField(_("yearly holiday cap then"), **MONEY, null=True, blank=True)
    checked_forms = models.CharField(_("forms allowed then"), max_length=50)
    account_code = models.CharField(_("expense account"), max_length=20)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.RECORDED)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"),
                                    on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    withdrawn_reason = models.CharField(_("reason for withdrawal"), max_length=300, blank=True, default="")
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("withdrawn by"),
                                     on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        indexes = [models.Index(fields=["member", "year", "status"]), models.Index(fields=["occasion", "year"])]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="visit_amount_not_negative"),
            models.CheckConstraint(
                condition=Q(status="recorded", withdrawn_at__isnull=True)
                | (Q(status="withdrawn", withdrawn_at__isnull=False) & ~Q(withdrawn_reason="")),
                name="visit_withdrawal_has_reason"),
        ]
        permissions = [
            ("record_visit", _("Can record visits and holiday distributions")),
            ("withdraw_visit", _("Can withdraw a recorded visit")),
            ("report_care", _("Can report members' circumstances (情况报告)")),
        ]

    def __str__(self):
        return f"{self.date} {self.member} {self.occasion} {money(self.amount)}"
