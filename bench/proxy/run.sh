#!/usr/bin/env bash
# bench/proxy: one script, one run. Compares, against the same small backend:
#   direct   wrk -> backend
#   cutover  wrk -> Cutover (canary mode, weight 10, sticky by X-User-Id) -> backend
#   cutover-inline  the same with DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1 (inline I/O scheduling)
#   nginx    wrk -> nginx (split_clients 10% by X-User-Id, keepalive upstreams) -> backend
#   yarp     wrk -> bare YARP IHttpForwarder (10% by a counter, no Cutover logic) -> backend
#   cutover-shadow       wrk -> Cutover (mode shadow, shadow.percent 100) -> backend; every request is
#                        also copied to a second backend instance (the candidate, same speed)
#   cutover-shadow-slow  the same with the candidate about 10x slower (it holds every answer SLOW_DELAY_MS)
#   nginx-mirror         wrk -> nginx with the `mirror` module (nginx/mirror.conf.template) -> backend; every GET
#                        (HEAD, OPTIONS: Cutover's default shadow.methods) also sent to a second backend instance,
#                        the candidate, whose answer nginx reads and throws away: the job of cutover-shadow without
#                        the comparison. Fair terms: keepalive HTTP/1.1 upstreams for legacy and candidate alike
#                        (`keepalive 64`, `Connection ""`), keepalive_requests raised as for nginx,
#                        mirror_request_body on (nginx's default, written out: a copy carries the body, as
#                        Cutover's does), worker_processes auto, no access log. Its CPU counts every worker,
#                        under the same PIN/PROXY_CPUS as the other proxies. nginx's copies still open a
#                        connection each all the same (a mirror subrequest is header-only, so the candidate's
#                        answer is never read and its connection cannot be kept; the raw lines count the
#                        TIME_WAIT sockets to the candidate). nginx finishes a request only when its copy is
#                        answered, so a slow candidate holds the user on a keepalive connection: what -slow shows.
#   nginx-mirror-slow    the same with the candidate as slow as cutover-shadow-slow's (SLOW_DELAY_MS)
#   cutover-nometrics    wrk -> Cutover as `cutover`, but built from NOMETRICS_COMMIT, the last commit before
#                        per-request metrics (latency histograms, clock reads) were recorded on the request
#                        path; built in Release in a temporary git worktree under the work dir, removed after
#   cutover-failover     wrk -> Cutover as `cutover`, with `failover: true` on the migration (a healthy candidate:
#                        nothing is replayed, so this measures what failover costs the requests it protects)
#   cutover-traced       wrk -> Cutover as `cutover`, with tracing on: `telemetry: { otlp: URL }` exporting every
#                        request's spans (and the metrics) over OTLP/HTTP to a sink (a third backend instance,
#                        on the client's CPU, that answers every export 200); `cutover` is tracing off, the default
# For each target: 5 s warm-up, then peak throughput with wrk (-t2 -c32, users.lua), then latency
# at half of that target's own peak with bench/proxy/LoadGen (fixed rate), and the same rate
# sent straight to the backend as the baseline for "added p99".
# With shadow targets, the shadow path's counts (mirrored, dropped, compared, candidate errors, from
# Cutover's divergences API) are read after each phase, once every queued copy has been answered,
# When two or more of cutover, cutover-nometrics, cutover-failover, cutover-traced, cutover-shadow, cutover-shadow-slow, nginx-mirror and
# nginx-mirror-slow are listed, they run again SAME_ROUNDS times in alternating order, each round a fresh
# process: a wrk peak run (more samples for the throughput and CPU-per-request ratios: against cutover,
# and Cutover's shadow against nginx's mirror) and a LoadGen run at one and the same fixed rate for all
# of them (their p99 side by side, the slow candidate's included).
# Writes bench/results/proxy-YYYYMMDD-HHMMSS.md and prints the tables.
#
# Settings (environment):
#   TARGETS="direct cutover cutover-inline nginx yarp"   which targets, in order (the default; also
#                                          cutover-shadow cutover-shadow-slow nginx-mirror nginx-mirror-slow
#                                          cutover-nometrics cutover-failover cutover-traced)
#   DURATION=15s  WARMUP=5s               wrk peak run and its warm-up, per target
#   HALF_DURATION=10s  HALF_WARMUP=2s     LoadGen run at half of peak, per target
#   THREADS=2  CONNECTIONS=32             wrk threads; connections for wrk and LoadGen
#   KEEP_WORK=1                           keep the temp dir (configs, server logs) after the run
#   PIN=1                                  proxy on CPU 1; wrk, LoadGen and the backend on CPU 0 (2 cores needed),
#                                          so the proxy's latency is measured without queueing behind the load generator
#   PROXY_CPUS=0.5                         the proxy (Cutover, nginx or bare YARP) gets this many CPUs' worth of time (a
#                                          cgroup CPU quota) and the backends and load generators the rest, so the proxy is
#                                          the bottleneck and a throughput ratio measures the proxy's own cost per request
#                                          (in production the candidate's CPU is another machine's)
#   CUTOVER_ENV="VAR=VALUE ..."            extra environment for the Cutover process only (runtime knobs)
#   YARP_ENV="VAR=VALUE ..."               the same for the bare YARP process
#   SLOW_DELAY_MS=2                        cutover-shadow-slow, nginx-mirror-slow: the slow candidate's delay per response (ms; the
#                                          backend answers in 0.1-0.4 ms, so 2 ms is about 10x; measured at the start)
#   SAME_ROUNDS=2                          rounds of the comparison with cutover (peak and same rate, alternating order)
#   NOMETRICS_COMMIT=1fd7349               cutover-nometrics: the commit to build (default: the parent of cb9497e, which
#                                          put latency histograms on the request path)
# Everything listens on and is sent to 127.0.0.1 only; every run is bounded in time.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
BENCH=bench/proxy
# shellcheck source=../servers.sh
source bench/servers.sh

TARGETS=${TARGETS:-direct cutover cutover-inline nginx yarp}
DURATION=${DURATION:-15s}
WARMUP=${WARMUP:-5s}
HALF_DURATION=${HALF_DURATION:-10s}
HALF_WARMUP=${HALF_WARMUP:-2s}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-32}
SLOW_DELAY_MS=${SLOW_DELAY_MS:-2}
SAME_ROUNDS=${SAME_ROUNDS:-2}
NOMETRICS_COMMIT=${NOMETRICS_COMMIT:-1fd7349}

PIN_PROXY=; PIN_CLIENT=
if [[ ${PIN:-} == 1 ]]; then
  (( $(nproc) >= 2 )) || { echo "bench/proxy: error: PIN=1 needs 2 cores" >&2; exit 1; }
  PIN_PROXY="taskset -c 1"; PIN_CLIENT="taskset -c 0"
fi
if [[ -n ${PROXY_CPUS:-} ]]; then
  [[ $PROXY_CPUS =~ ^[0-9]*\.?[0-9]+$ ]] && awk -v c="$PROXY_CPUS" -v n="$(nproc)" 'BEGIN { exit !(c >= 0.05 && c < n) }' \
    || die "PROXY_CPUS is a share of the machine's $(nproc) CPUs between 0.05 and $(($(nproc) - 1)).x, like 0.5 (got '$PROXY_CPUS')"
  [[ ${PIN:-} != 1 ]] || die "PROXY_CPUS and PIN=1 are two ways of giving the proxy its CPU; choose one"
fi

DURATION_S=$(seconds "$DURATION"); WARMUP_S=$(seconds "$WARMUP")
HALF_DURATION_S=$(seconds "$HALF_DURATION"); HALF_WARMUP_S=$(seconds "$HALF_WARMUP")
[[ $SLOW_DELAY_MS =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "SLOW_DELAY_MS is a number of milliseconds like 2 or 1.5 (got '$SLOW_DELAY_MS')"
[[ $SAME_ROUNDS =~ ^[1-9][0-9]*$ ]] || die "SAME_ROUNDS is a whole number of rounds, 1 or more (got '$SAME_ROUNDS')"
for t in $TARGETS; do
  case $t in direct|cutover|cutover-inline|nginx|yarp|cutover-shadow|cutover-shadow-slow|nginx-mirror|nginx-mirror-slow|cutover-nometrics|cutover-failover|cutover-traced) ;;
    *) die "unknown target '$t' (TARGETS may list: direct cutover cutover-inline nginx yarp cutover-shadow cutover-shadow-slow nginx-mirror nginx-mirror-slow cutover-nometrics cutover-failover cutover-traced)" ;; esac
done
[[ " $TARGETS " == *" direct "* ]] || die "TARGETS must include direct (it is the baseline for added latency)"

# The exact command, with the settings that differ from the defaults.
COMMAND="bash $BENCH/run.sh"
for v in NOMETRICS_COMMIT PIN PROXY_CPUS SAME_ROUNDS SLOW_DELAY_MS YARP_ENV CUTOVER_ENV KEEP_WORK CONNECTIONS THREADS HALF_WARMUP HALF_DURATION WARMUP DURATION TARGETS; do
  if printenv "$v" >/dev/null; then COMMAND="$v='${!v}' $COMMAND"; fi
done

# --- work dir and cleanup -------------------------------------------------------------------
WORK=$(mktemp -d /tmp/cutover-bench-proxy.XXXXXX)
NOMETRICS_TREE=
cleanup() {
  stop_all
  [[ -z $NOMETRICS_TREE ]] || git worktree remove --force "$NOMETRICS_TREE" 2>/dev/null || git worktree prune
  [[ -z ${PROXY_CGROUP:-} ]] || rmdir "$PROXY_CGROUP" 2>/dev/null || true
  if [[ ${KEEP_WORK:-} == 1 ]]; then log "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- tools ----------------------------------------------------------------------------------
missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] || missing+=(nginx)
command -v curl >/dev/null || missing+=(curl)
command -v ss >/dev/null || missing+=(iproute2)
if ((${#missing[@]})); then
  [[ $(id -u) == 0 ]] || die "missing ${missing[*]}; run as root or: apt-get install -y ${missing[*]}"
  log "installing ${missing[*]} (apt)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >"$WORK/apt.log" 2>&1 \
    || { tail -20 "$WORK/apt.log" >&2; die "apt-get install ${missing[*]} failed"; }
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
command -v dotnet >/dev/null || die "dotnet is not installed"

# --- the proxy's CPU quota (PROXY_CPUS) ------------------------------------------------------
PROXY_CGROUP=
if [[ -n ${PROXY_CPUS:-} ]]; then
  [[ $(id -u) == 0 ]] || die "PROXY_CPUS needs root (it creates a cgroup)"
  if [[ -f /sys/fs/cgroup/cgroup.controllers ]]; then # cgroup v2
    grep -qw cpu /sys/fs/cgroup/cgroup.subtree_control || echo +cpu >/sys/fs/cgroup/cgroup.subtree_control \
      || die "cannot enable the cpu controller in /sys/fs/cgroup (needed for PROXY_CPUS)"
    PROXY_CGROUP=/sys/fs/cgroup/cutover-bench-proxy-$$
    mkdir "$PROXY_CGROUP" || die "cannot create the cgroup $PROXY_CGROUP"
    echo "$(awk -v c="$PROXY_CPUS" 'BEGIN { printf "%d", c * 100000 }') 100000" >"$PROXY_CGROUP/cpu.max"
  elif [[ -d /sys/fs/cgroup/cpu ]]; then # cgroup v1
    PROXY_CGROUP=/sys/fs/cgroup/cpu/cutover-bench-proxy-$$
    mkdir "$PROXY_CGROUP" || die "cannot create the cgroup $PROXY_CGROUP"
    echo 100000 >"$PROXY_CGROUP/cpu.cfs_period_us"
    awk -v c="$PROXY_CPUS" 'BEGIN { printf "%d\n", c * 100000 }' >"$PROXY_CGROUP/cpu.cfs_quota_us"
  else
    die "no cgroup CPU controller under /sys/fs/cgroup (needed for PROXY_CPUS)"
  fi
  log "the proxy gets $PROXY_CPUS CPUs' worth of time ($PROXY_CGROUP)"
fi
limit_proxy() { # pid: the proxy and its child processes (nginx's workers) into the quota, if any
  [[ -n $PROXY_CGROUP ]] || return 0
  local p
  for p in "$1" $(pgrep -P "$1" || true); do echo "$p" >"$PROXY_CGROUP/cgroup.procs"; done
}

# --- build ----------------------------------------------------------------------------------
build backend "$BENCH/Backend/Backend.csproj" || die "the backend did not build"
build loadgen "$BENCH/LoadGen/LoadGen.csproj" || die "LoadGen did not build"
[[ " $TARGETS " != *" yarp "* ]] || build yarp "$BENCH/BareForwarder/BareForwarder.csproj" || die "BareForwarder did not build"
CUTOVER_DLL=src/Cutover.Cli/bin/Release/net10.0/cutover.dll
if [[ " $TARGETS " == *" cutover"* ]]; then
  build cutover src/Cutover.Cli/Cutover.Cli.csproj \
    || die "Cutover (src/Cutover.Cli) did not build, so the cutover target cannot run. To measure the others: TARGETS='direct nginx yarp' bash $BENCH/run.sh"
  [[ -f $CUTOVER_DLL ]] || die "the Cutover build did not produce $CUTOVER_DLL"
fi
# cutover-nometrics: the commit before metrics recording, checked out beside the work and built the same way.
NOMETRICS_DLL=
if [[ " $TARGETS " == *" cutover-nometrics "* ]]; then
  NOMETRICS_SHA=$(git rev-parse --verify --quiet "$NOMETRICS_COMMIT^{commit}") \
    || die "NOMETRICS_COMMIT '$NOMETRICS_COMMIT' is not a commit of this repository (the default, 1fd7349, is the parent of cb9497e)"
  NOMETRICS_COMMIT=$(git rev-parse --short "$NOMETRICS_SHA")
  NOMETRICS_TREE=$WORK/nometrics-$NOMETRICS_COMMIT
  git worktree add --detach --quiet "$NOMETRICS_TREE" "$NOMETRICS_SHA" >"$WORK/worktree-nometrics.log" 2>&1 \
    || { cat "$WORK/worktree-nometrics.log" >&2; die "could not check out $NOMETRICS_COMMIT in a temporary worktree"; }
  build cutover-nometrics "$NOMETRICS_TREE/src/Cutover.Cli/Cutover.Cli.csproj" \
    || die "Cutover at $NOMETRICS_COMMIT (NOMETRICS_COMMIT) did not build, so cutover-nometrics cannot run"
  NOMETRICS_DLL=$NOMETRICS_TREE/src/Cutover.Cli/bin/Release/net10.0/cutover.dll
  [[ -f $NOMETRICS_DLL ]] || die "the build of $NOMETRICS_COMMIT did not produce $NOMETRICS_DLL"
fi
BACKEND_DLL=$BENCH/Backend/bin/Release/net10.0/Backend.dll
YARP_DLL=$BENCH/BareForwarder/bin/Release/net10.0/BareForwarder.dll
LOADGEN_DLL=$BENCH/LoadGen/bin/Release/net10.0/LoadGen.dll

cpu_mark

# --- servers ---------------------------------------------------------------------------------
alloc_port BACKEND_PORT
BACKEND=http://127.0.0.1:$BACKEND_PORT
# shellcheck disable=SC2086 # the pin prefixes are words on purpose
start BACKEND_PID backend $PIN_CLIENT dotnet "$BACKEND_DLL" --urls "$BACKEND"
wait_ready backend "$BACKEND_PID" "$BACKEND/orders/1"
log "backend on $BACKEND"

is_shadow() { [[ $1 == cutover-shadow || $1 == cutover-shadow-slow ]]; }  # Cutover's shadow mode
is_mirror() { [[ $1 == nginx-mirror || $1 == nginx-mirror-slow ]]; }       # nginx's mirror module
is_slow() { [[ $1 == cutover-shadow-slow || $1 == nginx-mirror-slow ]]; }

start_candidate() { # target -> CANDIDATE_URL and CANDIDATE_PID: a second backend instance of its own, on the client's CPU like the first
  local delay=() candidate_port
  ! is_slow "$1" || delay=(--delay-ms "$SLOW_DELAY_MS")
  alloc_port candidate_port
  CANDIDATE_URL=http://127.0.0.1:$candidate_port
  # shellcheck disable=SC2086
  start CANDIDATE_PID "candidate-$1-$STARTS" $PIN_CLIENT dotnet "$BACKEND_DLL" --urls "$CANDIDATE_URL" "${delay[@]}"
  wait_ready "candidate-$1-$STARTS" "$CANDIDATE_PID" "$CANDIDATE_URL/orders/1"
}

STARTS=0
start_target() { # target -> sets TARGET_URL and TARGET_PID (empty for direct), and CANDIDATE_PID for the shadow targets
  local port admin dir
  TARGET_PID=; CANDIDATE_PID=; NGINX_DIR=
  STARTS=$((STARTS + 1))
  case $1 in
    direct)
      TARGET_URL=$BACKEND ;;
    cutover|cutover-inline|cutover-shadow|cutover-shadow-slow|cutover-nometrics|cutover-failover|cutover-traced)
      local candidate=$BACKEND telemetry= mode_lines="mode: canary
    weight: 10"
      [[ $1 != cutover-failover ]] || mode_lines+="
    failover: true"
      if [[ $1 == cutover-traced ]]; then
        start_candidate "$1" # not a candidate here: the OTLP sink
        telemetry="telemetry: { otlp: $CANDIDATE_URL }"
      fi
      if is_shadow "$1"; then
        start_candidate "$1"
        candidate=$CANDIDATE_URL
        mode_lines="mode: shadow
    shadow: { percent: 100 }"
      fi
      alloc_port port; alloc_port admin
      CUTOVER_ADMIN=http://127.0.0.1:$admin
      # A store of its own per start: the store keeps a migration's mode, and the file seeds only
      # migrations the store has not seen, so a canary run's store would turn a shadow run into canary.
      cat >"$WORK/cutover-$STARTS.yaml" <<EOF
listen: http://127.0.0.1:$port
admin: http://127.0.0.1:$admin
store: sqlite:$WORK/bench-$STARTS.db
$telemetry
migrations:
  - name: orders
    match: { pathPrefix: / }
    legacy: $BACKEND
    candidate: $candidate
    $mode_lines
    stickyBy: header:X-User-Id
EOF
      TARGET_URL=http://127.0.0.1:$port
      local inline= dll=$CUTOVER_DLL
      [[ $1 != cutover-inline ]] || inline=DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1
      [[ $1 != cutover-nometrics ]] || dll=$NOMETRICS_DLL
      # shellcheck disable=SC2086 # CUTOVER_ENV is a list of VAR=VALUE words on purpose
      start TARGET_PID "$1-$STARTS" $PIN_PROXY env $inline ${CUTOVER_ENV:-} dotnet "$dll" serve -c "$WORK/cutover-$STARTS.yaml" ;;
    nginx)
      alloc_port port
      dir=$WORK/nginx; mkdir -p "$dir"
      sed -e "s|@PREFIX@|$dir|g" -e "s|@PORT@|$port|g" -e "s|@BACKEND@|127.0.0.1:$BACKEND_PORT|g" \
        "$BENCH/nginx/nginx.conf.template" >"$dir/nginx.conf"
      "$NGINX" -t -q -p "$dir" -e "$dir/error.log" -c "$dir/nginx.conf" >"$WORK/nginx-test.log" 2>&1 \
        || { cat "$WORK/nginx-test.log" >&2; die "the generated nginx config is invalid"; }
      TARGET_URL=http://127.0.0.1:$port
      start TARGET_PID nginx $PIN_PROXY "$NGINX" -p "$dir" -e "$dir/error.log" -c "$dir/nginx.conf" -g 'daemon off;' ;;
    nginx-mirror|nginx-mirror-slow)
      start_candidate "$1"
      alloc_port port
      dir=$WORK/$1-$STARTS; mkdir -p "$dir"
      sed -e "s|@PREFIX@|$dir|g" -e "s|@PORT@|$port|g" -e "s|@BACKEND@|127.0.0.1:$BACKEND_PORT|g" -e "s|@CANDIDATE@|${CANDIDATE_URL#http://}|g" \
        "$BENCH/nginx/mirror.conf.template" >"$dir/nginx.conf"
      "$NGINX" -t -q -p "$dir" -e "$dir/error.log" -c "$dir/nginx.conf" >"$WORK/nginx-test.log" 2>&1 \
        || { cat "$WORK/nginx-test.log" >&2; die "the generated nginx mirror config is invalid"; }
      TARGET_URL=http://127.0.0.1:$port; NGINX_DIR=$dir
      start TARGET_PID "$1-$STARTS" $PIN_PROXY "$NGINX" -p "$dir" -e "$dir/error.log" -c "$dir/nginx.conf" -g 'daemon off;' ;;
    yarp)
      alloc_port port
      TARGET_URL=http://127.0.0.1:$port
      # shellcheck disable=SC2086
      start TARGET_PID yarp $PIN_PROXY env ${YARP_ENV:-} dotnet "$YARP_DLL" --urls "$TARGET_URL" --legacy "$BACKEND" --candidate "$BACKEND" --weight 10 ;;
  esac
  local name=$1
  [[ $1 != cutover* && $1 != nginx-mirror* ]] || name=$1-$STARTS
  [[ -z $TARGET_PID ]] || { wait_ready "$name" "$TARGET_PID" "$TARGET_URL/orders/1"; limit_proxy "$TARGET_PID"; }
}

stop_target() { # the proxy, then the shadow targets' candidate backend (cutover-traced's OTLP sink)
  [[ -z $TARGET_PID ]] || stop "$TARGET_PID"
  [[ -z ${CANDIDATE_PID:-} ]] || stop "$CANDIDATE_PID"
  TARGET_PID=; CANDIDATE_PID=
}

# --- measurements ---------------------------------------------------------------------------
run_wrk() { # name url seconds -> the WRK line
  local out=$WORK/wrk-$1.txt
  timeout --kill-after=5 $(($3 + 30)) $PIN_CLIENT wrk -t"$THREADS" -c"$CONNECTIONS" -d"$3s" --latency -s "$BENCH/users.lua" "$2/" >"$out" 2>&1 \
    || { cat "$out" >&2; die "wrk against $1 failed"; }
  grep '^WRK ' "$out" || { cat "$out" >&2; die "no result line from wrk against $1"; }
}

run_loadgen() { # name url rate -> the LOADGEN line (exit 2 = errors, still reported)
  local out=$WORK/loadgen-$1.txt rc=0
  timeout --kill-after=5 $((HALF_WARMUP_S + HALF_DURATION_S + 60)) $PIN_CLIENT dotnet "$LOADGEN_DLL" --url "$2/" --rate "$3" \
    --duration "$HALF_DURATION_S" --warmup "$HALF_WARMUP_S" --connections "$CONNECTIONS" >"$out" 2>&1 || rc=$?
  grep '^LOADGEN ' "$out" || { cat "$out" >&2; die "LoadGen against $1 failed (exit $rc)"; }
}

cutover_split() { # the per-side counts from Cutover's admin API: proof the canary decision ran
  local json legacy candidate
  json=$(curl -s --max-time 5 "$CUTOVER_ADMIN/api/migrations/orders" || true)
  legacy=$(grep -o '"legacy":{"requests":[0-9]*' <<<"$json" | grep -o '[0-9]*$' || true)
  candidate=$(grep -o '"candidate":{"requests":[0-9]*' <<<"$json" | grep -o '[0-9]*$' || true)
  if [[ -z $legacy || -z $candidate ]] || ((legacy + candidate == 0)); then
    log "warning: could not read Cutover's per-side counts from $CUTOVER_ADMIN/api/migrations/orders: ${json:0:300}"
    SPLIT="Cutover's per-side counts could not be read from its admin API."
    return
  fi
  SPLIT=$(awk -v l="$legacy" -v c="$candidate" 'BEGIN {
    printf "Cutover sent %d of %d requests (%.1f%%) to the candidate during its runs (weight 10).", c, l + c, 100 * c / (l + c) }')
  log "$SPLIT"
  awk -v l="$legacy" -v c="$candidate" 'BEGIN { p = 100 * c / (l + c); exit !(p >= 5 && p <= 15) }' \
    || log "warning: Cutover's candidate share is far from the configured 10%"
}

backend_on() { # with PIN=1, move the backend (all its threads) to a CPU: its own for direct runs, the client's otherwise
  [[ ${PIN:-} != 1 ]] || taskset -a -pc "$1" "$BACKEND_PID" >/dev/null
}

# --- the shadow path's counts ---------------------------------------------------------------
SHADOW_KEYS="mirrored dropped skipped compared equal divergent candidateErrors"

shadow_counts() { # -> "mirrored=N dropped=N ... candidateErrors=N" from the divergences API, or nothing
  local json k v out=
  json=$(curl -s --max-time 10 "$CUTOVER_ADMIN/api/migrations/orders/divergences" || true)
  for k in $SHADOW_KEYS; do
    # The process's counts come first in the answer (before the stored endpoint groups).
    v=$(grep -o "\"$k\":[0-9]*" <<<"$json" | head -1 | grep -o '[0-9]*$' || true)
    [[ -n $v ]] || { log "warning: no '$k' in $CUTOVER_ADMIN/api/migrations/orders/divergences: ${json:0:300}"; return 0; }
    out+="$k=$v "
  done
  echo "${out% }"
}

last_candidate_error() {
  curl -s --max-time 10 "$CUTOVER_ADMIN/api/migrations/orders/divergences" | grep -o '"lastCandidateError":"[^"]*"' | head -1 | cut -d'"' -f4 || true
}

# Waits until every copy queued so far has been answered (compared) or failed, at most 30 s, so
# that a phase's counts are complete; sets SHADOW_NOW (the counts) and DRAIN_MS (how long it took).
wait_drained() {
  local started deadline=$((SECONDS + 30)) c=
  started=$(date +%s%N)
  while :; do
    c=$(shadow_counts)
    [[ -n $c ]] || die "the shadow path's counts could not be read from Cutover's admin API"
    (( $(kv "$c" compared) + $(kv "$c" candidateErrors) < $(kv "$c" mirrored) )) || break
    if ((SECONDS >= deadline)); then
      log "warning: $(( $(kv "$c" mirrored) - $(kv "$c" compared) - $(kv "$c" candidateErrors) )) mirrored copies still unanswered after 30 s (copies stalled?)"
      break
    fi
    sleep 0.1
  done
  SHADOW_NOW=$c
  DRAIN_MS=$(( ($(date +%s%N) - started) / 1000000 ))
}

counts_delta() { # before after -> after - before, key by key
  local k out=
  for k in $SHADOW_KEYS; do out+="$k=$(( $(kv "$2" "$k") - $(kv "$1" "$k") )) "; done
  echo "${out% }"
}

check_mirrored() { # target counts: every request of the phase must be mirrored or dropped, none skipped
  if (( $(kv "$2" mirrored) + $(kv "$2" dropped) == 0 )); then
    log "warning: $1: the shadow path neither mirrored nor dropped anything; is shadow mode on?"
  fi
  if (( $(kv "$2" candidateErrors) > 0 )); then
    log "warning: $1: $(kv "$2" candidateErrors) copies failed at the candidate; last: $(last_candidate_error)"
  fi
}

end_phase() { # -> SHADOW_PHASE: the shadow path's counts since the last phase ended, once every queued copy is answered
  wait_drained
  SHADOW_PHASE="$(counts_delta "$shadow_before" "$SHADOW_NOW") drain_ms=$DRAIN_MS"
  shadow_before=$SHADOW_NOW
}

report_phase() { # target label counts: into the raw lines and the log, with check_mirrored's warnings
  RAW+=("$1 $2 shadow:  $3")
  log "$1 $2, shadow path: $3"
  check_mirrored "$1" "$3"
}

# --- nginx's mirror ---------------------------------------------------------------------------
# nginx answers a mirrored request's user before the copy is answered, so the copies still in flight
# when wrk stops are part of the run's work, as Cutover's queued copies are: wait for them (the
# process and its workers idle for 0.3 s, at most 10 s) before reading the CPU times.
wait_idle() { # pid
  local deadline=$((SECONDS + 10)) a b
  a=$(process_ticks "$1")
  while ((SECONDS < deadline)); do
    sleep 0.3
    b=$(process_ticks "$1")
    [[ $a != "$b" ]] || return 0
    a=$b
  done
  log "warning: the proxy (pid $1) was still busy 10 s after the load stopped"
}

mirror_check() { # target: nginx logs a copy that failed at the candidate as an [error] line
  local n closed
  n=$(grep -c '\[error\]' "$NGINX_DIR/error.log" 2>/dev/null || true)
  # Connections to the candidate closed in the last minute: about one per copy, since nginx cannot keep them.
  closed=$(ss -Htn state time-wait "dport = :${CANDIDATE_URL##*:}" | wc -l)
  RAW+=("$1 nginx error-log errors so far: ${n:-0}; connections to the candidate in TIME_WAIT: $closed")
  [[ ${n:-0} == 0 ]] || log "warning: $1: nginx logged $n errors (failed copies?); last: $(grep '\[error\]' "$NGINX_DIR/error.log" | tail -1)"
}

# --- how much slower the slow candidate is ---------------------------------------------------
# Both backends alone at a low fixed rate (no queueing), p50 from LoadGen: the slow one should be
# about 10x the plain one. The loaded figure is in the tables: "direct p50" at the same rate.
RAW=()
CALIB=
if [[ " $TARGETS " == *" cutover-shadow-slow "* || " $TARGETS " == *" nginx-mirror-slow "* ]]; then
  backend_on 0
  alloc_port slow_port
  start SLOW_PID slow-calibration $PIN_CLIENT dotnet "$BACKEND_DLL" --urls "http://127.0.0.1:$slow_port" --delay-ms "$SLOW_DELAY_MS"
  wait_ready slow-calibration "$SLOW_PID" "http://127.0.0.1:$slow_port/orders/1"
  log "calibration: the backend and the slow candidate (--delay-ms $SLOW_DELAY_MS) at 1000 req/s, 5 s each"
  cal_fast=$(timeout 60 $PIN_CLIENT dotnet "$LOADGEN_DLL" --url "$BACKEND/" --rate 1000 --duration 5 --warmup 1 --connections "$CONNECTIONS" | grep '^LOADGEN ' || true)
  cal_slow=$(timeout 60 $PIN_CLIENT dotnet "$LOADGEN_DLL" --url "http://127.0.0.1:$slow_port/" --rate 1000 --duration 5 --warmup 1 --connections "$CONNECTIONS" | grep '^LOADGEN ' || true)
  stop "$SLOW_PID"
  [[ -n $cal_fast && -n $cal_slow ]] || die "the calibration of the slow candidate failed"
  RAW+=("calibration backend: $cal_fast" "calibration slow candidate: $cal_slow")
  CALIB=$(awk -v f="$(kv "$cal_fast" p50_us)" -v s="$(kv "$cal_slow" p50_us)" -v d="$SLOW_DELAY_MS" 'BEGIN {
    printf "Slow candidate: --delay-ms %s. Alone at 1000 req/s, p50 %.2f ms against the plain backend'"'"'s %.2f ms (%.0f×).", d, s / 1000, f / 1000, s / f }')
  log "$CALIB"
fi

SPLIT=
declare -A PEAK HALF BASE SHADOW_PEAK SHADOW_HALF
for t in $TARGETS; do
  if [[ $t == direct ]]; then backend_on 1; else backend_on 0; fi
  start_target "$t"
  log "$t: warm-up ${WARMUP_S}s"
  timeout --kill-after=5 $((WARMUP_S + 30)) $PIN_CLIENT wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP_S}s" -s "$BENCH/users.lua" "$TARGET_URL/" >"$WORK/warmup-$t.txt" 2>&1 \
    || { cat "$WORK/warmup-$t.txt" >&2; die "warm-up against $t failed"; }
  if is_shadow "$t"; then wait_drained; shadow_before=$SHADOW_NOW; fi
  log "$t: wrk -t$THREADS -c$CONNECTIONS -d${DURATION_S}s"
  proxy_before=$( [[ -z $TARGET_PID ]] && echo 0 || process_ticks "$TARGET_PID"); backend_before=$(process_ticks "$BACKEND_PID")
  candidate_before=$( [[ -z $CANDIDATE_PID ]] && echo 0 || process_ticks "$CANDIDATE_PID")
  PEAK[$t]=$(run_wrk "$t" "$TARGET_URL" "$DURATION_S")
  # With shadow, the copies still queued when wrk stops are part of the peak run's work: wait for
  # them before reading the CPU times.
  if is_shadow "$t"; then end_phase; SHADOW_PEAK[$t]=$SHADOW_PHASE; fi
  ! is_mirror "$t" || wait_idle "$TARGET_PID"
  proxy_after=$( [[ -z $TARGET_PID ]] && echo 0 || process_ticks "$TARGET_PID"); backend_after=$(process_ticks "$BACKEND_PID")
  candidate_after=$( [[ -z $CANDIDATE_PID ]] && echo 0 || process_ticks "$CANDIDATE_PID")
  requests=$(kv "${PEAK[$t]}" requests)
  PEAK[$t]="${PEAK[$t]} proxy_cpu_us=$(cpu_per_request "$proxy_before" "$proxy_after" "$requests") backend_cpu_us=$(cpu_per_request "$backend_before" "$backend_after" "$requests")"
  [[ -z $CANDIDATE_PID ]] || PEAK[$t]="${PEAK[$t]} candidate_cpu_us=$(cpu_per_request "$candidate_before" "$candidate_after" "$requests")"
  RAW+=("$t peak:  ${PEAK[$t]}")
  ! is_shadow "$t" || report_phase "$t" peak "${SHADOW_PEAK[$t]}"
  rate=$(( $(printf '%.0f' "$(kv "${PEAK[$t]}" rps)") / 2 ))
  ((rate > 0)) || die "$t: peak throughput is zero"
  log "$t: $(kv "${PEAK[$t]}" rps) req/s; LoadGen at half of that, $rate req/s, ${HALF_DURATION_S}s"
  HALF[$t]=$(run_loadgen "$t" "$TARGET_URL" "$rate")
  RAW+=("$t half:  ${HALF[$t]}")
  if is_shadow "$t"; then
    # LoadGen's own warm-up is in this delta: it is one run of one rate.
    end_phase; SHADOW_HALF[$t]=$SHADOW_PHASE
    report_phase "$t" "half of peak (with LoadGen's warm-up)" "${SHADOW_HALF[$t]}"
  fi
  case $t in cutover|cutover-inline) cutover_split ;; esac
  ! is_mirror "$t" || mirror_check "$t"
  if [[ -n $TARGET_PID ]]; then
    stop_target
    log "$t: direct at the same rate ($rate req/s), the baseline for added p99"
    backend_on 1
    BASE[$t]=$(run_loadgen "direct-at-$t-half" "$BACKEND" "$rate")
    RAW+=("$t base:  ${BASE[$t]} (direct at the same rate)")
  fi
done

# Cutover against bare YARP at one and the same rate (half of bare YARP's peak), back to back:
# the latency Cutover's own logic adds on top of a bare forwarder.
declare -A SAME
if [[ -n ${PEAK[cutover]:-} && -n ${PEAK[yarp]:-} ]]; then
  SAME_RATE=$(( $(printf '%.0f' "$(kv "${PEAK[yarp]}" rps)") / 2 ))
  for t in yarp cutover; do
    backend_on 0
    start_target "$t"
    timeout --kill-after=5 $((WARMUP_S + 30)) $PIN_CLIENT wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP_S}s" -s "$BENCH/users.lua" "$TARGET_URL/" >"$WORK/warmup-same-$t.txt" 2>&1 \
      || { cat "$WORK/warmup-same-$t.txt" >&2; die "warm-up against $t failed"; }
    log "$t: LoadGen at bare YARP's half peak, $SAME_RATE req/s, ${HALF_DURATION_S}s"
    SAME[$t]=$(run_loadgen "$t-same-rate" "$TARGET_URL" "$SAME_RATE")
    RAW+=("$t same-rate:  ${SAME[$t]}")
    stop_target
  done
fi

# Canary against shadow (same-speed and 10x slower candidate) and against the build before metrics,
# and Cutover's shadow against nginx's mirror: peak again, then one and the same rate, half of the
# lowest peak among them, so that none runs above half of its own peak. SAME_ROUNDS rounds, the order
# reversed every other round, so that drift over time does not favour one target.
ROUND_SET=()
for t in cutover cutover-nometrics cutover-failover cutover-traced cutover-shadow cutover-shadow-slow nginx-mirror nginx-mirror-slow; do [[ -z ${PEAK[$t]:-} ]] || ROUND_SET+=("$t"); done
declare -A SR=() SR_SHADOW=() SRP=() SRP_SHADOW=()
if ((${#ROUND_SET[@]} >= 2)); then
  SR_RATE=
  for t in "${ROUND_SET[@]}"; do
    r=$(( $(printf '%.0f' "$(kv "${PEAK[$t]}" rps)") / 2 ))
    [[ -n $SR_RATE ]] && ((SR_RATE <= r)) || SR_RATE=$r
  done
  for round in $(seq "$SAME_ROUNDS"); do
    order=("${ROUND_SET[@]}")
    if ((round % 2 == 0)); then
      order=(); for ((i = ${#ROUND_SET[@]} - 1; i >= 0; i--)); do order+=("${ROUND_SET[$i]}"); done
    fi
    for t in "${order[@]}"; do
      backend_on 0
      start_target "$t"
      timeout --kill-after=5 $((WARMUP_S + 30)) $PIN_CLIENT wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP_S}s" -s "$BENCH/users.lua" "$TARGET_URL/" >"$WORK/warmup-sr-$t-$round.txt" 2>&1 \
        || { cat "$WORK/warmup-sr-$t-$round.txt" >&2; die "warm-up against $t failed"; }
      if is_shadow "$t"; then wait_drained; shadow_before=$SHADOW_NOW; fi
      log "$t: round $round of $SAME_ROUNDS, wrk -t$THREADS -c$CONNECTIONS -d${DURATION_S}s"
      proxy_before=$(process_ticks "$TARGET_PID")
      SRP[$t#$round]=$(run_wrk "$t-sr-$round" "$TARGET_URL" "$DURATION_S")
      if is_shadow "$t"; then end_phase; SRP_SHADOW[$t#$round]=$SHADOW_PHASE; fi
      ! is_mirror "$t" || wait_idle "$TARGET_PID"
      SRP[$t#$round]="${SRP[$t#$round]} proxy_cpu_us=$(cpu_per_request "$proxy_before" "$(process_ticks "$TARGET_PID")" "$(kv "${SRP[$t#$round]}" requests)")"
      RAW+=("$t peak round $round:  ${SRP[$t#$round]}")
      ! is_shadow "$t" || report_phase "$t" "peak round $round" "$SHADOW_PHASE"
      log "$t: round $round of $SAME_ROUNDS, LoadGen at $SR_RATE req/s, ${HALF_DURATION_S}s"
      SR[$t#$round]=$(run_loadgen "$t-sr-$round" "$TARGET_URL" "$SR_RATE")
      RAW+=("$t same-rate round $round:  ${SR[$t#$round]}")
      if is_shadow "$t"; then
        end_phase; SR_SHADOW[$t#$round]=$SHADOW_PHASE
        report_phase "$t" "same-rate round $round (with LoadGen's warm-up)" "$SHADOW_PHASE"
      fi
      ! is_mirror "$t" || mirror_check "$t"
      stop_target
    done
  done
fi

# --- report ---------------------------------------------------------------------------------
ms() { awk -v us="$1" 'BEGIN { printf "%.2f ms", us / 1000 }'; }
ratio() { # a b -> a/b as 0.00x, or n/a
  [[ -n $1 && -n $2 ]] || { echo "n/a"; return; }
  awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f×", a / b }'
}
errors_of() { # WRK or LOADGEN line -> total errors
  local l=$1
  if [[ $l == WRK* ]]; then
    echo $(( $(kv "$l" connect_errors) + $(kv "$l" read_errors) + $(kv "$l" write_errors) + $(kv "$l" status_errors) + $(kv "$l" timeouts) ))
  else
    kv "$l" errors
  fi
}
label() { case $1 in direct) echo "direct (no proxy)";; cutover) echo "Cutover, canary weight 10";; cutover-inline) echo "Cutover, inline I/O (DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1)";; nginx) echo "nginx split_clients 10%";; yarp) echo "bare YARP forwarder";;
  cutover-nometrics)
    if [[ $NOMETRICS_SHA == 1fd7349* ]]; then echo "Cutover, canary weight 10, before metrics recording ($NOMETRICS_COMMIT)"; else echo "Cutover, canary weight 10, built from $NOMETRICS_COMMIT"; fi ;;
  cutover-traced) echo "Cutover, canary weight 10, tracing on (OTLP export)";;
  cutover-failover) echo "Cutover, canary weight 10, failover on (healthy candidate)";;
  cutover-shadow) echo "Cutover, shadow 100%, candidate same speed";; cutover-shadow-slow)
    if [[ $SLOW_DELAY_MS == 2 ]]; then echo "Cutover, shadow 100%, candidate 10× slower (+2 ms)"; else echo "Cutover, shadow 100%, candidate slowed by $SLOW_DELAY_MS ms"; fi ;;
  nginx-mirror) echo "nginx mirror 100%, candidate same speed";; nginx-mirror-slow)
    if [[ $SLOW_DELAY_MS == 2 ]]; then echo "nginx mirror 100%, candidate 10× slower (+2 ms)"; else echo "nginx mirror 100%, candidate slowed by $SLOW_DELAY_MS ms"; fi ;; esac; }

yarp_rps=; nginx_rps=
[[ -z ${PEAK[yarp]:-} ]] || yarp_rps=$(kv "${PEAK[yarp]}" rps)
[[ -z ${PEAK[nginx]:-} ]] || nginx_rps=$(kv "${PEAK[nginx]}" rps)
TOTAL_ERRORS=0

TABLES=$(
  echo "Peak: \`wrk -t$THREADS -c$CONNECTIONS -d${DURATION_S}s --latency -s $BENCH/users.lua\` after a ${WARMUP_S}s warm-up."
  echo
  echo "| target | req/s | p50 | p99 | vs bare YARP | vs nginx | proxy CPU per request | backend CPU per request | errors |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
  for t in $TARGETS; do
    l=${PEAK[$t]}
    proxy_cpu="$(kv "$l" proxy_cpu_us) µs"; [[ $t != direct ]] || proxy_cpu="—"
    printf '| %s | %s | %s | %s | %s | %s | %s | %s µs | %s |\n' "$(label "$t")" "$(kv "$l" rps)" "$(ms "$(kv "$l" p50_us)")" \
      "$(ms "$(kv "$l" p99_us)")" "$(ratio "$(kv "$l" rps)" "$yarp_rps")" "$(ratio "$(kv "$l" rps)" "$nginx_rps")" "$proxy_cpu" \
      "$(kv "$l" backend_cpu_us)" "$(errors_of "$l")"
  done
  echo
  echo "CPU per request: user + system time of the process (with nginx's workers) during the peak run, divided by the requests it served."
  echo
  echo "Half of peak: \`LoadGen --rate R --duration $HALF_DURATION_S --warmup $HALF_WARMUP_S --connections $CONNECTIONS\`, R = half of the target's own peak;"
  echo "each proxy's run is followed by the same rate sent straight to the backend, and \"added p99\" is the difference."
  echo
  echo "| target | rate (req/s) | achieved | p50 | p99 | direct p99 at same rate | added p99 | errors |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|"
  for t in $TARGETS; do
    l=${HALF[$t]}
    if [[ -n ${BASE[$t]:-} ]]; then
      b=${BASE[$t]}
      base_p99=$(ms "$(kv "$b" p99_us)")
      added=$(ms $(( $(kv "$l" p99_us) - $(kv "$b" p99_us) )))
      errs=$(( $(errors_of "$l") + $(errors_of "$b") ))
    else
      base_p99="—"; added="—"; errs=$(errors_of "$l")
    fi
    printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$(label "$t")" "$(kv "$l" target_rps)" "$(kv "$l" achieved_rps)" \
      "$(ms "$(kv "$l" p50_us)")" "$(ms "$(kv "$l" p99_us)")" "$base_p99" "$added" "$errs"
  done
)
VERDICT=
if [[ -n ${SAME[cutover]:-} ]]; then
  own_us=$(( $(kv "${SAME[cutover]}" p99_us) - $(kv "${SAME[yarp]}" p99_us) ))
  TABLES+=$'\n\n'"Cutover against bare YARP at the same rate, $SAME_RATE req/s (half of bare YARP's peak), back to back:"$'\n\n'
  TABLES+="| target | p50 | p99 | errors |"$'\n'"|---|---:|---:|---:|"$'\n'
  TABLES+="| bare YARP forwarder | $(ms "$(kv "${SAME[yarp]}" p50_us)") | $(ms "$(kv "${SAME[yarp]}" p99_us)") | $(errors_of "${SAME[yarp]}") |"$'\n'
  TABLES+="| Cutover, canary weight 10 | $(ms "$(kv "${SAME[cutover]}" p50_us)") | $(ms "$(kv "${SAME[cutover]}" p99_us)") | $(errors_of "${SAME[cutover]}") |"$'\n\n'
  TABLES+="p99 that Cutover's own logic adds over bare YARP: $(ms "$own_us")"
  VERDICT+="Cutover's own added p99 over bare YARP at the same rate: $(ms "$own_us") (target < 1 ms): $( ((own_us < 1000)) && echo met || echo 'NOT met')"$'\n'
fi
for t in $TARGETS; do
  for l in "${PEAK[$t]}" "${HALF[$t]}" "${BASE[$t]:-}" "${SAME[$t]:-}"; do
    [[ -z $l ]] || TOTAL_ERRORS=$((TOTAL_ERRORS + $(errors_of "$l")))
  done
done

for t in cutover cutover-inline; do
  if [[ -n ${PEAK[$t]:-} && -n $yarp_rps ]]; then
    c=${PEAK[$t]}
    added_us=$(( $(kv "${HALF[$t]}" p99_us) - $(kv "${BASE[$t]}" p99_us) ))
    VERDICT+=$(awk -v name="$(label "$t")" -v c="$(kv "$c" rps)" -v y="$yarp_rps" -v a="$added_us" 'BEGIN {
      printf "Targets for %s: throughput %.0f%% of bare YARP (target >= 90%%): %s; p99 added over direct at half of peak %.2f ms (target < 1 ms): %s\n",
        name, 100 * c / y, (c >= 0.9 * y ? "met" : "NOT met"), a / 1000, (a < 1000 ? "met" : "NOT met") }')$'\n'
  fi
done

# --- shadow mode ----------------------------------------------------------------------------
shadow_row() { # target phase counts requests-label -> one row of the shadow path's table
  local c=$2 offered
  offered=$(( $(kv "$c" mirrored) + $(kv "$c" dropped) + $(kv "$c" skipped) ))
  awk -v t="$(label "$1")" -v ph="$3" -v o="$offered" -v m="$(kv "$c" mirrored)" -v d="$(kv "$c" dropped)" -v sk="$(kv "$c" skipped)" \
      -v cmp="$(kv "$c" compared)" -v eq="$(kv "$c" equal)" -v dv="$(kv "$c" divergent)" -v ce="$(kv "$c" candidateErrors)" -v dr="$(kv "$c" drain_ms)" 'BEGIN {
    printf "| %s | %s | %d | %d | %d (%.1f%%) | %d | %d (%d / %d) | %d | %.1f s |\n", t, ph, o, m, d, (o > 0 ? 100 * d / o : 0), sk, cmp, eq, dv, ce, dr / 1000 }'
}
SHADOW_TARGETS=(); MIRROR_TARGETS=()
for t in $TARGETS; do
  ! is_shadow "$t" || SHADOW_TARGETS+=("$t")
  ! is_mirror "$t" || MIRROR_TARGETS+=("$t")
done
canary_rps=
[[ -z ${PEAK[cutover]:-} ]] || canary_rps=$(kv "${PEAK[cutover]}" rps)
if ((${#SHADOW_TARGETS[@]} + ${#MIRROR_TARGETS[@]})); then
  TABLES+=$'\n\n'"## Shadow mode"$'\n\n'
  TABLES+="\`mode: shadow\`, \`shadow: { percent: 100 }\` (otherwise defaults: concurrency 32, queueSize 1000, timeout 10s, no noise probe): every user is served by legacy (the backend) and every GET is copied to the candidate, a second backend instance on its own port."
  ((${#MIRROR_TARGETS[@]} == 0)) || TABLES+=" nginx's \`mirror\` (bench/proxy/nginx/mirror.conf.template) does the same job without comparing: every GET also sent to a second backend instance over a keepalive upstream, its answer read and dropped."
  [[ -z $CALIB ]] || TABLES+=" $CALIB"
  TABLES+=$'\n\n'"Peak, the same wrk run as above; CPU per request counts the copies' work (the run ends when the last queued copy has been answered):"$'\n\n'
  TABLES+="| target | req/s | vs canary | p50 | p99 | proxy CPU per request | legacy backend CPU per request | candidate CPU per request | errors |"$'\n'
  TABLES+="|---|---:|---:|---:|---:|---:|---:|---:|---:|"$'\n'
  for t in cutover "${SHADOW_TARGETS[@]}" "${MIRROR_TARGETS[@]}"; do
    [[ -n ${PEAK[$t]:-} ]] || continue
    l=${PEAK[$t]}
    cand="—"; [[ -z $(kv "$l" candidate_cpu_us) ]] || cand="$(kv "$l" candidate_cpu_us) µs"
    TABLES+="| $(label "$t") | $(kv "$l" rps) | $(ratio "$(kv "$l" rps)" "$canary_rps") | $(ms "$(kv "$l" p50_us)") | $(ms "$(kv "$l" p99_us)") | $(kv "$l" proxy_cpu_us) µs | $(kv "$l" backend_cpu_us) µs | $cand | $(errors_of "$l") |"$'\n'
  done
  ((${#SHADOW_TARGETS[@]} == 0)) || TABLES+=$'\n'"What the shadow path did, from \`GET /api/migrations/orders/divergences\` before and after each phase (the half-of-peak phase includes LoadGen's ${HALF_WARMUP_S} s warm-up); \"answered after\" is how long after the load stopped the last queued copy was compared:"$'\n\n'"| target | phase | copies offered | mirrored | dropped (queue full) | skipped | compared (equal / divergent) | candidate errors | answered after |"$'\n'"|---|---|---:|---:|---:|---:|---:|---:|---:|"$'\n'
  for t in "${SHADOW_TARGETS[@]}"; do
    TABLES+=$(shadow_row "$t" "${SHADOW_PEAK[$t]}" "peak (wrk, $(kv "${PEAK[$t]}" requests) requests)")$'\n'
    TABLES+=$(shadow_row "$t" "${SHADOW_HALF[$t]}" "half of own peak ($(kv "${HALF[$t]}" target_rps) req/s)")$'\n'
  done
  for t in "${SHADOW_TARGETS[@]}"; do
    if [[ -n $canary_rps ]] && ((${#SRP[@]} == 0)); then
      VERDICT+=$(awk -v name="$(label "$t")" -v c="$(kv "${PEAK[$t]}" rps)" -v k="$canary_rps" 'BEGIN {
        printf "%s: peak throughput %.0f%% of canary mode'"'"'s", name, 100 * c / k }')$'\n'
    fi
  done
fi
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.0f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
if ((${#SRP[@]})); then
  # Peak throughput, every sample: the main run and one per round; the ratio is of the medians.
  declare -A RPS_MED
  TABLES="${TABLES%$'\n'}"$'\n\n'"Peak again in every round (\`wrk -t$THREADS -c$CONNECTIONS -d${DURATION_S}s\` after a ${WARMUP_S} s warm-up, a fresh process each time, $SAME_ROUNDS rounds, the order reversed every other round); with the main run above, $((SAME_ROUNDS + 1)) samples per target:"$'\n\n'
  TABLES+="| target | req/s: main run, then each round | median | vs canary (medians) | vs canary, round by round | proxy CPU per request, median | copies dropped at peak |"$'\n'
  TABLES+="|---|---|---:|---:|---|---:|---|"$'\n'
  declare -A CPU_MED
  for t in "${ROUND_SET[@]}"; do
    values=("$(kv "${PEAK[$t]}" rps)"); for round in $(seq "$SAME_ROUNDS"); do values+=("$(kv "${SRP[$t#$round]}" rps)"); done
    RPS_MED[$t]=$(printf '%s\n' "${values[@]}" | median)
    values=("$(kv "${PEAK[$t]}" proxy_cpu_us)"); for round in $(seq "$SAME_ROUNDS"); do values+=("$(kv "${SRP[$t#$round]}" proxy_cpu_us)"); done
    CPU_MED[$t]=$(printf '%s\n' "${values[@]}" | sort -g | awk '{ v[NR] = $1 } END { printf "%.1f", (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }')
    for round in $(seq "$SAME_ROUNDS"); do TOTAL_ERRORS=$((TOTAL_ERRORS + $(errors_of "${SRP[$t#$round]}"))); done
  done
  for t in "${ROUND_SET[@]}"; do
    values=("$(kv "${PEAK[$t]}" rps)"); for round in $(seq "$SAME_ROUNDS"); do values+=("$(kv "${SRP[$t#$round]}" rps)"); done
    vs="—"; per="—"; drops="—"
    if [[ $t != cutover && -n ${RPS_MED[cutover]:-} ]]; then
      vs=$(ratio "${RPS_MED[$t]}" "${RPS_MED[cutover]}")
      per=$(ratio "$(kv "${PEAK[$t]}" rps)" "$(kv "${PEAK[cutover]}" rps)")
      for round in $(seq "$SAME_ROUNDS"); do per+=", $(ratio "$(kv "${SRP[$t#$round]}" rps)" "$(kv "${SRP[cutover#$round]}" rps)")"; done
    fi
    if is_shadow "$t"; then
      counts=("${SHADOW_PEAK[$t]}"); for round in $(seq "$SAME_ROUNDS"); do counts+=("${SRP_SHADOW[$t#$round]}"); done
      drops=$(for c in "${counts[@]}"; do
        awk -v d="$(kv "$c" dropped)" -v m="$(kv "$c" mirrored)" -v s="$(kv "$c" skipped)" 'BEGIN { t = d + m + s; printf "%.0f%%\n", (t > 0 ? 100 * d / t : 0) }'
      done | paste -sd ',' | sed 's/,/, /g')
    fi
    TABLES+="| $(label "$t") | $(printf '%s\n' "${values[@]}" | paste -sd ',' | sed 's/,/, /g') | ${RPS_MED[$t]} | $vs | $per | ${CPU_MED[$t]} µs | $drops |"$'\n'
  done
  if [[ -n ${RPS_MED[cutover-nometrics]:-} && -n ${RPS_MED[cutover]:-} && $NOMETRICS_SHA != 1fd7349* ]]; then
    # Another commit than the default: the same figures, without the metrics target's verdict.
    VERDICT+=$(awk -v w="${RPS_MED[cutover]}" -v wo="${RPS_MED[cutover-nometrics]}" -v cw="${CPU_MED[cutover]}" -v cwo="${CPU_MED[cutover-nometrics]}" \
      -v n="$((SAME_ROUNDS + 1))" -v c="$NOMETRICS_COMMIT" 'BEGIN {
      printf "This build against %s: peak throughput %.1f%% of it (medians of %d runs each); proxy CPU per request %.1f µs against %.1f µs (%+.1f%%)",
        c, 100 * w / wo, n, cw, cwo, 100 * (cw - cwo) / cwo }')$'\n'
  elif [[ -n ${RPS_MED[cutover-nometrics]:-} && -n ${RPS_MED[cutover]:-} ]]; then
    VERDICT+=$(awk -v w="${RPS_MED[cutover]}" -v wo="${RPS_MED[cutover-nometrics]}" -v cw="${CPU_MED[cutover]}" -v cwo="${CPU_MED[cutover-nometrics]}" \
      -v n="$((SAME_ROUNDS + 1))" -v c="$NOMETRICS_COMMIT" 'BEGIN {
      printf "Metrics recording: peak throughput with it %.1f%% of the build before it (%s; medians of %d runs each; target >= 97%%): %s; proxy CPU per request %.1f µs against %.1f µs (%+.1f%%)",
        100 * w / wo, c, n, (w >= 0.97 * wo ? "met" : "NOT met"), cw, cwo, 100 * (cw - cwo) / cwo }')$'\n'
  fi
  if [[ -n ${RPS_MED[cutover-failover]:-} && -n ${RPS_MED[cutover]:-} ]]; then
    VERDICT+=$(awk -v on="${RPS_MED[cutover-failover]}" -v off="${RPS_MED[cutover]}" -v con="${CPU_MED[cutover-failover]}" -v coff="${CPU_MED[cutover]}" -v n="$((SAME_ROUNDS + 1))" 'BEGIN {
      printf "Failover on, healthy candidate: peak throughput %.1f%% of failover off (medians of %d runs each); proxy CPU per request %.1f µs against %.1f µs (%+.1f%%)",
        100 * on / off, n, con, coff, 100 * (con - coff) / coff }')$'\n'
  fi
  if [[ -n ${RPS_MED[cutover-traced]:-} && -n ${RPS_MED[cutover]:-} ]]; then
    VERDICT+=$(awk -v on="${RPS_MED[cutover-traced]}" -v off="${RPS_MED[cutover]}" -v con="${CPU_MED[cutover-traced]}" -v coff="${CPU_MED[cutover]}" -v n="$((SAME_ROUNDS + 1))" 'BEGIN {
      printf "Tracing on (OTLP export): peak throughput %.1f%% of tracing off (medians of %d runs each); proxy CPU per request %.1f µs against %.1f µs (%+.1f%%)",
        100 * on / off, n, con, coff, 100 * (con - coff) / coff }')$'\n'
  fi
  for t in "${ROUND_SET[@]}"; do
    [[ $t != cutover && -n ${RPS_MED[cutover]:-} ]] && is_shadow "$t" || continue
    counts=("${SHADOW_PEAK[$t]}"); for round in $(seq "$SAME_ROUNDS"); do counts+=("${SRP_SHADOW[$t#$round]}"); done
    dropped=0; offered=0
    for c in "${counts[@]}"; do
      dropped=$((dropped + $(kv "$c" dropped))); offered=$((offered + $(kv "$c" dropped) + $(kv "$c" mirrored) + $(kv "$c" skipped)))
    done
    VERDICT+=$(awk -v name="$(label "$t")" -v c="${RPS_MED[$t]}" -v k="${RPS_MED[cutover]}" -v n="$((SAME_ROUNDS + 1))" -v d="$dropped" -v o="$offered" 'BEGIN {
      printf "%s: peak throughput %.0f%% of canary mode'"'"'s (medians of %d runs each)", name, 100 * c / k, n
      if (d > 0) printf ", but with %.0f%% of the copies dropped at peak (queue full), so not every request was mirrored", 100 * d / o }')$'\n'
  done
  # Cutover's shadow against nginx's mirror: the proxy's CPU per mirrored request, pair by pair (same
  # candidate speed), medians of the main run and the rounds, and the ratio round by round.
  MIRROR_PAIRS=()
  for pair in "cutover-shadow nginx-mirror" "cutover-shadow-slow nginx-mirror-slow"; do
    read -r c n <<<"$pair"
    [[ -z ${CPU_MED[$c]:-} || -z ${CPU_MED[$n]:-} ]] || MIRROR_PAIRS+=("$pair")
  done
  if ((${#MIRROR_PAIRS[@]})); then
    TABLES+=$'\n'"Cutover's shadow against nginx's mirror: the proxy's CPU per request, every request mirrored (Cutover's copies also compared; nginx's dropped unread), medians of $((SAME_ROUNDS + 1)) runs each:"$'\n\n'
    TABLES+="| candidate | Cutover shadow | nginx mirror | Cutover shadow CPU/mirrored request ÷ nginx mirror | run by run | Cutover's copies dropped at peak |"$'\n'
    TABLES+="|---|---:|---:|---:|---|---:|"$'\n'
    for pair in "${MIRROR_PAIRS[@]}"; do
      read -r c n <<<"$pair"
      per=$(ratio "$(kv "${PEAK[$c]}" proxy_cpu_us)" "$(kv "${PEAK[$n]}" proxy_cpu_us)")
      for round in $(seq "$SAME_ROUNDS"); do per+=", $(ratio "$(kv "${SRP[$c#$round]}" proxy_cpu_us)" "$(kv "${SRP[$n#$round]}" proxy_cpu_us)")"; done
      counts=("${SHADOW_PEAK[$c]}"); for round in $(seq "$SAME_ROUNDS"); do counts+=("${SRP_SHADOW[$c#$round]}"); done
      dropped=0; offered=0
      for k in "${counts[@]}"; do
        dropped=$((dropped + $(kv "$k" dropped))); offered=$((offered + $(kv "$k" dropped) + $(kv "$k" mirrored) + $(kv "$k" skipped)))
      done
      drop_pct=$(awk -v d="$dropped" -v o="$offered" 'BEGIN { printf "%.1f", (o > 0 ? 100 * d / o : 0) }')
      speed="same speed"; ! is_slow "$c" || speed="10× slower (+$SLOW_DELAY_MS ms)"
      TABLES+="| $speed | ${CPU_MED[$c]} µs | ${CPU_MED[$n]} µs | $(ratio "${CPU_MED[$c]}" "${CPU_MED[$n]}") | $per | $drop_pct% |"$'\n'
      VERDICT+=$(awk -v s="$speed" -v a="${CPU_MED[$c]}" -v b="${CPU_MED[$n]}" -v d="$drop_pct" -v n="$((SAME_ROUNDS + 1))" 'BEGIN {
        printf "Cutover shadow CPU/mirrored request ÷ nginx mirror, candidate %s: %.2f× (%.1f µs against %.1f µs, medians of %d runs each; goal <= 1.2×): %s", s, a / b, a, b, n, (a <= 1.2 * b ? "met" : "NOT met")
        if (d > 0) printf "; %.1f%% of Cutover'"'"'s copies were dropped at peak, so it did less work than nginx and the ratio flatters it", d }')$'\n'
    done
  fi
fi
if ((${#SR[@]})); then
  TABLES+=$'\n'"The same targets at one rate, $SR_RATE req/s (half of the lowest of their peaks), \`LoadGen --rate $SR_RATE --duration $HALF_DURATION_S --warmup $HALF_WARMUP_S\` in the same rounds, right after the peak run (and once every queued copy has been answered):"$'\n\n'
  TABLES+="| target | round | achieved | p50 | p99 | p99.9 | mirrored | dropped | compared | candidate errors | errors |"$'\n'
  TABLES+="|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"$'\n'
  for t in "${ROUND_SET[@]}"; do
    for round in $(seq "$SAME_ROUNDS"); do
      l=${SR[$t#$round]}; c=${SR_SHADOW[$t#$round]:-}
      if [[ -n $c ]]; then
        counts="$(kv "$c" mirrored) | $(kv "$c" dropped) | $(kv "$c" compared) | $(kv "$c" candidateErrors)"
      else
        counts="— | — | — | —"
      fi
      TABLES+="| $(label "$t") | $round | $(kv "$l" achieved_rps) | $(ms "$(kv "$l" p50_us)") | $(ms "$(kv "$l" p99_us)") | $(ms "$(kv "$l" p999_us)") | $counts | $(errors_of "$l") |"$'\n'
      TOTAL_ERRORS=$((TOTAL_ERRORS + $(errors_of "$l")))
    done
  done
  # p99 per target: the mean over the rounds, and the spread between rounds of one target (the noise).
  declare -A P99_MEAN
  NOISE_US=0
  TABLES+=$'\n'"| target | p99 per round | p99, mean | vs canary |"$'\n'"|---|---|---:|---:|"$'\n'
  for t in "${ROUND_SET[@]}"; do
    values=(); for round in $(seq "$SAME_ROUNDS"); do values+=("$(kv "${SR[$t#$round]}" p99_us)"); done
    P99_MEAN[$t]=$(printf '%s\n' "${values[@]}" | awk '{ s += $1 } END { printf "%.0f", s / NR }')
    spread=$(printf '%s\n' "${values[@]}" | awk 'NR == 1 { lo = hi = $1 } { if ($1 < lo) lo = $1; if ($1 > hi) hi = $1 } END { print hi - lo }')
    ((spread <= NOISE_US)) || NOISE_US=$spread
  done
  for t in "${ROUND_SET[@]}"; do
    per_round=$(for round in $(seq "$SAME_ROUNDS"); do ms "$(kv "${SR[$t#$round]}" p99_us)"; echo; done | paste -sd ',' | sed 's/,/, /g')
    vs="—"; [[ $t == cutover || -z ${P99_MEAN[cutover]:-} ]] || vs=$(awk -v a="${P99_MEAN[$t]}" -v b="${P99_MEAN[cutover]}" 'BEGIN { printf "%+.2f ms", (a - b) / 1000 }')
    TABLES+="| $(label "$t") | $per_round | $(ms "${P99_MEAN[$t]}") | $vs |"$'\n'
  done
  TABLES+=$'\n'"Noise: the largest spread of p99 between rounds of one target, $(ms "$NOISE_US")."
  for slow in cutover-shadow-slow nginx-mirror-slow; do
    [[ -n ${P99_MEAN[$slow]:-} ]] || continue
    refs=(cutover-shadow cutover); [[ $slow == cutover-shadow-slow ]] || refs=(nginx-mirror)
    for ref in "${refs[@]}"; do
      [[ -n ${P99_MEAN[$ref]:-} ]] || continue
      d=$(( ${P99_MEAN[$slow]} - ${P99_MEAN[$ref]} ))
      VERDICT+=$(awk -v one="$((SAME_ROUNDS == 1))" -v d="$d" -v n="$NOISE_US" -v r="$SR_RATE" -v t="$(label "$slow")" -v ref="$(label "$ref")" -v a="${P99_MEAN[$slow]}" -v b="${P99_MEAN[$ref]}" 'BEGIN {
        printf "p99 at %d req/s, %s: %.2f ms against %.2f ms for %s, %+.2f ms; rounds of one target differ by up to %.2f ms: %s",
          r, t, a / 1000, b / 1000, ref, d / 1000, n / 1000, (one ? "one round, so no estimate of the noise (SAME_ROUNDS=2 or more)" : (d <= n ? "unchanged within noise" : "NOT within noise")) }')$'\n'
    done
  done
  if [[ -n ${P99_MEAN[cutover-shadow-slow]:-} && -n ${P99_MEAN[nginx-mirror-slow]:-} ]]; then
    TABLES+=$'\n'"Users' p99 at $SR_RATE req/s with the 10× slower candidate (mean of $SAME_ROUNDS rounds): Cutover shadow $(ms "${P99_MEAN[cutover-shadow-slow]}"), nginx mirror $(ms "${P99_MEAN[nginx-mirror-slow]}")"
    [[ -z ${P99_MEAN[cutover-shadow]:-} || -z ${P99_MEAN[nginx-mirror]:-} ]] \
      || TABLES+=" (same-speed candidate: Cutover shadow $(ms "${P99_MEAN[cutover-shadow]}"), nginx mirror $(ms "${P99_MEAN[nginx-mirror]}"))"
    TABLES+="."
  fi
fi

# Other processes' share of the CPU time used during the run: the machine's busy time minus ours
# since the builds (this shell and its reaped children: wrk, LoadGen, the proxies; and the backend).
backend_s=$(awk -v hz="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); print ($12 + $13) / hz }' "/proc/$BACKEND_PID/stat" 2>/dev/null || echo 0)
if other_cpu "$backend_s"; then
  log "warning: other processes used $OTHER_CPU during the run; the figures are skewed"
fi

STAMP=$(date -u +%Y%m%d-%H%M%S)
mkdir -p bench/results
RESULT=bench/results/proxy-$STAMP.md
{
  echo "# bench/proxy — $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
  echo
  echo "Command (from the repository root): \`$COMMAND\`"
  echo
  echo "- Machine: $(machine)"
  if [[ -n ${PROXY_CPUS:-} ]]; then
    echo "- The proxy limited to $PROXY_CPUS CPUs' worth of time (PROXY_CPUS, a cgroup CPU quota); wrk, LoadGen and the backends share the rest. The proxy is the bottleneck, so throughput ratios measure its own cost per request."
  elif [[ ${PIN:-} == 1 ]]; then
    echo "- Pinned (PIN=1): the proxy on CPU 1; wrk, LoadGen and the backend on CPU 0. For direct runs the backend moves to CPU 1, so direct has a core per side and \"added p99\" errs high."
  else
    echo "- wrk, LoadGen, the backend and the proxy share these cores; nothing is pinned."
  fi
  echo "- CPU used by other processes during the run: $OTHER_CPU (anything else running skews the figures)"
  echo "- .NET SDK $(dotnet --version), $("$NGINX" -v 2>&1 | sed 's/^nginx version: //'), $(wrk -v 2>&1 | head -1 | awk '{print "wrk " $2}'); commit $(commit)"
  echo
  echo "$TABLES"
  [[ -z $VERDICT ]] || { echo; echo "$VERDICT"; }
  [[ -z $SPLIT ]] || { echo; echo "$SPLIT"; }
  raw_lines "Raw result lines (times in µs):" "${RAW[@]}"
} >"$RESULT"

echo
echo "$TABLES"
[[ -z $VERDICT ]] || { echo; echo "$VERDICT"; }
[[ -z $SPLIT ]] || { echo; echo "$SPLIT"; }
echo
log "written to $RESULT"
if ((TOTAL_ERRORS > 0)); then
  die "$TOTAL_ERRORS requests failed during the run (see the errors columns); the figures are not valid"
fi
