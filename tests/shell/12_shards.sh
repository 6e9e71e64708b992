#!/usr/bin/env bash
# Scale-out on postgres_fdw (docs/scale-out.md): a coordinator (a database of the test
# cluster, whose own ar tables hold the one-node portfolio) and 3 shard clusters on this
# machine. The demo's customers, invoices, adjustments and payments are distributed by
# customer_id (scripts/shards/coordinator.sql, load.sql); each shard runs its own
# ar.refresh. Checked: per-customer payment stats and aging computed ON the shards
# (EXPLAIN VERBOSE: the aggregate is in each shard's remote SQL) equal one node's for
# every customer; portfolio aging, ADTP and DSO merged on the coordinator from the
# per-customer summaries (ar.rollup, sums) equal one node's. Timings of one node and of
# the 3 shards are reported (same run, same machine). Scale: AR_SHARD_CUSTOMERS (20000).
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/shell/lib.sh
customers=${AR_SHARD_CUSTOMERS:-20000}
as_of=2026-06-30
base=$(dirname "$AR_PGDATA")_shards
coord_port=$AR_PGPORT
hosts=(); ports=()
shard() {  # K command...: scripts/pg.sh for shard K
  local k=$1; shift
  AR_PGDATA=$base/s$k/pgdata AR_PGPORT=$((coord_port + 40 + k)) AR_CRON_DB=shard AR_SHARED_BUFFERS=256MB scripts/pg.sh "$@"
}
sq() { local k=$1; shift; shard "$k" psql -X -q -tA -v ON_ERROR_STOP=1 -d shard "$@"; }
cleanup() { for k in 0 1 2; do shard "$k" destroy >/dev/null 2>&1 || true; done; rm -rf "$base"; }
[ "${AR_SHARD_KEEP:-0}" = 1 ] || trap cleanup EXIT
cleanup
for k in 0 1 2; do
  shard "$k" start
  shard "$k" psql -X -q -d postgres -c "CREATE DATABASE shard" >/dev/null
  sq "$k" -c "CREATE EXTENSION ar_analytics"
  hosts+=("$base/s$k"); ports+=($((coord_port + 40 + k)))
done
db=t_shards
q -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
q -d $db -c "CREATE EXTENSION ar_analytics" -c "SELECT ar.generate_demo(customers => $customers, seed => 42, as_of => '$as_of')" >/dev/null
q -d $db -v hosts="$(IFS=,; echo "${hosts[*]}")" -v ports="$(IFS=,; echo "${ports[*]}")" -v dbname=shard -v user=postgres \
  -f scripts/shards/coordinator.sql >/dev/null
t0=$(date +%s.%N)
q -d $db -f scripts/shards/load.sql >/dev/null
load_s=$(echo "$(date +%s.%N) - $t0" | bc -l)
# the daily refresh: one node, then the 3 shards at once (each its own customers), right
# after the load (each refresh analyzes the tables the load left without statistics)
t0=$(date +%s.%N)
q -d $db -c "CALL ar.run_refresh('$as_of')"
one_refresh_s=$(echo "$(date +%s.%N) - $t0" | bc -l)
t0=$(date +%s.%N)
for k in 0 1 2; do sq "$k" -c "CALL ar.run_refresh('$as_of')" & done; wait
refresh_s=$(echo "$(date +%s.%N) - $t0" | bc -l)
q -d $db -c "ANALYZE dist.customers, dist.invoices, dist.payments, dist.open_items"

# every row is on exactly one shard, each shard holds about a third of the customers
check "rows distributed: customers, invoices, payments, adjustments on the shards = one node's" \
  "$(for t in customers invoices payments adjustments; do echo -n "$t $(for k in 0 1 2; do sq $k -c "SELECT count(*) FROM ar.$t"; done | paste -sd+ | bc) "; done)" \
  "$(for t in customers invoices payments adjustments; do echo -n "$t $(q -d $db -c "SELECT count(*) FROM ar.$t") "; done)"
smallest=$(for k in 0 1 2; do sq $k -c "SELECT count(*) FROM ar.customers"; done | sort -n | head -1)
check "each shard holds between a quarter and a half of the customers" "$([ $((smallest * 4)) -ge "$customers" ] && echo yes)" yes

S="SET enable_partitionwise_join = on; SET enable_partitionwise_aggregate = on;"
stats_dist="SELECT p.customer_id, ar.payment_stats(i.invoice_date, i.due_date, p.payment_date, p.amount) AS s
  FROM dist.payments p JOIN dist.invoices i ON i.invoice_id = p.invoice_id AND i.customer_id = p.customer_id
 WHERE p.payment_date <= '$as_of' GROUP BY p.customer_id"
stats_one="SELECT p.customer_id, ar.payment_stats(i.invoice_date, i.due_date, p.payment_date, p.amount) AS s
  FROM ar.payments p JOIN ar.invoices i ON i.invoice_id = p.invoice_id
 WHERE p.payment_date <= '$as_of' GROUP BY p.customer_id"
aging_dist="SELECT customer_id, ar.aging(open_amount, days_past_due) AS s FROM dist.open_items GROUP BY customer_id"
aging_one="SELECT customer_id, ar.aging(open_amount, days_past_due) AS s FROM ar.open_items('$as_of') GROUP BY customer_id"

# the aggregates run on the shards: each shard's remote SQL holds the aggregate and its
# GROUP BY, and nothing is aggregated on the coordinator
plan=$(q -d $db -c "$S EXPLAIN (VERBOSE, COSTS OFF) $stats_dist")
check "EXPLAIN VERBOSE: ar.payment_stats (with the join) sent to each of the 3 shards" \
  "$(grep -c 'Remote SQL: SELECT .*ar.payment_stats(.*INNER JOIN.*GROUP BY' <<<"$plan") $(grep -c 'Aggregate' <<<"$(grep -v 'Relations: Aggregate' <<<"$plan")")" "3 0"
plan=$(q -d $db -c "$S EXPLAIN (VERBOSE, COSTS OFF) $aging_dist")
check "EXPLAIN VERBOSE: ar.aging sent to each of the 3 shards" \
  "$(grep -c 'Remote SQL: SELECT .*ar.aging(.*GROUP BY' <<<"$plan") $(grep -c 'Aggregate' <<<"$(grep -v 'Relations: Aggregate' <<<"$plan")")" "3 0"

# per customer: the summaries that crossed the wire (their text form) equal one node's
same() {  # $1 dist query, $2 one-node query: "customers compared / differing"
  q -d $db -c "$S CREATE TEMP TABLE d AS $1; CREATE TEMP TABLE o AS $2;
     SELECT (SELECT count(*) FROM o) || ' / ' || (SELECT count(*) FROM ((SELECT customer_id, s::text FROM d EXCEPT SELECT customer_id, s::text FROM o)
                                                 UNION ALL (SELECT customer_id, s::text FROM o EXCEPT SELECT customer_id, s::text FROM d)) x)"
}
paying=$(q -d $db -c "SELECT count(DISTINCT customer_id) FROM ar.payments WHERE payment_date <= '$as_of' AND invoice_id IS NOT NULL")
check "payment stats computed on the shards equal one node's for every paying customer" "$(same "$stats_dist" "$stats_one")" "$paying / 0"
with_open=$(q -d $db -c "SELECT count(DISTINCT customer_id) FROM ar.open_items('$as_of')")
check "aging computed on the shards equals one node's for every customer with open items" "$(same "$aging_dist" "$aging_one")" "$with_open / 0"

# Citus sends values in binary where a type has send/receive: the summaries survive
# that too (COPY BINARY out and back in, compared as text)
bin=$(mktemp); chmod 644 "$bin"
q -d $db -c "\copy (SELECT customer_id, s FROM ($stats_one) x) TO '$bin' WITH (FORMAT binary)"
check "payment stats summaries survive binary send/receive (COPY BINARY round trip, $paying customers)" \
  "$(q -d $db -c "CREATE TEMP TABLE b (customer_id text, s ar.paymentstats)" -c "\copy b FROM '$bin' WITH (FORMAT binary)" \
       -c "SELECT count(*) || ' ' || count(*) FILTER (WHERE b.s::text = o.s::text) FROM b JOIN ($stats_one) o USING (customer_id)")" "$paying $paying"
q -d $db -c "\copy (SELECT customer_id, s FROM ($aging_one) x) TO '$bin' WITH (FORMAT binary)"
check "aging summaries survive binary send/receive (COPY BINARY round trip)" \
  "$(q -d $db -c "CREATE TEMP TABLE b (customer_id text, s ar.agingsummary)" -c "\copy b FROM '$bin' WITH (FORMAT binary)" \
       -c "SELECT count(*) || ' ' || count(*) FILTER (WHERE b.s::text = o.s::text) FROM b JOIN ($aging_one) o USING (customer_id)")" "$with_open $with_open"
rm -f "$bin"
# what a shard may be sent: every aggregate of the extension, its support functions and
# the summaries' accessors are IMMUTABLE and PARALLEL SAFE
check "aggregates and their support functions: all IMMUTABLE and PARALLEL SAFE" \
  "$(q -d $db -c "SELECT count(*) FROM pg_aggregate a JOIN pg_proc p ON p.oid = a.aggfnoid,
       LATERAL unnest(ARRAY[a.aggfnoid::oid, a.aggtransfn::oid, a.aggcombinefn::oid, a.aggserialfn::oid, a.aggdeserialfn::oid, a.aggfinalfn::oid]) f(oid) JOIN pg_proc s ON s.oid = f.oid
      WHERE p.pronamespace = 'ar'::regnamespace AND (s.provolatile <> 'i' OR s.proparallel <> 's')")" 0

# portfolio figures on the coordinator, merged from the per-customer summaries
aging_one_total=$(q -d $db -c "SELECT ar.total(ar.aging(open_amount, days_past_due)) || ' ' || ar.aging(open_amount, days_past_due)::text FROM ar.open_items('$as_of')")
check "portfolio aging: ar.rollup of the shards' per-customer summaries = one node's ar.aging over all open items (total ${aging_one_total%% *})" \
  "$(q -d $db -c "$S SELECT ar.total(r) || ' ' || r::text FROM (SELECT ar.rollup(s) AS r FROM ($aging_dist) x) y")" "${aging_one_total:-none}"
check "portfolio ADTP (simple, weighted): ar.rollup of the shards' summaries = one node's" \
  "$(q -d $db -c "$S SELECT ar.adtp(r) || ' ' || ar.adtp_weighted(r) FROM (SELECT ar.rollup(s) AS r FROM ($stats_dist) x) y")" \
  "$(q -d $db -c "SELECT ar.adtp(r) || ' ' || ar.adtp_weighted(r) FROM (SELECT ar.payment_stats(i.invoice_date, i.due_date, p.payment_date, p.amount) AS r FROM ar.payments p JOIN ar.invoices i ON i.invoice_id = p.invoice_id WHERE p.payment_date <= '$as_of') y")"
# DSO on the as-of date over 90 days: open receivables / credit sales of the 90 days * 90,
# both summed per customer on the shards, then over customers
dso_dist=$(q -d $db -c "$S SELECT ar.dso((SELECT sum(o) FROM (SELECT customer_id, sum(open_amount) AS o FROM dist.open_items GROUP BY customer_id) a),
                                     (SELECT sum(v) FROM (SELECT customer_id, sum(amount) AS v FROM dist.invoices WHERE invoice_date > date '$as_of' - 90 AND invoice_date <= '$as_of' GROUP BY customer_id) b), 90)")
dso_one=$(q -d $db -c "SELECT ar.dso((SELECT sum(open_amount) FROM ar.open_items('$as_of')), (SELECT sum(amount) FROM ar.invoices WHERE invoice_date > date '$as_of' - 90 AND invoice_date <= '$as_of'), 90)")
check "portfolio DSO from per-customer sums on the shards = one node's ($dso_one days)" "$dso_dist" "${dso_one:-no DSO on one node}"

# timings, one node and 3 shards, in this run (median of 3)
timed() {  # query: median ms
  for _ in 1 2 3; do
    q -d $db <<SQL
$S
SELECT clock_timestamp() AS t0 \gset
CREATE TEMP TABLE x AS $1;
SELECT round(extract(epoch FROM clock_timestamp() - :'t0') * 1000);
SQL
  done | sort -n | sed -n 2p
}
one_ps=$(timed "$stats_one"); dist_ps=$(timed "$stats_dist")
one_ag=$(timed "SELECT customer_id, ar.aging(open_amount, days_past_due) AS s FROM ar.open_items_snapshot GROUP BY customer_id"); dist_ag=$(timed "$aging_dist")
echo "report: $customers customers, loaded onto 3 shards through postgres_fdw in $(printf %.1f "$load_s") s; daily refresh (ar.run_refresh): one node $(printf %.1f "$one_refresh_s") s, the 3 shards at once $(printf %.1f "$refresh_s") s"
echo "report: per-customer payment stats: one node $one_ps ms, 3 shards $dist_ps ms; per-customer aging of the stored open items: one node $one_ag ms, 3 shards $dist_ag ms (same machine, 2 cores: medians of 3)"
