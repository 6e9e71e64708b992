-- 0.10.0 keeps the open items and customer health incrementally, 0.11.0 the collections
-- performance figures per customer (docs/views.md, "Incremental refresh"): after every
-- kind of change the stored rows must equal a recomputation from the definitions, and
-- the customers nobody touched keep their rows.
-- The reference: ar.open_items(as_of) (reads only the ledger) for the open items,
-- ar.customer_health_at(as_of) (every customer recomputed, from those open items once
-- they are checked equal) for the health rows, and ar._collections_performance_rows(as_of,
-- NULL) (every customer recomputed, likewise) for the performance figures; compared as
-- text, so 1.0 <> 1.00.
SET TimeZone = 'UTC';
SELECT ar.generate_demo(customers => 300, seed => 20, as_of => '2026-06-30', foreign_share => 0.1);

-- (t.state_diff(), tests/sql/_helpers.sql: the stored state's rows that differ from the definitions)
-- What the last refresh recomputed: {"full": ..., "rows": customers, "invoices": ...}.
CREATE FUNCTION t.last_recomputed() RETURNS jsonb LANGUAGE sql AS $$
    SELECT views -> 'customers_recomputed' FROM ar.refresh_log WHERE status = 'succeeded' ORDER BY run_id DESC LIMIT 1;
$$;
-- What the last refresh recomputed of the collections performance: {"full", "customers", "rows", "ms"}.
CREATE FUNCTION t.last_performance() RETURNS jsonb LANGUAGE sql AS $$
    SELECT views -> 'collections_performance_data' FROM ar.refresh_log WHERE status = 'succeeded' ORDER BY run_id DESC LIMIT 1;
$$;
-- The same for the month-end ledger's entries.
CREATE FUNCTION t.last_ledger() RETURNS jsonb LANGUAGE sql AS $$
    SELECT views -> 'month_ledger_data' FROM ar.refresh_log WHERE status = 'succeeded' ORDER BY run_id DESC LIMIT 1;
$$;
-- The month-end ledger's entries before a refresh (row identity and version), to see from
-- which month on it rewrote a customer's entries (0.18.0: from the month of the earliest
-- ledger date changed).
CREATE TABLE t.ledger_before (customer_id text, from_month date, row_id tid, version xid);
CREATE FUNCTION t.ledger_remember() RETURNS void LANGUAGE sql AS $$
    DELETE FROM t.ledger_before; INSERT INTO t.ledger_before SELECT customer_id, from_month, ctid, xmin FROM ar.month_ledger_data;
$$;
-- The earliest month of a customer's entries added or removed by the refresh (NULL: none).
CREATE FUNCTION t.ledger_rewritten_from(c text) RETURNS date LANGUAGE sql AS $$
    SELECT min(x.from_month) FROM (
        SELECT d.from_month FROM ar.month_ledger_data d
         WHERE d.customer_id = c AND NOT EXISTS (SELECT FROM t.ledger_before b WHERE b.row_id = d.ctid AND b.version = d.xmin)
        UNION ALL
        SELECT b.from_month FROM t.ledger_before b
         WHERE b.customer_id = c AND NOT EXISTS (SELECT FROM ar.month_ledger_data d WHERE b.row_id = d.ctid AND b.version = d.xmin)) x;
$$;
-- A customer's entries the refresh kept (same row version).
CREATE FUNCTION t.ledger_kept(c text) RETURNS bigint LANGUAGE sql AS $$
    SELECT count(*) FROM ar.month_ledger_data d JOIN t.ledger_before b ON b.row_id = d.ctid AND b.version = d.xmin WHERE d.customer_id = c;
$$;
-- The monthly KPIs as text, to compare them with a full rebuild's.
CREATE FUNCTION t.kpis_view() RETURNS SETOF text LANGUAGE sql AS $$
    SELECT k::text FROM ar.portfolio_kpis_monthly k;
$$;
-- The customers whose stored performance rows a refresh rewrote (row versions before it).
CREATE TABLE t.perf_before (customer_id text, month date, currency text, version xid);
CREATE FUNCTION t.perf_remember() RETURNS void LANGUAGE sql AS $$
    DELETE FROM t.perf_before; INSERT INTO t.perf_before SELECT customer_id, month, currency, xmin FROM ar.collections_performance_data;
$$;
CREATE FUNCTION t.perf_rewritten() RETURNS text LANGUAGE sql AS $$
    SELECT string_agg(DISTINCT coalesce(d.customer_id, b.customer_id), ',' ORDER BY coalesce(d.customer_id, b.customer_id))
      FROM ar.collections_performance_data d FULL JOIN t.perf_before b USING (customer_id, month, currency)
     WHERE b.version IS DISTINCT FROM d.xmin;
$$;
-- The same per customer and month ("C000010 2026-06-01"), sorted (0.21.0: a customer's
-- figures are rewritten from the month of the earliest date a change concerns on).
CREATE FUNCTION t.perf_rewritten_months() RETURNS text LANGUAGE sql AS $$
    SELECT string_agg(x, ',' ORDER BY x) FROM (
        SELECT DISTINCT coalesce(d.customer_id, b.customer_id) || ' ' || coalesce(d.month, b.month) AS x
          FROM ar.collections_performance_data d FULL JOIN t.perf_before b USING (customer_id, month, currency)
         WHERE b.version IS DISTINCT FROM d.xmin) y;
$$;
-- The rows (customer, month) of the given customers from a month on, before or after a
-- refresh, in the form above: what a refresh recomputing them from that month rewrites.
CREATE FUNCTION t.perf_months_from(customers text[], m date) RETURNS text LANGUAGE sql AS $$
    SELECT string_agg(x, ',' ORDER BY x) FROM (
        SELECT customer_id || ' ' || month AS x FROM ar.collections_performance_data WHERE customer_id = ANY (customers) AND month >= m
        UNION SELECT customer_id || ' ' || month FROM t.perf_before WHERE customer_id = ANY (customers) AND month >= m) y;
$$;
-- The earliest month of a customer's figures the refresh rewrote (NULL: none).
CREATE FUNCTION t.perf_rewritten_from(c text) RETURNS date LANGUAGE sql AS $$
    SELECT min(x.month) FROM (
        SELECT d.month FROM ar.collections_performance_data d
         WHERE d.customer_id = c AND NOT EXISTS (SELECT FROM t.perf_before b WHERE b.customer_id = d.customer_id AND b.month = d.month AND b.currency = d.currency AND b.version = d.xmin)
        UNION ALL
        SELECT b.month FROM t.perf_before b
         WHERE b.customer_id = c AND NOT EXISTS (SELECT FROM ar.collections_performance_data d WHERE b.customer_id = d.customer_id AND b.month = d.month AND b.currency = d.currency AND b.version = d.xmin)) x;
$$;
-- A customer's figures the refresh kept (same row version).
CREATE FUNCTION t.perf_kept(c text) RETURNS bigint LANGUAGE sql AS $$
    SELECT count(*) FROM ar.collections_performance_data d JOIN t.perf_before b USING (customer_id, month, currency)
     WHERE d.customer_id = c AND d.xmin = b.version;
$$;
-- The same for either store ('ledger' or 'performance'), and how many rows the given
-- customers had before the refresh.
CREATE FUNCTION t.rewritten_from(store text, c text) RETURNS date LANGUAGE sql AS $$
    SELECT CASE store WHEN 'ledger' THEN t.ledger_rewritten_from(c) ELSE t.perf_rewritten_from(c) END;
$$;
CREATE FUNCTION t.kept(store text, c text) RETURNS bigint LANGUAGE sql AS $$
    SELECT CASE store WHEN 'ledger' THEN t.ledger_kept(c) ELSE t.perf_kept(c) END;
$$;
CREATE FUNCTION t.had(store text, customers text[]) RETURNS bigint LANGUAGE sql AS $$
    SELECT CASE store WHEN 'ledger' THEN (SELECT count(*) FROM t.ledger_before b WHERE b.customer_id = ANY (customers))
                      ELSE (SELECT count(*) FROM t.perf_before b WHERE b.customer_id = ANY (customers)) END;
$$;
-- The collections performance view, to compare it with a full rebuild's: as values (its
-- figures add up kept totals, whose scale can differ from a fresh sum's: 0.00 for 0).
CREATE FUNCTION t.performance_view() RETURNS SETOF ar.collections_performance LANGUAGE sql AS $$
    SELECT * FROM ar.collections_performance p;
$$;
-- The row versions of the stored health rows before a refresh, to see which it rewrote.
CREATE TABLE t.before (customer_id text PRIMARY KEY, version xid);
CREATE FUNCTION t.remember() RETURNS void LANGUAGE sql AS $$
    DELETE FROM t.before; INSERT INTO t.before SELECT customer_id, xmin FROM ar.customer_health_data;
$$;
CREATE FUNCTION t.rewritten() RETURNS bigint LANGUAGE sql AS $$
    SELECT count(*) FROM ar.customer_health_data d LEFT JOIN t.before b USING (customer_id) WHERE b.version IS DISTINCT FROM d.xmin;
$$;

-- 1. The first refresh rebuilds everything.
SELECT t.eq(ar.refresh('2026-05-31') LIKE 'succeeded%', true, 'first refresh succeeds');
SELECT t.eq(t.last_recomputed() ->> 'full', 'true', 'the first refresh recomputes every customer');
SELECT t.eq(t.state_diff(), 'open items 0, health 0, performance 0, month-end ledger 0, payment behaviour 0, promise statuses 0, worklist accounts 0, aging accounts 0', 'after the first refresh the stored state equals the definitions');
SELECT t.ok((SELECT count(*) FROM ar.open_items_snapshot) > 0 AND (SELECT count(*) FROM ar.customer_health) = 300, 'the demo has open items and 300 customers');
SELECT t.eq(t.last_performance() ->> 'full', 'true', 'the first refresh computes every customer''s performance');
SELECT t.ok((SELECT count(DISTINCT customer_id) FROM ar.collections_performance_data) > 200, 'most customers have performance rows');

-- 2. The date moves one day, no data changes: only the customers the date moves are
-- recomputed (ar._customers_moved_by_date, computed here before the refresh), the
-- others keep their row versions, and the ages of the kept rows grew by one day.
SELECT t.remember();
CREATE TEMP TABLE moved AS SELECT ar._customers_moved_by_date('2026-05-31', '2026-06-01') AS customer_id;
CREATE TEMP TABLE kept_ages AS SELECT customer_id, oldest_past_due_days, oldest_open_dispute_days FROM ar.customer_health
 WHERE customer_id NOT IN (SELECT customer_id FROM moved);
-- (the payment behaviour: only the customers whose payments the date moves, a part of them)
CREATE TEMP TABLE pay_moved AS SELECT DISTINCT m AS customer_id FROM ar._payments_moved_by_date('2026-05-31', '2026-06-01') m;
CREATE TEMP TABLE behaviour_before AS SELECT customer_id, xmin::text AS version FROM ar.payment_behaviour_data;
-- (of them, those the date moves by their payments alone, 0.22.0: a payment leaving the
-- 12 months, dated 2025-06-01 = 06-01 - 365, or the 90 days, dated 2026-03-03 = 06-01 - 90;
-- their rows keep everything but the payment figures, which lose exactly those payments:
-- paid items counted here from the ledger, applied and not reversed by 06-01)
CREATE TEMP TABLE pay_only AS
SELECT h.customer_id, h.paid_items_12m, h.paid_items_90d, h.open_amount, h.credit_sales_90d, h.last_payment_date, h.oldest_past_due_days,
       (SELECT count(*) FROM ar.payments p WHERE p.customer_id = h.customer_id AND p.invoice_id IS NOT NULL AND p.payment_date = '2025-06-01'
           AND (p.reversed_on IS NULL OR p.reversed_on > '2026-06-01')) AS leaving_12m,
       (SELECT count(*) FROM ar.payments p WHERE p.customer_id = h.customer_id AND p.invoice_id IS NOT NULL AND p.payment_date = '2026-03-03'
           AND (p.reversed_on IS NULL OR p.reversed_on > '2026-06-01')) AS leaving_90d
  FROM ar.customer_health h
 WHERE h.customer_id IN (SELECT customer_id FROM pay_moved) AND h.customer_id NOT IN (SELECT customer_id FROM moved)
   AND h.customer_id NOT IN (SELECT customer_id FROM ar.invoices WHERE invoice_date = '2026-03-03');
-- (and those it moves by an invoice leaving the 90 days alone, dated 2026-03-03 = 06-01 -
-- 90: their 90-day sales lose that invoice's amount, in the customer's currency at its
-- date's rate, and their DSO is that of the new sales with the kept open amount; the rest
-- of the row stays; the set computed here from the invoices, not by the refresh's function)
CREATE TEMP TABLE sales_moved AS SELECT DISTINCT customer_id FROM ar.invoices WHERE invoice_date = '2026-03-03';
CREATE TEMP TABLE sales_only AS
SELECT h.customer_id, h.credit_sales_90d, h.open_amount, h.paid_items_12m, h.last_payment_date,
       (SELECT sum(CASE WHEN i.currency = c.currency THEN i.amount ELSE ar.convert(i.amount, i.currency, c.currency, i.invoice_date) END)
          FROM ar.invoices i JOIN ar.customers c USING (customer_id) WHERE i.customer_id = h.customer_id AND i.invoice_date = '2026-03-03') AS leaving
  FROM ar.customer_health h
 WHERE h.customer_id IN (SELECT customer_id FROM sales_moved) AND h.customer_id NOT IN (SELECT customer_id FROM moved)
   AND h.customer_id NOT IN (SELECT customer_id FROM pay_moved);
-- (the worklist accounts: only the customers whose account the date moves, a part of
-- them: an item falling past due, ledger rows dated 06-01, disputes, rates; an item
-- crossing 31, 61, 91 or 121 days moves the health row's aging but no account)
CREATE TEMP TABLE acc_moved AS SELECT DISTINCT m AS customer_id FROM ar._accounts_moved_by_date('2026-05-31', '2026-06-01') m;
CREATE TEMP TABLE accounts_before AS SELECT customer_id, xmin::text AS version FROM ar.worklist_accounts_data;
CREATE TEMP TABLE later_bound AS
SELECT DISTINCT o.customer_id FROM unnest(ARRAY[31, 61, 91, 121]) k
  JOIN ar.open_items_data o ON o.due_date > '2026-05-31'::date - k AND o.due_date <= '2026-06-01'::date - k
 WHERE o.customer_id NOT IN (SELECT customer_id FROM acc_moved) AND o.open_amount > 0;
-- (the open items per currency and aging bucket, 0.20.0: only the customers with an item
-- crossing an aging bound, 1, 31, 61, 91 or 121 days past due, or a ledger row dated 06-01;
-- the set computed here from the open items and the ledger, not by the function the
-- refresh calls)
CREATE TEMP TABLE aging_moved AS
SELECT DISTINCT x.customer_id FROM (
    SELECT o.customer_id FROM unnest(ARRAY[1, 31, 61, 91, 121]) k
      JOIN ar.open_items('2026-06-01') o ON o.due_date = '2026-06-01'::date - k
    UNION ALL SELECT customer_id FROM ar.invoices WHERE invoice_date = '2026-06-01'
    UNION ALL SELECT customer_id FROM ar.payments WHERE payment_date = '2026-06-01' OR reversed_on = '2026-06-01'
    UNION ALL SELECT i.customer_id FROM ar.adjustments a JOIN ar.invoices i USING (invoice_id) WHERE a.adjustment_date = '2026-06-01') x;
CREATE TEMP TABLE aging_before AS SELECT customer_id, currency, bucket, xmin::text AS version FROM ar.aging_account_data;
-- (the early warnings: a warning the same on both days keeps its stored row)
CREATE TEMP TABLE warnings_before AS SELECT customer_id, kind, severity, since, message, xmin::text AS version FROM ar.early_warnings_mv;
SELECT t.eq(ar.refresh('2026-06-01') LIKE 'succeeded%', true, 'as of +1 day succeeds');
SELECT t.eq(t.last_recomputed() ->> 'full', 'false', 'a day with no change is incremental');
SELECT t.eq((t.last_recomputed() ->> 'rows')::bigint, (SELECT count(*) FROM moved), 'it recomputes exactly the customers the date moves');
SELECT t.eq((t.last_recomputed() ->> 'payment_behaviour')::bigint, (SELECT count(*) FROM pay_moved),
            'and the payment behaviour of exactly those whose payments it moves (dated, reversed, leaving the 90 days or 12 months)');
SELECT t.ok((SELECT count(*) FROM pay_moved) BETWEEN 1 AND (SELECT count(*) - 1 FROM moved), 'fewer than the health rows (an item crossing an aging bound moves no payment)');
SELECT t.eq((SELECT count(*) FROM ar.payment_behaviour_data b JOIN behaviour_before p USING (customer_id)
              WHERE b.xmin::text <> p.version AND b.customer_id NOT IN (SELECT customer_id FROM pay_moved)), 0::bigint,
            'the other customers'' payment behaviour rows are not rewritten');
SELECT t.eq((t.last_recomputed() ->> 'worklist_accounts')::bigint, (SELECT count(*) FROM acc_moved),
            'and the worklist accounts of exactly those whose account it moves');
SELECT t.ok((SELECT count(*) FROM acc_moved) BETWEEN 1 AND (SELECT count(*) - 1 FROM moved), 'fewer than the health rows');
SELECT t.ok((SELECT count(*) FROM acc_moved a WHERE a.customer_id NOT IN (SELECT customer_id FROM moved)) = 0, 'and all of them among the health rows'' set');
SELECT t.eq((SELECT count(*) FROM ar.worklist_accounts_data a JOIN accounts_before b USING (customer_id)
              WHERE a.xmin::text <> b.version AND a.customer_id NOT IN (SELECT customer_id FROM acc_moved)), 0::bigint,
            'the other customers'' worklist accounts are not rewritten');
SELECT t.ok((SELECT count(*) FROM later_bound l JOIN accounts_before b USING (customer_id)) > 0,
            'among them customers with a past-due item crossing a later aging bound (their health row is recomputed, their account kept)');
SELECT t.eq((SELECT views -> 'aging_account_data' ->> 'customers' FROM ar.refresh_log WHERE status = 'succeeded' ORDER BY run_id DESC LIMIT 1)::bigint,
            (SELECT count(*) FROM aging_moved), 'the aging accounts of exactly the customers with an item crossing an aging bound or a ledger row dated that day');
SELECT t.ok((SELECT count(*) FROM aging_moved) BETWEEN 1 AND (SELECT count(*) - 1 FROM moved), 'fewer than the health rows (a payment leaving a window moves no aging)');
SELECT t.eq((SELECT count(*) FROM ar.aging_account_data a JOIN aging_before b USING (customer_id, currency, bucket)
              WHERE a.xmin::text <> b.version AND a.customer_id NOT IN (SELECT customer_id FROM aging_moved)), 0::bigint,
            'the other customers'' aging accounts are not rewritten');
SELECT t.ok((SELECT count(*) FROM ar.aging_account_data a JOIN aging_before b USING (customer_id, currency, bucket)
              WHERE a.xmin::text = b.version) > 100, 'and there are such kept rows (more than 100)');
SELECT t.eq((SELECT count(*) FROM ar.early_warnings_mv w JOIN warnings_before b USING (customer_id, kind, severity, since, message)
              WHERE w.xmin::text <> b.version), 0::bigint, 'an early warning the same on both days is not rewritten');
SELECT t.ok((SELECT count(*) FROM ar.early_warnings_mv w JOIN warnings_before b USING (customer_id, kind, severity, since, message)) > 10,
            'and there are such warnings (more than 10 kept)');
SELECT t.eq((SELECT count(DISTINCT as_of)::text || ' ' || min(as_of) FROM ar.early_warnings), '1 2026-06-01', 'the published warnings carry the new date');
SELECT t.ok((SELECT count(*) FROM moved) BETWEEN 1 AND 299, 'the date moves some customers, not all');
SELECT t.eq(t.rewritten(), (SELECT count(*) FROM moved)
                           + (SELECT count(*) FROM (SELECT customer_id FROM pay_moved UNION SELECT customer_id FROM sales_moved) x
                               WHERE x.customer_id NOT IN (SELECT customer_id FROM moved)),
            'only their rows are rewritten, and those of the customers whose payments or invoices alone it moves');
SELECT t.eq((t.last_recomputed() ->> 'payment_figures')::bigint, (SELECT count(*) FROM pay_moved WHERE customer_id NOT IN (SELECT customer_id FROM moved)),
            'those take new payment figures only (logged as payment_figures)');
SELECT t.eq((t.last_recomputed() ->> 'sales_figures')::bigint, (SELECT count(*) FROM sales_moved WHERE customer_id NOT IN (SELECT customer_id FROM moved)),
            'or new 90-day sales only (logged as sales_figures)');
SELECT t.ok((SELECT count(*) FROM sales_only) > 0, 'there are customers whose invoices alone the date moves');
SELECT t.eq((SELECT count(*) FROM sales_only o JOIN ar.customer_health h USING (customer_id)
              WHERE h.credit_sales_90d <> o.credit_sales_90d - o.leaving
                 OR h.dso_90d IS DISTINCT FROM ar.dso(greatest(o.open_amount, 0), o.credit_sales_90d - o.leaving, 90)), 0::bigint,
            'their 90-day sales: the day before''s minus the invoices dated 2026-03-03; their DSO that of the new sales');
SELECT t.eq((SELECT count(*) FROM sales_only o JOIN ar.customer_health h USING (customer_id)
              WHERE (h.open_amount, h.paid_items_12m, h.last_payment_date) IS DISTINCT FROM (o.open_amount, o.paid_items_12m, o.last_payment_date)), 0::bigint,
            'the rest of their rows kept (open amount, paid items, last payment)');
SELECT t.ok((SELECT count(*) FROM pay_only) > 0 AND (SELECT count(*) FROM pay_only WHERE leaving_12m + leaving_90d > 0) = (SELECT count(*) FROM pay_only),
            'there are such customers, each with a payment leaving a window');
SELECT t.eq((SELECT count(*) FROM pay_only o JOIN ar.customer_health h USING (customer_id)
              WHERE h.paid_items_12m <> o.paid_items_12m - o.leaving_12m OR h.paid_items_90d <> o.paid_items_90d - o.leaving_90d), 0::bigint,
            'their paid items: the day before''s minus the payments that left the 12 months and the 90 days');
SELECT t.eq((SELECT count(*) FROM pay_only o JOIN ar.customer_health h USING (customer_id)
              WHERE (h.open_amount, h.credit_sales_90d, h.last_payment_date) IS DISTINCT FROM (o.open_amount, o.credit_sales_90d, o.last_payment_date)
                 OR h.oldest_past_due_days IS DISTINCT FROM CASE WHEN o.oldest_past_due_days > 0 THEN o.oldest_past_due_days + 1 ELSE 0 END), 0::bigint,
            'the rest of their rows kept (open amount, 90-day sales, last payment; the oldest past-due item a day older)');
SELECT t.eq((SELECT count(*) FROM ar.customer_health_data d WHERE d.as_of <> '2026-05-31'
                AND d.customer_id IN (SELECT customer_id FROM pay_only UNION ALL SELECT customer_id FROM sales_only)), 0::bigint,
            'and both kinds of rows keep the date they were computed on');
SELECT t.eq((SELECT count(*) FROM ar.customer_health h JOIN kept_ages k USING (customer_id)
              WHERE h.oldest_past_due_days IS DISTINCT FROM CASE WHEN k.oldest_past_due_days > 0 THEN k.oldest_past_due_days + 1 ELSE 0 END
                 OR h.oldest_open_dispute_days IS DISTINCT FROM k.oldest_open_dispute_days + 1), 0::bigint,
            'a kept row shows its oldest past-due item and open dispute one day older (0 and NULL stay)');
SELECT t.ok((SELECT count(*) FROM kept_ages WHERE oldest_past_due_days > 0) > 0, 'some kept rows have a past-due item (the shift is exercised)');
SELECT t.eq(t.state_diff(), 'open items 0, health 0, performance 0, month-end ledger 0, payment behaviour 0, promise statuses 0, worklist accounts 0, aging accounts 0', 'as of +1 day: stored state equals the definitions');
SELECT t.eq(t.last_performance() ->> 'full', 'false', '05-31 -> 06-01 starts a month: the performance is not rebuilt (May is complete, its figures stay)');
SELECT t.eq((t.last_performance() ->> 'customers')::bigint, (SELECT count(*) FROM ar._ledger_moved_by_date('2026-05-31', '2026-06-01')),
            'it recomputes the customers with ledger rows dated 06-01 and adds the others'' June rows');
SELECT t.eq((SELECT count(*) FROM ar.collections_performance_data WHERE month < '2025-07-01'), 0::bigint, 'June 2025 left the 12 months: its rows are gone');
SELECT t.ok((SELECT count(DISTINCT customer_id) FROM ar.collections_performance_data WHERE month = '2026-06-01') > 100, 'and many customers have June rows (a past-due balance on 06-01)');
SELECT t.eq(t.last_ledger() ->> 'full', 'false', 'nor the month-end ledger''s entries (they do not depend on the date)');
SELECT t.eq((t.last_ledger() ->> 'customers')::bigint, (SELECT count(*) FROM ar._ledger_moved_by_date('2026-05-31', '2026-06-01')),
            'it recomputes the customers with ledger rows dated 06-01');

-- 3. The same date again with no change recomputes nobody.
SELECT t.remember();
SELECT t.perf_remember();
SELECT t.eq(ar.refresh('2026-06-01') LIKE 'succeeded%', true, 'same date again succeeds');
SELECT t.eq(t.last_recomputed() ->> 'rows', '0', 'no change, same date: nobody recomputed');
SELECT t.eq(t.rewritten(), 0::bigint, 'and no row rewritten');
SELECT t.eq(t.last_performance() ->> 'customers', '0', 'no change, same date: no customer''s performance recomputed');
SELECT t.eq(t.perf_rewritten(), NULL, 'and no performance row rewritten');

-- 4. A day's load: new invoices and payments for a few customers (plain DML).
SELECT t.remember();
SELECT t.perf_remember();
SELECT t.ledger_remember();
INSERT INTO ar.invoices (invoice_id, customer_id, invoice_date, due_date, amount, currency)
SELECT 'NEW-' || c.customer_id, c.customer_id, '2026-06-01', '2026-07-01', 1234.56, c.currency
  FROM ar.customers c ORDER BY c.customer_id LIMIT 3;
-- (the demo's ledger runs to 2026-06-30: what is left open at its end, so nothing is over-applied)
INSERT INTO ar.payments (customer_id, invoice_id, payment_date, amount, currency)
SELECT 'C000010', o.invoice_id, '2026-06-01', o.open_amount, i.currency FROM ar.open_items('2026-12-31') o JOIN ar.invoices i USING (invoice_id)
 WHERE o.customer_id = 'C000010' AND o.invoice_date <= '2026-06-01' ORDER BY o.invoice_id LIMIT 1;
SELECT t.eq(ar.refresh('2026-06-01') LIKE 'succeeded%', true, 'refresh after a load succeeds');
SELECT t.eq(t.last_recomputed() ->> 'rows', (SELECT count(DISTINCT x)::text FROM ((SELECT customer_id FROM ar.customers ORDER BY customer_id LIMIT 3) UNION SELECT 'C000010') y(x)),
            'it recomputes the 4 customers loaded (3 invoiced, 1 paid)');
SELECT t.eq(t.rewritten(), 4::bigint, 'and rewrites their 4 rows only');
SELECT t.eq(t.state_diff(), 'open items 0, health 0, performance 0, month-end ledger 0, payment behaviour 0, promise statuses 0, worklist accounts 0, aging accounts 0', 'after inserts: stored state equals the definitions');
SELECT t.eq(t.last_performance() ->> 'customers', '4', 'the collections performance recomputes the same 4 customers');
SELECT t.eq(t.last_ledger() ->> 'customers', '4', 'and so does the month-end ledger');
-- (every row of the load is dated 06-01: their entries are under June, the earlier ones stay)
SELECT t.eq((SELECT string_agg(DISTINCT t.ledger_rewritten_from(x)::text, ',')
               FROM ((SELECT customer_id FROM ar.customers ORDER BY customer_id LIMIT 3) UNION SELECT 'C000010') y(x)), '2026-06-01',
            'the month-end ledger rewrites their entries from June (the month of the load''s date) on');
SELECT t.ok((SELECT bool_and(t.ledger_kept(x) > 0) FROM ((SELECT customer_id FROM ar.customers ORDER BY customer_id LIMIT 3) UNION SELECT 'C000010') y(x)),
            'and keeps each one''s entries of the months before');
-- (0.21.0: the performance figures from the month of the load's date, June, on; the
-- expected rows are those 4 customers' June rows before or after the refresh)
CREATE TEMP TABLE loaded AS SELECT array_agg(x) AS ids FROM ((SELECT customer_id FROM ar.customers ORDER BY customer_id LIMIT 3) UNION SELECT 'C000010') y(x);
SELECT t.ok((SELECT t.perf_months_from(ids, '2026-06-01') FROM loaded) LIKE '%C000010 2026-06-01%', 'the paying customer has June figures (the payment''s cash)');
SELECT t.eq(t.perf_rewritten_months(), (SELECT t.perf_months_from(ids, '2026-06-01') FROM loaded),
            'only the performance rows of those 4 customers are rewritten, and only their June rows (the month of the load''s date)');
SELECT t.ok((SELECT count(*) FROM ar.collections_performance_data d JOIN t.perf_before b USING (customer_id, month, currency), loaded
              WHERE d.customer_id = ANY (loaded.ids) AND d.month < '2026-06-01' AND d.xmin = b.version) > 10,
            'their rows of the months before are kept (more than 10)');

-- 5. Updates, deletes, a backdated payment, a void, a dispute, a hold, a promise, a customer's terms.
SELECT t.ledger_remember();
SELECT t.perf_remember();
UPDATE ar.invoices SET amount = amount + 100 WHERE invoice_id = 'NEW-' || (SELECT min(customer_id) FROM ar.customers);
DELETE FROM ar.payments WHERE payment_id = (SELECT max(payment_id) FROM ar.payments);
-- (the backdated payment: on the first invoice of April or before left open at the demo's
-- end of a customer not otherwise changed here)
CREATE TEMP TABLE backdated AS
SELECT o.customer_id, o.invoice_id FROM ar.open_items('2026-12-31') o
 WHERE o.invoice_date <= '2026-04-15' AND o.open_amount > 1 AND o.customer_id BETWEEN 'C000011' AND 'C000029'
 ORDER BY o.customer_id, o.invoice_id LIMIT 1;
INSERT INTO ar.payments (customer_id, invoice_id, payment_date, amount, currency)
SELECT b.customer_id, b.invoice_id, '2026-04-15', 1.00, i.currency FROM backdated b JOIN ar.invoices i USING (invoice_id);
INSERT INTO ar.adjustments (invoice_id, adjustment_date, amount, kind)
SELECT o.invoice_id, '2026-06-01', o.open_amount, 'credit_memo' FROM ar.open_items('2026-12-31') o   -- a void
 WHERE o.customer_id = 'C000030' AND o.open_amount > 0 AND o.invoice_date <= '2026-06-01' ORDER BY o.invoice_id LIMIT 1;
INSERT INTO ar.disputes (dispute_id, invoice_id, opened_at)
SELECT 'D-T20', o.invoice_id, '2026-05-20 10:00+00' FROM ar.open_items_snapshot o WHERE o.customer_id = 'C000040' ORDER BY o.invoice_id LIMIT 1;
INSERT INTO ar.order_holds (hold_id, customer_id, placed_at) VALUES ('H-T20', 'C000050', '2026-05-30 09:00+00');
INSERT INTO ar.promises (promise_id, customer_id, made_on, promised_date, amount) VALUES ('P-T20', 'C000060', '2026-05-28', '2026-06-03', 500);
UPDATE ar.customers SET credit_limit = coalesce(credit_limit, 0) + 1000, payment_terms_days = 45 WHERE customer_id = 'C000070';
-- a backdated call before a late payment of May that had no contact: the payment now counts
-- in the days to collect after contact (the activity log is noted like the ledger)
CREATE TEMP TABLE late AS
SELECT p.customer_id, p.invoice_id, i.due_date, p.payment_date
  FROM ar.payments p JOIN ar.invoices i USING (invoice_id)
 WHERE p.payment_date BETWEEN '2026-05-01' AND '2026-05-31' AND p.payment_date > i.due_date + 1
   AND p.customer_id NOT IN ('C000001', 'C000010', 'C000030', 'C000070') AND p.customer_id NOT IN (SELECT customer_id FROM backdated)   -- (changed above)
   AND NOT EXISTS (SELECT FROM ar.activities a WHERE a.customer_id = p.customer_id AND a.happened_at < (p.payment_date + 1)::timestamptz
                                                 AND a.happened_at >= (i.due_date + 1)::timestamptz)
 ORDER BY p.payment_id LIMIT 1;
-- before: May's payments after contact; gain: the invoice's late May payments (this one, and
-- any other part payment of it) with no contact yet, which the call (on the day after the
-- due date, before each of them) gives one
CREATE TEMP TABLE late_before AS
SELECT (SELECT coalesce(sum(d.contact_payments), 0) FROM ar.collections_performance_data d WHERE d.customer_id = late.customer_id AND d.month = '2026-05-01') AS n,
       (SELECT count(*) FROM ar.payments p
         WHERE p.invoice_id = late.invoice_id AND p.payment_date BETWEEN '2026-05-01' AND '2026-05-31' AND p.payment_date > late.due_date
           AND NOT EXISTS (SELECT FROM ar.activities a WHERE a.customer_id = p.customer_id AND (a.invoice_id IS NULL OR a.invoice_id = p.invoice_id)
                                                         AND a.happened_at >= (late.due_date + 1)::timestamptz AND a.happened_at < (p.payment_date + 1)::timestamptz)) AS gain
  FROM late;
INSERT INTO ar.activities (customer_id, invoice_id, happened_at, channel, action)
SELECT customer_id, invoice_id, (due_date + 1)::timestamptz + interval '10 hours', 'phone', 'call' FROM late;
SELECT t.eq(ar.refresh('2026-06-01') LIKE 'succeeded%', true, 'refresh after updates, deletes, backdated rows succeeds');
SELECT t.eq(t.last_recomputed() ->> 'full', 'false', 'still incremental');
SELECT t.eq(t.state_diff(), 'open items 0, health 0, performance 0, month-end ledger 0, payment behaviour 0, promise statuses 0, worklist accounts 0, aging accounts 0', 'after updates, deletes, a backdated payment, a void, a dispute, a hold, a promise, new terms, a backdated call: stored state equals the definitions');
SELECT t.eq(t.last_performance() ->> 'full', 'false', 'the collections performance is kept incrementally too');
-- the month-end ledger from the earliest ledger date changed: the payment dated 04-15
-- (April on), C000070's customer row (every entry: a segment may have changed); a
-- dispute (C000040), a hold (C000050), a promise (C000060) change no ledger entry
SELECT t.eq((SELECT count(*) FROM ar.payments p JOIN backdated b USING (customer_id, invoice_id) WHERE p.payment_date = '2026-04-15'), 1::bigint,
            'the demo has an invoice of April or before to pay late (the backdated payment is there)');
-- and the collections performance figures likewise from the month of the earliest date
-- a change concerns (0.21.0; the figures read no dispute, hold or promise either)
SELECT t.eq(t.rewritten_from(v.store, (SELECT customer_id FROM backdated)), '2026-04-01'::date,
            format('a payment backdated to 04-15 rewrites the customer''s %s from April on', v.what)),
       t.ok(t.kept(v.store, (SELECT customer_id FROM backdated)) > 0, format('and keeps its %s of the months before', v.what)),
       t.eq(t.kept(v.store, 'C000070'), 0::bigint, format('a change of the customer''s row rewrites all of its %s', v.what)),
       t.ok(t.had(v.store, ARRAY['C000070']) > 0, format('(it has %s)', v.what)),
       t.eq(concat_ws(',', t.rewritten_from(v.store, 'C000040'), t.rewritten_from(v.store, 'C000050'), t.rewritten_from(v.store, 'C000060')), '',
            format('a dispute, a hold or a promise rewrites no %s', v.what)),
       t.ok(t.had(v.store, ARRAY['C000040', 'C000050', 'C000060']) > 0, format('(they have %s)', v.what))
  FROM (VALUES ('ledger', 'month-end ledger entries'), ('performance', 'performance figures')) v(store, what);
SELECT t.eq((SELECT count(*) FROM late), 1::bigint, 'the demo has a late payment in May without a contact before it');
-- the backdated call (on the day after the due date, 10:00 UTC) rewrites its customer's
-- figures from the month of the day before its UTC date: the due date's month (the demo's
-- late customer has no other change here)
SELECT t.eq((SELECT count(*) FROM late WHERE customer_id IN ('C000001', 'C000010', 'C000030', 'C000070') OR customer_id IN (SELECT customer_id FROM backdated)), 0::bigint,
            '(the late payment''s customer is not otherwise changed here)');
SELECT t.eq((SELECT string_agg(x, ',' ORDER BY x) FROM unnest(string_to_array(t.perf_rewritten_months(), ',')) x, late WHERE x LIKE late.customer_id || ' %'),
            (SELECT t.perf_months_from(ARRAY[customer_id], date_trunc('month', due_date)::date) FROM late),
            'a backdated call rewrites the customer''s figures from the month of its due date (the call''s day before, in any time zone) on');
SELECT t.ok(t.perf_kept((SELECT customer_id FROM late)) > 0, 'and keeps those of the months before');
SELECT t.eq((SELECT sum(d.contact_payments) FROM ar.collections_performance_data d, late WHERE d.customer_id = late.customer_id AND d.month = '2026-05-01'),
            (SELECT n + gain FROM late_before), 'the backdated call adds that invoice''s late payments without a contact to May''s payments after contact');
-- The view kept incrementally equals a full rebuild's at the same date, row for row.
CREATE TEMP TABLE perf_incremental AS SELECT * FROM t.performance_view() v;
CREATE TEMP TABLE kpis_incremental AS SELECT * FROM t.kpis_view() v;
SELECT t.eq(ar.refresh('2026-06-01', full => true) LIKE 'succeeded%', true, 'a full rebuild at the same date succeeds');
SELECT t.eq((SELECT count(*) FROM ((SELECT * FROM perf_incremental EXCEPT ALL SELECT * FROM t.performance_view())
                                   UNION ALL (SELECT * FROM t.performance_view() EXCEPT ALL SELECT * FROM perf_incremental)) x), 0::bigint,
            'ar.collections_performance after incremental refreshes equals the full rebuild''s, row for row');
SELECT t.eq((SELECT count(*) FROM ((SELECT * FROM kpis_incremental EXCEPT ALL SELECT * FROM t.kpis_view())
                                   UNION ALL (SELECT * FROM t.kpis_view() EXCEPT ALL SELECT * FROM kpis_incremental)) x), 0::bigint,
            'so does ar.portfolio_kpis_monthly');

-- 6. Dates that move many things: +2 days (the promise falls due and is broken the day
-- after, the dispute and hold age), +31 days (aging bounds, windows).
CREATE TEMP TABLE perf_moved AS SELECT ar._ledger_moved_by_date('2026-06-01', '2026-06-04') AS customer_id;
SELECT t.eq(ar.refresh('2026-06-04') LIKE 'succeeded%', true, 'as of +3 days succeeds');
SELECT t.eq(t.last_performance() ->> 'full', 'false', 'a move within the month keeps the performance incrementally');
SELECT t.eq((t.last_performance() ->> 'customers')::bigint, (SELECT count(*) FROM perf_moved), 'it recomputes exactly the customers whose cash or credits the date reached');
SELECT t.eq((t.last_ledger() ->> 'customers')::bigint, (SELECT count(*) FROM perf_moved), 'so does the month-end ledger');
SELECT t.eq((SELECT views -> 'promise_status_data' ->> 'full' FROM ar.refresh_log ORDER BY run_id DESC LIMIT 1), 'false', 'the promise statuses are kept incrementally');
SELECT t.eq((SELECT (views -> 'promise_status_data' ->> 'customers')::bigint FROM ar.refresh_log ORDER BY run_id DESC LIMIT 1),
            (SELECT count(DISTINCT customer_id) FROM ar.promises WHERE promised_date >= '2026-06-01' OR made_on BETWEEN '2026-06-02' AND '2026-06-04'),
            'recomputing the customers with a promise open on 06-01 or made since (a decided promise stays)');
SELECT t.ok((SELECT count(*) FROM perf_moved) BETWEEN 1 AND 299, 'the demo''s ledger has such rows dated 06-02..06-04 (some customers, not all)');
SELECT t.eq((SELECT promises_broken_12m FROM ar.customer_health WHERE customer_id = 'C000060') >= 1, true, 'the promise due 06-03 is broken on 06-04');
SELECT t.eq(t.state_diff(), 'open items 0, health 0, performance 0, month-end ledger 0, payment behaviour 0, promise statuses 0, worklist accounts 0, aging accounts 0', 'as of +3 days: stored state equals the definitions');
SELECT t.eq(ar.refresh('2026-07-05') LIKE 'succeeded%', true, 'as of +31 days succeeds');
SELECT t.eq(t.state_diff(), 'open items 0, health 0, performance 0, month-end ledger 0, payment behaviour 0, promise statuses 0, worklist accounts 0, aging accounts 0', 'as of +31 days: stored state equals the definitions');

-- 7. Changes that must rebuild everything: a rate in effect, a TRUNCATE, a backwards move, full => true.
INSERT INTO ar.fx_rates (from_currency, to_currency, rate_date, rate)
SELECT f.from_currency, f.to_currency, '2026-06-15', f.rate * 1.01 FROM ar.fx_rates f
 WHERE f.rate_date = (SELECT max(rate_date) FROM ar.fx_rates WHERE rate_date < '2026-06-15') LIMIT 1
ON CONFLICT (from_currency, to_currency, rate_date) DO UPDATE SET rate = excluded.rate;
SELECT t.eq(ar.refresh('2026-07-05') LIKE 'succeeded%', true, 'refresh after a rate change succeeds');
SELECT t.eq(t.last_recomputed() ->> 'full', 'true', 'a rate dated before the stored date rebuilds everything');
SELECT t.eq(t.state_diff(), 'open items 0, health 0, performance 0, month-end ledger 0, payment behaviour 0, promise statuses 0, worklist accounts 0, aging accounts 0', 'after a rate change: stored state equals the definitions');
SELECT t.eq(ar.refresh('2026-06-20') LIKE 'succeeded%', true, 'a backwards move succeeds');
SELECT t.eq(t.last_recomputed() ->> 'full', 'true', 'a backwards move rebuilds everything');
SELECT t.eq(t.state_diff(), 'open items 0, health 0, performance 0, month-end ledger 0, payment behaviour 0, promise statuses 0, worklist accounts 0, aging accounts 0', 'after a backwards move: stored state equals the definitions');
TRUNCATE ar.order_holds;
SELECT t.eq(ar.refresh('2026-06-20') LIKE 'succeeded%', true, 'refresh after a TRUNCATE succeeds');
SELECT t.eq(t.last_recomputed() ->> 'full', 'true', 'a TRUNCATE rebuilds everything');
SELECT t.eq(t.state_diff(), 'open items 0, health 0, performance 0, month-end ledger 0, payment behaviour 0, promise statuses 0, worklist accounts 0, aging accounts 0', 'after a TRUNCATE: stored state equals the definitions');
SELECT t.eq(ar.refresh('2026-06-21', full => true) LIKE 'succeeded%', true, 'full => true succeeds');
SELECT t.eq(t.last_recomputed() ->> 'full', 'true', 'full => true rebuilds everything');
SELECT t.eq(t.state_diff(), 'open items 0, health 0, performance 0, month-end ledger 0, payment behaviour 0, promise statuses 0, worklist accounts 0, aging accounts 0', 'after full => true: stored state equals the definitions');

-- 8. A policy or strategy change reaches the views that read the health rows (those are
-- refreshed whole): the ratings of the day equal a recomputation.
UPDATE ar.rating_policy SET slip_warning_days = slip_warning_days + 1;
SELECT t.eq(ar.refresh('2026-06-22') LIKE 'succeeded%', true, 'refresh after a policy change succeeds');
SELECT t.eq(t.last_recomputed() ->> 'full', 'false', 'a policy change does not recompute the customer state');
SELECT t.eq(t.state_diff(), 'open items 0, health 0, performance 0, month-end ledger 0, payment behaviour 0, promise statuses 0, worklist accounts 0, aging accounts 0', 'after a policy change: stored state equals the definitions');
-- New rating bounds move customers to other risk segments, and one customer gets another
-- collector: the collections performance's totals (0.19.0) move those customers' sums to
-- their new group (ar._store_performance_groups; t.state_diff compares the totals with the
-- stored rows summed per current collector and segment).
CREATE TEMP TABLE segments_before AS SELECT customer_id, risk_segment FROM ar.customer_risk;
INSERT INTO ar.rating_policy (rating_bounds) VALUES ('{5,10,15,20}') ON CONFLICT (singleton) DO UPDATE SET rating_bounds = excluded.rating_bounds;
UPDATE ar.customers SET collector = 'T20 collector' WHERE customer_id = (SELECT min(customer_id) FROM ar.collections_performance_data);
SELECT t.eq(ar.refresh('2026-06-22') LIKE 'succeeded%', true, 'refresh after new rating bounds and a collector change succeeds');
SELECT t.ok((SELECT count(*) FROM segments_before b JOIN ar.customer_risk r USING (customer_id) WHERE r.risk_segment <> b.risk_segment) > 0,
            'the bounds moved customers to other risk segments');
SELECT t.eq((SELECT (views -> 'collections_performance_groups' ->> 'rows')::bigint FROM ar.refresh_log ORDER BY run_id DESC LIMIT 1),
            (SELECT count(*) FROM segments_before b JOIN ar.customer_risk r USING (customer_id) JOIN ar.customers c USING (customer_id)
              WHERE r.risk_segment <> b.risk_segment OR c.collector = 'T20 collector'),
            'the customers regrouped: those whose segment changed and the one with the new collector');
SELECT t.eq((SELECT count(*) FROM ar.collections_performance WHERE dimension = 'collector' AND key = 'T20 collector'), 12::bigint,
            'the new collector has its 12 months in the view');
SELECT t.eq(t.state_diff(), 'open items 0, health 0, performance 0, month-end ledger 0, payment behaviour 0, promise statuses 0, worklist accounts 0, aging accounts 0', 'after new rating bounds and a collector change: stored state equals the definitions');
UPDATE ar.rating_policy SET rating_bounds = NULL;   -- (the default bounds from the next refresh on)

-- 9. Every day of a month, one refresh a day: the stored state stays equal throughout.
DO $$
DECLARE
    d date;
    bad text := '';
BEGIN
    FOR d IN SELECT g::date FROM generate_series('2026-06-23'::timestamp, '2026-07-10', interval '1 day') g LOOP
        INSERT INTO ar.payments (customer_id, invoice_id, payment_date, amount, currency)
        SELECT o.customer_id, o.invoice_id, d, least(o.open_amount, 10), i.currency
          FROM ar.open_items('2026-12-31') o JOIN ar.invoices i USING (invoice_id)
         WHERE o.open_amount > 0 AND o.invoice_date <= d ORDER BY md5(o.invoice_id || d) LIMIT 2;
        PERFORM ar.refresh(d);
        IF t.state_diff() <> 'open items 0, health 0, performance 0, month-end ledger 0, payment behaviour 0, promise statuses 0, worklist accounts 0, aging accounts 0' THEN
            bad := bad || format('%s: %s; ', d, t.state_diff());
        END IF;
        -- (the ADTP trend's totals, which the monthly KPIs read: equal to a rollup of its
        -- rows each day, across the month start, when a month leaves the window)
        IF t.trend_totals_diff() <> 0 THEN
            bad := bad || format('%s: ADTP trend totals %s; ', d, t.trend_totals_diff());
        END IF;
    END LOOP;
    PERFORM t.eq(bad, '', 'a refresh every day of 18 days, with two payments a day: stored state (and the ADTP trend totals) equals the definitions each day');
END $$;
SELECT t.eq((SELECT string_agg(as_of || ' ' || (views -> 'customers_recomputed'), '; ' ORDER BY run_id) FILTER (WHERE (views -> 'customers_recomputed' ->> 'full')::boolean)
               FROM ar.refresh_log WHERE run_id > (SELECT max(run_id) FROM ar.refresh_log WHERE as_of = '2026-06-22')), NULL,
            'each of those daily refreshes was incremental');
DO $$ BEGIN
    RAISE NOTICE 'report: daily refreshes of 300 customers, customers recomputed each day: %; of them for the collections performance: %',
        (SELECT string_agg(views -> 'customers_recomputed' ->> 'rows', ' ' ORDER BY run_id) FROM ar.refresh_log WHERE run_id > (SELECT max(run_id) FROM ar.refresh_log WHERE as_of = '2026-06-22')),
        (SELECT string_agg(views -> 'collections_performance_data' ->> 'customers', ' ' ORDER BY run_id) FROM ar.refresh_log WHERE run_id > (SELECT max(run_id) FROM ar.refresh_log WHERE as_of = '2026-06-22'));
END $$;
CREATE TEMP TABLE perf_daily AS SELECT * FROM t.performance_view() v;
CREATE TEMP TABLE kpis_daily AS SELECT * FROM t.kpis_view() v;
-- Every published view (but the collector-restricted ar.my_* ones), row by row as text.
CREATE FUNCTION t.all_views() RETURNS TABLE (view_name text, row_text text) LANGUAGE plpgsql AS $$
DECLARE
    v text;
BEGIN
    FOR v IN SELECT c.relname FROM pg_class c WHERE c.relnamespace = 'ar'::regnamespace AND c.relkind = 'v' AND c.relname NOT LIKE 'my\_%' ORDER BY 1 LOOP
        RETURN QUERY EXECUTE format('SELECT %L::text, x::text FROM ar.%I x', v, v);
    END LOOP;
END $$;
CREATE TEMP TABLE views_daily AS SELECT * FROM t.all_views();
SELECT t.eq(ar.refresh('2026-07-10', full => true) LIKE 'succeeded%', true, 'a full rebuild on the last of those days succeeds');
SELECT t.eq((SELECT count(*) FROM ((SELECT * FROM perf_daily EXCEPT ALL SELECT * FROM t.performance_view())
                                   UNION ALL (SELECT * FROM t.performance_view() EXCEPT ALL SELECT * FROM perf_daily)) x), 0::bigint,
            'after 10 daily refreshes into July, ar.collections_performance equals the full rebuild''s, row for row');
SELECT t.eq((SELECT count(*) FROM ((SELECT * FROM kpis_daily EXCEPT ALL SELECT * FROM t.kpis_view())
                                   UNION ALL (SELECT * FROM t.kpis_view() EXCEPT ALL SELECT * FROM kpis_daily)) x), 0::bigint,
            'so does ar.portfolio_kpis_monthly (through a month start, with invoices falling due every day)');
-- The forecast views read the outlook cells the refresh stored once for its date: they
-- equal the public functions, which compute the cells from the tables.
SELECT t.eq((SELECT count(*) FROM ((SELECT week, week_start, week_end, expected_amount, invoices, as_of, low_amount, high_amount, baseline_amount FROM ar.cash_forecast_weekly
                                    EXCEPT ALL SELECT * FROM ar.cash_forecast_at('2026-07-10'))
                                   UNION ALL (SELECT * FROM ar.cash_forecast_at('2026-07-10')
                                    EXCEPT ALL SELECT week, week_start, week_end, expected_amount, invoices, as_of, low_amount, high_amount, baseline_amount FROM ar.cash_forecast_weekly)) x)
            + (SELECT count(*) FROM ((SELECT * FROM ar.cash_forecast_detail EXCEPT ALL SELECT * FROM ar.cash_forecast_detail_at('2026-07-10'))
                                     UNION ALL (SELECT * FROM ar.cash_forecast_detail_at('2026-07-10') EXCEPT ALL SELECT * FROM ar.cash_forecast_detail)) x)
            + (SELECT count(*) FROM ((SELECT * FROM ar.expected_write_off EXCEPT ALL SELECT * FROM ar.expected_write_off_at('2026-07-10'))
                                     UNION ALL (SELECT * FROM ar.expected_write_off_at('2026-07-10') EXCEPT ALL SELECT * FROM ar.expected_write_off)) x),
            0::bigint, 'the weekly forecast, its detail and the expected write-off equal ar.cash_forecast_at, _detail_at and ar.expected_write_off_at');
SELECT t.ok((SELECT count(*) FROM ar.cash_forecast_detail) > 13 AND (SELECT count(*) FROM ar.expected_write_off) > 1, 'and they have rows');
SELECT t.eq((SELECT string_agg(DISTINCT view_name, ' ') FROM ((SELECT * FROM views_daily EXCEPT ALL SELECT * FROM t.all_views())
                                                         UNION ALL (SELECT * FROM t.all_views() EXCEPT ALL SELECT * FROM views_daily)) x), NULL,
            'every published view after those daily refreshes equals the full rebuild''s, row for row (a differing view is named)');
SELECT t.ok((SELECT count(DISTINCT view_name) FROM views_daily) >= 25, 'those views have rows (25 or more of them compared)');
