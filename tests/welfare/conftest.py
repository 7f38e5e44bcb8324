"""Fixtures shared by the welfare tests (care and hardship)."""

import pytest
from django.utils import translation

from core.reminders import COLLECTORS
from tests.conftest import books_opened_unless_marked


@pytest.fixture(autouse=True)
def _books_opened(request):
    books_opened_unless_marked(request)


@pytest.fixture
def english(settings):
    """Pages and messages in English, so assertions do not depend on the zh_Hans catalogue."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def english_messages():
    """Refusal texts raised in the test itself read the English message ids, whatever the zh_Hans catalogue says
    (the translation is overridden; pages rendered through the client follow ``english`` instead)."""
    with translation.override("en"):
        yield


@pytest.fixture
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path


#: The collectors that read the welfare records (the roll-based ones have their own tests).
WELFARE_REMINDERS = ("holiday", "hospital", "care_report", "hardship_review")


@pytest.fixture
def only_welfare_reminders(monkeypatch, settings):
    """Only the welfare collectors run; English texts for the assertions."""
    settings.LANGUAGE_CODE = "en"
    for kind in list(COLLECTORS):
        if kind not in WELFARE_REMINDERS:
            monkeypatch.delitem(COLLECTORS, kind)


@pytest.fixture
def group(group_leader):
    return group_leader.member.union_group
