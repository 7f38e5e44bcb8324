"""Chinese first: the zh_Hans catalogue is complete, current and free of fuzzy guesses."""

import shutil
import subprocess
import sys
from pathlib import Path

from django.utils import translation

from core.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
SOURCE_DIRS = ["unionportal", "core", "accounts", "members", "activities", "welfare", "finance", "voice", "elections",
               "templates"]


def _catalogue():
    return [entry for entry in read_po(CATALOGUE) if entry.msgid]


def test_it_has_a_translation_for_every_entry():
    missing = [entry.msgid for entry in _catalogue() if not entry.translated]
    assert missing == [], f"{len(missing)} untranslated: {missing[:20]}"


def test_it_has_no_fuzzy_entries():
    fuzzy = [entry.msgid for entry in _catalogue() if "fuzzy" in entry.flags]
    assert fuzzy == []


def test_it_covers_every_string_in_the_source(tmp_path):
    """makemessages over a copy of the tree finds no msgid the committed catalogue lacks."""
    for name in SOURCE_DIRS:
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    shutil.copy(ROOT / "manage.py", tmp_path / "manage.py")
    (tmp_path / "locale").mkdir()
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "zh_Hans", "--no-obsolete", "--no-location"],
        cwd=tmp_path, capture_output=True, text=True,
        env={"PATH": "/usr/bin:/bin", "UNIONPORTAL_ENV": "test", "UNIONPORTAL_VAR_DIR": str(tmp_path / "var"),
             "DJANGO_SETTINGS_MODULE": "unionportal.settings"},
    )
    assert result.returncode == 0, result.stderr
    fresh = {entry.key for entry in read_po(tmp_path / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po") if entry.msgid}
    committed = {entry.key for entry in _catalogue()}
    assert sorted(fresh - committed, key=str) == []


def test_it_speaks_chinese_by_default(client, db):
    response = client.get("/accounts/login/")
    assert response.headers["Content-Language"] == "zh-hans"
    assert "登录" in response.content.decode()


def test_it_switches_to_english(client, db):
    with translation.override("en"):
        response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Log in" in response.content.decode()
