"""The registration rush: hundreds of members press "register" in the same second for a popular outing.

Runs a real gunicorn (several worker processes) against the benchmark's PostgreSQL database, logs N
members in (sessions created directly), releases N threads together, and reports seats taken, errors and
latency. Capacity must never be exceeded.
"""

import http.client
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parent.parent


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _database_url():
    from django.db import connection

    c = connection.settings_dict
    return f"postgres://{quote(c['USER'])}:{quote(c['PASSWORD'])}@{c['HOST']}:{c['PORT']}/{c['NAME']}"


def _login_sessions(users):
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    keys = []
    for user in users:
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        keys.append(session.session_key)
    return keys


def _setup(members, seats):
    import datetime

    from django.utils import timezone

    from accounts.models import User
    from activities.models import Activity, ActivityType
    from members.idcard import make_id_number
    from members.models import Member

    now = timezone.now()
    activity = Activity.objects.create(
        title="秋游（抢报测试）", activity_type=ActivityType.objects.get(code="autumn_outing"),
        starts_at=now + timedelta(days=10), ends_at=now + timedelta(days=10, hours=8),
        registration_opens_at=now - timedelta(minutes=1), registration_closes_at=now + timedelta(days=5),
        capacity=seats, state=Activity.State.PUBLISHED,
    )
    users = User.objects.bulk_create([User(username=f"rush{i}", password="!") for i in range(members)])
    Member.objects.bulk_create([
        Member(name=f"抢报{i}", user=user, status="active", sex="M",
               id_number=make_id_number("110101", datetime.date(1980, 1, 1) + timedelta(days=i), 11),
               birth_date=datetime.date(1980, 1, 1) + timedelta(days=i), joined_on=datetime.date(2010, 1, 1))
        for i, user in enumerate(users)
    ])
    return activity, users


def run(*, members=300, seats=50, workers=4):
    from django.db import connection
    from django.urls import reverse

    from activities.models import Registration

    activity, users = _setup(members, seats)
    sessions = _login_sessions(users)
    path = reverse("activities:register", kwargs={"pk": activity.pk})
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": _database_url(), "UNIONPORTAL_ENV": "test", "DEBUG": "false",
           "CELERY_TASK_ALWAYS_EAGER": "true", "ALLOWED_HOSTS": "127.0.0.1,localhost"}
    connection.close()  # the server's workers take their own connections
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "unionportal.wsgi:application", "-b", f"127.0.0.1:{port}",
         "-w", str(workers), "--log-level", "warning", "--timeout", "60"],
        cwd=ROOT, env=env, start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                probe = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                probe.request("GET", "/healthz/")
                if probe.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError("gunicorn did not start")

        barrier = threading.Barrier(members)
        latencies, statuses, errors = [None] * members, [None] * members, []

        def press(index):
            token = secrets.token_hex(16)
            body = urlencode({"csrfmiddlewaretoken": token})
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            headers = {"Cookie": f"sessionid={sessions[index]}; csrftoken={token}",
                       "Content-Type": "application/x-www-form-urlencoded", "Host": "127.0.0.1"}
            barrier.wait()
            started = time.perf_counter()
            try:
                conn.request("POST", path, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                statuses[index] = response.status
            except Exception as error:  # noqa: BLE001
                errors.append(repr(error))
            latencies[index] = time.perf_counter() - started

        threads = [threading.Thread(target=press, args=(i,)) for i in range(members)]
        wall = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - wall
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)

    connection.connect()
    live = Registration.objects.filter(activity=activity)
    confirmed_seats = sum(live.filter(status="confirmed").values_list("seats", flat=True))
    done = sorted(x for x in latencies if x is not None)
    return {
        "members": members, "capacity": seats, "workers": workers,
        "seats_taken": confirmed_seats,
        "waitlisted": live.filter(status="waitlisted").count(),
        "responses_ok": sum(1 for s in statuses if s in (200, 302)),
        "errors": len(errors) + sum(1 for s in statuses if s is not None and s >= 500),
        "other_status": sorted({s for s in statuses if s not in (200, 302)}, key=str),
        "p50_ms": statistics.median(done) * 1000, "p95_ms": done[int(len(done) * 0.95) - 1] * 1000,
        "wall_s": wall,
    }
