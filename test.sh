#!/usr/bin/env bash
# The test command. Starts a throwaway PostgreSQL on loopback for the store's contract suite
# (installing Debian's postgresql first when it is missing and we are root), makes sure Debian's
# Chromium is there for the dashboard's browser tests (scripts/chromium.sh), runs every test
# project, stops PostgreSQL, and ends with one line: "N passed, N failed".
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$root"

if ! CUTOVER_TEST_POSTGRES="$(scripts/postgres.sh)"; then
    echo "error: could not start PostgreSQL for the store tests (see above)." >&2
    echo "0 passed, 1 failed"
    exit 1
fi
export CUTOVER_TEST_POSTGRES

# The dashboard's browser tests drive Debian's Chromium; without it they fail, naming the package.
if ! CUTOVER_CHROMIUM="$(scripts/chromium.sh)"; then
    echo "error: no Chromium for the dashboard's browser tests (see above); they will fail." >&2
else
    export CUTOVER_CHROMIUM
fi
trap 'scripts/postgres.sh stop >/dev/null 2>&1 || true' EXIT

log="$(mktemp)"
# A test that hangs fails after 5 minutes with its name instead of holding the run forever.
dotnet test Cutover.slnx --nologo --blame-hang-timeout 5m --blame-hang-dump-type none "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# Each test assembly prints "Passed!  - Failed: F, Passed: P, Skipped: S, Total: T, ..." (or "Failed!  - ...").
read -r passed failed skipped < <(grep -E '^(Passed|Failed)!' "$log" | sed -E 's/.*Failed: *([0-9]+), Passed: *([0-9]+), Skipped: *([0-9]+).*/\2 \1 \3/' \
    | awk '{p+=$1; f+=$2; s+=$3} END {print p+0, f+0, s+0}')
rm -f "$log"
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
    failed=1   # the build or a test host failed before any test could report
fi
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
