"""Member pages and the activities list beside /healthz/: throughput through the same gunicorn, persistent
connections on both, at 10,000 members and 5,000 registrations (issue 13 §4). Rounds turn the order."""

import datetime
import statistics

from django.db import connection
from django.db.models import F
from django.utils import timezone

from benchmarks.server import Server, login_sessions

MEMBERS = 10_000
REGISTRATIONS = 5_000
ACTIVITIES = 25
PAGES = {"member's own page /members/me/": "/members/me/", "activities list /activities/": "/activities/"}


def _data():
    """Top the roll up to 10,000 members and give 25 open activities 5,000 registrations between them."""
    from accounts.models import Role, User
    from activities.models import Activity, ActivityType, Registration
    from members.idcard import make_id_number
    from members.models import Member

    missing = MEMBERS - Member.objects.count()
    if missing > 0:
        born = datetime.date(1970, 1, 1)
        Member.objects.bulk_create([
            Member(name=f"页面{i}", status="active", sex="F",
                   id_number=make_id_number(f"{130101 + i // 500:06d}", born, (i % 500) * 2),
                   birth_date=born, joined_on=datetime.date(2010, 1, 1)) for i in range(missing)], batch_size=5000)
    now = timezone.now()
    kind = ActivityType.objects.get(code="autumn_outing")
    activities = Activity.objects.bulk_create([
        Activity(title=f"页面基准活动{n}", activity_type=kind, starts_at=now + datetime.timedelta(days=20 + n),
                 ends_at=now + datetime.timedelta(days=20 + n, hours=4),
                 registration_opens_at=now - datetime.timedelta(days=1),
                 registration_closes_at=now + datetime.timedelta(days=10), capacity=REGISTRATIONS,
                 state=Activity.State.PUBLISHED) for n in range(ACTIVITIES)])
    members = list(Member.objects.order_by("id").values_list("id", flat=True)[:REGISTRATIONS // ACTIVITIES * 4])
    rows = [Registration(activity=activity, member_id=members[(n * 7 + i) % len(members)], status="confirmed")
            for n, activity in enumerate(activities) for i in range(REGISTRATIONS // ACTIVITIES)]
    Registration.objects.bulk_create(rows, batch_size=5000)
    Activity.objects.filter(pk__in=[a.pk for a in activities]).update(
        seats_confirmed=F("seats_confirmed") + REGISTRATIONS // ACTIVITIES)
    user = User.objects.create_user(username="bench-page-member", password="!")
    user.groups.add(Role.objects.get(code=Role.MEMBER).group)
    member = Member.objects.filter(user__isnull=True, registrations__isnull=False).order_by("id").first()
    member.user = user
    member.save(update_fields=["user"])
    return user, Member.objects.count(), Registration.objects.count()


def run(*, rounds=3, seconds=4.0, workers=4, connections=16):
    user, members, registrations = _data()
    session = login_sessions([user])[0]
    connection.close()
    server = Server(workers)
    sides = {"healthz": "/healthz/", **PAGES}
    rates = {name: [] for name in sides}
    errors = 0
    try:
        for path in sides.values():  # warm every worker's caches and connection once
            server.throughput(path, session, seconds=0.5, connections=workers)
        for number in range(rounds):
            names = list(sides) if number % 2 == 0 else list(reversed(sides))
            for name in names:
                rate, failed = server.throughput(sides[name], session, seconds=seconds, connections=connections)
                rates[name].append(rate)
                errors += failed
    finally:
        server.stop()
        connection.connect()
    medians = {name: statistics.median(values) for name, values in rates.items()}
    return {"members": members, "registrations": registrations, "healthz": medians["healthz"],
            "pages": {name: medians[name] for name in PAGES}, "errors": errors}
