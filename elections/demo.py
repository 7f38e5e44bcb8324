"""The demo elections, through the elections' services: the 第五届委员会换届选举 taken from the groups' nominations
through review, the higher union's 批复 and the frozen roll to an open vote, with about half the roll voted online
(the demo accounts are left to vote); a 小组长推选 of one group, counted and accepted; and the 经审会 election with
its nominations open, half the groups' records entered. Re-runnable: nothing is added when the committee election
exists."""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from members.models import Member, UnionGroup

from . import selectors, services
from .models import Election, ElectionRules

COMMITTEE_TITLE = "第五届工会委员会换届选举"
AUDIT_TITLE = "第五届经费审查委员会换届选举"
SEATS = 7


@transaction.atomic
def build_demo_elections():
    actor = User.objects.filter(username="chair").first() or User.objects.filter(is_superuser=True).first()
    if actor is None or Election.objects.filter(title=COMMITTEE_TITLE).exists():
        return {"elections": 0}
    rng = random.Random(2026)
    today = timezone.localdate()
    committee = _committee_election(actor, rng, today)
    leader = _group_leader_election(actor, today)
    audit = _audit_committee_nominations(actor, rng, today)
    return {"elections": 2 + (leader is not None), "ballots": committee.ballots.count(),
            "group_nominations": audit.group_nominations.count()}


def _committee_election(actor, rng, today):
    election = Election.objects.create(title=COMMITTEE_TITLE, kind="committee", seats=SEATS,
                                       rules=ElectionRules.objects.get(kind="committee"),
                                       held_on=today + datetime.timedelta(days=3), roll_date=today)
    services.nominations_open(election=election, closes_on=today, actor=actor)
    groups = list(UnionGroup.objects.order_by("pk"))
    nominees = []
    for group in groups:
        # Each group's meeting puts forward one or two of its members (no demo account: they stay plain voters).
        members = list(Member.objects.in_service().filter(union_group=group, user__isnull=True).order_by("pk"))
        present = max(1, selectors.group_size_on(group, today) - rng.randint(0, 2))
        chosen = members[:2 if len(nominees) < SEATS + 2 else 1]
        if chosen:
            services.group_nomination_save(
                election=election, union_group=group, members_present=present,
                nominees=[(m, rng.randint(max(1, present // 2), present)) for m in chosen], actor=actor)
            nominees.extend(election.candidates.get(member=m) for m in chosen)
    passed = nominees[:SEATS + 2]  # 9 for 7 seats: more than the 5 % 差额
    services.candidates_review(election=election, passed=passed, actor=actor)
    services.candidates_submit(election=election, on=today - datetime.timedelta(days=15), actor=actor)
    services.candidates_approval_record(election=election, reference="市直机关工会〔2026〕18号",
                                        approved_on=today - datetime.timedelta(days=8), actor=actor)
    services.roll_freeze(election=election, actor=actor)
    election = services.voting_open(election=election, actor=actor)
    voters = list(election.voters.filter(member__user__isnull=True).select_related("member").order_by("pk"))
    for voter in voters[: len(voters) // 2]:
        chosen = rng.sample([c.pk for c in passed], k=rng.randint(4, SEATS))
        services.ballot_cast(election=election, member=voter.member, candidate_ids=chosen)
    return election


def _audit_committee_nominations(actor, rng, today):
    """The 经审会 election, its nominations open for ten more days: every other group has entered its record, the
    others (the demo group leader's among them) have still to."""
    election = Election.objects.create(title=AUDIT_TITLE, kind="audit_committee", seats=3,
                                       rules=ElectionRules.objects.get(kind="audit_committee"),
                                       held_on=today + datetime.timedelta(days=30), roll_date=today)
    services.nominations_open(election=election, closes_on=today + datetime.timedelta(days=10), actor=actor)
    led_by_demo_accounts = set(UnionGroup.objects.filter(leader__user__isnull=False).values_list("pk", flat=True))
    for group in list(UnionGroup.objects.order_by("pk"))[::2]:
        members = list(Member.objects.in_service().filter(union_group=group, user__isnull=True).order_by("pk"))
        if group.pk in led_by_demo_accounts or not members:
            continue
        present = selectors.group_size_on(group, today)
        services.group_nomination_save(election=election, union_group=group, members_present=present,
                                       nominees=[(members[-1], rng.randint(max(1, present // 2), present))],
                                       actor=actor)
    return election


def _group_leader_election(actor, today):
    """The first group without a demo account among its members re-elects its leader, counted and accepted."""
    group = (UnionGroup.objects.filter(leader__isnull=False).exclude(members__user__isnull=False)
             .order_by("pk").first())
    if group is None:
        return None
    election = Election.objects.create(title=f"{group.name} 小组长推选", kind="group_leader", seats=1,
                                       rules=ElectionRules.objects.get(kind="group_leader"), union_group=group,
                                       held_on=today - datetime.timedelta(days=30),
                                       roll_date=today - datetime.timedelta(days=45))
    services.nominations_open(election=election, closes_on=None, actor=actor)
    leader = group.leader
    present = selectors.group_size_on(group, election.roll_date)
    services.group_nomination_save(election=election, union_group=group, members_present=present,
                                   nominees=[(leader, present)], actor=actor)
    services.candidates_review(election=election, passed=list(election.candidates.all()), actor=actor)
    services.candidates_submit(election=election, on=today - datetime.timedelta(days=40), actor=actor)
    services.candidates_approval_record(election=election, reference="机关工会备案〔2026〕3号",
                                        approved_on=today - datetime.timedelta(days=35), actor=actor)
    services.roll_freeze(election=election, actor=actor)
    election = services.voting_open(election=election, actor=actor)
    candidate = election.candidates.get()
    for voter in election.voters.select_related("member").order_by("pk"):
        services.ballot_cast(election=election, member=voter.member, candidate_ids=[candidate.pk])
    services.election_close(election=election, actor=actor)
    return services.election_accept(election=election, actor=actor)
