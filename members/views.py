from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from . import selectors


def _profile_context(member, user):
    return {
        "member": member,
        "id_number_shown": selectors.shown_id_number(member, user),
        "phone_shown": selectors.shown_phone(member, user),
        "history": selectors.member_history(member),
    }


@login_required
def my_record(request):
    """The member's own page: profile (masked), membership history, group, and links to their other records."""
    member = selectors.member_for_user(request.user)
    if member is None:
        return render(request, "members/no_record.html", status=404)
    return render(request, "members/me.html", _profile_context(member, request.user))


@login_required
def member_detail(request, pk):
    member = selectors.member_get_for_user(user=request.user, pk=pk)
    return render(request, "members/detail.html", _profile_context(member, request.user))


@login_required
def my_group(request):
    """A 小组长's view of their own group: names, departments and masked contact numbers."""
    members = list(selectors.group_members_for_leader(request.user))
    if not members and not request.user.has_perm("members.view_member"):
        raise Http404
    rows = [(m, selectors.shown_phone(m, request.user)) for m in members]
    return render(request, "members/group.html", {"rows": rows})
