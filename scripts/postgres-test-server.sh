#!/usr/bin/env bash
# A real PostgreSQL 15 server for the storage conformance suite (issue 11, item 4).
#
#   eval "$(scripts/postgres-test-server.sh start)"   # prints the export lines for the tests
#   scripts/postgres-test-server.sh stop              # stops it, if that `start` started it
#
# `start` installs PostgreSQL 15 with apt-get when its binaries are missing, then runs a
# private server: `initdb` in a directory of its own (default /tmp/medledger-postgres-test,
# or $MEDLEDGER_PG_DIR), owned by the `postgres` user when run as root (PostgreSQL refuses to
# run as root), listening on 127.0.0.1 only, on the first free port from 55432, with trust
# authentication for loopback (a test server on a CI machine, holding nothing). It does not
# touch the machine's own cluster. It then creates the role `medledger` and the database
# `medledger_test`, and prints
#   export MEDLEDGER_TEST_POSTGRES_URL=postgres://medledger@127.0.0.1:PORT/medledger_test
#   export MEDLEDGER_REQUIRE_POSTGRES=1
#   export MEDLEDGER_PG_STARTED_BY_THIS_RUN=1 (or 0)
# Idempotent: when the server of that directory is already running it is reused, the last
# line says 0, and `stop` (which reads it from the environment) leaves that server running.
set -euo pipefail

dir=${MEDLEDGER_PG_DIR:-/tmp/medledger-postgres-test}
data=$dir/data
version=15
bin=/usr/lib/postgresql/$version/bin

# Runs a PostgreSQL binary as the user that owns the data directory.
as_owner() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

log() { echo "postgres-test-server: $*" >&2; }

port_is_free() {
    ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

start() {
    if ! [ -x "$bin/initdb" ]; then
        log "installing PostgreSQL $version (apt-get)"
        apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "postgresql-$version" >&2
    fi
    mkdir -p "$dir"
    if [ "$(id -u)" = 0 ]; then
        id postgres >/dev/null 2>&1 || useradd --system --home-dir "$dir" postgres
        chown postgres "$dir"
    fi
    local port started=0
    if [ -f "$data/postmaster.pid" ] && as_owner "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
        port=$(sed -n 4p "$data/postmaster.pid")
        log "reusing the server already running in $data on port $port"
    else
        if ! [ -f "$data/PG_VERSION" ]; then
            as_owner "$bin/initdb" -D "$data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
        fi
        port=55432
        while ! port_is_free "$port"; do
            port=$((port + 1))
            [ "$port" -lt 55532 ] || { log "no free port in 55432-55531"; exit 1; }
        done
        as_owner "$bin/pg_ctl" -D "$data" -l "$dir/server.log" -w -t 60 \
            -o "-c listen_addresses=127.0.0.1 -c port=$port -k $dir -c fsync=on -c max_connections=200" start >&2
        started=1
        log "started PostgreSQL $version in $data on 127.0.0.1:$port"
    fi
    local psql=("$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -qtA)
    if [ "$("${psql[@]}" -c "SELECT 1 FROM pg_roles WHERE rolname = 'medledger'")" != 1 ]; then
        "${psql[@]}" -c "CREATE ROLE medledger LOGIN" >&2
    fi
    if [ "$("${psql[@]}" -c "SELECT 1 FROM pg_database WHERE datname = 'medledger_test'")" != 1 ]; then
        "${psql[@]}" -c "CREATE DATABASE medledger_test OWNER medledger" >&2
    fi
    echo "export MEDLEDGER_TEST_POSTGRES_URL=postgres://medledger@127.0.0.1:$port/medledger_test"
    echo "export MEDLEDGER_REQUIRE_POSTGRES=1"
    echo "export MEDLEDGER_PG_STARTED_BY_THIS_RUN=$started"
}

stop() {
    if [ "${MEDLEDGER_PG_STARTED_BY_THIS_RUN:-0}" = 1 ]; then
        as_owner "$bin/pg_ctl" -D "$data" -m fast -w stop >&2 || true
        rm -rf "$dir"
        log "stopped and removed the server in $data"
    fi
}

case "${1:-}" in
start) start ;;
stop) stop ;;
*)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
