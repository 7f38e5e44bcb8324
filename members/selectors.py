"""Reads of the member roll, with the visibility rules in one place.

Who sees whom: people with the ``members.view_member`` permission (chair, committee roles) see the
whole roll; a 小组长 sees their own group; everyone else sees only themselves. Whoever may not see a
record gets a 404, not a 403: they should not learn that it exists (members.access fetches and authorises).
"""

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q, Subquery

from core.masking import mask_date, mask_id_number, mask_phone

from .models import Member, MembershipEvent, MemberStatus


def member_base_queryset():
    return Member.objects.select_related("department", "union_group", "union_group__leader", "user")


def members_visible_to(user):
    if not user.is_authenticated:
        return Member.objects.none()
    qs = member_base_queryset()
    if user.has_perm("members.view_member"):
        return qs
    return qs.filter(Q(user=user) | Q(union_group__leader__user=user)).distinct()


def member_for_user(user):
    """The member record behind a login, or None (e.g. an administrator who is not a member)."""
    if not user.is_authenticated:
        return None
    # One record per login: ordered by its key, not by the roll's ordering (which joins the department to sort).
    return member_base_queryset().filter(user=user).order_by("pk").first()


_LOGIN = Member._meta.get_field("user").remote_field  # user.member, the reverse one-to-one


def member_record_for_user(user):
    """The member record behind a login, alone (no department, group or leader joined), with ``member.user`` set
    to ``user``: for writes on a hot path such as registering, which need the record and its login only."""
    if not user.is_authenticated:
        return None
    if _LOGIN.is_cached(user):  # read with the session's user (accounts.backends.get_user): no query
        member = getattr(user, "member", None)  # None when the login has no record (a cached absence raises)
    else:
        member = Member.objects.filter(user=user).order_by("pk").first()
    if member is not None:
        member.user = user
    return member


def group_members_for_leader(user):
    """The members of the groups this user leads (empty for anyone who leads none)."""
    return member_base_queryset().filter(union_group__leader__user=user).order_by("union_group", "name_initials")


def can_see_sensitive(user):
    return user.is_authenticated and user.has_perm("members.view_sensitive_member")


def shown_id_number(member, user):
    """The ID number as this user may see it: in full only with the permission."""
    if can_see_sensitive(user):
        return member.id_number or ""
    return mask_id_number(member.id_number)


def shown_phone(member, user):
    if can_see_sensitive(user):
        return member.phone or ""
    return mask_phone(member.phone)


# --- birth dates: the rule for every surface (pages, admin, exports; the audit trail masks them as mask_date) ------
#
# Digits 7–14 of an ID number are the birth date, so a full birth date next to a masked ID number (1101**********0242)
# leaves about ten candidates for the whole number. Masked means not rebuildable from anything else the same person
# sees: whoever may not see full ID numbers sees a birth date as its year only (1985-**-**). The expected retirement
# date is the birth date plus a fixed age, so it is shown the same way. A 小组长 is told the day and month of the
# group's birthdays (welfare's birthday reminders), so they get not even the year. Rules that need the date (age,
# birthdays, retirement) compute it on the server.

def told_birthdays_of(member, user):
    """Whether ``user`` receives ``member``'s birthday reminders as their 小组长 (day and month, never the year)."""
    group = member.union_group
    leader = group.leader if group is not None and group.leader_id else None
    return leader is not None and leader.user_id == user.pk and member.user_id != user.pk


def with_birthday_told_flag(queryset, user):
    """``told_birthdays_of`` for a list, in SQL: each member carries ``birthday_told_to_viewer``."""
    told = Q(union_group__leader__user_id=user.pk) & ~Q(user_id=user.pk)
    return queryset.annotate(birthday_told_to_viewer=ExpressionWrapper(told, output_field=BooleanField()))


def _shown_birth_derived(value, member, user):
    if not value:
        return ""
    if can_see_sensitive(user):
        return value.isoformat()
    if told_birthdays_of(member, user):
        return ""
    return mask_date(value)


def shown_birth_date(member, user):
    """The birth date as this user may see it: in full with ``members.view_sensitive_member``; the year only
    (1985-**-**) without; nothing for the member's 小组长."""
    return _shown_birth_derived(member.birth_date, member, user)


def shown_retirement_date(member, user):
    """The expected retirement date (birth date + retirement age), by the same rule as the birth date."""
    return _shown_birth_derived(member.expected_retirement_on, member, user)


def member_history(member):
    return member.events.select_related("actor").order_by("effective_on", "id")


def status_counts():
    """{status: number of members} over the whole roll (one query): the workbench's chart and the roll's filter."""
    return dict(Member.objects.order_by().values_list("status").annotate(n=Count("pk")))


def members_in_service_on(date):
    """Members in service (在职, status ACTIVE) on ``date`` by the dated membership history, e.g. an election's
    voter roll: 保留会籍 retirees keep membership but have no vote (DOMAIN §1). A member with no history counts by
    the status on file since ``status_since``."""
    last = MembershipEvent.objects.filter(member=OuterRef("pk"), effective_on__lte=date).order_by(
        "-effective_on", "-id").values("to_status")[:1]
    no_history = ~Exists(MembershipEvent.objects.filter(member=OuterRef("pk")))
    return Member.objects.annotate(status_then=Subquery(last)).filter(
        Q(status_then=MemberStatus.ACTIVE)
        | Q(no_history, status=MemberStatus.ACTIVE, status_since__lte=date)).order_by()
