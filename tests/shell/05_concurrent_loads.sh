#!/usr/bin/env bash
# Loads (inserts, updates, deletes of invoices and payments; and ar.sync batches) run
# while ar.refresh runs:
# no error on either side, and each refresh (run as the scheduled job runs it, in one
# REPEATABLE READ transaction) sees one consistent snapshot: the open amount in
# ar.customer_health, ar.portfolio_aging and ar.portfolio_kpis_monthly agree exactly,
# and the incrementally kept ADTP trend and customer state (open items, health rows)
# equal a recomputation; no change is lost.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/shell/lib.sh
DB=t_loads
q -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
q -d $DB -c "CREATE EXTENSION ar_analytics" -f tests/sql/_helpers.sql -c "SELECT ar.generate_demo(customers => 150, seed => 21, as_of => '2026-06-30')" >/dev/null
q -d $DB -c "SELECT ar.refresh('2026-06-29')" >/dev/null 2>&1

# The loader: 8 seconds of small transactions touching data dated before the as-of date.
(
  end=$((SECONDS + 8)); n=0; errors=0
  while [ $SECONDS -lt $end ]; do
    n=$((n + 1))
    if ! q -d $DB >/dev/null 2>>/tmp/ar_loads_err.txt <<SQL
BEGIN;
INSERT INTO ar.invoices (invoice_id, customer_id, invoice_date, due_date, amount)
SELECT 'LOAD-$n', customer_id, date '2026-06-01', date '2026-06-20', 500.00 FROM ar.customers ORDER BY random() LIMIT 1;
INSERT INTO ar.payments (customer_id, invoice_id, payment_date, amount)
SELECT customer_id, invoice_id, date '2026-06-25', 200.00 FROM ar.invoices WHERE invoice_id = 'LOAD-$n';
UPDATE ar.payments SET amount = amount - 0.01 WHERE payment_id = (SELECT max(payment_id) FROM ar.payments WHERE invoice_id LIKE 'LOAD-%');
DELETE FROM ar.payments WHERE payment_id = (SELECT min(payment_id) FROM ar.payments WHERE invoice_id LIKE 'LOAD-%' AND invoice_id <> 'LOAD-$n');
COMMIT;
SQL
    then errors=$((errors + 1)); fi
  done
  echo "$n $errors" > /tmp/ar_loads_result.txt
) &
loader=$!
# A second loader through the ERP path: each transaction stages a new invoice and its
# payment, re-sends the previous payment with a changed amount, and calls ar.sync.
(
  end=$((SECONDS + 8)); n=0; errors=0
  while [ $SECONDS -lt $end ]; do
    n=$((n + 1))
    if ! q -d $DB >/dev/null 2>>/tmp/ar_loads_err.txt <<SQL
BEGIN;
INSERT INTO ar.stage_invoices (invoice_id, customer_id, invoice_date, due_date, amount)
SELECT 'SYNC-$n', customer_id, '2026-06-02', '2026-06-22', '300.00' FROM ar.customers ORDER BY random() LIMIT 1;
INSERT INTO ar.stage_payments (source_id, customer_id, invoice_id, payment_date, amount)
SELECT 'SP-$n', customer_id, invoice_id, '2026-06-26', '100.00' FROM ar.stage_invoices
UNION ALL
SELECT source_id, customer_id, invoice_id, payment_date::text, '150.00' FROM ar.payments WHERE source_id = 'SP-$((n - 1))';
SELECT * FROM ar.sync('concurrent $n');
COMMIT;
SQL
    then errors=$((errors + 1)); fi
  done
  echo "$n $errors" > /tmp/ar_syncs_result.txt
) &
syncer=$!
sleep 0.5
refreshes=0
consistent=0
trend_exact=0
# rows of the stored ADTP trend that differ from a recomputation (as text: the payment
# summary type has no equality operator)
trend_diff="SELECT count(*) FROM ((SELECT d::text FROM ar.adtp_trend_monthly_data d EXCEPT ALL SELECT r::text FROM ar._adtp_trend_rows('2026-06-30', NULL) r)
                                  UNION ALL (SELECT r::text FROM ar._adtp_trend_rows('2026-06-30', NULL) r EXCEPT ALL SELECT d::text FROM ar.adtp_trend_monthly_data d)) x"
# the stored customer state and per-customer stores against the definitions
# (t.state_diff(), tests/sql/_helpers.sql, loaded into this database above)
state_ok='open items 0, health 0, performance 0, month-end ledger 0, payment behaviour 0, promise statuses 0, worklist accounts 0, aging accounts 0'
state_diff="SELECT t.state_diff()"
state_exact=0
incremental=0
while kill -0 $loader 2>/dev/null; do
  # in the refresh's own snapshot: the incrementally kept ADTP trend equals a recomputation
  out=$(q -d $DB -c "BEGIN ISOLATION LEVEL REPEATABLE READ" -c "SELECT ar.refresh('2026-06-30')" -c "$trend_diff" -c "$state_diff" \
         -c "SELECT views -> 'customers_recomputed' ->> 'full' FROM ar.refresh_log ORDER BY run_id DESC LIMIT 1" -c "COMMIT")
  refreshes=$((refreshes + 1))
  [[ "$out" == succeeded* ]] || { echo "FAILED: refresh during loads: $out"; exit 1; }
  [ "$(sed -n 2p <<<"$out")" = 0 ] && trend_exact=$((trend_exact + 1))
  [ "$(sed -n 3p <<<"$out")" = "$state_ok" ] && state_exact=$((state_exact + 1))
  [ "$(sed -n 4p <<<"$out")" = false ] && incremental=$((incremental + 1))
  same=$(q -d $DB -c "SELECT (SELECT sum(open_amount) FROM ar.customer_health) = (SELECT sum(amount) FROM ar.portfolio_aging)
                         AND (SELECT sum(amount) FROM ar.portfolio_aging) = (SELECT ending_receivables FROM ar.portfolio_kpis_monthly WHERE segment = 'All segments' AND month = '2026-06-01')")
  [ "$same" = t ] && consistent=$((consistent + 1))
done
wait $loader
wait $syncer
read -r loads load_errors < /tmp/ar_loads_result.txt
read -r syncs sync_errors < /tmp/ar_syncs_result.txt
echo "report: $loads load transactions, $syncs ar.sync batches and $refreshes refreshes ran concurrently; load errors $load_errors, sync errors $sync_errors; refreshes with one consistent snapshot $consistent of $refreshes"
check "every load transaction committed while refreshes ran" "$load_errors" "0"
check "every ar.sync batch committed while loads and refreshes ran" "$sync_errors" "0"
check "at least two refreshes overlapped the loads" "$([ "$refreshes" -ge 2 ] && echo yes)" "yes"
check "every refresh saw one consistent snapshot across the views" "$consistent" "$refreshes"
check "every refresh left the ADTP trend equal to a recomputation in its snapshot" "$trend_exact" "$refreshes"
check "every refresh left the open items, health rows and per-customer stores equal to the definitions in its snapshot" "$state_exact" "$refreshes"
# (all but the first, which also moves the date a day, recompute only what changed)
check "the refreshes during the loads kept the customer state incrementally" "$([ "$incremental" -ge $((refreshes - 1)) ] && echo yes)" "yes"
# after the loads, one more refresh takes the changes committed during the last one
q -d $DB -c "SELECT ar.refresh('2026-06-30')" >/dev/null 2>&1
check "after the loads, the ADTP trend equals a recomputation" "$(q -d $DB -c "$trend_diff")" "0"
check "after the loads, the open items, health rows and per-customer stores equal the definitions (no change lost)" "$(q -d $DB -c "$state_diff")" "$state_ok"
check "the log holds only succeeded runs" "$(q -d $DB -c "SELECT string_agg(DISTINCT status, ',') FROM ar.refresh_log")" "succeeded"
check "nothing loaded was lost" "$(q -d $DB -c "SELECT count(*) FROM ar.invoices WHERE invoice_id LIKE 'LOAD-%'")" "$loads"
check "every synced invoice and payment is there once, each re-sent payment updated (150), the last one as sent (100)" \
      "$(q -d $DB -c "SELECT (SELECT count(*) FROM ar.invoices WHERE invoice_id LIKE 'SYNC-%') || '/' || count(*) || '/' || count(*) FILTER (WHERE amount = 150) || '/' || count(DISTINCT source_id) FROM ar.payments WHERE source_id LIKE 'SP-%'")" \
      "$syncs/$syncs/$((syncs - 1))/$syncs"
q -d postgres -c "DROP DATABASE $DB"
rm -f /tmp/ar_loads_result.txt /tmp/ar_syncs_result.txt /tmp/ar_loads_err.txt
