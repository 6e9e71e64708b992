#!/usr/bin/env bash
# pg_dump of a loaded database restores into a fresh one with every row (the
# tables are extension config tables), and DROP EXTENSION ... CASCADE removes
# everything the extension created. Runs against the test cluster (tests/run.sh).
set -euo pipefail
cd "$(dirname "$0")/../.."
PGBIN=$(/usr/bin/pg_config --bindir)
SOCK=$(dirname "$AR_PGDATA")
. tests/shell/lib.sh

q -d postgres -c "DROP DATABASE IF EXISTS t_dump_src" -c "DROP DATABASE IF EXISTS t_dump_dst" -c "CREATE DATABASE t_dump_src" -c "CREATE DATABASE t_dump_dst" 2>/dev/null
q -d t_dump_src -c "CREATE EXTENSION ar_analytics" -c "SELECT ar.generate_demo(customers => 60, seed => 3, as_of => '2026-06-30')" \
  -c "INSERT INTO ar.rating_policy (slip_warning_days) VALUES (5)" -c "SELECT ar.refresh('2026-06-29')" -c "SELECT ar.refresh('2026-06-30')" >/dev/null

fingerprint="SELECT string_agg(t || '=' || n || ':' || h, ' ' ORDER BY t) FROM (
  SELECT 'customers' t, count(*) n, md5(string_agg(x::text, ',' ORDER BY x::text)) h FROM ar.customers x
  UNION ALL SELECT 'invoices', count(*), md5(string_agg(x::text, ',' ORDER BY x::text)) FROM ar.invoices x
  UNION ALL SELECT 'payments', count(*), md5(string_agg(x::text, ',' ORDER BY x::text)) FROM ar.payments x
  UNION ALL SELECT 'adjustments', count(*), md5(string_agg(x::text, ',' ORDER BY x::text)) FROM ar.adjustments x
  UNION ALL SELECT 'disputes', count(*), md5(string_agg(x::text, ',' ORDER BY x::text)) FROM ar.disputes x
  UNION ALL SELECT 'promises', count(*), md5(string_agg(x::text, ',' ORDER BY x::text)) FROM ar.promises x
  UNION ALL SELECT 'order_holds', count(*), md5(string_agg(x::text, ',' ORDER BY x::text)) FROM ar.order_holds x
  UNION ALL SELECT 'activities', count(*), md5(string_agg(x::text, ',' ORDER BY x::text)) FROM ar.activities x
  UNION ALL SELECT 'demo_profiles', count(*), md5(string_agg(x::text, ',' ORDER BY x::text)) FROM ar.demo_profiles x
  UNION ALL SELECT 'settings', count(*), md5(string_agg(x::text, ',' ORDER BY x::text)) FROM ar.settings x
  UNION ALL SELECT 'customer_health_history', count(*), md5(string_agg(x::text, ',' ORDER BY x::text)) FROM ar.customer_health_history x
  UNION ALL SELECT 'refresh_log', count(*), md5(string_agg(x::text, ',' ORDER BY x::text)) FROM ar.refresh_log x
  UNION ALL SELECT 'customer_risk_history', count(*), md5(string_agg(x::text, ',' ORDER BY x::text)) FROM ar.customer_risk_history x
  UNION ALL SELECT 'rating_policy', count(*), md5(string_agg(x::text, ',' ORDER BY x::text)) FROM ar.rating_policy x) s"
src=$(q -d t_dump_src -c "$fingerprint")
dump=$(mktemp /tmp/ar_dump.XXXXXX)
"$PGBIN/pg_dump" -h "$SOCK" -p "$AR_PGPORT" -U postgres -Fc -f "$dump" t_dump_src
"$PGBIN/pg_restore" -h "$SOCK" -p "$AR_PGPORT" -U postgres --exit-on-error -d t_dump_dst "$dump"
rm -f "$dump"
dst=$(q -d t_dump_dst -c "$fingerprint")
check "every row of every table survives pg_dump/pg_restore" "$dst" "$src"
echo "report: restored $(echo "$src" | tr ' ' '\n' | cut -d: -f1 | tr '\n' ' ')"
# identity sequences continue after the restored rows
q -d t_dump_dst -c "INSERT INTO ar.payments (customer_id, payment_date, amount) SELECT customer_id, '2026-07-01', 1 FROM ar.customers LIMIT 1" >/dev/null
check "identity sequence position restored" "$(q -d t_dump_dst -c "SELECT max(payment_id) = (SELECT count(*) FROM ar.payments) FROM ar.payments")" "t"
check "the views refresh after restore" "$(q -d t_dump_dst -c "SELECT ar.refresh('2026-07-01')" | cut -d: -f1)" "succeeded"
check "history continues after restore" "$(q -d t_dump_dst -c "SELECT count(DISTINCT as_of) FROM ar.customer_health_history")" "3"
check "aggregates work after restore" "$(q -d t_dump_dst -c "SELECT ar.total(ar.aging(open_amount, days_past_due)) = sum(open_amount) FROM ar.open_items('2026-06-30')")" "t"

# DROP EXTENSION CASCADE removes the schema and everything in it
q -d t_dump_dst -c "DROP EXTENSION ar_analytics CASCADE" 2>/dev/null
check "DROP EXTENSION removes schema ar" "$(q -d t_dump_dst -c "SELECT count(*) FROM pg_namespace WHERE nspname = 'ar'")" "0"
check "DROP EXTENSION leaves no ar types or functions" "$(q -d t_dump_dst -c "SELECT count(*) FROM pg_type WHERE typname IN ('paymentstats', 'agingsummary')")" "0"
q -d t_dump_dst -c "CREATE EXTENSION ar_analytics"
check "CREATE EXTENSION again after DROP" "$(q -d t_dump_dst -c "SELECT count(*) FROM ar.customers")" "0"
q -d postgres -c "DROP DATABASE t_dump_src" -c "DROP DATABASE t_dump_dst"
