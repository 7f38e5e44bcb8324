"""The benchmarks' minimal authenticated write (benchmarks/floor.py) exists only where a benchmark turns it on."""

import importlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import Resolver404, clear_url_caches, resolve

from benchmarks import floor
from core.models import Notification
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[1]
GOOD_KEY = "k" * 20 + "Q7#x" * 10


def _reload_urls():
    import unionportal.urls

    clear_url_caches()
    importlib.reload(unionportal.urls)


@pytest.fixture
def bench_views(settings):
    settings.BENCH_VIEWS = True
    _reload_urls()
    yield
    settings.BENCH_VIEWS = False
    _reload_urls()


def test_it_is_not_on_the_portal_s_url_map_by_default(client, db):
    with pytest.raises(Resolver404):
        resolve(floor.PATH)
    client.force_login(UserFactory())
    assert client.post(floor.PATH).status_code == 404


def test_it_writes_one_row_for_a_logged_in_user_and_redirects(client, db, bench_views):
    user = UserFactory()
    assert client.post(floor.PATH).status_code == 302 and not Notification.objects.exists()  # to the login
    client.force_login(user)
    response = client.post(floor.PATH)
    assert response.status_code == 302 and response["Location"] == "/"
    assert Notification.objects.filter(user=user).count() == 1


def test_production_refuses_to_start_with_it():
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "DEBUG"}}
    env.update(UNIONPORTAL_ENV="production", SECRET_KEY=GOOD_KEY, ALLOWED_HOSTS="portal.example.org",
               SITE_URL="https://portal.example.org", DATABASE_URL="postgres://u:p@localhost/db",
               UNIONPORTAL_BENCH_VIEWS="true")
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True,
                            text=True)
    assert result.returncode != 0 and "UNIONPORTAL_BENCH_VIEWS" in result.stderr
