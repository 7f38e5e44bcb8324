"""Reads for the member pages: each page is a fixed number of queries however many activities and registrations
there are (counts and "my status" are subqueries, lists are paginated)."""

from django.db.models import CharField, Count, F, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from .eligibility import activities_open_to
from .models import Activity, Registration

Status = Registration.Status
LIVE = [Status.CONFIRMED, Status.WAITLISTED]


def _count(queryset, aggregate):
    """A correlated subquery returning one number per activity (0 when there are no rows)."""
    return Coalesce(Subquery(queryset.order_by().values("activity").annotate(n=aggregate).values("n")[:1],
                             output_field=IntegerField()), Value(0))


def with_seat_counts(queryset):
    """Annotate activities with ``seats_taken`` (confirmed seats, families included: the activity's own counter,
    which every registration takes its seats from, so what the page says is what the next registration meets)
    and ``waiting`` (parties on the waitlist)."""
    waitlisted = Registration.objects.filter(activity=OuterRef("pk"), status=Status.WAITLISTED)
    return queryset.annotate(seats_taken=F("seats_confirmed"), waiting=_count(waitlisted, Count("pk")))


def with_my_status(queryset, member):
    """Annotate activities with ``my_status``: the member's live registration status, or None."""
    if member is None:
        return queryset.annotate(my_status=Value(None, output_field=CharField()))
    # order_by(): a member has one live registration per activity; the model's ordering would join the activity
    # only to sort that one row.
    mine = (Registration.objects.filter(activity=OuterRef("pk"), member=member, status__in=LIVE).order_by()
            .values("status")[:1])
    return queryset.annotate(my_status=Subquery(mine))


def activities_for_member(member, now=None):
    """The activities the list page shows a member: those whose audience includes them, published and not over
    yet, and those cancelled that have not started (so people who planned on them see it). Soonest first."""
    now = now or timezone.now()
    visible = Activity.objects.filter(
        Q(state=Activity.State.PUBLISHED, ends_at__gt=now) | Q(state=Activity.State.CANCELLED, starts_at__gt=now))
    queryset = activities_open_to(member, visible).select_related("activity_type").order_by("starts_at", "pk")
    return with_my_status(with_seat_counts(queryset), member)


def _waitlist_ahead():
    """Per registration: how many on the same activity's waitlist are ahead of it (queue order)."""
    ahead = Registration.objects.filter(activity=OuterRef("activity"), status=Status.WAITLISTED).filter(
        Q(queued_at__lt=OuterRef("queued_at")) | Q(queued_at=OuterRef("queued_at"), pk__lt=OuterRef("pk")))
    return _count(ahead, Count("pk"))


def my_registrations(member, *, upcoming, now=None):
    """The member's registrations for "my activities": live ones, and those ended by the activity's cancellation.

    ``upcoming=True``: activities not over yet, soonest first; ``False``: past ones, latest first. Each row has
    ``waitlist_position`` (1 = next in line) when on the waitlist.
    """
    now = now or timezone.now()
    queryset = Registration.objects.filter(member=member).filter(
        Q(status__in=LIVE) | Q(status=Status.CANCELLED, activity__state=Activity.State.CANCELLED))
    if upcoming:
        queryset = queryset.filter(activity__ends_at__gt=now).order_by("activity__starts_at", "pk")
    else:
        queryset = queryset.filter(activity__ends_at__lte=now).order_by("-activity__starts_at", "-pk")
    return queryset.select_related("activity", "activity__activity_type").annotate(waitlist_ahead=_waitlist_ahead())


def activities_held_between(*, start, end):
    """Published activities that started on a day from ``start`` to ``end`` (local dates), oldest first, each
    with ``attended`` (members checked in). One query. The 工作简报 prints them."""
    checked_in = Registration.objects.filter(activity=OuterRef("pk"), checked_in_at__isnull=False)
    return (Activity.objects.filter(state=Activity.State.PUBLISHED, starts_at__date__gte=start,
                                    starts_at__date__lte=end)
            .annotate(attended=_count(checked_in, Count("pk"))).order_by("starts_at", "pk"))
