#!/usr/bin/env bash
# The whole test suite against throwaway PostgreSQL and Redis servers (what `make test` and CI run).
#
#   scripts/test.sh [pytest args...]      or    PYTEST_ARGS="-x -k roster" make test
#
# The tests run in parallel: TEST_WORKERS pytest-xdist workers (default: one more than the CPU count: a share of
# every test waits on PostgreSQL, Chromium or a Celery worker), `--dist loadgroup` (tests/parallel.py says what
# each worker gets of its own and which tests share one). TEST_WORKERS=0 (or PYTEST_ARGS="-n 0") runs them in
# one process.
#
# Both servers are stopped on every exit (success, failure, Ctrl-C, TERM); the exit code is pytest's.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/services.sh
source scripts/services.sh

provision_run_services
run_static_checks

t_tests="$(now)"
# PYTEST_ARGS is parsed like a shell command line, so PYTEST_ARGS="-m 'not browser'" works.
pytest_args=()
eval "pytest_args=(${PYTEST_ARGS:-})"
# Compiled modules (and pytest's rewritten test modules) are kept between runs in var/pycache, whatever the
# environment says: each worker, Celery worker and manage.py subprocess would otherwise compile Django and the suite
# from source again (a collection costs ~3× more without them).
unset PYTHONDONTWRITEBYTECODE
export PYTHONPYCACHEPREFIX="$PWD/var/pycache"
# The Celery broker in a Redis database of its own (every test flushes the cache's, REDIS_URL's database 0); in a
# parallel run each worker gets its own pair instead (tests/parallel.py).
export CELERY_BROKER_URL="${REDIS_URL%/*}/1"
workers="${TEST_WORKERS:-$(($(nproc) + 1))}"
parallel_args=(-n "$workers")
[ "$workers" = 0 ] || parallel_args+=(--dist loadgroup)
set +e
"$VENV_DIR/bin/pytest" "${parallel_args[@]}" "${pytest_args[@]}" "$@"
rc=$?
set -e
log "pytest ($workers workers) exited with $rc after $(elapsed "$t_tests") s (total $(elapsed "$RUN_T_START") s)"
exit "$rc"
