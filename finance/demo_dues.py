"""Demo dues: the payroll office's deduction lists of the last few months, built as .xlsx files the way the office
sends them and posted through the same services the treasurer's pages use. Re-runnable: a posted month is skipped.

``deduction_list_xlsx`` also serves the tests and the benchmark.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from core.xlsx import new_sheet, value_cell, workbook_bytes

from .dues import selectors
from .dues.formula import dues_for, month_start, rule_in_force
from .dues.payroll import read_payroll_file
from .dues.services import dues_import_post
from .models import DuesImport

HEADERS = ["序号", "姓名", "身份证号", "会员证号", "工资基数", "代扣金额"]


def deduction_list_xlsx(rows, *, headers=HEADERS, title="代扣会费"):
    """A deduction list as .xlsx bytes. ``rows`` are dicts keyed by header; ID and card numbers are text cells."""
    workbook, sheet = new_sheet(title, headers=headers, widths=[6, 10, 22, 12, 12, 12])
    for index, row in enumerate(rows, start=1):
        values = {"序号": index, **row}
        sheet.append([value_cell(sheet, values.get(header, ""),
                                 number_format="@" if header in ("身份证号", "会员证号") else None)
                      for header in headers])
    return workbook_bytes(workbook)


def deduction_rows(*, year, month, skip=(), adjust=None):
    """The list a payroll office would send for the month: every member who owes, at the formula's amount.
    ``skip`` leaves members out (by id); ``adjust`` maps member id → a different amount."""
    rule = rule_in_force(month_start(year, month))
    rows = []
    for member in sorted(selectors.members_owing(year, month).values(), key=lambda m: m.pk):
        expected = dues_for(member.dues_base, rule=rule)
        if member.pk in skip or expected == 0:
            continue
        rows.append({"姓名": member.name, "身份证号": member.id_number or "", "会员证号": member.card_number,
                     "工资基数": member.dues_base, "代扣金额": (adjust or {}).get(member.pk, expected)})
    return rows


def build_demo_dues(*, months=7):
    """Post the deduction lists of the last ``months`` months (not the current one). Each list leaves out the same
    two members (so the arrears page has someone to show, and the chair is told
    about them at six months) and one amount is off by a fen (a wrong amount)."""
    from accounts.models import User

    actor = User.objects.filter(username="treasurer").first()
    today = timezone.localdate()
    year, month = today.year, today.month
    wanted = []
    for _ in range(months):
        year, month = selectors.previous_month(year, month)
        wanted.append((year, month))
    posted = 0
    for year, month in reversed(wanted):
        if DuesImport.objects.filter(year=year, month=month).exists():
            continue
        owing = sorted(selectors.members_owing(year, month))
        if len(owing) < 4:
            return posted
        rows = deduction_rows(year=year, month=month, skip=set(owing[-2:]))
        if rows:
            rows[0]["代扣金额"] += Decimal("0.01")
        data = deduction_list_xlsx(rows)
        received = min(month_start(year, month) + datetime.timedelta(days=14), today)
        with transaction.atomic():
            dues_import_post(rows=read_payroll_file(data, "demo.xlsx"), year=year, month=month, received_on=received,
                             filename=f"{year}年{month}月代扣会费.xlsx", actor=actor)
        posted += 1
    return posted


def benchmark_dues_import(*, actor, year, month, rows=2000):
    """`make bench` hook (for benchmarks/finance.py): a generated roll of ``rows`` paying members, their deduction
    list as .xlsx, then the check and the posting through the same jobs the treasurer's pages start (run inline
    here). Returns seconds and query counts per phase (preview = the check, apply = the posting)."""
    import time

    from django.core.files.base import ContentFile
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from core.models import Job
    from members.idcard import make_id_number
    from members.models import Member, MemberStatus

    from .dues import services

    birth, since = datetime.date(1980, 1, 1), datetime.date(2010, 1, 1)
    Member.objects.bulk_create(
        Member(name=f"基准{i}", id_number=make_id_number(f"{120101 + i // 500:06d}", birth, (i % 500) * 2 + 1),
               card_number=f"BENCH{i:05d}", status=MemberStatus.ACTIVE, status_since=since, joined_on=since,
               dues_base=Decimal("3000.00") + i)
        for i in range(rows))
    data = deduction_list_xlsx(deduction_rows(year=year, month=month))
    params = {"year": year, "month": month, "filename": "bench.xlsx", "rows": rows,
              "received_on": datetime.date(year, month, 15).isoformat()}
    figures = {}
    stored = ContentFile(data, "bench.xlsx")
    for phase in (services.PHASE_PREVIEW, services.PHASE_APPLY):
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            job = Job.objects.create(kind=services.JOB_KIND, created_by=actor, progress_total=rows,
                                     input_file=stored, params={**params, "phase": phase})
            stored = job.input_file.name  # the posting reads the file the check read
            services.dues_job_run(job_id=job.pk)
        figures[f"{phase}_seconds"] = time.perf_counter() - started
        figures[f"{phase}_queries"] = len(queries)
        job.refresh_from_db()
        if job.status != Job.Status.DONE or job.result.get("has_errors") or (
                phase == services.PHASE_APPLY and not job.result.get("posted")):
            raise RuntimeError(f"benchmark {phase} failed: {job.message}")
    return figures
