#!/usr/bin/env bash
# Multi-currency cost (docs/currency.md): the same demo portfolio generated USD-only and
# with a share of EUR/GBP/JPY accounts (foreign_share), each refreshed twice (the first,
# full refresh, then the daily one of the next day); prints the times side by side and
# their ratio, measured in the same run. Usage: bench/currency.sh [CUSTOMERS] [SHARE]
# (default 20000 customers: about 1M invoices; share 0.3). Writes bench/results-currency.md.
set -euo pipefail
cd "$(dirname "$0")/.."
CUSTOMERS=${1:-20000}; SHARE=${2:-0.3}
export AR_PGDATA=${AR_BENCH_PGDATA:-/tmp/ar_analytics_bench/pgdata} AR_PGPORT=${AR_BENCH_PGPORT:-54317} AR_CRON_DB=bench
export AR_SHARED_BUFFERS=${AR_SHARED_BUFFERS:-4GB}
scripts/pg.sh start
PSQL=(scripts/pg.sh psql -X -q -tA -v ON_ERROR_STOP=1)
declare -A first daily invoices
for share in 0 "$SHARE"; do
  "${PSQL[@]}" -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS bench_fx WITH (FORCE)" -c "CREATE DATABASE bench_fx"
  invoices[$share]=$("${PSQL[@]}" -d bench_fx -c "CREATE EXTENSION ar_analytics" -c "SELECT ar.generate_demo(customers => $CUSTOMERS, seed => 42, as_of => '2026-06-29', foreign_share => $share)" | tail -1)
  "${PSQL[@]}" -d bench_fx -c "VACUUM ANALYZE" >/dev/null
  first[$share]=$("${PSQL[@]}" -d bench_fx -c "SELECT ar.refresh('2026-06-29')" -c "SELECT round(extract(epoch FROM finished_at - started_at)::numeric, 1) FROM ar.refresh_log ORDER BY run_id DESC LIMIT 1" | tail -1)
  daily[$share]=$("${PSQL[@]}" -d bench_fx -c "SELECT ar.refresh('2026-06-30')" -c "SELECT round(extract(epoch FROM finished_at - started_at)::numeric, 1) FROM ar.refresh_log ORDER BY run_id DESC LIMIT 1" | tail -1)
done
ratio() { echo "scale=3; $1 / $2" | bc; }
{
  echo "# Multi-currency refresh cost ($(date -u +%F), $CUSTOMERS customers, 2 cores)"
  echo
  echo "| portfolio | invoices | first refresh (s) | daily refresh (s) |"
  echo "|---|---|---|---|"
  echo "| USD only | ${invoices[0]} | ${first[0]} | ${daily[0]} |"
  echo "| $(echo "$SHARE * 100" | bc | sed 's/\..*//') % EUR/GBP/JPY | ${invoices[$SHARE]} | ${first[$SHARE]} | ${daily[$SHARE]} |"
  echo "| ratio | | $(ratio "${first[$SHARE]}" "${first[0]}") | $(ratio "${daily[$SHARE]}" "${daily[0]}") |"
} | tee bench/results-currency.md
"${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS bench_fx WITH (FORCE)"
