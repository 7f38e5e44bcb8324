"""The real round trip on PostgreSQL (make test): backup → restore into a fresh database by `manage.py restore` in a
process of its own → the manifest check passes there (migrations, row counts, trial balances, file hashes)."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from core import backup

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def fresh_database():
    if connection.vendor != "postgresql":
        pytest.skip("the PostgreSQL round trip runs under make test")
    name = f"restore_{uuid.uuid4().hex[:10]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield name
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _restore(archive, database, folders, *extra):
    db = settings.DATABASES["default"]
    url = f"postgres://{db['USER']}:{db.get('PASSWORD') or ''}@{db['HOST'] or '127.0.0.1'}:{db['PORT']}/{database}"
    env = {**os.environ, "DATABASE_URL": url, "UNIONPORTAL_ENV": "test",
           "MEDIA_ROOT": str(folders / "restored-media"), "PRIVATE_MEDIA_ROOT": str(folders / "restored-private")}
    return subprocess.run([sys.executable, "manage.py", "restore", str(archive), *extra], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)


def test_backup_restores_into_a_fresh_postgresql_and_the_manifest_check_passes(small_union, folders, fresh_database):
    result = backup.backup_create()
    done = _restore(result.path, fresh_database, folders)
    assert done.returncode == 0, done.stderr
    assert "restored and checked" in done.stdout
    assert (folders / "restored-private/hardship/b.txt").read_text() == "困难材料"
    # the restored database is now live: a second restore is refused without --force, and passes with it
    again = _restore(result.path, fresh_database, folders)
    assert again.returncode != 0 and "--force" in again.stderr  # the command speaks Chinese first
    forced = _restore(result.path, fresh_database, folders, "--force")
    assert forced.returncode == 0, forced.stderr
