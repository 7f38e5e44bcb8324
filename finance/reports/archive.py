"""The year's accounting archive (会计档案): when a fiscal year is closed, its vouchers and books as PDF/A files with a
manifest of SHA-256 hashes, kept read-only under ``PRIVATE_MEDIA_ROOT/accounting-archive/<year>/``.

Files: 记账凭证 (every numbered voucher in the voucher layout: lines, attachments, maker, poster, reviewer), 总账,
明细账, 科目余额表, 收支表, budget execution, the 经审报告 once finalised, and the year's published 财务公开. Every document is stamped with the year's close
time (the last period's), written as PDF/A-3b with that creation time and an identifier made from its content, so
a re-run for the same closed year gives the same bytes; a re-run that would give different bytes is refused (the
kept archive is never replaced). A year reopened by the chair (PeriodReopening) and closed again gets a new
edition beside the kept one: ``<year>-2/`` …, whose manifest names the edition it replaces (its close, its
manifest's SHA-256, the reasons the year was reopened); every edition stays kept and read-only. The close of the year's last period starts the job (finance.books.services calls
``year_archive_on_close``); it renders in the background with progress (core.jobs), in the union's language, and
keeps nothing that fails the PDF/A check (core.pdfa). ``year_archive_check`` is what the auditor runs on a copy
(the page, or ``manage.py verify_year_archive``): every file against the manifest's SHA-256, and PDF/A.
"""

import datetime
import hashlib
import io
import json
import os
import zipfile
from pathlib import Path

from celery import shared_task
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.names import display_name
from core.jobs import document_job_run, document_job_start
from core.language import site_language
from core.money import money
from core.pdf import archival_pdfs, render_pdf
from core.pdfa import pdfa_problems
from finance.books.selectors import closed_stamp
from finance.models import (
    AuditReport,
    FiscalYear,
    Period,
    PeriodReopening,
    ReportKind,
    Voucher,
    VoucherLine,
    VoucherState,
)

from . import documents
from .jobs import ROW_SOURCES
from .writing import audit_report_pdf, disclosures_pdf

JOB_KIND = "finance.year_archive"
MANIFEST = "manifest.json"
ZIP_LIMIT = 2 * 2**30  # an uploaded copy may unpack to 2 GB at most
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def archive_root(year, edition=1):
    """The folder of ``year``'s archive: ``<year>/`` for the first edition, ``<year>-<n>/`` for a later one."""
    name = str(year) if edition == 1 else f"{year}-{edition}"
    return Path(settings.PRIVATE_MEDIA_ROOT) / "accounting-archive" / name


def editions(year):
    """[(edition, folder)] of the kept archives of ``year``, oldest first."""
    base = archive_root(year).parent
    found = [(1, archive_root(year))] if archive_root(year).is_dir() else []
    for path in base.glob(f"{year}-*"):
        number = path.name.removeprefix(f"{year}-")
        if number.isdigit() and path.is_dir():
            found.append((int(number), path))
    return sorted(found)


def _edition_of(year, created):
    """The edition a render of ``year`` closed at ``created`` belongs to, and what it replaces: the kept edition of
    the same close (a re-run), or the next one when the year was closed again after being reopened."""
    kept = editions(year)
    if not kept:
        return 1, None
    number, folder = kept[-1]
    data = (folder / MANIFEST).read_bytes()
    latest = json.loads(data)
    if latest["closed_at"] == created:
        return number, latest.get("replaces")
    reopened = (PeriodReopening.objects.filter(period__fiscal_year__year=year).order_by("reopened_at", "pk")
                .values_list("reopened_at", "reason"))
    reasons = [reason for at, reason in reopened
               if timezone.localtime(at).isoformat(timespec="seconds") >= latest["closed_at"]]
    return number + 1, {"edition": number, "closed_at": latest["closed_at"],
                        "manifest_sha256": hashlib.sha256(data).hexdigest(), "reopened_because": reasons}


def year_close(year):
    """(closed_at, closed_by) of a closed year: its last period's close, or None while any period is open."""
    stamp = closed_stamp(date_from=datetime.date(year, 1, 1), date_to=datetime.date(year, 12, 31))
    if stamp is None:
        return None
    last = (Period.objects.filter(fiscal_year__year=year, closed_at=stamp).select_related("closed_by")
            .order_by("-month").first())
    return stamp, last.closed_by


def _voucher_pdf(year, *, stamp, by):
    lines = VoucherLine.objects.select_related("account").order_by("pk")
    vouchers = (Voucher.objects.filter(fiscal_year__year=year, number__isnull=False,
                                       state__in=[VoucherState.POSTED, VoucherState.REVIEWED])
                .select_related("created_by", "posted_by", "reviewed_by")
                .prefetch_related(Prefetch("lines", queryset=lines)).order_by("number"))
    printed = []
    for voucher in vouchers:
        rows = list(voucher.lines.all())
        printed.append({
            "date": voucher.date, "number": f"{voucher.number:04d}", "attachments": voucher.attachments,
            "lines": [{"summary": line.summary or voucher.summary, "code": line.account.code,
                       "name": line.account.name, "debit": money(line.debit, blank_zero=True),
                       "credit": money(line.credit, blank_zero=True)} for line in rows],
            "debit": money(sum(line.debit for line in rows)), "credit": money(sum(line.credit for line in rows)),
            "maker": display_name(voucher.created_by) if voucher.created_by else "",
            "poster": display_name(voucher.posted_by) if voucher.posted_by else "",
            "reviewer": display_name(voucher.reviewed_by) if voucher.reviewed_by else "",
        })
    title = _("Accounting vouchers")
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return render_pdf("finance/pdf/vouchers.html",
                      documents.report_context(title=title, date_from=first, date_to=last, stamp=stamp, by=by,
                                               vouchers=printed),
                      filename=documents.report_filename(title, first, last, "pdf"))


def _renderers(year, *, stamp, by):
    """(archive file name, render()) of every document of the year's archive, in order."""
    common = {"date_from": datetime.date(year, 1, 1), "date_to": datetime.date(year, 12, 31), "stamp": stamp,
              "by": by}
    items = [
        ("01-vouchers.pdf", lambda: _voucher_pdf(year, stamp=stamp, by=by)),
        ("02-summary-ledger.pdf", lambda: documents.summary_ledger_pdf(year=year, stamp=stamp, by=by)),
        ("03-ledger.pdf", lambda: documents.ledger_pdf(**common)),
        ("04-trial-balance.pdf", lambda: documents.trial_balance_pdf(**common)),
        ("05-income-statement.pdf", lambda: documents.income_statement_pdf(**common)),
    ]
    source = ROW_SOURCES.get(ReportKind.BUDGET_EXECUTION)
    if source is not None:
        items.append(("06-budget-execution.pdf", lambda: documents.budget_execution_pdf(
            source(year=year, as_of=common["date_to"]), year=year, stamp=stamp, by=by)))
    report = AuditReport.objects.filter(year=year).first()
    if report is not None and report.is_final:
        items.append(("07-audit-report.pdf",
                      lambda: audit_report_pdf(report, stamp=report.finalised_at, by=report.finalised_by)))
    items.append(("08-disclosures.pdf", lambda: disclosures_pdf(year=year, stamp=stamp, by=by)))
    return items


def year_archive_render(year, *, progress=None):
    """{file name: bytes} of the closed year's archive, its manifest included. ValidationError while it is open."""
    closed = year_close(year)
    if closed is None:
        raise ValidationError(_("The year %(year)s is not closed yet: its archive is made after the year's close.")
                              % {"year": year})
    stamp, by = closed
    created = timezone.localtime(stamp).isoformat(timespec="seconds")
    files = {}
    items = _renderers(year, stamp=stamp, by=by)
    # In the union's language whoever asks: a remake by the auditor in English must give the same bytes.
    with site_language(), archival_pdfs(created=created):
        for done, (name, render) in enumerate(items, start=1):
            files[name] = render()[2]
            if progress:
                progress(done, len(items))
    manifest = {"year": year, "closed_at": created, "pdf_variant": "PDF/A-3b",
                "files": {name: {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
                          for name, data in files.items()}}
    edition, replaces = _edition_of(year, created)
    if edition > 1:  # the first edition's manifest has no such keys (archives kept before editions stay valid)
        manifest.update(edition=edition, replaces=replaces)
    files[MANIFEST] = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode()
    return files


def year_archive_keep(year, files):
    """Write the files read-only in their edition's folder; a kept archive is never replaced: a re-run must match it
    byte for byte (ValidationError otherwise). Returns the folder."""
    root = archive_root(year, json.loads(files[MANIFEST]).get("edition", 1))
    if root.is_dir():
        kept = {path.name: path.read_bytes() for path in root.iterdir() if path.is_file()}
        if kept != files:
            raise ValidationError(_("The archive of %(year)s is kept already and this run differs from it; "
                                    "the kept archive was not changed.") % {"year": year})
        return root
    partial = root.with_name(f".{root.name}.partial")
    partial.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        path = partial / name
        path.write_bytes(data)
        os.chmod(path, 0o444)
    partial.rename(root)
    os.chmod(root, 0o555)
    return root


def archive_zip(files):
    """The files as one zip with fixed dates, so the same archive is the same zip."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zipped:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.external_attr = 0o444 << 16
            zipped.writestr(info, files[name])
    return buffer.getvalue()


def year_archive_verify(files):
    """Names of the files whose SHA-256 differs from the manifest or that are missing (empty: the archive verifies)."""
    manifest = json.loads(files[MANIFEST])
    return [name for name, expected in manifest["files"].items()
            if name not in files or hashlib.sha256(files[name]).hexdigest() != expected["sha256"]]


def pdfa_failures(files):
    """{file name: [problems]} of the PDFs that are not the PDF/A-3b the manifest claims (core.pdfa)."""
    failures = {name: pdfa_problems(data) for name, data in files.items() if name.endswith(".pdf")}
    return {name: problems for name, problems in failures.items() if problems}


def year_archive_check(files):
    """What an auditor checks on a copy of the archive: {file name: [problems]}, empty when every file listed in
    the manifest is there with its SHA-256, nothing else is, and every PDF is PDF/A-3b."""
    try:
        manifest = json.loads(files[MANIFEST])
        listed = manifest["files"]
    except (KeyError, ValueError, TypeError):
        return {MANIFEST: [_("manifest.json is missing or cannot be read.")]}
    problems = {}
    for name, expected in listed.items():
        if name not in files:
            problems[name] = [_("Missing from the archive.")]
        elif hashlib.sha256(files[name]).hexdigest() != expected.get("sha256"):
            problems[name] = [_("Its SHA-256 differs from the manifest: the file was changed.")]
    for name in files.keys() - listed.keys() - {MANIFEST}:
        problems[name] = [_("Not listed in the manifest.")]
    for name, failures in pdfa_failures({name: data for name, data in files.items() if name not in problems}).items():
        problems[name] = failures
    return dict(sorted(problems.items()))


def files_from_zip(handle, *, limit=ZIP_LIMIT):
    """{file name: bytes} of an archive zip (the download), or ValidationError when it is not one or unpacks to
    more than ``limit`` bytes (a zip bomb is refused before anything is read)."""
    try:
        with zipfile.ZipFile(handle) as zipped:
            members = [info for info in zipped.infolist() if not info.is_dir()]
            if sum(info.file_size for info in members) > limit:
                raise ValidationError(_("The zip unpacks to more than %(size)s MB.") % {"size": limit // 2**20})
            return {Path(info.filename).name: zipped.read(info) for info in members}
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        raise ValidationError(_("The file is not a zip of the archive.")) from error


def kept_files(year, edition=None):
    """{file name: bytes} of the kept archive of ``year`` (its latest edition, or ``edition``), or None when none is
    kept."""
    kept = dict(editions(year))
    if not kept:
        return None
    root = kept.get(max(kept) if edition is None else edition)
    if root is None:
        return None
    return {path.name: path.read_bytes() for path in sorted(root.iterdir()) if path.is_file()}


def kept_manifests(year):
    """[(edition, manifest)] of every kept edition of ``year``, oldest first (unreadable manifests left out)."""
    found = []
    for edition, root in editions(year):
        try:
            found.append((edition, json.loads((root / MANIFEST).read_bytes())))
        except (FileNotFoundError, ValueError):
            continue
    return found


def year_archive_overview():
    """Every fiscal year, whether it is closed, and its kept archive as the manifest lists it (nothing re-hashed:
    the auditor asks for a check). One query, one manifest read per kept year."""
    years = FiscalYear.objects.annotate(
        periods_count=Count("periods"), open_periods=Count("periods", filter=Q(periods__closed_at__isnull=True)),
    ).order_by("-year").values_list("year", "periods_count", "open_periods")
    rows = []
    for year, periods, still_open in years:
        kept = kept_manifests(year)
        edition, manifest = kept[-1] if kept else (None, None)
        listed = manifest["files"] if manifest else {}
        rows.append({"year": year, "closed": periods > 0 and not still_open, "kept": manifest is not None,
                     "files": len(listed), "size": sum(entry["size"] for entry in listed.values()),
                     "edition": edition, "replaces": manifest.get("replaces") if manifest else None,
                     "earlier": [number for number, _manifest in kept[:-1]]})
    return rows


def year_archive_start(*, year, actor):
    """Start the background job that makes (or re-checks) the year's archive. ValidationError while it is open."""
    if year_close(year) is None:
        raise ValidationError(_("The year %(year)s is not closed yet: its archive is made after the year's close.")
                              % {"year": year})
    return document_job_start(kind=JOB_KIND, actor=actor, task=year_archive_task, params={"year": year}, total=9,
                              language=settings.LANGUAGE_CODE)


def year_archive_on_close(*, year, actor):
    """The year's close (finance.books.services.period_close of its last open period) makes its archive."""
    year_archive_start(year=year, actor=actor)


def _render_job(job):
    year = job.params["year"]
    try:
        files = year_archive_render(year, progress=lambda done, total: job.set_progress(done, total=total + 1))
        failures = pdfa_failures(files)
        if failures:  # never kept as the archive: it would not be what the manifest says
            raise ValidationError([f"{name}: {' '.join(problems)}" for name, problems in failures.items()])
        year_archive_keep(year, files)
    except ValidationError as error:
        job.finish(failed=True, message=" ".join(error.messages))
        return None
    name = f"accounting-archive-{year}.zip"
    return f"year-archive-{year}-{job.pk}.zip", (name, "application/zip", archive_zip(files)), {"year": year}


@shared_task(name="finance.year_archive", soft_time_limit=20 * 60, time_limit=25 * 60, ignore_result=True)
def year_archive_task(job_id):
    document_job_run(job_id=job_id, kinds=[JOB_KIND], render=_render_job)
