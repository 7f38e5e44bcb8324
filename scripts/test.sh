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

provision_run_services
run_static_checks

t_tests="$(now)"
# PYTEST_ARGS is parsed like a shell command line, so PYTEST_ARGS="-m 'not browser'" works.
pytest_args=()
eval "pytest_args=(${PYTEST_ARGS:-})"
set +e
"$VENV_DIR/bin/pytest" "${pytest_args[@]}" "$@"
rc=$?
set -e
log "pytest exited with $rc after $(elapsed "$t_tests") s (total $(elapsed "$RUN_T_START") s)"
exit "$rc"
