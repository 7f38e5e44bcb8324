"""The year's accounting archive (会计档案): PDF/A files of a closed year with a SHA-256 manifest, kept read-only,
identical on a re-run; the auditor's copy verifies; its totals are the books'."""

import datetime
import io
import json
import os
import re
import subprocess
import tempfile
import zipfile
import zlib

import pytest
from django.core.exceptions import ValidationError

from core.models import Job
from finance.books import services
from finance.reports import archive
from tests.pdfcheck import assert_cjk_font_embedded, pdf_text

# WeasyPrint 70 leaves its sRGB profile (the PDF/A output intent) open; Python reports it when collected.
pytestmark = [pytest.mark.django_db, pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")]


def _pdf_objects(data):
    """The PDF's bytes with every Flate stream inflated (WeasyPrint packs objects into compressed object streams)."""
    parts = [data]
    for match in re.finditer(rb"stream\r?\n", data):
        start = match.end()
        end = data.find(b"endstream", start)
        try:
            parts.append(zlib.decompress(data[start:end]))
        except zlib.error:
            continue
    return b"\n".join(parts)


def _pdfinfo_meta(data):
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(data)
        handle.flush()
        return subprocess.run(["pdfinfo", "-meta", handle.name], capture_output=True, text=True, check=True).stdout


def test_an_open_year_has_no_archive_yet(private, treasurer):
    services.year_open(year=2027, actor=treasurer)
    with pytest.raises(ValidationError, match="not closed yet"):
        archive.year_archive_render(2027)


def test_the_archive_is_pdf_a_with_a_manifest_and_identical_on_a_re_run(closed_year):
    files = archive.year_archive_render(closed_year)
    assert {"01-vouchers.pdf", "02-summary-ledger.pdf", "03-ledger.pdf", "04-trial-balance.pdf",
            "05-income-statement.pdf", "06-budget-execution.pdf", "08-disclosures.pdf", "manifest.json"} <= set(files)
    assert archive.year_archive_render(closed_year) == files  # byte for byte
    assert archive.year_archive_verify(files) == []
    manifest = json.loads(files["manifest.json"])
    assert manifest["pdf_variant"] == "PDF/A-3b" and manifest["closed_at"].startswith(str(datetime.date.today()))
    for name in manifest["files"]:
        data = files[name]
        meta = _pdfinfo_meta(data)
        assert 'pdfaid:part="3"' in meta and 'pdfaid:conformance="B"' in meta, name  # PDF/A-3b in the XMP
        assert f"<xmp:CreateDate>{manifest['closed_at']}</xmp:CreateDate>" in meta, name  # the close, not now
        objects = _pdf_objects(data)
        assert b"/OutputIntents" in objects and b"/GTS_PDFA1" in objects, name  # the output intent PDF/A requires
        assert b"sRGB" in objects, name  # its ICC profile is embedded
        assert_cjk_font_embedded(data)
    vouchers = pdf_text(files["01-vouchers.pdf"])
    assert "0001" in vouchers and "0002" in vouchers and "1,000.00" in vouchers and "123.45" in vouchers
    assert "1,123.45" in pdf_text(files["04-trial-balance.pdf"])  # the year's debit total, as the books say


def test_the_kept_archive_is_read_only_and_never_replaced(closed_year, monkeypatch):
    files = archive.year_archive_render(closed_year)
    root = archive.year_archive_keep(closed_year, files)
    assert sorted(path.name for path in root.iterdir()) == sorted(files)
    assert all(not os.access(path, os.W_OK) or os.geteuid() == 0 for path in root.iterdir())
    assert all((path.stat().st_mode & 0o777) == 0o444 for path in root.iterdir())
    assert archive.year_archive_keep(closed_year, files) == root  # the same run again: accepted
    changed = {**files, "03-ledger.pdf": files["03-ledger.pdf"] + b"%"}
    with pytest.raises(ValidationError, match="differs"):
        archive.year_archive_keep(closed_year, changed)
    assert (root / "03-ledger.pdf").read_bytes() == files["03-ledger.pdf"]


def test_a_tampered_copy_fails_the_hash_check(closed_year):
    files = archive.year_archive_render(closed_year)
    tampered = {**files, "04-trial-balance.pdf": files["04-trial-balance.pdf"].replace(b"%%EOF", b"%%EOF ")}
    assert archive.year_archive_verify(tampered) == ["04-trial-balance.pdf"]


def test_the_job_makes_the_archive_with_progress_and_a_zip_the_auditor_verifies(
        closed_year, chair, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = archive.year_archive_start(year=closed_year, actor=chair)
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.message
    assert job.progress_done == job.progress_total >= 5  # one step per document, then the zip
    with zipfile.ZipFile(job.output_file.path) as zipped:
        files = {name: zipped.read(name) for name in zipped.namelist()}
    assert archive.year_archive_verify(files) == []
    assert archive.archive_root(closed_year).is_dir()
    with django_capture_on_commit_callbacks(execute=True):
        again = archive.year_archive_start(year=closed_year, actor=chair)
    again.refresh_from_db()
    assert again.status == Job.Status.DONE
    with open(job.output_file.path, "rb") as first, open(again.output_file.path, "rb") as second:
        assert first.read() == second.read()


def test_the_auditor_downloads_the_kept_archive_and_it_verifies(closed_year, auditor, client, english):
    client.force_login(auditor)
    assert client.get("/finance/reports/archive/2027/download/").status_code == 404  # not made yet
    page = client.get("/finance/reports/archive/").content.decode()
    assert "Make the archive" in page and "not made yet" in page
    archive.year_archive_keep(closed_year, archive.year_archive_render(closed_year))
    page = client.get("/finance/reports/archive/").content.decode()
    assert "7 files kept" in page and "Check the hashes" in page
    response = client.get("/finance/reports/archive/2027/download/")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == 'attachment; filename="accounting-archive-2027.zip"'
    content = b"".join(response.streaming_content)
    with zipfile.ZipFile(io.BytesIO(content)) as zipped:
        files = {name: zipped.read(name) for name in zipped.namelist()}
    assert archive.year_archive_verify(files) == [] and len(files) >= 5
    assert b"".join(client.get("/finance/reports/archive/2027/download/").streaming_content) == content


def test_a_member_may_not_see_the_archive(closed_year, member_user, client):
    client.force_login(member_user)
    assert client.get("/finance/reports/archive/").status_code == 403
    assert client.get("/finance/reports/archive/2027/download/").status_code == 403
    assert client.post("/finance/reports/archive/2027/start/").status_code == 403


def test_starting_an_open_year_says_why_not(private, treasurer, auditor, client, english):
    services.year_open(year=2027, actor=treasurer)
    client.force_login(auditor)
    response = client.post("/finance/reports/archive/2027/start/", follow=True)
    assert "not closed yet" in response.content.decode()
    assert not Job.objects.filter(kind=archive.JOB_KIND).exists()
