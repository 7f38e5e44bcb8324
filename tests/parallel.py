"""The suite in parallel (pytest-xdist, `make test` runs `-n <workers> --dist loadgroup`): what each worker gets of
its own, and which tests have to share a worker. Hooks and fixtures are imported into tests/conftest.py.

Each xdist worker has
- its own PostgreSQL test database (pytest-django names it test_<name>_gw0, _gw1 …), cloned from one template that
  is migrated once for the whole run (``django_db_setup`` below) instead of migrating from scratch per worker;
- its own Redis databases (the cache, which every test flushes, and the Celery broker: see ``redis_db_pair``);
- its own var directory (media, private files, backups) under the run's one;
- its own live server and Chromium (pytest-django's live_server binds a free port; tests/browser/conftest.py).

The tests that use the Celery worker (tests/integration) run on one xdist worker, which starts it once.
Nothing here is on when the suite runs in one process.
"""

import fcntl
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parents[1]


def worker_index():
    """0, 1, 2 … in an xdist worker (gw0, gw1 …); None in a serial run."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    return int(worker[2:]) if worker.startswith("gw") and worker[2:].isdigit() else None


def _with_redis_db(url, db):
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{db}"))


def redis_db_pair(index):
    """The cache's and the Celery broker's Redis database numbers for worker `index` (None: a serial run).

    Two apart, because every test flushes the cache (tests/conftest.py _fresh_cache): a shared Celery worker's
    queue must not live in the database that is flushed under it."""
    index = index or 0
    return 2 * index, 2 * index + 1


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_setupnodes(config, specs):
    """Runs in the controller before the workers start: give each its own Redis databases and var directory.

    The settings read both from the environment at import, which in a worker happens before any conftest."""
    var_dir = Path(os.environ.get("UNIONPORTAL_VAR_DIR") or ROOT / "var")
    for index, spec in enumerate(specs):
        if os.environ.get("REDIS_URL"):
            cache_db, broker_db = redis_db_pair(index)
            spec.env["REDIS_URL"] = _with_redis_db(os.environ["REDIS_URL"], cache_db)
            spec.env["CELERY_BROKER_URL"] = _with_redis_db(os.environ["REDIS_URL"], broker_db)
        worker_var = var_dir / "xdist" / f"gw{index}"
        worker_var.mkdir(parents=True, exist_ok=True)
        spec.env["UNIONPORTAL_VAR_DIR"] = str(worker_var)


#: Tests that ask for one of these fixtures run on one worker, which starts the fixture's process once.
SHARED_PROCESS_FIXTURES = {"celery_worker_process": "celery-worker"}


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Send the tests that share a worker process (tests/integration's Celery worker) to one xdist worker.

    Everything else is spread test by test: a package's or module's fixture (the walk's demo union) is then built
    once by each worker that runs tests of it, which costs less than running all of them one after the other."""
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        for fixture, group in SHARED_PROCESS_FIXTURES.items():
            if fixture in names and not item.get_closest_marker("xdist_group"):
                item.add_marker(pytest.mark.xdist_group(group))


# ---------------------------------------------------------------------------------------------------------------
# One migrated template database per run, cloned by each worker
# ---------------------------------------------------------------------------------------------------------------


def _run_dir():
    """A directory all workers of this run share (the controller's run id names it)."""
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID", "serial")
    path = Path(tempfile.gettempdir()) / f"unionportal-xdist-{run}"
    path.mkdir(exist_ok=True)
    return path


def _admin_cursor(connection):
    """A cursor on the server's maintenance database (CREATE/DROP DATABASE cannot run in the test database)."""
    return connection._nodb_cursor()


def _database_exists(connection, name):
    with _admin_cursor(connection) as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return cursor.fetchone() is not None


def _migrate_template(connection, template):
    """Create `template` and run the migrations on it in a process of its own (nothing stays connected to it)."""
    from django.conf import settings

    db = settings.DATABASES["default"]
    quote = connection.ops.quote_name
    with _admin_cursor(connection) as cursor:
        cursor.execute(f"CREATE DATABASE {quote(template)}")
    url = (f"postgres://{db['USER']}:{db.get('PASSWORD') or ''}@{db['HOST'] or '127.0.0.1'}:{db['PORT']}/"
           f"{template}")
    env = {**os.environ, "DATABASE_URL": url, "UNIONPORTAL_ENV": "test"}
    started = time.monotonic()
    done = subprocess.run([sys.executable, "manage.py", "migrate", "--run-syncdb", "--no-input", "-v", "0"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=900)
    if done.returncode != 0:
        with _admin_cursor(connection) as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {quote(template)} WITH (FORCE)")
        pytest.fail(f"migrating the template test database failed:\n{done.stdout}\n{done.stderr}")
    (_run_dir() / "template.seconds").write_text(f"{time.monotonic() - started:.1f}\n")


def _clone_from_template(connection):
    """The worker's test database as a copy of the run's migrated template, made on first use by whichever worker
    gets there first (a file lock orders them). Returns the test database's name."""
    test_name = connection.creation._get_test_db_name()
    template = f"{test_name.rsplit('_gw', 1)[0]}_template"
    quote = connection.ops.quote_name
    with open(_run_dir() / "template.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if not _database_exists(connection, template):
                _migrate_template(connection, template)
            with _admin_cursor(connection) as cursor:
                cursor.execute(f"DROP DATABASE IF EXISTS {quote(test_name)} WITH (FORCE)")
                cursor.execute(f"CREATE DATABASE {quote(test_name)} TEMPLATE {quote(template)}")
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return test_name


def _drop_databases(connection, names):
    from django.db import connections

    connections.close_all()
    quote = connection.ops.quote_name
    with _admin_cursor(connection) as cursor:
        for name in names:
            cursor.execute(f"DROP DATABASE IF EXISTS {quote(name)} WITH (FORCE)")


@pytest.fixture(scope="session")
def _cloned_test_database(request, django_db_modify_db_settings, django_db_blocker):
    """True when this worker's test database was cloned from the template (PostgreSQL under xdist), so
    pytest-django keeps it instead of creating it again; dropped at the end of the session."""
    from django.db import connection

    if (worker_index() is None or connection.vendor != "postgresql" or request.config.getvalue("reuse_db")
            or request.config.getvalue("nomigrations")):
        yield False
        return
    with django_db_blocker.unblock():
        test_name = _clone_from_template(connection)
    yield True
    with django_db_blocker.unblock():
        _drop_databases(connection, [test_name])
        # The last worker out drops the template (a worker that is still running keeps its own clone).
        template = f"{test_name.rsplit('_gw', 1)[0]}_template"
        with open(_run_dir() / "template.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            with _admin_cursor(connection) as cursor:
                cursor.execute("SELECT count(*) FROM pg_database WHERE datname LIKE %s",
                               [f"{template[:-len('_template')]}_gw%"])
                left = cursor.fetchone()[0]
            if not left:
                _drop_databases(connection, [template])
                shutil.rmtree(_run_dir(), ignore_errors=True)
            fcntl.flock(lock, fcntl.LOCK_UN)


@pytest.fixture(scope="session")
def django_db_keepdb(request, _cloned_test_database):
    """pytest-django's, and also keep (do not re-create) a database cloned from the template."""
    return bool(request.config.getvalue("reuse_db")) or _cloned_test_database
