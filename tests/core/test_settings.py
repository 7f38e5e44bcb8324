"""Settings come from the environment and are parsed strictly."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from unionportal.env import env_bool, parse_database_url

ROOT = Path(__file__).resolve().parents[2]
GOOD_KEY = "k" * 20 + "Q7#x" * 10


def _manage(*args, **env):
    clean = {k: v for k, v in os.environ.items()
             if k not in {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "UNIONPORTAL_ENV", "SITE_URL",
                          "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    clean.update(env)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=clean, capture_output=True, text=True)


def test_it_parses_booleans_strictly(monkeypatch):
    monkeypatch.setenv("FLAG", "yes")
    assert env_bool("FLAG") is True
    monkeypatch.setenv("FLAG", "0")
    assert env_bool("FLAG") is False
    monkeypatch.setenv("FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="FLAG"):
        env_bool("FLAG")


def test_it_reads_a_postgres_url():
    config = parse_database_url("postgres://union:p%40ss@db.internal:5433/portal?sslmode=require")
    assert (config["NAME"], config["USER"], config["PASSWORD"], config["HOST"], config["PORT"]) == (
        "portal", "union", "p@ss", "db.internal", "5433")
    assert config["OPTIONS"] == {"sslmode": "require"}


def test_it_refuses_a_non_postgres_url():
    with pytest.raises(ImproperlyConfigured, match="postgres"):
        parse_database_url("mysql://u:p@h/db")


def test_it_stops_production_start_up_without_a_secret_key():
    result = _manage("check", UNIONPORTAL_ENV="production", ALLOWED_HOSTS="portal.example.org",
                     DATABASE_URL="postgres://u:p@localhost/db")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_it_needs_the_https_site_address_in_production():
    result = _manage("check", UNIONPORTAL_ENV="production", SECRET_KEY=GOOD_KEY, ALLOWED_HOSTS="portal.example.org",
                     DATABASE_URL="postgres://u:p@localhost/db", SITE_URL="http://portal.example.org")
    assert result.returncode != 0
    assert "SITE_URL" in result.stderr


def test_it_stops_on_a_malformed_value():
    result = _manage("check", DEBUG="perhaps")
    assert result.returncode != 0
    assert "DEBUG='perhaps'" in result.stderr


def test_it_passes_the_deployment_checklist_with_production_settings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", UNIONPORTAL_ENV="production",
                     SECRET_KEY=GOOD_KEY, ALLOWED_HOSTS="portal.example.org", SITE_URL="https://portal.example.org",
                     DATABASE_URL="postgres://u:p@localhost/db", REDIS_URL="redis://localhost:6379/0")
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_processes_keep_their_database_connection_and_check_it_before_reuse():
    config = parse_database_url("postgres://u:p@db/portal", conn_max_age=600)
    assert (config["CONN_MAX_AGE"], config["CONN_HEALTH_CHECKS"]) == (600, True)
    assert config["DISABLE_SERVER_SIDE_CURSORS"] is False
    # The URL's own value wins; 0 connects per request and needs no health check.
    config = parse_database_url("postgres://u:p@db/portal?conn_max_age=0", conn_max_age=600)
    assert (config["CONN_MAX_AGE"], config["CONN_HEALTH_CHECKS"]) == (0, False)
    assert config["OPTIONS"] == {}


def test_a_transaction_pooler_turns_server_side_cursors_off():
    config = parse_database_url("postgres://u:p@pgbouncer:6432/portal?pooler=transaction&sslmode=disable")
    assert config["DISABLE_SERVER_SIDE_CURSORS"] is True
    assert config["OPTIONS"] == {"sslmode": "disable"}
    with pytest.raises(ImproperlyConfigured, match="pooler"):
        parse_database_url("postgres://u:p@db/portal?pooler=statement")
    with pytest.raises(ImproperlyConfigured, match="conn_max_age"):
        parse_database_url("postgres://u:p@db/portal?conn_max_age=forever")


def test_production_keeps_connections_by_default():
    result = _manage("shell", "--no-imports", "-c", "from django.db import connections; d = connections['default'].settings_dict; "
                     "print(d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'])",
                     UNIONPORTAL_ENV="production", SECRET_KEY=GOOD_KEY, ALLOWED_HOSTS="portal.example.org",
                     SITE_URL="https://portal.example.org", DATABASE_URL="postgres://u:p@localhost/db")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["600", "True"]
