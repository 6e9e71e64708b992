#!/usr/bin/env bash
# The daily refresh after days of different sizes (docs/views.md, "Incremental refresh"):
# bench/incremental.sh DB AS_OF — DB refreshed as of AS_OF; each following day gets a
# new invoice and a payment on an open invoice for a share of the customers (none,
# 0.1 %, 1 %, 3 % = a realistic day, 10 %), then ar.refresh of that day; then the same
# date once more (nothing changed), after a first refresh of AS_OF that takes what was
# loaded before. A day that starts a month says so (the collections performance then
# recomputes every customer: its 12 months move); AS_OF = a month's last day gives a
# month start and then a no-change day within the month. A day that carries the weekly
# refit of the payment model (and the accuracy report) says so, with their times: that
# work is weekly, not the day's (docs/collections.md). Prints a markdown table: the
# customers recomputed (and of them the payment behaviour's), the customer state's time
# (open items + health rows), the customers and time of the collections performance (its
# per-customer store + view), and the whole refresh's.
# Called by bench/run.sh; the days it adds stay in DB.
set -euo pipefail
cd "$(dirname "$0")/.."
DB=${1:?usage: bench/incremental.sh DB AS_OF}; AS_OF=${2:?usage: bench/incremental.sh DB AS_OF}
PSQL=(scripts/pg.sh psql -X -q -v ON_ERROR_STOP=1 -d "$DB")
n=$("${PSQL[@]}" -tA -c "SELECT count(*) FROM ar.customers")
# first the changes loaded since the last refresh (bench/run.sh's sync benchmark), not measured
"${PSQL[@]}" -tA -c "SET client_min_messages = warning" -c "SELECT ar.refresh('$AS_OF')" >/dev/null
echo "| day | customers changed | customers recomputed (of $n) | invoices recomputed | payment behaviour recomputed | customer state s | performance: customers recomputed | performance s | whole refresh s |"
echo "|---|---|---|---|---|---|---|---|---|"
d=$AS_OF
shares="0 0.001 0.01 0.03 0.10 same"
[ "$(date -d "$AS_OF + 1 day" +%d)" = 01 ] && shares="0 $shares"
for share in $shares; do
  if [ "$share" != same ]; then
    d=$(date -d "$d + 1 day" +%F)
    "${PSQL[@]}" -c "
      CREATE TEMP TABLE day_customers AS
      SELECT c.customer_id, c.currency FROM ar.customers c ORDER BY md5(c.customer_id || '$d') LIMIT round($n * $share);
      INSERT INTO ar.invoices (invoice_id, customer_id, invoice_date, due_date, amount, currency)
      SELECT 'B-$d-' || x.customer_id, x.customer_id, '$d', date '$d' + 30, 1000, x.currency FROM day_customers x;
      INSERT INTO ar.payments (customer_id, invoice_id, payment_date, amount, currency)
      SELECT DISTINCT ON (o.customer_id) o.customer_id, o.invoice_id, '$d', least(o.open_amount, 100), i.currency
        FROM ar.open_items_snapshot o JOIN ar.invoices i USING (invoice_id)
       WHERE o.customer_id IN (SELECT customer_id FROM day_customers) AND o.open_amount > 0 AND o.invoice_date <= '$d'
         AND NOT EXISTS (SELECT FROM ar.payments p WHERE p.invoice_id = o.invoice_id AND p.payment_date > '$d')
       ORDER BY o.customer_id, o.invoice_id;"
    label="$d: $(awk -v s="$share" 'BEGIN { printf (s == 0 ? "no data change" : "%g %% of customers"), s * 100 }')"
    [ "$(date -d "$d" +%d)" = 01 ] && label="$label (month start)"
  else
    label="$d again: nothing changed"
  fi
  t0=$(date +%s.%N)
  out=$("${PSQL[@]}" -tA -c "SET client_min_messages = warning" -c "SELECT ar.refresh('$d')")
  t1=$(date +%s.%N)
  grep -q '^succeeded' <<<"$out" || { echo "refresh failed: $out" >&2; exit 1; }
  "${PSQL[@]}" -tA -F ' | ' -c "
    SELECT '$label' || CASE WHEN (views -> 'payment_model' ->> 'rows')::bigint > 0
                            THEN format(', with the weekly refit (%s s) and accuracy report (%s s)',
                                        round((views -> 'payment_model' ->> 'ms')::numeric / 1000, 1),
                                        round(coalesce((views -> 'cash_forecast_backtest_mv' ->> 'ms')::numeric, 0) / 1000, 1))
                            ELSE '' END,
           $(if [ "$share" = same ]; then echo 0; else echo "round($n * $share)"; fi),
           views -> 'customers_recomputed' ->> 'rows' || CASE WHEN (views -> 'customers_recomputed' ->> 'full')::boolean THEN ' (all)' ELSE '' END,
           coalesce(views -> 'customers_recomputed' ->> 'invoices', 'all'),
           coalesce(views -> 'customers_recomputed' ->> 'payment_behaviour', 'all'),
           round(((views -> 'customer_health_mv' ->> 'ms')::numeric + (views -> 'open_items_snapshot' ->> 'ms')::numeric) / 1000, 2),
           views -> 'collections_performance_data' ->> 'customers' || CASE WHEN (views -> 'collections_performance_data' ->> 'full')::boolean THEN ' (all)' ELSE '' END,
           round(((views -> 'collections_performance_data' ->> 'ms')::numeric + (views -> 'collections_performance_mv' ->> 'ms')::numeric) / 1000, 2),
           round($t1 - $t0, 1)
      FROM ar.refresh_log WHERE run_id = (SELECT max(run_id) FROM ar.refresh_log)" | sed 's/^/| /; s/$/ |/'
done
