"""Reading the payroll office's monthly deduction list (代扣会费清单, .xlsx or .csv) and comparing it with the roll.

The comparison (``payroll_compare``) is pure reading: it says, row by row, what posting the list would do and
what does not agree with the formula or the roll. Errors (a row that cannot be read, a person who is not on
file, a person listed twice) stop the posting; differences (a wrong amount, a missing payer, a retiree in the
list, a name that differs) are shown and posted as they are, because the money has already been paid over.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.masking import mask_id_number
from core.normalize import clean_compact
from core.spreadsheet import read_rows
from core.xlsx import new_sheet, value_cell, workbook_bytes
from members import normalize
from members.models import Member

from .formula import dues_for

#: A deduction list larger than this is refused (an agency union has hundreds to a few thousand members).
MAX_ROWS = 20000
#: How many rows of each kind the preview lists (the counts are always complete).
LISTED_ROWS = 500

NAME, ID_NUMBER, CARD, AMOUNT, BASE = "name", "id_number", "card_number", "amount", "base"
#: Column headers the payroll offices use, as data. They are compared after normalising (full-width → half-width,
#: every space dropped, a unit or hint in brackets such as “（元）” and a trailing * or colon removed), so
#: “工 会 会 费（元）” reads as 工会会费. Where a list carries two columns of one kind, the one named earlier here
#: wins: 实扣会费 (what was deducted) before 应扣会费 (what should have been).
HEADERS = {
    NAME: ("姓名", "职工姓名", "会员姓名", "人员姓名"),
    ID_NUMBER: ("身份证号", "身份证号码", "公民身份号码", "公民身份证号码", "证件号码", "证件号", "身份证"),
    CARD: ("会员证号", "工会会员证号", "会员卡号", "卡号"),
    AMOUNT: ("实扣会费", "实扣金额", "代扣工会会费", "代扣会费", "代扣金额", "工会会费", "工会费", "会费",
             "会费金额", "扣款金额", "应扣会费", "应缴会费", "本月会费", "月缴会费"),
    BASE: ("工资基数", "会费基数", "缴费基数", "计缴基数"),
}
#: The headers the downloadable template uses (the first of each kind above, 会员证号 for the card column).
TEMPLATE_HEADERS = ["序号", "姓名", "身份证号", "会员证号", "工资基数", "工会会费"]
#: The headers a refusal names as examples (the template's 说明 sheet lists them all).
SAID_AMOUNT = ("工会会费", "代扣会费", "会费", "应扣会费", "实扣会费", "代扣金额")
SAID_WHO = ("身份证号", "身份证号码", "证件号码", "会员证号")
#: A row saying one of these (and naming nobody) is the list's total line, not a person.
TOTAL_WORDS = ("合计", "总计", "小计", "总合计", "本页合计")


def _header_key(value):
    """A header as compared: NFKC, no spaces at all, no (hint) or [hint], no trailing * or colon."""
    text = clean_compact(value) or ""
    text = re.sub(r"[(\[【].*?[)\]】]", "", text)
    return text.strip("*:")


_LOOKUP = {}
for _kind, _words in HEADERS.items():
    for _rank, _word in enumerate(_words):
        _LOOKUP.setdefault(_header_key(_word), (_kind, _rank))

ERROR_KINDS = ("unreadable", "unknown", "duplicate")
WARNING_KINDS = ("wrong_amount", "not_paying", "base_differs", "name_differs")


@dataclass
class PayrollRow:
    row: int
    name: str = ""
    id_number: str | None = None
    card_number: str = ""
    amount: Decimal | None = None
    base: Decimal | None = None
    problems: list = field(default_factory=list)


def read_payroll_file(data: bytes, filename: str = "") -> list[PayrollRow]:
    """Rows of a deduction list with their spreadsheet row numbers. A file that cannot be used at all (wrong type,
    no header row, no amount column, no rows) raises one ValidationError; a bad row is kept with its problems."""
    rows = read_rows(data, filename, wrong_type_message=_(
        "Upload the deduction list as an Excel workbook (.xlsx) or a CSV file (.csv)."))
    return payroll_rows(rows)


def _header_columns(row):
    """kind → position of the best-named column of each kind in ``row`` (see HEADERS for the order)."""
    found = {}
    for position, cell in enumerate(row):
        match = _LOOKUP.get(_header_key(cell))
        if match and (match[0] not in found or match[1] < found[match[0]][1]):
            found[match[0]] = (position, match[1])
    return {kind: position for kind, (position, _rank) in found.items()}


def payroll_rows(rows) -> list[PayrollRow]:
    header_index, columns = None, {}
    for index, row in enumerate(rows[:10]):
        found = _header_columns(row)
        if AMOUNT in found and (ID_NUMBER in found or CARD in found):
            header_index, columns = index, found
            break
    if header_index is None:
        raise ValidationError(
            _("No header row found. The list needs a column of amounts (%(amount)s) and a column that identifies "
              "the person (%(who)s). Download the template from the import page to see the layout.")
            % {"amount": "、".join(SAID_AMOUNT) + " …", "who": "、".join(SAID_WHO) + " …"},
            code="no_header")
    parsed = []
    for index in range(header_index + 1, len(rows)):
        row = rows[index]
        cells = {key: row[position] if position < len(row) else None for key, position in columns.items()}
        if all(value is None or not str(value).strip() for value in cells.values()) or _is_total_row(row, cells):
            continue
        parsed.append(_parse_row(index + 1, cells))
        if len(parsed) > MAX_ROWS:
            raise ValidationError(_("The file has more than %(max)d rows; split it into smaller files.")
                                  % {"max": MAX_ROWS}, code="too_many_rows")
    if not parsed:
        raise ValidationError(_("The file has a header row but no rows of deductions."), code="empty")
    return parsed


def _is_total_row(row, cells):
    """The 合计 line at the foot of a list: a cell says 合计 (or 总计 …) and the row names no ID or card number."""
    if clean_compact(cells.get(ID_NUMBER)) or clean_compact(cells.get(CARD)):
        return False
    return any(clean_compact(cell) in TOTAL_WORDS for cell in row)


def _amount(value, label):
    """An amount in yuan and fen; more than two decimals (28.355) is refused, never rounded silently."""
    amount = normalize.normalize_decimal(value)
    if amount is None:
        return None
    raw = clean_compact(value).replace(",", "").replace("¥", "").replace("元", "")
    try:
        if abs(Decimal(raw) - amount) > Decimal("0.000001"):  # tolerate a spreadsheet's float noise only
            raise ValidationError(_("%(column)s “%(value)s” has more than two decimals.")
                                  % {"column": label, "value": raw}, code="decimals")
    except InvalidOperation:
        pass
    return amount


def _parse_row(number, cells):
    row = PayrollRow(row=number, name=normalize.normalize_name(cells.get(NAME)) or "")
    try:
        row.id_number = normalize.normalize_id_number(cells.get(ID_NUMBER))
    except ValidationError as error:
        row.problems.extend(error.messages)
    row.card_number = clean_compact(cells.get(CARD)) or ""
    unreadable = set()
    for key, label in ((AMOUNT, _("Amount")), (BASE, _("Wage base"))):
        try:
            setattr(row, key, _amount(cells.get(key), label))
        except ValidationError as error:
            row.problems.extend(error.messages)
            unreadable.add(key)
    if row.amount is None and AMOUNT not in unreadable:
        row.problems.append(_("The amount is empty."))
    if not row.id_number and not row.card_number and not row.problems:
        row.problems.append(_("Neither an ID number nor a membership card number is given."))
    return row


#: How many rows of the template are formatted as text in the ID and card columns (Excel keeps 15 digits of a number).
TEMPLATE_ROWS = 2000
TEMPLATE_SHEET = "代扣会费"
TEMPLATE_HELP_SHEET = "说明"


def payroll_template_xlsx() -> bytes:
    """The deduction list to hand to the payroll office: the headers, the 身份证号 and 会员证号 columns formatted as
    text, and a 说明 sheet naming the other headers that are accepted. Every cell is written as a value, never as a
    formula (core.xlsx.value_cell)."""
    text_columns = {"身份证号", "会员证号"}
    workbook, sheet = new_sheet(TEMPLATE_SHEET, headers=TEMPLATE_HEADERS, widths=[6, 12, 22, 14, 12, 12])
    for _row in range(TEMPLATE_ROWS):
        sheet.append([value_cell(sheet, None, number_format="@" if header in text_columns else None)
                      for header in TEMPLATE_HEADERS])
    notes = workbook.create_sheet(TEMPLATE_HELP_SHEET)
    notes.column_dimensions["A"].width = 16
    notes.column_dimensions["B"].width = 90
    for kind, label, what in (
        (NAME, _("Name"), _("Optional; compared with the roll and shown where it differs.")),
        (ID_NUMBER, _("ID number"), _("18 characters; the person is found by it. Keep this column formatted as "
                                      "Text: Excel keeps only 15 digits of a number.")),
        (CARD, _("Membership card number"), _("Used when there is no ID number.")),
        (BASE, _("Wage base"), _("Optional; compared with the dues base on the roll.")),
        (AMOUNT, _("Amount"), _("Required: the dues deducted for the month, in yuan with up to two decimals.")),
    ):
        also = _("Also accepted as the header: %(words)s") % {"words": "、".join(HEADERS[kind])}
        notes.append([value_cell(notes, label), value_cell(notes, f"{what} {also}")])
    notes.append([])
    for line in (
        _("A title row above the headers, a 合计 row at the foot and other columns (部门, 应发工资 …) may stay."),
        _("Either an ID number or a membership card number is needed on every row."),
    ):
        notes.append([value_cell(notes, line)])
    return workbook_bytes(workbook)


# --- comparing with the roll -------------------------------------------------------------------------------------

@dataclass
class Comparison:
    """The outcome of comparing a list with the roll for one month. ``paid`` maps member id → amount paid;
    ``issues`` are dicts (kind, row, name, id, message) ready for the preview page and ``Job.result``."""

    year: int
    month: int
    rows: int
    members: dict
    paid: dict
    expected: dict
    issues: list
    missing: list
    total_paid: Decimal

    @property
    def has_errors(self):
        return any(issue["kind"] in ERROR_KINDS for issue in self.issues)

    def counts(self):
        counts = {kind: 0 for kind in (*ERROR_KINDS, *WARNING_KINDS)}
        for issue in self.issues:
            counts[issue["kind"]] += 1
        counts["missing"] = len(self.missing)
        return counts

    def as_json(self):
        ordered = sorted(self.issues, key=lambda issue: (issue["kind"] not in ERROR_KINDS, issue["row"]))
        return {
            "year": self.year, "month": self.month, "rows": self.rows, "has_errors": self.has_errors,
            "counts": self.counts(), "total_paid": str(self.total_paid), "payers": len(self.paid),
            "expected_total": str(sum(self.expected.values(), Decimal("0"))),
            "issues": ordered[:LISTED_ROWS], "missing": self.missing[:LISTED_ROWS],
        }


def _issue(kind, row, message, member=None, name=""):
    return {"kind": kind, "row": row.row if row else None, "name": (member.name if member else name) or "",
            "id": mask_id_number(member.id_number) if member else mask_id_number(row.id_number if row else ""),
            "message": message}


def payroll_compare(*, rows: list[PayrollRow], year: int, month: int, owing: dict, rule, progress=None):
    """Compare the list with the roll. ``owing`` maps member id → member for everyone who owes dues for the month
    (``selectors.members_owing``). Runs three queries whatever the size of the list."""
    ids = {row.id_number for row in rows if row.id_number}
    cards = {row.card_number for row in rows if row.card_number}
    by_id, by_card = {}, {}
    for member in Member.objects.filter(id_number__in=ids).only("id", "name", "id_number", "card_number",
                                                                 "status", "dues_base"):
        by_id[member.id_number] = member
    for member in Member.objects.filter(card_number__in=cards).only("id", "name", "id_number", "card_number",
                                                                    "status", "dues_base"):
        by_card[member.card_number] = member
    issues, paid, first_row = [], {}, {}
    for done, row in enumerate(rows, start=1):
        if progress:
            progress(done)
        if row.problems:
            issues.append(_issue("unreadable", row, " ".join(row.problems), name=row.name))
            continue
        member = by_id.get(row.id_number) if row.id_number else None
        card_member = by_card.get(row.card_number) if row.card_number else None
        if member and card_member and member.pk != card_member.pk:
            issues.append(_issue("unreadable", row, _("The ID number and the card number %(card)s belong to two "
                                                      "different members.") % {"card": row.card_number}, member))
            continue
        member = member or card_member
        if member is None or not member.is_admitted:
            issues.append(_issue("unknown", row, _("Nobody with this ID or card number is on the roll."),
                                 name=row.name))
            continue
        if member.pk in first_row:
            issues.append(_issue("duplicate", row, _("Listed twice: also in row %(row)d.")
                                 % {"row": first_row[member.pk]}, member))
            continue
        first_row[member.pk] = row.row
        paid[member.pk] = row.amount
        if row.name and row.name != member.name:
            issues.append(_issue("name_differs", row, _("The list says “%(listed)s”; the roll says “%(name)s”.")
                                 % {"listed": row.name, "name": member.name}, member))
        if member.pk not in owing:
            issues.append(_issue("not_paying", row, _("Status “%(status)s”: owes no dues for this month. The "
                                                      "amount is recorded as paid so it can be refunded.")
                                 % {"status": member.get_status_display()}, member))
            continue
        expected = dues_for(member.dues_base, rule=rule)
        if row.amount != expected:
            issues.append(_issue("wrong_amount", row, _("Deducted %(paid)s; the formula gives %(expected)s from "
                                                        "the dues base %(base)s.")
                                 % {"paid": row.amount, "expected": expected, "base": member.dues_base}, member))
        if row.base is not None and row.base != member.dues_base:
            issues.append(_issue("base_differs", row, _("Wage base %(listed)s in the list; %(base)s on the roll.")
                                 % {"listed": row.base, "base": member.dues_base}, member))
    expected = {pk: dues_for(member.dues_base, rule=rule) for pk, member in owing.items()}
    missing = [{"name": member.name, "id": mask_id_number(member.id_number),
                "group": member.union_group.name if member.union_group_id else "", "expected": str(expected[pk])}
               for pk, member in sorted(owing.items(), key=lambda item: item[1].name)
               if pk not in paid and expected[pk] > 0]
    total = sum(paid.values(), Decimal("0"))
    matched = {**{m.pk: m for m in by_id.values()}, **{m.pk: m for m in by_card.values()}}
    return Comparison(year=year, month=month, rows=len(rows), members=matched, paid=paid, expected=expected,
                      issues=issues, missing=missing, total_paid=total)
