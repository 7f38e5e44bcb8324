"""Care visits on paper (issue 12 §1): the console's visit list as .xlsx with the rows it shows. Names and
occasions only — no ID numbers or phones (docs/security.md: care visits name the member and the occasion)."""

from django.utils import timezone
from django.utils.translation import gettext as _

from core.xlsx import MONEY_FORMAT, XLSX_MIMETYPE, new_sheet, value_cell, workbook_bytes


def visits_xlsx(visits):
    """(filename, mimetype, bytes) of `visits` (with member, department, occasion and recorder selected)."""
    title = _("Visits and gifts")
    workbook, sheet = new_sheet(title, headers=[_("Date"), _("Member"), _("Department"), _("Occasion"), _("Form"),
                                                _("Amount"), _("Status"), _("Recorded by")],
                                widths=(11, 10, 18, 12, 18, 12, 10, 10))
    for visit in visits:
        recorder = getattr(visit.recorded_by, "member", None)
        sheet.append([value_cell(sheet, visit.date, number_format="yyyy-mm-dd"), value_cell(sheet, visit.member.name),
                      value_cell(sheet, str(visit.member.department or "")), value_cell(sheet, visit.occasion.name),
                      value_cell(sheet, visit.get_form_display()),
                      value_cell(sheet, visit.amount, number_format=MONEY_FORMAT),
                      value_cell(sheet, visit.get_status_display()),
                      value_cell(sheet, recorder.name if recorder else visit.recorded_by.get_username())])
    return f"{title}-{timezone.localdate():%Y%m%d}.xlsx", XLSX_MIMETYPE, workbook_bytes(workbook)
