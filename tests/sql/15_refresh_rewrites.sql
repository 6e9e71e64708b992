-- 0.3.0 computes three things faster (docs/reliability.md, "Refresh at scale"); this file
-- checks that the figures did not move: each is compared with its definition,
-- computed independently here.
SET TimeZone = 'UTC';
SELECT ar.generate_demo(customers => 120, seed => 15, as_of => '2026-06-30');
-- ar.month_end_receivables: per segment and month, the sums of ar.open_items at the
-- month end (all of it; the part with days_past_due <= 0) and at the previous month end.
CREATE TEMP TABLE expected AS
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
DROP TABLE expected;
CREATE TEMP TABLE expected AS
SELECT m.month, s.segment, x.ending, x.ending_current
  FROM ar.month_ends('2026-06-30') m
  CROSS JOIN (SELECT DISTINCT coalesce(segment, '(none)') AS segment FROM ar.customers) s
  CROSS JOIN LATERAL (SELECT coalesce(sum(o.open_amount), 0) AS ending,
                             coalesce(sum(o.open_amount) FILTER (WHERE o.days_past_due <= 0), 0) AS ending_current
                        FROM ar.open_items(m.month_end) o JOIN ar.customers c USING (customer_id)
                       WHERE coalesce(c.segment, '(none)') = s.segment) x;

-- The KPI view reads it: refreshed, its ending receivables are those above.
SELECT t.ok(ar.refresh('2026-06-29') LIKE 'succeeded%', 'refresh as of 2026-06-29');
CREATE TEMP TABLE trend_0629 AS SELECT * FROM ar.adtp_trend_monthly_mv;
SELECT t.ok(ar.refresh('2026-06-30') LIKE 'succeeded%', 'refresh as of 2026-06-30');
SELECT t.eq((SELECT count(*) FROM ar.portfolio_kpis_monthly k JOIN expected e USING (month, segment)
              WHERE (k.ending_receivables, k.ending_current_receivables) IS DISTINCT FROM (e.ending, e.ending_current)), 0::bigint,
            'portfolio_kpis_monthly shows those month ends');

-- ADTP trend: the storage has no as-of date; the view adds the refresh's, and its
-- figures are the payment statistics of each customer's payments of the month.
SELECT t.eq((SELECT count(*) FROM pg_attribute WHERE attrelid = 'ar.adtp_trend_monthly_mv'::regclass AND attname = 'as_of'),
            0::bigint, 'the ADTP trend storage keeps no as-of date');
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
-- From one day to the next, only the current month's rows of the customers paid that
-- day change (one row out and one in; only in when it is their first payment of the month).
SELECT t.eq((SELECT count(*) FROM ((SELECT * FROM ar.adtp_trend_monthly_mv EXCEPT SELECT * FROM trend_0629)
                                   UNION ALL (SELECT * FROM trend_0629 EXCEPT SELECT * FROM ar.adtp_trend_monthly_mv)) x),
            (SELECT count(*) + count(*) FILTER (WHERE EXISTS (SELECT FROM trend_0629 b WHERE b.customer_id = p.customer_id AND b.month = '2026-06-01'))
               FROM (SELECT DISTINCT customer_id FROM ar.payments WHERE payment_date = '2026-06-30' AND invoice_id IS NOT NULL) p),
            'day to day, only the rows of the customers paid on the new day change');
SELECT t.ok((SELECT count(DISTINCT customer_id) >= 3 FROM ar.payments WHERE payment_date = '2026-06-30' AND invoice_id IS NOT NULL),
            'the demo has payments on that day (the check above compares something)');

-- The open-items snapshot (refreshed with merge plans) equals ar.open_items.
SELECT t.eq((SELECT count(*) FROM ((SELECT * FROM ar.open_items_snapshot EXCEPT ALL SELECT * FROM ar.open_items('2026-06-30'))
                                   UNION ALL (SELECT * FROM ar.open_items('2026-06-30') EXCEPT ALL SELECT * FROM ar.open_items_snapshot)) x),
            0::bigint, 'the snapshot equals ar.open_items(as_of), row for row');
SELECT t.ok((SELECT (views -> 'open_items_snapshot' ->> 'rows')::bigint = (SELECT count(*) FROM ar.open_items('2026-06-30'))
               FROM ar.refresh_log ORDER BY run_id DESC LIMIT 1), 'the refresh log counts its rows');
