-- ar.generate_demo: deterministic, valid, realistic.
CREATE FUNCTION fingerprint() RETURNS text LANGUAGE sql AS $$
    SELECT md5(string_agg(h, ',' ORDER BY tbl)) FROM (
        SELECT 'c' AS tbl, md5(string_agg(c::text, ',' ORDER BY customer_id)) AS h FROM ar.customers c
        UNION ALL SELECT 'i', md5(string_agg(i::text, ',' ORDER BY invoice_id)) FROM ar.invoices i
        UNION ALL SELECT 'p', md5(string_agg(p::text, ',' ORDER BY payment_id)) FROM ar.payments p
        UNION ALL SELECT 'a', md5(string_agg(a::text, ',' ORDER BY adjustment_id)) FROM ar.adjustments a
        UNION ALL SELECT 'd', md5(string_agg(d::text, ',' ORDER BY dispute_id)) FROM ar.disputes d
        UNION ALL SELECT 'r', md5(string_agg(r::text, ',' ORDER BY promise_id)) FROM ar.promises r
        UNION ALL SELECT 'h', md5(string_agg(h::text, ',' ORDER BY hold_id)) FROM ar.order_holds h
        UNION ALL SELECT 'v', md5(string_agg(v::text, ',' ORDER BY activity_id)) FROM ar.activities v
        UNION ALL SELECT 'f', md5(string_agg(f::text, ',' ORDER BY customer_id)) FROM ar.demo_profiles f) x
$$;

CREATE TABLE run1 AS SELECT ar.generate_demo(customers => 300, seed => 7, as_of => date '2026-06-30') AS n, fingerprint() AS fp;
SELECT t.eq((SELECT n FROM run1), (SELECT count(*) FROM ar.invoices), 'returns the number of invoices created');
SELECT t.ok((SELECT n FROM run1) BETWEEN 300 * 20 AND 300 * 120, 'about 50 invoices per customer over 24 months');
SELECT t.raises($$SELECT ar.generate_demo(customers => 10)$$, '55000', 'ar.generate_demo: the ar tables already hold data', 'refuses to overwrite data');
SELECT ar.create_payment_plan('C000001', 100.00, 2, '2026-07-01', '1 month', '2026-06-30');
SELECT t.eq(ar.generate_demo(customers => 300, seed => 7, as_of => date '2026-06-30', replace => true), (SELECT n FROM run1), 'same seed, same count');
SELECT t.eq((SELECT count(*) FROM ar.payment_plans) + (SELECT count(*) FROM ar.payment_plan_installments), 0::bigint, 'replace => true also empties the payment plans');
SELECT t.eq(fingerprint(), (SELECT fp FROM run1), 'same seed, identical rows in every table');
SELECT ar.generate_demo(customers => 300, seed => 8, as_of => date '2026-06-30', replace => true);
SELECT t.ok(fingerprint() <> (SELECT fp FROM run1), 'another seed, other rows');
SELECT t.raises($$SELECT ar.generate_demo(customers => 0)$$, '22023', '%customers must be between 1 and 1000000, got 0', 'customers out of range');
SELECT t.raises($$SELECT ar.generate_demo(customers => NULL)$$, '22004', '%must not be NULL', 'NULL argument');
SELECT t.raises($$SELECT ar.generate_demo(as_of => 'infinity', replace => true)$$, '22023', '%as_of must be a finite date%', 'infinite as_of');

-- Back to seed 7; the data passed every constraint and trigger on the way in. Realism checks:
SELECT ar.generate_demo(customers => 300, seed => 7, as_of => date '2026-06-30', replace => true);
SELECT t.eq((SELECT count(*) FROM ar.payments WHERE payment_date > '2026-06-30'), 0::bigint, 'no cash after as_of');
SELECT t.eq((SELECT count(*) FROM ar.invoices WHERE invoice_date > '2026-06-30' OR invoice_date < date '2026-06-30' - 729), 0::bigint, 'invoices within the 24 months before as_of');
SELECT t.eq((SELECT array_agg(DISTINCT payment_terms_days ORDER BY payment_terms_days) FROM ar.customers), '{15,30,45,60}'::int[], 'Net 15/30/45/60 terms');
SELECT t.eq((SELECT array_agg(DISTINCT profile ORDER BY profile) FROM ar.demo_profiles), '{chronic_late,defaulting,early,prompt,slipping,steady_late}'::text[], 'all six behaviours present');
SELECT t.eq((SELECT count(*) FROM ar.open_items('2026-06-30') WHERE open_amount < 0), 0::bigint, 'no negative open amounts');
SELECT t.ok((SELECT count(*) FROM (SELECT invoice_id FROM ar.payments WHERE invoice_id IS NOT NULL GROUP BY 1 HAVING count(*) > 1) x) > 0, 'partial payments present');
SELECT t.ok((SELECT count(*) FROM ar.payments WHERE invoice_id IS NULL) > 0, 'unapplied cash present');
SELECT t.eq((SELECT array_agg(DISTINCT kind ORDER BY kind) FROM ar.adjustments), '{credit_memo,debit_memo,write_off}'::text[], 'credit memos, debit memos and write-offs present');
SELECT t.ok((SELECT count(*) FILTER (WHERE first_response_at IS NULL) > 0 AND count(*) FILTER (WHERE resolved_at IS NOT NULL) > 0 FROM ar.disputes), 'disputes: some unanswered, some resolved');
SELECT t.ok((SELECT count(*) FROM ar.promises) > 0 AND (SELECT count(*) FROM ar.order_holds WHERE released_at IS NULL) > 0, 'promises and open order holds present');
-- Pareto-like sizes: the top 20% of customers carry well over half of the invoiced amount
SELECT t.ok((SELECT sum(amt) FILTER (WHERE r <= 0.2) / sum(amt) FROM (SELECT sum(amount) amt, percent_rank() OVER (ORDER BY sum(amount) DESC) r FROM ar.invoices GROUP BY customer_id) x) > 0.5,
            'top 20% of customers carry over half the invoiced amount');
-- Behaviour profiles come out in the expected order of amount-weighted days beyond terms
CREATE TABLE beh AS
SELECT f.profile, ar.avg_days_beyond_terms_weighted(ar.payment_stats(i.invoice_date, i.due_date, p.payment_date, p.amount)) AS dbt
  FROM ar.payments p JOIN ar.invoices i USING (invoice_id) JOIN ar.demo_profiles f ON f.customer_id = i.customer_id
 WHERE p.payment_date > date '2026-06-30' - 90
 GROUP BY f.profile;
SELECT t.ok((SELECT dbt FROM beh WHERE profile = 'early') < (SELECT dbt FROM beh WHERE profile = 'prompt')
        AND (SELECT dbt FROM beh WHERE profile = 'prompt') < (SELECT dbt FROM beh WHERE profile = 'steady_late')
        AND (SELECT dbt FROM beh WHERE profile = 'steady_late') < (SELECT dbt FROM beh WHERE profile = 'chronic_late'),
        'last 90 days: early < prompt < steady_late < chronic_late in days beyond terms');
SELECT t.ok((SELECT dbt FROM beh WHERE profile = 'slipping') > 15, 'slipping payers pay 15+ days late in the last 90 days');
DO $$ DECLARE r record; BEGIN
  FOR r IN SELECT profile, round(dbt, 1) AS d FROM beh ORDER BY dbt LOOP
    RAISE NOTICE 'report: demo profile % pays % days beyond terms (amount-weighted, last 90 days)', rpad(r.profile, 12), r.d;
  END LOOP; END $$;
