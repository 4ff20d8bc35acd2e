#!/usr/bin/env bash
# examples/layered-rollout: the whole walkthrough with one command, at human speed (about 5 minutes).
#
# Starts the legacy profiles service (version 1, 600 profiles in its own table) and the candidate
# (version 2) beside it, the control plane (./cutover serve), and simulated users (60 requests a
# second through Cutover, one in ten a write). Then one plan moves traffic and data together:
# shadow, canary 1, 5, 10, 25%, the profiles copied to the candidate's new table in checkpointed
# batches, the point of no return (the candidate writes the new table from there), 50, 75, 90,
# 100%, legacy retired. Everything runs in a fresh temp folder (databases, store, logs).
#   --fault       the candidate fails 30% of requests at 5%, before the point of no return:
#                 the trigger rolls every user back to legacy by itself.
#   --late-fault  the candidate fails 30% of requests at 50%, past the point of no return: the
#                 trigger halts the plan instead; a person forces the rollback and restores the
#                 new table from the backfill's snapshot.
#
# Watch it in another terminal: ./cutover status profiles --watch --admin http://127.0.0.1:8112
# or the dashboard at http://127.0.0.1:8112/
# Everything listens on 127.0.0.1 (5211, 5212, 8111, 8112); Ctrl+C stops it all.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
fault=${1:-}
[[ -z $fault || $fault == --fault || $fault == --late-fault ]] || { echo "usage: bash examples/layered-rollout/run.sh [--fault | --late-fault]" >&2; exit 2; }
admin=http://127.0.0.1:8112
proxy=http://127.0.0.1:8111
candidate=http://127.0.0.1:5212
# shellcheck source=../walkthrough.sh
source examples/walkthrough.sh
status_has() { ctl status profiles --json | grep -q "$1"; }
users() { tail -n 1 "$work/users.log"; }
tables() { curl -s "$candidate/store"; echo; }
# The backfill commands run where the control plane does: the job's databases are named relative to that folder.
backfill() { (cd "$work" && "$root/cutover" backfill "$@" --store sqlite:layered-cutover.db); }

ports_free 5211 5212 8111 8112

say "Building the profiles service"
dotnet build examples/layered-rollout -c Release -v q -o "$work/bin" >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
say "Starting legacy (version 1, 600 profiles in legacy.db) on :5211 and the candidate (version 2, its new table empty) on :5212"
(cd "$work" && exec dotnet bin/profiles.dll --version 1 --db legacy.db --urls http://127.0.0.1:5211) >"$work/legacy.log" 2>&1 &
pids+=($!)
legacy_pid=$!
(cd "$work" && exec dotnet bin/profiles.dll --version 2 --legacy-db legacy.db --db profiles-v2.db --control "$admin" --urls "$candidate") >"$work/candidate.log" 2>&1 &
pids+=($!)
wait_for 60 "the services" curl -sf "$candidate/health"
wait_for 60 "the legacy service" curl -sf http://127.0.0.1:5211/health
cp examples/layered-rollout/copy-profiles.yaml "$work/"
tables

say "Starting the control plane: users reach the service through $proxy"
(cd "$work" && exec "$root/cutover" serve -c "$root/examples/layered-rollout/cutover.yaml") >"$work/cutover.log" 2>&1 &
pids+=($!)
wait_for 300 "the control plane" curl -sf "$admin/readyz"
(cd "$work" && exec dotnet bin/profiles.dll users --target "$proxy" --rate 60) >"$work/users.log" 2>&1 &
pids+=($!)
curl -s -H "X-User-Id: 42" "$proxy/profiles/42"; echo

say "The pre-migration checklist (both sides healthy, a rollback path, requests flowing)"
wait_for 60 "the checks" ctl check profiles
ctl check profiles
say "Starting the plan"
ctl promote profiles -r "move profiles to the new service and table"

say "Phase 1: shadow: every read answered by both and compared; users get legacy's answers (30 s, 300 pairs)"
wait_for 300 "the canary" status_has '"mode": "canary"'
say "Phase 2: canary 1, 5, 10, 25% of users (sticky by X-User-Id), each level baked 15 s behind the gates"
users

if [[ $fault == --fault ]]; then
  wait_for 300 "weight 5" status_has '"weight": 5,'
  say "The candidate gets a bug at 5%, before the point of no return: 30% of its requests fail"
  curl -sf -X POST "$candidate/faults?fail=0.3"; echo
  say "The gates hold the plan where it is; after 1 minute over 5% errors the trigger rolls every user back to legacy"
  wait_for 300 "the rollback" status_has '"status": "rolled-back"'
  ctl status profiles
  ctl audit profiles --limit 4
  users
  say "Done: the candidate's 5% of users saw its errors for about a minute, then legacy again; the store and logs are removed on exit."
  exit 0
fi

wait_for 400 "the copy" bash -c "'$root/cutover' status profiles --admin '$admin' | grep -q 'Backfill step'"
say "Phase 3: the profiles copied to the new table in batches of 20, each checkpointed (traffic held at 25%)"
users
for _ in 1 2 3; do ctl status profiles | grep 'Backfill step' || true; sleep 4; done
wait_for 300 "the point of no return" status_has '"passed": true'
say "The copy verified (rows the users changed meanwhile caught up first), the point of no return passed: the candidate now writes the new table"
backfill status profiles
sleep 2
tables
ctl status profiles | grep -i 'point of no return' || true

if [[ $fault == --late-fault ]]; then
  wait_for 120 "weight 50" status_has '"weight": 50,'
  say "The candidate gets a bug at 50%, past the point of no return: 30% of its requests fail"
  curl -sf -X POST "$candidate/faults?fail=0.3"; echo
  say "After 1 minute over 5% errors the trigger halts the plan: legacy no longer holds current data, so users stay"
  wait_for 300 "the halt" status_has '"note": "halted'
  ctl status profiles
  say "A plain rollback is refused past the point of no return"
  ctl rollback profiles -r "candidate failing" || true
  say "The team decides to go back anyway: a forced rollback (audited), every user on legacy again"
  ctl rollback profiles --force -r "candidate failing; going back to legacy's table"
  users
  say "The new table put back as it was before the copy, from the backfill's snapshot"
  tables
  wait_for 60 "the restore" backfill restore profiles
  backfill status profiles
  tables
  ctl audit profiles --limit 4
  say "Done: the writes the candidate took after the point of no return are gone with the table; that is what the forced rollback warned of. The store and logs are removed on exit."
  exit 0
fi

say "Phase 4: 50, 75, 90, 100% of users on the candidate; catch-up passes keep copying legacy's writes meanwhile"
wait_for 300 "weight 100" status_has '"weight": 100,'
users
say "Phase 5: after 15 s at 100%, legacy is retired: it gets no new request, and the plan completes once the requests it still serves have drained"
wait_for 300 "the retirement" status_has '"status": "completed"'
ctl status profiles
ctl audit profiles --limit 1
say "Legacy gets nothing more and has drained: it is stopped, and the users go on"
kill "$legacy_pid"
sleep 11
users
say "Done. The store and logs are removed on exit."
