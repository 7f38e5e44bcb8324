"""The walk's demo union: built once for the tests/walk package with seed_demo's builders, inside a transaction
that is rolled back when the package is done, so the rest of the suite never sees it.

Each test still runs in its own savepoint (the `db` fixture), so whatever a page or a form submission writes is
undone after the test.
"""

import io
import time

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import User

from . import crawl

#: Enough people for every demo builder (the spring outing samples 55 of them); 200 only costs time.
DEMO_MEMBERS = 80


def _text_values():
    """Everything the data set says in words, to tell data (names, titles) from the UI's own words."""
    from django.apps import apps
    from django.db import models

    chunks = []
    for model in apps.get_models():
        fields = [f.attname for f in model._meta.concrete_fields if isinstance(f, (models.CharField, models.TextField))]
        if not fields or model._meta.proxy:
            continue
        for row in model._default_manager.values_list(*fields):
            chunks.extend(str(v) for v in row if v)
    return "\n".join(chunks)


def _catalogue_is_compiled():
    po = settings.BASE_DIR / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
    mo = po.with_suffix(".mo")
    assert mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime, (
        "the walk reads the Chinese pages: run `manage.py compilemessages -l zh_Hans` first (make test does)")


@pytest.fixture(scope="package")
def walk_union(django_db_setup, django_db_blocker):
    _catalogue_is_compiled()
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            from django.test.utils import override_settings

            with override_settings(CELERY_TASK_ALWAYS_EAGER=True,
                                   PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
                call_command("seed_demo", members=DEMO_MEMBERS, stdout=io.StringIO())
                User.objects.create_user(username="outsider", password="Secret-pass-123")
            blob = _text_values()
            data_words = {w.lower() for w in crawl._ENGLISH_WORD.findall(blob)}
            yield {"blob": blob, "data_words": data_words}
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _client(role, language):
    client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE=language)
    if role != "anonymous":
        client.force_login(User.objects.get(username=role))
    client.cookies["django_language"] = language
    return client


@pytest.fixture(scope="package")
def walk_clients(walk_union, django_db_blocker):
    """One logged-in client per (role, language), reused by every page of the walk."""
    with django_db_blocker.unblock():
        return {(role, lang): _client(role, lang) for role in crawl.ROLES for lang in crawl.LANGUAGES}


@pytest.fixture
def fresh_client(walk_union, db):
    """A client of its own for a test that posts (a form may end or cycle the session)."""
    return _client


class Visit:
    def __init__(self, role, language, url, response, queries, seconds):
        self.role, self.language, self.url, self.response = role, language, url, response
        self.queries, self.seconds = queries, seconds
        self.status = response.status_code
        ctype = response.get("Content-Type", "")
        self.html = ctype.startswith("text/html") and not getattr(response, "streaming", False)
        self.page = crawl.read_page(response.content.decode()) if self.html else None

    def where(self):
        return f"{self.url} as {self.role} in {self.language}"


@pytest.fixture(scope="package")
def walk_visits():
    """url name -> [Visit], filled as the tests ask for each page (one fetch per url, role and language)."""
    return {}


@pytest.fixture
def visit_route(walk_union, walk_clients, walk_visits, db):
    def visit(name):
        if name not in walk_visits:
            visits = []
            for url in crawl.concrete_urls(name):
                for (role, lang), client in walk_clients.items():
                    started = time.perf_counter()
                    with CaptureQueriesContext(connection) as queries:
                        response = client.get(url)
                    visits.append(Visit(role, lang, url, response, len(queries), time.perf_counter() - started))
                    if getattr(response, "streaming", False):
                        b"".join(response.streaming_content)
            walk_visits[name] = visits
        return walk_visits[name]

    return visit
