"""Roster import and export (issue §5): reading the offices' spreadsheets, the preview and the real import
as background jobs, the downloadable template, and the (masked) export.

The flow: an upload becomes a ``core.models.Job`` (phase "preview") that reads and dry-runs the file and keeps
the rows it read, and the cells it cleaned, in a private file beside the upload, with the upload's SHA-256; if the
preview has no errors the chair confirms, which starts a second job (phase "apply") that takes those kept rows and
cleaned cells (refused if the upload no longer has that hash; no cell is normalised twice) and re-validates them
against the roll inside one transaction before writing anything. Files up to
``settings.ROSTER_IMPORT_SYNC_MAX_ROWS`` rows run inline, larger ones on the worker — the same code either way.
"""

import datetime
import hashlib
import json
import logging
from dataclasses import dataclass, field

import tablib
from celery import shared_task
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit_access
from core.jobs import JobProgress
from core.masking import mask_id_number, mask_phone
from core.models import Job
from core.normalize import clean_compact, clean_text
from core.spreadsheet import read_rows
from core.xlsx import XLSX_MIMETYPE, new_sheet, value_cell, workbook_bytes

from . import normalize
from .models import Member
from .resources import COLUMNS, HEADERS, REQUIRED_HEADERS, ROW_COLUMN, MemberRosterResource, error_messages

logger = logging.getLogger(__name__)

JOB_KIND = "roster_import"
EXPORT_JOB_KIND = "roster_export"
#: The audit "via" of everything a roster import writes.
VIA = "task:roster_import"
PHASE_PREVIEW = "preview"
PHASE_APPLY = "apply"
#: Progress is written to the job row at most every this many rows (not per row: 10,000 rows = 50 updates).
PROGRESS_EVERY = 200
#: A roster larger than this is refused (an agency union has hundreds to a few thousand members).
MAX_ROWS = 20000
#: How many rows of each kind the preview lists (the counts are always complete).
LISTED_ROWS = 500
SHEET_TITLE = "会员名册"
HELP_SHEET_TITLE = "说明"
TEXT_COLUMNS = ("身份证号", "手机号", "会员证号")  # formatted as text (number_format "@") so Excel keeps them
DATE_COLUMNS = ("出生日期", "入会日期", "预计退休日期")
#: The rows a preview read are kept beside the upload under its name plus this (deleted with it).
KEPT_ROWS_SUFFIX = ".rows.json"


def _header_key(text):
    """Header as compared: NFKC, no spaces, no trailing * (required marks), no (hints), upper case."""
    key = clean_compact(text) or ""
    for opening, closing in (("(", ")"), ("[", "]")):
        if opening in key and key.endswith(closing):
            key = key[: key.index(opening)]
    return key.rstrip("*:：").upper()


_HEADER_LOOKUP = {}
for _column in COLUMNS:
    for _name in (_column.header, *_column.aliases):
        _HEADER_LOOKUP[_header_key(_name)] = _column.header


@dataclass
class RosterTable:
    """A roster file read into rows keyed by the canonical headers, each with its spreadsheet row number."""

    dataset: tablib.Dataset
    filename: str = ""
    notices: list = field(default_factory=list)
    #: Row number → {field: value} as the preview cleaned them (kept rows only): the apply step cleans no cell twice.
    cleaned: dict = field(default_factory=dict)

    def __len__(self):
        return len(self.dataset)


# --- reading files --------------------------------------------------------------------------------------------

def read_roster_file(file, filename=""):
    """Read an uploaded .xlsx or .csv roster. Raises ValidationError (one clear message) for a file that
    cannot be used at all: wrong type, unreadable, missing columns, no rows, too many rows."""
    filename = filename or getattr(file, "name", "") or ""
    rows = read_rows(file.read(), filename, sheet_title=SHEET_TITLE, wrong_type_message=_(
        "Upload the roster as an Excel workbook (.xlsx) or a CSV file (.csv); “%(name)s” is neither.")
        % {"name": filename or _("this file")})
    return _table_from_rows(rows, filename)


def _blank(value):
    return value is None or (isinstance(value, str) and not value.strip())


def _table_from_rows(rows, filename):
    # The header row is the first of the top rows that names at least three roster columns, or both columns
    # that identify a member (files often carry a title row such as “某某处会员名册” above it).
    header_index, mapping = None, None
    for index, row in enumerate(rows[:10]):
        found = {i: _HEADER_LOOKUP.get(_header_key(cell)) for i, cell in enumerate(row) if not _blank(cell)}
        named = {header for header in found.values() if header}
        if len(named) >= 3 or named >= set(REQUIRED_HEADERS):
            header_index, mapping = index, found
            break
    if header_index is None:
        raise ValidationError(
            _("No header row found. The first row must hold the column headers of the template: %(headers)s.")
            % {"headers": "、".join(HEADERS)}, code="no_header")
    seen, ignored = {}, []
    for position, header in mapping.items():
        cell = clean_text(rows[header_index][position])
        if header is None:
            ignored.append(cell)
        elif header in seen:
            raise ValidationError(_("The column “%(header)s” appears twice in the header row.") % {"header": header},
                                  code="duplicate_header")
        else:
            seen[header] = position
    missing = [header for header in REQUIRED_HEADERS if header not in seen]
    if missing:
        message = _("The file is missing the column %(missing)s. Every roster needs %(required)s: they identify "
                    "the member. The other columns of the template may be left out.") % {
            "missing": "、".join(missing), "required": "、".join(REQUIRED_HEADERS)}
        if ignored:
            message += " " + _("Columns not recognised: %(ignored)s.") % {"ignored": "、".join(ignored)}
        raise ValidationError(message, code="missing_columns")

    # Only the columns the file has: a column left out is not read at all, so it changes no one.
    present = [header for header in HEADERS if header in seen]
    dataset = tablib.Dataset(headers=[ROW_COLUMN, *present])
    for index in range(header_index + 1, len(rows)):
        row = rows[index]
        values = [row[seen[header]] if seen[header] < len(row) else None for header in present]
        if all(_blank(value) for value in values):
            continue  # empty rows (typically trailing ones) are ignored; numbering still follows the sheet
        dataset.append([index + 1, *values])
        if len(dataset) > MAX_ROWS:
            raise ValidationError(_("The file has more than %(max)d rows; split it into smaller files.")
                                  % {"max": MAX_ROWS}, code="too_many_rows")
    if not len(dataset):
        raise ValidationError(_("The file has a header row but no member rows."), code="empty")
    notices = []
    absent = [header for header in HEADERS if header not in seen]
    if absent:
        notices.append(_("These columns are not in the file: existing members keep what is on record for them, and "
                         "new members start with them empty or at their default (入会日期: the day of the import): "
                         "%(absent)s.") % {"absent": "、".join(absent)})
    if ignored:
        notices.append(_("These columns are not part of the roster and were ignored: %(ignored)s.")
                       % {"ignored": "、".join(ignored)})
    return RosterTable(dataset=dataset, filename=filename, notices=notices)


# --- the import itself ----------------------------------------------------------------------------------------

@dataclass
class ImportReport:
    """What an import did (or, in the preview, would do): counts, the error rows with their messages, and the
    new and changed rows. Stored in ``Job.result`` as JSON."""

    phase: str
    totals: dict
    errors: list
    new: list
    updated: list
    general_errors: list
    notices: list
    written: bool = False
    cleaned: dict = field(default_factory=dict)

    @property
    def has_errors(self):
        return bool(self.errors or self.general_errors)

    def as_json(self):
        return {
            "phase": self.phase, "totals": self.totals, "has_errors": self.has_errors, "written": self.written,
            "errors": self.errors[:LISTED_ROWS], "new": self.new[:LISTED_ROWS], "updated": self.updated[:LISTED_ROWS],
            "general_errors": self.general_errors, "notices": self.notices,
        }


def _build_report(*, phase, table, result, resource):
    totals = {"rows": len(table), "new": 0, "update": 0, "skip": 0, "error": 0}
    errors, new, updated = [], [], []
    department_names = {obj.pk: obj.name for obj in (resource.fields["department"].widget.by_name or {}).values()}
    group_names = {obj.pk: obj.name for obj in (resource.fields["union_group"].widget.by_name or {}).values()}
    for row_result in result.rows:
        info = getattr(row_result, "roster", {}) or {}
        instance = info.get("instance")
        number = info.get("row")
        name = getattr(instance, "name", "") or ""
        if row_result.validation_error is not None or row_result.errors:
            totals["error"] += 1
            if row_result.validation_error is not None:
                messages = error_messages(row_result.validation_error)
            else:
                messages = [{"column": "", "text": _("Unexpected error: %(error)s") % {"error": e.error}}
                            for e in row_result.errors]
            errors.append({"row": number, "name": name, "messages": messages})
        elif row_result.import_type == "new":
            totals["new"] += 1
            new.append({"row": number, "name": name, "id": mask_id_number(instance.id_number)})
        elif row_result.import_type == "update":
            totals["update"] += 1
            pristine = resource.pristine[instance.id_number]
            changes = []
            for attname in resource.changed_fields.get(instance.id_number, ()):
                changes.append({"column": _column_for(attname).header,
                                "old": _shown(attname, getattr(pristine, attname), department_names, group_names),
                                "new": _shown(attname, getattr(instance, attname), department_names, group_names)})
            updated.append({"row": number, "name": name, "id": mask_id_number(instance.id_number),
                            "changes": changes})
        else:
            totals["skip"] += 1
    general = [_("The import was stopped and nothing was written: %(error)s") % {"error": error.error}
               for error in result.base_errors]
    report = ImportReport(phase=phase, totals=totals, errors=errors, new=new, updated=updated,
                          general_errors=general, notices=list(table.notices))
    report.written = phase == PHASE_APPLY and not report.has_errors
    return report


_COLUMN_BY_ATTNAME = {Member._meta.get_field(column.field).attname: column for column in COLUMNS}


def _column_for(attname):
    return _COLUMN_BY_ATTNAME[attname]


def _shown(attname, value, department_names, group_names):
    """A value as the preview shows it: in the roster's words, mobile numbers masked."""
    if value in (None, ""):
        return ""
    if attname == "department_id":
        return department_names.get(value, str(value))
    if attname == "union_group_id":
        return group_names.get(value, str(value))
    if attname == "phone":
        return mask_phone(value)
    if attname == "sex":
        return normalize.SEX_LABELS.get(value, value)
    if attname == "political_status":
        return normalize.choice_label(normalize.POLITICAL_STATUS_WORDS, value)
    if attname == "education":
        return normalize.choice_label(normalize.EDUCATION_WORDS, value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def roster_preview(*, table, progress=None):
    """Dry run: classify every row as new / updated / unchanged / error. Writes nothing. The report carries the
    cells it cleaned (``report.cleaned``, not part of its JSON) for the apply step."""
    resource = MemberRosterResource(progress=progress)
    result = resource.import_data(table.dataset, dry_run=True, use_transactions=True)
    report = _build_report(phase=PHASE_PREVIEW, table=table, result=result, resource=resource)
    report.cleaned = resource.kept_cells()
    return report


def roster_apply(*, table, actor, progress=None):
    """The real import: re-validates every row inside one transaction (matched members locked) and writes only
    if nothing at all is wrong; otherwise the transaction is rolled back and the report says why.

    New members are entered as already members (ENROLL, DOMAIN §1) from their 入会日期; existing ones are
    updated but never change status here. Every write leaves an audit entry with ``actor`` and via
    ``task:roster_import``.
    """
    resource = MemberRosterResource(actor=actor, via=VIA, progress=progress, cleaned=table.cleaned)
    result = resource.import_data(table.dataset, dry_run=False, use_transactions=True,
                                  rollback_on_validation_errors=True)
    return _build_report(phase=PHASE_APPLY, table=table, result=result, resource=resource)


def roster_import_start(*, upload, table, actor):
    """Record the upload as a preview job and run it (inline for small files, on the worker otherwise)."""
    upload.seek(0)
    job = Job.objects.create(
        kind=JOB_KIND, created_by=actor, input_file=upload,
        params={"phase": PHASE_PREVIEW, "filename": table.filename, "rows": len(table)},
        progress_total=len(table),
    )
    _dispatch(job)
    return job


def roster_import_confirm(*, preview_job, actor):
    """Start the real import of a previewed file. Refused unless the preview finished without errors; a second
    confirmation (double click, second tab) returns the job the first one started."""
    with transaction.atomic():
        locked = Job.objects.select_for_update().get(pk=preview_job.pk, kind=JOB_KIND)
        existing = locked.params.get("apply_job")
        if existing:
            return Job.objects.get(pk=existing), False
        if locked.params.get("phase") != PHASE_PREVIEW or locked.status != Job.Status.DONE:
            raise ValidationError(_("This import cannot be confirmed: its preview has not finished."),
                                  code="not_previewed")
        if locked.result.get("has_errors"):
            raise ValidationError(_("This import cannot be confirmed: the preview found errors. Correct the file "
                                    "and upload it again."), code="preview_errors")
        if not locked.input_file:
            raise ValidationError(_("The uploaded file is no longer available; upload it again."), code="no_file")
        apply_job = Job.objects.create(
            kind=JOB_KIND, created_by=actor, input_file=locked.input_file.name,
            params={"phase": PHASE_APPLY, "preview_job": locked.pk, "filename": locked.params.get("filename", ""),
                    "rows": locked.params.get("rows", 0), "input_sha256": locked.params.get("input_sha256", "")},
            progress_total=locked.params.get("rows", 0),
        )
        Job.objects.filter(pk=locked.pk).update(params={**locked.params, "apply_job": apply_job.pk})
    _dispatch(apply_job)
    return apply_job, True


def _dispatch(job):
    if job.params.get("rows", 0) <= settings.ROSTER_IMPORT_SYNC_MAX_ROWS:
        roster_job_run(job_id=job.pk)
        job.refresh_from_db()
    else:
        transaction.on_commit(lambda: roster_import_task.delay(job.pk))


# --- the preview's rows, kept for the apply step ---------------------------------------------------------------
# Cells are kept as JSON, dates and times tagged, so the apply step sees exactly the values the preview read.
_CELL_TYPES = (("datetime", datetime.datetime), ("date", datetime.date), ("time", datetime.time))


def _cell_to_json(value):
    for tag, kind in _CELL_TYPES:
        if isinstance(value, kind):
            return {tag: value.isoformat()}
    return value


def _cell_from_json(value):
    if isinstance(value, dict):
        (tag, text), = value.items()
        return dict(_CELL_TYPES)[tag].fromisoformat(text)
    return value


def _kept_payload(table, sha256, cleaned=None):
    return {"sha256": sha256, "filename": table.filename, "notices": list(table.notices),
            "headers": list(table.dataset.headers),
            "rows": [[_cell_to_json(value) for value in row] for row in table.dataset],
            "cleaned": {str(number): {name: _cell_to_json(value) for name, value in cells.items()}
                        for number, cells in (cleaned or {}).items()}}


def _table_from_kept(payload, sha256):
    if payload.get("sha256") != sha256:
        raise _file_changed()
    dataset = tablib.Dataset(headers=payload["headers"])
    for row in payload["rows"]:
        dataset.append([_cell_from_json(value) for value in row])
    cleaned = {int(number): {name: _cell_from_json(value) for name, value in cells.items()}
               for number, cells in payload.get("cleaned", {}).items()}
    return RosterTable(dataset=dataset, filename=payload["filename"], notices=payload["notices"], cleaned=cleaned)


def _file_changed():
    return ValidationError(_("The uploaded file changed after its preview; nothing was imported. Upload it again."),
                           code="file_changed")


def _kept_rows_name(job):
    return f"{job.input_file.name}{KEPT_ROWS_SUFFIX}"


def _keep_rows(job, table, cleaned):
    storage = job.input_file.storage
    name = _kept_rows_name(job)
    storage.delete(name)
    payload = _kept_payload(table, job.params["input_sha256"], cleaned)
    storage.save(name, ContentFile(json.dumps(payload, ensure_ascii=False).encode()))


def _read_table(job, data):
    """The rows of the job's upload: read from the file by a preview; by the apply step, the rows and cleaned
    cells its preview kept — refused if the upload's hash is not the one the preview read — or, for a preview that kept none,
    the file read again."""
    sha256 = hashlib.sha256(data).hexdigest()
    filename = job.params.get("filename", "")
    if job.params.get("phase") == PHASE_PREVIEW:
        table = read_roster_file(_Bytes(data, filename), filename)
        job.params = {**job.params, "input_sha256": sha256}
        Job.objects.filter(pk=job.pk).update(params=job.params)
        return table
    previewed = job.params.get("input_sha256")
    if previewed and previewed != sha256:
        raise _file_changed()
    storage, name = job.input_file.storage, _kept_rows_name(job)
    if not storage.exists(name):
        return read_roster_file(_Bytes(data, filename), filename)
    with storage.open(name, "rb") as handle:
        return _table_from_kept(json.loads(handle.read()), sha256)


class _Bytes:
    def __init__(self, data, name):
        self.data, self.name = data, name

    def read(self):
        return self.data


def _discard_kept_rows(job):
    if job.input_file.name:
        job.input_file.storage.delete(_kept_rows_name(job))


def roster_job_run(*, job_id):
    """Run one roster job (preview or apply). Claims the job first, so a task delivered twice runs once."""
    job = Job.objects.filter(pk=job_id, kind=JOB_KIND).select_related("created_by").first()
    if job is None or not job.claim():
        return
    phase = job.params.get("phase")
    progress = None
    try:
        with job.input_file.open("rb") as handle:
            data = handle.read()
        table = _read_table(job, data)
        if phase == PHASE_PREVIEW:
            progress = JobProgress(job, total=len(table), message=_("Checking the rows"), every=PROGRESS_EVERY)
            report = roster_preview(table=table, progress=progress)
            _keep_rows(job, table, report.cleaned)
            message = _("Preview ready.")
        else:
            progress = JobProgress(job, total=len(table), message=_("Importing"), every=PROGRESS_EVERY)
            report = roster_apply(table=table, actor=job.created_by, progress=progress)
            message = _("Import finished.") if report.written else _("Nothing was imported.")
    except Exception as error:  # noqa: BLE001 — every stop becomes a failed job (Job.fail_import logs the unexpected)
        job.fail_import(error)
        return
    finally:
        if progress is not None:
            progress.close()
    job.finish(result=report.as_json(), message=message)
    if phase == PHASE_APPLY:
        _discard_kept_rows(job)
        job.discard_input_file()  # the uploaded roll is personal data, no longer needed (PIPL)


@shared_task(name="members.roster_import", soft_time_limit=25 * 60, time_limit=30 * 60, ignore_result=True)
def roster_import_task(job_id):
    """Preview or apply a roster import (the phase is on the job). Claims the job, so a redelivery is a no-op."""
    roster_job_run(job_id=job_id)


# --- files we produce -------------------------------------------------------------------------------------------

def roster_workbook_with_headers():
    # openpyxl is heavy: loaded only when a workbook is written (as core.xlsx does).
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLE
    sheet.append(HEADERS)
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for cell in sheet[1]:
        cell.font = bold
        cell.fill = fill
    sheet.freeze_panes = "A2"
    for index, header in enumerate(HEADERS, start=1):
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = 20 if header in ("身份证号", "邮箱", "职务/职称") else 13
        if header in TEXT_COLUMNS:
            sheet.column_dimensions[letter].number_format = "@"
    return workbook, sheet


def roster_template_xlsx():
    """The template to fill in: the headers, one example row (marked 示例, refused if left in), the ID, mobile and
    card columns formatted as text so Excel does not turn them into numbers, and a 说明 sheet."""
    workbook, sheet = roster_workbook_with_headers()
    sheet.append([column.example for column in COLUMNS])
    # Pre-format the first rows of the text columns too: the column style alone is not honoured by every
    # spreadsheet program (WPS, LibreOffice).
    for index, header in enumerate(HEADERS, start=1):
        if header in TEXT_COLUMNS:
            for row in range(2, 1002):
                sheet.cell(row=row, column=index).number_format = "@"
    help_sheet = workbook.create_sheet(HELP_SHEET_TITLE)
    help_sheet.append([_("Column"), _("What to write")])
    for column in COLUMNS:
        also = " " + _("(also accepted: %(aliases)s)") % {"aliases": "、".join(column.aliases)} if column.aliases else ""
        help_sheet.append([column.header + also, column.help])
    help_sheet.append([])
    for line in (
        _("Dates may be written 1985-03-12, 1985/3/12, 1985.03.12 or 1985年3月12日, or be Excel dates."),
        _("Full-width digits and letters and stray spaces are corrected; a lower-case x at the end of an ID number "
          "becomes X."),
        _("Existing members (matched by ID number): the columns filled in are updated, empty cells keep what is on "
          "record. Membership status is never changed by an import."),
        _("Only 身份证号 and 姓名 must be columns of the file; any other column may be left out, and then nobody's "
          "record changes in it."),
        _("New members come onto the roll as members (在册), from their 入会日期 (empty: the day of the import)."),
        _("Departments and union groups must be set up in the portal first; a row with an unknown name is refused, "
          "never created."),
        _("Every import is previewed first (new, updated, unchanged and error rows); if any row has an error, "
          "nothing at all is written. Importing the same file twice changes nothing."),
        _("Delete the example row (its name contains 示例) before importing."),
    ):
        help_sheet.append([line])
    help_sheet.column_dimensions["A"].width = 28
    help_sheet.column_dimensions["B"].width = 100
    return workbook_bytes(workbook)


def roster_export_xlsx(*, members, full):
    """The roll as .xlsx with the import headers; 身份证号 / 手机号 masked unless ``full``. Returns (bytes, rows).

    ``members`` is an iterable of members with department and union group already joined (select_related).
    """
    resource = MemberRosterResource(full_export=full)
    dataset = resource.export(members)
    workbook, sheet = new_sheet(SHEET_TITLE, headers=HEADERS,
                                widths=[20 if header in ("身份证号", "邮箱", "职务/职称") else 13 for header in HEADERS])
    text_positions = {HEADERS.index(header) for header in TEXT_COLUMNS}
    date_positions = {HEADERS.index(header) for header in DATE_COLUMNS}
    for values in dataset:
        sheet.append([value_cell(sheet, value, number_format="@" if position in text_positions
                                 else "yyyy-mm-dd" if position in date_positions and value else None)
                      for position, value in enumerate(values)])
    return workbook_bytes(workbook), len(dataset)


def roster_export(*, queryset, actor, full=False, filters=None):
    """Export the given members. A full export (unmasked 身份证号 / 手机号) needs
    ``members.export_sensitive_member`` and is recorded as an access entry in the audit log (PIPL): who, how
    many rows, which filters, and whose records. Returns (filename, mimetype, bytes)."""
    if full and not actor.has_perm("members.export_sensitive_member"):
        raise PermissionDenied
    members = list(queryset.select_related("department", "union_group"))
    content, rows = roster_export_xlsx(members=members, full=full)
    if full:
        now = timezone.now()
        record = Job.objects.create(
            kind=EXPORT_JOB_KIND, status=Job.Status.DONE, created_by=actor, started_at=now, finished_at=now,
            progress_done=rows, progress_total=rows, params={"full": True, "filters": filters or {}},
            result={"rows": rows},
        )
        audit_access(record, actor=actor, action_label="members.roster_export_full",
                     details={"rows": rows, "filters": filters or {}, "member_ids": [m.pk for m in members]})
    stamp = timezone.localdate().strftime("%Y%m%d")
    filename = f"会员名册-{stamp}{'-完整' if full else ''}.xlsx"
    return filename, XLSX_MIMETYPE, content
