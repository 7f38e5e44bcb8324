"""The auditor checks an archive: the kept one on the page or with the command, or a copy downloaded earlier; each
file that differs from the manifest or is not PDF/A is named. The overview reads manifests and re-hashes nothing."""

import hashlib
import io
import json
import zipfile

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core import pdf
from core.models import Job
from finance.books import services
from finance.reports import archive
from tests.finance.archive.conftest import close_year

pytestmark = [pytest.mark.django_db, pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")]


@pytest.fixture
def kept(closed_year):
    archive.year_archive_keep(closed_year, archive.year_archive_render(closed_year))
    return archive.kept_files(closed_year)


def _zip(files):
    return io.BytesIO(archive.archive_zip(files))


def _with_manifest_of(files):
    """The files with a manifest whose hashes match them (a forger's copy: only the PDF/A check can catch it)."""
    manifest = json.loads(files[archive.MANIFEST])
    manifest["files"] = {name: {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
                         for name, data in files.items() if name != archive.MANIFEST}
    return {**files, archive.MANIFEST: json.dumps(manifest).encode()}


def test_the_kept_archive_verifies_on_the_page_and_with_the_command(kept, auditor, client, english, capsys):
    client.force_login(auditor)
    page = client.post("/finance/reports/archive/2027/check/").content.decode()
    assert "Every file matches its SHA-256 in the manifest and every PDF is PDF/A-3b." in page
    assert page.count(">matches<") == len(kept) - 1
    call_command("verify_year_archive", year=2027)
    assert "The archive verifies: 8 files" in capsys.readouterr().out


def test_a_changed_copy_is_named_on_the_page_and_by_the_command(kept, auditor, client, english, tmp_path, capsys):
    ordinary = pdf.render_pdf("pdf/base.html", {"title": "x"}, filename="x.pdf")[2]
    copy = {**kept, "04-trial-balance.pdf": kept["04-trial-balance.pdf"] + b"\n", "extra.txt": b"?"}
    del copy["01-vouchers.pdf"]
    client.force_login(auditor)
    upload = _zip(copy)
    upload.name = "accounting-archive-2027.zip"
    page = client.post("/finance/reports/archive/check/", {"copy": upload}).content.decode()
    assert "The archive does not verify" in page
    assert "Its SHA-256 differs from the manifest: the file was changed." in page
    assert "Missing from the archive." in page and "Not listed in the manifest." in page
    assert page.count(">matches<") == len(kept) - 3
    forged = _with_manifest_of({**kept, "05-income-statement.pdf": ordinary})
    (tmp_path / "forged.zip").write_bytes(archive.archive_zip(forged))
    with pytest.raises(SystemExit) as exit_status:
        call_command("verify_year_archive", str(tmp_path / "forged.zip"))
    assert exit_status.value.code == 1
    out = capsys.readouterr().out
    assert "DIFFERS  05-income-statement.pdf: The XMP metadata does not declare PDF/A" in out
    assert "ok       04-trial-balance.pdf" in out


def test_what_is_not_an_archive_zip_is_refused(kept, auditor, client, english):
    client.force_login(auditor)
    upload = io.BytesIO(b"PK not really")
    upload.name = "x.zip"
    response = client.post("/finance/reports/archive/check/", {"copy": upload})
    assert response.status_code == 400 and "The file is not a zip of the archive." in response.content.decode()
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr("big.pdf", b"0" * (2 * 2**20))
    bomb.seek(0)
    with pytest.raises(archive.ValidationError, match="more than 1 MB"):
        archive.files_from_zip(bomb, limit=2**20)
    assert archive.year_archive_check({"a.pdf": b"x"}) == {"manifest.json": ["manifest.json is missing or cannot "
                                                                            "be read."]}


def test_the_overview_reads_manifests_and_its_queries_do_not_grow_with_the_years(
        kept, auditor, treasurer, client, english, monkeypatch):
    client.force_login(auditor)
    monkeypatch.setattr(archive, "kept_files", lambda year: pytest.fail("the overview read every file"))
    monkeypatch.setattr(archive, "year_archive_check", lambda files: pytest.fail("the overview re-hashed"))
    monkeypatch.setattr(archive, "year_archive_verify", lambda files: pytest.fail("the overview re-hashed"))
    client.get("/finance/reports/archive/")  # the session's first request writes more than the page reads
    with CaptureQueriesContext(connection) as one_year:
        assert client.get("/finance/reports/archive/").status_code == 200
    for year in (2028, 2029):
        services.year_open(year=year, actor=treasurer)
    close_year(2028, treasurer)  # no archive job here: the test does not run on-commit callbacks
    with CaptureQueriesContext(connection) as three_years:
        page = client.get("/finance/reports/archive/").content.decode()
    assert len(three_years) == len(one_year), "\n".join(q["sql"][:150] for q in three_years.captured_queries)
    assert "not made yet" in page and "7 files kept" in page


def test_a_job_never_keeps_an_archive_that_is_not_pdf_a(closed_year, chair, monkeypatch, english,
                                                        django_capture_on_commit_callbacks):
    monkeypatch.setattr(archive, "pdfa_problems", lambda data: ["The PDF is encrypted; PDF/A forbids encryption."])
    with django_capture_on_commit_callbacks(execute=True):
        job = archive.year_archive_start(year=closed_year, actor=chair)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and "01-vouchers.pdf: The PDF is encrypted" in job.message
    assert archive.kept_files(closed_year) is None
