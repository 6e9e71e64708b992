-- Parallel plans give exactly the serial result, and both equal a plain-SQL
-- reference computation of the same definitions (numeric, not float), on 300,000
-- generated rows with tiny and huge amounts, early, late and pre-invoice payments.
CREATE TABLE pay AS
SELECT (g % 2000) AS cust,
       date '2024-01-01' + (g % 700) AS invoice_date,
       date '2024-01-01' + (g % 700) + 15 * (1 + g % 4) AS due_date,
       CASE WHEN g % 17 = 0 THEN NULL ELSE date '2024-01-01' + (g % 700) + ((g::bigint * 7919) % 130)::int - 10 END AS payment_date,
       CASE WHEN g % 1000 = 1 THEN 9999999999999999.99
            WHEN g % 1000 = 2 THEN 0.01
            ELSE round(((g::bigint * 2654435761) % 1000000) / 100.0 + 0.01, 2) END::numeric(18,2) AS amount
  FROM generate_series(1, 300000) g;
ANALYZE pay;

CREATE FUNCTION plan_of(q text, with_analyze boolean DEFAULT false) RETURNS text LANGUAGE plpgsql AS $$
DECLARE r text; acc text := '';
BEGIN
    FOR r IN EXECUTE format('EXPLAIN (COSTS OFF%s) %s', CASE WHEN with_analyze THEN ', ANALYZE, TIMING OFF, SUMMARY OFF' ELSE '' END, q) LOOP
        acc := acc || r || E'\n';
    END LOOP;
    RETURN acc;
END $$;

-- The reference: the definitions of docs/metrics.md written in plain SQL.
CREATE VIEW reference AS
SELECT cust, count(*) AS n, sum(amount) AS amount,
       avg(payment_date - invoice_date) AS adtp,
       sum(amount * (payment_date - invoice_date)) / nullif(sum(amount), 0) AS adtp_weighted,
       avg(greatest(payment_date - due_date, 0)) AS avg_days_late,
       sum(amount * greatest(payment_date - due_date, 0)) / nullif(sum(amount), 0) AS avg_days_late_weighted,
       avg(payment_date - due_date) AS avg_days_beyond_terms,
       sum(amount * (payment_date - due_date)) / nullif(sum(amount), 0) AS avg_days_beyond_terms_weighted,
       avg((payment_date <= due_date)::int) AS on_time_rate,
       ar.payment_index(sum(amount * (payment_date - due_date)) / nullif(sum(amount), 0)) AS payment_index,
       min(payment_date) AS first_payment, max(payment_date) AS last_payment
  FROM pay WHERE payment_date IS NOT NULL AND amount IS NOT NULL GROUP BY cust;

CREATE VIEW native AS
SELECT cust, ar.item_count(s) AS n, ar.amount(s) AS amount, ar.adtp(s) AS adtp, ar.adtp_weighted(s) AS adtp_weighted,
       ar.avg_days_late(s) AS avg_days_late, ar.avg_days_late_weighted(s) AS avg_days_late_weighted,
       ar.avg_days_beyond_terms(s) AS avg_days_beyond_terms, ar.avg_days_beyond_terms_weighted(s) AS avg_days_beyond_terms_weighted,
       ar.on_time_rate(s) AS on_time_rate, ar.payment_index(s) AS payment_index,
       ar.first_payment_date(s) AS first_payment, ar.last_payment_date(s) AS last_payment
  FROM (SELECT cust, ar.payment_stats(invoice_date, due_date, payment_date, amount) s FROM pay GROUP BY cust) g;

CREATE FUNCTION mismatches() RETURNS bigint LANGUAGE sql AS $$
    SELECT count(*) FROM ((TABLE reference EXCEPT TABLE native) UNION ALL (TABLE native EXCEPT TABLE reference)) d
$$;

-- Serial
SET max_parallel_workers_per_gather = 0;
SELECT t.ok(plan_of('SELECT * FROM native') NOT LIKE '%Partial%', 'serial plan has no partial aggregate');
SELECT t.eq(mismatches(), 0::bigint, 'serial: native = plain-SQL reference for all 2000 customers, every figure exactly');
CREATE TABLE serial_total AS SELECT ar.payment_stats(invoice_date, due_date, payment_date, amount)::text AS s FROM pay;
CREATE TABLE serial_aging AS SELECT ar.aging(amount, (date '2025-12-31' - due_date))::text AS s FROM pay;

-- Parallel, forced
SET max_parallel_workers_per_gather = 2;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET force_parallel_mode = on;
SELECT t.ok(plan_of('SELECT * FROM native') LIKE '%Partial HashAggregate%' OR plan_of('SELECT * FROM native') LIKE '%Partial GroupAggregate%', 'parallel plan has a Partial Aggregate');
SELECT t.ok(plan_of('SELECT ar.payment_stats(invoice_date, due_date, payment_date, amount) FROM pay', true) ~ 'Workers Launched: [12]', 'parallel workers really run');
SELECT t.eq(mismatches(), 0::bigint, 'parallel: native = plain-SQL reference, every figure exactly');
SELECT t.eq((SELECT ar.payment_stats(invoice_date, due_date, payment_date, amount)::text FROM pay), (SELECT s FROM serial_total), 'parallel whole-table summary = serial (combine + serialize + deserialize)');
SELECT t.eq((SELECT ar.aging(amount, (date '2025-12-31' - due_date))::text FROM pay), (SELECT s FROM serial_aging), 'parallel aging = serial aging');
SELECT t.eq((SELECT ar.total(ar.aging(amount, (date '2025-12-31' - due_date))) FROM pay), (SELECT sum(amount) FROM pay), 'parallel aging total = sum(amount) exactly');
-- plain-SQL CASE bucketing as the aging reference
SELECT t.eq((SELECT string_agg(b.bucket || '=' || b.amount || '/' || b.item_count, ' ' ORDER BY b.ordinal)
               FROM (SELECT ar.aging(amount, (date '2025-12-31' - due_date)) a FROM pay) x, ar.buckets(x.a) b),
            (SELECT string_agg(bucket || '=' || coalesce(amt, 0) || '/' || coalesce(n, 0), ' ' ORDER BY ord)
               FROM (VALUES (1, 'current'), (2, '1-30'), (3, '31-60'), (4, '61-90'), (5, '91-120'), (6, '121+')) l(ord, bucket)
               LEFT JOIN (SELECT CASE WHEN d <= 0 THEN 'current' WHEN d <= 30 THEN '1-30' WHEN d <= 60 THEN '31-60'
                                      WHEN d <= 90 THEN '61-90' WHEN d <= 120 THEN '91-120' ELSE '121+' END AS bk,
                                 sum(amount) AS amt, count(*) AS n
                            FROM (SELECT amount, date '2025-12-31' - due_date AS d FROM pay) p GROUP BY 1) r ON r.bk = l.bucket),
            'parallel aging = plain-SQL CASE bucketing, bucket by bucket');
SELECT t.eq((SELECT ar.rollup(s)::text FROM (SELECT ar.payment_stats(invoice_date, due_date, payment_date, amount) s FROM pay GROUP BY cust) g),
            (SELECT s FROM serial_total), 'parallel rollup of per-customer summaries = serial one pass');

-- The numeric decoder against PostgreSQL's own arithmetic: 100,000 random values
-- from 1e-10 to 1e20, positive and negative, with 0 to 11 decimals (weights far
-- from zero on both sides, short headers), summed natively and by sum().
SELECT setseed(0.42);
CREATE TABLE nums AS
SELECT g AS n, round(((random() - 0.5) * 10 ^ (g % 31 - 10))::numeric, g % 12) AS x FROM generate_series(1, 100000) g;
SELECT t.eq((SELECT ar.total(ar.aging(x, 1)) FROM nums), (SELECT sum(x) FROM nums), 'native total = sum() over 100,000 random numerics of every magnitude');
SELECT t.eq((SELECT ar.amount(ar.payment_stats('2026-01-01', '2026-01-31', '2026-02-01', abs(x))) FROM nums), (SELECT sum(abs(x)) FROM nums), 'payment_stats amount = sum() over the same values');
SELECT t.eq((SELECT ar.adtp_weighted(ar.payment_stats('2026-01-01', '2026-01-31', date '2026-01-01' + (n % 90), abs(x))) FROM nums v),
            (SELECT sum(abs(x) * (n % 90)) / sum(abs(x)) FROM nums v), 'weighted ADTP = plain SQL over the same values');
