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
  -c "INSERT INTO ar.rating_policy (slip_warning_days) VALUES (5)" -c "SELECT ar.refresh('2026-06-29')" -c "SELECT ar.refresh('2026-06-30')" \
  -c "INSERT INTO ar.collections_settings (dispute_sla_days) VALUES (10)" -c "INSERT INTO ar.collectors (collector) VALUES ('Alice'), ('Zoe')" \
  -c "INSERT INTO ar.collection_strategies SELECT * FROM ar.default_collection_strategies() WHERE risk_segment = 'high'" \
  -c "UPDATE ar.customers SET collector = NULL WHERE customer_id IN ('C000001', 'C000002', 'C000003', 'C000004')" -c "SELECT count(*) FROM ar.assign_collectors('2026-06-30')" \
  -c "SELECT ar.create_payment_plan('C000005', 500.00, 4, '2026-07-15', '1 month', '2026-06-30')" \
  -c "SELECT ar.grant_collector('postgres', NULL)" >/dev/null

# every table registered with the extension (tests/sql/01_schema.sql checks none is left out)
fingerprint="SELECT string_agg(t || '=' || (xpath('/row/n/text()', x))[1]::text || ':' || coalesce((xpath('/row/h/text()', x))[1]::text, ''), ' ' ORDER BY t)
  FROM (SELECT c::regclass::text AS t,
               query_to_xml(format('SELECT count(*) AS n, md5(string_agg(x::text, %L ORDER BY x::text)) AS h FROM %s x', ',', c::regclass), false, true, '') AS x
          FROM pg_extension e, unnest(e.extconfig) c WHERE e.extname = 'ar_analytics' AND (SELECT relkind FROM pg_class WHERE oid = c) = 'r') s"
src=$(q -d t_dump_src -c "$fingerprint")
dump=$(mktemp /tmp/ar_dump.XXXXXX)
"$PGBIN/pg_dump" -h "$SOCK" -p "$AR_PGPORT" -U postgres -Fc -f "$dump" t_dump_src
"$PGBIN/pg_restore" -h "$SOCK" -p "$AR_PGPORT" -U postgres --exit-on-error -d t_dump_dst "$dump"
rm -f "$dump"
dst=$(q -d t_dump_dst -c "$fingerprint")
check "every row of every table survives pg_dump/pg_restore" "$dst" "$src"
echo "report: restored $(echo "$src" | tr ' ' '\n' | cut -d: -f1 | sed 's/^ar\.//' | tr '\n' ' ')"
check "the collections tables hold rows in the dump test" "$(echo "$src" | tr ' ' '\n' | grep -cE '^ar\.(collectors|collection_strategies|collections_settings|collector_assignments|payment_plans|payment_plan_installments|collector_roles)=[1-9]')" "7"
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
