"""Activities (活动), registration with waitlists, attendance, interest groups, and the annual work plan.

The displayed status of an activity (草稿 → 报名中 → 报名截止 → 进行中 → 已结束, or 已取消) is computed from
its stored ``state`` (draft / published / cancelled) and its dates, so no job has to flip it on time.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ActivityType(models.Model):
    """A kind of activity (学习教育, 春游, 疗休养, 生日会 …): data the union can extend."""

    name = models.CharField(_("name"), max_length=50, unique=True)
    code = models.SlugField(_("code"), max_length=30, unique=True)
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("activity type")
        verbose_name_plural = _("activity types")

    def __str__(self):
        return self.name


class Audience(models.TextChoices):
    ALL = "all", _("all members on the roll")
    WOMEN = "women", _("women members")
    CHOSEN = "chosen", _("chosen groups or departments")


class DisplayStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    NOT_YET_OPEN = "not_yet_open", _("registration not yet open")
    OPEN = "open", _("registration open")
    CLOSED = "closed", _("registration closed")
    RUNNING = "running", _("in progress")
    FINISHED = "finished", _("finished")
    CANCELLED = "cancelled", _("cancelled")


class Activity(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")
        CANCELLED = "cancelled", _("cancelled")

    title = models.CharField(_("title"), max_length=200)
    activity_type = models.ForeignKey(ActivityType, verbose_name=_("type"), on_delete=models.PROTECT,
                                      related_name="activities")
    description = models.TextField(_("description"), blank=True, default="")
    place = models.CharField(_("place"), max_length=200, blank=True, default="")
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    registration_opens_at = models.DateTimeField(_("registration opens"))
    registration_closes_at = models.DateTimeField(_("registration closes"))
    cancellation_deadline = models.DateTimeField(
        _("cancellation deadline"), null=True, blank=True,
        help_text=_("Registrants may cancel until then; empty means until registration closes."))
    capacity = models.PositiveIntegerField(_("seats"), null=True, blank=True,
                                           help_text=_("Empty means no limit."))
    #: Seats held by confirmed registrations (families included): the counter a registration takes its seats from
    #: with one conditional UPDATE (activities/registration.py). Only the registration and check-in services move
    #: it; ``save()`` of a loaded activity never writes it back (an admin form open during a rush would undo seats).
    seats_confirmed = models.PositiveIntegerField(_("seats confirmed"), default=0, editable=False)
    family_takes_seats = models.BooleanField(
        _("family members take seats"), default=False,
        help_text=_("If on, family members a registrant brings along count against the seats."))
    audience = models.CharField(_("who may take part"), max_length=10, choices=Audience.choices,
                                default=Audience.ALL)
    union_groups = models.ManyToManyField("members.UnionGroup", verbose_name=_("union groups"), blank=True,
                                          related_name="+")
    departments = models.ManyToManyField("members.Department", verbose_name=_("departments"), blank=True,
                                         related_name="+")
    retirees_included = models.BooleanField(_("retirees may take part"), default=False)
    organiser = models.ForeignKey("members.Member", verbose_name=_("organiser"), on_delete=models.PROTECT,
                                  null=True, blank=True, related_name="organised_activities")
    budget = models.DecimalField(_("budget"), max_digits=14, decimal_places=2, default=Decimal("0.00"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    cancelled_reason = models.TextField(_("reason for cancelling"), blank=True, default="")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-starts_at", "id"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        indexes = [models.Index(fields=["state", "starts_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gte=models.F("starts_at")), name="activity_ends_after_start"),
            models.CheckConstraint(condition=Q(registration_closes_at__gte=models.F("registration_opens_at")),
                                   name="activity_registration_window_ordered"),
            models.CheckConstraint(condition=Q(budget__gte=0), name="activity_budget_not_negative"),
        ]
        permissions = [
            ("manage_registrations", _("Can manage registrations and waitlists")),
            ("check_in", _("Can check people in")),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self._state.adding and self.pk is not None and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [f.name for f in self._meta.concrete_fields
                                       if not f.primary_key and f.name != "seats_confirmed"]
        super().save(*args, **kwargs)

    def display_status(self, now=None):
        now = now or timezone.now()
        if self.state == self.State.CANCELLED:
            return DisplayStatus.CANCELLED
        if self.state == self.State.DRAFT:
            return DisplayStatus.DRAFT
        if now >= self.ends_at:
            return DisplayStatus.FINISHED
        if now >= self.starts_at:
            return DisplayStatus.RUNNING
        if now >= self.registration_closes_at:
            return DisplayStatus.CLOSED
        if now >= self.registration_opens_at:
            return DisplayStatus.OPEN
        return DisplayStatus.NOT_YET_OPEN

    def get_display_status_display(self):
        return DisplayStatus(self.display_status()).label

    #: The check-in window, when walk-ins (people on the roll without a seat) may be looked up and added: from a few
    #: hours before the start to a few hours after the end. Outside it the walk-in lookup names nobody (it would
    #: otherwise read out the roll to an organiser for ever); ticking registrants in stays open (checkin).
    CHECK_IN_OPENS_BEFORE = datetime.timedelta(hours=3)
    CHECK_IN_CLOSES_AFTER = datetime.timedelta(hours=6)

    def check_in_window(self):
        """(opens, closes): walk-ins may be looked up and added from ``opens`` until just before ``closes``."""
        return self.starts_at - self.CHECK_IN_OPENS_BEFORE, self.ends_at + self.CHECK_IN_CLOSES_AFTER

    def walk_ins_open(self, now=None):
        now = now or timezone.now()
        opens, closes = self.check_in_window()
        return opens <= now < closes

    @property
    def effective_cancellation_deadline(self):
        return self.cancellation_deadline or self.registration_closes_at


class RegistrationQuestion(models.Model):
    """An optional question registrants answer (family members coming, T-shirt size, dietary needs …)."""

    class Kind(models.TextChoices):
        TEXT = "text", _("free text")
        CHOICE = "choice", _("one of the choices")
        NUMBER = "number", _("a whole number")

    activity = models.ForeignKey(Activity, verbose_name=_("activity"), on_delete=models.CASCADE,
                                 related_name="questions")
    label = models.CharField(_("question"), max_length=200)
    kind = models.CharField(_("answer type"), max_length=10, choices=Kind.choices, default=Kind.TEXT)
    choices = models.TextField(_("choices"), blank=True, default="", help_text=_("One choice per line."))
    required = models.BooleanField(_("required"), default=False)
    counts_family = models.BooleanField(
        _("answer is the number of family members coming"), default=False,
        help_text=_("When the activity's family members take seats, this number adds to the seats taken."))
    max_number = models.PositiveIntegerField(_("largest number allowed"), null=True, blank=True)
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = _("registration question")
        verbose_name_plural = _("registration questions")

    def __str__(self):
        return self.label

    @property
    def choice_list(self):
        return [line.strip() for line in self.choices.splitlines() if line.strip()]


class Registration(models.Model):
    """A member's place on an activity: a seat, or a place on the waitlist (ordered by ``queued_at``)."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("registered")
        WAITLISTED = "waitlisted", _("on the waitlist")
        CANCELLED = "cancelled", _("cancelled")
        LEFT_WAITLIST = "left_waitlist", _("left the waitlist")

    activity = models.ForeignKey(Activity, verbose_name=_("activity"), on_delete=models.PROTECT,
                                 related_name="registrations")
    member = models.ForeignKey("members.Member", verbose_name=_("member"), on_delete=models.PROTECT,
                               related_name="registrations")
    status = models.CharField(_("status"), max_length=15, choices=Status.choices)
    seats = models.PositiveIntegerField(_("seats"), default=1)
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    walk_in = models.BooleanField(_("walk-in"), default=False)
    queued_at = models.DateTimeField(_("registered at"), default=timezone.now)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checked_in_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("checked in by"),
                                      on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["activity", "queued_at", "id"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            # One live registration (seat or waitlist) per member and activity.
            models.UniqueConstraint(fields=["activity", "member"], name="registration_one_live_per_member",
                                    condition=Q(status__in=["confirmed", "waitlisted"])),
            models.CheckConstraint(condition=Q(seats__gte=1), name="registration_at_least_one_seat"),
        ]
        indexes = [models.Index(fields=["activity", "status", "queued_at"]),
                   models.Index(fields=["member", "status"])]

    def __str__(self):
        return f"{self.member} · {self.activity}"

    @property
    def is_live(self):
        return self.status in (self.Status.CONFIRMED, self.Status.WAITLISTED)


class RegistrationEvent(models.Model):
    """Every move on the list, with its reason: registered, waitlisted, promoted, cancelled, checked in …"""

    class Kind(models.TextChoices):
        REGISTERED = "registered", _("registered")
        WAITLISTED = "waitlisted", _("joined the waitlist")
        PROMOTED = "promoted", _("moved from the waitlist to a seat")
        CANCELLED = "cancelled", _("cancelled")
        LEFT_WAITLIST = "left_waitlist", _("left the waitlist")
        ACTIVITY_CANCELLED = "activity_cancelled", _("activity cancelled")
        CHECKED_IN = "checked_in", _("checked in")
        CHECK_IN_UNDONE = "check_in_undone", _("check-in undone")
        WALK_IN = "walk_in", _("walk-in added")
        ANSWERS_CHANGED = "answers_changed", _("answers changed")

    registration = models.ForeignKey(Registration, verbose_name=_("registration"), on_delete=models.CASCADE,
                                     related_name="events")
    kind = models.CharField(_("event"), max_length=20, choices=Kind.choices)
    reason = models.CharField(_("reason"), max_length=300, blank=True, default="")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, null=True,
                              blank=True, related_name="+")
    actor_label = models.CharField(_("by (task)"), max_length=100, blank=True, default="")
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["registration", "at", "id"]
        verbose_name = _("registration event")
        verbose_name_plural = _("registration history")

    def __str__(self):
        return f"{self.registration} {self.get_kind_display()}"


class InterestGroup(models.Model):
    """兴趣小组 (photography, badminton, calligraphy …) with a leader."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True, default="")
    leader = models.ForeignKey("members.Member", verbose_name=_("leader"), on_delete=models.PROTECT, null=True,
                               blank=True, related_name="led_interest_groups")
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("interest group")
        verbose_name_plural = _("interest groups")

    def __str__(self):
        return self.name


class InterestGroupMembership(models.Model):
    group = models.ForeignKey(InterestGroup, verbose_name=_("interest group"), on_delete=models.CASCADE,
                              related_name="memberships")
    member = models.ForeignKey("members.Member", verbose_name=_("member"), on_delete=models.PROTECT,
                               related_name="interest_memberships")
    joined_at = models.DateTimeField(_("joined at"), default=timezone.now)
    left_at = models.DateTimeField(_("left at"), null=True, blank=True)

    class Meta:
        ordering = ["group", "joined_at"]
        verbose_name = _("interest group membership")
        verbose_name_plural = _("interest group memberships")
        constraints = [models.UniqueConstraint(fields=["group", "member"], condition=Q(left_at__isnull=True),
                                               name="interest_membership_one_open")]

    def __str__(self):
        return f"{self.member} · {self.group}"


class InterestGroupPlan(models.Model):
    """A group's yearly activity and budget plan, submitted to the union; the chair approves or returns it."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        APPROVED = "approved", _("approved")
        RETURNED = "returned", _("returned for changes")

    group = models.ForeignKey(InterestGroup, verbose_name=_("interest group"), on_delete=models.CASCADE,
                              related_name="plans")
    year = models.PositiveIntegerField(_("year"))
    activities = models.TextField(_("planned activities"))
    budget = models.DecimalField(_("budget requested"), max_digits=14, decimal_places=2)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    decision_note = models.TextField(_("chair's note"), blank=True, default="")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("decided by"), on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    class Meta:
        ordering = ["-year", "group"]
        verbose_name = _("interest group plan")
        verbose_name_plural = _("interest group plans")
        constraints = [models.UniqueConstraint(fields=["group", "year"], name="interest_plan_one_per_year"),
                       models.CheckConstraint(condition=Q(budget__gte=0), name="interest_plan_budget_not_negative")]

    def __str__(self):
        return f"{self.group} {self.year}"


class WorkPlan(models.Model):
    """年度工作计划: a guiding paragraph, numbered sections, items with owner and deadline."""

    class State(models.TextChoices):
        DRAFT = "draft", _("draft")
        APPROVED = "approved", _("approved by the committee")
        PUBLISHED = "published", _("published")

    year = models.PositiveIntegerField(_("year"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    guiding = models.TextField(_("guiding paragraph"), blank=True, default="")
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    summary_text = models.TextField(_("year-end summary: the chair's words"), blank=True, default="")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("annual work plan")
        verbose_name_plural = _("annual work plans")

    def __str__(self):
        return self.title


class WorkPlanSection(models.Model):
    plan = models.ForeignKey(WorkPlan, verbose_name=_("work plan"), on_delete=models.CASCADE,
                             related_name="sections")
    number = models.PositiveIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=200)

    class Meta:
        ordering = ["plan", "number"]
        verbose_name = _("work plan section")
        verbose_name_plural = _("work plan sections")
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="workplan_section_number_unique")]

    def __str__(self):
        return f"{self.number}. {self.title}"


class WorkPlanItem(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        IN_PROGRESS = "in_progress", _("in progress")
        DONE = "done", _("done")
        NOT_DONE = "not_done", _("not done")

    section = models.ForeignKey(WorkPlanSection, verbose_name=_("section"), on_delete=models.CASCADE,
                                related_name="items")
    number = models.PositiveIntegerField(_("number"))
    text = models.TextField(_("task"))
    owner = models.CharField(_("owner"), max_length=100, help_text=_("责任人: a person or an office."))
    deadline = models.CharField(_("deadline"), max_length=100, help_text=_("时限, e.g. 4月 or 7–8月 or 全年."))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    activities = models.ManyToManyField(Activity, verbose_name=_("linked activities"), blank=True,
                                        related_name="plan_items")

    class Meta:
        ordering = ["section", "number"]
        verbose_name = _("work plan item")
        verbose_name_plural = _("work plan items")
        constraints = [models.UniqueConstraint(fields=["section", "number"], name="workplan_item_number_unique")]

    def __str__(self):
        return self.text[:50]
