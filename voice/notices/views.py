"""Member pages (the notices for me, one notice, its attachments), the 未读 list of a group with the 小组长's nudge,
and the chair's figures."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from core.idempotency import AlreadySubmitted, submit_once
from members.selectors import member_for_user

from ..models import Notice
from ..storage import attachment_response
from . import access, selectors, services


@login_required
def notice_list(request):
    member = member_for_user(request.user)
    return render(request, "voice/notices/list.html", {
        "notices": selectors.notices_for_member(member), "member": member,
        "can_follow": access.can_follow_notices(request.user),
        "led_groups": selectors.groups_for_leader(request.user).exists()})


@login_required
def notice_detail(request, pk):
    notice = access.notice_for_user(user=request.user, pk=pk)
    member = member_for_user(request.user)
    services.notice_mark_read(notice=notice, member=member if notice.is_live() else None)
    return render(request, "voice/notices/detail.html", {
        "notice": notice, "attachments": notice.attachments.all(),
        "can_follow": access.can_follow_notices(request.user),
        "is_leader": selectors.groups_for_leader(request.user).exists()})


@login_required
def notice_attachment(request, pk, attachment_pk):
    attachment = access.attachment_for_user(user=request.user, pk=pk, attachment_pk=attachment_pk)
    return attachment_response(attachment)


@login_required
@require_http_methods(["GET", "POST"])
def notice_unread(request, pk):
    """The 未读 list of each group the user may follow, and (for a 小组长's own group) the nudge."""
    notice = access.notice_for_user(user=request.user, pk=pk)
    groups = list(access.unread_groups_for_user(user=request.user, notice=notice))
    own = {group.pk for group in selectors.groups_for_leader(request.user)}
    if request.method == "POST":
        group = next((g for g in groups if str(g.pk) == request.POST.get("group")), None)
        if group is None or group.pk not in own:
            raise PermissionDenied
        if not notice.is_live():
            messages.error(request, Notice.State(notice.state).label)
            return redirect(request.path)
        try:
            _members, text = submit_once(request, scope="voice.notice_nudge", url=request.path,
                                         perform=lambda: services.notice_nudge(notice=notice, group=group,
                                                                               actor=request.user))
        except AlreadySubmitted as repeated:
            return repeated.response(request)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, text)
        return redirect(request.path)
    counts = {row["union_group"]: row for row in selectors.group_figures(notice)}
    unread = {}
    for member in selectors.unread_members(notice=notice).filter(union_group__in=own):
        unread.setdefault(member.union_group_id, []).append(member)
    rows = [{"group": g, "unread": unread.get(g.pk, []), "own": g.pk in own,
             "total": counts.get(g.pk, {}).get("total", 0), "unread_count": counts.get(g.pk, {}).get("unread", 0)}
            for g in groups]
    return render(request, "voice/notices/unread.html", {"notice": notice, "rows": rows})


@login_required
def notice_figures(request):
    if not access.can_follow_notices(request.user):
        raise Http404
    notices = Notice.objects.exclude(state=Notice.State.DRAFT).prefetch_related(
        "union_groups", "departments", "roles").order_by("-published_at")[:30]
    return render(request, "voice/notices/figures.html", {"rows": selectors.figures_list(notices)})
