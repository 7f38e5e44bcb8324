"""Election reminders through the reminder engine (core.reminders): nominations closing (to the group leaders, or
for a 小组长推选 to the group's members, and to the organisers), voting open (to each voter on the roll who has
not voted), and who has not voted yet (to the organisers alone, from the election day on). Only THAT someone
voted is ever read (``Voter.voted``), never how: ballots are not touched here. One query for the elections, one
per election for its people: never one per member."""

import datetime

from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from accounts.selectors import permission_holders
from core.reminders import Reminder, collector
from members.models import Member

from . import selectors
from .models import Election, Voter

#: How many names the organiser's reminder lists before "and N more".
NAMES_LISTED = 30


def organiser_ids():
    """Active users who run elections: holders of ``elections.manage_election`` through a role or directly, not
    superusers as such (accounts.selectors.permission_holders, as everywhere in the portal)."""
    return list(permission_holders("elections.manage_election").order_by("pk").values_list("pk", flat=True))


def _admin_url(election):
    return reverse("admin:elections_election_change", args=[election.pk])


@collector("election_nominations")
def nominations_closing(*, since, today, config):
    elections = list(Election.objects.filter(state=Election.State.NOMINATING, nominations_close_on__gte=today)
                     .select_related("rules").order_by("pk"))
    organisers = organiser_ids() if elections else []
    for election in elections:
        ahead = datetime.timedelta(days=election.rules.nominations_reminder_days)
        if election.nominations_close_on - ahead > today:
            continue
        if election.union_group_id:
            people = Member.objects.in_service().filter(union_group=election.union_group_id)
        else:
            people = Member.objects.filter(led_groups__isnull=False)
        recipients = set(people.filter(user__is_active=True).values_list("user_id", flat=True)) | set(organisers)
        led = selectors.nominating_groups(election).filter(leader__user__is_active=True).order_by("-sort_order",
                                                                                                  "-name")
        # A 小组长 goes to their group's nomination page (the first of the groups they lead).
        pages = {user_id: reverse("elections:group_nomination", args=[election.pk, group_id])
                 for group_id, user_id in led.values_list("pk", "leader__user_id")}
        params = {"title": election.title, "date": formats.date_format(election.nominations_close_on)}
        for user_id in sorted(recipients):
            yield Reminder(recipient_id=user_id, key=f"election-nominations:{election.pk}", kind="election",
                           title=_("%(title)s: nominations close on %(date)s") % params,
                           body=_("Groups nominate their candidates for %(title)s by %(date)s.") % params,
                           remind_on=min(election.nominations_close_on - ahead, today),
                           due_on=election.nominations_close_on,
                           url=_admin_url(election) if user_id in organisers else pages.get(user_id, ""))


@collector("election_voting")
def voting_open(*, since, today, config):
    for election in Election.objects.filter(state=Election.State.VOTING, roll_frozen=True,
                                            voting_opened_on__gt=since, voting_opened_on__lte=today).order_by("pk"):
        for user_id in (Voter.objects.filter(election=election, voted=False, member__user__is_active=True)
                        .values_list("member__user_id", flat=True)):
            yield Reminder(recipient_id=user_id, key=f"election-voting:{election.pk}", kind="election",
                           title=_("%(title)s: voting is open") % {"title": election.title},
                           body=_("Cast your secret ballot in the portal by %(date)s.") % {
                               "date": formats.date_format(election.held_on)},
                           remind_on=election.voting_opened_on, due_on=election.held_on,
                           url=reverse("elections:vote", args=[election.pk]))


@collector("election_not_voted")
def not_voted(*, since, today, config):
    """Each day from the election day while the vote is open: how many on the roll have not voted, and who — to
    the organisers, never to anyone else, and never how anyone voted."""
    elections = list(Election.objects.filter(state=Election.State.VOTING, held_on__lte=today).order_by("pk"))
    organisers = organiser_ids() if elections else []
    for election in elections:
        names = list(Voter.objects.filter(election=election, voted=False)
                     .order_by("member__name_initials", "member__pk").values_list("member__name", flat=True))
        if not names:
            continue
        shown = "、".join(names[:NAMES_LISTED])
        if len(names) > NAMES_LISTED:
            shown += _(" and %(count)d more") % {"count": len(names) - NAMES_LISTED}
        params = {"title": election.title, "count": len(names)}
        for user_id in organisers:
            yield Reminder(recipient_id=user_id, key=f"election-not-voted:{election.pk}:{today.isoformat()}",
                           kind="election", title=_("%(title)s: %(count)d on the roll have not voted") % params,
                           body=shown, remind_on=today, due_on=election.held_on, url=_admin_url(election))
