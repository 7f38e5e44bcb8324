"""Hardship-aid cases (困难帮扶), aid payments, 医疗互助 enrolment and 送温暖 (DOMAIN §6).

"先建档、后帮扶、实名制": a case per household (one open case per member), built from the household's figures;
the workflow (application → home visit → 公示 → approval → aid → yearly review → closed) lives in
welfare.hardship.services. Lines, thresholds, seasons and standard amounts are data tables edited by the chair.
Cases are confidential: only those holding ``welfare.handle_hardship_case`` (chair, welfare officers) see them.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.money import money
from welfare.hardship.storage import attachment_storage, attachment_upload_to

__all__ = [
    "HardshipLevel",
    "CaseState",
    "CaseStep",
    "CloseReason",
    "AidKindCode",
    "EducationStage",
    "WarmthHoliday",
    "PovertyLine",
    "HardshipPolicy",
    "HardshipCause",
    "AidKind",
    "EducationAidRate",
    "WarmthRate",
    "CaseNumberCounter",
    "HardshipCase",
    "HardshipCaseStep",
    "CaseObjection",
    "CaseAttachment",
    "AidPayment",
    "MedicalAidPlan",
    "MedicalAidEnrolment",
]

MONEY = {"max_digits": 14, "decimal_places": 2}


class HardshipLevel(models.TextChoices):
    DEEP = "deep", _("deep hardship (深度困难)")
    RELATIVE = "relative", _("relative hardship (相对困难)")
    ACCIDENT = "accident", _("hardship from an accident or illness (意外致困)")


class CaseState(models.TextChoices):
    APPLIED = "applied", _("application received")
    VISITED = "visited", _("home visit done")
    NOTICE = "notice", _("on public notice")
    APPROVED = "approved", _("approved (on file)")
    CLOSED = "closed", pgettext_lazy("hardship case state", "closed")


class CaseStep(models.TextChoices):
    APPLY = "apply", _("application")
    VISIT = "visit", _("home visit and fact check")
    NOTICE = "notice", _("public notice (公示)")
    APPROVE = "approve", _("approval")
    REVIEW = "review", _("yearly review")
    CLOSE = "close", _("closing the case")


class CloseReason(models.TextChoices):
    OUT_OF_HARDSHIP = "out_of_hardship", _("out of hardship")
    RETIRED = "retired", _("retired")
    LEFT = "left", _("left the unit")
    DIED = "died", _("died")
    NOT_APPROVED = "not_approved", _("not approved")


class AidKindCode(models.TextChoices):
    LIVING = "living", _("living aid")
    MEDICAL = "medical", _("medical aid")
    EDUCATION = "education", _("education aid (金秋助学)")
    WARMTH = "warmth", _("送温暖")


class EducationStage(models.TextChoices):
    UNIVERSITY = "university", _("entering or at university")
    SENIOR_HIGH = "senior_high", _("entering or at senior high school")


class WarmthHoliday(models.TextChoices):
    NEW_YEAR = "元旦", _("New Year's Day (元旦)")
    SPRING_FESTIVAL = "春节", _("Spring Festival (春节)")


class PovertyLine(models.Model):
    """The local minimum living standard (低保标准), per person and month, for a region and year."""

    region = models.CharField(_("region"), max_length=50)
    year = models.PositiveIntegerField(_("year"))
    monthly_amount = models.DecimalField(_("低保 line per person and month (yuan)"), **MONEY)
    is_example = models.BooleanField(_("example figure"), default=False,
                                     help_text=_("A sample seeded with the portal: replace it with the local figure."))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["-year", "region"]
        verbose_name = _("低保 line")
        verbose_name_plural = _("低保 lines")
        constraints = [
            models.UniqueConstraint(fields=["region", "year"], name="povertyline_one_per_region_year"),
            models.CheckConstraint(condition=Q(monthly_amount__gt=0), name="povertyline_amount_positive"),
        ]

    def __str__(self):
        label = f"{self.year} {self.region} {money(self.monthly_amount)}"
        return f"{label} ({_('example')})" if self.is_example else label


class HardshipPolicy(models.Model):
    """The year's rules for cases: the objection window, the level thresholds and the 金秋助学 season."""

    year = models.PositiveIntegerField(_("year"), unique=True)
    notice_days = models.PositiveSmallIntegerField(_("objection window (days)"), default=7,
                                                   validators=[MinValueValidator(1)])
    notice_working_days = models.BooleanField(
        _("count working days only"), default=False,
        help_text=_("Count Monday to Friday only (public holidays are not known to the portal: lengthen the "
                    "window by hand over holidays)."))
    relative_multiple = models.DecimalField(_("相对困难 below this multiple of 低保"), max_digits=5, decimal_places=2,
                                            default=Decimal("2.00"))
    accident_cost_share = models.DecimalField(
        _("意外致困 when hardship costs exceed this share of income"), max_digits=4, decimal_places=2,
        default=Decimal("0.80"), validators=[MinValueValidator(0), MaxValueValidator(1)])
    education_season_from = models.PositiveSmallIntegerField(_("金秋助学 season from month"), default=7,
                                                             validators=[MinValueValidator(1), MaxValueValidator(12)])
    education_season_until = models.PositiveSmallIntegerField(_("金秋助学 season until month"), default=8,
                                                              validators=[MinValueValidator(1), MaxValueValidator(12)])
    is_example = models.BooleanField(_("example figures"), default=False)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("hardship rules")
        verbose_name_plural = _("hardship rules")

    def __str__(self):
        return str(self.year)


class HardshipCause(models.Model):
    """A cause of hardship (data list): 大病, 残疾, 子女就学, 意外事故, 自然灾害 …"""

    name = models.CharField(_("name"), max_length=50, unique=True)
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("hardship cause")
        verbose_name_plural = _("hardship causes")

    def __str__(self):
        return self.name


class AidKind(models.Model):
    """A kind of aid and the expense account it is booked to (50301 困难职工帮扶, 50302 送温暖 — data)."""

    code = models.CharField(_("code"), max_length=20, choices=AidKindCode.choices, unique=True)
    name = models.CharField(_("name"), max_length=50)
    account_code = models.CharField(_("expense account code"), max_length=20)
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)

    class Meta:
        ordering = ["sort_order"]
        verbose_name = _("aid kind")
        verbose_name_plural = _("aid kinds")

    def __str__(self):
        return self.name


class EducationAidRate(models.Model):
    """金秋助学 standard per school stage for filed families (example 5000 / 3000 — data)."""

    stage = models.CharField(_("school stage"), max_length=20, choices=EducationStage.choices, unique=True)
    amount = models.DecimalField(_("standard amount (yuan)"), **MONEY)
    is_example = models.BooleanField(_("example figure"), default=False)

    class Meta:
        verbose_name = _("金秋助学 standard")
        verbose_name_plural = _("金秋助学 standards")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="educationaidrate_amount_positive")]

    def __str__(self):
        return f"{self.get_stage_display()} {money(self.amount)}"


class WarmthRate(models.Model):
    """送温暖 suggested amount per hardship level (data)."""

    level = models.CharField(_("level"), max_length=20, choices=HardshipLevel.choices, unique=True)
    amount = models.DecimalField(_("suggested amount (yuan)"), **MONEY)
    is_example = models.BooleanField(_("example figure"), default=False)

    class Meta:
        verbose_name = _("送温暖 standard")
        verbose_name_plural = _("送温暖 standards")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="warmthrate_amount_positive")]

    def __str__(self):
        return f"{self.get_level_display()} {money(self.amount)}"


class CaseNumberCounter(models.Model):
    """The last case number given out in a year (locked when a case is opened)."""

    year = models.PositiveIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)


class HardshipCase(models.Model):
    """困难职工档案: one household's case, its figures and where it stands in the workflow."""

    number = models.CharField(_("case number"), max_length=20, unique=True, editable=False)
    member = models.ForeignKey("members.Member", verbose_name=_("member"), on_delete=models.PROTECT,
                               related_name="hardship_cases")
    state = models.CharField(_("state"), max_length=20, choices=CaseState.choices, default=CaseState.APPLIED)
    level = models.CharField(_("level"), max_length=20, choices=HardshipLevel.choices)
    suggested_level = models.CharField(_("level suggested by the figures"), max_length=20,
                                       choices=HardshipLevel.choices, blank=True)
    level_reason = models.TextField(_("why the level differs from the suggestion"), blank=True)
    household_size = models.PositiveSmallIntegerField(_("household size"), validators=[MinValueValidator(1)])
    household_income = models.DecimalField(_("household disposable income per year (yuan)"), **MONEY)
    unavoidable_costs = models.DecimalField(_("unavoidable costs per year (medical etc., yuan)"), **MONEY)
    poverty_line = models.ForeignKey(PovertyLine, verbose_name=_("低保 line"), on_delete=models.PROTECT,
                                     related_name="+")
    poverty_line_amount = models.DecimalField(_("低保 line used (yuan per person and month)"), **MONEY)
    per_capita_monthly = models.DecimalField(_("per-capita monthly income (yuan)"), **MONEY)
    causes = models.ManyToManyField(HardshipCause, verbose_name=_("causes"), blank=True, related_name="cases")
    cause_text = models.TextField(_("circumstances"), blank=True)
    applied_on = models.DateField(_("applied on"))
    visited_on = models.DateField(_("visited on"), null=True, blank=True)
    visitors = models.CharField(_("visited by"), max_length=200, blank=True)
    visit_findings = models.TextField(_("findings of the visit"), blank=True)
    notice_start = models.DateField(_("public notice from"), null=True, blank=True)
    notice_end = models.DateField(_("objections until"), null=True, blank=True)
    proposed_aid = models.DecimalField(_("proposed aid (yuan)"), null=True, blank=True, **MONEY)
    proposed_aid_note = models.CharField(_("proposed aid, in words"), max_length=200, blank=True)
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    last_reviewed_on = models.DateField(_("last reviewed on"), null=True, blank=True)
    review_due_on = models.DateField(_("yearly review due on"), null=True, blank=True, db_index=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    close_reason = models.CharField(_("reason for closing"), max_length=20, choices=CloseReason.choices, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-applied_on", "-pk"]
        verbose_name = _("hardship case")
        verbose_name_plural = _("hardship cases")
        permissions = [("handle_hardship_case", _("Can see and handle hardship cases (confidential)"))]
        constraints = [
            models.UniqueConstraint(fields=["member"], condition=~Q(state="closed"),
                                    name="hardshipcase_one_open_per_member"),
            models.CheckConstraint(condition=Q(household_income__gte=0) & Q(unavoidable_costs__gte=0),
                                   name="hardshipcase_figures_not_negative"),
            models.CheckConstraint(condition=Q(household_size__gte=1), name="hardshipcase_household_size"),
            models.CheckConstraint(condition=~Q(state="closed") | ~Q(close_reason=""),
                                   name="hardshipcase_closed_with_reason"),
        ]

    def __str__(self):
        return self.number


class HardshipCaseStep(models.Model):
    """The step log: every workflow step of a case, who took it and when. Written only by the services."""

    case = models.ForeignKey(HardshipCase, verbose_name=_("case"), on_delete=models.CASCADE, related_name="steps")
    step = models.CharField(_("step"), max_length=20, choices=CaseStep.choices)
    from_state = models.CharField(_("from state"), max_length=20, choices=CaseState.choices, blank=True)
    to_state = models.CharField(_("to state"), max_length=20, choices=CaseState.choices)
    done_on = models.DateField(_("date"))
    note = models.TextField(_("note"), blank=True)
    details = models.JSONField(_("figures"), default=dict, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT,
                              null=True, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["recorded_at", "pk"]
        verbose_name = _("case step")
        verbose_name_plural = _("case steps")

    def __str__(self):
        return f"{self.case} {self.get_step_display()} {self.done_on}"


class CaseObjection(models.Model):
    """An objection raised during the 公示 window; approval waits until each is resolved."""

    case = models.ForeignKey(HardshipCase, verbose_name=_("case"), on_delete=models.CASCADE,
                             related_name="objections")
    text = models.TextField(_("objection"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("submitted by"),
                                     on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    resolution = models.TextField(_("resolution"), blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("resolved by"),
                                    on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    class Meta:
        ordering = ["submitted_at", "pk"]
        verbose_name = _("objection")
        verbose_name_plural = _("objections")

    def __str__(self):
        return f"{self.case} {self.submitted_at:%Y-%m-%d}"


class CaseAttachment(models.Model):
    """A supporting document (ID, 户口簿, proof of income, bills). Stored outside MEDIA_ROOT and served only
    through a permission-checked view."""

    case = models.ForeignKey(HardshipCase, verbose_name=_("case"), on_delete=models.CASCADE,
                             related_name="attachments")
    file = models.FileField(_("file"), storage=attachment_storage, upload_to=attachment_upload_to, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("file type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    description = models.CharField(_("description"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"),
                                    on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return f"{self.case} #{self.pk}"


class AidPayment(models.Model):
    """One aid payment on an approved case; booked as a spending in the same transaction."""

    case = models.ForeignKey(HardshipCase, verbose_name=_("case"), on_delete=models.PROTECT, related_name="payments")
    kind = models.ForeignKey(AidKind, verbose_name=_("kind"), on_delete=models.PROTECT, related_name="payments")
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)
    paid_on = models.DateField(_("paid on"))
    applied_on = models.DateField(_("applied on"), null=True, blank=True,
                                  help_text=_("For 金秋助学: the date of the application (the season is data)."))
    education_stage = models.CharField(_("school stage"), max_length=20, choices=EducationStage.choices, blank=True)
    occasion = models.CharField(_("occasion"), max_length=50, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"),
                                    on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["-paid_on", "-pk"]
        verbose_name = _("aid payment")
        verbose_name_plural = _("aid payments")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="aidpayment_amount_positive")]

    def __str__(self):
        return f"{self.case} {self.kind} {money(self.amount)}"


class MedicalAidPlan(models.Model):
    """A 医疗互助 plan of a year (住院医疗互助, 重大疾病, 女职工特殊疾病) with its per-person contribution."""

    year = models.PositiveIntegerField(_("year"))
    name = models.CharField(_("name"), max_length=100)
    contribution = models.DecimalField(_("contribution per person (yuan)"), **MONEY)
    is_example = models.BooleanField(_("example figure"), default=False)

    class Meta:
        ordering = ["-year", "name"]
        verbose_name = _("医疗互助 plan")
        verbose_name_plural = _("医疗互助 plans")
        constraints = [
            models.UniqueConstraint(fields=["year", "name"], name="medicalaidplan_one_per_year_name"),
            models.CheckConstraint(condition=Q(contribution__gt=0), name="medicalaidplan_contribution_positive"),
        ]

    def __str__(self):
        return f"{self.year} {self.name}"


class MedicalAidEnrolment(models.Model):
    """A member enrolled in a plan (the plan is per year: one enrolment per member, plan and year)."""

    plan = models.ForeignKey(MedicalAidPlan, verbose_name=_("plan"), on_delete=models.PROTECT,
                             related_name="enrolments")
    member = models.ForeignKey("members.Member", verbose_name=_("member"), on_delete=models.PROTECT,
                               related_name="medical_aid_enrolments")
    contribution = models.DecimalField(_("contribution (yuan)"), **MONEY)
    enrolled_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("enrolled by"),
                                    on_delete=models.PROTECT, related_name="+")
    enrolled_at = models.DateTimeField(_("enrolled at"), auto_now_add=True)

    class Meta:
        ordering = ["plan", "member__name_initials"]
        verbose_name = _("医疗互助 enrolment")
        verbose_name_plural = _("医疗互助 enrolments")
        constraints = [
            models.UniqueConstraint(fields=["plan", "member"], name="medicalaidenrolment_one_per_member_plan"),
            models.CheckConstraint(condition=Q(contribution__gt=0), name="medicalaidenrolment_contribution_positive"),
        ]

    def __str__(self):
        return f"{self.plan} {self.member}"
