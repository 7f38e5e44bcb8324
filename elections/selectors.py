"""Reads of elections: the open ones a member may vote in, the groups' nominations, the candidates on a ballot,
the printed roll."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch
from django.utils import timezone

from accounts.models import Role
from members.models import UnionGroup
from members.selectors import members_in_service_on

from .models import Candidate, Election, ElectionKind, GroupNomination, GroupNominee, Voter

#: The role the members of a body hold while in office (the 工会委员会's is created by elections' migration 0007).
COMMITTEE_ROLE = "committee"
ROLE_OF_BODY = {ElectionKind.COMMITTEE: COMMITTEE_ROLE, ElectionKind.AUDIT_COMMITTEE: Role.AUDITOR,
                ElectionKind.OFFICERS: Role.CHAIR}
#: 换届: the elected replace the body, so those not elected lose its role. A 增补 only adds to it.
REPLACING = (ElectionKind.COMMITTEE, ElectionKind.AUDIT_COMMITTEE, ElectionKind.OFFICERS)


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


@dataclass(frozen=True)
class RoleChange:
    """One line of what an acceptance changes: ``person`` gains (or loses) ``role``; ``user`` None when the person
    has no portal account, so nothing changes in the portal for them."""

    person: str
    user: object
    role: Role
    gains: bool


def office_role(election):
    """The role an election's elected take (None: the seats carry no portal role, e.g. 会员代表)."""
    if election.kind == ElectionKind.GROUP_LEADER:
        code = Role.GROUP_LEADER
    else:
        code = ROLE_OF_BODY.get(election.body if election.kind == ElectionKind.BY_ELECTION else election.kind)
    return Role.objects.select_related("group").filter(code=code).first() if code else None


def _elected(*elections):
    return [c.member for c in Candidate.objects.filter(election__in=elections, elected=True)
            .select_related("member__user").order_by("member__name_initials", "pk")]


def acceptance_changes(election):
    """Who gains and who loses which role when the result is accepted (the confirmation page shows it, and
    ``services.election_accept`` carries out exactly this). 换届 of the committee, the 经审会 or the officers: the
    elected hold the body's role and its other holders lose it — the elected of the first round kept when this is
    the second; 增补: the elected gain it; 小组长推选: the new leader gains the group leader role, a former leader
    who leads no other group loses it."""
    role = office_role(election)
    if role is None:
        return []
    elected = _elected(election)
    holders = set(role.group.user_set.values_list("pk", flat=True))
    changes = [RoleChange(person=m.name, user=m.user, role=role, gains=True) for m in elected
               if m.user_id is None or m.user_id not in holders]
    if election.kind == ElectionKind.GROUP_LEADER:
        previous = election.union_group.leader if election.union_group_id else None
        if (previous is not None and previous not in elected and previous.user_id
                and not previous.led_groups.exclude(pk=election.union_group_id).exists()):
            changes.append(RoleChange(person=previous.name, user=previous.user, role=role, gains=False))
    elif election.kind in REPLACING:
        rounds, current = [], election
        while current is not None:
            rounds.append(current)
            current = current.previous_round
        keep = {m.user_id for m in _elected(*rounds) if m.user_id}
        changes += [RoleChange(person=str(user), user=user, role=role, gains=False)
                    for user in role.group.user_set.exclude(pk__in=keep).order_by("pk")]
    return changes
