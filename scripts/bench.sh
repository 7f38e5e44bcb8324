#!/usr/bin/env bash
# benchmarks/run.py against throwaway PostgreSQL and Redis servers, provisioned like `make test`.
#
#   make bench  [BENCH_ARGS="..."]
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/services.sh
source scripts/services.sh

if [ ! -f benchmarks/run.py ]; then
    die "benchmarks/run.py does not exist yet; nothing to benchmark"
fi

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
export UNIONPORTAL_VAR_DIR="$PG_DIR/var"
mkdir -p "$UNIONPORTAL_VAR_DIR"
compile_messages
log "provisioning took $(elapsed "$t_start") s"

# BENCH_ARGS is parsed like a shell command line.
bench_args=()
eval "bench_args=(${BENCH_ARGS:-})"
"$PY" benchmarks/run.py "${bench_args[@]}" "$@"
