#!/usr/bin/env bash
# scripts/load.sh and ar.sync on real data (docs/loading.md): the IBM late-payment
# sample (tests/data) mapped to the documented CSV layout and loaded; it gives the
# figures of the direct load (tests/sql/07_ibm_dataset.sql); sending the same files
# again changes and rewrites nothing; the same files with about 4 % bad rows of every
# kind reject exactly those, with the right SQLSTATE, and leave the rest unchanged.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/shell/lib.sh
DB=t_load
work=$(mktemp -d /tmp/ar_load_test.XXXXXX)
trap 'rm -rf "$work"' EXIT
q -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
q -d $DB -c "CREATE EXTENSION ar_analytics"
export PSQL="scripts/pg.sh psql -d $DB"

# The mapping of docs/loading.md: m/d/yyyy dates as YYYY-MM-DD, one settlement per invoice.
python3 - "$AR_TEST_DATA/ibm-late-payment-histories.csv" "$work" <<'PY'
import csv, os, sys
from datetime import date
def iso(mdy):
    m, d, y = (int(x) for x in mdy.split("/"))
    return date(y, m, d).isoformat()
rows = list(csv.DictReader(open(sys.argv[1])))
good, bad = os.path.join(sys.argv[2], "good"), os.path.join(sys.argv[2], "bad")
for d in (good, bad):
    os.makedirs(d)
customers = sorted({r["customerID"] for r in rows})
def write(folder, name, header, lines):
    with open(os.path.join(folder, name), "w", newline="") as f:
        w = csv.writer(f); w.writerow(header); w.writerows(lines)
cust = [(c, "IBM sample " + c, 30) for c in customers]
inv = [(r["invoiceNumber"], r["customerID"], iso(r["InvoiceDate"]), iso(r["DueDate"]), r["InvoiceAmount"]) for r in rows]
pay = [(r["invoiceNumber"], r["customerID"], r["invoiceNumber"], iso(r["SettledDate"]), r["InvoiceAmount"]) for r in rows]
for folder in (good, bad):
    write(folder, "customers.csv", ["customer_id", "name", "payment_terms_days"], cust)
# the bad batch: the same rows plus 25 of each kind of bad row, on keys of their own
c0, i0 = customers[0], rows[0]["invoiceNumber"]
bad_inv = [(f"BAD-D-{n}", c0, "2013-02-30", "2013-03-30", "10.00") for n in range(25)]            # no such date: 22007
bad_inv += [(f"BAD-C-{n}", "NOPE-0000", "2013-02-01", "2013-03-03", "10.00") for n in range(25)]  # unknown customer: 23503
bad_inv += [(f"BAD-R-{n}", c0, "2013-03-10", "2013-03-01", "10.00") for n in range(25)]           # due before invoice date: 23514
bad_inv += [(f"DUP-{n}", c0, "2013-02-01", "2013-03-03", "10.00") for n in range(25)] * 2         # twice in the batch: 23505
bad_pay = [(f"BADP-A-{n}", c0, "", "2013-05-01", "1.001") for n in range(25)]                      # 3 decimals: 23514
bad_pay += [(f"BADP-O-{n}", rows[0]["customerID"], i0, "2013-05-01", "1.00") for n in range(25)]  # on a settled invoice: 23514 over-applied
write(good, "invoices.csv", ["invoice_id", "customer_id", "invoice_date", "due_date", "amount"], inv)
write(bad, "invoices.csv", ["invoice_id", "customer_id", "invoice_date", "due_date", "amount"], inv + bad_inv)
write(good, "payments.csv", ["source_id", "customer_id", "invoice_id", "payment_date", "amount"], pay)
write(bad, "payments.csv", ["source_id", "customer_id", "invoice_id", "payment_date", "amount"], pay + bad_pay)
PY

t0=$(date +%s.%N)
out=$(scripts/load.sh "$work/good" ibm-day-1)
t1=$(date +%s.%N)
counts() { q -d $DB -c "SELECT string_agg(format('%s %s/%s/%s/%s', \"table\", inserted, updated, unchanged, rejected), ', ') FROM (SELECT * FROM ar.sync_batches, jsonb_each(counts) AS t(\"table\", v), LATERAL (SELECT (v->>'inserted')::int AS inserted, (v->>'updated')::int AS updated, (v->>'unchanged')::int AS unchanged, (v->>'rejected')::int AS rejected) x WHERE label = '$1' ORDER BY array_position(ARRAY['customers', 'invoices', 'payments', 'adjustments'], \"table\")) s"; }
check "the IBM sample loads through scripts/load.sh: 100 customers, 2,466 invoices and payments, nothing rejected" \
      "$(counts ibm-day-1)" "customers 100/0/0/0, invoices 2466/0/0/0, payments 2466/0/0/0, adjustments 0/0/0/0"
grep -q "payments    |     2466 |" <<<"$out" && echo "ok: load.sh prints the counts per table"

# the figures of tests/sql/07_ibm_dataset.sql, against the data set's own columns
q -d $DB -c "CREATE TABLE ibm_raw (country text, customer_id text, paperless_date text, invoice_number text, invoice_date text, due_date text, amount numeric, disputed text, settled_date text, paperless_bill text, days_to_settle int, days_late int)" \
         -c "\copy ibm_raw FROM '$AR_TEST_DATA/ibm-late-payment-histories.csv' WITH (FORMAT csv, HEADER true)" >/dev/null
check "ADTP, weighted ADTP and days late per customer equal DaysToSettle / DaysLate for all 100 customers" \
      "$(q -d $DB -c "SELECT count(*) FROM (SELECT i.customer_id, ar.payment_stats(i.invoice_date, i.due_date, p.payment_date, p.amount) s FROM ar.invoices i JOIN ar.payments p USING (invoice_id) GROUP BY 1) c
                      JOIN (SELECT customer_id, avg(days_to_settle) a, avg(days_late) l, sum(amount * days_to_settle) / sum(amount) w FROM ibm_raw GROUP BY 1) r USING (customer_id)
                     WHERE ar.adtp(c.s) = r.a AND ar.avg_days_late(c.s) = r.l AND ar.adtp_weighted(c.s) = r.w")" "100"
check "open items as of 2013-06-30 equal the reconstruction (issued by then, settled later)" \
      "$(q -d $DB -c "SELECT count(*) || '/' || sum(open_amount) FROM ar.open_items('2013-06-30')")" \
      "$(q -d $DB -c "SELECT count(*) || '/' || sum(amount) FROM ibm_raw WHERE to_date(invoice_date, 'MM/DD/YYYY') <= '2013-06-30' AND to_date(settled_date, 'MM/DD/YYYY') > '2013-06-30'")"

# the same files again: all unchanged, no row rewritten, nobody noted for the refresh
ctids="SELECT md5(string_agg(ctid::text, ',' ORDER BY ctid)) FROM (SELECT ctid FROM ar.customers UNION ALL SELECT ctid FROM ar.invoices UNION ALL SELECT ctid FROM ar.payments) x"
before=$(q -d $DB -c "$ctids")
q -d $DB -c "DELETE FROM ar._adtp_trend_changes" >/dev/null
scripts/load.sh "$work/good" ibm-day-1-again >/dev/null
check "re-sending the same files: every row unchanged" "$(counts ibm-day-1-again)" "customers 0/0/100/0, invoices 0/0/2466/0, payments 0/0/2466/0, adjustments 0/0/0/0"
check "re-sending the same files rewrites no row and notes no customer" "$(q -d $DB -c "$ctids")|$(q -d $DB -c "SELECT count(*) FROM ar._adtp_trend_changes")" "$before|0"

# the same files with 175 bad rows (25 of each kind, 50 for the duplicated key)
out=$(scripts/load.sh "$work/bad" ibm-bad-rows)
check "the bad batch: exactly the 125 bad invoice rows and 50 bad payment rows rejected, every good row unchanged" \
      "$(counts ibm-bad-rows)" "customers 0/0/100/0, invoices 0/0/2466/125, payments 0/0/2466/50, adjustments 0/0/0/0"
check "each kind of bad row is rejected with its SQLSTATE" \
      "$(q -d $DB -c "SELECT string_agg(k || ' ' || n, ', ' ORDER BY k) FROM (
                        SELECT \"table\" || ':' || regexp_replace(CASE \"table\" WHEN 'invoices' THEN row_data ->> 'invoice_id' ELSE row_data ->> 'source_id' END, '-[0-9]+$', '') || ':' || sqlstate AS k, count(*) n
                          FROM ar.sync_rejects r JOIN ar.sync_batches b USING (batch) WHERE b.label = 'ibm-bad-rows' GROUP BY 1) x")" \
      "invoices:BAD-C:23503 25, invoices:BAD-D:22007 25, invoices:BAD-R:23514 25, invoices:DUP:23505 50, payments:BADP-A:23514 25, payments:BADP-O:23514 25"
check "the reasons name the field and value" \
      "$(q -d $DB -c "SELECT string_agg(DISTINCT regexp_replace(reason, '[0-9]+', 'N', 'g'), ' | ' ORDER BY regexp_replace(reason, '[0-9]+', 'N', 'g')) FROM ar.sync_rejects r JOIN ar.sync_batches b USING (batch) WHERE b.label = 'ibm-bad-rows' AND reason NOT LIKE 'would over-apply%' AND reason NOT LIKE 'invoice_id%'")" \
      "amount N.N has more than N decimals | customer NOPE-N does not exist | due_date N-N-N is before invoice_date N-N-N | invoice_date 'N-N-N' is not a date (YYYY-MM-DD)"
echo "report: IBM sample through scripts/load.sh: 5,032 rows synced in $(python3 -c "print(round($t1 - $t0, 2))") s (including psql start); bad rows: $(q -d $DB -c "SELECT count(*) FROM ar.sync_rejects r JOIN ar.sync_batches b USING (batch) WHERE b.label = 'ibm-bad-rows'") rejected"
grep -q "first rejected rows" <<<"$out" && echo "ok: load.sh prints the first rejected rows"
q -d postgres -c "DROP DATABASE $DB"
