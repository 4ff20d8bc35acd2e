#!/usr/bin/env bash
# examples/enhanced-mode: the whole walkthrough with one command, at human speed (about 4 minutes).
#
# Starts the shop's search (legacy, version 1) and the enhanced search (version 2, with its own
# data file) beside it, the control plane (./cutover serve), and 200 shoppers searching 40 times a
# second through Cutover. Backs up the migration's config (cutover export) and the enhanced
# search's data, then starts the plan: 10% of users, 25%, the promotion decision
# (cutover judge), 50%, everyone; legacy stays behind as the fallback (failover). Ends with the
# progress report. With --fault: the enhanced search gets slow (p95 over 500 ms: the plan rolls
# back), then dies mid-canary (failover keeps every shopper served; over 5% errors: rollback),
# and the operator restores its data and the saved config.
#
# Watch it in another terminal: ./cutover status search --watch --admin http://127.0.0.1:8098
# Everything listens on 127.0.0.1 (5301, 5302, 8097, 8098); Ctrl+C stops it all.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
fault=${1:-}
[[ -z $fault || $fault == --fault ]] || { echo "usage: bash examples/enhanced-mode/run.sh [--fault]" >&2; exit 2; }
admin=http://127.0.0.1:8098
proxy=http://127.0.0.1:8097
enhanced=http://127.0.0.1:5302
# shellcheck source=../walkthrough.sh
source examples/walkthrough.sh
plan_is() { ctl status search --json | grep -q "\"status\": \"$1\""; }
weight_is() { ctl status search --json | grep -q "\"weight\": $1,"; }
decision_is() { ctl judge search --json | grep -q "\"verdict\": \"$1\""; }
shoppers() { tail -n 1 "$work/shoppers.log"; }
start_enhanced() {
  (cd "$work" && exec dotnet bin/enhanced-search.dll --version 2 --data popularity.json --urls "$enhanced") >>"$work/enhanced.log" 2>&1 &
  enhanced_pid=$!
  pids+=("$enhanced_pid")
  wait_for 60 "the enhanced search" curl -sf "$enhanced/health"
}
# sides USER...: which side answers each user, asked twice
sides() {
  local user
  for user in "$@"; do
    printf '%s: ' "$user"
    for _ in 1 2; do
      curl -s -o /dev/null -D - -H "X-User-Id: $user" "$proxy/search?q=sofa" | tr -d '\r' | awk -F': ' 'tolower($1) == "cutover-side" { printf "%s ", $2 }'
    done
    echo
  done
}

ports_free 5301 5302 8097 8098

say "Building the search"
dotnet build examples/enhanced-mode -c Release -v q -o "$work/bin" >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
say "Starting the shop's search (version 1) on :5301 and the enhanced one (version 2) on :5302, with last week's popularity data"
cp examples/enhanced-mode/popularity.json "$work/"
(cd "$work" && exec dotnet bin/enhanced-search.dll --version 1 --urls http://127.0.0.1:5301) >"$work/legacy.log" 2>&1 &
pids+=($!)
start_enhanced

say "Starting the control plane; 200 shoppers search 40 times a second through $proxy"
(cd "$work" && exec "$root/cutover" serve -c "$root/examples/enhanced-mode/cutover.yaml") >"$work/cutover.log" 2>&1 &
pids+=($!)
wait_for 300 "the control plane" curl -sf "$admin/readyz"
(cd "$work" && exec dotnet bin/enhanced-search.dll --shoppers "$proxy" --users 200 --rate 40) >"$work/shoppers.log" 2>&1 &
pids+=($!)
curl -s -H "X-User-Id: u001" "$proxy/search?q=couch"; echo

say "Backup before the rollout: the migration's config as it runs (cutover export) and the enhanced search's data"
mkdir -p "$work/backup"
ctl export search >"$work/backup/search.yaml"
cp "$work/popularity.json" "$work/backup/popularity.json"
grep -E '^  (mode|weight):|^- name:' "$work/backup/search.yaml"

say "The pre-migration checklist, then the plan starts"
wait_for 60 "the checks" ctl check search
ctl check search
ctl promote search -r "enhanced search for 10% of users"

if [[ -n $fault ]]; then
  wait_for 120 "the canary" weight_is 10
  say "Fault 1: the enhanced search gets slow (every answer 800 ms late); at p95 over 500 ms for 20 s the plan rolls back"
  curl -sf -X POST "$enhanced/faults?delayMs=800"; echo
  wait_for 300 "the rollback" plan_is rolled-back
  ctl status search
  shoppers

  say "Fixed (the delay switched off); the plan starts again from its first step"
  curl -sf -X POST "$enhanced/faults?delayMs=0"; echo
  ctl retry search -r "latency fix deployed"
  wait_for 120 "the canary" weight_is 10
  sleep 10
  say "Fault 2: the enhanced search dies mid-canary; failover sends its users' searches to legacy"
  kill "$enhanced_pid"
  sleep 10
  ctl status search
  shoppers
  say "Every search the enhanced one failed counts as its error: over 5% for 20 s, the plan rolls back"
  wait_for 300 "the rollback" plan_is rolled-back
  ctl status search
  ctl audit search --limit 6
  shoppers

  say "Restore: the enhanced search's data from the backup (dropping what it learned from the broken runs), then it starts again"
  cp "$work/backup/popularity.json" "$work/popularity.json"
  start_enhanced
  curl -s "$enhanced/health"; echo
  say "Restore: the config saved before the rollout, applied back (mode, weight and plan as they were)"
  ctl apply -f "$work/backup/search.yaml" -r "restore the state saved before the rollout"
  ctl status search
  say "Done: no shopper lost a search; the store and logs are removed on exit."
  exit 0
fi

say "Phase 1: 10% of users get the enhanced search; each user keeps their side (sticky by X-User-Id)"
wait_for 120 "the canary" weight_is 10
sides u001 u002 u003 u004 u005 u006 u007 u008 u009 u010
say "Phase 2: a quarter of users; then the plan waits for a person's decision"
wait_for 300 "the promotion decision" plan_is paused
sides u001 u002 u003 u004 u005 u006 u007 u008 u009 u010
say "The canary promotion decision: the gates, the triggers and the Mann-Whitney test, as cutover judge reads them"
wait_for 120 "the judge to say promote" decision_is promote
ctl judge search
ctl promote search -r "judge: promote"
say "Phase 3: half of users, then everyone; legacy stays behind as the fallback"
wait_for 300 "everyone on the enhanced search" weight_is 100
sides u001 u002 u003 u004 u005
wait_for 300 "the plan to complete" plan_is completed

say "Progress report: the migration and its steps (cutover status), the fleet (GET /api/fleet), the audit, what shoppers got"
ctl status search
ctl status --summary
ctl audit search --limit 12
shoppers
say "The backup still restores the state before the rollout (a dry run: nothing is changed)"
ctl apply -f "$work/backup/search.yaml" --dry-run
say "Done; the store and logs are removed on exit."
