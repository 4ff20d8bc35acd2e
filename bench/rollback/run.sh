#!/usr/bin/env bash
# bench/rollback: how long from the moment the candidate starts failing until it gets no more user
# traffic, when the plan's default triggers roll it back, measured end to end on real processes:
#   - legacy and candidate: bench/proxy/Backend on loopback, the candidate with --failable true;
#   - Cutover: `cutover serve` built in Release, one migration whose plan is `weight: 25`, then
#     `pause: {}`, with no triggers key, so the default triggers apply (a failing candidate meets the first, `candidate.errorRate > 0.5 for 10s`); started with
#     `cutover promote`, and at step 2 (25% of users, paused) before the candidate fails;
#   - load: bench/proxy/LoadGen at a fixed rate, 10,000 sticky X-User-Id values, for a bounded time.
# At T0 the candidate is switched to answering 503 (POST /bench/fail). Measured, against T0:
#   - when the default trigger's condition first held (the failure report's cause.holdingSince),
#   - when the rollback was stored (the migration's updatedAt) and first seen on the admin API
#     (GET /api/migrations/orders polled every POLL_MS once the trigger's duration is near),
#   - when the candidate received its last user request (its own clock), and when a user got the
#     last failed answer (LoadGen's clock): the time to 0% candidate traffic.
# A fresh Cutover (new SQLite store), fresh backends and a fresh load for every run.
# Writes bench/results/rollback-YYYYMMDD-HHMMSS.md and prints the table.
#
# Settings (environment):
#   RUNS=3        runs, each about 100 s with the defaults
#   RATE=300      requests per second (LoadGen, 32 connections), for the whole run
#   WEIGHT=25     the plan's canary step
#   SETTLE=20s    healthy traffic at WEIGHT before the candidate fails: 20 s fill the trigger's shortest
#                 window (10 s, read as whole 10-second buckets, so up to 20 s) with healthy answers, as
#                 for a candidate that has served for a while
#   TAIL=25s      load kept up past T0 + the trigger's duration; a run without a rollback by then fails (the first
#                 default needs half the window to fail first: up to about 10 s at a 50% threshold)
#   POLL_MS=20    admin API polling interval near the expected rollback (1 s before)
#   KEEP_WORK=1   keep the temp dir (configs, server logs, reports) after the run
# Everything listens on and is sent to 127.0.0.1 only; every process is stopped at the end, also on failure.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
BENCH=bench/rollback
# shellcheck source=../servers.sh
source bench/servers.sh

RUNS=${RUNS:-3}
RATE=${RATE:-300}
WEIGHT=${WEIGHT:-25}
SETTLE_S=$(seconds "${SETTLE:-20s}")
TAIL_S=$(seconds "${TAIL:-25s}")
POLL_MS=${POLL_MS:-20}
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "RUNS is a whole number of runs, 1 or more (got '$RUNS')"
[[ $RATE =~ ^[1-9][0-9]*$ ]] || die "RATE is requests per second, a whole number like 300 (got '$RATE')"
[[ $WEIGHT =~ ^[1-9][0-9]?$ ]] || die "WEIGHT is the canary step's percentage, 1 to 99 (got '$WEIGHT')"
[[ $POLL_MS =~ ^[1-9][0-9]*$ ]] || die "POLL_MS is a whole number of milliseconds like 20 (got '$POLL_MS')"
# The trigger that a failing candidate meets first: the first of the defaults (RolloutPlan.DefaultTriggers).
TRIGGER="candidate.errorRate > 0.5 for 10s"
TRIGGER_S=10

COMMAND="bash $BENCH/run.sh"
for v in KEEP_WORK POLL_MS TAIL SETTLE WEIGHT RATE RUNS; do
  if printenv "$v" >/dev/null; then COMMAND="$v='${!v}' $COMMAND"; fi
done

for tool in curl jq ss dotnet; do
  command -v "$tool" >/dev/null || die "$tool is not installed (apt-get install -y curl jq iproute2; .NET SDK 10 for dotnet)"
done

WORK=$(mktemp -d /tmp/cutover-bench-rollback.XXXXXX)
cleanup() {
  stop_all
  if [[ ${KEEP_WORK:-} == 1 ]]; then log "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

build backend bench/proxy/Backend/Backend.csproj || die "the backend (bench/proxy/Backend) did not build"
build loadgen bench/proxy/LoadGen/LoadGen.csproj || die "LoadGen (bench/proxy/LoadGen) did not build"
build cutover src/Cutover.Cli/Cutover.Cli.csproj || die "Cutover (src/Cutover.Cli) did not build"
BACKEND_DLL=bench/proxy/Backend/bin/Release/net10.0/Backend.dll
LOADGEN_DLL=bench/proxy/LoadGen/bin/Release/net10.0/LoadGen.dll
CUTOVER_DLL=src/Cutover.Cli/bin/Release/net10.0/cutover.dll
[[ -f $CUTOVER_DLL ]] || die "the Cutover build did not produce $CUTOVER_DLL"

cpu_mark

now_ms() { printf -v "$1" '%s' $(( ${EPOCHREALTIME/./} / 1000 )); }
iso_ms() { date -d "$1" +%s%3N; } # an ISO 8601 time from Cutover -> Unix milliseconds
after() { awk -v t="$1" -v t0="$2" 'BEGIN { printf "%.2f", (t - t0) / 1000 }'; } # ms ms -> seconds after T0
kv() { # "line" key -> value of key=value in line
  local word
  for word in $1; do [[ $word == "$2="* ]] && { echo "${word#*=}"; return 0; }; done
  echo ""
}

migration() { curl -s --max-time 5 "$ADMIN/api/migrations/orders"; }

wait_for() { # description seconds jq-filter: until the migration's view matches the filter
  local what=$1 deadline=$((SECONDS + $2)) json=
  while ((SECONDS < deadline)); do
    json=$(migration || true)
    [[ -n $json ]] && jq -e "$3" >/dev/null 2>&1 <<<"$json" && return 0
    sleep 0.1
  done
  die "run $RUN: the migration did not reach $what within $2 s; last view: ${json:0:400}"
}

one_run() {
  local legacy_port candidate_port listen_port admin_port legacy candidate config load_s
  alloc_port legacy_port; alloc_port candidate_port; alloc_port listen_port; alloc_port admin_port
  legacy=http://127.0.0.1:$legacy_port
  candidate=http://127.0.0.1:$candidate_port
  ADMIN=http://127.0.0.1:$admin_port
  start LEGACY_PID "legacy-$RUN" dotnet "$BACKEND_DLL" --urls "$legacy"
  start CANDIDATE_PID "candidate-$RUN" dotnet "$BACKEND_DLL" --urls "$candidate" --failable true
  wait_ready "legacy-$RUN" "$LEGACY_PID" "$legacy/orders/1"
  wait_ready "candidate-$RUN" "$CANDIDATE_PID" "$candidate/orders/1"

  config=$WORK/cutover-$RUN.yaml
  cat >"$config" <<EOF
listen: http://127.0.0.1:$listen_port
admin: $ADMIN
store: sqlite:$WORK/rollback-$RUN.db
migrations:
  - name: orders
    match: { pathPrefix: / }
    legacy: $legacy
    candidate: $candidate
    stickyBy: header:X-User-Id
    plan:
      steps:
        - weight: $WEIGHT
        - pause: {}
EOF
  start CUTOVER_PID "cutover-$RUN" dotnet "$CUTOVER_DLL" serve -c "$config"
  wait_ready "cutover-$RUN" "$CUTOVER_PID" "http://127.0.0.1:$listen_port/orders/1"
  wait_for "a ready plan with the default triggers" 10 \
    ".mode == \"legacy\" and .plan.status == \"ready\" and (.plan.triggers | index(\"$TRIGGER\")) != null"

  # The load runs from before the plan starts (its checks want traffic flowing) until TAIL seconds
  # after the latest moment the trigger should fire.
  load_s=$((3 + SETTLE_S + TRIGGER_S + TAIL_S))
  start LOAD_PID "loadgen-$RUN" dotnet "$LOADGEN_DLL" --url "http://127.0.0.1:$listen_port/" --rate "$RATE" \
    --duration "$load_s" --warmup 0 --connections 32
  sleep 2
  dotnet "$CUTOVER_DLL" promote orders --admin "$ADMIN" -r "bench/rollback run $RUN" >"$WORK/promote-$RUN.log" 2>&1 \
    || { cat "$WORK/promote-$RUN.log" >&2; die "run $RUN: cutover promote failed"; }
  wait_for "weight $WEIGHT, paused at step 2" 10 ".mode == \"canary\" and .weight == $WEIGHT and .plan.status == \"paused\" and .plan.step == 2"
  log "run $RUN: canary at $WEIGHT% (step 2, paused); ${SETTLE_S} s of healthy traffic, then the candidate fails"
  sleep "$SETTLE_S"

  local fail t0 json seen= early_until deadline started updated
  fail=$(curl -s --max-time 5 -X POST "$candidate/bench/fail")
  t0=$(jq -r .failingSinceUnixMs <<<"$fail")
  [[ $t0 =~ ^[0-9]+$ ]] || die "run $RUN: the candidate did not switch to failing: $fail"
  log "run $RUN: T0, the candidate answers 503 from now on; waiting for the rollback"
  # Polled once a second until 5 s before the trigger's duration is up (an early rollback is seen,
  # within a second), then every POLL_MS.
  early_until=$((t0 + (TRIGGER_S - 5) * 1000))
  deadline=$((t0 + (TRIGGER_S + TAIL_S - 2) * 1000))
  while :; do
    now_ms started
    ((started < deadline)) || die "run $RUN: no rollback within $((TRIGGER_S + TAIL_S - 2)) s of T0; last view: ${json:0:400}"
    kill -0 "$LOAD_PID" 2>/dev/null || die "run $RUN: the load stopped before the rollback (raise TAIL)"
    json=$(migration || true)
    if [[ $json == *'"status":"rolled-back"'* ]]; then now_ms seen; break; fi
    if ((started < early_until)); then sleep 1; else sleep "$(awk -v ms="$POLL_MS" 'BEGIN { print ms / 1000 }')"; fi
  done
  jq -e '.mode == "legacy" and .weight == 0' >/dev/null <<<"$json" || die "run $RUN: rolled back but not at legacy, weight 0: ${json:0:400}"
  updated=$(iso_ms "$(jq -r .updatedAt <<<"$json")")

  # The requests already on their way finish; then the candidate's and the users' last failure.
  local load_rc=0
  reap "$LOAD_PID" || load_rc=$?
  local load stats report holding decided last_request reason window_s
  load=$(grep '^LOADGEN ' "$WORK/loadgen-$RUN.log") || { cat "$WORK/loadgen-$RUN.log" >&2; die "run $RUN: LoadGen failed (exit $load_rc)"; }
  stats=$(curl -s --max-time 5 "$candidate/bench/stats")
  report=$(curl -s --max-time 5 "$ADMIN/api/migrations/orders/report")
  echo "$report" >"$WORK/report-$RUN.json"
  reason=$(jq -r .reason <<<"$report")
  [[ $reason == *"$TRIGGER"* ]] || die "run $RUN: the rollback was not the trigger '$TRIGGER': $reason"
  holding=$(iso_ms "$(jq -r .cause.holdingSince <<<"$report")")
  decided=$(iso_ms "$(jq -r .time <<<"$report")")
  last_request=$(jq -r .lastRequestUnixMs <<<"$stats")
  # The window the firing look judged: the shortest of 10 s, 30 s, 1 m... with enough samples,
  # read as whole 10-second buckets, so longer than its name.
  window_s=$(after "$(iso_ms "$(jq -r .cause.window.to <<<"$report")")" "$(iso_ms "$(jq -r .cause.window.from <<<"$report")")")

  RAW+=("run $RUN: t0_unix_ms=$t0 holding_unix_ms=$holding decided_unix_ms=$decided stored_unix_ms=$updated seen_unix_ms=$seen \
candidate_last_request_unix_ms=$last_request user_last_error_unix_ms=$(kv "$load" last_error_unix_ms) \
candidate_failed=$(jq -r .failed <<<"$stats") candidate_requests=$(jq -r .requests <<<"$stats") \
in_flight_at_rollback=$(jq -r .candidateInFlight <<<"$report") window_s=$window_s $load")
  ROW[$RUN]="$(after "$holding" "$t0") $(after "$decided" "$t0") $(after "$updated" "$t0") $(after "$seen" "$t0") \
$(after "$last_request" "$t0") $(after "$(kv "$load" last_error_unix_ms)" "$t0") $(kv "$load" errors) $(( $(kv "$load" requests) + $(kv "$load" errors) )) $window_s"
  log "run $RUN: condition held after $(after "$holding" "$t0") s; rolled back (stored) after $(after "$updated" "$t0") s; \
the candidate's last user request after $(after "$last_request" "$t0") s"
  stop_all
}

declare -A ROW
RAW=()
for RUN in $(seq "$RUNS"); do
  log "run $RUN of $RUNS"
  one_run
done

# --- report ---------------------------------------------------------------------------------
col() { local r; for r in $(seq "$RUNS"); do read -ra f <<<"${ROW[$r]}"; echo "${f[$1]}"; done; }
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) printf "%.2f", v[(NR + 1) / 2]; else printf "%.2f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# How much later than the condition's first hold plus the trigger's duration the candidate got its last request.
over() { awk -v s="$1" -v h="$2" -v d="$TRIGGER_S" 'BEGIN { printf "%+.2f", s - h - d }'; }

if other_cpu; then
  log "warning: other processes used $OTHER_CPU during the run; the orchestrator's ticks may have been late"
fi

LAST_MEDIAN=$(col 4 | median)
HELD_MEDIAN=$(col 0 | median)
TABLES=$(
  echo "Seconds after T0 (the candidate's switch to 503). Trigger: \`$TRIGGER\` (duration $TRIGGER_S s)."
  echo
  echo "| run | condition first held | rollback decided | stored | admin API shows weight 0 | candidate's last user request | last failed answer a user got | = first held + trigger duration + | failed user requests (of all sent) | window judged when it fired |"
  echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  for r in $(seq "$RUNS"); do
    read -ra f <<<"${ROW[$r]}"
    printf '| %s | %s | %s | %s | %s | %s | %s | **%s s** | %s (of %s) | %s s |\n' "$r" "${f[0]}" "${f[1]}" "${f[2]}" "${f[3]}" "${f[4]}" "${f[5]}" \
      "$(over "${f[4]}" "${f[0]}")" "${f[6]}" "${f[7]}" "${f[8]}"
  done
  printf '| median | %s | %s | %s | %s | %s | %s | **%s s** | | |\n' "$(col 0 | median)" "$(col 1 | median)" "$(col 2 | median)" "$(col 3 | median)" \
    "$LAST_MEDIAN" "$(col 5 | median)" "$(over "$LAST_MEDIAN" "$HELD_MEDIAN")"
)
VERDICT=$(awk -v s="$LAST_MEDIAN" -v h="$HELD_MEDIAN" -v d="$TRIGGER_S" 'BEGIN {
  printf "Time to 0%% candidate traffic (median): condition first held + trigger duration %+.2f s (target: under + 2 s): %s", s - h - d, (s - h - d < 2 ? "met" : "NOT met") }')

mkdir -p bench/results
RESULT=bench/results/rollback-$(date -u +%Y%m%d-%H%M%S).md
{
  echo "# bench/rollback — $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
  echo
  echo "Command (from the repository root): \`$COMMAND\`"
  echo
  echo "- Machine: $(machine)"
  echo "- .NET SDK $(dotnet --version); commit $(commit)"
  echo "- Load: LoadGen at $RATE req/s, 32 connections, 10,000 sticky users; plan \`weight: $WEIGHT\`, \`pause: {}\`, default triggers; ${SETTLE_S} s at $WEIGHT% before T0"
  echo "- CPU used by other processes during the run: $OTHER_CPU"
  echo
  echo "$TABLES"
  echo
  echo "$VERDICT"
  raw_lines "Raw lines (Unix milliseconds; LoadGen's times in µs):" "${RAW[@]}"
} >"$RESULT"

echo
echo "$TABLES"
echo
echo "$VERDICT"
echo
log "written to $RESULT"
