"""`make bench`: figures for the paths that must stay fast, measured on PostgreSQL.

Runs in a throwaway test database (created and dropped here). Prints a table and writes
benchmarks/results/latest.json. Targets come from the issues; a missed target is printed as MISSED
and makes the run exit non-zero, so a regression cannot pass unnoticed.
"""

import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "unionportal.settings")
os.environ.setdefault("UNIONPORTAL_ENV", "test")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

RESULTS = []


def record(name, value, unit, target=None, better="lower"):
    ok = None
    if target is not None:
        ok = value <= target if better == "lower" else value >= target
    RESULTS.append({"name": name, "value": value, "unit": unit, "target": target, "ok": ok})
    mark = "" if ok is None else ("  ok" if ok else "  MISSED")
    target_text = f" (target {'≤' if better == 'lower' else '≥'} {target} {unit})" if target is not None else ""
    print(f"  {name:<58} {value:>10.3f} {unit}{target_text}{mark}" if isinstance(value, float)
          else f"  {name:<58} {value:>10} {unit}{target_text}{mark}", flush=True)


def timed(fn, *args, **kwargs):
    started = time.perf_counter()
    result = fn(*args, **kwargs)
    return result, time.perf_counter() - started


def page_figures(client, url, label, *, repeat=15, max_queries=None):
    client.get(url)  # warm caches and the session
    durations = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(url)
        durations.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    record(f"{label}: queries", len(queries), "queries", max_queries)
    record(f"{label}: p50", statistics.median(durations) * 1000, "ms")
    record(f"{label}: p95", sorted(durations)[int(len(durations) * 0.95) - 1] * 1000, "ms")
    return len(queries)


def bench_roster(size):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.test import Client

    from accounts.models import Role, User
    from accounts.services import user_set_roles
    from benchmarks.members import benchmark_import
    from members.models import Member

    print(f"\nMember roll ({size:,} members)")
    chair = User.objects.create_user(username="bench-chair", password="x")
    user_set_roles(user=chair, roles=[Role.objects.get(code=Role.CHAIR)], actor=None)
    TOTP.activate(chair, generate_totp_secret())

    figures = benchmark_import(rows=size, actor=chair)
    record(f"roster import {size:,} rows: preview (dry run)", figures["preview_seconds"], "s")
    record(f"roster import {size:,} rows: write", figures["import_seconds"], "s")
    record(f"roster import {size:,} rows: total", figures["preview_seconds"] + figures["import_seconds"], "s", 30)
    record("roster import: members on the roll afterwards", Member.objects.count() - 0, "members")
    again = benchmark_import(rows=size, actor=chair)  # the same file again
    record(f"roster import same file again: total ({again['unchanged']:,} unchanged)",
           again["preview_seconds"] + again["import_seconds"], "s")

    client = Client()
    client.force_login(chair)
    member = Member.objects.order_by("id").first()
    chair_member = Member.objects.filter(user__isnull=True).order_by("id").last()
    chair_member.user = chair
    chair_member.save(update_fields=["user"])
    page_figures(client, "/admin/members/member/", "admin roster list", max_queries=12)
    page_figures(client, "/admin/members/member/?status=active&q=z", "admin roster list, filtered + search",
                 max_queries=12)
    page_figures(client, f"/admin/members/member/{member.pk}/change/", "admin member page", max_queries=12)
    page_figures(client, "/members/me/", "member's own page", max_queries=12)
    page_figures(client, f"/members/{member.pk}/", "member page (chair viewing)", max_queries=12)


def bench_activities():
    print("\nActivities")
    from benchmarks import registration_rush

    rush = registration_rush.run(members=300, seats=50, workers=4)
    record(f"registration rush: {rush['members']} members, {rush['capacity']} seats: seats taken",
           rush["seats_taken"], "seats", rush["capacity"])
    record("registration rush: waitlisted", rush["waitlisted"], "members")
    record("registration rush: errors (5xx or failed requests)", rush["errors"], "errors", 0)
    record("registration rush: p50 latency", rush["p50_ms"], "ms")
    record("registration rush: p95 latency", rush["p95_ms"], "ms")
    record("registration rush: wall time for all requests", rush["wall_s"], "s")
    from benchmarks.activities import benchmark_workplan_pdf

    record("work plan PDF (8 sections × 6 items): render", benchmark_workplan_pdf(sections=8, items_per_section=6),
           "s")


def bench_module(title, module_name):
    """Welfare and finance keep their benchmarks in benchmarks/<area>.py, each with run(record)."""
    import importlib

    print(f"\n{title}")
    module = importlib.import_module(module_name)
    module.run(record)


def main():
    size = int(os.environ.get("BENCH_ROSTER_ROWS", "10000"))
    db = settings.DATABASES["default"]
    print(f"Database: {db['ENGINE'].rsplit('.', 1)[-1]} {db.get('HOST') or ''}:{db.get('PORT') or ''}")
    if db["ENGINE"] != "django.db.backends.postgresql":
        print("WARNING: benchmarks are meant for PostgreSQL (make bench provisions it).")
    setup_test_environment()
    settings.CELERY_TASK_ALWAYS_EAGER = True
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        bench_roster(size)
        bench_activities()
        bench_module("Welfare reminders", "benchmarks.reminders")
        bench_module("Finance", "benchmarks.finance")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    out = ROOT / "benchmarks" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "latest.json").write_text(json.dumps(RESULTS, ensure_ascii=False, indent=2))
    missed = [r["name"] for r in RESULTS if r["ok"] is False]
    print(f"\n{len(RESULTS)} figures, {len(missed)} targets missed" + (f": {', '.join(missed)}" if missed else ""))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
