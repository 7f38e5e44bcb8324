"""Closing a fiscal year makes its archive: a background job started by the close of its last period, rendered in
the union's language whoever starts it, so every run gives the same hashes."""

import datetime
import hashlib
import json

import pytest
from django.utils import translation

from core.models import Job
from finance.books import services
from finance.models import Period
from finance.reports import archive
from tests.finance.books.helpers import posted

pytestmark = [pytest.mark.django_db, pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")]


@pytest.fixture
def year_to_close(private, treasurer, chair):
    services.year_open(year=2027, actor=treasurer)
    services.voucher_review(voucher=posted(treasurer, date=datetime.date(2027, 4, 1), amount="56.78"), actor=chair)
    for period in Period.objects.filter(fiscal_year__year=2027, month__lt=12):
        services.period_close(period=period, actor=treasurer)
    return Period.objects.get(fiscal_year__year=2027, month=12)


def test_it_makes_the_archive_when_the_last_period_closes(year_to_close, treasurer, settings,
                                                           django_capture_on_commit_callbacks):
    assert not Job.objects.filter(kind=archive.JOB_KIND).exists()  # eleven months closed: the year is still open
    with translation.override("zh-hans"), django_capture_on_commit_callbacks(execute=True):
        services.period_close(period=year_to_close, actor=treasurer)
    job = Job.objects.get(kind=archive.JOB_KIND)
    assert job.status == Job.Status.DONE, job.message
    assert job.created_by == treasurer and job.params["year"] == 2027
    assert job.params["language"] == settings.LANGUAGE_CODE
    assert job.progress_done == job.progress_total
    kept = archive.kept_files(2027)
    assert kept is not None and archive.year_archive_verify(kept) == []


def test_a_remake_by_someone_else_in_another_language_gives_the_same_hashes(
        year_to_close, treasurer, auditor, django_capture_on_commit_callbacks):
    with translation.override("zh-hans"), django_capture_on_commit_callbacks(execute=True):
        services.period_close(period=year_to_close, actor=treasurer)
    kept = json.loads(archive.kept_files(2027)[archive.MANIFEST])
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        again = archive.year_archive_start(year=2027, actor=auditor)
    again.refresh_from_db()
    assert again.status == Job.Status.DONE, again.message  # not "differs from the kept archive"
    with translation.override("en"):
        remade = archive.year_archive_render(2027)
    assert json.loads(remade[archive.MANIFEST]) == kept
    assert {name: entry["sha256"] for name, entry in kept["files"].items()} == {
        name: entry["sha256"] for name, entry in json.loads(remade[archive.MANIFEST])["files"].items()}


def test_a_year_reopened_and_closed_again_gets_a_second_edition_and_keeps_the_first(
        year_to_close, treasurer, chair, auditor, client, english, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.period_close(period=year_to_close, actor=treasurer)
    first = archive.kept_files(2027)
    december = services.period_reopen(period=year_to_close, reason="补记一笔银行利息", actor=chair)
    services.voucher_review(voucher=posted(treasurer, date=datetime.date(2027, 12, 20), amount="12.34"), actor=chair)
    with django_capture_on_commit_callbacks(execute=True):
        services.period_close(period=december, actor=treasurer)
    job = Job.objects.filter(kind=archive.JOB_KIND).order_by("-pk").first()
    assert job.status == Job.Status.DONE, job.message
    assert [number for number, _folder in archive.editions(2027)] == [1, 2]
    assert archive.kept_files(2027, 1) == first  # the first edition is kept as it was
    second = archive.kept_files(2027)
    manifest = json.loads(second[archive.MANIFEST])
    assert manifest["edition"] == 2 and manifest["replaces"]["edition"] == 1
    assert manifest["replaces"]["manifest_sha256"] == hashlib.sha256(first[archive.MANIFEST]).hexdigest()
    assert manifest["replaces"]["reopened_because"] == ["补记一笔银行利息"]
    assert archive.year_archive_check(second) == {}
    # Made again: the same second edition, byte for byte (no third).
    with django_capture_on_commit_callbacks(execute=True):
        archive.year_archive_start(year=2027, actor=treasurer)
    again = Job.objects.filter(kind=archive.JOB_KIND).order_by("-pk").first()
    assert again.status == Job.Status.DONE, again.message
    assert archive.kept_files(2027) == second and len(archive.editions(2027)) == 2
    # The auditor sees both and downloads either.
    client.force_login(auditor)
    page = client.get("/finance/reports/archive/").content.decode()
    assert "Edition 2: the year was reopened and closed again" in page and "补记一笔银行利息" in page
    assert "?edition=1" in page
    old = client.get("/finance/reports/archive/2027/download/?edition=1")
    assert old.status_code == 200 and 'accounting-archive-2027.zip' in old["Content-Disposition"]
    new = client.get("/finance/reports/archive/2027/download/")
    assert 'accounting-archive-2027-2.zip' in new["Content-Disposition"]
