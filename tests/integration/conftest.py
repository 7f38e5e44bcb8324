"""A real Celery worker on the real Redis, working on the test database.

`make test` provides PostgreSQL and Redis (DATABASE_URL, REDIS_URL). The worker is a separate
process, so tests here use committed data (transactional_db) and poll for the outcome.
"""

import os
import re
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
    if app.conf.broker_url == os.environ["REDIS_URL"]:
        pytest.fail("The Celery broker must not be the cache's Redis database, which every test flushes: set "
                    "CELERY_BROKER_URL to another one (make test does).")
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.task_always_eager = False
    yield app
    app.conf.task_always_eager = True


#: Environment entries that change from test to test without changing what the worker does.
_VOLATILE_ENV = {"PYTEST_CURRENT_TEST"}
#: How long a test's last tasks may take to finish after the test before its worker is stopped instead.
SETTLE_SECONDS = 15
_TASK_EVENT = re.compile(r"Task \S+\[([0-9a-f-]+)\] (\w+)")


class _Worker:
    """One `celery worker` process (solo pool) on its own queue, reading the test database."""

    def __init__(self, env, directory):
        self.env = env
        self.queue = f"test-{os.getpid()}-{time.monotonic_ns()}"
        self.log_path = directory / f"{self.queue}.log"
        self.log = open(self.log_path, "w+")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "unionportal", "-b", env["CELERY_BROKER_URL"], "worker",
             "-P", "solo", "-Q", self.queue, "--without-heartbeat", "--without-mingle", "--without-gossip",
             "-l", "info"],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while "ready." not in self.read():
            if self.process.poll() is not None:
                self.stop()
                pytest.fail(f"Celery worker exited at start:\n{self.read()}")
            if time.monotonic() > deadline:
                self.stop()
                pytest.fail(f"Celery worker did not become ready:\n{self.read()}")
            time.sleep(0.1)

    def read(self, start=0):
        self.log.flush()
        return self.log_path.read_text(errors="replace")[start:]

    def unfinished_tasks(self):
        """Tasks received but not finished (running, waiting for their countdown, or retrying), plus messages still
        in the worker's queue."""
        last = {}
        for task_id, event in _TASK_EVENT.findall(self.read()):
            last[task_id] = event
        running = {task_id for task_id, event in last.items() if event in {"received", "retry"}}
        import redis

        client = redis.Redis.from_url(self.env["CELERY_BROKER_URL"])
        queued = sum(client.llen(key) for key in client.scan_iter(match=f"{self.queue}*") if
                     client.type(key) == b"list")
        return running, queued

    def settled(self, timeout):
        deadline = time.monotonic() + timeout
        while True:
            running, queued = self.unfinished_tasks()
            if not running and not queued:
                return True
            if time.monotonic() > deadline:
                return False
            time.sleep(0.1)

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


class _Workers:
    """The session's Celery worker, reused by every test that asks for one with the same environment.

    A test that changes the worker's environment (monkeypatch.setenv, another MEDIA_ROOT) gets a worker started
    with it; a test that leaves tasks unfinished has its worker stopped, so the next test starts clean."""

    def __init__(self, directory):
        self.directory = directory
        self.current = None

    def get(self, env):
        key = {k: v for k, v in env.items() if k not in _VOLATILE_ENV}
        if self.current is not None and self.current.process.poll() is not None:
            print("the Celery worker had exited; starting another")
            self.discard()
        if self.current is not None and self.current.env != key:
            changed = sorted(k for k in key.keys() | self.current.env.keys() if key.get(k) != self.current.env.get(k))
            print(f"the worker's environment changed ({', '.join(changed)}); starting another")
            self.discard()
        if self.current is None:
            self.current = _Worker(key, self.directory)
        return self.current

    def discard(self):
        if self.current is not None:
            self.current.stop()
            self.current = None


@pytest.fixture(scope="session")
def _celery_workers(django_db_setup, tmp_path_factory):
    """Stopped before the test database is dropped (it depends on django_db_setup)."""
    workers = _Workers(tmp_path_factory.mktemp("celery"))
    yield workers
    workers.discard()


@pytest.fixture
def celery_worker_process(celery_app, transactional_db, _celery_workers):
    """A `celery worker` on this run's Redis broker against the test database, shared by the tests of one pytest
    process (starting one costs seconds); each test's tasks are finished before the next test begins."""
    from django.conf import settings

    env = {**os.environ, "DATABASE_URL": _database_url(), "CELERY_TASK_ALWAYS_EAGER": "false",
           "CELERY_BROKER_URL": celery_app.conf.broker_url,
           "UNIONPORTAL_VAR_DIR": str(_celery_workers.directory / "var"), "MEDIA_ROOT": str(settings.MEDIA_ROOT)}
    worker = _celery_workers.get(env)
    log_start = len(worker.read())
    celery_app.conf.task_default_queue = worker.queue
    try:
        yield worker.process
    finally:
        celery_app.conf.task_default_queue = "celery"
        print(worker.read(log_start)[-4000:])
        if not worker.settled(SETTLE_SECONDS):
            print(f"tasks left unfinished after the test: {worker.unfinished_tasks()}; stopping the worker")
            _celery_workers.discard()


#: However short a test's own wait, a worker (re)started on this shared 2-core machine under a parallel suite can
#: take minutes to pick up its first task: waits are at least this long (they end as soon as the condition holds).
MIN_WAIT_SECONDS = 240


def wait_for(predicate, *, timeout=60, interval=0.2, message="condition"):
    timeout = max(timeout, MIN_WAIT_SECONDS)
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
