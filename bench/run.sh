#!/usr/bin/env bash
# Benchmark: bench/run.sh smoke|small|medium|full  (BENCH_RUNS=N runs per figure, default 5)
#   smoke = 50 customers (CI runs it so the benchmark cannot rot), small = 1,000,
#   medium = 20,000, full = 200,000 customers (about 10 million invoices).
# Uses the installed release build and a throwaway cluster; prints one markdown table
# and writes it to bench/results.md (or bench/results-smoke.md for smoke runs).
set -euo pipefail
cd "$(dirname "$0")/.."
SCALE=${1:-small}
case "$SCALE" in
  smoke) CUSTOMERS=50 ;; small) CUSTOMERS=1000 ;; medium) CUSTOMERS=20000 ;; full) CUSTOMERS=200000 ;;
  *) echo "usage: bench/run.sh smoke|small|medium|full" >&2; exit 2 ;;
esac
RUNS=${BENCH_RUNS:-5}; [ "$SCALE" = smoke ] && RUNS=1
export AR_PGDATA=${AR_BENCH_PGDATA:-/tmp/ar_analytics_bench/pgdata} AR_PGPORT=${AR_BENCH_PGPORT:-54317} AR_CRON_DB=bench
export AR_SHARED_BUFFERS=${AR_SHARED_BUFFERS:-4GB}
OUT=bench/results.md; [ "$SCALE" = smoke ] && OUT=bench/results-smoke.md
scripts/pg.sh start
PSQL=(scripts/pg.sh psql -X -q -v ON_ERROR_STOP=1)
"${PSQL[@]}" -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS bench WITH (FORCE)" -c "CREATE DATABASE bench"
"${PSQL[@]}" -d bench -c "CREATE EXTENSION ar_analytics"

t0=$(date +%s.%N)
invoices=$("${PSQL[@]}" -d bench -tA -c "SELECT ar.generate_demo(customers => $CUSTOMERS, seed => 42, as_of => '2026-06-30')")
t1=$(date +%s.%N)
rows=$("${PSQL[@]}" -d bench -tA -c "SELECT (SELECT count(*) FROM ar.invoices) + (SELECT count(*) FROM ar.payments) + (SELECT count(*) FROM ar.adjustments) + (SELECT count(*) FROM ar.disputes) + (SELECT count(*) FROM ar.promises) + (SELECT count(*) FROM ar.activities)")
"${PSQL[@]}" -d bench -c "VACUUM ANALYZE"
gen_s=$(echo "$t1 - $t0" | bc -l)

table=$("${PSQL[@]}" -d bench -v scale="$SCALE" -v runs="$RUNS" -v as_of=2026-06-30 -f bench/bench.sql)
settings=$("${PSQL[@]}" -d bench -tA -c "SELECT string_agg(name || '=' || current_setting(name), ', ' ORDER BY name) FROM pg_settings WHERE name IN ('shared_buffers', 'work_mem', 'max_parallel_workers_per_gather', 'max_worker_processes', 'jit')")
pgver=$("${PSQL[@]}" -d bench -tA -c "SHOW server_version")
scripts/pg.sh stop

report=$(cat <<MD
## ar_analytics benchmark — scale \`$SCALE\` ($CUSTOMERS customers), $(date -u +%Y-%m-%d)

Machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB RAM, $(uname -m); PostgreSQL $pgver ($settings); release build.
Each figure is the median of $RUNS runs (min–max shown). Ratios compare with the plain-SQL and scan-floor runs of the same item at the same parallelism, measured in the same run.

Generation: \`ar.generate_demo($CUSTOMERS)\` created $invoices invoices ($rows rows in all tables) in $(printf %.1f "$gen_s") s: $(printf %.0f "$(echo "$rows / $gen_s" | bc -l)") rows/s, $(printf %.0f "$(echo "$invoices / $gen_s" | bc -l)") invoices/s.

| scale | item | variant | payments / open items | median ms | min–max ms | ÷ plain SQL | ÷ scan floor |
|---|---|---|---|---|---|---|---|
$table
MD
)
echo "$report"
echo "$report" > "$OUT"
echo "(written to $OUT)"
