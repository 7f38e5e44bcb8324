#!/usr/bin/env bash
# Development server: Celery worker + beat in the background, runserver in the foreground.
#
#   make run                 (RUN_ADDR=127.0.0.1:8000 by default)
#
# Ctrl-C, TERM, or any of the three processes exiting stops all of them. The default settings need no
# server: SQLite in var/, a filesystem Celery broker in var/celery-broker, console e-mail.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/services.sh
source scripts/services.sh

RUN_ADDR="${RUN_ADDR:-127.0.0.1:8000}"
LOG_DIR="${UNIONPORTAL_VAR_DIR:-var}/log"

declare -A CHILDREN=()   # pid -> name

stop_children() {
    local pid name _
    for pid in "${!CHILDREN[@]}"; do
        # Each child leads its own process group (set -m below): signal the group, so the
        # runserver autoreloader's child and any Celery pool processes go too.
        kill -TERM -- "-$pid" 2>/dev/null || true
    done
    for pid in "${!CHILDREN[@]}"; do
        name="${CHILDREN[$pid]}"
        for _ in $(seq 1 100); do     # up to 10 s for a warm shutdown
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        if kill -0 "$pid" 2>/dev/null; then
            log "$name (pid $pid) did not stop; killing it"
            kill -KILL -- "-$pid" 2>/dev/null || true
        fi
        wait "$pid" 2>/dev/null || true
        log "stopped $name (pid $pid)"
    done
    CHILDREN=()
}

cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    stop_children
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

ensure_apt_packages "${RUNTIME_APT_PACKAGES[@]}"
ensure_venv
compile_messages
"$PY" manage.py migrate --noinput
"$PY" manage.py seed_demo

mkdir -p "$LOG_DIR"
# Job control: every background job gets its own process group (and keeps SIGINT/SIGTERM handling,
# which a non-interactive shell would otherwise turn off for background jobs).
set -m

"$VENV_DIR/bin/celery" -A unionportal worker -P solo -c 1 -l info >>"$LOG_DIR/celery-worker.log" 2>&1 &
CHILDREN[$!]="celery worker"
"$VENV_DIR/bin/celery" -A unionportal beat -l info -S django_celery_beat.schedulers:DatabaseScheduler \
    >>"$LOG_DIR/celery-beat.log" 2>&1 &
CHILDREN[$!]="celery beat"
"$PY" manage.py runserver "$RUN_ADDR" &
CHILDREN[$!]="runserver"

cat <<MSG

    unionportal is starting at  http://$RUN_ADDR/
    (admin: http://$RUN_ADDR/admin/; demo accounts are listed above, printed by seed_demo)
    Celery worker log: $LOG_DIR/celery-worker.log    beat log: $LOG_DIR/celery-beat.log
    Press Ctrl-C to stop the server, the worker and beat.

MSG

# Return as soon as any of them exits; then stop the others.
set +e
wait -n -p exited "${!CHILDREN[@]}"
rc=$?
set -e
if [ -n "${exited:-}" ]; then
    log "${CHILDREN[$exited]} (pid $exited) exited with status $rc; stopping the rest"
    unset "CHILDREN[$exited]"
fi
exit "$rc"
