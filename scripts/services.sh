# shellcheck shell=bash
# Reusable pieces for scripts/run.sh, scripts/test.sh and scripts/bench.sh. Source it; do not run it.
#
#   ensure_apt_packages PKG...   install missing Debian packages (root), or print the sudo command and fail
#   ensure_uv                    .venv exists (Python 3.11) and holds uv==$UV_VERSION
#   ensure_venv                  ensure_uv, then `uv pip sync requirements-dev.lock` when the lock changed
#   compile_messages             manage.py compilemessages, skipped when the project has no .po file
#   start_postgres / stop_postgres   throwaway PostgreSQL cluster; exports DATABASE_URL
#   start_redis / stop_redis         throwaway redis-server; exports REDIS_URL
#   reap_stale_services          stop servers left behind by an earlier run that was killed (-9)
#
# Servers live in directories named /tmp/unionportal-svc.* (never under /root: the postgres user must
# reach them). Each directory records the PID of the script that owns it, so a later run can tell a
# leftover from a concurrent run's servers.

UV_VERSION="${UV_VERSION:-0.13.9}"
PROJECT_DIR="${PROJECT_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
VENV_DIR="${VENV_DIR:-$PROJECT_DIR/.venv}"
PY="$VENV_DIR/bin/python"
SVC_TMP_BASE="${SVC_TMP_BASE:-/tmp}"
SYS_PYTHON="${SYS_PYTHON:-python3}"

# shellcheck disable=SC2034  # used by the scripts that source this file
# Packages needed to run the portal (WeasyPrint with CJK text, compilemessages) ...
RUNTIME_APT_PACKAGES=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk gettext poppler-utils)
# ... and to run the whole test suite against real servers.
# shellcheck disable=SC2034
TEST_APT_PACKAGES=(postgresql redis-server chromium fonts-noto-cjk poppler-utils
                   libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 gettext)

log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Seconds since the epoch with microseconds (bash 5).
now() { printf '%s' "$EPOCHREALTIME"; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

is_root() { [ "$(id -u)" -eq 0 ]; }

# ---------------------------------------------------------------------------------------------
# System packages
# ---------------------------------------------------------------------------------------------

apt_installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

ensure_apt_packages() {
    local missing=() pkg
    # The venv module lives in a separate Debian package; only needed to create .venv.
    if [ ! -x "$PY" ]; then set -- "$@" python3-venv; fi
    for pkg in "$@"; do
        apt_installed "$pkg" || missing+=("$pkg")
    done
    # de-duplicate while keeping order
    if [ "${#missing[@]}" -gt 0 ]; then
        mapfile -t missing < <(printf '%s\n' "${missing[@]}" | awk '!seen[$0]++')
    fi
    [ "${#missing[@]}" -eq 0 ] && return 0
    if is_root; then
        log "installing system packages: ${missing[*]}"
        apt-get update
        DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
    else
        printf 'Missing system packages: %s\nInstall them with:\n\n    sudo apt-get update && sudo apt-get install -y %s\n\n' \
            "${missing[*]}" "${missing[*]}" >&2
        exit 1
    fi
}

# ---------------------------------------------------------------------------------------------
# Python virtualenv
# ---------------------------------------------------------------------------------------------

ensure_uv() {
    if [ -x "$PY" ] && ! "$PY" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null; then
        log "$VENV_DIR is not a working Python 3.11 venv; recreating it"
        rm -rf "$VENV_DIR"
    fi
    if [ ! -x "$PY" ]; then
        log "creating $VENV_DIR"
        "$SYS_PYTHON" -m venv "$VENV_DIR"
    fi
    if [ "$("$VENV_DIR/bin/uv" --version 2>/dev/null | awk '{print $2}')" != "$UV_VERSION" ]; then
        log "installing uv==$UV_VERSION into $VENV_DIR"
        [ -x "$VENV_DIR/bin/pip" ] || "$PY" -m ensurepip --upgrade >/dev/null   # a venv made by `uv venv`
        "$VENV_DIR/bin/pip" install --quiet "uv==$UV_VERSION"
    fi
}

# Sync .venv with a lock file (default requirements-dev.lock), only when the lock (or uv) changed
# since the last successful sync. The stamp lives inside .venv, so a new venv always syncs.
ensure_venv() {
    local lock="${1:-$PROJECT_DIR/requirements-dev.lock}"
    local stamp
    stamp="$VENV_DIR/.synced-$(basename "$lock").sha256"
    ensure_uv
    local want
    want="$(cat "$lock" <("$VENV_DIR/bin/uv" --version) | sha256sum | awk '{print $1}')"
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
        return 0
    fi
    log "syncing $VENV_DIR with $(basename "$lock")"
    UV_PYTHON_DOWNLOADS=never "$VENV_DIR/bin/uv" pip sync --python "$PY" "$lock"
    printf '%s\n' "$want" >"$stamp"
}

# ---------------------------------------------------------------------------------------------
# Static checks: run by `make test` (so by CI) and `make test-fast` before the suite
# ---------------------------------------------------------------------------------------------

# ruff (pyflakes, import order) on app and test code; import-linter's contracts (pyproject.toml: the apps stack
# one way, money enters the books through finance.spending, services import no views or admin); and no model
# change without its migration. Fails on the first broken check, naming it.
run_static_checks() {
    local t0
    t0="$(now)"
    (cd "$PROJECT_DIR" \
        && "$VENV_DIR/bin/ruff" check --quiet --output-format concise . \
        || die "ruff found problems (fix them, or \`$VENV_DIR/bin/ruff check --fix .\` for import order)")
    (cd "$PROJECT_DIR" && "$VENV_DIR/bin/lint-imports" --no-cache >/tmp/lint-imports.$$ 2>&1) || {
        cat /tmp/lint-imports.$$ >&2; rm -f /tmp/lint-imports.$$; die "an import-linter contract is broken"; }
    rm -f /tmp/lint-imports.$$
    (cd "$PROJECT_DIR" && env -u DATABASE_URL -u REDIS_URL UNIONPORTAL_ENV=test \
        "$PY" manage.py makemigrations --check --dry-run >/dev/null) \
        || die "a model change has no migration (manage.py makemigrations)"
    log "static checks passed: ruff, import-linter contracts, migrations [$(elapsed "$t0") s]"
}

# ---------------------------------------------------------------------------------------------
# Translations
# ---------------------------------------------------------------------------------------------

compile_messages() {
    if find "$PROJECT_DIR" \( -path "$VENV_DIR" -o -path "$PROJECT_DIR/var" -o -path "$PROJECT_DIR/.git" \
            -o -name node_modules \) -prune -o -name '*.po' -print -quit | grep -q .; then
        (cd "$PROJECT_DIR" && "$PY" manage.py compilemessages --ignore=.venv --ignore=var --ignore=node_modules -v 0)
    else
        log "no .po files yet; skipping compilemessages"
    fi
}

# axe-core for the browser tests' accessibility check (tools/axe, from its committed lock): offline cache first.
ensure_axe() {
    local dir="$PROJECT_DIR/tools/axe"
    [ -f "$dir/package-lock.json" ] || return 0
    [ -f "$dir/node_modules/axe-core/axe.min.js" ] && return 0
    command -v npm >/dev/null || { log "npm not found: the axe check in tests/browser will be skipped"; return 0; }
    (cd "$dir" && { npm ci --offline --no-audit --no-fund >/dev/null 2>&1 || npm ci --no-audit --no-fund >/dev/null; }) \
        || die "npm ci in tools/axe failed"
}

# ---------------------------------------------------------------------------------------------
# Throwaway servers
# ---------------------------------------------------------------------------------------------

# True when nothing listens on / is bound to 127.0.0.1:PORT.
port_free() {
    "$SYS_PYTHON" - "$1" <<'EOF' 2>/dev/null
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as servers do: TIME_WAIT is no obstacle
try:
    s.bind(("127.0.0.1", int(sys.argv[1])))
except OSError:
    sys.exit(1)
finally:
    s.close()
EOF
}

# Print the first free port at or above $1 (tries 200 ports).
free_port() {
    local port="$1" last=$(($1 + 200))
    while [ "$port" -lt "$last" ]; do
        if port_free "$port"; then echo "$port"; return 0; fi
        port=$((port + 1))
    done
    die "no free port in $1..$last"
}

# Run a command as the postgres user when we are root (initdb/postgres refuse root), else as ourselves.
as_pg() {
    if is_root; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_bindir() {
    local dir
    if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then
        pg_config --bindir; return
    fi
    for dir in /usr/lib/postgresql/15/bin $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -rV); do
        if [ -x "$dir/initdb" ]; then echo "$dir"; return; fi
    done
    die "PostgreSQL server binaries not found (apt-get install postgresql)"
}

# A directory for one server, reachable by the postgres user, stamped with the owning PID.
make_service_dir() {
    local kind="$1" dir
    dir="$(mktemp -d "$SVC_TMP_BASE/unionportal-svc.$kind.XXXXXX")"
    chmod 0755 "$dir"
    echo "$$" >"$dir/owner.pid"
    echo "$dir"
}

PG_DIR=""
PG_BIN=""
PG_PORT=""

start_postgres() {
    local t0 password attempt
    t0="$(now)"
    PG_BIN="$(pg_bindir)"
    PG_DIR="$(make_service_dir pg)"
    mkdir -p "$PG_DIR/data" "$PG_DIR/sock"
    if is_root; then chown -R postgres: "$PG_DIR"; fi
    as_pg "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
        -E UTF8 --locale=C.UTF-8 >"$PG_DIR/initdb.log" 2>&1 \
        || { cat "$PG_DIR/initdb.log" >&2; die "initdb failed"; }
    # The port is probed, then taken by postgres: another process may grab it in between, so retry.
    # max_connections: the registration concurrency tests hold one connection per thread (300 and 120 at once), and
    # with xdist both may run at the same time on two workers beside the others' connections: 400 was once short.
    PG_PORT="${PG_PORT_BASE:-54329}"
    for attempt in 1 2 3 4 5; do
        PG_PORT="$(free_port "$PG_PORT")"
        if as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/postgres.log" -w -t 60 -o \
            "-p $PG_PORT -k $PG_DIR/sock -c listen_addresses=127.0.0.1 -c max_connections=1000 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
            start >/dev/null; then
            break
        fi
        if [ "$attempt" -eq 5 ]; then
            cat "$PG_DIR/postgres.log" >&2
            die "PostgreSQL did not start"
        fi
        PG_PORT=$((PG_PORT + 1))
    done
    password="$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
    as_pg "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$PG_DIR/sock" -p "$PG_PORT" -U postgres -d postgres \
        -c "CREATE ROLE unionportal LOGIN CREATEDB PASSWORD '$password'" \
        -c "CREATE DATABASE unionportal OWNER unionportal" >/dev/null
    export DATABASE_URL="postgres://unionportal:$password@127.0.0.1:$PG_PORT/unionportal"
    log "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT (data in $PG_DIR) [$(elapsed "$t0") s]"
}

stop_postgres() {
    [ -n "$PG_DIR" ] || return 0
    local dir="$PG_DIR"
    PG_DIR=""
    _stop_postgres_dir "$dir" "${PG_BIN:-$(pg_bindir)}"
    log "PostgreSQL stopped"
}

_stop_postgres_dir() {
    local dir="$1" bin="$2" pid
    if [ -f "$dir/data/postmaster.pid" ]; then
        if ! as_pg "$bin/pg_ctl" -D "$dir/data" -m fast -w -t 30 stop >/dev/null 2>&1; then
            pid="$(head -1 "$dir/data/postmaster.pid" 2>/dev/null || true)"
            if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
                kill -QUIT "$pid" 2>/dev/null || true   # immediate shutdown
                sleep 1
            fi
        fi
    fi
    rm -rf "$dir"
}

REDIS_DIR=""
REDIS_PORT=""

start_redis() {
    local t0 attempt _
    t0="$(now)"
    REDIS_DIR="$(make_service_dir redis)"
    REDIS_PORT="${REDIS_PORT_BASE:-63799}"
    for attempt in 1 2 3 4 5; do
        REDIS_PORT="$(free_port "$REDIS_PORT")"
        rm -f "$REDIS_DIR/redis.pid"
        # 64 databases: two for each pytest-xdist worker of `make test` (its cache and its Celery broker).
        redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --daemonize yes --pidfile "$REDIS_DIR/redis.pid" \
            --databases 64 --save '' --appendonly no --dir "$REDIS_DIR" --logfile "$REDIS_DIR/redis.log" >/dev/null
        for _ in $(seq 1 100); do
            if [ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" = "PONG" ] && [ -s "$REDIS_DIR/redis.pid" ]; then
                break 2
            fi
            sleep 0.05
        done
        if [ "$attempt" -eq 5 ]; then
            cat "$REDIS_DIR/redis.log" >&2
            die "redis-server did not start"
        fi
        _stop_redis_dir "$REDIS_DIR" keep
        REDIS_PORT=$((REDIS_PORT + 1))
    done
    echo "$REDIS_PORT" >"$REDIS_DIR/port"
    export REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
    log "Redis $(redis-server --version | sed -n 's/.*v=\([0-9.]*\).*/\1/p') on 127.0.0.1:$REDIS_PORT [$(elapsed "$t0") s]"
}

stop_redis() {
    [ -n "$REDIS_DIR" ] || return 0
    local dir="$REDIS_DIR"
    REDIS_DIR=""
    _stop_redis_dir "$dir"
    log "Redis stopped"
}

_stop_redis_dir() {
    local dir="$1" keep="${2:-}" pid _
    pid="$(cat "$dir/redis.pid" 2>/dev/null || true)"
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 1 100); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.05
        done
        kill -KILL "$pid" 2>/dev/null || true
    fi
    [ -n "$keep" ] || rm -rf "$dir"
}

# Stop servers whose owning script is gone (killed with -9, machine crash, ...).
reap_stale_services() {
    local dir owner
    for dir in "$SVC_TMP_BASE"/unionportal-svc.pg.* "$SVC_TMP_BASE"/unionportal-svc.redis.*; do
        [ -d "$dir" ] || continue
        owner="$(cat "$dir/owner.pid" 2>/dev/null || true)"
        if [ -n "$owner" ] && kill -0 "$owner" 2>/dev/null; then
            continue   # a run in progress
        fi
        log "removing leftover $dir"
        case "$dir" in
            *.pg.*) _stop_postgres_dir "$dir" "$(pg_bindir)" ;;
            *) _stop_redis_dir "$dir" ;;
        esac
    done
}

# --- throwaway servers for one run (make test, make bench) ----------------------------------------------------

_stop_run_services() {
    local rc=$?
    trap - EXIT INT TERM
    stop_redis || true
    stop_postgres || true
    exit "$rc"
}

# Install what the run needs, start PostgreSQL and Redis on free loopback ports, export the settings that
# point at them, and stop both on every exit (success, failure, Ctrl-C, TERM). Sets RUN_T_START.
provision_run_services() {
    trap _stop_run_services EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    RUN_T_START="$(now)"
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
    ensure_axe
    log "provisioning took $(elapsed "$RUN_T_START") s"
}
