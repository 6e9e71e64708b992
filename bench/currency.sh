#!/usr/bin/env bash
# Multi-currency cost (docs/currency.md): the same demo portfolio generated USD-only and
# with a share of EUR/GBP/JPY accounts (foreign_share), side by side in two databases of
# one cluster. Each gets its first (full) refresh, then RUNS daily refreshes (the next
# days), the two databases taking turns so that the machine's drift hits both alike;
# prints the medians, their ratio and the ratio per view. Usage:
# bench/currency.sh [CUSTOMERS] [SHARE] (default 20000 customers: about 1M invoices;
# share 0.3; RUNS=3). Writes bench/results-currency.md.
set -euo pipefail
cd "$(dirname "$0")/.."
CUSTOMERS=${1:-20000}; SHARE=${2:-0.3}; RUNS=${RUNS:-3}
export AR_PGDATA=${AR_BENCH_PGDATA:-/tmp/ar_analytics_bench/pgdata} AR_PGPORT=${AR_BENCH_PGPORT:-54317} AR_CRON_DB=bench
export AR_SHARED_BUFFERS=${AR_SHARED_BUFFERS:-4GB}
scripts/pg.sh start
PSQL=(scripts/pg.sh psql -X -q -tA -v ON_ERROR_STOP=1)
declare -A invoices share_of=([usd]=0 [foreign]=$SHARE)
last_run() {   # seconds of the database's latest refresh
  "${PSQL[@]}" -d "bench_fx_$1" -c "SELECT round(extract(epoch FROM finished_at - started_at)::numeric, 2) FROM ar.refresh_log ORDER BY run_id DESC LIMIT 1"
}
for db in usd foreign; do
  "${PSQL[@]}" -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS bench_fx_$db WITH (FORCE)" -c "CREATE DATABASE bench_fx_$db"
  invoices[$db]=$("${PSQL[@]}" -d "bench_fx_$db" -c "CREATE EXTENSION ar_analytics" -c "SELECT ar.generate_demo(customers => $CUSTOMERS, seed => 42, as_of => '2026-06-29', foreign_share => ${share_of[$db]})" | tail -1)
  "${PSQL[@]}" -d "bench_fx_$db" -c "VACUUM ANALYZE" >/dev/null
done
declare -A first
for db in usd foreign; do
  "${PSQL[@]}" -d "bench_fx_$db" -c "SELECT ar.refresh('2026-06-29')" >/dev/null 2>&1
  first[$db]=$(last_run "$db")
done
for r in $(seq 1 "$RUNS"); do
  for db in usd foreign; do
    "${PSQL[@]}" -d "bench_fx_$db" -c "SELECT ar.refresh(date '2026-06-29' + $r)" >/dev/null 2>&1
  done
done
# the medians of the daily runs, in total and per view (name|seconds)
median_total() {
  "${PSQL[@]}" -d "bench_fx_$1" -c "SELECT round(percentile_disc(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM finished_at - started_at))::numeric, 1)
                                      FROM ar.refresh_log WHERE as_of > '2026-06-29' AND status = 'succeeded'"
}
median_views() {
  "${PSQL[@]}" -d "bench_fx_$1" -c "SELECT v.key || '|' || round(percentile_disc(0.5) WITHIN GROUP (ORDER BY (v.value->>'ms')::numeric) / 1000, 2)
                                      FROM ar.refresh_log l, jsonb_each(l.views) v WHERE l.as_of > '2026-06-29' AND l.status = 'succeeded'
                                     GROUP BY v.key ORDER BY v.key"
}
ratio() { echo "scale=3; $1 / $2" | bc; }
usd=$(median_total usd); foreign=$(median_total foreign)
{
  echo "# Multi-currency refresh cost ($(date -u +%F), $CUSTOMERS customers, 2 cores)"
  echo
  echo "Daily refresh: median of $RUNS runs per database, the two databases taking turns."
  echo
  echo "| portfolio | invoices | first refresh (s) | daily refresh (s) |"
  echo "|---|---|---|---|"
  echo "| USD only | ${invoices[usd]} | ${first[usd]} | $usd |"
  echo "| $(echo "$SHARE * 100" | bc | sed 's/\..*//') % EUR/GBP/JPY | ${invoices[foreign]} | ${first[foreign]} | $foreign |"
  echo "| ratio | | $(ratio "${first[foreign]}" "${first[usd]}") | $(ratio "$foreign" "$usd") |"
  echo
  echo "Daily refresh per view (s, medians):"
  echo
  echo "| view | USD only | foreign | ratio |"
  echo "|---|---|---|---|"
  join -t'|' <(median_views usd) <(median_views foreign) | while IFS='|' read -r v a b; do
    echo "| $v | $a | $b | $(if [ "$a" != 0.00 ]; then ratio "$b" "$a"; fi) |"
  done
} | tee bench/results-currency.md
"${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS bench_fx_usd WITH (FORCE)" -c "DROP DATABASE IF EXISTS bench_fx_foreign WITH (FORCE)"
