"""Shared helpers for the dues tests (and the reports that print dues collection)."""

import datetime
import io

from openpyxl import Workbook

from finance.dues import services
from finance.dues.demo import deduction_list_xlsx, deduction_rows
from finance.dues.payroll import read_payroll_file


def post_month(year, month, *, skip=(), actor=None, adjust=None):
    rows = deduction_rows(year=year, month=month, skip=skip, adjust=adjust)
    return services.dues_import_post(rows=read_payroll_file(deduction_list_xlsx(rows), "l.xlsx"), year=year,
                                     month=month, received_on=datetime.date(year, month, 15), actor=actor)


def office_workbook(people, *, amount_header="工会会费（元）", id_header="身份证号码"):
    """A list laid out as a payroll office sends it: a title row, a blank row, its own headers and columns,
    amounts as numbers, and a 合计 line at the foot."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "2026年9月"
    sheet.append(["XX市XX局2026年9月工会会费代扣明细表"])
    sheet.merge_cells("A1:F1")
    sheet.append([])
    sheet.append(["序号", "部门", "姓 名", id_header, "应发工资", amount_header])
    for number, (name, id_number, amount) in enumerate(people, start=1):
        sheet.append([number, "办公室", name, id_number, 6543.21, float(amount)])
        sheet.cell(row=sheet.max_row, column=4).number_format = "@"
    sheet.append(["合计", None, None, None, 6543.21 * len(people), float(sum(a for _n, _i, a in people))])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
