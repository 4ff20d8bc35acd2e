#!/usr/bin/env bash
# bench/fleet: fleet scale, measured on real processes:
#   - REPLICAS `cutover serve` replicas (built in Release) on one PostgreSQL, with MIGRATIONS
#     migrations in a generated config (canary at 10%, one legacy and one candidate Kestrel backend
#     shared by all);
#   - FOLLOWERS applications following the event stream through Cutover.Client's control-plane
#     link, the i-th on replica i mod REPLICAS, all in the benchmark's process (one connection each);
#   - CHANGES weight changes (10% <-> 90%) on random migrations through replica 1's admin API, each
#     timed until every replica's /api/events announced it (a replica announces after it swapped its
#     routing) and until every follower's table held it; every fifth checked on every replica's data
#     plane with 100 sticky users;
#   - the store's rows written per second (pg_stat_user_tables) over WINDOW seconds of RATE
#     requests/s spread over every migration and replica, and each replica's memory (VmRSS, and the
#     managed heap through dotnet-counters when installed).
# Writes bench/results/fleet-YYYYMMDD-HHMMSS.md and prints the tables.
#
# Settings (environment):
#   REPLICAS=3 MIGRATIONS=1000 FOLLOWERS=2000 CHANGES=50 RATE=200 WINDOW=30 (seconds)
#   PG=CONNSTRING  an existing PostgreSQL to use: the database cutover_fleet is created in it and
#                  dropped at the end. Without it a throwaway cluster is started with
#                  scripts/postgres.sh on port PG_PORT (55433, beside the tests' 55432) and stopped.
#   KEEP_WORK=1    keep the temp dir (configs, server logs)
# Everything listens on and is sent to 127.0.0.1 only; every process is stopped at the end, also on failure.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
BENCH=bench/fleet
# shellcheck source=../servers.sh
source bench/servers.sh

REPLICAS=${REPLICAS:-3}
MIGRATIONS=${MIGRATIONS:-1000}
FOLLOWERS=${FOLLOWERS:-2000}
CHANGES=${CHANGES:-50}
RATE=${RATE:-200}
WINDOW_S=$(seconds "${WINDOW:-30}")
PG_PORT=${PG_PORT:-55433}
for v in REPLICAS MIGRATIONS FOLLOWERS CHANGES RATE; do
  [[ ${!v} =~ ^[1-9][0-9]*$ ]] || die "$v is a whole number, 1 or more (got '${!v}')"
done

COMMAND="bash $BENCH/run.sh"
for v in KEEP_WORK PG_PORT WINDOW RATE CHANGES FOLLOWERS MIGRATIONS REPLICAS; do
  if printenv "$v" >/dev/null; then COMMAND="$v='${!v}' $COMMAND"; fi
done

for tool in psql dotnet; do
  command -v "$tool" >/dev/null || die "$tool is not installed (apt-get install -y postgresql-client; .NET SDK 10 for dotnet)"
done

WORK=$(mktemp -d /tmp/cutover-bench-fleet.XXXXXX)
PG_OWN=
ADMIN_CONN=
cleanup() {
  local pid
  # The replicas, should the benchmark's process have died without stopping them.
  if [[ -f $WORK/pids ]]; then
    while read -r pid; do
      [[ -n $pid ]] && kill -TERM "$pid" 2>/dev/null || true
    done <"$WORK/pids"
  fi
  stop_all
  if [[ -n $ADMIN_CONN ]]; then
    psql -q "$ADMIN_CONN" -c 'DROP DATABASE IF EXISTS cutover_fleet WITH (FORCE)' >/dev/null 2>&1 || log "could not drop the database cutover_fleet"
  fi
  if [[ -n $PG_OWN ]]; then
    CUTOVER_PG_PORT=$PG_PORT CUTOVER_PG_DIR=$PG_OWN scripts/postgres.sh stop >/dev/null 2>&1 || true
  fi
  if [[ ${KEEP_WORK:-} == 1 ]]; then log "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

build cutover src/Cutover.Cli/Cutover.Cli.csproj || die "Cutover (src/Cutover.Cli) did not build"
build fleet bench/fleet/Fleet.Bench.csproj || die "the benchmark (bench/fleet) did not build"
CUTOVER_DLL=src/Cutover.Cli/bin/Release/net10.0/cutover.dll
[[ -f $CUTOVER_DLL ]] || die "the Cutover build did not produce $CUTOVER_DLL"

if [[ -n ${PG:-} ]]; then
  base=$PG
else
  PG_OWN=/tmp/cutover-pg-fleet
  log "starting a throwaway PostgreSQL on 127.0.0.1:$PG_PORT ($PG_OWN)"
  base=$(CUTOVER_PG_PORT=$PG_PORT CUTOVER_PG_DIR=$PG_OWN scripts/postgres.sh 2>"$WORK/postgres.log" | tail -1) \
    || { cat "$WORK/postgres.log" >&2; die "PostgreSQL did not start"; }
fi
# psql takes a URI or key=value words; Npgsql's string is turned into the latter.
to_psql() { sed -e 's/;*$//' -e 's/Host=/host=/; s/Port=/port=/; s/Username=/user=/; s/Password=/password=/; s/Database=/dbname=/' -e 's/;/ /g' <<<"$1"; }
ADMIN_CONN=$(to_psql "$base")
psql -q "$ADMIN_CONN" -c 'DROP DATABASE IF EXISTS cutover_fleet WITH (FORCE)' -c 'CREATE DATABASE cutover_fleet' >/dev/null \
  || die "could not create the database cutover_fleet on $base"
STORE=$(sed -E 's/Database=[^;]*/Database=cutover_fleet/' <<<"$base")
[[ $STORE == *Database=cutover_fleet* ]] || STORE="${STORE%;};Database=cutover_fleet"

mkdir -p bench/results
OUT=bench/results/fleet-$(date -u +%Y%m%d-%H%M%S).md
export BENCH_MACHINE
BENCH_MACHINE=$(machine)
# The throwaway PostgreSQL works for the benchmark: its CPU time (the server's, its ended
# backends' and the live ones') counts as ours, not as other work on the machine.
pg_ticks() {
  [[ -n $PG_OWN && -f $PG_OWN/data/postmaster.pid ]] || { echo 0; return; }
  local main total p
  main=$(head -1 "$PG_OWN/data/postmaster.pid")
  total=$(awk '{ sub(/^.*\) /, ""); print $12 + $13 + $14 + $15 }' "/proc/$main/stat" 2>/dev/null || echo 0)
  for p in $(pgrep -P "$main" || true); do
    total=$((total + $(awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$p/stat" 2>/dev/null || echo 0)))
  done
  echo "$total"
}
PG_BEFORE=$(pg_ticks)
cpu_mark
start FLEET_PID fleet timeout 1800 dotnet bench/fleet/bin/Release/net10.0/Fleet.Bench.dll --cutover "$CUTOVER_DLL" --store "$STORE" \
  --replicas "$REPLICAS" --migrations "$MIGRATIONS" --followers "$FOLLOWERS" --changes "$CHANGES" --rate "$RATE" --window "$WINDOW_S" \
  --pids "$WORK/pids" --out "$OUT" --command "$COMMAND" --commit "$(commit)"
tail -f --pid "$FLEET_PID" "$WORK/fleet.log" &
TAIL_PID=$!
rc=0
reap "$FLEET_PID" || rc=$?
wait "$TAIL_PID" 2>/dev/null || true
if other_cpu "$(awk -v a="$PG_BEFORE" -v b="$(pg_ticks)" -v hz="$(getconf CLK_TCK)" 'BEGIN { print (b - a) / hz }')"; then
  log "other work used $OTHER_CPU of the machine meanwhile: the figures are skewed"
  [[ -f $OUT ]] && printf '\nOther work on the machine during the run: %s.\n' "$OTHER_CPU" >>"$OUT"
fi
((rc == 0)) || die "the benchmark failed (exit $rc); see above"
log "command: $COMMAND"
