#!/usr/bin/env bash
# Benchmark: bench/run.sh smoke|small|medium|full  (BENCH_RUNS=N runs per figure, default 5)
#   smoke = 50 customers (CI runs it so the benchmark cannot rot), small = 1,000,
#   medium = 20,000, full = 200,000 customers (about 10 million invoices).
# Uses the installed release build and a throwaway cluster; prints one markdown table
# and writes it to bench/results-<scale>.md.
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
OUT=bench/results-$SCALE.md
scripts/pg.sh start
PSQL=(scripts/pg.sh psql -X -q -v ON_ERROR_STOP=1)
# BENCH_REUSE=1 keeps a database generated at the same scale by an earlier run
# (the generation figure is then not measured again).
if [ "${BENCH_REUSE:-0}" = 1 ] && [ "$("${PSQL[@]}" -d bench -tA -c "SELECT count(*) FROM ar.customers" 2>/dev/null)" = "$CUSTOMERS" ]; then
  # back to the state of a fresh load: no refresh yet (views unpopulated, no derived rows)
  "${PSQL[@]}" -d bench -c "DROP TABLE IF EXISTS bench_pay, bench_open" \
    -c "TRUNCATE ar.refresh_log, ar.customer_health_history, ar.customer_risk_history, ar.settings, ar.adtp_trend_monthly_data, ar._adtp_trend_state, ar._adtp_trend_changes, ar.open_items_data, ar.customer_health_data, ar._customer_state, ar._customer_changes, ar.sync_batches, ar._store_state, ar.collections_performance_data, ar.month_ledger_data, ar.month_ledger_totals, ar.promise_status_data, ar.payment_behaviour_data, ar.outlook_cells_data, ar.worklist_accounts_data, ar.collections_worklist_data, ar.order_hold_recommendations_data, ar._early_warning_runs CASCADE" \
    -c "DO \$\$ DECLARE v text; BEGIN FOR v IN SELECT matviewname FROM pg_matviews WHERE schemaname = 'ar' LOOP EXECUTE format('REFRESH MATERIALIZED VIEW ar.%I WITH NO DATA', v); END LOOP; END \$\$"
  t0=0; t1=0; invoices=$("${PSQL[@]}" -d bench -tA -c "SELECT count(*) FROM ar.invoices")
else
  "${PSQL[@]}" -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS bench WITH (FORCE)" -c "CREATE DATABASE bench"
  "${PSQL[@]}" -d bench -c "CREATE EXTENSION ar_analytics"
  t0=$(date +%s.%N)
  invoices=$("${PSQL[@]}" -d bench -tA -c "SELECT ar.generate_demo(customers => $CUSTOMERS, seed => 42, as_of => '2026-06-30')")
  t1=$(date +%s.%N)
fi
rows=$("${PSQL[@]}" -d bench -tA -c "SELECT (SELECT count(*) FROM ar.invoices) + (SELECT count(*) FROM ar.payments) + (SELECT count(*) FROM ar.adjustments) + (SELECT count(*) FROM ar.disputes) + (SELECT count(*) FROM ar.promises) + (SELECT count(*) FROM ar.activities)")
"${PSQL[@]}" -d bench -c "VACUUM ANALYZE"
gen_s=$(echo "$t1 - $t0" | bc -l); [ "$gen_s" = 0 ] && gen_s=-1

table=$("${PSQL[@]}" -d bench -v scale="$SCALE" -v runs="$RUNS" -v as_of=2026-06-30 -f bench/bench.sql)

# The daily refresh: first run (populates the views), then the daily CONCURRENTLY run,
# with the backend's peak memory sampled from /proc while it runs.
refresh_run() {  # $1 = as_of; prints "seconds peak_rss_kb peak_anon_kb"
  local out=/tmp/ar_bench_refresh.$$ pid="" hwm=0 anon=0 a h
  ( "${PSQL[@]}" -d bench -tA -c "SET application_name = 'ar_bench_refresh'" -c "SELECT ar.refresh('$1')" > "$out" ) &
  local job=$! t0; t0=$(date +%s.%N)
  while kill -0 $job 2>/dev/null; do
    [ -z "$pid" ] && pid=$("${PSQL[@]}" -d bench -tA -c "SELECT pid FROM pg_stat_activity WHERE application_name = 'ar_bench_refresh' AND state = 'active'" 2>/dev/null)
    if [ -n "$pid" ] && [ -r /proc/$pid/status ]; then
      h=$(awk '/VmHWM/ {print $2}' /proc/$pid/status 2>/dev/null); a=$(awk '/RssAnon/ {print $2}' /proc/$pid/status 2>/dev/null)
      [ -n "$h" ] && [ "$h" -gt "$hwm" ] && hwm=$h; [ -n "$a" ] && [ "$a" -gt "$anon" ] && anon=$a
    fi
    sleep 0.2
  done
  wait $job
  grep -q '^succeeded' "$out" || { echo "refresh failed: $(cat "$out")" >&2; exit 1; }
  rm -f "$out"
  echo "$(printf %.1f "$(echo "$(date +%s.%N) - $t0" | bc -l)") $hwm $anon"
}
read -r first_s _ _ <<<"$(refresh_run 2026-06-29)"
read -r daily_s peak_rss peak_anon <<<"$(refresh_run 2026-06-30)"
per_view=$("${PSQL[@]}" -d bench -tA -c "SELECT string_agg(format('%s %s ms (%s rows)', key, value->>'ms', value->>'rows'), ', ' ORDER BY key) FROM ar.refresh_log, jsonb_each(views) WHERE run_id = (SELECT max(run_id) FROM ar.refresh_log)")
reads=$("${PSQL[@]}" -d bench -v runs=20 -f bench/reads.sql)

# ERP load path (docs/loading.md): bench/sync.sh
sync_line=$(bench/sync.sh bench)

# DuckDB on the same rows, from a project virtualenv (bench/requirements.txt; made once
# in target/bench-venv, or AR_BENCH_VENV); not measured when it cannot be made
duck="DuckDB: not measured (the virtualenv with bench/requirements.txt could not be made)"
VENV=${AR_BENCH_VENV:-target/bench-venv}
if [ ! -x "$VENV/bin/python" ] || ! cmp -s bench/requirements.txt "$VENV/.requirements.txt"; then
  { python3 -m venv "$VENV" && "$VENV/bin/pip" install -q --disable-pip-version-check -r bench/requirements.txt \
      && cp bench/requirements.txt "$VENV/.requirements.txt"; } >/dev/null 2>&1 || rm -f "$VENV/.requirements.txt"
fi
if [ -f "$VENV/.requirements.txt" ] && "$VENV/bin/python" -c "import duckdb" 2>/dev/null; then
  "${PSQL[@]}" -d bench -c "\copy (SELECT customer_id, invoice_date, due_date, payment_date, amount FROM bench_pay) TO '/tmp/ar_bench_pay.csv' CSV"
  "${PSQL[@]}" -d bench -c "\copy (SELECT customer_id, open_amount, days_past_due FROM bench_open) TO '/tmp/ar_bench_open.csv' CSV"
  "${PSQL[@]}" -d bench -c "\copy (SELECT customer_id, ar.item_count(s), ar.adtp(s), ar.adtp_weighted(s), ar.avg_days_late(s), ar.on_time_rate(s) FROM (SELECT customer_id, ar.payment_stats(invoice_date, due_date, payment_date, amount) s FROM bench_pay GROUP BY 1) g) TO '/tmp/ar_bench_native.csv' CSV"
  dj=$("$VENV/bin/python" bench/duckdb_compare.py /tmp/ar_bench_pay.csv /tmp/ar_bench_open.csv /tmp/ar_bench_native.csv "$RUNS")
  native_ps=$(grep "| payment stats per customer | native, 2 workers |" <<<"$table" | awk -F'|' '{print $6}' | tr -d ' ')
  native_ag=$(grep "| aging per customer | native, 2 workers |" <<<"$table" | awk -F'|' '{print $6}' | tr -d ' ')
  duck=$(python3 - "$dj" "$native_ps" "$native_ag" <<'PY'
import json, sys
d = json.loads(sys.argv[1]); ps, ag = float(sys.argv[2]), float(sys.argv[3])
p, a = d["payment_stats"], d["aging"]
print(f"DuckDB {d['duckdb']} ({d['threads']} threads, in-process, data loaded from CSV in {d['load_s']} s; "
      f"{d['mismatches']} of {d['customers_compared']} customers disagree with the native figures beyond 1e-9):\n\n"
      f"| item | DuckDB median ms (min–max) | ar_analytics native, 2 workers, median ms | native ÷ DuckDB |\n|---|---|---|---|\n"
      f"| payment stats per customer | {p['median_ms']} ({p['min_ms']}–{p['max_ms']}) | {ps} | {ps / p['median_ms']:.2f} |\n"
      f"| aging per customer | {a['median_ms']} ({a['min_ms']}–{a['max_ms']}) | {ag} | {ag / a['median_ms']:.2f} |")
PY
)
  rm -f /tmp/ar_bench_pay.csv /tmp/ar_bench_open.csv /tmp/ar_bench_native.csv
fi
# Days of different sizes after the daily run (docs/views.md, "Incremental refresh"):
# bench/incremental.sh, last (it adds rows and days to the database)
incremental=$(bench/incremental.sh bench 2026-06-30)
settings=$("${PSQL[@]}" -d bench -tA -c "SELECT string_agg(name || '=' || current_setting(name), ', ' ORDER BY name) FROM pg_settings WHERE name IN ('shared_buffers', 'work_mem', 'max_parallel_workers_per_gather', 'max_worker_processes', 'jit')")
pgver=$("${PSQL[@]}" -d bench -tA -c "SHOW server_version")
scripts/pg.sh stop

report=$(cat <<MD
## ar_analytics benchmark — scale \`$SCALE\` ($CUSTOMERS customers), $(date -u +%Y-%m-%d)

Machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB RAM, $(uname -m); PostgreSQL $pgver ($settings); release build.
Each figure is the median of $RUNS runs (min–max shown). Ratios compare with the plain-SQL and scan-floor runs of the same item at the same parallelism, measured in the same run.

$(if [ "$gen_s" = -1 ]; then echo "Generation: not measured in this run (BENCH_REUSE=1: $invoices invoices, $rows rows generated by an earlier run)."; else echo "Generation: \`ar.generate_demo($CUSTOMERS)\` created $invoices invoices ($rows rows in all tables) in $(printf %.1f "$gen_s") s: $(printf %.0f "$(echo "$rows / $gen_s" | bc -l)") rows/s, $(printf %.0f "$(echo "$invoices / $gen_s" | bc -l)") invoices/s."; fi)

| scale | item | variant | payments / open items | median ms | min–max ms | ÷ plain SQL | ÷ scan floor |
|---|---|---|---|---|---|---|---|
$table

Daily refresh (\`ar.refresh\`): first run (populates the views) $first_s s; daily run (CONCURRENTLY, with history snapshot) $daily_s s.
Per view in the daily run: $per_view.
Peak memory of the refreshing backend: VmHWM $((peak_rss / 1024)) MiB (includes shared buffers it touched), private (RssAnon) $((peak_anon / 1024)) MiB.

The daily refresh after days of different sizes (\`bench/incremental.sh\`: each day a new invoice and a payment for that share of the customers; the customer state = open items and health rows, and the collections performance are kept incrementally; the other views are refreshed whole):

$incremental

$sync_line

BI reads (server-side, median of 20 runs):

| query | median ms | min–max ms |
|---|---|---|
$reads

$duck
MD
)
echo "$report"
echo "$report" > "$OUT"
echo "(written to $OUT)"
