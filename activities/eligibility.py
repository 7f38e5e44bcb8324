"""Who may take part in an activity.

The rules, in the order they are checked (the first that fails is the reason given):

1. The person is on the roll (``member.is_on_roll``): applicants, people who left, transferred out … may not.
2. A retired member (退休会员, still on the roll) only when the activity includes retirees.
3. The audience: all members on the roll; women members (三八 events); or chosen 工会小组 / departments
   (a member of either a chosen group or a chosen department may take part).

``eligibility_refusal`` answers for one member and one activity; ``activities_open_to`` (the activities of a
member) and ``members_eligible_for`` (the members of an activity) are the same rules as queries, for lists. A test
checks that all three agree on every combination.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from members.models import Member, Sex

from .models import Activity, Audience

#: Refusal codes meaning "this member may not take part" (as opposed to "not now" or "not again").
NOT_ON_ROLL = "not_on_roll"
RETIREES_EXCLUDED = "retirees_excluded"
WOMEN_ONLY = "women_only"
NOT_IN_CHOSEN = "not_in_chosen_groups"
NOT_ELIGIBLE_CODES = frozenset({NOT_ON_ROLL, RETIREES_EXCLUDED, WOMEN_ONLY, NOT_IN_CHOSEN})


@dataclass(frozen=True)
class Refusal:
    """Why something is refused: a stable code for programs and a message for people (in the active language)."""

    code: str
    message: str

    def as_error(self):
        return ValidationError(self.message, code=self.code)

    def __str__(self):
        return self.message


def _names(items):
    return "、".join(str(item) for item in items)


def chosen_audience_text(activity):
    """'the groups A、B' / 'the departments C' / both, from prefetched or fetched relations."""
    groups = list(activity.union_groups.all())
    departments = list(activity.departments.all())
    if groups and departments:
        return _("This activity is for the groups %(groups)s and the departments %(departments)s.") % {
            "groups": _names(groups), "departments": _names(departments)}
    if groups:
        return _("This activity is for the groups %(groups)s.") % {"groups": _names(groups)}
    if departments:
        return _("This activity is for the departments %(departments)s.") % {"departments": _names(departments)}
    return _("This activity has no groups or departments chosen yet.")


def eligibility_refusal(*, activity, member):
    """None when ``member`` may take part in ``activity``; otherwise a Refusal saying why.

    ``member`` may be None (a login without a record on the roll). Uses ``activity.union_groups.all()`` and
    ``activity.departments.all()``, so prefetching them keeps a list page at a constant number of queries.
    """
    if member is None or not member.is_on_roll:
        return Refusal(NOT_ON_ROLL, _("Only members on the roll may register."))
    if member.is_retired and not activity.retirees_included:
        return Refusal(RETIREES_EXCLUDED, _("Retired members are not included in this activity."))
    if activity.audience == Audience.WOMEN and member.sex != Sex.FEMALE:
        return Refusal(WOMEN_ONLY, _("This activity is for women members."))
    if activity.audience == Audience.CHOSEN:
        group_ids = {group.pk for group in activity.union_groups.all()}
        department_ids = {department.pk for department in activity.departments.all()}
        if member.union_group_id not in group_ids and member.department_id not in department_ids:
            return Refusal(NOT_IN_CHOSEN, chosen_audience_text(activity))
    return None


def activities_open_to(member, queryset=None):
    """The activities whose audience includes ``member`` (the same rules as ``eligibility_refusal``, in SQL)."""
    queryset = Activity.objects.all() if queryset is None else queryset
    if member is None or not member.is_on_roll:
        return queryset.none()
    rules = Q()
    if member.is_retired:
        rules &= Q(retirees_included=True)
    if member.sex != Sex.FEMALE:
        rules &= ~Q(audience=Audience.WOMEN)
    # Subqueries rather than joins: a member in both a chosen group and a chosen department must not make the
    # activity appear twice.
    in_group = Exists(Activity.union_groups.through.objects.filter(
        activity_id=OuterRef("pk"), uniongroup_id=member.union_group_id))
    in_department = Exists(Activity.departments.through.objects.filter(
        activity_id=OuterRef("pk"), department_id=member.department_id))
    rules &= ~Q(audience=Audience.CHOSEN) | in_group | in_department
    return queryset.filter(rules)


def members_eligible_for(activity, queryset=None):
    """The members who may take part in ``activity`` (the same rules as ``eligibility_refusal``, in SQL): the only
    people the check-in page may offer as walk-ins."""
    queryset = Member.objects.all() if queryset is None else queryset
    queryset = queryset.on_roll() if activity.retirees_included else queryset.in_service()
    if activity.audience == Audience.WOMEN:
        queryset = queryset.filter(sex=Sex.FEMALE)
    if activity.audience == Audience.CHOSEN:
        group_ids = [group.pk for group in activity.union_groups.all()]
        department_ids = [department.pk for department in activity.departments.all()]
        queryset = queryset.filter(Q(union_group_id__in=group_ids) | Q(department_id__in=department_ids))
    return queryset
