#!/usr/bin/env bash
# examples/registry: the whole walkthrough with one command, at human speed (about 4 minutes).
#
# Starts the old registry (version 1, 200 services) and the new one (version 2, empty) beside it,
# the control plane (./cutover serve), and 40 lookups a second through Cutover; then starts the
# plan: registrations copied and verified, every lookup answered by both and compared, a smoke
# test of the new one, traffic switched, a minute of watching, the old one retired. Each phase
# is behind the plan's gates. Everything runs in a fresh temp folder (databases, store, logs).
# With --fault, the new registry loses 20% of lookups and the shadow run rolls the plan back.
#
# Watch it in another terminal: ./cutover status registry --watch --admin http://127.0.0.1:8096
# Everything listens on 127.0.0.1 (5201, 5202, 8095, 8096); Ctrl+C stops it all.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
fault=${1:-}
[[ -z $fault || $fault == --fault ]] || { echo "usage: bash examples/registry/run.sh [--fault]" >&2; exit 2; }
admin=http://127.0.0.1:8096
proxy=http://127.0.0.1:8095
# shellcheck source=../walkthrough.sh
source examples/walkthrough.sh
plan_is() { ctl status registry --json | grep -q "\"status\": \"$1\""; }

ports_free 5201 5202 8095 8096

say "Building the registry"
dotnet build examples/registry -c Release -v q -o "$work/bin" >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
say "Starting the old registry (version 1, 200 services) on :5201 and the new one (version 2, empty) on :5202"
(cd "$work" && exec dotnet bin/registry.dll --version 1 --db registry-v1.db --urls http://127.0.0.1:5201) >"$work/registry-v1.log" 2>&1 &
pids+=($!)
(cd "$work" && exec dotnet bin/registry.dll --version 2 --db registry-v2.db --urls http://127.0.0.1:5202) >"$work/registry-v2.log" 2>&1 &
pids+=($!)
wait_for 60 "the registries" curl -sf http://127.0.0.1:5202/health
cp examples/registry/copy-registrations.yaml "$work/"

say "Starting the control plane: lookups go through $proxy"
(cd "$work" && exec "$root/cutover" serve -c "$root/examples/registry/cutover.yaml") >"$work/cutover.log" 2>&1 &
pids+=($!)
wait_for 300 "the control plane" curl -sf "$admin/readyz"
(while :; do curl -s --rate 40/s "$proxy/services/svc-[001-200]" >/dev/null || sleep 1; done) &
pids+=($!)
curl -s "$proxy/services/svc-042"; echo

if [[ -n $fault ]]; then
  say "The new registry gets a bug: it loses 20% of lookups"
  curl -sf -X POST "http://127.0.0.1:5202/faults?lose=0.2"; echo
fi

say "The pre-migration checklist (both registries healthy, a rollback path, lookups flowing)"
wait_for 60 "the checks" ctl check registry
ctl check registry
say "Starting the plan"
ctl promote registry -r "move to the new registry"

if [[ -n $fault ]]; then
  say "The shadow run compares every lookup; over 1% divergence for 20 s it rolls back by itself"
  wait_for 300 "the rollback" plan_is rolled-back
  ctl status registry
  ctl audit registry --limit 5
  say "Done: clients kept the old registry's answers throughout; the store and logs are removed on exit."
  exit 0
fi

say "Phase 1: registrations copied in checkpointed batches, then verified (cutover backfill status registrations shows the job)"
wait_for 120 "the copy" plan_is running
wait_for 300 "the copy to be verified" bash -c "'$root/cutover' status registry --json --admin '$admin' | grep -q '\"mode\": \"shadow\"'"
ctl status registry
say "Phase 2: every lookup answered by both and compared (a minute); phase 3: a smoke test of the new one"
wait_for 300 "the switch" bash -c "'$root/cutover' status registry --json --admin '$admin' | grep -q '\"weight\": 100'"
say "Phase 4: traffic switched to the new registry"
curl -s -D - -o /dev/null "$proxy/services/svc-042" | grep -i '^registry-version'
say "Phase 5: after a minute on the new one, the old one is retired"
wait_for 300 "the retirement" plan_is completed
ctl status registry
say "Done; the old registry can be stopped now. The store and logs are removed on exit."
