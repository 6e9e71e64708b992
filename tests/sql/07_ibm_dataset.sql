-- The public "IBM Late Payment Histories" data set (tests/data/README.md): 2,466 real
-- invoices of 100 customers. Its own DaysToSettle and DaysLate columns are an
-- independent reference for ADTP and days late; its settlement dates let us
-- rebuild the open items on any date and check ar.open_items.
CREATE TABLE stage (country text, customer_id text, paperless_date text, invoice_number text, invoice_date text,
                    due_date text, amount numeric, disputed text, settled_date text, paperless_bill text,
                    days_to_settle int, days_late int);
-- tests/run.sh exports AR_TEST_DATA (tests/data of the checkout); a missing file fails, naming it
\copy stage FROM PROGRAM 'f="$AR_TEST_DATA/ibm-late-payment-histories.csv"; test -r "$f" || { echo "ERROR: test data file $f is missing" >&2; exit 1; }; cat "$f"' WITH (FORMAT csv, HEADER true)
CREATE TABLE ibm AS
SELECT customer_id, invoice_number, to_date(invoice_date, 'MM/DD/YYYY') AS invoice_date, to_date(due_date, 'MM/DD/YYYY') AS due_date,
       to_date(settled_date, 'MM/DD/YYYY') AS settled_date, amount, days_to_settle, days_late, disputed = 'Yes' AS disputed
  FROM stage;
SELECT t.eq((SELECT count(*) FROM ibm), 2466::bigint, 'data set has 2,466 invoices');

INSERT INTO ar.customers (customer_id, name, payment_terms_days) SELECT DISTINCT customer_id, 'IBM sample ' || customer_id, 30 FROM ibm;
INSERT INTO ar.invoices (invoice_id, customer_id, invoice_date, due_date, amount) SELECT invoice_number, customer_id, invoice_date, due_date, amount FROM ibm;
INSERT INTO ar.payments (customer_id, invoice_id, payment_date, amount) SELECT customer_id, invoice_number, settled_date, amount FROM ibm;

-- per customer, ADTP and days late equal the data set's own columns exactly
CREATE TABLE per_cust AS
SELECT i.customer_id, ar.payment_stats(i.invoice_date, i.due_date, p.payment_date, p.amount) AS s
  FROM ar.invoices i JOIN ar.payments p USING (invoice_id) GROUP BY i.customer_id;
SELECT t.eq((SELECT count(*) FROM per_cust c JOIN (SELECT customer_id, avg(days_to_settle) a, avg(days_late) l,
                                                          sum(amount * days_to_settle) / sum(amount) w
                                                     FROM ibm GROUP BY 1) r USING (customer_id)
              WHERE ar.adtp(c.s) = r.a AND ar.avg_days_late(c.s) = r.l AND ar.adtp_weighted(c.s) = r.w), 100::bigint,
            'ADTP, weighted ADTP and days late match DaysToSettle / DaysLate for all 100 customers');
-- open on a date D: issued on or before D, settled after D
SELECT t.eq((SELECT count(*) FROM ar.open_items('2013-06-30')), (SELECT count(*) FROM ibm WHERE invoice_date <= '2013-06-30' AND settled_date > '2013-06-30'),
            'open items as of 2013-06-30 = invoices issued by then and settled later');
SELECT t.eq((SELECT sum(open_amount) FROM ar.open_items('2013-06-30')), (SELECT sum(amount) FROM ibm WHERE invoice_date <= '2013-06-30' AND settled_date > '2013-06-30'),
            'open amount as of 2013-06-30 matches the reconstruction');
SELECT t.eq((SELECT count(*) FROM ar.open_items('2014-01-31')), 0::bigint, 'everything settled by 2014-01-31');

DO $$ DECLARE s ar.paymentstats; a ar.agingsummary; BEGIN
  SELECT ar.rollup(per_cust.s) INTO s FROM per_cust;
  RAISE NOTICE 'report: IBM data set: % items, ADTP % days (weighted %), % days late on average, on-time rate %, payment index %',
    ar.item_count(s), round(ar.adtp(s), 2), round(ar.adtp_weighted(s), 2), round(ar.avg_days_late(s), 2), round(ar.on_time_rate(s), 3), ar.payment_index(s);
  SELECT ar.aging(open_amount, days_past_due) INTO a FROM ar.open_items('2013-06-30');
  RAISE NOTICE 'report: IBM aging as of 2013-06-30: %', (SELECT string_agg(bucket || ' ' || amount, ', ' ORDER BY ordinal) FROM ar.buckets(a));
END $$;
