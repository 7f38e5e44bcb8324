"""docker-compose.yml, the Dockerfile and .env.example are right by construction.

No Docker engine runs on the development and CI machines, so the deployment files are checked here
instead: the YAML parses, every command names something that exists in the project, every
environment variable is one the settings read (and every one they read is documented), health
checks and volumes are declared. No database needed.
"""

import os
import re
import stat
from pathlib import Path

import pytest
import yaml
from celery import Celery
from celery.app.utils import find_app
from celery.beat import Scheduler
from celery.utils.imports import symbol_by_name
from django.urls import resolve

ROOT = Path(__file__).resolve().parent.parent
APP_SERVICES = ("web", "worker", "beat")
# Where the Dockerfile puts the project inside the image (WORKDIR).
IMAGE_ROOT = "/app"

ENV_READ = re.compile(
    r"""\b(?:env_str|env_bool|env_int|env_list|os\.environ\.get|os\.getenv)\(\s*["']([A-Z][A-Z0-9_]*)["']"""
    r"""|os\.environ\[\s*["']([A-Z][A-Z0-9_]*)["']\s*\]"""
)
# "NAME=value" or the documented-default form "# NAME=value".
ENV_EXAMPLE_LINE = re.compile(r"^#?\s*([A-Z][A-Z0-9_]*)=")
# ${NAME}, ${NAME:-default}, ${NAME:?error}; "$${NAME}" is escaped for the container's shell.
COMPOSE_INTERPOLATION = re.compile(r"(?<!\$)\$\{([A-Z][A-Z0-9_]*)")


@pytest.fixture(scope="module")
def compose_text():
    return (ROOT / "docker-compose.yml").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def compose(compose_text):
    return yaml.safe_load(compose_text)


@pytest.fixture(scope="module")
def services(compose):
    return compose["services"]


@pytest.fixture(scope="module")
def settings_env_vars():
    text = (ROOT / "unionportal" / "settings.py").read_text(encoding="utf-8")
    return {a or b for a, b in ENV_READ.findall(text)}


@pytest.fixture(scope="module")
def env_example_vars():
    names = set()
    for line in (ROOT / ".env.example").read_text(encoding="utf-8").splitlines():
        match = ENV_EXAMPLE_LINE.match(line.strip())
        if match:
            names.add(match.group(1))
    return names


@pytest.fixture(scope="module")
def dockerfile_instructions():
    """The Dockerfile as (INSTRUCTION, arguments) with continuation lines joined."""
    logical, current = [], ""
    for line in (ROOT / "Dockerfile").read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if not current and (not stripped or stripped.startswith("#")):
            continue
        if stripped.endswith("\\"):
            current += stripped[:-1] + " "
            continue
        current += stripped
        logical.append(current)
        current = ""
    return [tuple(line.split(None, 1)) for line in logical]


def project_path(image_path):
    assert image_path.startswith(IMAGE_ROOT + "/"), image_path
    return ROOT / image_path[len(IMAGE_ROOT) + 1 :]


def test_all_services_present(services):
    assert set(services) >= {"web", "worker", "beat", "db", "redis"}
    assert services["db"]["image"] == "postgres:15"
    assert services["redis"]["image"] == "redis:7"


def test_web_runs_the_wsgi_application_through_the_entrypoint(services, dockerfile_instructions):
    web = services["web"]
    entrypoint = project_path(web["entrypoint"][0])
    assert entrypoint == ROOT / "docker" / "entrypoint.sh"
    assert entrypoint.is_file()
    assert entrypoint.stat().st_mode & stat.S_IXUSR, "docker/entrypoint.sh must be executable"
    script = entrypoint.read_text(encoding="utf-8")
    assert script.startswith("#!/bin/sh")
    assert "manage.py migrate" in script and "manage.py collectstatic" in script
    assert 'exec "$@"' in script

    command = web["command"]
    assert command[0] == "gunicorn"
    module_name, _, attribute = command[1].partition(":")
    module = __import__(module_name, fromlist=[attribute])
    assert callable(getattr(module, attribute))

    # The image's own ENTRYPOINT is the same script.
    entrypoints = [args for instruction, args in dockerfile_instructions if instruction == "ENTRYPOINT"]
    assert entrypoints and web["entrypoint"][0] in entrypoints[-1]


@pytest.mark.parametrize("service", ["worker", "beat"])
def test_celery_services_name_the_project_app(services, service):
    command = services[service]["command"]
    assert command[:3] == ["celery", "-A", "unionportal"]
    assert command[3] == service
    app = find_app(command[2])  # what the celery CLI does with -A
    assert isinstance(app, Celery)
    assert app.main == "unionportal"


def test_beat_uses_the_database_scheduler(services):
    command = services["beat"]["command"]
    scheduler_path = command[command.index("-S") + 1]
    assert scheduler_path == "django_celery_beat.schedulers:DatabaseScheduler"
    assert issubclass(symbol_by_name(scheduler_path), Scheduler)


def test_commands_are_installed_by_the_production_lock(services):
    lock = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    for package in ("gunicorn", "celery", "django-celery-beat"):
        assert re.search(rf"^{package}==", lock, re.MULTILINE), f"{package} missing from requirements.lock"


def test_healthchecks(services):
    db_check = " ".join(services["db"]["healthcheck"]["test"])
    assert "pg_isready" in db_check
    redis_check = " ".join(services["redis"]["healthcheck"]["test"])
    assert "redis-cli ping" in redis_check

    web_check = services["web"]["healthcheck"]["test"]
    script = project_path(web_check[-1])
    assert script == ROOT / "docker" / "healthcheck.py" and script.is_file()
    source = script.read_text(encoding="utf-8")
    assert "/healthz/" in source
    assert resolve("/healthz/").url_name == "healthz"


def test_app_services_wait_for_healthy_dependencies(services):
    for name in APP_SERVICES:
        depends_on = services[name]["depends_on"]
        for dependency in ("db", "redis"):
            assert depends_on[dependency]["condition"] == "service_healthy", (name, dependency)
    # worker and beat start after web has applied the migrations.
    for name in ("worker", "beat"):
        assert services[name]["depends_on"]["web"]["condition"] == "service_healthy"


def test_volumes_are_declared_and_media_is_shared(compose, services, dockerfile_instructions):
    declared = set(compose.get("volumes") or {})
    mounts = {}
    for name, service in services.items():
        for volume in service.get("volumes", []):
            source, target = volume.split(":")[:2]
            if not source.startswith((".", "/", "~")):
                assert source in declared, f"{name} uses undeclared volume {source}"
                mounts.setdefault(source, set()).add((name, target))
    assert {"pgdata", "redisdata", "media"} <= declared
    assert {name for name, _ in mounts["media"]} >= {"web", "worker"}
    media_targets = {target for _, target in mounts["media"]}
    assert len(media_targets) == 1
    env_lines = " ".join(args for instruction, args in dockerfile_instructions if instruction == "ENV")
    assert f"MEDIA_ROOT={media_targets.pop()}" in env_lines


def test_env_example_lists_only_variables_that_are_read(settings_env_vars, env_example_vars, compose_text):
    compose_vars = set(COMPOSE_INTERPOLATION.findall(compose_text))
    unread = env_example_vars - settings_env_vars - compose_vars
    assert not unread, f".env.example sets variables nothing reads: {sorted(unread)}"


def test_every_setting_variable_is_documented(settings_env_vars, env_example_vars, compose_text):
    assert settings_env_vars, "found no environment reads in settings.py"
    undocumented = settings_env_vars - env_example_vars
    assert not undocumented, f"document these in .env.example: {sorted(undocumented)}"
    undocumented_compose = set(COMPOSE_INTERPOLATION.findall(compose_text)) - env_example_vars
    assert not undocumented_compose, f"document these in .env.example: {sorted(undocumented_compose)}"


def test_compose_sets_only_variables_the_settings_read(services, settings_env_vars):
    for name in APP_SERVICES:
        env = services[name].get("environment") or {}
        assert set(env) <= settings_env_vars, (name, sorted(set(env) - settings_env_vars))
        assert services[name]["env_file"] in (".env", [".env"])


def test_env_example_lines_are_well_formed():
    for number, line in enumerate((ROOT / ".env.example").read_text(encoding="utf-8").splitlines(), 1):
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            assert re.match(r"^[A-Z][A-Z0-9_]*=", stripped), f".env.example:{number}: {line!r}"


def test_secret_key_is_never_baked_into_the_image(dockerfile_instructions):
    assert dockerfile_instructions[0] == ("FROM", "python:3.11-slim-bookworm")
    for instruction, args in dockerfile_instructions:
        if instruction in {"ENV", "ARG", "LABEL"}:
            assert "SECRET_KEY" not in args, f"{instruction} {args}"
    users = [args for instruction, args in dockerfile_instructions if instruction == "USER"]
    assert users and users[-1] not in {"root", "0"}
    runs = " ".join(args for instruction, args in dockerfile_instructions if instruction == "RUN")
    assert "uv pip sync --system requirements.lock" in runs
    assert "collectstatic" in runs


def test_dockerignore_keeps_local_state_out():
    ignored = {
        line.strip() for line in (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
    }
    assert {".git", ".venv", "var", ".env"} <= ignored


def test_repository_never_ships_a_real_env_file():
    # .env holds production secrets: it must be ignored by git (and by docker build).
    gitignore = (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert ".env" in [line.strip() for line in gitignore]
    assert os.access(ROOT / ".env.example", os.R_OK)
