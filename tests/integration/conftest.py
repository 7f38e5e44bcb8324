"""A real Celery worker on the real Redis, working on the test database.

`make test` provides PostgreSQL and Redis (DATABASE_URL, REDIS_URL). The worker is a separate
process, so tests here use committed data (transactional_db) and poll for the outcome.
"""

import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

from tests.conftest import books_opened_unless_marked

ROOT = Path(__file__).resolve().parents[2]


def _database_url():
    config = connection.settings_dict
    if config["ENGINE"] != "django.db.backends.postgresql":
        pytest.fail("Integration tests need PostgreSQL: run them with `make test` (it sets DATABASE_URL).")
    return (f"postgres://{quote(config['USER'])}:{quote(config['PASSWORD'])}@{config['HOST']}:{config['PORT']}/"
            f"{config['NAME']}")


@pytest.fixture
def celery_app(settings):
    from unionportal.celery import app

    if not os.environ.get("REDIS_URL"):
        pytest.fail("Integration tests need Redis: run them with `make test` (it sets REDIS_URL).")
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.task_always_eager = False
    yield app
    app.conf.task_always_eager = True


@pytest.fixture
def celery_worker_process(celery_app, transactional_db, tmp_path):
    """Start `celery worker` against the test database; stop it afterwards."""
    from django.conf import settings

    env = {**os.environ, "DATABASE_URL": _database_url(), "CELERY_TASK_ALWAYS_EAGER": "false",
           "UNIONPORTAL_VAR_DIR": str(tmp_path / "var"), "MEDIA_ROOT": str(settings.MEDIA_ROOT)}
    queue = f"test-{os.getpid()}-{time.monotonic_ns()}"
    celery_app.conf.task_default_queue = queue
    log = open(tmp_path / "worker.log", "w+")
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "unionportal", "worker", "-P", "solo", "-Q", queue,
         "--without-heartbeat", "--without-mingle", "--without-gossip", "-l", "info"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            log.seek(0)
            if "ready." in log.read():
                break
            if process.poll() is not None:
                log.seek(0)
                pytest.fail(f"Celery worker exited at start:\n{log.read()}")
            time.sleep(0.2)
        else:
            log.seek(0)
            pytest.fail(f"Celery worker did not become ready:\n{log.read()}")
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
        celery_app.conf.task_default_queue = "celery"
        log.seek(0)
        print(log.read()[-4000:])
        log.close()


def wait_for(predicate, *, timeout=60, interval=0.2, message="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    pytest.fail(f"Timed out after {timeout}s waiting for {message}")


@pytest.fixture(autouse=True)
def _books_opened(request):
    """Fiscal years are opened on purpose (finance.books.services.year_open); these tests post into 2020-2035."""
    books_opened_unless_marked(request)
