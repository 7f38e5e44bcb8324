"""Fixtures shared by the welfare tests (care and hardship)."""

import pytest


@pytest.fixture
def english(settings):
    """Pages and messages in English, so assertions do not depend on the zh_Hans catalogue."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path
