#!/usr/bin/env bash
# The shared runner of the BenchmarkDotNet benchmarks under bench/ (bench/comparison, bench/metrics):
#   bash bench/benchmarkdotnet.sh FOLDER PROJECT.csproj [BenchmarkDotNet arguments...]
# Builds the project Release, runs it from the repository root (BenchmarkDotNet builds each benchmark
# from the project it finds there) and writes bench/results/NAME-YYYYMMDD-HHMMSS/ (git-ignored):
# command.txt (the command and commit), build.log, BenchmarkDotNet's log, results/*-report-github.md
# per class (the tables docs/benchmarks.md copies; also printed at the end) and cpu.txt (how much CPU
# other processes used during the run; above 5% the script warns).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
(( $# >= 2 )) || { echo "usage: bash bench/benchmarkdotnet.sh FOLDER PROJECT.csproj [arguments...]" >&2; exit 2; }
BENCH=bench/$1
PROJECT=$2
shift 2
NAME=${BENCH#bench/}

log() { printf '[%s] %s\n' "$BENCH" "$*" >&2; }
die() { printf '%s: error: %s\n' "$BENCH" "$*" >&2; exit 1; }

command -v dotnet >/dev/null || die "dotnet is not installed"

OUT=bench/results/$NAME-$(date -u +%Y%m%d-%H%M%S)
mkdir -p "$OUT"
COMMAND="bash $BENCH/run.sh"
(( $# == 0 )) || COMMAND+=$(printf ' %q' "$@")
{
  printf '%s\n' "$COMMAND"
  printf 'commit %s%s\n' "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)" \
    "$(git status --porcelain -- src "$BENCH" 2>/dev/null | grep -q . && echo " (src or $BENCH modified)")"
} >"$OUT/command.txt"

# A build or test run alongside makes every figure meaningless; say so rather than guess.
read -r load _ </proc/loadavg
if awk -v l="$load" 'BEGIN { exit !(l >= 0.5) }'; then
  log "warning: 1-minute load average is $load before the run; other processes will skew the figures"
fi

log "building $BENCH (Release)"
timeout 600 dotnet build -c Release --nologo "$BENCH/$PROJECT" >"$OUT/build.log" 2>&1 || {
  tail -n 30 "$OUT/build.log" >&2
  die "the build failed (log: $OUT/build.log)"
}

# CPU seconds used by the whole machine, and by this script's finished children (BenchmarkDotNet
# and the benchmark processes it starts and waits for); the difference is what others used.
machine_cpu() { awk -v hz="$(getconf CLK_TCK)" '/^cpu /{ printf "%.2f", ($2+$3+$4+$7+$8+$9)/hz }' /proc/stat; }
# `times` must run in this shell (a subshell starts its children's count from zero), hence the file.
children_cpu() {
  times >"$OUT/times.tmp"
  awk 'NR==2 { t=0; for (i=1;i<=2;i++) { split($i, p, /[ms]/); t+=p[1]*60+p[2] } printf "%.2f", t }' "$OUT/times.tmp"
}

log "running: $COMMAND"
machine0=$(machine_cpu); children_cpu >"$OUT/children0.tmp"; start=$(date +%s.%N)
# BenchmarkDotNet builds each benchmark into its own process from the project it finds under the
# current directory (the repository root), so this must run from here.
dotnet "$BENCH/bin/Release/net10.0/${PROJECT%.csproj}.dll" --artifacts "$OUT" "$@"
machine1=$(machine_cpu); children_cpu >"$OUT/children1.tmp"; end=$(date +%s.%N)
awk -v m0="$machine0" -v m1="$machine1" -v c0="$(cat "$OUT/children0.tmp")" -v c1="$(cat "$OUT/children1.tmp")" -v s="$start" -v e="$end" -v n="$(nproc)" 'BEGIN {
  elapsed = e - s; mine = c1 - c0; other = (m1 - m0) - mine; if (other < 0) other = 0
  share = 100 * other / (elapsed * n)
  printf "run %.0f s on %d cores; benchmark processes %.1f CPU-s, other processes %.1f CPU-s (%.1f%% of the machine)\n", elapsed, n, mine, other, share
  exit share > 5
}' >"$OUT/cpu.txt" || log "warning: other processes used more than 5% of the CPU during the run; the figures are skewed"
rm -f "$OUT"/*.tmp
log "$(cat "$OUT/cpu.txt")"

shopt -s nullglob
reports=("$OUT"/results/*-report-github.md)
if (( ${#reports[@]} > 0 )); then
  for report in "${reports[@]}"; do
    log "results: $report"
    cat "$report"
  done
else
  log "no report written (nothing selected?); artifacts in $OUT"
fi
