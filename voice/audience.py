"""Who a notice or a survey is for: the activities' audience rules (activities.eligibility), plus two narrowings
of the voice's own: a notice for holders of chosen roles only, and activity feedback for those who checked in.

``members_in_audience`` (a query, for lists and delivery) and ``in_audience`` (one member) are the same rules; a
test checks that they agree.
"""

from django.db.models import Exists, OuterRef

from activities.eligibility import eligibility_refusal, members_eligible_for
from activities.models import Registration
from members.models import Member


def _role_ids(obj):
    roles = getattr(obj, "roles", None)
    return [role.pk for role in roles.all()] if roles is not None else []


def members_in_audience(obj, queryset=None):
    """The members ``obj`` (a Notice or a Survey) is for."""
    queryset = members_eligible_for(obj, Member.objects.all() if queryset is None else queryset)
    role_ids = _role_ids(obj)
    if role_ids:
        holder = Member.objects.filter(pk=OuterRef("pk"), user__is_active=True, user__groups__role__in=role_ids)
        queryset = queryset.filter(Exists(holder))
    if getattr(obj, "activity_id", None):
        checked_in = Registration.objects.filter(activity_id=obj.activity_id, member_id=OuterRef("pk"),
                                                 checked_in_at__isnull=False)
        queryset = queryset.filter(Exists(checked_in))
    return queryset


def _held_role_ids(member):
    """The roles ``member``'s active account holds, read once per member object (a list asks for every row)."""
    if not hasattr(member, "_voice_held_role_ids"):
        member._voice_held_role_ids = (
            set(member.user.groups.exclude(role__isnull=True).values_list("role", flat=True))
            if member.user_id and member.user.is_active else set())
    return member._voice_held_role_ids


def _checked_in_activity_ids(member):
    """The activities ``member`` checked in at, read once per member object."""
    if not hasattr(member, "_voice_checked_in_ids"):
        member._voice_checked_in_ids = set(Registration.objects.filter(
            member=member, checked_in_at__isnull=False).values_list("activity_id", flat=True))
    return member._voice_checked_in_ids


def in_audience(obj, member):
    """Whether ``member`` (may be None) is one of those ``obj`` is for."""
    if member is None or eligibility_refusal(activity=obj, member=member) is not None:
        return False
    role_ids = _role_ids(obj)
    if role_ids and not (_held_role_ids(member) & set(role_ids)):
        return False
    if getattr(obj, "activity_id", None):
        return obj.activity_id in _checked_in_activity_ids(member)
    return True
