#!/usr/bin/env bash
# Starts a throwaway PostgreSQL on loopback for the tests and prints its Npgsql connection
# string as the last line of stdout (everything else goes to stderr):
#
#   export CUTOVER_TEST_POSTGRES=$(scripts/postgres.sh)
#   scripts/postgres.sh stop
#
# CUTOVER_PG_PORT (default 55432) and CUTOVER_PG_DIR (default /tmp/cutover-pg) choose where it
# runs. Every start wipes the folder, so each run begins from an empty cluster, and stop removes
# it once the server is down. Installs Debian's postgresql package when no server binaries are
# found and we are root (CI machines start clean).
set -euo pipefail

port="${CUTOVER_PG_PORT:-55432}"
dir="${CUTOVER_PG_DIR:-/tmp/cutover-pg}"
data="$dir/data"
database=cutover_test

say() { echo "postgres.sh: $*" >&2; }
fail() { say "$*"; exit 1; }

find_bin() {
    local candidate
    for candidate in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        if [[ -x "$candidate/initdb" && -x "$candidate/pg_ctl" && -x "$candidate/pg_isready" ]]; then
            echo "$candidate"
            return 0
        fi
    done
    return 1
}

ensure_bin() {
    if bin="$(find_bin)"; then
        return 0
    fi
    if [[ "$(id -u)" -ne 0 ]]; then
        fail "no PostgreSQL server found under /usr/lib/postgresql/*/bin. Install it with 'sudo apt-get install postgresql' (or run this script as root to install it), then run it again."
    fi
    say "installing PostgreSQL (apt-get install postgresql)"
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
    bin="$(find_bin)" || fail "apt-get installed postgresql but no initdb/pg_ctl appeared under /usr/lib/postgresql/*/bin."
}

# PostgreSQL refuses to run as root, so as root every server command runs as the postgres user.
as_owner() {
    if [[ "$(id -u)" -eq 0 ]]; then
        (cd / && runuser -u postgres -- "$@")
    else
        "$@"
    fi
}

stop_server() {
    if [[ -f "$data/postmaster.pid" ]]; then
        say "stopping the server in $data"
        as_owner "$bin/pg_ctl" -D "$data" -m fast -w stop >&2 || true
    fi
    if "$bin/pg_isready" -q -h 127.0.0.1 -p "$port"; then
        fail "another PostgreSQL is listening on 127.0.0.1:$port and was not started from $dir. Stop it, or choose another port with CUTOVER_PG_PORT."
    fi
}

start_server() {
    rm -rf "$dir"
    mkdir -p "$dir"
    if [[ "$(id -u)" -eq 0 ]]; then
        chown postgres:postgres "$dir"
    fi
    say "creating a cluster in $data"
    as_owner "$bin/initdb" -D "$data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 --no-sync >&2
    # Throwaway data: skipping fsync keeps the tests fast and loses nothing that matters.
    say "starting PostgreSQL on 127.0.0.1:$port"
    # The port is in the kernel's ephemeral range, so an outgoing connection of another process
    # can hold it as its local port for a while: then the bind fails, and a later try succeeds.
    local attempt
    for attempt in 1 2 3 4 5 6; do
        if as_owner "$bin/pg_ctl" -D "$data" -l "$dir/server.log" -w -t 30 \
            -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
            start >&2; then
            break
        fi
        if [[ $attempt -lt 6 ]] && grep -q "Address already in use" "$dir/server.log" 2>/dev/null; then
            say "127.0.0.1:$port is in use (by another process's connection?); trying again in 5 s"
            sleep 5
            continue
        fi
        cat "$dir/server.log" >&2 || true
        fail "PostgreSQL did not start; its log is above and in $dir/server.log."
    done

    local tries=0
    until "$bin/pg_isready" -q -h 127.0.0.1 -p "$port"; do
        tries=$((tries + 1))
        [[ $tries -lt 60 ]] || fail "PostgreSQL on 127.0.0.1:$port is not ready after 30 s; see $dir/server.log."
        sleep 0.5
    done
    as_owner "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres "$database" >&2
    echo "Host=127.0.0.1;Port=$port;Username=postgres;Database=$database"
}

case "${1:-start}" in
    start)
        ensure_bin
        stop_server
        start_server
        ;;
    stop)
        bin="$(find_bin)" || exit 0
        stop_server
        # The cluster is throwaway (every start wipes it), so stop leaves nothing behind.
        say "removing $dir"
        rm -rf "$dir"
        ;;
    *)
        fail "unknown command '$1'; use 'scripts/postgres.sh' to start or 'scripts/postgres.sh stop'."
        ;;
esac
