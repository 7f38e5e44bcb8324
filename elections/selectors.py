"""Reads of elections: the open ones a member may vote in, the groups' nominations, the candidates on a ballot,
the printed roll."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch
from django.utils import timezone

from members.models import UnionGroup
from members.selectors import members_in_service_on

from .models import Candidate, Election, GroupNomination, GroupNominee, Voter


def nominations_window_open(election, today=None):
    """Groups may enter or change their nominations: the election is nominating and its closing day has not
    passed (nominations close at the end of ``nominations_close_on``)."""
    today = today or timezone.localdate()
    return election.state == Election.State.NOMINATING and (
        election.nominations_close_on is None or today <= election.nominations_close_on)


def nominating_groups(election):
    """The groups asked to nominate: a 小组长推选's own group, otherwise every 工会小组."""
    groups = UnionGroup.objects.select_related("leader").order_by("sort_order", "name")
    return groups.filter(pk=election.union_group_id) if election.union_group_id else groups


def nominations_for_leader(user):
    """[(election, group, record or None)] for the groups ``user`` leads and the elections whose nominations are
    open to them (nominating, not closed): the 小组长's list. Two queries."""
    groups = list(UnionGroup.objects.filter(leader__user=user).order_by("sort_order", "name"))
    if not groups:
        return []
    today = timezone.localdate()
    elections = [e for e in Election.objects.filter(state=Election.State.NOMINATING).order_by("held_on", "pk")
                 if nominations_window_open(e, today)]
    records = {(r.election_id, r.union_group_id): r for r in GroupNomination.objects.filter(
        election__in=elections, union_group__in=groups)}
    return [(election, group, records.get((election.pk, group.pk))) for election in elections for group in groups
            if not election.union_group_id or election.union_group_id == group.pk]


def group_size_on(group, day):
    """How many of the group's members were in service on ``day``: the most who can be present."""
    return members_in_service_on(day).filter(union_group=group).count()


@dataclass(frozen=True)
class NominationOverview:
    """The organiser's view of the 推荐: per group its record (None: not nominated yet), and per nominee the
    agreeing counts of each group and their total."""

    groups: list  # [(group, record or None)]
    nominees: list  # [(member, [(group, agreeing)], total)], most agreeing first
    missing: list  # groups with no record yet


def nomination_overview(election):
    """Three queries, whatever the number of groups and nominees."""
    records = {r.union_group_id: r for r in GroupNomination.objects.filter(election=election).prefetch_related(
        Prefetch("nominees", queryset=GroupNominee.objects.select_related("member", "member__department")))}
    groups = [(group, records.get(group.pk)) for group in nominating_groups(election)]
    counts, members = {}, {}
    for group, record in groups:
        for row in record.nominees.all() if record else []:
            members[row.member_id] = row.member
            counts.setdefault(row.member_id, []).append((group, row.agreeing))
    nominees = sorted(((members[pk], by_group, sum(n for _g, n in by_group)) for pk, by_group in counts.items()),
                      key=lambda row: (-row[2], row[0].name_initials, row[0].pk))
    return NominationOverview(groups=groups, nominees=nominees,
                              missing=[group for group, record in groups if record is None])


def open_elections_for_member(member):
    """[(election, voted)] of the elections open for voting with ``member`` on their frozen roll, in one query."""
    if member is None:
        return []
    voters = (Voter.objects.filter(member=member, election__state=Election.State.VOTING, election__roll_frozen=True)
              .select_related("election").order_by("election__held_on", "election_id"))
    return [(voter.election, voter.voted) for voter in voters]


def ballot_candidates(election):
    return (Candidate.objects.filter(election=election, approved=True).select_related("member", "member__department")
            .order_by("member__name_initials", "pk"))


def roll_rows(election):
    """The roll's lines for the 选民名单, by group and name (one query)."""
    return (Voter.objects.filter(election=election)
            .select_related("member", "member__department", "member__union_group")
            .order_by("member__union_group__name", "member__name_initials", "member__pk"))


@dataclass(frozen=True)
class CompositionCheck:
    """One line of the list's composition: ``count`` of ``total`` against ``target`` (a share, or for departments
    a number); ``met`` is None where the rules set no target."""

    key: str
    count: int
    total: int
    target: Decimal | int | None

    @property
    def share(self):
        return Decimal(self.count) / self.total if self.total else Decimal(0)

    @property
    def met(self):
        if self.target is None:
            return None
        if self.key == "departments":
            return self.count >= self.target
        return self.count >= self.total * self.target  # exact: no rounding of the share


def _age_on(birth_date, day):
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def composition(election):
    """Women, young candidates and departments among the candidates on the list (passed review), against the
    targets of the election's rules (data). Shown as counts and shares only, never as anyone's age."""
    rules = election.rules
    listed = list(Candidate.objects.filter(election=election, approved=True)
                  .values_list("member__sex", "member__birth_date", "member__department_id"))
    total = len(listed)
    women = sum(1 for sex, _b, _d in listed if sex == "F")
    young = sum(1 for _s, birth, _d in listed if birth and rules.young_age_limit
                and _age_on(birth, election.held_on) < rules.young_age_limit)
    departments = len({dept for _s, _b, dept in listed if dept})
    return [CompositionCheck("women", women, total, rules.women_share_target),
            CompositionCheck("young", young, total, rules.young_share_target),
            CompositionCheck("departments", departments, total, rules.departments_target)]
