"""The registration rush: hundreds of members press "register" in the same second for a popular outing, measured
beside its floors on the same server.

A real gunicorn (several worker processes, persistent database connections, the benchmarks' floor view on) runs
against the benchmark's PostgreSQL database. N members are logged in (sessions created directly). Each round
releases N threads together three times: on the registration POST of a fresh activity, on the minimal
authenticated write (benchmarks/floor.py: session, user, one insert, a redirect — what any registration must
pay) and on ``/healthz/``. The order of the three turns round by round, so a noisy neighbour on this shared
machine falls on every side alike; the figure is the median over the rounds of each side's p95, and what is
judged is the ratio. Capacity must never be exceeded, in any round.
"""

import statistics
import time
from datetime import timedelta

from benchmarks.server import Server, login_sessions

SIDES = ("rush", "floor", "healthz")


def _members(count):
    import datetime

    from accounts.models import User
    from members.idcard import make_id_number
    from members.models import Member

    users = User.objects.bulk_create([User(username=f"rush{i}", password="!") for i in range(count)])
    Member.objects.bulk_create([
        Member(name=f"抢报{i}", user=user, status="active", sex="M",
               id_number=make_id_number("110101", datetime.date(1980, 1, 1) + timedelta(days=i), 11),
               birth_date=datetime.date(1980, 1, 1) + timedelta(days=i), joined_on=datetime.date(2010, 1, 1))
        for i, user in enumerate(users)
    ])
    return users


def _activity(seats, number):
    from django.utils import timezone

    from activities.models import Activity, ActivityType

    now = timezone.now()
    return Activity.objects.create(
        title=f"秋游（抢报测试 {number}）", activity_type=ActivityType.objects.get(code="autumn_outing"),
        starts_at=now + timedelta(days=10), ends_at=now + timedelta(days=10, hours=8),
        registration_opens_at=now - timedelta(minutes=1), registration_closes_at=now + timedelta(days=5),
        capacity=seats, state=Activity.State.PUBLISHED,
    )


def p95(latencies):
    return latencies[max(0, int(len(latencies) * 0.95) - 1)]


def run(*, members=300, seats=50, workers=4, rounds=3):
    from django.db import connection
    from django.urls import reverse

    from activities.models import Registration
    from benchmarks import floor

    users = _members(members)
    sessions = login_sessions(users)
    activities = [_activity(seats, number) for number in range(rounds)]
    connection.close()  # the server's workers take their own connections
    server = Server(workers)
    figures = {side: [] for side in SIDES}
    statuses, errors, walls = [], [], []
    try:
        for number, activity in enumerate(activities):
            order = SIDES if number % 2 == 0 else tuple(reversed(SIDES))
            order = order[number % 3:] + order[:number % 3]
            for side in order:
                method, path = {"rush": ("POST", reverse("activities:register", kwargs={"pk": activity.pk})),
                                "floor": ("POST", floor.PATH), "healthz": ("GET", "/healthz/")}[side]
                started = time.perf_counter()
                latencies, got, failed = server.burst(method, path, sessions)
                if side == "rush":
                    walls.append(time.perf_counter() - started)
                    statuses += got
                errors += failed + [s for s in got if s is not None and s >= 500]
                if side != "healthz":
                    errors += [s for s in got if s not in (200, 302)]
                figures[side].append(p95(latencies))
    finally:
        server.stop()

    connection.connect()
    taken = []
    for activity in activities:
        live = Registration.objects.filter(activity=activity)
        taken.append((sum(live.filter(status="confirmed").values_list("seats", flat=True)),
                      live.filter(status="waitlisted").count()))
    p95s = {side: statistics.median(values) * 1000 for side, values in figures.items()}
    return {
        "members": members, "capacity": seats, "workers": workers, "rounds": rounds,
        "seats_taken": max(seats_taken for seats_taken, _w in taken),
        "waitlisted": min(waiting for _s, waiting in taken),
        "errors": len(errors), "error_samples": errors[:5],
        "rush_p95_ms": p95s["rush"], "floor_p95_ms": p95s["floor"], "healthz_p95_ms": p95s["healthz"],
        "rounds_p95_ms": {side: [round(v * 1000) for v in values] for side, values in figures.items()},
        "ratio_to_floor": p95s["rush"] / p95s["floor"], "ratio_to_healthz": p95s["rush"] / p95s["healthz"],
        "wall_s": statistics.median(walls),
    }
