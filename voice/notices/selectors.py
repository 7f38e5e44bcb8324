"""Reading notices: what a member sees, who has read a notice, the 未读 list of a group, figures for the chair.

Every list costs a fixed number of queries whatever the number of members (counts are subqueries)."""

from django.db.models import Count, Exists, OuterRef, Q, prefetch_related_objects
from django.utils import timezone

from members.models import UnionGroup

from ..audience import in_audience, members_in_audience
from ..models import Notice, NoticeRead


def live_notices(today=None):
    today = today or timezone.localdate()
    return (Notice.objects.filter(state=Notice.State.PUBLISHED)
            .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=today)))


def notices_for_member(member, today=None):
    """The live notices whose audience includes ``member``, pinned first, each with ``is_read``."""
    if member is None:
        return []
    notices = (live_notices(today).prefetch_related("union_groups", "departments", "roles")
               .annotate(is_read=Exists(NoticeRead.objects.filter(notice=OuterRef("pk"), member=member))))
    return [notice for notice in notices if in_audience(notice, member)]


def unread_members(*, notice, group=None):
    """The members of the notice's audience (of ``group`` when given) who have not read it."""
    members = members_in_audience(notice).exclude(Exists(NoticeRead.objects.filter(notice=notice,
                                                                                   member=OuterRef("pk"))))
    if group is not None:
        members = members.filter(union_group=group)
    return members.order_by("name_initials", "pk")


def groups_for_leader(user):
    return UnionGroup.objects.filter(leader__user=user).order_by("pk") if user.is_authenticated else \
        UnionGroup.objects.none()


def notice_figures(notice):
    """{audience, read, rate} for one notice, in one query (its groups, departments and roles prefetched or read
    once): only reads by members still in the audience count, so the rate never passes 100 %."""
    read = NoticeRead.objects.filter(notice=notice, member=OuterRef("pk"))
    counts = members_in_audience(notice).aggregate(audience=Count("pk"), read=Count("pk", filter=Q(Exists(read))))
    audience, read = counts["audience"], counts["read"]
    return {"audience": audience, "read": read, "rate": round(100 * read / audience) if audience else 0}


def group_figures(notice):
    """Per group: audience and unread counts (one query)."""
    read = NoticeRead.objects.filter(notice=notice, member=OuterRef("pk"))
    rows = (members_in_audience(notice).annotate(has_read=Exists(read)).values("union_group", "union_group__name")
            .annotate(total=Count("pk"), unread=Count("pk", filter=Q(has_read=False)))
            .order_by("union_group__name"))
    return list(rows)


def figures_list(notices):
    """The chair's table: each notice with its audience size, reads and rate (one query per notice, plus three for
    the audiences' groups, departments and roles)."""
    notices = list(notices)
    prefetch_related_objects(notices, "union_groups", "departments", "roles")
    return [(notice, notice_figures(notice)) for notice in notices]

