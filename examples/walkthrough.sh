# Shared by the examples' run.sh scripts (sourced, not run): a temp folder for the run, the
# background processes stopped on exit, narration, and waiting for a condition with a limit.
# After sourcing: $work is the run's folder; start a process in the background and add its pid
# to pids; everything is stopped and $work removed on exit (Ctrl+C included). Set $root (the
# repository) and $admin (the example's admin API) before calling ctl.

work=$(mktemp -d "/tmp/cutover-example.XXXXXX")
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ctl ARGS...: the repository's ./cutover against the example's admin API
ctl() { "$root/cutover" "$@" --admin "$admin"; }

# say TEXT...: a step of the walkthrough
say() { printf '\n== %s\n' "$*"; }

# wait_for SECONDS WHAT COMMAND...: runs COMMAND every second until it succeeds; after SECONDS,
# fails naming WHAT, with the last lines of the run's logs
wait_for() {
  local limit=$1 what=$2 started=$SECONDS
  shift 2
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS - started > limit)); then
      echo "error: waited ${limit}s for $what; the last lines of the logs:" >&2
      tail -n 20 "$work"/*.log >&2 || true
      exit 1
    fi
    sleep 1
  done
}

# ports_free PORT...: fails, naming the port, when something already listens on 127.0.0.1:PORT
ports_free() {
  local port
  for port in "$@"; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "error: something already listens on 127.0.0.1:$port; stop it (another run of this walkthrough?) and try again" >&2
      exit 1
    fi
  done
}
