"""core.backup: the archive, its manifest, restore checks, corruption, encryption, retention, schedule, reminder."""

import base64
import datetime
import json
import os
import tarfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from django.utils.translation import gettext as _
from django_celery_beat.models import PeriodicTask

from core import backup, reminder_engine
from core.backup import BackupError
from core.models import Job
from members.models import Member

KEY = base64.urlsafe_b64encode(bytes(range(32))).decode()


def _manifest(path):
    with tarfile.open(path) as tar:
        return json.loads(tar.extractfile("manifest.json").read())


@pytest.mark.django_db(transaction=True)
def test_archive_holds_database_media_and_a_manifest_of_the_books(small_union, folders):
    result = backup.backup_create()
    assert result.path.parent == folders / "backups"
    assert result.path.name.startswith("unionportal-") and result.path.name.endswith(".tar")
    manifest = _manifest(result.path)
    assert {"media/photos/a.txt", "private/hardship/b.txt", manifest["database"]["file"]} <= set(manifest["files"])
    assert manifest["row_counts"]["members_member"] == Member.objects.count() >= 1
    assert "finance.0009_fiscal_year_opened" in manifest["migrations"]
    year = manifest["sections"]["finance.trial_balances"]["2027"]
    assert year["accounts"]["102"][2] == "123.45"  # debit movement of the bank account, to the fen
    assert year["totals"][2] == year["totals"][3] == "123.45"
    assert backup.archive_verify(result.path)["files"] == manifest["files"]


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_live_database_then_force_brings_the_data_back(small_union, folders):
    archive = backup.backup_create().path
    with pytest.raises(BackupError, match="not empty"):
        backup.backup_restore(archive)
    Member.objects.all().delete()
    (folders / "private/hardship/b.txt").unlink()
    (folders / "media/stray.txt").write_text("added after the backup")
    backup.backup_restore(archive, force=True)
    assert Member.objects.filter(name="归档测试员").exists()
    assert (folders / "private/hardship/b.txt").read_text() == "困难材料"
    assert not (folders / "media/stray.txt").exists()
    assert backup.manifest_differences(_manifest(archive)) == []


@pytest.mark.django_db(transaction=True)
def test_the_check_after_restore_finds_a_difference(small_union):
    manifest = _manifest(backup.backup_create().path)
    manifest["row_counts"]["members_member"] += 1
    manifest["sections"]["finance.trial_balances"]["2027"]["totals"][2] = "123.44"
    differences = backup.manifest_differences(manifest)
    assert any("members_member" in text for text in differences)
    assert any("finance.trial_balances" in text for text in differences)


@pytest.mark.django_db(transaction=True)
def test_a_corrupted_archive_is_refused_with_a_clear_message(small_union):
    archive = backup.backup_create().path
    data = bytearray(archive.read_bytes())
    start = data.find(b"public file")
    data[start:start + 6] = b"PUBLIC"
    archive.write_bytes(bytes(data))
    with pytest.raises(BackupError, match="media/photos/a.txt does not match its hash"):
        backup.archive_verify(archive)
    archive.write_bytes(bytes(data[:len(data) // 3]))
    with pytest.raises(BackupError, match="damaged"):
        backup.archive_verify(archive)
    with pytest.raises(CommandError, match="damaged"):
        call_command("restore", str(archive), "--force")


@pytest.mark.django_db(transaction=True)
def test_an_encrypted_archive_cannot_be_read_without_its_key(small_union, settings):
    settings.BACKUP_KEY = KEY
    archive = backup.backup_create().path
    assert archive.name.endswith(".tar.enc")
    raw = archive.read_bytes()
    assert "困难材料".encode() not in raw and b"manifest" not in raw
    with pytest.raises(tarfile.TarError):
        tarfile.open(archive)
    settings.BACKUP_KEY = ""
    with pytest.raises(BackupError, match="encrypted: set BACKUP_KEY"):
        backup.archive_verify(archive)
    settings.BACKUP_KEY = base64.urlsafe_b64encode(b"x" * 32).decode()
    with pytest.raises(BackupError, match="key is wrong"):
        backup.archive_verify(archive)
    settings.BACKUP_KEY = KEY
    assert backup.archive_verify(archive)["row_counts"]["members_member"] == Member.objects.count()
    archive.write_bytes(raw[:-10])  # cut short: its last part no longer authenticates
    with pytest.raises(BackupError):
        backup.archive_verify(archive)


def test_the_key_must_be_32_bytes():
    with pytest.raises(BackupError, match="32 bytes"):
        backup.decode_key("short")


def test_retention_keeps_the_newest_of_n_days_and_m_months(tmp_path):
    names = []
    for day in [datetime.datetime(2026, 10, 3, 2), datetime.datetime(2026, 11, 20, 2),
                datetime.datetime(2026, 11, 30, 2), datetime.datetime(2026, 12, 1, 2),
                datetime.datetime(2026, 12, 2, 2), datetime.datetime(2026, 12, 2, 14),
                datetime.datetime(2026, 12, 3, 2)]:
        name = f"unionportal-{day:%Y%m%d-%H%M%S}.tar"
        (tmp_path / name).write_bytes(b"x")
        names.append(name)
    (tmp_path / "notes.txt").write_text("not an archive")
    deleted = backup.backup_prune(directory=tmp_path, keep_daily=2, keep_monthly=2)
    kept = sorted(path.name for path in tmp_path.glob("unionportal-*"))
    # days: 12-03, 12-02 (its later run); months: 12 (12-03), 11 (11-30)
    assert kept == ["unionportal-20261130-020000.tar", "unionportal-20261202-140000.tar",
                    "unionportal-20261203-020000.tar"]
    assert len(deleted) == 4 and (tmp_path / "notes.txt").exists()


def test_the_daily_backup_is_a_beat_schedule_editable_in_the_admin(db):
    task = PeriodicTask.objects.get(task="core.backup")
    assert task.enabled and task.crontab.hour == "2"


@pytest.mark.django_db(transaction=True)
def test_a_failed_backup_reaches_the_chair(small_union, chair, treasurer, monkeypatch):
    def broken():
        raise BackupError("pg_dump failed: disk full")

    monkeypatch.setattr(backup, "backup_create", broken)
    job = backup.backup_run()
    assert job.status == Job.Status.FAILED and "disk full" in job.message
    today = datetime.date.today()
    reminders, failed_kinds = reminder_engine.collect(since=today - datetime.timedelta(days=1), today=today)
    found = [r for r in reminders if r.kind == "backup_failed"]
    assert "backup_failed" not in failed_kinds
    assert [r.recipient_id for r in found] == [chair.pk]
    assert "disk full" in found[0].body and found[0].key == f"backup-failed:job:{job.pk}"


@pytest.mark.django_db(transaction=True)
def test_the_daily_run_records_its_archive(small_union, folders):
    job = backup.backup_run()
    assert job.status == Job.Status.DONE
    assert (folders / "backups" / job.result["archive"]).is_file()
    assert os.stat(folders / "backups" / job.result["archive"]).st_mode & 0o077 == 0


def test_messages_are_in_chinese_first():
    with translation.override("zh-hans"):
        assert "已损坏" in backup.BackupError(_("The archive is damaged: data follows its last part.")).args[0]
