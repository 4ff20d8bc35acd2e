# Sourced by the bench/*/run.sh scripts that start servers (bench/proxy, bench/rollback): messages,
# Release builds, free ports on 127.0.0.1, and servers started in the background, waited for and
# stopped by pid. The script sets BENCH (bench/NAME, for messages) and WORK (its temp dir, where
# the logs go) and stops whatever is left with stop_all from its EXIT trap.

log() { printf '[%s] %s\n' "$BENCH" "$*" >&2; }
die() { printf '%s: error: %s\n' "$BENCH" "$*" >&2; exit 1; }

seconds() { # "15s" or "15" -> 15
  [[ $1 =~ ^([0-9]+)s?$ ]] || die "durations are whole seconds like 15s (got '$1')"
  echo "${BASH_REMATCH[1]}"
}

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# Minimal logging for every .NET server (WebApplication reads unprefixed environment variables).
export Logging__LogLevel__Default=Warning

build() { # name project: Release build, the log in $WORK/build-NAME.log; the errors on stderr if it fails
  log "building $1 (Release)"
  timeout 600 dotnet build -c Release --nologo "$2" >"$WORK/build-$1.log" 2>&1 || {
    grep -E 'error|warning' "$WORK/build-$1.log" | sort -u | tail -20 >&2
    return 1
  }
}

# Anything else running (a build, a test suite) skews every figure on a 2-core machine. cpu_mark
# notes the machine's busy CPU time (all cores, clock ticks) and this shell's; other_cpu compares
# them at the end with what this script's own processes used, to show how much other work ran.
busy_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat; }
cpu_seconds() { awk '{ for (i = 1; i <= NF; i++) { split($i, t, /[ms]/); s += t[1] * 60 + t[2] } } END { print s + 0 }' "$1"; }
cpu_mark() { # in this shell, not a subshell: a subshell's own `times` would start from zero
  times >"$WORK/times-before.txt"
  BUSY_BEFORE=$(busy_ticks)
}
other_cpu() { # [seconds used by our processes still running] -> OTHER_CPU; succeeds when above 5%
  local machine_s ours_s
  machine_s=$(awk -v a="$BUSY_BEFORE" -v b="$(busy_ticks)" -v hz="$(getconf CLK_TCK)" 'BEGIN { print (b - a) / hz }')
  times >"$WORK/times-after.txt"
  ours_s=$(awk -v a="$(cpu_seconds "$WORK/times-after.txt")" -v b="$(cpu_seconds "$WORK/times-before.txt")" -v r="${1:-0}" 'BEGIN { print a - b + r }')
  OTHER_CPU=$(awk -v m="$machine_s" -v o="$ours_s" 'BEGIN {
    x = m - o; if (x < 0) x = 0; printf "%.0f s of %.0f s busy CPU time (%.0f%%)", x, m, (m > 0 ? 100 * x / m : 0) }')
  awk -v m="$machine_s" -v o="$ours_s" 'BEGIN { exit !(m > 0 && (m - o) / m > 0.05) }'
}

machine() { # for a results file: "2 cores (model), 23.5 GiB memory, OS, kernel K"
  printf '%s cores (%s), %s memory, %s, kernel %s' "$(nproc)" "$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)" \
    "$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)" "$(. /etc/os-release 2>/dev/null && echo "${PRETTY_NAME:-unknown}")" "$(uname -r)"
}

commit() { # the commit measured, and whether the working tree differs from it
  printf '%s' "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
  [[ -z $(git status --porcelain 2>/dev/null) ]] || printf ' (uncommitted changes)'
}

NEXT_PORT=${BENCH_PORT_BASE:-19080}
alloc_port() { # VAR: the next port nobody listens on
  while [[ -n $(ss -Hltn "sport = :$NEXT_PORT") ]]; do NEXT_PORT=$((NEXT_PORT + 1)); done
  printf -v "$1" '%s' "$NEXT_PORT"
  NEXT_PORT=$((NEXT_PORT + 1))
}

PIDS=()
start() { # VAR name command... : starts in the background, output to $WORK/NAME.log, pid into VAR
  local var=$1 name=$2; shift 2
  "$@" >"$WORK/$name.log" 2>&1 &
  local pid=$!
  PIDS+=("$pid")
  printf -v "$var" '%s' "$pid"
}

forget() { # pid: no longer stopped by stop_all (it has ended and been waited for)
  local kept=() p
  for p in "${PIDS[@]}"; do [[ $p == "$1" ]] || kept+=("$p"); done
  PIDS=("${kept[@]}")
}

stop() { # pid: stops one process started with start (TERM, then KILL after 5 s)
  local pid=$1 i
  kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  forget "$pid"
}

reap() { # pid: waits for a process started with start to end by itself; returns its exit status
  local rc=0
  wait "$1" || rc=$?
  forget "$1"
  return "$rc"
}

stop_all() { # every process start started and nobody stopped yet, all asked at once
  local pid i
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do
    for i in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  PIDS=()
}

wait_ready() { # name pid url [curl options...] : GET url (or what the options ask) must answer 200 within 60 s
  local name=$1 pid=$2 url=$3 code= deadline=$((SECONDS + 60))
  shift 3
  while ((SECONDS < deadline)); do
    if ! kill -0 "$pid" 2>/dev/null; then
      tail -30 "$WORK/$name.log" >&2 || true
      die "$name exited during startup (log above)"
    fi
    code=$(curl -s -o /dev/null --max-time 2 -w '%{http_code}' -H 'X-User-Id: ready-probe' "$@" "$url" || true)
    [[ $code == 200 ]] && return 0
    sleep 0.2
  done
  tail -30 "$WORK/$name.log" >&2 || true
  die "$name did not answer 200 on $url within 60 s (last status: ${code:-none})"
}

kv() { # "line" key -> value of key=value in line
  local word
  for word in $1; do [[ $word == "$2="* ]] && { echo "${word#*=}"; return 0; }; done
  echo ""
}

process_ticks() { # pid -> CPU clock ticks used so far by it and its child processes (nginx's workers)
  local total=0 p t
  for p in "$1" $(pgrep -P "$1" || true); do
    t=$(awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$p/stat" 2>/dev/null || echo 0)
    total=$((total + t))
  done
  echo "$total"
}

cpu_per_request() { # ticks-before ticks-after requests -> microseconds of CPU per request
  awk -v a="$1" -v b="$2" -v n="$3" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.1f", (n > 0 ? (b - a) / hz * 1e6 / n : 0) }'
}

raw_lines() { # title line... : a results file's last block, the raw lines in a code fence
  printf '\n%s\n\n```\n' "$1"
  shift
  printf '%s\n' "$@"
  echo '```'
}
