"""Backups that restore: one dated archive of the database, both media folders and a manifest, and its restore.

An archive is a tar file named ``unionportal-YYYYMMDD-HHMMSS.tar`` (``.tar.enc`` when encrypted) holding:

- ``database.dump`` (``pg_dump`` custom format, taken in the same REPEATABLE READ snapshot as the manifest's
  figures) or ``database.sqlite3`` (SQLite's online backup: a consistent copy);
- ``media/…`` (``MEDIA_ROOT``) and ``private/…`` (``PRIVATE_MEDIA_ROOT``);
- ``manifest.json``: versions, the applied migrations, row counts of every table, the sections other apps register
  here in their ``ready()`` (finance: the trial balance of every year, to the fen) and the SHA-256 of every file.

Encryption (``BACKUP_KEY`` in the environment, 32 bytes in url-safe base64) is AES-256-GCM in 1 MiB chunks, each
chunk's index and a last-chunk flag authenticated with it, so a truncated, reordered or altered archive is refused
and nothing is readable without the key. The restore refuses a database that has tables, or media folders that
hold files, unless told ``force``; after restoring it recomputes the manifest and reports every difference.

The daily run (``core.backup`` in beat, seeded by core 0009) records a ``core.Job`` of kind ``backup``; a failed one
reaches the chair through the reminder engine (``backup_failed`` collector below).
"""

import base64
import datetime
import hashlib
import io
import json
import logging
import os
import platform
import shutil
import sqlite3
import struct
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

import django
from celery import shared_task
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Job
from .reminder_engine import role_user_ids
from .reminders import Reminder, collector

logger = logging.getLogger(__name__)

JOB_KIND = "backup"
FORMAT = 1
MANIFEST = "manifest.json"
MAGIC = b"UPBKENC1"
CHUNK = 1024 * 1024
CHAIR_ROLE = "chair"  # accounts.Role.CHAIR, spelled here because core imports no app


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why in plain words."""


# --- the registry of manifest sections ------------------------------------------------------------------------

_SECTIONS: dict = {}


def register_manifest_section(*, key, build):
    """Register ``build() -> JSON-able value`` under ``key``: recorded at backup, recomputed and compared at restore.
    Values must be exact (money as strings to the fen), since the check is equality."""
    _SECTIONS[key] = build


def manifest_sections():
    return {key: _SECTIONS[key]() for key in sorted(_SECTIONS)}


# --- figures of the live database -------------------------------------------------------------------------------


def _tables():
    names = set()
    for model in apps.get_models(include_auto_created=True):
        if model._meta.managed and not model._meta.proxy:
            names.add(model._meta.db_table)
    existing = set(connection.introspection.table_names())
    return sorted(names & existing)


def row_counts():
    counts = {}
    with connection.cursor() as cursor:
        for table in _tables():
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def applied_migrations():
    recorder = MigrationRecorder(connection)
    if not recorder.has_table():
        return []
    return sorted(f"{app}.{name}" for app, name in recorder.applied_migrations())


def database_figures():
    """What the manifest records about the database and the restore checks again."""
    return {"migrations": applied_migrations(), "row_counts": row_counts(), "sections": manifest_sections()}


def _sha256_file(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def _media_files(root, prefix):
    root = Path(root)
    if not root.is_dir():
        return []
    return sorted((f"{prefix}/{path.relative_to(root).as_posix()}", path)
                  for path in root.rglob("*") if path.is_file())


def media_roots():
    return {"media": Path(settings.MEDIA_ROOT), "private": Path(settings.PRIVATE_MEDIA_ROOT)}


# --- dumping and loading the database ---------------------------------------------------------------------------


def pg_tool(name):
    """``pg_dump``/``pg_restore`` of the server's major version (Debian keeps each under /usr/lib/postgresql/N/bin;
    ``BACKUP_PG_BIN_DIR`` overrides); a newer client can read an older server, an older one cannot."""
    configured = getattr(settings, "BACKUP_PG_BIN_DIR", "")
    if configured:
        return str(Path(configured) / name)
    connection.ensure_connection()
    major = connection.pg_version // 10000
    candidate = Path(f"/usr/lib/postgresql/{major}/bin/{name}")
    if candidate.exists():
        return str(candidate)
    found = shutil.which(name)
    if not found:
        raise BackupError(_("%(tool)s was not found: install the PostgreSQL %(major)s client.")
                          % {"tool": name, "major": major})
    return found


def _pg_env():
    db = settings.DATABASES["default"]
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD"),
                     ("NAME", "PGDATABASE")):
        if db.get(key):
            env[var] = str(db[key])
    return env


def _run(args):
    done = subprocess.run(args, env=_pg_env(), capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(_("%(tool)s failed: %(error)s") % {"tool": Path(args[0]).name,
                                                            "error": done.stderr.strip()[-500:]})


def _dump_database(target):
    """Dump into ``target`` and return the figures of the same moment (one snapshot on PostgreSQL)."""
    if connection.vendor == "postgresql":
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                cursor.execute("SELECT pg_export_snapshot()")
                snapshot = cursor.fetchone()[0]
            _run([pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
                  f"--snapshot={snapshot}", f"--file={target}"])
            return database_figures()
    if connection.vendor == "sqlite":
        # SQLite's online backup is a consistent copy by itself (it waits for no transaction of ours: an open one
        # on the shared in-memory test database makes it spin). SQLite is for development: one writer at a time.
        connection.ensure_connection()
        out = sqlite3.connect(target)
        try:
            connection.connection.backup(out)
        finally:
            out.close()
        return database_figures()
    raise BackupError(_("Backups support PostgreSQL and SQLite only."))


def database_is_empty():
    return not connection.introspection.table_names()


def _load_database(source, *, force):
    if connection.vendor == "postgresql":
        args = [pg_tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error",
                f"--dbname={settings.DATABASES['default']['NAME']}"]
        if force:
            args[1:1] = ["--clean", "--if-exists"]
        connection.close()
        _run([*args, str(source)])
        return
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        src = sqlite3.connect(source)
        try:
            src.backup(connection.connection)
        finally:
            src.close()
        return
    raise BackupError(_("Backups support PostgreSQL and SQLite only."))


# --- encryption ---------------------------------------------------------------------------------------------------


def backup_key():
    """The key from ``BACKUP_KEY`` (url-safe base64 of 32 bytes), or None when backups are not encrypted."""
    raw = getattr(settings, "BACKUP_KEY", "") or ""
    if not raw:
        return None
    return decode_key(raw)


def decode_key(raw):
    try:
        key = base64.urlsafe_b64decode(raw.encode() if isinstance(raw, str) else raw)
    except (ValueError, TypeError):
        key = b""
    if len(key) != 32:
        raise BackupError(_("The backup key must be 32 bytes in url-safe base64 "
                            "(make one with: python -c \"import os, base64; "
                            "print(base64.urlsafe_b64encode(os.urandom(32)).decode())\")."))
    return key


def _nonce(prefix, index):
    return prefix + struct.pack(">I", index)


def encrypt_file(source, target, key):
    aead = AESGCM(key)
    prefix = os.urandom(8)
    with open(source, "rb") as inp, open(target, "wb") as out:
        out.write(MAGIC + prefix)
        index = 0
        block = inp.read(CHUNK)
        while True:
            following = inp.read(CHUNK)
            last = not following
            sealed = aead.encrypt(_nonce(prefix, index), block, struct.pack(">I?", index, last))
            out.write(struct.pack(">I", len(sealed)) + sealed)
            if last:
                return
            block, index = following, index + 1


def decrypt_file(source, target, key):
    aead = AESGCM(key)
    with open(source, "rb") as inp, open(target, "wb") as out:
        head = inp.read(len(MAGIC) + 8)
        if not head.startswith(MAGIC):
            raise BackupError(_("This is not an encrypted backup archive."))
        prefix = head[len(MAGIC):]
        index = 0
        while True:
            size = inp.read(4)
            if len(size) < 4:
                raise BackupError(_("The archive is incomplete (it was cut short)."))
            sealed = inp.read(struct.unpack(">I", size)[0])
            opened = None
            for last in (False, True):
                try:
                    opened = aead.decrypt(_nonce(prefix, index), sealed, struct.pack(">I?", index, last))
                    break
                except InvalidTag:
                    continue
            if opened is None:
                raise BackupError(_("The archive cannot be decrypted: the key is wrong or the archive is damaged."))
            out.write(opened)
            if last:
                if inp.read(1):
                    raise BackupError(_("The archive is damaged: data follows its last part."))
                return
            index += 1


# --- backup ---------------------------------------------------------------------------------------------------------


@dataclass
class BackupResult:
    path: Path
    size: int
    seconds: float
    encrypted: bool


def backup_dir():
    return Path(settings.BACKUP_DIR)


def backup_create(*, directory=None, key=None, now=None):
    """Write one archive into ``directory`` (``BACKUP_DIR``), encrypted with ``key`` (default: ``BACKUP_KEY``)."""
    started = timezone.now()
    now = now or timezone.localtime(started)
    key = backup_key() if key is None else key
    directory = Path(directory or backup_dir())
    directory.mkdir(parents=True, exist_ok=True)
    stem = f"unionportal-{now:%Y%m%d-%H%M%S}"
    with tempfile.TemporaryDirectory(dir=directory, prefix=".partial-") as work:
        work = Path(work)
        db_name = "database.dump" if connection.vendor == "postgresql" else "database.sqlite3"
        figures = _dump_database(work / db_name)
        files = [(db_name, work / db_name)]
        for prefix, root in media_roots().items():
            files.extend(_media_files(root, prefix))
        manifest = {
            "format": FORMAT,
            "created_at": now.isoformat(),
            "database": {"vendor": connection.vendor, "file": db_name},
            "versions": {"python": platform.python_version(), "django": django.get_version(),
                         "server": _server_version()},
            **figures,
            "files": {name: {"sha256": _sha256_file(path), "size": path.stat().st_size} for name, path in files},
        }
        plain = work / f"{stem}.tar"
        with tarfile.open(plain, "w") as tar:
            data = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime = len(data), int(started.timestamp())
            tar.addfile(info, io.BytesIO(data))
            for name, path in files:
                tar.add(path, arcname=name, recursive=False)
        final = directory / (f"{stem}.tar.enc" if key else f"{stem}.tar")
        if key:
            encrypt_file(plain, final, key)
        else:
            plain.replace(final)
    os.chmod(final, 0o600)
    seconds = (timezone.now() - started).total_seconds()
    return BackupResult(final, final.stat().st_size, seconds, bool(key))


def _server_version():
    if connection.vendor == "postgresql":
        return str(connection.pg_version)
    return sqlite3.sqlite_version


# --- retention ------------------------------------------------------------------------------------------------------


def _archive_day(path):
    stem = path.name.split(".")[0]
    try:
        return datetime.datetime.strptime(stem, "unionportal-%Y%m%d-%H%M%S")
    except ValueError:
        return None


def backup_prune(*, directory=None, keep_daily=None, keep_monthly=None):
    """Keep the newest archive of each of the last ``keep_daily`` days that have one and of each of the last
    ``keep_monthly`` months; delete the others. Returns the deleted paths."""
    directory = Path(directory or backup_dir())
    keep_daily = settings.BACKUP_KEEP_DAILY if keep_daily is None else keep_daily
    keep_monthly = settings.BACKUP_KEEP_MONTHLY if keep_monthly is None else keep_monthly
    archives = sorted(((when, path) for path in directory.glob("unionportal-*.tar*")
                       if (when := _archive_day(path))), reverse=True)
    keep, days, months = set(), [], []
    for when, path in archives:
        if when.date() not in days and len(days) < keep_daily:
            days.append(when.date())
            keep.add(path)
        if (when.year, when.month) not in months and len(months) < keep_monthly:
            months.append((when.year, when.month))
            keep.add(path)
    deleted = [path for _when, path in archives if path not in keep]
    for path in deleted:
        path.unlink()
    return deleted


# --- restore ----------------------------------------------------------------------------------------------------------


def _open_archive(archive, key, work):
    archive = Path(archive)
    if not archive.is_file():
        raise BackupError(_("There is no archive at %(path)s.") % {"path": archive})
    with open(archive, "rb") as handle:
        encrypted = handle.read(len(MAGIC)) == MAGIC
    if encrypted:
        if key is None:
            key = backup_key()
        if key is None:
            raise BackupError(_("The archive is encrypted: set BACKUP_KEY to the key it was made with."))
        plain = Path(work) / "archive.tar"
        decrypt_file(archive, plain, key)
        archive = plain
    tar = None
    try:
        tar = tarfile.open(archive, "r:")
        tar.getmembers()
    except (tarfile.TarError, EOFError, OSError) as error:
        if tar is not None:
            tar.close()
        raise BackupError(_("The archive is damaged and cannot be read (%(error)s).") % {"error": error}) from error
    return tar


def archive_verify(archive, *, key=None):
    """Read the archive and check every file against the manifest; returns the manifest or raises BackupError."""
    with tempfile.TemporaryDirectory() as work:
        tar = _open_archive(archive, key, work)
        with tar:
            return _verified_manifest(tar, Path(work) / "x")


def _verified_manifest(tar, extract_to):
    """Check the manifest and every file's hash; extract the files under ``extract_to``."""
    try:
        members = {member.name: member for member in tar.getmembers()}
        if MANIFEST not in members:
            raise BackupError(_("The archive has no manifest: it is not a portal backup or it is damaged."))
        manifest = json.loads(tar.extractfile(members[MANIFEST]).read())
        if manifest.get("format") != FORMAT:
            raise BackupError(_("The archive was written in a format this version cannot read."))
        for name, expected in manifest["files"].items():
            member = members.get(name)
            if member is None or not member.isfile():
                raise BackupError(_("The archive is damaged: %(name)s is missing.") % {"name": name})
            target = extract_to / name
            target.parent.mkdir(parents=True, exist_ok=True)
            digest = hashlib.sha256()
            with tar.extractfile(member) as src, open(target, "wb") as out:
                for block in iter(lambda: src.read(CHUNK), b""):
                    digest.update(block)
                    out.write(block)
            if digest.hexdigest() != expected["sha256"]:
                raise BackupError(_("The archive is damaged: %(name)s does not match its hash in the manifest.")
                                  % {"name": name})
    except (tarfile.TarError, EOFError, OSError, ValueError, KeyError) as error:
        raise BackupError(_("The archive is damaged and cannot be read (%(error)s).") % {"error": error}) from error
    return manifest


def _media_is_empty():
    return not any(_media_files(root, prefix) for prefix, root in media_roots().items())


def manifest_differences(manifest):
    """What differs between the manifest and the database and media folders as they are now (empty when equal)."""
    now = database_figures()
    differences = []
    if now["migrations"] != manifest["migrations"]:
        differences.append(_("The applied migrations differ."))
    for table, count in manifest["row_counts"].items():
        if now["row_counts"].get(table) != count:
            differences.append(_("Table %(table)s has %(now)s rows instead of %(count)s.")
                               % {"table": table, "now": now["row_counts"].get(table), "count": count})
    for key, value in manifest["sections"].items():
        if now["sections"].get(key) != value:
            differences.append(_("%(section)s differs from the archive.") % {"section": key})
    roots = media_roots()
    for name, expected in manifest["files"].items():
        prefix, _sep, rest = name.partition("/")
        if prefix not in roots:
            continue
        path = roots[prefix] / rest
        if not path.is_file() or _sha256_file(path) != expected["sha256"]:
            differences.append(_("The file %(name)s differs from the archive.") % {"name": name})
    return differences


def backup_restore(archive, *, key=None, force=False):
    """Restore ``archive`` into the database and media folders, then check them against its manifest.

    Refuses a database with tables or media folders with files unless ``force``. Returns the manifest; raises
    BackupError when the archive is refused or the restored copy does not match it."""
    if not force and not (database_is_empty() and _media_is_empty()):
        raise BackupError(_("The database or the media folders are not empty: restoring would overwrite a live "
                            "portal. Restore into an empty database, or pass --force if that is what you mean."))
    with tempfile.TemporaryDirectory() as work:
        tar = _open_archive(archive, key, work)
        extracted = Path(work) / "files"
        with tar:
            manifest = _verified_manifest(tar, extracted)
        if manifest["database"]["vendor"] != connection.vendor:
            raise BackupError(_("The archive holds a %(vendor)s database; this portal runs on %(here)s.")
                              % {"vendor": manifest["database"]["vendor"], "here": connection.vendor})
        _load_database(extracted / manifest["database"]["file"], force=force)
        for prefix, root in media_roots().items():
            source = extracted / prefix
            if force and root.is_dir():
                shutil.rmtree(root)
            root.mkdir(parents=True, exist_ok=True)
            if source.is_dir():
                shutil.copytree(source, root, dirs_exist_ok=True)
    differences = manifest_differences(manifest)
    if differences:
        raise BackupError(_("The restored copy does not match the archive: %(differences)s")
                          % {"differences": " ".join(differences)})
    return manifest


# --- the scheduled run and its reminder -------------------------------------------------------------------------


def backup_run():
    """The scheduled backup: write an archive, prune old ones, record the outcome as a core.Job."""
    job = Job.objects.create(kind=JOB_KIND, status=Job.Status.RUNNING, started_at=timezone.now())
    try:
        result = backup_create()
        deleted = backup_prune()
    except Exception as error:
        logger.exception("backup failed")
        job.status, job.finished_at = Job.Status.FAILED, timezone.now()
        job.message = str(error)[:2000]
        job.save(update_fields=["status", "finished_at", "message"])
        return job
    job.status, job.finished_at = Job.Status.DONE, timezone.now()
    job.result = {"archive": result.path.name, "size": result.size, "seconds": round(result.seconds, 1),
                  "encrypted": result.encrypted, "pruned": [path.name for path in deleted]}
    job.message = result.path.name
    job.save(update_fields=["status", "finished_at", "result", "message"])
    return job


@shared_task(name="core.backup")
def backup_task():
    job = backup_run()
    return job.status


@collector("backup_failed")
def backup_failed(*, since, today, config):
    """Each failed backup of the days covered, to the chair (who must make sure someone fixes it)."""
    failed = list(Job.objects.filter(kind=JOB_KIND, status=Job.Status.FAILED,
                                     created_at__date__gt=since, created_at__date__lte=today)
                  .order_by("pk").values_list("pk", "created_at", "message"))
    if not failed:
        return
    recipients = role_user_ids(CHAIR_ROLE)
    url = reverse("admin:core_job_changelist") + f"?kind={JOB_KIND}"
    for pk, created_at, message in failed:
        day = timezone.localdate(created_at)
        for recipient in recipients:
            yield Reminder(recipient_id=recipient, key=f"backup-failed:job:{pk}", kind="backup_failed",
                           title=_("The backup of %(date)s failed") % {"date": day.isoformat()},
                           body=_("The portal's backup did not complete: %(message)s. Until it works again, "
                                  "a lost disk loses the data. Ask the administrator to look at it.")
                           % {"message": message or "—"},
                           remind_on=day, url=url)
