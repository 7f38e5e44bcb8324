"""The members' voice: notices (通知公告) with read receipts, and surveys / 测评 with an anonymous mode.

Audiences follow the activities' rules (activities.eligibility): the fields ``audience``, ``union_groups``,
``departments`` and ``retirees_included`` mean the same here, so ``members_eligible_for`` answers for a notice or a
survey as it does for an activity. A notice may further be narrowed to holders of chosen roles.

Anonymous surveys are anonymous by construction: ``Participation`` records THAT a member responded (one row per
survey and member, a date only); ``Response`` and ``Answer`` carry no foreign key to a person, no time at all and a
random UUID key (so neither the key nor the default ordering reveals who answered when).
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from activities.models import Audience

from .storage import attachment_storage, attachment_upload_to, tracker_upload_to


class AudienceFields(models.Model):
    """Who a notice or a survey is for (the same fields and meaning as an activity's)."""

    audience = models.CharField(_("audience"), max_length=10, choices=Audience.choices, default=Audience.ALL)
    union_groups = models.ManyToManyField("members.UnionGroup", verbose_name=_("union groups"), blank=True,
                                          related_name="+")
    departments = models.ManyToManyField("members.Department", verbose_name=_("departments"), blank=True,
                                         related_name="+")
    retirees_included = models.BooleanField(_("retirees included"), default=True)

    class Meta:
        abstract = True


class Notice(AudienceFields):
    class State(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")
        WITHDRAWN = "withdrawn", _("withdrawn")

    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"), blank=True, default="",
                            help_text=_("Rich text; scripts, styles and unknown tags are removed when saved."))
    roles = models.ManyToManyField("accounts.Role", verbose_name=_("only holders of these roles"), blank=True,
                                   related_name="+")
    pinned = models.BooleanField(_("pinned"), default=False)
    expires_on = models.DateField(_("shown until"), null=True, blank=True,
                                  help_text=_("Empty means it stays until withdrawn."))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"),
                                   on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-pinned", "-published_at", "-pk"]
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        permissions = [("publish_notice", _("Can publish and withdraw notices")),
                       ("view_notice_figures", _("Can see who has read notices"))]

    def __str__(self):
        return self.title

    def is_live(self, today=None):
        today = today or timezone.localdate()
        return self.state == self.State.PUBLISHED and (self.expires_on is None or self.expires_on >= today)


class Attachment(models.Model):
    """A file attached to a notice or a tracker item: kept privately under a random name (voice.storage), its
    original name, kind and size on the row. Subclasses add the owner and their own upload folder."""

    file = models.FileField(_("file"), storage=attachment_storage, upload_to=attachment_upload_to)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))

    class Meta:
        abstract = True
        ordering = ["pk"]

    def __str__(self):
        return self.original_name


class NoticeAttachment(Attachment):
    notice = models.ForeignKey(Notice, verbose_name=_("notice"), on_delete=models.CASCADE,
                               related_name="attachments")

    class Meta(Attachment.Meta):
        verbose_name = _("notice attachment")
        verbose_name_plural = _("notice attachments")


class NoticeRead(models.Model):
    """A read receipt: the member opened the notice (first time only)."""

    notice = models.ForeignKey(Notice, verbose_name=_("notice"), on_delete=models.CASCADE, related_name="reads")
    member = models.ForeignKey("members.Member", verbose_name=_("member"), on_delete=models.CASCADE,
                               related_name="+")
    read_at = models.DateTimeField(_("read at"), default=timezone.now)

    class Meta:
        verbose_name = _("read receipt")
        verbose_name_plural = _("read receipts")
        constraints = [models.UniqueConstraint(fields=["notice", "member"], name="notice_read_once")]


class Survey(AudienceFields):
    class Kind(models.TextChoices):
        GENERAL = "general", _("questionnaire")
        SATISFACTION = "satisfaction", _("members rate the union (会员评家)")
        DEMOCRATIC = "democratic", _("democratic appraisal (民主测评)")
        FEEDBACK = "feedback", _("activity feedback")
        NEEDS = "needs", _("needs survey (需求调查)")

    class State(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, default="")
    kind = models.CharField(_("kind"), max_length=15, choices=Kind.choices, default=Kind.GENERAL)
    anonymous = models.BooleanField(
        _("anonymous"), default=True,
        help_text=_("Answers are stored with no link to the person; results are shown from 5 respondents on."))
    activity = models.ForeignKey("activities.Activity", verbose_name=_("activity"), on_delete=models.PROTECT,
                                 null=True, blank=True, related_name="+",
                                 help_text=_("For activity feedback: only those who checked in are asked."))
    opens_at = models.DateTimeField(_("opens at"), default=timezone.now)
    closes_at = models.DateTimeField(_("closes at"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-opens_at", "-pk"]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        permissions = [("view_survey_results", _("Can see survey results"))]

    def __str__(self):
        return self.title

    def is_open(self, now=None):
        now = now or timezone.now()
        return self.state == self.State.PUBLISHED and self.opens_at <= now < self.closes_at


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("single choice")
        MULTIPLE = "multiple", _("multiple choice")
        RATING = "rating", _("rating 1–5")
        TEXT = "text", _("text")

    survey = models.ForeignKey(Survey, verbose_name=_("survey"), on_delete=models.CASCADE,
                               related_name="questions")
    position = models.PositiveIntegerField(_("position"), default=0)
    text = models.CharField(_("question"), max_length=300)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.SINGLE)
    choices = models.TextField(_("choices"), blank=True, default="", help_text=_("One choice per line."))
    required = models.BooleanField(_("required"), default=True)

    class Meta:
        ordering = ["survey", "position", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self):
        return self.text

    @property
    def choice_list(self):
        return [line.strip() for line in self.choices.splitlines() if line.strip()]


class Participation(models.Model):
    """THAT a member responded to a survey (one per survey and member), with the day only.

    ``response`` is set for named surveys only; for anonymous ones it stays empty, so nothing joins the two."""

    survey = models.ForeignKey(Survey, verbose_name=_("survey"), on_delete=models.CASCADE,
                               related_name="participations")
    member = models.ForeignKey("members.Member", verbose_name=_("member"), on_delete=models.CASCADE,
                               related_name="+")
    on_date = models.DateField(_("responded on"), default=timezone.localdate)
    response = models.OneToOneField("Response", verbose_name=_("response"), on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [models.UniqueConstraint(fields=["survey", "member"], name="survey_one_response_per_member")]


class Response(models.Model):
    """One set of answers. No person, no time: the key is random and is the default order."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, verbose_name=_("survey"), on_delete=models.CASCADE,
                               related_name="responses")

    class Meta:
        ordering = ["id"]
        verbose_name = _("response")
        verbose_name_plural = _("responses")


class Answer(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(Response, verbose_name=_("response"), on_delete=models.CASCADE,
                                 related_name="answers")
    question = models.ForeignKey(Question, verbose_name=_("question"), on_delete=models.CASCADE,
                                 related_name="answers")
    choices = models.JSONField(_("choices"), default=list, blank=True)
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    text = models.TextField(_("text"), blank=True, default="")

    class Meta:
        ordering = ["id"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")


# ---- the tracker: 诉求, 意见, 接待日, 谈心 and 提案 ---------------------------------------------------------------------


class TrackerCategory(models.Model):
    """What an item is about (工作条件, 福利待遇, 文体活动 …): data the union edits."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("item category")
        verbose_name_plural = _("item categories")

    def __str__(self):
        return self.name


class Congress(models.Model):
    """A session of the 会员代表大会 and its window for collecting 提案 (《基层工会会员代表大会条例》)."""

    name = models.CharField(_("name"), max_length=200)
    held_on = models.DateField(_("held on"))
    proposals_open_on = models.DateField(_("proposals collected from"))
    proposals_close_on = models.DateField(_("proposals collected until"))

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("members' congress")
        verbose_name_plural = _("members' congresses")
        constraints = [
            models.CheckConstraint(condition=models.Q(proposals_open_on__lte=models.F("proposals_close_on")),
                                   name="congress_window_in_order"),
            models.CheckConstraint(condition=models.Q(proposals_close_on__lte=models.F("held_on")),
                                   name="congress_window_before_session"),
        ]

    def __str__(self):
        return self.name

    def is_collecting(self, today=None):
        today = today or timezone.localdate()
        return self.proposals_open_on <= today <= self.proposals_close_on


class Item(models.Model):
    """One 诉求, 意见, 接待日 visit, 谈心 or 提案, followed from receipt to closure (销号).

    A named item links the member (``member``); an anonymous one links nobody and is followed with a private code
    whose hash alone is kept. A 谈心 record names the member talked with (``member``) and the person who held the
    talk (``held_by``): only they and the chair may know it exists (voice.tracker.access)."""

    class Source(models.TextChoices):
        BOX = "box", _("suggestion box (意见箱)")
        CHAIR = "chair", _("chair's mailbox (主席信箱)")
        RECEPTION = "reception", _("reception day visit (接待日)")
        TALK = "talk", _("heart-to-heart talk (谈心)")
        PROPOSAL = "proposal", _("congress proposal (提案)")

    class State(models.TextChoices):
        RECEIVED = "received", _("received")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")
        MERGED = "merged", _("merged with another proposal")
        ASSIGNED = "assigned", _("with its owner")
        ANSWERED = "answered", _("answered")
        CLOSED = "closed", _("closed")

    class Review(models.TextChoices):
        REGISTERED = "registered", _("registered as a proposal (立案)")
        MERGED = "merged", _("merged with another proposal")
        OPINION = "opinion", _("turned into an opinion")

    class Rating(models.TextChoices):
        SATISFIED = "satisfied", _("satisfied")
        UNSATISFIED = "unsatisfied", _("not satisfied")

    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    category = models.ForeignKey(TrackerCategory, verbose_name=_("category"), on_delete=models.PROTECT,
                                 null=True, blank=True, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"))
    anonymous = models.BooleanField(_("anonymous"), default=False)
    member = models.ForeignKey("members.Member", verbose_name=_("member"), on_delete=models.PROTECT, null=True,
                               blank=True, related_name="+")
    held_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("talk held by"), on_delete=models.PROTECT,
                                null=True, blank=True, related_name="+")
    follow_code_hash = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    congress = models.ForeignKey(Congress, verbose_name=_("members' congress"), on_delete=models.PROTECT,
                                 null=True, blank=True, related_name="proposals")
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.RECEIVED)
    review = models.CharField(_("review"), max_length=10, choices=Review.choices, blank=True, default="")
    proposal_number = models.PositiveIntegerField(_("proposal number"), null=True, blank=True)
    merged_into = models.ForeignKey("self", verbose_name=_("merged into"), on_delete=models.PROTECT, null=True,
                                    blank=True, related_name="merged")
    decline_reason = models.TextField(_("reason for declining"), blank=True, default="")
    owner_user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("owner (person)"),
                                   on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    owner_department = models.ForeignKey("members.Department", verbose_name=_("owner (department)"),
                                         on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True, default="")
    answer_count = models.PositiveSmallIntegerField(_("answers given"), default=0)
    rating = models.CharField(_("member's rating"), max_length=12, choices=Rating.choices, blank=True, default="")
    rating_comment = models.TextField(_("member's comment"), blank=True, default="")
    received_on = models.DateField(_("received on"), default=timezone.localdate)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = _("tracked item")
        verbose_name_plural = _("tracked items")
        permissions = [("handle_item", _("Can handle members' demands, opinions and proposals")),
                       ("review_proposal", _("Can review congress proposals (提案审查)")),
                       ("view_talk", _("Can see heart-to-heart talk records"))]
        constraints = [
            models.CheckConstraint(condition=~models.Q(anonymous=True, member__isnull=False),
                                   name="tracker_anonymous_names_nobody"),
            models.CheckConstraint(condition=~models.Q(source="talk", held_by__isnull=True),
                                   name="tracker_talk_has_holder"),
            models.CheckConstraint(condition=~models.Q(source="proposal", congress__isnull=True),
                                   name="tracker_proposal_has_congress"),
            models.UniqueConstraint(fields=["congress", "proposal_number"], name="tracker_proposal_number_once"),
        ]

    def __str__(self):
        return f"#{self.pk} {self.title}"

    @property
    def is_talk(self):
        return self.source == self.Source.TALK

    @property
    def is_proposal(self):
        return self.source == self.Source.PROPOSAL

    @property
    def is_overdue(self):
        return self.state == self.State.ASSIGNED and self.deadline is not None and \
            self.deadline < timezone.localdate()


class ItemStep(models.Model):
    """One step of an item, with who took it and when. Append-only: written only by voice.tracker.services."""

    class Kind(models.TextChoices):
        RECEIVED = "received", _("received")
        ACCEPTED = "accepted", _("accepted (受理)")
        DECLINED = "declined", _("declined")
        REVIEWED = "reviewed", _("reviewed by the proposals committee")
        ASSIGNED = "assigned", _("assigned to an owner")
        ANSWERED = "answered", _("answered")
        RATED = "rated", _("rated by the member")
        CLOSED = "closed", _("closed (销号)")

    item = models.ForeignKey(Item, verbose_name=_("item"), on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(_("step"), max_length=10, choices=Kind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, null=True,
                              blank=True, related_name="+")
    at = models.DateTimeField(_("at"), default=timezone.now)
    note = models.TextField(_("note"), blank=True, default="")

    class Meta:
        ordering = ["item", "at", "pk"]
        verbose_name = _("item step")
        verbose_name_plural = _("item steps")

    def __str__(self):
        return f"{self.item_id} {self.get_kind_display()}"


class ItemAttachment(Attachment):
    item = models.ForeignKey(Item, verbose_name=_("item"), on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), storage=attachment_storage, upload_to=tracker_upload_to)

    class Meta(Attachment.Meta):
        verbose_name = _("item attachment")
        verbose_name_plural = _("item attachments")


class Bulletin(models.Model):
    """工作简报: one issue (期) of the committee's bulletin, every two months or so. It gathers the notices the
    committee chose, the activities held in its period, the care given (counts only, from welfare through
    core.period_sections) and the committee's own text. Publishing freezes the figures on the row, so the PDF a
    member reads later says what it said the day it was published."""

    class State(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")

    year = models.PositiveIntegerField(_("year"))
    number = models.PositiveIntegerField(_("issue number"), help_text=_("The issue's number within its year."))
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    committee_text = models.TextField(_("the committee's text"), blank=True, default="",
                                      help_text=_("Plain text; an empty line starts a new paragraph."))
    notices = models.ManyToManyField(Notice, verbose_name=_("notices"), blank=True, related_name="+")
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    figures = models.JSONField(_("figures"), default=dict, blank=True, editable=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("published by"),
                                     on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-year", "-number"]
        verbose_name = _("work bulletin")
        verbose_name_plural = _("work bulletins")
        permissions = [("publish_bulletin", _("Can publish work bulletins"))]
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="voice_bulletin_one_number_a_year"),
            models.CheckConstraint(condition=models.Q(period_end__gte=models.F("period_start")),
                                   name="voice_bulletin_period_in_order"),
        ]

    def __str__(self):
        return _("Work bulletin %(year)s No. %(number)s") % {"year": self.year, "number": self.number}
