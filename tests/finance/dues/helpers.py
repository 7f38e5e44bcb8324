"""Shared helpers for the dues tests (and the reports that print dues collection)."""

import datetime

from finance.dues import services
from finance.dues.demo import deduction_list_xlsx, deduction_rows
from finance.dues.payroll import read_payroll_file


def post_month(year, month, *, skip=(), actor=None, adjust=None):
    rows = deduction_rows(year=year, month=month, skip=skip, adjust=adjust)
    return services.dues_import_post(rows=read_payroll_file(deduction_list_xlsx(rows), "l.xlsx"), year=year,
                                     month=month, received_on=datetime.date(year, month, 15), actor=actor)
