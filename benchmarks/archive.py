"""Accounting archive figures (issue 16 §2): how long a closed year's archive takes to make and how large it is,
for the demo union and for a 10,000-member union with a year of books.

    UNIONPORTAL_ENV=test .venv/bin/python benchmarks/archive.py [VOUCHERS]

Runs in a throwaway test database (created and dropped here) and a temporary private media folder. Members do not
appear in the archive (it holds the books), so the large case is sized by its books: VOUCHERS two-line vouchers
(default 3,000: monthly dues and 拨缴, gifts, activities and aid of a union that size), with 10,000 members on the
roll beside them."""

import datetime
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "unionportal.settings")
os.environ.setdefault("UNIONPORTAL_ENV", "test")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from benchmarks.finance import make_posted_vouchers  # noqa: E402
from benchmarks.run import record  # noqa: E402
from finance.books import services  # noqa: E402
from finance.models import Period  # noqa: E402
from finance.reports import archive  # noqa: E402
from members.idcard import make_id_number  # noqa: E402
from members.models import Member, MemberStatus  # noqa: E402


def _measure(label, year):
    started = time.perf_counter()
    files = archive.year_archive_render(year)
    rendered = time.perf_counter() - started
    failures = archive.pdfa_failures(files)
    checked = time.perf_counter() - started - rendered
    archive.year_archive_keep(year, files)
    verify_started = time.perf_counter()
    problems = archive.year_archive_check(archive.kept_files(year))
    verified = time.perf_counter() - verify_started
    if failures or problems:
        raise RuntimeError(f"{label}: {failures or problems}")
    zipped = archive.archive_zip(files)
    record(f"{label}: render (all documents)", rendered, "s")
    record(f"{label}: PDF/A check", checked, "s")
    record(f"{label}: verify kept archive (hashes + PDF/A)", verified, "s")
    record(f"{label}: archive size (files)", sum(len(data) for data in files.values()) / 2**20, "MB")
    record(f"{label}: archive size (zip)", len(zipped) / 2**20, "MB")
    for name, data in sorted(files.items()):
        record(f"{label}: {name}", len(data) / 2**10, "KB")


def demo_union():
    call_command("seed_demo", verbosity=0)
    treasurer = get_user_model().objects.get(username="treasurer")
    year = timezone.localdate().year
    for period in Period.objects.filter(fiscal_year__year=year, closed_at__isnull=True).order_by("month"):
        services.period_close(period=period, actor=treasurer)
    _measure(f"demo union ({year})", year)
    return year


def large_union(year, vouchers):
    birth, since = datetime.date(1980, 1, 1), datetime.date(2010, 1, 1)
    Member.objects.bulk_create(
        (Member(name=f"档案{i}", id_number=make_id_number(f"{130101 + i // 500:06d}", birth, (i % 500) * 2 + 1),
                card_number=f"ARCH{i:05d}", status=MemberStatus.ACTIVE, status_since=since, joined_on=since)
         for i in range(10_000)), batch_size=2_000)
    treasurer = get_user_model().objects.get(username="treasurer")
    make_posted_vouchers(year=year, vouchers=vouchers, actor=treasurer)
    Period.objects.filter(fiscal_year__year=year).update(closed_at=timezone.now(), closed_by=treasurer)
    _measure(f"10,000 members, {vouchers:,} vouchers ({year})", year)


def main():
    vouchers = int(sys.argv[1]) if len(sys.argv) > 1 else 3_000
    setup_test_environment()
    settings.CELERY_TASK_ALWAYS_EAGER = True
    private = Path(tempfile.mkdtemp(prefix="archive-bench-"))
    settings.PRIVATE_MEDIA_ROOT, settings.MEDIA_ROOT = private / "private", private / "media"
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        year = demo_union()
        large_union(year + 1, vouchers)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        shutil.rmtree(private, ignore_errors=True)


if __name__ == "__main__":
    main()
