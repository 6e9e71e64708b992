-- Benchmark body: run by bench/run.sh in a database holding a generated portfolio.
-- Every timed query is first checked to give the same figures as its reference.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;

CREATE TEMP TABLE results (scale text, item text, variant text, rows bigint, median_ms numeric, min_ms numeric, max_ms numeric);

\ir timeit.sql

CREATE TABLE bench_pay AS
SELECT i.customer_id, i.invoice_date, i.due_date, p.payment_date, p.amount
  FROM ar.payments p JOIN ar.invoices i USING (invoice_id);
VACUUM ANALYZE bench_pay;
CREATE TABLE bench_open AS SELECT * FROM ar.open_items(:'as_of');
VACUUM ANALYZE bench_open;

\set q_native 'SELECT customer_id, ar.adtp(s), ar.adtp_weighted(s), ar.avg_days_late(s), ar.avg_days_late_weighted(s), ar.avg_days_beyond_terms_weighted(s), ar.on_time_rate(s), ar.payment_index(s) FROM (SELECT customer_id, ar.payment_stats(invoice_date, due_date, payment_date, amount) s FROM bench_pay GROUP BY customer_id) g'
\set q_plain 'SELECT customer_id, avg(payment_date - invoice_date), sum(amount * (payment_date - invoice_date)) / sum(amount), avg(greatest(payment_date - due_date, 0)), sum(amount * greatest(payment_date - due_date, 0)) / sum(amount), sum(amount * (payment_date - due_date)) / sum(amount), avg((payment_date <= due_date)::int), ar.payment_index(sum(amount * (payment_date - due_date)) / sum(amount)) FROM bench_pay GROUP BY customer_id'
\set q_floor 'SELECT customer_id, count(*), sum(amount) FROM bench_pay GROUP BY customer_id'
\set q_aging_native 'SELECT ar.bucket_amount(a, ''current''), ar.bucket_amount(a, ''1-30''), ar.bucket_amount(a, ''31-60''), ar.bucket_amount(a, ''61-90''), ar.bucket_amount(a, ''91-120''), ar.bucket_amount(a, ''121+''), ar.total(a) FROM (SELECT customer_id, ar.aging(open_amount, days_past_due) a FROM bench_open GROUP BY customer_id) g'
\set q_aging_plain 'SELECT sum(open_amount) FILTER (WHERE days_past_due <= 0), sum(open_amount) FILTER (WHERE days_past_due BETWEEN 1 AND 30), sum(open_amount) FILTER (WHERE days_past_due BETWEEN 31 AND 60), sum(open_amount) FILTER (WHERE days_past_due BETWEEN 61 AND 90), sum(open_amount) FILTER (WHERE days_past_due BETWEEN 91 AND 120), sum(open_amount) FILTER (WHERE days_past_due > 120), sum(open_amount) FROM bench_open GROUP BY customer_id'
\set q_aging_floor 'SELECT customer_id, count(*), sum(open_amount) FROM bench_open GROUP BY customer_id'

-- Same figures before timing (exact numeric equality, every customer).
DO $$ BEGIN
  IF EXISTS ((SELECT customer_id, ar.adtp(s), ar.adtp_weighted(s), ar.avg_days_late(s), ar.avg_days_late_weighted(s), ar.on_time_rate(s), ar.payment_index(s)
                FROM (SELECT customer_id, ar.payment_stats(invoice_date, due_date, payment_date, amount) s FROM bench_pay GROUP BY customer_id) g)
             EXCEPT
             (SELECT customer_id, avg(payment_date - invoice_date), sum(amount * (payment_date - invoice_date)) / sum(amount), avg(greatest(payment_date - due_date, 0)),
                     sum(amount * greatest(payment_date - due_date, 0)) / sum(amount), avg((payment_date <= due_date)::int), ar.payment_index(sum(amount * (payment_date - due_date)) / sum(amount))
                FROM bench_pay GROUP BY customer_id)) THEN
    RAISE EXCEPTION 'native payment_stats and plain SQL disagree';
  END IF;
  IF EXISTS ((SELECT customer_id, ar.bucket_amount(a, '31-60'), ar.total(a) FROM (SELECT customer_id, ar.aging(open_amount, days_past_due) a FROM bench_open GROUP BY 1) g)
             EXCEPT (SELECT customer_id, coalesce(sum(open_amount) FILTER (WHERE days_past_due BETWEEN 31 AND 60), 0), sum(open_amount) FROM bench_open GROUP BY 1)) THEN
    RAISE EXCEPTION 'native aging and plain SQL disagree';
  END IF;
END $$;

-- Native, plain SQL and scan floor of an item run in turn (pg_temp.timeit_interleaved).
SET max_parallel_workers_per_gather = 0;
INSERT INTO results SELECT :'scale', 'payment stats per customer', t.variant || ', serial', nrows, median_ms, min_ms, max_ms
  FROM pg_temp.timeit_interleaved('{native,plain SQL,scan floor}', ARRAY[:'q_native', :'q_plain', :'q_floor'], :runs) t;
INSERT INTO results SELECT :'scale', 'aging per customer', t.variant || ', serial', nrows, median_ms, min_ms, max_ms
  FROM pg_temp.timeit_interleaved('{native,plain SQL,scan floor}', ARRAY[:'q_aging_native', :'q_aging_plain', :'q_aging_floor'], :runs) t;
SET max_parallel_workers_per_gather = 2;
SET parallel_setup_cost = 0;
SET min_parallel_table_scan_size = 0;
INSERT INTO results SELECT :'scale', 'payment stats per customer', t.variant || ', 2 workers', nrows, median_ms, min_ms, max_ms
  FROM pg_temp.timeit_interleaved('{native,plain SQL,scan floor}', ARRAY[:'q_native', :'q_plain', :'q_floor'], :runs) t;
INSERT INTO results SELECT :'scale', 'aging per customer', t.variant || ', 2 workers', nrows, median_ms, min_ms, max_ms
  FROM pg_temp.timeit_interleaved('{native,plain SQL,scan floor}', ARRAY[:'q_aging_native', :'q_aging_plain', :'q_aging_floor'], :runs) t;

\pset format unaligned
\pset tuples_only on
\pset fieldsep '|'
-- One markdown row per measurement, with ratios to the plain-SQL and floor runs of the same item and parallelism.
SELECT '| ' || r.scale || ' | ' || r.item || ' | ' || r.variant || ' | ' || (SELECT count(*) FROM bench_pay) || ' / ' || (SELECT count(*) FROM bench_open) || ' | '
       || r.median_ms || ' | ' || r.min_ms || '–' || r.max_ms || ' | '
       || coalesce(round(r.median_ms / nullif(p.median_ms, 0), 2)::text, '') || ' | ' || coalesce(round(r.median_ms / nullif(f.median_ms, 0), 2)::text, '') || ' |'
  FROM results r
  JOIN results p ON p.item = r.item AND p.variant = replace(replace(r.variant, 'native', 'plain SQL'), 'scan floor', 'plain SQL')
  JOIN results f ON f.item = r.item AND f.variant = replace(replace(r.variant, 'native', 'scan floor'), 'plain SQL', 'scan floor')
 ORDER BY r.item DESC, r.variant LIKE '%workers', r.variant;
