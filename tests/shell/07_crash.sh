#!/usr/bin/env bash
# Crash safety: the backend running CALL ar.run_refresh is killed with SIGKILL in the
# middle of the refresh (it waits on a lock we hold), so the server restarts and
# recovers. Then: the views still hold the previous refresh's data, ar.refresh_log
# shows that run as not completed (interrupted, once the next refresh looks), the next
# refresh succeeds, and rows committed by a loader meanwhile are all there.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/shell/lib.sh
DB=t_crash
# The test cluster runs with synchronous_commit = off; these sessions commit durably
# (a committed row is otherwise only as durable as synchronous_commit makes it).
export PGOPTIONS="-c synchronous_commit=on"
q -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
q -d $DB -c "CREATE EXTENSION ar_analytics" -c "SELECT ar.generate_demo(customers => 80, seed => 3, as_of => '2026-06-30')" >/dev/null
q -d $DB -c "CALL ar.run_refresh('2026-06-30')" 2>/dev/null
views="SELECT ar.as_of() || '/' || (SELECT sum(open_amount) FROM ar.customer_health) || '/' || (SELECT count(*) FROM ar.collections_worklist) || '/' || (SELECT sum(expected_amount) FROM ar.cash_forecast_weekly) || '/' || (SELECT count(*) FROM ar.customer_health_history)"
before=$(q -d $DB -c "$views")
payments_before=$(q -d $DB -c "SELECT count(*) FROM ar.payments")

# Hold a lock the refresh needs after it has started working (customer health reads ar.order_holds).
( q -d $DB -c "BEGIN" -c "LOCK TABLE ar.order_holds IN ACCESS EXCLUSIVE MODE" -c "SELECT pg_sleep(30)" -c "COMMIT" >/dev/null 2>&1 || true ) &
locker=$!
sleep 1
( q -d $DB -c "CALL ar.run_refresh('2026-07-01')" >/tmp/ar_crash_refresh.out 2>&1 || true ) &
pid=""
for _ in $(seq 1 50); do
  pid=$(q -d $DB -c "SELECT pid FROM pg_stat_activity WHERE query LIKE 'CALL ar.run_refresh%' AND wait_event_type = 'Lock'" || true)
  [ -n "$pid" ] && break
  sleep 0.2
done
[ -n "$pid" ] || { echo "FAILED: the refresh never reached the lock"; exit 1; }
check "the refresh's running row is committed before the work (visible to other sessions)" \
      "$(q -d $DB -c "SELECT status || '/' || as_of FROM ar.refresh_log WHERE pid = $pid")" "running/2026-07-01"
# A loader commits a payment while the refresh is stuck mid-way.
q -d $DB -c "INSERT INTO ar.payments (customer_id, invoice_id, payment_date, amount) VALUES ('C000001', NULL, '2026-07-01', 12.34)"
kill -9 "$pid"
echo "killed backend $pid with SIGKILL"
wait $locker 2>/dev/null || true
# The postmaster resets every backend and recovers; wait until it takes connections again.
for _ in $(seq 1 100); do
  q -d $DB -c "SELECT 1" >/dev/null 2>&1 && break
  sleep 0.3
done
check "the server recovered after the crash" "$(q -d $DB -c "SELECT 1")" "1"
check "the views still hold the previous refresh's data" "$(q -d $DB -c "$views")" "$before"
check "nothing loaded was lost (the payment committed meanwhile is there)" "$(q -d $DB -c "SELECT count(*) FROM ar.payments")" "$((payments_before + 1))"
check "the killed run is not logged as completed" "$(q -d $DB -c "SELECT status || '/' || (finished_at IS NULL) FROM ar.refresh_log WHERE pid = $pid")" "running/true"
q -d $DB -c "CALL ar.run_refresh('2026-07-01')" 2>/dev/null
check "the next refresh marks the killed run interrupted" \
      "$(q -d $DB -c "SELECT status || ': ' || error FROM ar.refresh_log WHERE pid = $pid")" \
      "interrupted: the backend running this refresh ended before it finished (server crash, killed process or restart); the views kept the previous refresh's data"
check "and succeeds" "$(q -d $DB -c "SELECT status || '/' || as_of FROM ar.refresh_log ORDER BY run_id DESC LIMIT 1")" "succeeded/2026-07-01"
check "the views now show the new date" "$(q -d $DB -c "SELECT DISTINCT as_of FROM ar.customer_health")" "2026-07-01"
check "the log: previous run, interrupted run, new run" "$(q -d $DB -c "SELECT string_agg(status, ',' ORDER BY run_id) FROM ar.refresh_log")" "succeeded,interrupted,succeeded"
q -d postgres -c "DROP DATABASE $DB"
rm -f /tmp/ar_crash_refresh.out
