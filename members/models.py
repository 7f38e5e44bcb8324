"""The union's member roll (会员名册): departments, 工会小组, members and their dated membership history."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.money import money
from core.punctuation import labelled

from . import idcard

phone_validator = RegexValidator(r"^1[3-9]\d{9}$", _("Enter an 11-digit mainland mobile number."))


class Department(models.Model):
    """处室: an office of the agency; members belong to one."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self):
        return self.name


class UnionGroup(models.Model):
    """工会小组: usually one per office, 7–20 members, led by an elected 小组长."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="union_groups",
    )
    leader = models.ForeignKey(
        "Member", verbose_name=_("group leader"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="led_groups",
    )
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("union group")
        verbose_name_plural = _("union groups")

    def __str__(self):
        return self.name


class MemberStatus(models.TextChoices):
    APPLICANT = "applicant", _("applying")
    ACTIVE = "active", _("on the roll")
    RETIRED = "retired", _("retired (membership kept)")
    TRANSFERRED_OUT = "transferred_out", _("transferred out")
    WITHDRAWN = "withdrawn", _("left the union")
    EXPELLED = "expelled", _("expelled")
    DECEASED = "deceased", _("deceased")
    REJECTED = "rejected", _("application not approved")


class Sex(models.TextChoices):
    MALE = idcard.MALE, _("male")
    FEMALE = idcard.FEMALE, _("female")


class PoliticalStatus(models.TextChoices):
    CPC = "cpc", _("CPC member")
    CPC_PROBATIONARY = "cpc_probationary", _("CPC probationary member")
    CYL = "cyl", _("Communist Youth League member")
    DEMOCRATIC_PARTY = "democratic_party", _("democratic party member")
    NON_PARTISAN = "non_partisan", _("non-partisan")
    MASSES = "masses", _("ordinary citizen")


class Education(models.TextChoices):
    DOCTORATE = "doctorate", _("doctorate")
    MASTER = "master", _("master's degree")
    BACHELOR = "bachelor", _("bachelor's degree")
    JUNIOR_COLLEGE = "junior_college", _("junior college")
    SECONDARY = "secondary", _("secondary school")
    OTHER = "other", _("other")


#: Statuses counted as "on the roll" for headcounts and eligibility.
ON_ROLL_STATUSES = (MemberStatus.ACTIVE, MemberStatus.RETIRED)
#: Statuses that pay dues (retirees keep membership but pay none — DOMAIN §2).
DUES_PAYING_STATUSES = (MemberStatus.ACTIVE,)
#: Statuses of someone who was never admitted: not in the books, not matched by the payroll list.
NEVER_ADMITTED_STATUSES = (MemberStatus.APPLICANT, MemberStatus.REJECTED)


class MemberQuerySet(models.QuerySet):
    """The roll's standing questions, so other apps ask them here instead of spelling out statuses."""

    def on_roll(self):
        """On the roll: in service or retired with membership kept (headcounts, eligibility)."""
        return self.filter(status__in=ON_ROLL_STATUSES)

    def in_service(self):
        """On the roll and not retired (在职会员)."""
        return self.filter(status=MemberStatus.ACTIVE)

    def paying(self):
        """Those who pay dues (DOMAIN §2: retirees keep membership but pay none)."""
        return self.filter(status__in=DUES_PAYING_STATUSES)

    def admitted(self):
        """Everyone ever admitted, including those who have since left: excludes applicants and rejections."""
        return self.exclude(status__in=NEVER_ADMITTED_STATUSES)

    def with_status(self, *statuses):
        """Members in any of `statuses` (MemberStatus values), for rules that are data (e.g. who a benefit
        occasion covers)."""
        return self.filter(status__in=statuses)

    def for_update(self, pks):
        """Lock these members' rows in primary-key order (no deadlock between two writers) and return
        ``{pk: member}``."""
        return self.select_for_update(of=("self",)).order_by("pk").in_bulk(list(pks))


class Member(models.Model):
    """A person on the roll, with the real-name fields of the 实名制 register."""

    card_number = models.CharField(_("membership card number"), max_length=30, blank=True, default="")
    name = models.CharField(_("full name"), max_length=50)
    name_initials = models.CharField(
        _("pinyin initials"), max_length=50, blank=True, default="", db_index=True, editable=False,
        help_text=_("Filled from the name; used for search."),
    )
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True, default="")
    ethnicity = models.CharField(_("ethnicity"), max_length=20, blank=True, default="")
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    id_number = models.CharField(
        _("ID number"), max_length=18, null=True, blank=True, validators=[idcard.validate_id_number]
    )
    political_status = models.CharField(
        _("political status"), max_length=20, choices=PoliticalStatus.choices, blank=True, default=""
    )
    education = models.CharField(_("education"), max_length=20, choices=Education.choices, blank=True, default="")
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="members",
    )
    position = models.CharField(_("post / title"), max_length=100, blank=True, default="")
    phone = models.CharField(_("mobile number"), max_length=11, blank=True, default="", validators=[phone_validator])
    email = models.EmailField(_("email"), blank=True, default="")
    joined_on = models.DateField(_("date joined the union"), null=True, blank=True)
    status = models.CharField(
        _("membership status"), max_length=20, choices=MemberStatus.choices, default=MemberStatus.APPLICANT,
        editable=False,
    )
    status_since = models.DateField(_("status since"), null=True, blank=True, editable=False)
    union_group = models.ForeignKey(
        UnionGroup, verbose_name=_("union group"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="members",
    )
    dues_base = models.DecimalField(
        _("dues base (monthly)"), max_digits=14, decimal_places=2, default=Decimal("0.00"), editable=False,
        help_text=_("Sum of the pay items the union counts for dues; maintained from the pay items."),
    )
    birthday_lunar = models.BooleanField(
        _("birthday on the lunar calendar"), default=False,
        help_text=_("Remember this member's birthday on its lunar date (农历生日) rather than the Gregorian one."))
    expected_retirement_on = models.DateField(
        _("expected retirement date"), null=True, blank=True,
        help_text=_("As given by the personnel office; the welfare officers are reminded ahead of it."))
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("portal account"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="member",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = MemberQuerySet.as_manager()

    class Meta:
        ordering = ["department__sort_order", "name_initials", "id"]
        verbose_name = _("member")
        verbose_name_plural = _("members")
        constraints = [
            models.UniqueConstraint(fields=["id_number"], name="member_id_number_unique",
                                    condition=Q(id_number__isnull=False),
                                    violation_error_message=_("A member with this ID number is already on the roll.")),
            models.UniqueConstraint(fields=["card_number"], name="member_card_number_unique",
                                    condition=~Q(card_number=""),
                                    violation_error_message=_("This membership card number is already used.")),
            models.CheckConstraint(condition=Q(dues_base__gte=0), name="member_dues_base_not_negative"),
        ]
        # (name_initials, id): the chair's changelist walks it instead of sorting the roll (MemberAdmin.ordering).
        indexes = [models.Index(fields=["status", "department"]), models.Index(fields=["name"]),
                   models.Index(fields=["name_initials", "id"], name="member_initials_id_idx")]
        permissions = [
            ("view_sensitive_member", _("Can see full ID and mobile numbers")),
            ("export_sensitive_member", _("Can export full ID and mobile numbers")),
            ("change_member_status", _("Can change membership status")),
            ("create_member_account", _("Can create portal accounts for members")),
            ("import_member", _("Can import the roster")),
        ]

    def __str__(self):
        return self.name

    def clean_fields(self, exclude=None):
        # Normalised before the field's validator runs (full_clean validates fields before clean()): a typed
        # lowercase check letter x is the same number as X.
        self.id_number = (self.id_number or "").strip().upper() or None
        super().clean_fields(exclude=exclude)

    def clean(self):
        """Normalise the ID number, derive birth date and sex from it, and refresh the pinyin initials.

        A typed birth date or sex that disagrees with the ID number is an error, never silently replaced.
        """
        from .pinyin import initials  # pypinyin loads its dictionaries (~50 MB): only when a member is saved

        self.id_number = (self.id_number or "").strip().upper() or None
        self.name_initials = initials(self.name)
        if not self.id_number:
            return
        try:
            facts = idcard.parse_id_number(self.id_number)
        except ValidationError:
            return  # the field validator reports it on the field
        errors = {}
        if self.birth_date and self.birth_date != facts.birth_date:
            errors["birth_date"] = ValidationError(
                _("Date of birth %(typed)s does not agree with the ID number, which gives %(encoded)s."),
                code="birth_date_mismatch", params={"typed": self.birth_date, "encoded": facts.birth_date},
            )
        if self.sex and self.sex != facts.sex:
            errors["sex"] = ValidationError(
                _("Sex %(typed)s does not agree with the ID number, which gives %(encoded)s."),
                code="sex_mismatch", params={"typed": Sex(self.sex).label, "encoded": Sex(facts.sex).label},
            )
        if errors:
            raise ValidationError(errors)
        self.birth_date = facts.birth_date
        self.sex = facts.sex

    @property
    def is_on_roll(self):
        return self.status in ON_ROLL_STATUSES

    @property
    def is_in_service(self):
        return self.status == MemberStatus.ACTIVE

    @property
    def is_retired(self):
        return self.status == MemberStatus.RETIRED

    @property
    def is_admitted(self):
        return self.status not in NEVER_ADMITTED_STATUSES

    @property
    def age(self):
        if not self.birth_date:
            return None
        today = timezone.localdate()
        return today.year - self.birth_date.year - ((today.month, today.day) < (self.birth_date.month, self.birth_date.day))


class MembershipEventKind(models.TextChoices):
    ENROLL = "enroll", _("entered on the roll (already a member)")
    APPLY = "apply", _("application submitted")
    APPROVE = "approve", _("application approved")
    REJECT = "reject", _("application not approved")
    TRANSFER_IN = "transfer_in", _("transferred in")
    TRANSFER_OUT = "transfer_out", _("transferred out")
    RETIRE = "retire", _("retired (membership kept)")
    WITHDRAW = "withdraw", _("left the union")
    EXPEL = "expel", _("expelled")
    DEATH = "death", _("deceased")
    REJOIN = "rejoin", _("re-applied to join")


class MembershipEvent(models.Model):
    """One dated change of membership status. Append-only: written only by members.services."""

    member = models.ForeignKey(Member, verbose_name=_("member"), on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("event"), max_length=20, choices=MembershipEventKind.choices)
    from_status = models.CharField(_("from status"), max_length=20, choices=MemberStatus.choices, blank=True)
    to_status = models.CharField(_("to status"), max_length=20, choices=MemberStatus.choices)
    effective_on = models.DateField(_("effective date"))
    reason = models.TextField(_("reason"), blank=True, default="")
    counterpart = models.CharField(
        _("other union"), max_length=200, blank=True, default="",
        help_text=_("For transfers: the union the member came from or went to."),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    actor_label = models.CharField(_("recorded by (task)"), max_length=100, blank=True, default="")
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["member", "effective_on", "id"]
        verbose_name = _("membership event")
        verbose_name_plural = _("membership history")

    def __str__(self):
        return f"{self.member} {self.get_kind_display()} {self.effective_on}"


class PayItem(models.Model):
    """A wage item (e.g. 职务工资, 级别工资). Which ones form the dues base is the union's choice (DOMAIN §2)."""

    name = models.CharField(_("name"), max_length=50, unique=True)
    counts_for_dues = models.BooleanField(_("counts for dues"), default=True)
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("pay item")
        verbose_name_plural = _("pay items")

    def __str__(self):
        return self.name


class MemberPayItem(models.Model):
    member = models.ForeignKey(Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="pay_items")
    item = models.ForeignKey(PayItem, verbose_name=_("pay item"), on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(_("monthly amount"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("member pay item")
        verbose_name_plural = _("member pay items")
        constraints = [
            models.UniqueConstraint(fields=["member", "item"], name="member_pay_item_unique"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="member_pay_item_not_negative"),
        ]

    def __str__(self):
        return labelled(self.item, money(self.amount))


class MemberLeave(models.Model):
    """A long absence from work (sick or maternity leave, a secondment …), recorded by the union office so that
    someone holds a 谈心 with the member (../shared/DOMAIN.md §8). Leave is health and family information: only
    those who see a member's sensitive data (``members.view_sensitive_member``) read or record it."""

    class Kind(models.TextChoices):
        SICK = "sick", _("long sick leave")
        MATERNITY = "maternity", _("maternity leave")
        SECONDMENT = "secondment", _("secondment elsewhere")
        OTHER = "other", _("other long leave")

    member = models.ForeignKey(Member, verbose_name=_("member"), on_delete=models.PROTECT, related_name="leaves")
    kind = models.CharField(_("kind of leave"), max_length=12, choices=Kind.choices)
    starts_on = models.DateField(_("leave starts on"))
    ends_on = models.DateField(_("expected back on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True, default="")
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("long leave")
        verbose_name_plural = _("long leave")
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__isnull=True) | Q(ends_on__gt=F("starts_on")),
                                   name="member_leave_ends_after_start",
                                   violation_error_message=_("The expected return must come after the leave starts.")),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.starts_on:%Y-%m-%d}"
