#!/usr/bin/env bash
# bench/dashboard: the dashboard's speed goals in a real browser. A CutoverHost in process with
# MIGRATIONS migrations under RATE requests/s, Debian's Chromium driven by Playwright, LOADS first
# loads of `/` (each with nothing cached, after a warm-up): first contentful paint, the time until
# the fleet table has every row, bytes transferred before it (resource timing's transferSize),
# event-stream connections per tab, and the shortest time between two reads of one chart's metrics
# while the tab stays open HOLD seconds. Medians; writes bench/results/dashboard-YYYYMMDD-HHMMSS.md.
#
# Settings (environment): LOADS=10, HOLD=6 (seconds), MIGRATIONS=200, RATE=100.
# Everything listens on 127.0.0.1 only, in one process that stops everything it started.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
LOADS=${LOADS:-10}
HOLD=${HOLD:-6}
MIGRATIONS=${MIGRATIONS:-200}
RATE=${RATE:-100}
COMMAND="bash bench/dashboard/run.sh"
for v in RATE MIGRATIONS HOLD LOADS; do
  if printenv "$v" >/dev/null; then COMMAND="$v='${!v}' $COMMAND"; fi
done

COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
[[ -z $(git status --porcelain 2>/dev/null) ]] || COMMIT="$COMMIT (uncommitted changes)"
dotnet build -c Release --nologo -v q bench/dashboard/Dashboard.Bench.csproj >/dev/null
mkdir -p bench/results
exec dotnet bench/dashboard/bin/Release/net10.0/Dashboard.Bench.dll --loads "$LOADS" --hold "$HOLD" --migrations "$MIGRATIONS" \
  --rate "$RATE" --command "$COMMAND" --commit "$COMMIT" --out "bench/results/dashboard-$(date -u +%Y%m%d-%H%M%S).md"
