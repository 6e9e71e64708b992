#!/usr/bin/env bash
# ERP load path benchmark (docs/loading.md), called by bench/run.sh; alone:
#   AR_PGDATA=... AR_PGPORT=... bench/sync.sh DB   (a database with the demo loaded)
# ar.sync of staged rows into the loaded database: a bulk load (new invoices and one
# payment each, a tenth of the invoices), the same rows sent again (all unchanged), and
# a day's delta (50,000 rows, or a fortieth at smaller scales). Rows are staged by SQL;
# the time is that of ar.sync alone. For scale, the floor: the same number of rows,
# already typed, put in by two plain INSERT ... SELECT statements (the tables' own
# constraints, foreign keys and integrity triggers, nothing else), rolled back.
# Keys carry the run's start time, so a database can be used again (it grows by them).
# Prints one markdown paragraph.
set -euo pipefail
cd "$(dirname "$0")/.."
DB=${1:?usage: bench/sync.sh DB}
PSQL=(scripts/pg.sh psql -X -q -v ON_ERROR_STOP=1 -d "$DB")
tag=$(date +%s)
invoices=$("${PSQL[@]}" -tA -c "SELECT count(*) FROM ar.invoices")
bulk_n=$((invoices / 10)); delta_n=$(( invoices / 40 < 25000 ? invoices / 40 : 25000 ))
now() { date +%s.%N; }
secs() { printf %.2f "$(echo "$(now) - $1" | bc -l)"; }
rate() { printf %.0f "$(echo "$1 / $2" | bc -l)"; }

stage() {  # $1 = invoices to stage, $2 = offset of their keys: one payment each, paying it in full
  "${PSQL[@]}" -c "INSERT INTO ar.stage_invoices (invoice_id, customer_id, invoice_date, due_date, amount)
      SELECT 'SYNC$tag-' || ($2 + g), c.customer_id, (date '2026-06-01' + g % 29)::text, (date '2026-07-01' + g % 29)::text, (100 + ($2 + g) % 900)::text || '.50'
        FROM generate_series(1, $1) g
        JOIN (SELECT customer_id, row_number() OVER (ORDER BY customer_id) - 1 AS k FROM ar.customers) c ON c.k = g % (SELECT count(*) FROM ar.customers)" \
    -c "INSERT INTO ar.stage_payments (source_id, customer_id, invoice_id, payment_date, amount)
      SELECT 'SYNCP' || substr(invoice_id, 5), customer_id, invoice_id, '2026-06-29', amount FROM ar.stage_invoices" >/dev/null
}
sync_run() {  # $1 = label; prints seconds
  "${PSQL[@]}" -c "VACUUM ANALYZE ar.invoices" -c "VACUUM ANALYZE ar.payments" -c "ANALYZE ar.stage_invoices" -c "ANALYZE ar.stage_payments"
  local t0; t0=$(now)
  "${PSQL[@]}" -c "SELECT * FROM ar.sync('$1')" >/dev/null
  secs "$t0"
}

# the floor, on rows staged with keys of their own, rolled back (then vacuumed away)
stage "$bulk_n" $((3 * bulk_n))
floor_s=$("${PSQL[@]}" -tA <<SQL
BEGIN;
CREATE TEMP TABLE fi AS SELECT invoice_id, customer_id, invoice_date::date, due_date::date, amount::numeric FROM ar.stage_invoices;
CREATE TEMP TABLE fp AS SELECT source_id, customer_id, invoice_id, payment_date::date, amount::numeric FROM ar.stage_payments;
SELECT clock_timestamp() AS t0 \gset
INSERT INTO ar.invoices (invoice_id, customer_id, invoice_date, due_date, amount) SELECT * FROM fi;
INSERT INTO ar.payments (source_id, customer_id, invoice_id, payment_date, amount) SELECT * FROM fp;
SELECT round(extract(epoch FROM clock_timestamp() - :'t0'), 2);
ROLLBACK;
SQL
)
"${PSQL[@]}" -c "TRUNCATE ar.stage_invoices, ar.stage_payments"

stage "$bulk_n" 0;            bulk_s=$(sync_run bench-bulk)
stage "$bulk_n" 0;            again_s=$(sync_run bench-bulk-again)
stage "$delta_n" "$bulk_n";   delta_s=$(sync_run bench-delta)
rejected=$("${PSQL[@]}" -tA -c "SELECT count(*) FROM ar.sync_rejects r JOIN ar.sync_batches b USING (batch) WHERE b.label LIKE 'bench-%' AND b.started_at >= to_timestamp($tag)")
bulk_rows=$((2 * bulk_n)); delta_rows=$((2 * delta_n))
echo "ERP sync (\`ar.sync\`, docs/loading.md; $invoices invoices loaded): bulk load of $bulk_rows staged rows (new invoices and one payment each) in $bulk_s s: **$(rate "$bulk_rows" "$bulk_s") rows/s**; the same rows again (all unchanged) in $again_s s: $(rate "$bulk_rows" "$again_s") rows/s; a day's delta of $delta_rows rows in $delta_s s ($rejected rows rejected in all). Floor: the same number of rows, typed, by two plain INSERT ... SELECT (the tables' keys, foreign keys and integrity triggers only) in $floor_s s: $(rate "$bulk_rows" "$floor_s") rows/s, so the bulk sync costs $(printf %.2f "$(echo "$bulk_s / $floor_s" | bc -l)")x the floor."
