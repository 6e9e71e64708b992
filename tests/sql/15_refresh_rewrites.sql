-- 0.3.0 computes three things faster (docs/views.md, "Refresh at scale"); this file
-- checks that the figures did not move: each is compared with its definition,
-- computed independently here.
SET TimeZone = 'UTC';
SELECT ar.generate_demo(customers => 120, seed => 15, as_of => '2026-06-30');
-- ar.month_end_receivables: per segment and month, the sums of ar.open_items at the
-- month end (all of it; the part with days_past_due <= 0) and at the previous month end
-- (a view: read again after the edge cases below are added).
CREATE TEMP VIEW expected AS
SELECT m.month, s.segment, x.ending, x.ending_current, y.beginning
  FROM ar.month_ends('2026-06-30') m
  CROSS JOIN (SELECT DISTINCT coalesce(segment, '(none)') AS segment FROM ar.customers) s
  CROSS JOIN LATERAL (SELECT coalesce(sum(o.open_amount), 0) AS ending,
                             coalesce(sum(o.open_amount) FILTER (WHERE o.days_past_due <= 0), 0) AS ending_current
                        FROM ar.open_items(m.month_end) o JOIN ar.customers c USING (customer_id)
                       WHERE coalesce(c.segment, '(none)') = s.segment) x
  CROSS JOIN LATERAL (SELECT coalesce(sum(o.open_amount), 0) AS beginning
                        FROM ar.open_items(m.month - 1) o JOIN ar.customers c USING (customer_id)
                       WHERE coalesce(c.segment, '(none)') = s.segment) y;
SELECT t.eq((SELECT count(*) FROM ar.month_end_receivables('2026-06-30')), (SELECT 24 * count(DISTINCT coalesce(segment, '(none)')) FROM ar.customers),
            '24 months x the segments of the demo');
SELECT t.eq((SELECT count(*) FROM ar.month_end_receivables('2026-06-30') r FULL JOIN expected e USING (month, segment)
              WHERE (r.ending_receivables, r.ending_current_receivables, r.beginning_receivables) IS DISTINCT FROM (e.ending, e.ending_current, e.beginning)),
            0::bigint, 'ending, current and beginning receivables equal ar.open_items at the 24 month ends (and the one before), per segment');

-- Edge cases the demo does not make, added to the first customer: a payment dated before
-- its invoice (counts from the invoice date on, as in ar.open_items), an invoice due on a
-- month's last day (still current that day), a credit memo, and an invoice dated after
-- as_of with a payment dated before as_of (counts nowhere as of 2026-06-30).
CREATE TEMP TABLE mer_before AS SELECT * FROM ar.month_end_receivables('2026-06-30');
INSERT INTO ar.invoices (invoice_id, customer_id, invoice_date, due_date, amount)
SELECT 'EDGE-1', min(customer_id), date '2026-03-10', date '2026-04-30', 1000.00 FROM ar.customers
UNION ALL SELECT 'EDGE-2', min(customer_id), '2026-07-02', '2026-08-01', 500.00 FROM ar.customers;
INSERT INTO ar.payments (customer_id, invoice_id, payment_date, amount)
SELECT customer_id, invoice_id, date '2026-02-25', 300.00 FROM ar.invoices WHERE invoice_id = 'EDGE-1'
UNION ALL SELECT customer_id, invoice_id, '2026-06-15', 200.00 FROM ar.invoices WHERE invoice_id = 'EDGE-2';
INSERT INTO ar.adjustments (invoice_id, adjustment_date, amount, kind) VALUES ('EDGE-1', '2026-04-20', 100.00, 'credit_memo');
-- Their contribution by hand (ending / current at each month end):
--   2026-02: EDGE-1 not invoiced yet, its early payment counts nowhere: 0 / 0
--   2026-03: 1000 - 300 = 700, due 04-30: current           700 / 700
--   2026-04: 700 - 100 = 600, due that very day: current      600 / 600
--   2026-05 and 2026-06: 600, past due                        600 / 0
--   EDGE-2 (dated 07-02) and its payment of 06-15 count nowhere.
SELECT t.eq((SELECT string_agg(to_char(r.month, 'YYYY-MM') || '=' || (r.ending_receivables - b.ending_receivables) || '/' ||
                               (r.ending_current_receivables - b.ending_current_receivables), ' ' ORDER BY r.month)
               FROM ar.month_end_receivables('2026-06-30') r JOIN mer_before b USING (month, segment)
              WHERE r.segment = (SELECT coalesce(segment, '(none)') FROM ar.customers ORDER BY customer_id LIMIT 1)
                AND r.month >= '2026-02-01'),
            '2026-02=0.00/0.00 2026-03=700.00/700.00 2026-04=600.00/600.00 2026-05=600.00/0.00 2026-06=600.00/0.00',
            'edge invoices: early payment, due on a month end, credit memo, invoice after as_of');
SELECT t.eq((SELECT count(*) FROM ar.month_end_receivables('2026-06-30') r JOIN mer_before b USING (month, segment)
              WHERE (r.ending_receivables, r.ending_current_receivables) IS DISTINCT FROM (b.ending_receivables, b.ending_current_receivables)),
            4::bigint, 'and nothing else moved (4 months of one segment)');
-- The KPI view reads it: refreshed, its ending receivables are those above.
SELECT t.ok(ar.refresh('2026-06-29') LIKE 'succeeded%', 'refresh as of 2026-06-29');
CREATE TEMP TABLE trend_0629 AS SELECT ctid::text AS ctid_text, * FROM ar.adtp_trend_monthly_data;
SELECT t.ok(ar.refresh('2026-06-30') LIKE 'succeeded%', 'refresh as of 2026-06-30');
SELECT t.eq((SELECT count(*) FROM ar.portfolio_kpis_monthly k JOIN expected e USING (month, segment)
              WHERE (k.ending_receivables, k.ending_current_receivables) IS DISTINCT FROM (e.ending, e.ending_current)), 0::bigint,
            'portfolio_kpis_monthly shows those month ends');
-- Its credit sales (same pass over the ledger) and payment behaviour (rolled up from the
-- ADTP trend's monthly summaries) equal plain SQL over invoices and payments.
SELECT t.eq((SELECT count(*) FROM ar.portfolio_kpis_monthly k
               LEFT JOIN (SELECT date_trunc('month', i.invoice_date::timestamp)::date AS month, coalesce(c.segment, '(none)') AS segment, sum(i.amount) AS sales
                            FROM ar.invoices i JOIN ar.customers c USING (customer_id) WHERE i.invoice_date BETWEEN '2024-07-01' AND '2026-06-30'
                           GROUP BY GROUPING SETS ((1, 2), (1))) x
                 ON x.month = k.month AND coalesce(x.segment, 'All segments') = k.segment
              WHERE k.credit_sales <> coalesce(x.sales, 0)), 0::bigint, 'KPI credit sales = plain SQL, every month and segment');
SELECT t.eq((SELECT count(*) FROM ar.portfolio_kpis_monthly k
               LEFT JOIN (SELECT date_trunc('month', p.payment_date::timestamp)::date AS month, coalesce(c.segment, '(none)') AS segment, count(*) AS n,
                                 sum((p.payment_date - i.invoice_date) * p.amount) / sum(p.amount) AS adtp_weighted,
                                 avg(greatest(p.payment_date - i.due_date, 0)) AS avg_days_late
                            FROM ar.payments p JOIN ar.invoices i USING (invoice_id) JOIN ar.customers c ON c.customer_id = p.customer_id
                           WHERE p.payment_date BETWEEN '2024-07-01' AND '2026-06-30'
                           GROUP BY GROUPING SETS ((1, 2), (1))) x
                 ON x.month = k.month AND coalesce(x.segment, 'All segments') = k.segment
              WHERE (k.paid_items, round(k.adtp_weighted, 9), round(k.avg_days_late, 9))
                    IS DISTINCT FROM (coalesce(x.n, 0), round(x.adtp_weighted, 9), round(x.avg_days_late, 9))), 0::bigint,
            'KPI items paid, weighted ADTP and average days late = plain SQL, every month and segment');

-- ADTP trend, kept incrementally. The invariant: after every refresh the stored rows
-- are exactly those recomputed from scratch (ar._adtp_trend_rows(as_of, NULL)).
-- (rows compared as text: the payment summary type has no equality operator). The
-- count adds the totals kept with the rows (ar.adtp_trend_totals) that differ from a
-- rollup of the stored rows per month and segment (t.trend_totals_diff, _helpers.sql).
CREATE TEMP VIEW trend_mismatch AS
SELECT count(*) + t.trend_totals_diff() AS n
  FROM ((SELECT d::text FROM ar.adtp_trend_monthly_data d EXCEPT ALL SELECT r::text FROM ar._adtp_trend_rows(ar.as_of(), NULL) r)
        UNION ALL (SELECT r::text FROM ar._adtp_trend_rows(ar.as_of(), NULL) r EXCEPT ALL SELECT d::text FROM ar.adtp_trend_monthly_data d)) x;
SELECT t.eq((SELECT n FROM trend_mismatch), 0::bigint, 'stored ADTP trend = recomputed, after two refreshes');
SELECT t.eq((SELECT string_agg(DISTINCT as_of::text, ',') FROM ar.adtp_trend_monthly), '2026-06-30', 'the view shows the as-of date of the last refresh');
SELECT t.eq((SELECT string_agg(column_name, ',' ORDER BY ordinal_position) FROM information_schema.columns WHERE table_schema = 'ar' AND table_name = 'adtp_trend_monthly'),
            'as_of,customer_id,segment,collector,payment_terms_days,month,paid_items,paid_amount,adtp,adtp_weighted,avg_days_late,avg_days_late_weighted',
            'the view keeps its columns in their order');
SELECT t.eq((SELECT count(*) FROM ar.adtp_trend_monthly a
              FULL JOIN (SELECT p.customer_id, date_trunc('month', p.payment_date::timestamp)::date AS month, count(*) AS n, sum(p.amount) AS amount,
                                avg(p.payment_date - i.invoice_date) AS adtp,
                                sum((p.payment_date - i.invoice_date) * p.amount) / sum(p.amount) AS adtp_weighted
                           FROM ar.payments p JOIN ar.invoices i USING (invoice_id)
                          WHERE p.payment_date BETWEEN '2024-07-01' AND '2026-06-30'
                          GROUP BY 1, 2) x USING (customer_id, month)
             WHERE (a.paid_items, a.paid_amount, round(a.adtp, 9), round(a.adtp_weighted, 9)) IS DISTINCT FROM (x.n, x.amount, round(x.adtp, 9), round(x.adtp_weighted, 9))),
            0::bigint, 'ADTP trend rows equal plain SQL over the payments of the 24 months (count, amount, ADTP, weighted ADTP)');
-- From 06-29 to 06-30 only the customers paid on 06-30 were recomputed: the rows of the
-- others are the same physical rows (same ctid) as after the 06-29 refresh.
SELECT t.eq((SELECT count(*) FROM trend_0629 b JOIN ar.adtp_trend_monthly_data d USING (customer_id, month)
              WHERE b.ctid_text <> d.ctid::text
                AND d.customer_id NOT IN (SELECT customer_id FROM ar.payments WHERE payment_date = '2026-06-30')), 0::bigint,
            'day to day, the rows of customers not paid on the new day are not rewritten');
SELECT t.ok((SELECT count(*) FROM trend_0629 b JOIN ar.adtp_trend_monthly_data d USING (customer_id, month)
              WHERE b.ctid_text <> d.ctid::text) > 0, 'those of the customers paid that day are (the check above compares something)');
-- full => true rebuilds the trend too (it keeps a change log of its own, which 0.14.0's
-- full rebuild left alone): every row written again; a refresh of the same date with
-- nothing changed writes none.
CREATE TEMP TABLE trend_before_full AS SELECT customer_id, month, xmin::text AS x FROM ar.adtp_trend_monthly_data;
SELECT t.ok(ar.refresh('2026-06-30') LIKE 'succeeded%', 'refresh the same date again, nothing changed');
SELECT t.eq((SELECT count(*) FROM trend_before_full b JOIN ar.adtp_trend_monthly_data d USING (customer_id, month) WHERE b.x <> d.xmin::text), 0::bigint,
            'nothing changed: no trend row written');
SELECT t.ok(ar.refresh('2026-06-30', full => true) LIKE 'succeeded%', 'refresh the same date with full => true');
SELECT t.eq((SELECT count(*) FROM trend_before_full b JOIN ar.adtp_trend_monthly_data d USING (customer_id, month) WHERE b.x = d.xmin::text), 0::bigint,
            'full => true: every trend row written again');
SELECT t.eq((SELECT count(*) FROM ar.adtp_trend_monthly_data), (SELECT count(*) FROM trend_before_full), 'the same number of rows');
SELECT t.eq((SELECT n FROM trend_mismatch), 0::bigint, 'stored ADTP trend = recomputed, after full => true');

-- Changes of every kind the triggers note, then one refresh at the same as-of date:
-- a backdated payment (customer 1), a segment change (2), a deleted payment (3), a paid
-- invoice's due date moved (4), a new payment via UPDATE of its amount (5).
CREATE TEMP TABLE picked AS
SELECT customer_id, row_number() OVER (ORDER BY customer_id) AS k FROM (SELECT DISTINCT customer_id FROM ar.adtp_trend_monthly_data ORDER BY customer_id LIMIT 6) x;
CREATE TEMP TABLE rows_before AS SELECT ctid::text AS ctid_text, * FROM ar.adtp_trend_monthly_data;
INSERT INTO ar.payments (customer_id, invoice_id, payment_date, amount)
SELECT o.customer_id, o.invoice_id, date '2026-06-30', 1.00 FROM ar.open_items('2026-06-30') o
 WHERE o.customer_id = (SELECT customer_id FROM picked WHERE k = 1) AND o.open_amount > 1 ORDER BY o.invoice_id LIMIT 1;
UPDATE ar.payments SET payment_date = date '2025-03-10'
 WHERE payment_id = (SELECT max(payment_id) FROM ar.payments WHERE customer_id = (SELECT customer_id FROM picked WHERE k = 1));
UPDATE ar.customers SET segment = 'moved' WHERE customer_id = (SELECT customer_id FROM picked WHERE k = 2);
DELETE FROM ar.payments WHERE payment_id = (SELECT min(payment_id) FROM ar.payments p JOIN ar.invoices i USING (invoice_id)
                                             WHERE p.customer_id = (SELECT customer_id FROM picked WHERE k = 3) AND p.payment_date >= '2025-01-01');
UPDATE ar.invoices SET due_date = due_date - 5 WHERE invoice_id = (SELECT min(p.invoice_id) FROM ar.payments p
                                                                  WHERE p.customer_id = (SELECT customer_id FROM picked WHERE k = 4) AND p.payment_date >= '2025-01-01');
UPDATE ar.payments SET amount = amount - 0.01 WHERE payment_id = (SELECT min(payment_id) FROM ar.payments
                                                                  WHERE customer_id = (SELECT customer_id FROM picked WHERE k = 5) AND payment_date >= '2025-01-01');
SELECT t.eq((SELECT count(DISTINCT customer_id) FROM ar._adtp_trend_changes), 5::bigint, 'the triggers noted the five customers');
SELECT t.ok(ar.refresh('2026-06-30') LIKE 'succeeded%', 'refresh after the changes');
SELECT t.eq((SELECT n FROM trend_mismatch), 0::bigint, 'stored ADTP trend = recomputed, after changes of every kind');
SELECT t.eq((SELECT count(*) FROM ar._adtp_trend_changes), 0::bigint, 'the refresh took the noted changes');
SELECT t.eq((SELECT string_agg(DISTINCT segment, ',') FROM ar.adtp_trend_monthly WHERE customer_id = (SELECT customer_id FROM picked WHERE k = 2)),
            'moved', 'the segment change shows');
SELECT t.eq((SELECT count(*) FROM rows_before b JOIN ar.adtp_trend_monthly_data d USING (customer_id, month)
              WHERE b.ctid_text <> d.ctid::text AND d.customer_id = (SELECT customer_id FROM picked WHERE k = 6)), 0::bigint,
            'an untouched customer''s rows are not rewritten');
-- (0.18.0) each customer's rows from the month of the earliest payment date changed:
-- customer 1's payment moved to 2025-03-10 rewrites its rows from March 2025 on and
-- keeps those before; a segment change (customer 2) rewrites all of its rows
CREATE TEMP VIEW trend_rewritten AS
SELECT d.customer_id, d.month, NOT EXISTS (SELECT FROM rows_before b WHERE b.customer_id = d.customer_id AND b.month = d.month AND b.ctid_text = d.ctid::text) AS rewritten
  FROM ar.adtp_trend_monthly_data d;
SELECT t.eq((SELECT min(month) FROM trend_rewritten WHERE rewritten AND customer_id = (SELECT customer_id FROM picked WHERE k = 1)), '2025-03-01'::date,
            'a payment moved to 2025-03-10 rewrites the customer''s rows from March 2025 on');
SELECT t.eq((SELECT count(*) FILTER (WHERE NOT rewritten AND month >= '2025-03-01')::text || ' kept from March, '
                    || (count(*) FILTER (WHERE NOT rewritten AND month < '2025-03-01') > 0)::text || ' before'
               FROM trend_rewritten WHERE customer_id = (SELECT customer_id FROM picked WHERE k = 1)), '0 kept from March, true before',
            'and keeps its rows of the months before (none after)');
SELECT t.eq((SELECT count(*) FROM trend_rewritten WHERE NOT rewritten AND customer_id = (SELECT customer_id FROM picked WHERE k = 2)), 0::bigint,
            'a segment change rewrites all of the customer''s rows');

-- Updates that change nothing the trend shows (every customer's credit limit, every
-- invoice's amount by zero) note nobody: no recomputation for a nightly sync.
UPDATE ar.customers SET credit_limit = credit_limit;
UPDATE ar.invoices SET amount = amount WHERE invoice_date >= '2026-06-01';
SELECT t.eq((SELECT count(*) FROM ar._adtp_trend_changes), 0::bigint, 'a sync that rewrites customers and invoices unchanged notes nobody');
UPDATE ar.customers SET collector = coalesce(collector, '') || ' (b)' WHERE customer_id = (SELECT customer_id FROM picked WHERE k = 6);
SELECT t.eq((SELECT string_agg(customer_id, ',') FROM ar._adtp_trend_changes), (SELECT customer_id FROM picked WHERE k = 6), 'a collector change notes that customer');
SELECT t.ok(ar.refresh('2026-06-30') LIKE 'succeeded%', 'refresh after the collector change');
SELECT t.eq((SELECT n FROM trend_mismatch), 0::bigint, 'stored ADTP trend = recomputed, after the collector change');

-- The as-of date moves on (a month later: July 2024 leaves the window) and back (the
-- window moves back to earlier months: everything is recomputed).
SELECT t.ok(ar.refresh('2026-07-31') LIKE 'succeeded%', 'refresh a month later');
SELECT t.eq((SELECT n FROM trend_mismatch), 0::bigint, 'stored ADTP trend = recomputed, a month later');
SELECT t.eq((SELECT min(month) FROM ar.adtp_trend_monthly), date '2024-08-01', 'the oldest month left the window');
SELECT t.ok(ar.refresh('2026-06-30') LIKE 'succeeded%', 'refresh back to 2026-06-30');
SELECT t.eq((SELECT n FROM trend_mismatch), 0::bigint, 'stored ADTP trend = recomputed, back at 2026-06-30');
SELECT t.eq((SELECT min(month) FROM ar.adtp_trend_monthly), date '2024-07-01', 'the month is back');

-- A TRUNCATE (ar.generate_demo(replace => true) truncates every table) means rebuild.
SELECT ar.generate_demo(customers => 30, seed => 16, as_of => '2026-06-30', replace => true);
SELECT t.eq((SELECT count(*) FROM ar._adtp_trend_changes WHERE customer_id IS NULL) > 0, true, 'a TRUNCATE is noted as "everything"');
SELECT t.ok(ar.refresh('2026-06-30') LIKE 'succeeded%', 'refresh the new portfolio');
SELECT t.eq((SELECT n FROM trend_mismatch), 0::bigint, 'stored ADTP trend = recomputed, after a TRUNCATE');
SELECT t.eq((SELECT count(*) FROM ar.adtp_trend_monthly_data WHERE customer_id NOT IN (SELECT customer_id FROM ar.customers)), 0::bigint,
            'no row of the old portfolio is left');

-- A role allowed to load payments needs no grant on the change log.
CREATE ROLE ar_t_loader;
GRANT USAGE ON SCHEMA ar, t TO ar_t_loader;
GRANT SELECT, INSERT ON ar.payments TO ar_t_loader;
GRANT SELECT ON ar.invoices, ar.adjustments TO ar_t_loader;
SET ROLE ar_t_loader;
INSERT INTO ar.payments (customer_id, invoice_id, payment_date, amount)
SELECT o.customer_id, o.invoice_id, date '2026-06-30', 0.50 FROM ar.open_items('2026-06-30') o WHERE o.open_amount > 1 ORDER BY o.invoice_id LIMIT 1;
SELECT t.raises($$DELETE FROM ar._adtp_trend_changes$$, '42501', 'permission denied%', 'a loader cannot take noted changes away');
RESET ROLE;
SELECT t.eq((SELECT count(*) FROM ar._adtp_trend_changes), 1::bigint, 'the loader''s payment was noted');
SELECT t.ok(ar.refresh('2026-06-30') LIKE 'succeeded%', 'refresh after the loader');
SELECT t.eq((SELECT n FROM trend_mismatch), 0::bigint, 'stored ADTP trend = recomputed, after the loader''s payment');
DROP OWNED BY ar_t_loader;
DROP ROLE ar_t_loader;

-- The open-items snapshot (refreshed with merge plans) equals ar.open_items, with the
-- invoice's currency (ar._open_items_of: the same rows and the currency).
SELECT t.eq((SELECT count(*) FROM ((SELECT * FROM ar.open_items_snapshot EXCEPT ALL SELECT * FROM ar._open_items_of('2026-06-30', NULL))
                                   UNION ALL (SELECT * FROM ar._open_items_of('2026-06-30', NULL) EXCEPT ALL SELECT * FROM ar.open_items_snapshot)) x),
            0::bigint, 'the snapshot equals ar.open_items(as_of) with the invoice currency, row for row');
SELECT t.ok((SELECT (views -> 'open_items_snapshot' ->> 'rows')::bigint = (SELECT count(*) FROM ar.open_items('2026-06-30'))
               FROM ar.refresh_log ORDER BY run_id DESC LIMIT 1), 'the refresh log counts its rows');

-- Mid-month (0.11.0 keeps the ledger's entries per customer; their until month does not
-- depend on the as-of date, so the current month's current receivables add the open
-- items due from as_of to the day before the month's last day): the month-end
-- receivables of a mid-month date, computed from the tables (ar.month_end_receivables)
-- and from the stored entries (the KPI view), equal the sums of ar.open_items at each
-- month end (as_of for the current month), as in the check at the top.
CREATE FUNCTION t.expected_mer(d date) RETURNS TABLE (month date, segment text, ending numeric, ending_current numeric, beginning numeric)
LANGUAGE sql AS $$
SELECT m.month, s.segment, x.ending, x.ending_current, y.beginning
  FROM ar.month_ends(d) m
  CROSS JOIN (SELECT DISTINCT coalesce(segment, '(none)') AS segment FROM ar.customers) s
  CROSS JOIN LATERAL (SELECT coalesce(sum(o.open_amount), 0) AS ending,
                             coalesce(sum(o.open_amount) FILTER (WHERE o.days_past_due <= 0), 0) AS ending_current
                        FROM ar.open_items(m.month_end) o JOIN ar.customers c USING (customer_id)
                       WHERE coalesce(c.segment, '(none)') = s.segment) x
  CROSS JOIN LATERAL (SELECT coalesce(sum(o.open_amount), 0) AS beginning
                        FROM ar.open_items(m.month - 1) o JOIN ar.customers c USING (customer_id)
                       WHERE coalesce(c.segment, '(none)') = s.segment) y;
$$;
SELECT t.ok((SELECT count(*) FROM ar.open_items('2026-06-17') WHERE due_date BETWEEN '2026-06-17' AND '2026-06-29') > 0,
            'on 2026-06-17 some open items fall due later in June (the correction is exercised)');
SELECT t.eq((SELECT count(*) FROM ar.month_end_receivables('2026-06-17') r FULL JOIN t.expected_mer('2026-06-17') e USING (month, segment)
              WHERE (r.ending_receivables, r.ending_current_receivables, r.beginning_receivables) IS DISTINCT FROM (e.ending, e.ending_current, e.beginning)),
            0::bigint, 'mid-month, from the tables: ending, current and beginning receivables equal ar.open_items at the 24 month ends');
SELECT t.ok(ar.refresh('2026-06-17') LIKE 'succeeded%', 'refresh back to 2026-06-17');
SELECT t.eq((SELECT count(*) FROM ar.portfolio_kpis_monthly k JOIN t.expected_mer('2026-06-17') e USING (month, segment)
              WHERE (k.ending_receivables, k.ending_current_receivables, k.beginning_receivables) IS DISTINCT FROM (e.ending, e.ending_current, e.beginning)),
            0::bigint, 'mid-month, from the stored entries: the KPI view shows the same');
SELECT t.ok(ar.refresh('2026-06-24') LIKE 'succeeded%', 'refresh a week later (incremental)');
SELECT t.eq((SELECT views -> 'month_ledger_data' ->> 'full' FROM ar.refresh_log ORDER BY run_id DESC LIMIT 1), 'false', 'the entries were kept, not rebuilt');
SELECT t.eq((SELECT count(*) FROM ar.portfolio_kpis_monthly k JOIN t.expected_mer('2026-06-24') e USING (month, segment)
              WHERE (k.ending_receivables, k.ending_current_receivables, k.beginning_receivables) IS DISTINCT FROM (e.ending, e.ending_current, e.beginning)),
            0::bigint, 'a week later the KPI view equals ar.open_items at the month ends (invoices fell due in between)');
