"""Elections (换届选举, 增补选举, 小组长推选, 会员代表选举) by 《工会基层组织选举工作条例》, with secret ballots.

The thresholds are data (ElectionRules), seeded with the national values and flagged for checking against the
regulation's own text. Online ballots are secret by construction: ``Voter.voted`` records THAT a member voted,
``Ballot`` / ``BallotMark`` record WHAT was voted, and nothing joins them (no foreign key, no timestamp, random
ids, no ordering of their own).
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from members.models import Member, UnionGroup


class ElectionKind(models.TextChoices):
    COMMITTEE = "committee", _("union committee (换届)")
    AUDIT_COMMITTEE = "audit_committee", _("audit committee (换届)")
    OFFICERS = "officers", _("chair and vice-chairs, by the new committee")
    BY_ELECTION = "by_election", _("by-election (增补选举)")
    GROUP_LEADER = "group_leader", _("group leader (小组长推选)")
    REPRESENTATIVES = "representatives", _("members' representatives (会员代表)")


class ElectionRules(models.Model):
    """The rules of one kind of election, as data: 差额 ratio, quorum, majority, composition targets."""

    kind = models.CharField(_("kind"), max_length=20, choices=ElectionKind.choices, unique=True)
    margin_ratio = models.DecimalField(
        _("margin ratio (差额)"), max_digits=5, decimal_places=4, default=0,
        help_text=_("Candidates must exceed the seats by at least this share of the seats (0.05 = 5 %)."))
    quorum_numerator = models.PositiveSmallIntegerField(_("quorum: numerator"), default=2)
    quorum_denominator = models.PositiveSmallIntegerField(_("quorum: denominator"), default=3)
    majority_numerator = models.PositiveSmallIntegerField(_("majority: numerator"), default=1)
    majority_denominator = models.PositiveSmallIntegerField(_("majority: denominator"), default=2)
    second_round = models.BooleanField(_("ties and shortfalls go to a second round"), default=True)
    women_share_target = models.DecimalField(_("women's share target"), max_digits=5, decimal_places=4,
                                             null=True, blank=True)
    young_age_limit = models.PositiveSmallIntegerField(
        _("young candidates: under this age"), null=True, blank=True, default=35,
        help_text=_("Age on the election date below which a candidate counts as young."))
    young_share_target = models.DecimalField(_("young candidates' share target"), max_digits=5, decimal_places=4,
                                             null=True, blank=True)
    departments_target = models.PositiveSmallIntegerField(
        _("departments to cover"), null=True, blank=True,
        help_text=_("How many departments the candidates should come from at least."))
    nominations_reminder_days = models.PositiveSmallIntegerField(
        _("nominations closing: remind days ahead"), default=3)
    to_check = models.BooleanField(
        _("to check against 《工会基层组织选举工作条例》"), default=True,
        help_text=_("Seeded with the national values; confirm them against the regulation's text."))

    class Meta:
        verbose_name = _("election rules")
        verbose_name_plural = _("election rules")
        constraints = [
            models.CheckConstraint(condition=models.Q(quorum_denominator__gt=0, majority_denominator__gt=0),
                                   name="election_rules_denominators_positive"),
        ]

    def __str__(self):
        return self.get_kind_display()


class Election(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("draft")
        NOMINATING = "nominating", _("nominating")
        SUBMITTED = "submitted", _("candidate list sent to the higher union")
        APPROVED = "approved", _("candidate list approved (批复)")
        VOTING = "voting", _("voting")
        CLOSED = "closed", _("counted")
        ACCEPTED = "accepted", _("result accepted")

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=ElectionKind.choices)
    rules = models.ForeignKey(ElectionRules, verbose_name=_("election rules"), on_delete=models.PROTECT)
    seats = models.PositiveSmallIntegerField(_("seats"))
    held_on = models.DateField(_("election date"))
    roll_date = models.DateField(_("roll as of"))
    union_group = models.ForeignKey(UnionGroup, verbose_name=_("union group"), on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")
    body = models.CharField(
        _("body the by-election fills"), max_length=20, blank=True, default="",
        choices=[(ElectionKind.COMMITTEE, _("union committee")), (ElectionKind.AUDIT_COMMITTEE, _("audit committee"))],
        help_text=_("For a by-election (增补选举): the committee whose vacant seats it fills."))
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.DRAFT)
    roll_frozen = models.BooleanField(_("roll frozen"), default=False)
    nominations_close_on = models.DateField(_("nominations close on"), null=True, blank=True)
    candidates_submitted_on = models.DateField(_("candidate list sent on"), null=True, blank=True)
    approval_reference = models.CharField(_("higher union's approval (批复)"), max_length=200, blank=True,
                                          default="")
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    voting_opened_on = models.DateField(_("voting opened on"), null=True, blank=True)
    closed_on = models.DateField(_("counted on"), null=True, blank=True)
    accepted_on = models.DateField(_("result accepted on"), null=True, blank=True)
    previous_round = models.ForeignKey("self", verbose_name=_("first round"), on_delete=models.PROTECT,
                                       null=True, blank=True, related_name="next_rounds")
    # The count, as recorded at the close: online ballots and the paper ballot boxes together.
    ballots_issued = models.PositiveIntegerField(_("ballots issued"), default=0)
    ballots_returned = models.PositiveIntegerField(_("ballots returned"), default=0)
    ballots_invalid = models.PositiveIntegerField(_("invalid ballots"), default=0)
    result_valid = models.BooleanField(_("the vote is valid"), null=True, blank=True)
    seats_left = models.PositiveSmallIntegerField(_("seats left for a second round"), default=0)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("election")
        verbose_name_plural = _("elections")
        permissions = [("manage_election", _("Can run elections"))]

    def __str__(self):
        return self.title

    def clean(self):
        if self.kind == ElectionKind.BY_ELECTION and not self.body:
            raise ValidationError({"body": _("Say which committee the by-election fills.")})
        if self.kind != ElectionKind.BY_ELECTION and self.body:
            raise ValidationError({"body": _("Only a by-election fills seats of a committee.")})


class Voter(models.Model):
    """One line of the voter roll (选民名单). ``voted`` says THAT the member voted online, nothing more."""

    election = models.ForeignKey(Election, verbose_name=_("election"), on_delete=models.CASCADE,
                                 related_name="voters")
    member = models.ForeignKey(Member, verbose_name=_("member"), on_delete=models.PROTECT, related_name="+")
    voted = models.BooleanField(_("voted"), default=False)

    class Meta:
        ordering = ["election", "member__name_initials", "id"]
        verbose_name = _("voter")
        verbose_name_plural = _("voter roll")
        constraints = [models.UniqueConstraint(fields=["election", "member"], name="voter_once_per_election")]

    def __str__(self):
        return str(self.member)


class RollChange(models.Model):
    """A change to a frozen roll, with who and why."""

    election = models.ForeignKey(Election, verbose_name=_("election"), on_delete=models.CASCADE,
                                 related_name="roll_changes")
    member = models.ForeignKey(Member, verbose_name=_("member"), on_delete=models.PROTECT, related_name="+")
    added = models.BooleanField(_("added"))
    reason = models.TextField(_("reason"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT,
                              null=True, blank=True, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["election", "recorded_at", "id"]
        verbose_name = _("roll change")
        verbose_name_plural = _("roll changes")


class Candidate(models.Model):
    election = models.ForeignKey(Election, verbose_name=_("election"), on_delete=models.CASCADE,
                                 related_name="candidates")
    member = models.ForeignKey(Member, verbose_name=_("member"), on_delete=models.PROTECT, related_name="+")
    nominated_by = models.ForeignKey(UnionGroup, verbose_name=_("nominating group"), on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+")
    nominations = models.PositiveIntegerField(_("nominating votes"), default=0)
    approved = models.BooleanField(_("passed review"), default=False)
    votes = models.PositiveIntegerField(_("yes votes"), default=0)
    elected = models.BooleanField(_("elected"), default=False)
    second_round = models.BooleanField(_("goes to a second round"), default=False)

    class Meta:
        ordering = ["election", "member__name_initials", "id"]
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        constraints = [models.UniqueConstraint(fields=["election", "member"], name="candidate_once_per_election")]

    def __str__(self):
        return str(self.member)


class GroupNomination(models.Model):
    """推荐: one 工会小组's nominations for one election, as its meeting agreed them — how many members were present
    and, per nominee (GroupNominee), how many agreed. One record per group and election, entered by the 小组长 (or
    by the organiser from the group's paper form) and editable while nominations are open; the candidate list is
    drawn from these records (``services.group_nomination_save``)."""

    election = models.ForeignKey(Election, verbose_name=_("election"), on_delete=models.CASCADE,
                                 related_name="group_nominations")
    union_group = models.ForeignKey(UnionGroup, verbose_name=_("nominating group"), on_delete=models.PROTECT,
                                    related_name="+")
    members_present = models.PositiveIntegerField(_("members present"))
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("entered by"), on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["election", "union_group__sort_order", "union_group__name", "id"]
        verbose_name = _("group nomination")
        verbose_name_plural = _("group nominations")
        constraints = [
            models.UniqueConstraint(fields=["election", "union_group"], name="group_nomination_once"),
            models.CheckConstraint(condition=models.Q(members_present__gt=0), name="group_nomination_present"),
        ]

    def __str__(self):
        return f"{self.union_group} · {self.election}"


class GroupNominee(models.Model):
    """One member a group nominates, with how many of those present agreed."""

    nomination = models.ForeignKey(GroupNomination, verbose_name=_("group nomination"), on_delete=models.CASCADE,
                                   related_name="nominees")
    member = models.ForeignKey(Member, verbose_name=_("nominee"), on_delete=models.PROTECT, related_name="+")
    agreeing = models.PositiveIntegerField(_("members agreeing"))

    class Meta:
        ordering = ["nomination", "id"]
        verbose_name = _("nominee")
        verbose_name_plural = _("nominees")
        constraints = [
            models.UniqueConstraint(fields=["nomination", "member"], name="group_nominee_once"),
            models.CheckConstraint(condition=models.Q(agreeing__gt=0), name="group_nominee_agreeing"),
        ]

    def __str__(self):
        return str(self.member)


class Ballot(models.Model):
    """One online ballot's content. No voter, no time, a random id; listed by that id, so in no order of casting."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    election = models.ForeignKey(Election, verbose_name=_("election"), on_delete=models.PROTECT,
                                 related_name="ballots")

    class Meta:
        ordering = ["id"]
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")


class BallotMark(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ballot = models.ForeignKey(Ballot, verbose_name=_("ballot"), on_delete=models.PROTECT, related_name="marks")
    candidate = models.ForeignKey(Candidate, verbose_name=_("candidate"), on_delete=models.PROTECT,
                                  related_name="+")

    class Meta:
        ordering = ["id"]
        verbose_name = _("ballot mark")
        verbose_name_plural = _("ballot marks")
        constraints = [models.UniqueConstraint(fields=["ballot", "candidate"], name="ballot_mark_once")]


class BallotBox(models.Model):
    """One ballot box of printed ballots, as the 计票人 counted it under the 监票人's eyes: ballots issued and
    returned, invalid ones, and the yes-votes per candidate (BoxVotes)."""

    election = models.ForeignKey(Election, verbose_name=_("election"), on_delete=models.CASCADE,
                                 related_name="ballot_boxes")
    label = models.CharField(_("ballot box"), max_length=50)
    issued = models.PositiveIntegerField(_("ballots issued"))
    returned = models.PositiveIntegerField(_("ballots returned"))
    invalid = models.PositiveIntegerField(_("invalid ballots"), default=0)
    scrutineers = models.CharField(_("scrutineers (监票人)"), max_length=200)
    tellers = models.CharField(_("tellers (计票人)"), max_length=200)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"),
                                    on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["election", "label", "id"]
        verbose_name = _("ballot box")
        verbose_name_plural = _("ballot boxes")
        constraints = [
            models.UniqueConstraint(fields=["election", "label"], name="ballot_box_label_once"),
            models.CheckConstraint(condition=models.Q(invalid__lte=models.F("returned")),
                                   name="ballot_box_invalid_within_returned"),
        ]

    def __str__(self):
        return self.label

    @property
    def valid(self):
        return self.returned - self.invalid


class BoxVotes(models.Model):
    box = models.ForeignKey(BallotBox, verbose_name=_("ballot box"), on_delete=models.CASCADE,
                            related_name="votes")
    candidate = models.ForeignKey(Candidate, verbose_name=_("candidate"), on_delete=models.PROTECT,
                                  related_name="+")
    votes = models.PositiveIntegerField(_("yes votes"))

    class Meta:
        ordering = ["box", "candidate"]
        verbose_name = _("yes votes in a ballot box")
        verbose_name_plural = _("yes votes in ballot boxes")
        constraints = [models.UniqueConstraint(fields=["box", "candidate"], name="box_votes_once")]
