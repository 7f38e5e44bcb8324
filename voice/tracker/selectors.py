"""Reading the tracker: a member's own items, the handlers' lists, overdue items, the 谈心 prompts from the
membership history, and a congress year's proposals. Every list costs a fixed number of queries."""

import datetime
from typing import NamedTuple

from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils import timezone

from members.models import Member, MemberLeave, MembershipEvent, MembershipEventKind

from ..models import Item

#: Changes in a member's situation that call for a 谈心, and how long after the change the prompt stays.
TALK_PROMPT_EVENTS = (MembershipEventKind.TRANSFER_IN, MembershipEventKind.TRANSFER_OUT, MembershipEventKind.RETIRE)
TALK_PROMPT_DAYS = 60
HANDLE_PERM, TALK_PERM, REVIEW_PERM = "voice.handle_item", "voice.view_talk", "voice.review_proposal"


def _listed(items):
    return items.select_related("category", "member", "owner_user__member", "owner_department", "congress")


def items_for_member(member):
    """The member's own named items (never a talk record: those are not theirs to see)."""
    if member is None:
        return Item.objects.none()
    return _listed(Item.objects.filter(member=member, anonymous=False).exclude(source=Item.Source.TALK))


def items_for_staff(user):
    """What ``user`` follows in the tracker: every item for a handler, their own for an owner; 谈心 records only
    for the chair (``voice.view_talk``) and the person who held each talk."""
    talks = Q(source=Item.Source.TALK) & (Q() if user.has_perm(TALK_PERM) else Q(held_by=user))
    others = ~Q(source=Item.Source.TALK) & (Q() if user.has_perm(HANDLE_PERM) else Q(owner_user=user))
    return _listed(Item.objects.filter(talks | others))


def overdue_items(today=None):
    today = today or timezone.localdate()
    return Item.objects.filter(state=Item.State.ASSIGNED, deadline__lt=today)


class TalkPrompt(NamedTuple):
    """One member to hold a 谈心 with: why (the event's kind, or "long leave" with no detail of it) and since when."""
    member: Member
    reason: str
    since: datetime.date


def _talk_prompt_sources(today, days):
    """The membership events and the leaves that started in the last ``days`` days with no 谈心 recorded since."""
    since = today - datetime.timedelta(days=days)

    def talked_since(field):
        return Exists(Item.objects.filter(source=Item.Source.TALK, member=OuterRef("member"),
                                          received_on__gte=OuterRef(field)))

    events = (MembershipEvent.objects.filter(kind__in=TALK_PROMPT_EVENTS, effective_on__range=(since, today))
              .exclude(talked_since("effective_on")))
    leaves = MemberLeave.objects.filter(starts_on__range=(since, today)).exclude(talked_since("starts_on"))
    return events, leaves


def talk_prompts(today=None, days=TALK_PROMPT_DAYS):
    """Members whose situation changed in the last ``days`` days (a transfer, retirement, or long leave that
    started) with no 谈心 recorded since, newest first. The kind of leave (sick, maternity …) is health and family
    information and is not named here: the member's record holds it for those who may read it. Two queries."""
    events, leaves = _talk_prompt_sources(today or timezone.localdate(), days)
    prompts = [TalkPrompt(e.member, e.get_kind_display(), e.effective_on) for e in events.select_related("member")]
    prompts += [TalkPrompt(leave.member, MemberLeave._meta.verbose_name, leave.starts_on)
                for leave in leaves.select_related("member")]
    return sorted(prompts, key=lambda p: (p.since, p.member.pk), reverse=True)


def talk_prompt_count(today=None, days=TALK_PROMPT_DAYS):
    """How many talk_prompts there are, counted in the database (the workbench's tile)."""
    return sum(source.count() for source in _talk_prompt_sources(today or timezone.localdate(), days))


def items_shown(user, state=""):
    """The staff list's filter (the manage page and its .xlsx): one state, or every item still open."""
    items = items_for_staff(user)
    if state in Item.State.values:
        return items.filter(state=state)
    return items.exclude(state__in=[Item.State.CLOSED, Item.State.DECLINED, Item.State.MERGED])


def proposals_of_year(year):
    """The proposals of the congresses held in ``year``, in the order of the register (unregistered at the end)."""
    return (_listed(Item.objects.filter(source=Item.Source.PROPOSAL, congress__held_on__year=year))
            .select_related("merged_into").order_by("congress__held_on", "congress_id",
                                                    F("proposal_number").asc(nulls_last=True), "pk"))


def state_counts(items):
    """{state: how many} of a list (one query)."""
    return dict(items.order_by().values_list("state").annotate(n=Count("pk")))
