"""Dues (会费, DOMAIN §2): the rule (rate per effective date), the monthly record per member, the payroll office's
deduction lists once posted, and the arrears flags raised for the chair (automatic-leave rule, DOMAIN §1)."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class DuesRule(models.Model):
    """会费标准: the rate and the uncounted remainder from an effective date on (data, not code — DOMAIN §2 [N])."""

    effective_from = models.DateField(_("effective from"), unique=True)
    rate = models.DecimalField(_("rate"), max_digits=7, decimal_places=5,
                               help_text=_("Share of the monthly wage, e.g. 0.00500 for 0.5%."))
    base_unit = models.DecimalField(
        _("counted in steps of (yuan)"), max_digits=6, decimal_places=2, default=Decimal("10.00"),
        help_text=_("The part of the wage under this many yuan is not counted (national rule: 10)."))
    arrears_months = models.PositiveSmallIntegerField(
        _("months without dues before the chair is told"), default=6,
        help_text=_("中国工会章程: six consecutive months without dues, after being talked to, count as leaving."))
    note = models.CharField(_("source of the rule"), max_length=200, blank=True, default="")

    class Meta:
        ordering = ["-effective_from"]
        verbose_name = _("dues rule")
        verbose_name_plural = _("dues rules")
        constraints = [
            models.CheckConstraint(condition=Q(rate__gt=0, rate__lt=1), name="dues_rule_rate_range"),
            models.CheckConstraint(condition=Q(base_unit__gt=0), name="dues_rule_base_unit_positive"),
            models.CheckConstraint(condition=Q(arrears_months__gte=1), name="dues_rule_arrears_months_positive"),
        ]

    def __str__(self):
        return f"{self.effective_from}: {self.rate * 100:.3f}%"


class DuesImport(models.Model):
    """One posted deduction list of the payroll office (代扣会费清单): the month, what was paid over in total, and
    the one voucher that booked it as 会费收入. The file itself is not kept (personal data)."""

    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    filename = models.CharField(_("file name"), max_length=200, blank=True, default="")
    rows = models.PositiveIntegerField(_("rows"), default=0)
    total_paid = models.DecimalField(_("total paid over"), max_digits=14, decimal_places=2)
    received_on = models.DateField(_("received on"))
    voucher = models.OneToOneField("finance.Voucher", verbose_name=_("voucher"), on_delete=models.PROTECT,
                                   related_name="dues_import")
    job = models.ForeignKey("core.Job", verbose_name=_("preview job"), on_delete=models.SET_NULL, null=True,
                            blank=True, related_name="+")
    differences = models.JSONField(_("differences at posting"), default=dict, blank=True)
    posted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("posted by"), on_delete=models.PROTECT,
                                  null=True, blank=True, related_name="+")
    posted_at = models.DateTimeField(_("posted at"), auto_now_add=True)

    class Meta:
        ordering = ["-year", "-month"]
        verbose_name = _("payroll deduction import")
        verbose_name_plural = _("payroll deduction imports")
        constraints = [
            models.UniqueConstraint(fields=["year", "month"], name="dues_import_one_per_month",
                                    violation_error_message=_("The deduction list of this month is already posted.")),
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="dues_import_month_range"),
            models.CheckConstraint(condition=Q(total_paid__gt=0), name="dues_import_total_positive"),
        ]

    def __str__(self):
        return f"{self.year}-{self.month:02d}"


class DuesSource(models.TextChoices):
    PAYROLL = "payroll", _("payroll deduction")
    MANUAL = "manual", _("paid in person")


class DuesRecord(models.Model):
    """One member's dues for one month: what the formula expected from their dues base and what was paid.

    Written only by ``finance.dues.services``; read-only once posted (a correction is a new voucher)."""

    member = models.ForeignKey("members.Member", verbose_name=_("member"), on_delete=models.PROTECT,
                               related_name="dues_records")
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    dues_base = models.DecimalField(_("dues base"), max_digits=14, decimal_places=2, default=Decimal("0.00"))
    expected = models.DecimalField(_("expected"), max_digits=14, decimal_places=2)
    paid = models.DecimalField(_("paid"), max_digits=14, decimal_places=2, default=Decimal("0.00"))
    source = models.CharField(_("source"), max_length=10, choices=DuesSource.choices, blank=True, default="")
    dues_import = models.ForeignKey(DuesImport, verbose_name=_("deduction list"), on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="records")
    voucher = models.ForeignKey("finance.Voucher", verbose_name=_("voucher"), on_delete=models.PROTECT, null=True,
                                blank=True, related_name="dues_records")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-year", "-month", "member_id"]
        verbose_name = _("monthly dues")
        verbose_name_plural = _("monthly dues")
        constraints = [
            models.UniqueConstraint(fields=["member", "year", "month"], name="dues_record_one_per_member_month"),
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="dues_record_month_range"),
            models.CheckConstraint(condition=Q(expected__gte=0, paid__gte=0, dues_base__gte=0),
                                   name="dues_record_amounts_not_negative"),
            models.CheckConstraint(condition=Q(paid=0) | Q(voucher__isnull=False), name="dues_record_paid_booked"),
        ]
        indexes = [models.Index(fields=["year", "month"])]
        permissions = [("import_dues", _("Can import payroll deduction lists and post dues"))]

    def __str__(self):
        return f"{self.member} {self.year}-{self.month:02d}"

    @property
    def is_unpaid(self):
        return self.expected > 0 and self.paid == 0


class DuesArrearsFlag(models.Model):
    """A member who reached the arrears threshold (six months by default): listed for the chair, who talks to them
    (DOMAIN §1: automatic leave only "after being talked to", so the portal never changes the status itself).
    One flag per run of unpaid months, so the chair is told once."""

    member = models.ForeignKey("members.Member", verbose_name=_("member"), on_delete=models.PROTECT,
                               related_name="dues_arrears_flags")
    since_year = models.PositiveSmallIntegerField(_("unpaid since (year)"))
    since_month = models.PositiveSmallIntegerField(_("unpaid since (month)"))
    months = models.PositiveSmallIntegerField(_("months unpaid when flagged"))
    flagged_at = models.DateTimeField(_("flagged at"), auto_now_add=True)

    class Meta:
        ordering = ["-flagged_at"]
        verbose_name = _("dues arrears flag")
        verbose_name_plural = _("dues arrears flags")
        constraints = [
            models.UniqueConstraint(fields=["member", "since_year", "since_month"], name="dues_arrears_flag_once"),
        ]

    def __str__(self):
        return f"{self.member} {self.since_year}-{self.since_month:02d} ({self.months})"


__all__ = ["DuesArrearsFlag", "DuesImport", "DuesRecord", "DuesRule", "DuesSource"]
