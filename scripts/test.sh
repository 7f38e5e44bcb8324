#!/usr/bin/env bash
# The whole test suite against throwaway PostgreSQL and Redis servers (what `make test` and CI run).
#
#   scripts/test.sh [pytest args...]      or    PYTEST_ARGS="-x -k roster" make test
#
# Both servers are stopped on every exit (success, failure, Ctrl-C, TERM); the exit code is pytest's.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/services.sh
source scripts/services.sh

cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    stop_redis || true
    stop_postgres || true
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

t_start="$(now)"
ensure_apt_packages "${TEST_APT_PACKAGES[@]}"
ensure_venv
reap_stale_services
start_postgres
start_redis

export UNIONPORTAL_ENV=test
# Uploaded files, generated PDFs etc. go to the run's own directory, not the developer's ./var.
export UNIONPORTAL_VAR_DIR="$PG_DIR/var"
mkdir -p "$UNIONPORTAL_VAR_DIR"
unset CELERY_TASK_ALWAYS_EAGER DEBUG SECRET_KEY ALLOWED_HOSTS 2>/dev/null || true

compile_messages
log "provisioning took $(elapsed "$t_start") s"

t_tests="$(now)"
# PYTEST_ARGS is parsed like a shell command line, so PYTEST_ARGS="-m 'not browser'" works.
pytest_args=()
eval "pytest_args=(${PYTEST_ARGS:-})"
set +e
"$VENV_DIR/bin/pytest" "${pytest_args[@]}" "$@"
rc=$?
set -e
log "pytest exited with $rc after $(elapsed "$t_tests") s (total $(elapsed "$t_start") s)"
exit "$rc"
