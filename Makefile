# unionportal developer tasks. Everything runs from a clean checkout on Debian 12:
# missing system packages are installed with apt when run as root (otherwise the sudo command is
# printed), .venv is created and synced from requirements-dev.lock when the lock changes.
#
#   make run           dev server on http://127.0.0.1:8000 with a Celery worker and beat (Ctrl-C stops all)
#   make test          whole suite against throwaway PostgreSQL 15 + Redis, in parallel   (PYTEST_ARGS="-x -k foo",
#                      TEST_WORKERS=N xdist workers: default one more than the cores, 0 for one process)
#   make test-fast     SQLite, no browser / integration tests (after the same static checks)
#   make lint          the static checks alone: ruff, import-linter contracts, makemigrations --check
#   make bench         benchmarks/run.py against throwaway PostgreSQL + Redis (BENCH_ARGS="...")
#   make lock          regenerate requirements.lock and requirements-dev.lock (UV_COMPILE_ARGS=--upgrade)
#   make messages      makemessages (zh_Hans, en) + compilemessages
#   make check-deploy  manage.py check --deploy with production settings and dummy values

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
PYTEST_ARGS ?=
TEST_WORKERS ?=
BENCH_ARGS ?=
UV_COMPILE_ARGS ?=
RUN_ADDR ?= 127.0.0.1:8000
export PYTEST_ARGS TEST_WORKERS BENCH_ARGS RUN_ADDR

# Source the shared helpers in a recipe line.
SERVICES := source scripts/services.sh

.PHONY: help run test test-fast lint bench lock messages check-deploy venv

help:
	@sed -n 's/^#   //p' $(MAKEFILE_LIST)

venv:
	@$(SERVICES); ensure_apt_packages "$${RUNTIME_APT_PACKAGES[@]}"; ensure_venv

run:
	@scripts/run.sh

test:
	@scripts/test.sh

test-fast:
	@$(SERVICES); \
	ensure_apt_packages "$${RUNTIME_APT_PACKAGES[@]}" poppler-utils; \
	ensure_venv; \
	compile_messages; \
	run_static_checks; \
	env -u DATABASE_URL -u REDIS_URL UNIONPORTAL_ENV=test \
	    $(VENV)/bin/pytest -m "not browser and not integration" $(PYTEST_ARGS)

lint:
	@$(SERVICES); ensure_venv; run_static_checks

bench:
	@scripts/bench.sh

lock:
	@$(SERVICES); ensure_uv
	$(UV) pip compile pyproject.toml --python-version 3.11 --generate-hashes $(UV_COMPILE_ARGS) -o requirements.lock
	$(UV) pip compile pyproject.toml --extra dev --python-version 3.11 --generate-hashes $(UV_COMPILE_ARGS) -o requirements-dev.lock

messages: venv
	mkdir -p locale
	$(PY) manage.py makemessages -l zh_Hans -l en --ignore=.venv --ignore=var --ignore=node_modules
	$(PY) manage.py compilemessages --ignore=.venv --ignore=var --ignore=node_modules

# A 60-character random SECRET_KEY each time; `check` without --database does not connect to the DB.
check-deploy: venv
	env -u DEBUG -u DJANGO_ALLOW_ASYNC_UNSAFE -u SECURE_SSL_REDIRECT -u SECURE_HSTS_SECONDS \
	    -u SECURE_HSTS_INCLUDE_SUBDOMAINS -u SECURE_HSTS_PRELOAD \
	    UNIONPORTAL_ENV=production \
	    SECRET_KEY="$$($(PY) -c 'import secrets, string; a = string.ascii_letters + string.digits; print("".join(secrets.choice(a) for _ in range(60)))')" \
	    ALLOWED_HOSTS=portal.example.org \
	    CSRF_TRUSTED_ORIGINS=https://portal.example.org SITE_URL=https://portal.example.org \
	    DATABASE_URL=postgres://u:p@localhost/db \
	    REDIS_URL=redis://localhost:6379/0 \
	    $(PY) manage.py check --deploy --fail-level WARNING
