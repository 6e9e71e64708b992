-- Portfolio views, refresh, history and the reader role on a hand-built portfolio.
-- As of 2026-03-31 (see 01_schema.sql for the open-item arithmetic):
--   A (enterprise, Ann, limit 1000.00, Net 30): I1 550.00 open 59 days past due, I3 220.00 current (due in 14 days)
--   B (smb, Bob, no limit, Net 15): I4 175.00 open 65 days past due; unapplied cash 75.00
INSERT INTO ar.customers (customer_id, name, segment, collector, credit_limit, payment_terms_days)
VALUES ('A', 'Alpha', 'enterprise', 'Ann', 1000.00, 30), ('B', 'Beta', 'smb', 'Bob', NULL, 15);
INSERT INTO ar.invoices (invoice_id, customer_id, invoice_date, due_date, amount) VALUES
  ('I1', 'A', '2026-01-01', '2026-01-31', 1000.00), ('I2', 'A', '2026-02-01', '2026-03-03', 500.00),
  ('I3', 'A', '2026-03-15', '2026-04-14', 200.00), ('I4', 'B', '2026-01-10', '2026-01-25', 300.00),
  ('I5', 'B', '2026-04-10', '2026-04-25', 50.00);
INSERT INTO ar.payments (customer_id, invoice_id, payment_date, amount) VALUES
  ('A', 'I1', '2026-02-10', 400.00), ('A', 'I1', '2026-04-05', 100.00), ('A', 'I2', '2026-03-01', 500.00),
  ('B', 'I4', '2026-02-01', 100.00), ('B', NULL, '2026-03-20', 75.00), ('A', NULL, '2026-04-02', 10.00);
INSERT INTO ar.adjustments (invoice_id, adjustment_date, amount, kind) VALUES
  ('I1', '2026-02-15', 50.00, 'credit_memo'), ('I3', '2026-03-20', 20.00, 'debit_memo'),
  ('I4', '2026-03-30', 25.00, 'write_off'), ('I4', '2026-04-02', 10.00, 'credit_memo');
-- D1 open on B's I4 since 03-01, unanswered; D2 on I1 resolved 02-20
INSERT INTO ar.disputes (dispute_id, invoice_id, opened_at, first_response_at, resolved_at, amount, reason) VALUES
  ('D1', 'I4', '2026-03-01 10:00', NULL, NULL, 100.00, 'pricing'),
  ('D2', 'I1', '2026-02-01 10:00', '2026-02-02 10:00', '2026-02-20 10:00', NULL, 'quantity');
-- P1 broken (nothing paid on I1 between 02-12 and 02-28), P2 pending (promised 04-10), P3 kept (500.00 on 03-01)
INSERT INTO ar.promises (promise_id, customer_id, invoice_id, made_on, promised_date, amount) VALUES
  ('P1', 'A', 'I1', '2026-02-12', '2026-02-28', 200.00), ('P2', 'B', 'I4', '2026-03-25', '2026-04-10', 50.00),
  ('P3', 'A', 'I2', '2026-02-20', '2026-03-05', 500.00);
INSERT INTO ar.order_holds (hold_id, customer_id, placed_at, released_at, reason) VALUES
  ('H1', 'B', '2026-03-15 09:00', NULL, 'past due'), ('H2', 'A', '2026-02-01 09:00', '2026-02-03 09:00', 'limit');

SELECT t.eq(ar.as_of(), NULL::date, 'no as-of date before the first refresh');
SELECT t.eq(ar.refresh('2026-03-31'), 'succeeded: as of 2026-03-31, 2 customers', 'first refresh succeeds');
SELECT t.eq(ar.as_of(), date '2026-03-31', 'ar.as_of() reads the refreshed date');

-- promise status
SELECT t.eq((SELECT string_agg(promise_id || '=' || status, ' ' ORDER BY promise_id) FROM ar.promise_status('2026-03-31')),
            'P1=broken P2=pending P3=kept', 'promise status as of 03-31');

-- customer A
SELECT t.eq((SELECT row(open_amount, past_due_amount, current_amount, days_1_30, days_31_60, days_61_90, days_91_120, days_121_plus, open_invoices, oldest_past_due_days)::text
               FROM ar.customer_health WHERE customer_id = 'A'), '(770.00,550.00,220.00,0.00,550.00,0.00,0.00,0.00,2,59)',
            'A: open 550 + 220 = 770, 550 in 31-60 (59 days), 220 current');
SELECT t.eq((SELECT row(unapplied_cash, net_exposure, credit_limit, credit_utilisation)::text FROM ar.customer_health WHERE customer_id = 'A'),
            '(0,770.00,1000.00,0.77000000000000000000)', 'A: no unapplied cash yet (10.00 comes 04-02), exposure 770, utilisation 0.77');
-- 90-day credit sales: I1 + I2 + I3 = 1700.00; DSO = 770 * 90 / 1700 = 40.7647
SELECT t.eq((SELECT row(credit_sales_90d, round(dso_90d, 4))::text FROM ar.customer_health WHERE customer_id = 'A'), '(1700.00,40.7647)', 'A: DSO 90d = 770 * 90 / 1700');
-- paid: 400.00 on 02-10 (40 days, 10 late), 500.00 on 03-01 (28 days, 2 early)
SELECT t.eq((SELECT row(paid_items_12m, adtp_12m, round(adtp_weighted_12m, 4), avg_days_late_12m, round(avg_days_late_weighted_12m, 4),
                        round(avg_days_beyond_terms_weighted_12m, 4), on_time_rate_12m, payment_index_12m)::text FROM ar.customer_health WHERE customer_id = 'A'),
            '(2,34.0000000000000000,33.3333,5.0000000000000000,4.4444,3.3333,0.50000000000000000000,78)',
            'A: ADTP (40+28)/2 = 34, weighted 30000/900 = 33.33, late 5 / 4.44, beyond 3.33, on time 1/2, index 78');
SELECT t.eq((SELECT row(paid_items_90d, adtp_90d)::text FROM ar.customer_health WHERE customer_id = 'A'), '(2,34.0000000000000000)', 'A: both payments fall in the last 90 days');
SELECT t.eq((SELECT row(open_disputes, oldest_open_dispute_days, promises_kept_12m, promises_broken_12m, promises_pending, open_order_holds, last_payment_date)::text
               FROM ar.customer_health WHERE customer_id = 'A'), '(0,,1,1,0,0,2026-03-01)', 'A: dispute resolved, one promise kept, one broken, hold released');
-- customer B
SELECT t.eq((SELECT row(open_amount, past_due_amount, days_61_90, oldest_past_due_days, unapplied_cash, net_exposure, credit_utilisation, credit_sales_90d, dso_90d)::text
               FROM ar.customer_health WHERE customer_id = 'B'), '(175.00,175.00,175.00,65,75.00,100.00,,300.00,52.5000000000000000)',
            'B: 175 open 65 days, exposure 175 - 75 = 100, no limit, DSO 175 * 90 / 300 = 52.5');
SELECT t.eq((SELECT row(adtp_12m, avg_days_late_12m, on_time_rate_12m, payment_index_12m)::text FROM ar.customer_health WHERE customer_id = 'B'),
            '(22.0000000000000000,7.0000000000000000,0.00000000000000000000,75)', 'B: paid in 22 days, 7 late, index 80 - 7*10/15 = 75');
SELECT t.eq((SELECT row(open_disputes, oldest_open_dispute_days, promises_pending, open_order_holds, last_payment_date)::text
               FROM ar.customer_health WHERE customer_id = 'B'), '(1,30,1,1,2026-03-20)', 'B: dispute open 30 days, a promise pending, on hold, last cash 03-20');

-- portfolio aging: sums to the portfolio open amount exactly
SELECT t.eq((SELECT string_agg(segment || ':' || bucket || '=' || amount || '/' || invoice_count || '/' || customer_count, ' ' ORDER BY segment, bucket_order)
               FROM ar.portfolio_aging WHERE amount <> 0), 'enterprise:current=220.00/1/1 enterprise:31-60=550.00/1/1 smb:61-90=175.00/1/1', 'portfolio aging by segment');
SELECT t.eq((SELECT count(*) FROM ar.portfolio_aging), 12::bigint, 'every bucket of every segment present (2 x 6)');
SELECT t.eq((SELECT sum(amount) FROM ar.portfolio_aging), (SELECT sum(open_amount) FROM ar.open_items('2026-03-31')), 'aging amounts add up to the open amount (945.00)');
SELECT t.eq((SELECT round(sum(share_of_total), 10) FROM ar.portfolio_aging), 1.0000000000, 'shares add up to 1');

-- monthly KPIs, all segments
--   Jan: sales 1300, ending 1300 (I1 1000 due 01-31 is current that day + I4 300), current 1000, DSO 31, CEI 0
--   Feb: sales 500, begin 1300, ending 550 + 500 + 200 = 1250, current 500 (I2), DSO 1250*28/500 = 70, BPDSO 28, CEI 550/1300 = 42.3077
--   Mar: sales 200, begin 1250, ending 945, current 220, DSO 945*31/200 = 146.475, BPDSO 34.1, ADD 112.375,
--        CEI (1250+200-945)/(1250+200-220) = 505/1230 = 41.0569, countback 31 + 28 + 245/1300*31 = 64.8423
SELECT t.eq((SELECT string_agg(to_char(month, 'YYYY-MM') || ':' || row(credit_sales, beginning_receivables, ending_receivables, ending_current_receivables,
                                round(dso, 4), round(bpdso, 4), round(cei, 4))::text, ' ' ORDER BY month)
               FROM ar.portfolio_kpis_monthly WHERE segment = 'All segments' AND month >= '2026-01-01'),
            '2026-01:(1300.00,0.00,1300.00,1000.00,31.0000,23.8462,0.0000) 2026-02:(500.00,1300.00,1250.00,500.00,70.0000,28.0000,42.3077) 2026-03:(200.00,1250.00,945.00,220.00,146.4750,34.1000,41.0569)',
            'monthly receivables, DSO, BPDSO and CEI for Jan-Mar 2026');
SELECT t.eq((SELECT row(round(add, 4), round(dso_countback, 4), period_days)::text FROM ar.portfolio_kpis_monthly WHERE segment = 'All segments' AND month = '2026-03-01'),
            '(112.3750,64.8423,31)', 'March ADD and countback DSO');
-- paid in Feb: 400.00 after 40 days (10 late) and 100.00 after 22 days (7 late): weighted ADTP 18200/500 = 36.4, days late 8.5
SELECT t.eq((SELECT row(paid_items, adtp_weighted, avg_days_late)::text FROM ar.portfolio_kpis_monthly WHERE segment = 'All segments' AND month = '2026-02-01'),
            '(2,36.4000000000000000,8.5000000000000000)', 'February payment behaviour');
SELECT t.eq((SELECT dso FROM ar.portfolio_kpis_monthly WHERE segment = 'All segments' AND month = '2025-12-01'), NULL::numeric, 'no sales in December: DSO NULL');
SELECT t.eq((SELECT count(*) FROM ar.portfolio_kpis_monthly), 72::bigint, '24 months x (2 segments + All segments)');
SELECT t.eq((SELECT sum(ending_receivables) FROM ar.portfolio_kpis_monthly WHERE segment <> 'All segments' AND month = '2026-03-01'), 945.00, 'segment rows add up to the all-segments row');
-- month ends equal ar.open_items on every month end
SELECT t.eq((SELECT count(*) FROM ar.portfolio_kpis_monthly k JOIN ar.month_ends('2026-03-31') m ON m.month = k.month
              WHERE k.segment = 'All segments'
                AND ROW(k.ending_receivables, k.ending_current_receivables) IS DISTINCT FROM
                    (SELECT ROW(coalesce(sum(open_amount), 0), coalesce(sum(open_amount) FILTER (WHERE days_past_due <= 0), 0)) FROM ar.open_items(m.month_end))),
            0::bigint, 'month-end receivables equal ar.open_items(month end) for all 24 months');

-- ADTP trend
SELECT t.eq((SELECT string_agg(customer_id || ':' || to_char(month, 'YYYY-MM') || '=' || adtp::numeric(10,2) || '/' || avg_days_late::numeric(10,2) || '/' || payment_terms_days, ' ' ORDER BY customer_id, month)
               FROM ar.adtp_trend_monthly), 'A:2026-02=40.00/10.00/30 A:2026-03=28.00/0.00/30 B:2026-02=22.00/7.00/15', 'ADTP trend per customer and month, with terms');

-- Refresh for another date gives that date's figures; missed days are backfilled; repeats do not duplicate
SELECT t.eq(ar.refresh('2026-04-30'), 'succeeded: as of 2026-04-30, 2 customers, 29 missed days backfilled', 'refresh 04-30 backfills 04-01..04-29');
-- as of 04-30: A has I1 450.00 (89 days) + I3 220.00 (16 days); unapplied 10.00
SELECT t.eq((SELECT row(open_amount, days_61_90, days_1_30, unapplied_cash)::text FROM ar.customer_health WHERE customer_id = 'A'), '(670.00,450.00,220.00,10.00)', 'A as of 04-30');
SELECT t.eq((SELECT count(*) FROM ar.customer_health_history), 62::bigint, 'history: 31 days x 2 customers');
SELECT t.eq((SELECT open_amount FROM ar.customer_health_history WHERE as_of = '2026-03-31' AND customer_id = 'A'), 770.00, 'history keeps 03-31');
SELECT t.eq((SELECT open_amount FROM ar.customer_health_history WHERE as_of = '2026-04-06' AND customer_id = 'A'), 670.00, 'backfilled 04-06: after the 100.00 of 04-05');
SELECT t.eq((SELECT open_amount FROM ar.customer_health_history WHERE as_of = '2026-04-04' AND customer_id = 'A'), 770.00, 'backfilled 04-04: before it');
SELECT ar.refresh('2026-04-30');
SELECT t.eq((SELECT count(*) FROM ar.customer_health_history), 62::bigint, 'refreshing the same day again does not duplicate history');
SELECT t.eq((SELECT string_agg(status, ',' ORDER BY run_id) FROM ar.refresh_log), 'succeeded,succeeded,succeeded', 'three runs logged');
SELECT t.ok((SELECT bool_and(views ? 'customer_health_mv' AND views ? 'portfolio_kpis_monthly_mv' AND finished_at >= started_at) FROM ar.refresh_log), 'log has rows and times per view');

-- A failing refresh is logged and leaves the previous data readable
SELECT t.ok(ar.refresh('5874897-12-01') LIKE 'failed: %', 'refresh that fails returns failed');
SELECT t.eq((SELECT status FROM ar.refresh_log ORDER BY run_id DESC LIMIT 1), 'failed', 'failure logged');
SELECT t.ok((SELECT error FROM ar.refresh_log ORDER BY run_id DESC LIMIT 1) LIKE '22008: %', 'error text logged with its SQLSTATE');
SELECT t.eq(ar.as_of(), date '2026-04-30', 'as-of date unchanged after the failure');
SELECT t.eq((SELECT open_amount FROM ar.customer_health WHERE customer_id = 'A'), 670.00, 'views keep the previous refresh after the failure');
SELECT t.raises($$SELECT ar.refresh(NULL)$$, '22023', 'ar.refresh: as_of must be a finite date, got NULL', 'NULL as_of');
SELECT t.raises($$SELECT ar.refresh('infinity')$$, '22023', 'ar.refresh: as_of must be a finite date, got infinity', 'infinite as_of');
SELECT t.eq((SELECT count(*) FROM pg_matviews m WHERE m.schemaname = 'ar'
              AND NOT EXISTS (SELECT FROM pg_index i WHERE i.indrelid = format('ar.%I', m.matviewname)::regclass AND i.indisunique)), 0::bigint,
            'every materialized view has a unique index (for REFRESH CONCURRENTLY)');
-- (0.23.0: a storage table ar.x_data of the refresh's list is filled from the view
-- ar._x_rows, by column position: the two have the same columns in the same order)
SELECT t.eq((SELECT string_agg(v, ',') FROM unnest(ar._storage_views(1) || ar._storage_views(2) || ar._storage_views(3) || ar._storage_views(4)) v
              WHERE v LIKE '%\_data'), 'collections_worklist_data,order_hold_recommendations_data', 'the refresh''s storage tables (the worklist, the order hold recommendations)');
SELECT t.eq((SELECT count(*) FROM unnest(ar._storage_views(1) || ar._storage_views(2) || ar._storage_views(3) || ar._storage_views(4)) v
              WHERE v LIKE '%\_data'
                AND (SELECT array_agg((a.attname, a.atttypid) ORDER BY a.attnum) FROM pg_attribute a
                      WHERE a.attrelid = format('ar.%I', v)::regclass AND a.attnum > 0 AND NOT a.attisdropped)
                    IS NOT DISTINCT FROM
                    (SELECT array_agg((a.attname, a.atttypid) ORDER BY a.attnum) FROM pg_attribute a
                      WHERE a.attrelid = format('ar._%s_rows', left(v, -5))::regclass AND a.attnum > 0 AND NOT a.attisdropped)
                AND EXISTS (SELECT FROM pg_index i WHERE i.indrelid = format('ar.%I', v)::regclass AND i.indisunique)), 2::bigint,
            'each has the columns of its view ar._x_rows, in order, and a unique index');
SELECT t.eq((SELECT count(*) FROM (VALUES ('ar.collections_worklist'::regclass, 'ar.collections_worklist_data'::regclass),
                                          ('ar.collections_worklist', 'ar._collections_worklist_rows'),
                                          ('ar.order_hold_recommendations', 'ar.order_hold_recommendations_data'),
                                          ('ar.order_hold_recommendations', 'ar._order_hold_recommendations_rows')) x(pub, stor)
                JOIN pg_attribute a ON a.attrelid = x.stor AND a.attnum > 0 AND NOT a.attisdropped
                JOIN pg_attribute v ON v.attrelid = x.pub AND v.attname = a.attname
               WHERE col_description(x.stor, a.attnum) IS DISTINCT FROM col_description(x.pub, v.attnum)
                  OR col_description(x.pub, v.attnum) IS NULL), 0::bigint,
            'their columns and their views'' carry the published view''s descriptions (ar._copy_column_comments)');

-- Scheduling without pg_cron: a clear error with a HINT
SELECT t.raises($$SELECT ar.schedule_daily_refresh()$$, '42704', 'ar.schedule_daily_refresh: pg_cron is not installed in database %', 'schedule without pg_cron');

-- Reader role: reads the views, nothing else
CREATE ROLE ar_test_reader;
SELECT ar.grant_reader('ar_test_reader');
GRANT USAGE ON SCHEMA t TO ar_test_reader;   -- the test helpers only
SET ROLE ar_test_reader;
SELECT t.eq((SELECT count(*) FROM ar.customer_health), 2::bigint, 'reader reads customer_health');
SELECT t.eq((SELECT count(*) FROM ar.portfolio_kpis_monthly WHERE segment = 'All segments'), 24::bigint, 'reader reads the KPI view');
SELECT t.ok((SELECT count(*) FROM ar.customer_health_history) > 0, 'reader reads the history');
-- every relation granted can be read whole, every column (a view over a function that reads
-- the tables as the querying role cannot: seven such views could not be read until 0.7.0)
DO $$
DECLARE
    v text;
    bad text[] := '{}';
BEGIN
    FOR v IN SELECT c.relname FROM pg_class c WHERE c.relnamespace = 'ar'::regnamespace AND c.relkind IN ('r', 'v', 'm')
                AND has_table_privilege(c.oid, 'SELECT') ORDER BY 1 LOOP
        BEGIN
            EXECUTE format('SELECT md5(coalesce(string_agg(x::text, ''|''), '''')) FROM ar.%I x', v);
        EXCEPTION WHEN insufficient_privilege THEN
            bad := bad || (v || ': ' || SQLERRM);
        END;
    END LOOP;
    PERFORM t.eq(array_to_string(bad, '; '), '', 'reader reads every relation granted to it, all columns');
END $$;
SELECT t.ok((SELECT count(*) FROM pg_class c WHERE c.relnamespace = 'ar'::regnamespace AND has_table_privilege(c.oid, 'SELECT')) >= 27,
            'the reader is granted the published views (27 or more)');
SELECT t.raises($$SELECT * FROM ar.invoices$$, '42501', 'permission denied for table invoices', 'reader cannot read raw tables');
SELECT t.raises($$SELECT * FROM ar.customer_health_mv$$, '42501', 'permission denied%', 'reader cannot read the storage directly');
SELECT t.raises($$DELETE FROM ar.customer_health_history$$, '42501', 'permission denied%', 'reader cannot write');
SELECT t.raises($$SELECT ar.refresh('2026-05-01')$$, '42501', '%', 'reader cannot refresh');
RESET ROLE;
DROP OWNED BY ar_test_reader;
DROP ROLE ar_test_reader;

-- Every view and view column is described
SELECT t.eq((SELECT count(*) FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE n.nspname = 'ar' AND c.relkind = 'v' AND a.attnum > 0 AND col_description(c.oid, a.attnum) IS NULL), 0::bigint, 'every view column has a comment');
SELECT t.eq((SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE n.nspname = 'ar' AND c.relkind IN ('v', 'm') AND obj_description(c.oid, 'pg_class') IS NULL), 0::bigint, 'every view has a comment');
