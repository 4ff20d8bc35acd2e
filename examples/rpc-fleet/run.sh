#!/usr/bin/env bash
# examples/rpc-fleet: the whole walkthrough with one command, at human speed (about 4.5 minutes).
#
# Starts the legacy and the candidate process (each hosting the twelve gRPC services), the
# control plane (./cutover serve, listening h2c), and the fleet's clients calling every service
# through Cutover, 60 calls a second; runs the pre-migration checklist and takes a backup; then
# moves the fleet phase by phase, p4 (lowest risk) first and p0 (critical) last: in each, every
# service's plan runs a parallel run with comparison, a gRPC smoke test, a blue-green switch, a
# watch and the old side's retirement. Prints the fleet's KPIs and success score at the end.
# With --fault, the candidate's Pricing answers every call with UNAVAILABLE: the parallel run of
# phase p3 catches it and rolls back Pricing with its lockstep group; the failure report is saved
# as JSON and the fleet stops there.
#
# Watch it in another terminal: ./cutover status --watch --admin http://127.0.0.1:8102
# Everything listens on 127.0.0.1 (5401, 5402, 8101, 8102); Ctrl+C stops it all. The backup and
# the failure report are kept in /tmp/rpc-fleet-TIME; everything else is removed on exit.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
fault=${1:-}
[[ -z $fault || $fault == --fault ]] || { echo "usage: bash examples/rpc-fleet/run.sh [--fault]" >&2; exit 2; }
admin=http://127.0.0.1:8102
proxy=http://127.0.0.1:8101
# shellcheck source=../walkthrough.sh
source examples/walkthrough.sh
kept=/tmp/rpc-fleet-$(date -u +%Y%m%d-%H%M%S)
# The phases in order, each its group and the migrations to promote (one per lockstep group: a
# plan command on one member acts on all of them).
phases=("p4:recommendations reviews notifications" "p3:catalog" "p2:inventory shipping" "p1:accounts" "p0:orders payments")
migrations=(recommendations reviews notifications catalog search pricing inventory shipping accounts sessions orders payments)
# group_has GROUP WHAT: the group's summary line (Group p3: 3 migrations: ...) says WHAT ("3 migrated")
group_has() { ctl status --group "$1" | grep -q "^Group $1: [0-9]* migrations: .*$2"; }
members_of() { ctl status --group "$1" | sed -n "s/^Group $1: \([0-9]*\) migrations.*/\1/p"; }

ports_free 5401 5402 8101 8102

say "Building the fleet"
dotnet build examples/rpc-fleet -c Release -v q -o "$work/bin" >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
say "Starting the legacy process (version 1) on :5401 and the candidate (version 2) on :5402, twelve gRPC services each"
(cd "$work" && exec dotnet bin/rpc-fleet.dll --side legacy --urls http://127.0.0.1:5401) >"$work/legacy.log" 2>&1 &
pids+=($!)
(cd "$work" && exec dotnet bin/rpc-fleet.dll --side candidate ${fault:+--fault Pricing} --urls http://127.0.0.1:5402) >"$work/candidate.log" 2>&1 &
pids+=($!)
wait_for 60 "the services" curl -sf --http2-prior-knowledge http://127.0.0.1:5402/health
[[ -n $fault ]] && echo "(--fault: the candidate's Pricing answers every call with UNAVAILABLE)"

say "Starting the control plane: clients call every service through $proxy (h2c)"
cp examples/rpc-fleet/cutover.yaml "$work/bin/fleet.pb" "$work/"
(cd "$work" && exec "$root/cutover" serve -c cutover.yaml) >"$work/cutover.log" 2>&1 &
pids+=($!)
wait_for 300 "the control plane" curl -sf "$admin/readyz"
(cd "$work" && exec dotnet bin/rpc-fleet.dll --calls "$proxy" --rate 60) >"$work/calls.log" 2>&1 &
pids+=($!)

say "The pre-migration checklist of every service (both sides healthy, a rollback path, calls flowing)"
for name in "${migrations[@]}"; do
  wait_for 60 "the checks of $name" ctl check "$name"
done
ctl status
say "Backup before the first move, kept in $kept: the running config (cutover export; cutover apply -f restores it) and every service's state"
mkdir -p "$kept"
ctl export >"$kept/fleet-before.yaml"
ctl status --json >"$kept/state-before.json"
curl -sf "$admin/api/fleet" >"$kept/fleet-before.json"
ls -l "$kept"

for phase in "${phases[@]}"; do
  group=${phase%%:*}
  count=$(members_of "$group")
  say "Phase $group ($count services): parallel run with comparison (20 s), gRPC smoke test, blue-green switch, 10 s watch, old side retired"
  for name in ${phase#*:}; do
    ctl promote "$name" -r "fleet phase $group"
  done
  started=$SECONDS
  until group_has "$group" "$count migrated" || group_has "$group" "[1-9][0-9]* rolled back"; do
    ((SECONDS - started < 300)) || { echo "error: phase $group did not finish in 300 s" >&2; tail -n 20 "$work"/*.log >&2; exit 1; }
    sleep 1
  done
  ctl status --group "$group"
  tail -n 1 "$work/calls.log"
  if group_has "$group" "[1-9][0-9]* rolled back"; then
    rolled=$(curl -sf "$admin/api/fleet?group=$group" | grep -o '"name": *"[a-z]*"' | sed 's/.*"\([a-z]*\)"$/\1/' | tr '\n' ' ')
    say "Phase $group rolled back; the failure reports, as JSON, kept in $kept"
    for name in $rolled; do
      ctl report "$name" >"$kept/$name-rollback.json"
      echo "$name: $(grep -m1 '"reason"' "$kept/$name-rollback.json" | sed 's/^ *//')"
    done
    ctl audit --limit 6
    say "The fleet stops at a rollback: the later phases are not started. Its KPIs and success score:"
    ctl status --summary
    exit 0
  fi
done

say "Every phase done: the fleet's KPIs and success score"
ctl status --summary
tail -n 1 "$work/calls.log"
say "Done; the legacy process can be stopped now. The backup is in $kept; the store and logs are removed on exit."
