#!/usr/bin/env bash
# bench/backfill: how fast `cutover backfill run` copies a realistic table, against the limit of the
# same machine and PostgreSQL, in one run:
#   - a PostgreSQL of its own on loopback (scripts/postgres.sh on BENCH_PG_PORT and BENCH_PG_DIR; never
#     the test server on 55432), fsync off as for the tests;
#   - `orders`: ROWS rows of 14 columns (bigint key, text, integer, numeric, double, timestamptz, date),
#     about 170 bytes a row, generated in PostgreSQL;
#   (a) the limit: psql -c "COPY (SELECT … ORDER BY id) TO STDOUT" | psql -c "COPY orders_pipe FROM STDIN",
#       into a table of the same shape with its primary key;
#   (b) `cutover backfill run` (Release) PostgreSQL -> PostgreSQL into orders_copy: batches of BATCH rows
#       by keyset pagination, each upserted in one transaction and checkpointed with its checksum in a
#       SQLite control store; rows/s and peak RSS (/usr/bin/time -v);
#   (c) the same from a SQLite file of the same rows (SQLITE_ROWS of them, loaded with sqlite3 .import)
#       into orders_sqlite.
# Each copy is checked: the target has the source's row count and the same sum over every column's text.
# The machine's busy CPU time not used by this script, its children or its PostgreSQL is reported as
# "other CPU": other work on a shared machine skews every figure.
# Writes bench/results/backfill-YYYYMMDD-HHMMSS.md and prints the table.
#
# Settings (environment):
#   ROWS=10000000         rows in the PostgreSQL source
#   SQLITE_ROWS=ROWS      rows in the SQLite source
#   BATCH=10000           the job's batchSize
#   BENCH_PG_PORT=55434   BENCH_PG_DIR=/tmp/bench-pg   where the benchmark's PostgreSQL runs (wiped at start and end)
#   KEEP_WORK=1           keep the temp dir (job files, logs, the SQLite source) after the run
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
BENCH=bench/backfill
# shellcheck source=../servers.sh
source bench/servers.sh

ROWS=${ROWS:-10000000}
SQLITE_ROWS=${SQLITE_ROWS:-$ROWS}
BATCH=${BATCH:-10000}
PG_PORT=${BENCH_PG_PORT:-55434}
PG_DIR=${BENCH_PG_DIR:-/tmp/bench-pg}
[[ $ROWS =~ ^[1-9][0-9]*$ ]] || die "ROWS is a whole number of rows like 10000000 (got '$ROWS')"
[[ $SQLITE_ROWS =~ ^[1-9][0-9]*$ ]] || die "SQLITE_ROWS is a whole number of rows like 1000000 (got '$SQLITE_ROWS')"
((SQLITE_ROWS <= ROWS)) || die "SQLITE_ROWS ($SQLITE_ROWS) cannot exceed ROWS ($ROWS): the SQLite source is taken from the PostgreSQL one"
[[ $BATCH =~ ^[1-9][0-9]*$ ]] && ((BATCH <= 1000000)) || die "BATCH is the job's batchSize, 1 to 1000000 (got '$BATCH')"
[[ $PG_PORT =~ ^[0-9]+$ ]] || die "BENCH_PG_PORT is a port number like 55434 (got '$PG_PORT')"
[[ $PG_PORT != 55432 ]] || die "BENCH_PG_PORT 55432 is the tests' PostgreSQL, which this script must not wipe; choose another port"

COMMAND="bash $BENCH/run.sh"
for v in KEEP_WORK BENCH_PG_DIR BENCH_PG_PORT BATCH SQLITE_ROWS ROWS; do
  if printenv "$v" >/dev/null; then COMMAND="$v='${!v}' $COMMAND"; fi
done

for tool in psql sqlite3 dotnet /usr/bin/time; do
  command -v "$tool" >/dev/null || die "$tool is not installed (apt-get install -y postgresql-client sqlite3 time; .NET SDK 10 for dotnet)"
done

WORK=$(mktemp -d /tmp/cutover-bench-backfill.XXXXXX)
pg() { CUTOVER_PG_PORT=$PG_PORT CUTOVER_PG_DIR=$PG_DIR scripts/postgres.sh "$@"; }
cleanup() {
  local rc=$?
  stop_all
  pg stop >/dev/null 2>&1 || true
  rm -rf "$PG_DIR"
  if [[ ${KEEP_WORK:-} == 1 ]]; then log "kept $WORK"; else rm -rf "$WORK"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

build cutover src/Cutover.Cli/Cutover.Cli.csproj || die "Cutover (src/Cutover.Cli) did not build"
CUTOVER_DLL=src/Cutover.Cli/bin/Release/net10.0/cutover.dll
[[ -f $CUTOVER_DLL ]] || die "the Cutover build did not produce $CUTOVER_DLL"

log "starting PostgreSQL on 127.0.0.1:$PG_PORT in $PG_DIR"
PG_LOCATION=$(pg 2>"$WORK/postgres.log" | tail -1) || { cat "$WORK/postgres.log" >&2; die "the benchmark's PostgreSQL did not start (log above)"; }
PSQL=(psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -d cutover_test -v ON_ERROR_STOP=1 -qAtX)

# CPU of the benchmark's PostgreSQL: the postmaster's own and its reaped children's, plus its live children's.
pg_ticks() {
  local master
  master=$(head -1 "$PG_DIR/data/postmaster.pid")
  { awk '{ print $14 + $15 + $16 + $17 }' "/proc/$master/stat"
    for child in $(ps -o pid= --ppid "$master"); do awk '{ print $14 + $15 }' "/proc/$child/stat" 2>/dev/null || true; done
  } | awk '{ s += $1 } END { print s + 0 }'
}

SHAPE="id bigint PRIMARY KEY, customer_id bigint NOT NULL, customer_name text NOT NULL, email text, country text NOT NULL,
  city text NOT NULL, status text NOT NULL, quantity integer NOT NULL, unit_price numeric(10,2) NOT NULL, total numeric(12,2) NOT NULL,
  discount double precision, created_at timestamptz NOT NULL, shipped_on date, note text"
COLUMNS="id, customer_id, customer_name, email, country, city, status, quantity, unit_price, total, discount, created_at, shipped_on, note"

log "generating $ROWS rows in orders"
"${PSQL[@]}" <<SQL
CREATE TABLE orders ($SHAPE);
CREATE TABLE orders_pipe ($SHAPE);
CREATE TABLE orders_copy ($SHAPE);
CREATE TABLE orders_sqlite ($SHAPE);
INSERT INTO orders
SELECT n, 1 + n % 250000, 'Customer ' || (1 + n % 250000) || ' ' || substr(md5(n::text), 1, 8),
       CASE WHEN n % 17 = 0 THEN NULL ELSE 'customer' || (1 + n % 250000) || '@example.com' END,
       (ARRAY['DE','FR','GB','US','NL','ES','IT','PL'])[1 + n % 8], 'City ' || (n % 997),
       (ARRAY['placed','paid','shipped','delivered','returned'])[1 + n % 5], 1 + n % 9, (n % 10000) / 100.0 + 1,
       ((n % 10000) / 100.0 + 1) * (1 + n % 9), CASE WHEN n % 3 = 0 THEN NULL ELSE (n % 50) / 100.0 END,
       TIMESTAMPTZ '2020-01-01 00:00:00+00' + n * INTERVAL '7 seconds', CASE WHEN n % 5 = 0 THEN NULL ELSE DATE '2020-01-03' + n / 12000 END,
       CASE WHEN n % 4 = 0 THEN 'Leave at the door, ring twice: ' || md5(n::text) ELSE NULL END
FROM generate_series(1, $ROWS) AS n;
VACUUM ANALYZE orders;
SQL
TABLE_SIZE=$("${PSQL[@]}" -c "SELECT pg_size_pretty(pg_table_size('orders'))")

# The same rows check: count and a sum over every row's text, compared with the source's.
fingerprint() { # table [where]
  "${PSQL[@]}" -c "SELECT count(*) || ' rows, ' || coalesce(sum(('x' || substr(md5(t::text), 1, 15))::bit(60)::bigint), 0) FROM (SELECT $COLUMNS FROM $1 ${2:-}) AS t"
}
check() { # name table expected
  local got
  got=$(fingerprint "$2")
  [[ $got == "$3" ]] || die "$1: $2 holds $got, the source $3"
}
now() { date +%s.%N; }
rate() { awk -v r="$1" -v s="$2" 'BEGIN { printf "%.0f", r / s }'; }

SOURCE_PRINT=$(fingerprint orders)
cpu_mark
PG_BEFORE=$(pg_ticks)

log "(a) the limit: psql COPY TO STDOUT | psql COPY FROM STDIN"
start=$(now)
"${PSQL[@]}" -c "COPY (SELECT $COLUMNS FROM orders ORDER BY id) TO STDOUT" | "${PSQL[@]}" -c "COPY orders_pipe ($COLUMNS) FROM STDIN"
PIPE_S=$(awk -v a="$start" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }')
check "the psql pipe" orders_pipe "$SOURCE_PRINT"

job() { # name source-store source-table target-table
  cat <<YAML
name: $1
source: { store: "$2", table: $3, key: [id] }
target: { store: "$PG_LOCATION", table: $4 }
columns: { $(for c in ${COLUMNS//,/}; do printf '%s: %s, ' "$c" "$c"; done | sed 's/, $//') }
batchSize: $BATCH
YAML
}

run_cutover() { # name job-file -> SECONDS_TAKEN, PEAK_MB
  log "$1: cutover backfill run"
  local start
  start=$(now)
  /usr/bin/time -v -o "$WORK/$1.time" dotnet "$CUTOVER_DLL" backfill run -f "$2" --store "sqlite:$WORK/cutover.db" >"$WORK/$1.log" 2>&1 \
    || { tail -20 "$WORK/$1.log" >&2; die "$1: cutover backfill run failed (log above)"; }
  SECONDS_TAKEN=$(awk -v a="$start" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }')
  PEAK_MB=$(awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$WORK/$1.time")
}

job pg "$PG_LOCATION" orders orders_copy >"$WORK/pg.yaml"
run_cutover "(b) PostgreSQL -> PostgreSQL" "$WORK/pg.yaml"
PG_S=$SECONDS_TAKEN PG_MB=$PEAK_MB
check "cutover PostgreSQL -> PostgreSQL" orders_copy "$SOURCE_PRINT"
PG_AFTER=$(pg_ticks)
OTHER_CPU="not measured"
OTHER_NOTE=""
if other_cpu "$(awk -v a="$PG_BEFORE" -v b="$PG_AFTER" -v hz="$(getconf CLK_TCK)" 'BEGIN { print (b - a) / hz }')"; then
  OTHER_NOTE=" — other work ran during (a) and (b); the figures are lower than on an idle machine"
fi

log "(c) loading $SQLITE_ROWS rows into a SQLite file"
"${PSQL[@]}" -c "COPY (SELECT $COLUMNS FROM orders WHERE id <= $SQLITE_ROWS ORDER BY id) TO STDOUT (FORMAT csv)" >"$WORK/orders.csv"
sqlite3 "$WORK/source.db" <<SQL
CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL, customer_name TEXT NOT NULL, email TEXT, country TEXT NOT NULL,
  city TEXT NOT NULL, status TEXT NOT NULL, quantity INTEGER NOT NULL, unit_price NUMERIC NOT NULL, total NUMERIC NOT NULL,
  discount REAL, created_at TEXT NOT NULL, shipped_on TEXT, note TEXT);
.mode csv
.import $WORK/orders.csv orders
UPDATE orders SET email = NULL WHERE email = '';
UPDATE orders SET discount = NULL WHERE discount = '';
UPDATE orders SET shipped_on = NULL WHERE shipped_on = '';
UPDATE orders SET note = NULL WHERE note = '';
SQL
rm -f "$WORK/orders.csv"
SQLITE_PRINT=$(fingerprint orders "WHERE id <= $SQLITE_ROWS")
job sqlite "sqlite:$WORK/source.db" orders orders_sqlite >"$WORK/sqlite.yaml"
run_cutover "(c) SQLite -> PostgreSQL" "$WORK/sqlite.yaml"
SQLITE_S=$SECONDS_TAKEN SQLITE_MB=$PEAK_MB
check "cutover SQLite -> PostgreSQL" orders_sqlite "$SQLITE_PRINT"

PIPE_RATE=$(rate "$ROWS" "$PIPE_S")
PG_RATE=$(rate "$ROWS" "$PG_S")
SQLITE_RATE=$(rate "$SQLITE_ROWS" "$SQLITE_S")
RATIO=$(awk -v a="$PG_RATE" -v b="$PIPE_RATE" 'BEGIN { printf "%.0f", 100 * a / b }')
verdict() { awk -v r="$RATIO" -v m="$PG_MB" 'BEGIN { printf "%s rows/s target (>= 70%% of the pipe): %s; peak memory (< 300 MB): %s",
  r "%", (r >= 70 ? "met" : "NOT met"), (m < 300 ? "met" : "NOT met") }'; }

mkdir -p bench/results
RESULTS=bench/results/backfill-$(date -u +%Y%m%d-%H%M%S).md
{
  printf '# bench/backfill, %s\n\n' "$(date -u '+%Y-%m-%d %H:%M UTC')"
  printf -- '- Command: `%s`\n- Commit: %s\n- Machine: %s\n' "$COMMAND" "$(commit)" "$(machine)"
  printf -- '- PostgreSQL %s on 127.0.0.1:%s (fsync off); orders: %s rows, 14 columns, %s\n' \
    "$("${PSQL[@]}" -c 'SHOW server_version')" "$PG_PORT" "$ROWS" "$TABLE_SIZE"
  printf -- '- Cutover: batchSize %s, checkpoints with checksums in a SQLite control store\n' "$BATCH"
  printf -- '- Other CPU during (a) and (b): %s%s\n\n' "${OTHER_CPU}" "$OTHER_NOTE"
  printf '| Copy | Rows | Seconds | Rows/s | Peak RSS |\n|---|---:|---:|---:|---:|\n'
  printf '| (a) psql COPY TO STDOUT \\| psql COPY FROM STDIN | %s | %s | %s | |\n' "$ROWS" "$PIPE_S" "$PIPE_RATE"
  printf '| (b) cutover backfill run, PostgreSQL -> PostgreSQL | %s | %s | %s | %s MB |\n' "$ROWS" "$PG_S" "$PG_RATE" "$PG_MB"
  printf '| (c) cutover backfill run, SQLite -> PostgreSQL | %s | %s | %s | %s MB |\n\n' "$SQLITE_ROWS" "$SQLITE_S" "$SQLITE_RATE" "$SQLITE_MB"
  printf '(b) / (a): %s\n' "$(verdict)"
} >"$RESULTS"
cat "$RESULTS"
log "wrote $RESULTS"
