"""Who may see whom on the roll, as fetch-and-authorise calls and predicates (the reads are in selectors).

Whoever may not see a record gets a 404, not a 403: they should not learn that it exists.
"""

from django.http import Http404

from .selectors import members_visible_to

VIEW_PERMISSION = "members.view_member"


def can_see_roll(user):
    """The chair and committee roles see the whole roll (``members.view_member``)."""
    return user.has_perm(VIEW_PERMISSION)


def member_get_for_user(*, user, pk):
    """Fetch and authorise in one call: 404 for a member the user may not see."""
    member = members_visible_to(user).filter(pk=pk).first()
    if member is None:
        raise Http404
    return member
