"""Demo dues: the payroll office's deduction lists of the last few months, built as .xlsx files the way the office
sends them and posted through the same services the treasurer's pages use. Re-runnable: a posted month is skipped.

``deduction_list_xlsx`` also serves the tests and the benchmark (benchmarks/finance.py).
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from core.xlsx import new_sheet, value_cell, workbook_bytes
from finance.models import DuesImport

from . import selectors
from .formula import dues_for, month_start, rule_in_force
from .payroll import read_payroll_file
from .services import dues_import_post

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
