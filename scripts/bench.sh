#!/usr/bin/env bash
# benchmarks/run.py against throwaway PostgreSQL and Redis servers, provisioned like `make test`.
#
#   make bench  [BENCH_ARGS="..."]
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/services.sh
source scripts/services.sh

provision_run_services

# BENCH_ARGS is parsed like a shell command line.
bench_args=()
eval "bench_args=(${BENCH_ARGS:-})"
"$PY" benchmarks/run.py "${bench_args[@]}" "$@"
