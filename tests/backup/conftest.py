"""Fixtures for the backup tests: media folders and the archive folder in tmp, and a small union with books.

The small union (a member, an uploaded file in each media folder, a posted and reviewed voucher in an opened
year) stands in for the demo union so the round trip runs in seconds; the demo union's figures are in README."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.utils import translation

from finance.books import services
from tests.factories import MemberFactory
from tests.finance.books.helpers import posted
from tests.finance.conftest import _books_guard_stands_aside_for_the_flush  # noqa: F401  (transactional tests)


@pytest.fixture
def folders(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.BACKUP_DIR = tmp_path / "backups"
    settings.BACKUP_KEY = ""
    return tmp_path


@pytest.fixture
def small_union(folders, treasurer, chair):
    member = MemberFactory(name="归档测试员")
    FileSystemStorage(location=folders / "media").save("photos/a.txt", ContentFile(b"public file"))
    FileSystemStorage(location=folders / "private").save("hardship/b.txt", ContentFile("困难材料".encode()))
    services.year_open(year=2027, actor=treasurer)
    voucher = posted(treasurer, date=datetime.date(2027, 3, 5), amount="123.45")
    services.voucher_review(voucher=voucher, actor=chair)
    return member


@pytest.fixture(autouse=True)
def _english():
    """Assertions read the English message ids (the zh_Hans catalogue translates them all)."""
    with translation.override("en"):
        yield
