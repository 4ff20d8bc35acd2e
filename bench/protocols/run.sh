#!/usr/bin/env bash
# bench/protocols: TLS termination and gRPC, proxies side by side in one run.
#
#   cutover-tls   clients -> Cutover over TLS (`listen: https://`, the `tls` section) -> the plain HTTP/1.1 backend
#   nginx-tls     clients -> nginx `listen ... ssl http2` (nginx/tls.conf.template, keepalive upstreams) -> the backend
#   yarp-tls      clients -> bare YARP IHttpForwarder (bench/proxy/BareForwarder) over TLS -> the backend
#     Each is measured twice: HTTP/1.1 to the client (wrk, bench/proxy/users.lua) and h2 to the client (h2load,
#     ALPN), with one self-signed ECDSA P-256 certificate made for the run. All three do a 10% canary split.
#   direct-grpc   h2load -> the h2c gRPC service (bench/proxy/Backend --grpc true)
#   cutover-grpc  h2load -> Cutover (`listenProtocol: h2c`, both sides `protocol: h2c`, canary at 10%) -> the service
#   nginx-grpc    h2load -> nginx `grpc_pass` (nginx/grpc.conf.template, keepalive upstreams) -> the service
#   yarp-grpc     h2load -> bare YARP over h2c both ways (BareForwarder --h2c true) -> the service
#     Unary calls: one request message, one answer, grpc-status 0 in the trailers (checked before measuring).
#   cutover-tls-inline, cutover-grpc-inline   the same Cutover with DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1
#     (socket completions run on the epoll thread instead of the thread pool: bench/proxy's cutover-inline)
#   cutover-tls-gen0, cutover-grpc-gen0, yarp-tls-gen0, yarp-grpc-gen0   the same proxy with DOTNET_GCgen0size=0x4000000:
#     a 64 MiB gen0 budget instead of the one .NET derives from the CPU's cache size (a few MiB on one core)
#
# The proxy runs on CPU 1 and everything else (load generators, backend) on CPU 0, so each proxy has one
# core. Each target runs ROUNDS times in alternating order, each round a fresh process: WARMUP, then
# DURATION measured. Figures: requests per second, the proxy's CPU time per request (its process and
# children, from /proc), and requests per CPU-second of the proxy (1 s / CPU per request), the median
# of the rounds, with ratios against nginx and bare YARP.
# Writes bench/results/protocols-YYYYMMDD-HHMMSS.md and prints the tables.
#
# Settings (environment):
#   TARGETS="cutover-tls nginx-tls yarp-tls direct-grpc cutover-grpc nginx-grpc yarp-grpc"
#   DURATION=10s  WARMUP=3s  ROUNDS=3   per target and round
#   CONNECTIONS=32  STREAMS=10          connections (wrk, h2load); h2load's concurrent streams per connection
#   CUTOVER_ENV="VAR=VALUE ..."         extra environment for the Cutover process only
#   KEEP_WORK=1                         keep the temp dir (configs, logs)
# Everything listens on and is sent to 127.0.0.1 only; every run is bounded in time.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
BENCH=bench/protocols
# shellcheck source=../servers.sh
source bench/servers.sh

TARGETS=${TARGETS:-cutover-tls nginx-tls yarp-tls direct-grpc cutover-grpc nginx-grpc yarp-grpc}
DURATION_S=$(seconds "${DURATION:-10s}")
WARMUP_S=$(seconds "${WARMUP:-3s}")
ROUNDS=${ROUNDS:-3}
CONNECTIONS=${CONNECTIONS:-32}
STREAMS=${STREAMS:-10}
[[ $ROUNDS =~ ^[1-9][0-9]*$ ]] || die "ROUNDS is a whole number, 1 or more (got '$ROUNDS')"
[[ $CONNECTIONS =~ ^[1-9][0-9]*$ && $STREAMS =~ ^[1-9][0-9]*$ ]] || die "CONNECTIONS and STREAMS are whole numbers, 1 or more"
for t in $TARGETS; do
  case $t in cutover-tls|cutover-tls-inline|cutover-tls-gen0|nginx-tls|yarp-tls|yarp-tls-gen0|direct-grpc|cutover-grpc|cutover-grpc-inline|cutover-grpc-gen0|nginx-grpc|yarp-grpc|yarp-grpc-gen0) ;;
    *) die "unknown target '$t' (TARGETS may list: cutover-tls cutover-tls-inline cutover-tls-gen0 nginx-tls yarp-tls yarp-tls-gen0 direct-grpc cutover-grpc cutover-grpc-inline cutover-grpc-gen0 nginx-grpc yarp-grpc yarp-grpc-gen0)" ;; esac
done
(( $(nproc) >= 2 )) || die "bench/protocols pins the proxy to CPU 1 and needs 2 cores"
PIN_PROXY="taskset -c 1"; PIN_CLIENT="taskset -c 0"

COMMAND="bash $BENCH/run.sh"
for v in KEEP_WORK CUTOVER_ENV STREAMS CONNECTIONS ROUNDS WARMUP DURATION TARGETS; do
  if printenv "$v" >/dev/null; then COMMAND="$v='${!v}' $COMMAND"; fi
done

WORK=$(mktemp -d /tmp/cutover-bench-protocols.XXXXXX)
cleanup() {
  stop_all
  if [[ ${KEEP_WORK:-} == 1 ]]; then log "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- tools ----------------------------------------------------------------------------------
missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v h2load >/dev/null || missing+=(nghttp2-client)
command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] || missing+=(nginx)
command -v openssl >/dev/null || missing+=(openssl)
command -v curl >/dev/null || missing+=(curl)
if ((${#missing[@]})); then
  [[ $(id -u) == 0 ]] || die "missing ${missing[*]}; run as root or: apt-get install -y ${missing[*]}"
  log "installing ${missing[*]} (apt)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >"$WORK/apt.log" 2>&1 \
    || { tail -20 "$WORK/apt.log" >&2; die "apt-get install ${missing[*]} failed"; }
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

# --- build, certificate, request message ------------------------------------------------------
build backend bench/proxy/Backend/Backend.csproj || die "the backend did not build"
[[ " $TARGETS " != *" yarp-"* ]] || build yarp bench/proxy/BareForwarder/BareForwarder.csproj || die "BareForwarder did not build"
[[ " $TARGETS " != *" cutover-"* ]] || build cutover src/Cutover.Cli/Cutover.Cli.csproj || die "Cutover (src/Cutover.Cli) did not build"
BACKEND_DLL=bench/proxy/Backend/bin/Release/net10.0/Backend.dll
YARP_DLL=bench/proxy/BareForwarder/bin/Release/net10.0/BareForwarder.dll
CUTOVER_DLL=src/Cutover.Cli/bin/Release/net10.0/cutover.dll

CERT=$WORK/cert.pem; KEY=$WORK/key.pem
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$KEY" -out "$CERT" -days 2 \
  -subj /CN=localhost -addext subjectAltName=IP:127.0.0.1,DNS:localhost >"$WORK/openssl.log" 2>&1 \
  || { cat "$WORK/openssl.log" >&2; die "openssl could not make the test certificate"; }

# One unary request: an OrderRequest { id = "ord-000123" } in a gRPC frame (no compression, length 12).
GRPC_REQUEST=$WORK/request.bin
printf '\x00\x00\x00\x00\x0c\x0a\x0aord-000123' >"$GRPC_REQUEST"
GRPC_PATH=/bench.Orders/Get
GRPC_CURL=(--http2-prior-knowledge -X POST -H 'content-type: application/grpc' -H 'te: trailers' --data-binary "@$GRPC_REQUEST")

cpu_mark

# --- servers ---------------------------------------------------------------------------------
alloc_port BACKEND_PORT
BACKEND=http://127.0.0.1:$BACKEND_PORT
start BACKEND_PID backend $PIN_CLIENT dotnet "$BACKEND_DLL" --urls "$BACKEND"
wait_ready backend "$BACKEND_PID" "$BACKEND/orders/1"
alloc_port GRPC_PORT
GRPC_BACKEND=http://127.0.0.1:$GRPC_PORT
start GRPC_PID grpc-backend $PIN_CLIENT env Kestrel__EndpointDefaults__Protocols=Http2 dotnet "$BACKEND_DLL" --urls "$GRPC_BACKEND" --grpc true
wait_ready grpc-backend "$GRPC_PID" "$GRPC_BACKEND$GRPC_PATH" "${GRPC_CURL[@]}"

# The environment a target's name asks for: -inline runs socket completions inline, -gen0 sets a 64 MiB gen0 budget.
variant_env() {
  case $1 in
    *-inline) echo DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1 ;;
    *-gen0) echo DOTNET_GCgen0size=0x4000000 ;;
    *) ;;
  esac
}

STARTS=0
start_target() { # target -> TARGET_URL, TARGET_PID (empty for direct-grpc)
  local port admin dir
  TARGET_PID=
  STARTS=$((STARTS + 1))
  case $1 in
    direct-grpc)
      TARGET_URL=$GRPC_BACKEND ;;
    cutover-tls|cutover-grpc|cutover-tls-inline|cutover-grpc-inline|cutover-tls-gen0|cutover-grpc-gen0)
      alloc_port port; alloc_port admin
      if [[ $1 == cutover-tls* ]]; then
        TARGET_URL=https://127.0.0.1:$port
        cat >"$WORK/cutover-$STARTS.yaml" <<EOF
listen: $TARGET_URL
tls: { certificate: $CERT, key: $KEY }
admin: http://127.0.0.1:$admin
store: sqlite:$WORK/bench-$STARTS.db
migrations:
  - name: orders
    match: { pathPrefix: / }
    legacy: $BACKEND
    candidate: $BACKEND
    mode: canary
    weight: 10
    stickyBy: header:X-User-Id
EOF
      else
        TARGET_URL=http://127.0.0.1:$port
        cat >"$WORK/cutover-$STARTS.yaml" <<EOF
listen: $TARGET_URL
listenProtocol: h2c
admin: http://127.0.0.1:$admin
store: sqlite:$WORK/bench-$STARTS.db
migrations:
  - name: orders
    match: { pathPrefix: / }
    legacy: { url: $GRPC_BACKEND, protocol: h2c }
    candidate: { url: $GRPC_BACKEND, protocol: h2c }
    mode: canary
    weight: 10
    stickyBy: header:x-user-id
EOF
      fi
      # shellcheck disable=SC2086 # CUTOVER_ENV is a list of VAR=VALUE words on purpose
      start TARGET_PID "$1-$STARTS" $PIN_PROXY env $(variant_env "$1") ${CUTOVER_ENV:-} dotnet "$CUTOVER_DLL" serve -c "$WORK/cutover-$STARTS.yaml" ;;
    nginx-tls|nginx-grpc)
      alloc_port port
      dir=$WORK/$1-$STARTS; mkdir -p "$dir"
      local template=tls backend=127.0.0.1:$BACKEND_PORT
      [[ $1 != nginx-grpc ]] || { template=grpc; backend=127.0.0.1:$GRPC_PORT; }
      sed -e "s|@PREFIX@|$dir|g" -e "s|@PORT@|$port|g" -e "s|@BACKEND@|$backend|g" -e "s|@CERT@|$CERT|g" -e "s|@KEY@|$KEY|g" \
        "$BENCH/nginx/$template.conf.template" >"$dir/nginx.conf"
      "$NGINX" -t -q -p "$dir" -e "$dir/error.log" -c "$dir/nginx.conf" >"$WORK/nginx-test.log" 2>&1 \
        || { cat "$WORK/nginx-test.log" >&2; die "the generated nginx config for $1 is invalid"; }
      if [[ $1 == nginx-tls ]]; then TARGET_URL=https://127.0.0.1:$port; else TARGET_URL=http://127.0.0.1:$port; fi
      start TARGET_PID "$1-$STARTS" $PIN_PROXY "$NGINX" -p "$dir" -e "$dir/error.log" -c "$dir/nginx.conf" -g 'daemon off;' ;;
    yarp-tls|yarp-tls-gen0)
      alloc_port port
      TARGET_URL=https://127.0.0.1:$port
      start TARGET_PID "$1-$STARTS" $PIN_PROXY env $(variant_env "$1") Kestrel__Certificates__Default__Path="$CERT" Kestrel__Certificates__Default__KeyPath="$KEY" \
        dotnet "$YARP_DLL" --urls "$TARGET_URL" --legacy "$BACKEND" --candidate "$BACKEND" --weight 10 ;;
    yarp-grpc|yarp-grpc-gen0)
      alloc_port port
      TARGET_URL=http://127.0.0.1:$port
      start TARGET_PID "$1-$STARTS" $PIN_PROXY env $(variant_env "$1") Kestrel__EndpointDefaults__Protocols=Http2 \
        dotnet "$YARP_DLL" --urls "$TARGET_URL" --legacy "$GRPC_BACKEND" --candidate "$GRPC_BACKEND" --weight 10 --h2c true ;;
  esac
  [[ -n $TARGET_PID ]] || return 0
  if [[ $1 == *-grpc* ]]; then
    wait_ready "$1-$STARTS" "$TARGET_PID" "$TARGET_URL$GRPC_PATH" "${GRPC_CURL[@]}"
    # h2load counts an HTTP 200 as a success; a gRPC failure is a 200 too, with another grpc-status.
    curl -s --max-time 5 -o /dev/null -D "$WORK/grpc-headers.txt" "${GRPC_CURL[@]}" "$TARGET_URL$GRPC_PATH" \
      && grep -qi '^grpc-status: 0' "$WORK/grpc-headers.txt" \
      || die "$1: a unary call did not end with grpc-status 0: $(tr '\r\n' '  ' <"$WORK/grpc-headers.txt")"
  else
    wait_ready "$1-$STARTS" "$TARGET_PID" "$TARGET_URL/orders/1" --insecure
  fi
}

# --- load ------------------------------------------------------------------------------------
run_wrk() { # name url seconds -> the WRK line
  local out=$WORK/wrk-$1.txt
  timeout --kill-after=5 $(($3 + 30)) $PIN_CLIENT wrk -t2 -c"$CONNECTIONS" -d"$3s" --latency -s bench/proxy/users.lua "$2/" >"$out" 2>&1 \
    || { cat "$out" >&2; die "wrk against $1 failed"; }
  grep '^WRK ' "$out" || { cat "$out" >&2; die "no result line from wrk against $1"; }
}

run_h2load() { # name url seconds [h2load options...] -> "H2LOAD requests=N rps=N failed=N errored=N"
  local name=$1 url=$2 seconds=$3 out=$WORK/h2load-$1.txt
  shift 3
  timeout --kill-after=5 $((seconds + 30)) $PIN_CLIENT h2load -t1 -c"$CONNECTIONS" -m"$STREAMS" -D "$seconds" -H 'x-user-id: u-bench' "$@" "$url" >"$out" 2>&1 \
    || { cat "$out" >&2; die "h2load against $name failed"; }
  awk '/^finished in/ { gsub(/,/, ""); rps = $4 }
       /^requests:/ { done = $8; failed = $10; errored = $12 }
       /^status codes:/ { ok = $3 }
       END { if (rps == "") exit 1; printf "H2LOAD requests=%d rps=%.0f failed=%d errored=%d ok_2xx=%d\n", done, rps, failed, errored, ok }' "$out" \
    || { cat "$out" >&2; die "no result from h2load against $name"; }
}

measure() { # target phase -> "<tool line> proxy_cpu_us=N": one warm-up, then the measured run
  local t=$1 phase=$2 before after line n
  case $phase in
    h1) run_wrk "$t-warm" "$TARGET_URL" "$WARMUP_S" >/dev/null ;;
    h2) run_h2load "$t-warm" "$TARGET_URL/orders/1" "$WARMUP_S" >/dev/null ;;
    grpc) run_h2load "$t-warm" "$TARGET_URL$GRPC_PATH" "$WARMUP_S" -d "$GRPC_REQUEST" -H 'content-type: application/grpc' -H 'te: trailers' >/dev/null ;;
  esac
  before=$(process_ticks "${TARGET_PID:-$GRPC_PID}")
  case $phase in
    h1) line=$(run_wrk "$t-$phase" "$TARGET_URL" "$DURATION_S") ;;
    h2) line=$(run_h2load "$t-$phase" "$TARGET_URL/orders/1" "$DURATION_S") ;;
    grpc) line=$(run_h2load "$t-$phase" "$TARGET_URL$GRPC_PATH" "$DURATION_S" -d "$GRPC_REQUEST" -H 'content-type: application/grpc' -H 'te: trailers') ;;
  esac
  after=$(process_ticks "${TARGET_PID:-$GRPC_PID}")
  n=$(kv "$line" requests)
  echo "$line proxy_cpu_us=$(cpu_per_request "$before" "$after" "$n")"
}

phases_of() { case $1 in *-tls*) echo "h1 h2" ;; *) echo grpc ;; esac; }

# --- rounds ----------------------------------------------------------------------------------
declare -A RESULT=()
RAW=()
read -r -a LIST <<<"$TARGETS"
for round in $(seq "$ROUNDS"); do
  order=("${LIST[@]}")
  if ((round % 2 == 0)); then order=(); for ((i = ${#LIST[@]} - 1; i >= 0; i--)); do order+=("${LIST[$i]}"); done; fi
  for t in "${order[@]}"; do
    # direct-grpc: the service is the one being loaded, so it gets the proxies' CPU.
    if [[ $t == direct-grpc ]]; then taskset -a -pc 1 "$GRPC_PID" >/dev/null; else taskset -a -pc 0 "$GRPC_PID" >/dev/null; fi
    start_target "$t"
    for phase in $(phases_of "$t"); do
      log "$t $phase: round $round of $ROUNDS, ${WARMUP_S}s warm-up, ${DURATION_S}s measured"
      line=$(measure "$t" "$phase")
      RAW+=("$t $phase round $round: $line")
      RESULT[$t.$phase]+="$line"$'\n'
      log "$t $phase: $line"
    done
    [[ -z $TARGET_PID ]] || stop "$TARGET_PID"
  done
done

# --- tables ----------------------------------------------------------------------------------
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) print 0; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
stat() { # target.phase key -> the median of the rounds
  local line
  while IFS= read -r line; do [[ -z $line ]] || kv "$line" "$2"; done <<<"${RESULT[$1]:-}" | median
}
per_cpu_second() { awk -v c="$1" 'BEGIN { printf "%.0f", (c > 0 ? 1e6 / c : 0) }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f×", a / b; else printf "–" }'; }

TABLES=()
table() { # phase title targets...
  local phase=$1 title=$2 t rps cpu per ref_nginx ref_yarp
  shift 2
  TABLES+=("" "### $title" "" "| Target | req/s | proxy CPU per request | requests per CPU-second | against nginx | against bare YARP |" "|---|---:|---:|---:|---:|---:|")
  ref_nginx=; ref_yarp=
  for t in "$@"; do
    [[ -n ${RESULT[$t.$phase]:-} ]] || continue
    cpu=$(stat "$t.$phase" proxy_cpu_us)
    case $t in nginx-*) ref_nginx=$(per_cpu_second "$cpu") ;; yarp-tls|yarp-grpc) ref_yarp=$(per_cpu_second "$cpu") ;; esac
  done
  for t in "$@"; do
    [[ -n ${RESULT[$t.$phase]:-} ]] || continue
    rps=$(stat "$t.$phase" rps); cpu=$(stat "$t.$phase" proxy_cpu_us); per=$(per_cpu_second "$cpu")
    local vs_nginx=– vs_yarp=– label="$cpu µs"
    [[ $t == direct-* ]] && label="($cpu µs, the service's own)"
    if [[ $t != direct-* ]]; then
      [[ -z $ref_nginx ]] || vs_nginx=$(ratio "$per" "$ref_nginx")
      [[ -z $ref_yarp ]] || vs_yarp=$(ratio "$per" "$ref_yarp")
    fi
    TABLES+=("| $t | $rps | $label | $per | $vs_nginx | $vs_yarp |")
  done
}
table h1 "TLS termination, HTTP/1.1 to the client (wrk -t2 -c$CONNECTIONS)" cutover-tls cutover-tls-inline cutover-tls-gen0 nginx-tls yarp-tls yarp-tls-gen0
table h2 "TLS termination, h2 to the client (h2load -c$CONNECTIONS -m$STREAMS)" cutover-tls cutover-tls-inline cutover-tls-gen0 nginx-tls yarp-tls yarp-tls-gen0
table grpc "gRPC unary over h2c (h2load -c$CONNECTIONS -m$STREAMS)" direct-grpc cutover-grpc cutover-grpc-inline cutover-grpc-gen0 nginx-grpc yarp-grpc yarp-grpc-gen0

mkdir -p bench/results
RESULTS=bench/results/protocols-$(date +%Y%m%d-%H%M%S).md
OTHER_NOTE="Other work on the machine during the run: none above 5% of busy CPU time."
# The two backends still run: their CPU time is this script's work, not other work.
backends_s=$(awk -v t="$(( $(process_ticks "$BACKEND_PID") + $(process_ticks "$GRPC_PID") ))" -v hz="$(getconf CLK_TCK)" 'BEGIN { print t / hz }')
if other_cpu "$backends_s"; then OTHER_NOTE="Warning: other work used $OTHER_CPU during the run; the figures are skewed."; fi
{
  echo "# bench/protocols, $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "Commit $(commit); $(machine)."
  echo "Command: \`$COMMAND\`."
  echo "Medians of $ROUNDS rounds of ${DURATION_S}s after ${WARMUP_S}s warm-up; the proxy on CPU 1, load and backends on CPU 0."
  echo "$OTHER_NOTE"
  printf '%s\n' "${TABLES[@]}"
  raw_lines "Raw lines:" "${RAW[@]}"
} >"$RESULTS"
cat "$RESULTS"
log "wrote $RESULTS"
