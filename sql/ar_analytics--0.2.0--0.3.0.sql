-- ar_analytics 0.2.0 -> 0.3.0
--
-- Also the tail of every fresh 0.3.0 install (src/lib.rs includes it after the 0.2.0
-- script), so fresh and upgraded databases are built by the same statements.
--
-- A performance release (issue #8, the daily refresh at 10 million invoices); the
-- figures and the API are unchanged:
-- 1. ar.month_end_receivables in one grouped pass over the ledger.
-- 2. ar.adtp_trend_monthly_mv stores no as-of date (the view adds it), so the daily
--    CONCURRENTLY refresh rewrites only the rows whose figures changed.
-- 3. The open-items snapshot is computed with sorted (merge) plans.

-- ---------------------------------------------------------------------------
-- Rebuilding a published view
-- ---------------------------------------------------------------------------

-- Dropping a view loses its grants and comments. The statements that give them back:
-- grants on the view and on its storage, the comment of the view and of its columns.
CREATE FUNCTION ar._view_restore_statements(view_name text, storage_name text) RETURNS text[]
STABLE LANGUAGE sql
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT coalesce((SELECT array_agg(format('GRANT %s ON ar.%I TO %s%s', a.privilege_type, c.relname,
                                             CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(a.grantee)) END,
                                             CASE WHEN a.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END) ORDER BY c.relname, a.privilege_type, a.grantee)
                       FROM pg_class c, aclexplode(c.relacl) a
                      WHERE c.relnamespace = 'ar'::regnamespace AND c.relname IN (view_name, storage_name) AND a.grantee <> c.relowner), '{}')
           || (SELECT format('COMMENT ON VIEW ar.%I IS %L', view_name, obj_description(c.oid, 'pg_class'))
                 FROM pg_class c WHERE c.relnamespace = 'ar'::regnamespace AND c.relname = view_name)
           || (SELECT coalesce(array_agg(format('COMMENT ON COLUMN ar.%I.%I IS %L', view_name, a.attname, col_description(a.attrelid, a.attnum)) ORDER BY a.attnum), '{}')
                 FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
                WHERE c.relnamespace = 'ar'::regnamespace AND c.relname = view_name AND a.attnum > 0 AND NOT a.attisdropped);
END;
COMMENT ON FUNCTION ar._view_restore_statements(text, text) IS 'Internal (upgrade scripts): the GRANT and COMMENT statements that give a rebuilt published view (and its storage) back its grants and comments.';

-- ---------------------------------------------------------------------------
-- 1. Month-end receivables in one pass
-- ---------------------------------------------------------------------------

-- Same definition as before (tests/sql/08_views.sql and 15_performance.sql check it
-- against ar.open_items at every month end), computed without expanding events per
-- month. An event (invoice, adjustment, payment) of an invoice counts at a month end
-- E = least(last day of the month, as_of) when it is dated <= E and so is its invoice,
-- that is from the month of since = greatest(event date, invoice date) on; it counts
-- as current (not past due) while also E <= due date, that is up to the month
--   until = the current month                     if due_date >= as_of
--         = the month of due_date                  if due_date is a month's last day
--         = the month before that of due_date      otherwise.
-- Events are summed per (segment, from month, until month): a few hundred groups,
-- whatever the size of the ledger; the months are then added up from those groups.
CREATE OR REPLACE FUNCTION ar.month_end_receivables(as_of date)
RETURNS TABLE (month date, segment text, ending_receivables numeric, ending_current_receivables numeric, beginning_receivables numeric)
STABLE PARALLEL SAFE LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
SET jit = off
AS $$
#variable_conflict use_column
DECLARE
    this_month constant date := date_trunc('month', as_of::timestamp)::date;
    first_month constant date := (date_trunc('month', as_of::timestamp) - interval '23 months')::date;
    -- every event dated before the 24 months is grouped under the month before them
    before_range constant date := (date_trunc('month', as_of::timestamp) - interval '24 months')::date;
BEGIN
    -- PL/pgSQL plans this with the actual as_of (a custom plan); as an SQL function
    -- called with (SELECT ar.as_of()) it would get a generic plan, ten times slower.
    RETURN QUERY
    WITH events AS (        -- every event that changes an invoice's open amount, dated <= as_of
        SELECT i.customer_id, i.invoice_date, i.due_date, i.invoice_date AS d, i.amount AS delta
          FROM ar.invoices i WHERE i.invoice_date <= month_end_receivables.as_of
        UNION ALL
        SELECT i.customer_id, i.invoice_date, i.due_date, a.adjustment_date,
               CASE WHEN a.kind = 'debit_memo' THEN a.amount ELSE -a.amount END
          FROM ar.adjustments a JOIN ar.invoices i ON i.invoice_id = a.invoice_id
         WHERE a.adjustment_date <= month_end_receivables.as_of AND i.invoice_date <= month_end_receivables.as_of
        UNION ALL
        SELECT i.customer_id, i.invoice_date, i.due_date, p.payment_date, -p.amount
          FROM ar.payments p JOIN ar.invoices i ON i.invoice_id = p.invoice_id
         WHERE p.payment_date <= month_end_receivables.as_of AND i.invoice_date <= month_end_receivables.as_of
    ), keyed AS (
        SELECT coalesce(c.segment, '(none)') AS segment, k.from_month,
               CASE WHEN u.until_month >= greatest(k.from_month, first_month) THEN u.until_month END AS until_month,
               e.delta
          FROM events e
          JOIN ar.customers c ON c.customer_id = e.customer_id
          CROSS JOIN LATERAL (SELECT greatest(date_trunc('month', greatest(e.d, e.invoice_date)::timestamp)::date, before_range) AS from_month) k
          CROSS JOIN LATERAL (SELECT CASE WHEN e.due_date >= month_end_receivables.as_of THEN this_month
                                          ELSE (date_trunc('month', (e.due_date + 1)::timestamp) - interval '1 month')::date END AS until_month) u
    ), grouped AS (
        SELECT k.segment, k.from_month, k.until_month, sum(k.delta) AS delta
          FROM keyed k GROUP BY k.segment, k.from_month, k.until_month
    )
    SELECT m.month, s.segment,
           coalesce(sum(g.delta), 0.00),
           coalesce(sum(g.delta) FILTER (WHERE g.until_month >= m.month), 0.00),
           coalesce(sum(g.delta) FILTER (WHERE g.from_month < m.month), 0.00)
      FROM ar.month_ends(month_end_receivables.as_of) m
      CROSS JOIN (SELECT DISTINCT g.segment FROM grouped g) s
      LEFT JOIN grouped g ON g.segment = s.segment AND g.from_month <= m.month
     GROUP BY m.month, s.segment;
END $$;

-- ---------------------------------------------------------------------------
-- 2. ADTP trend without the as-of date in its storage
-- ---------------------------------------------------------------------------

-- The as-of date changes every day; stored in each of the 3.5 million rows (10M
-- invoices) it made the daily CONCURRENTLY refresh rewrite them all. The view reads
-- it from ar.as_of(), set in the same transaction as the storage.
DO $$
DECLARE
    saved text[] := ar._view_restore_statements('adtp_trend_monthly', 'adtp_trend_monthly_mv');
    stmt text;
BEGIN
    DROP VIEW ar.adtp_trend_monthly;
    DROP MATERIALIZED VIEW ar.adtp_trend_monthly_mv;
    CREATE MATERIALIZED VIEW ar.adtp_trend_monthly_mv AS
    SELECT i.customer_id, c.segment, c.collector, c.payment_terms_days,
           date_trunc('month', p.payment_date::timestamp)::date AS month,
           ar.item_count(ar.payment_stats(i.invoice_date, i.due_date, p.payment_date, p.amount)) AS paid_items,
           ar.amount(ar.payment_stats(i.invoice_date, i.due_date, p.payment_date, p.amount)) AS paid_amount,
           ar.adtp(ar.payment_stats(i.invoice_date, i.due_date, p.payment_date, p.amount)) AS adtp,
           ar.adtp_weighted(ar.payment_stats(i.invoice_date, i.due_date, p.payment_date, p.amount)) AS adtp_weighted,
           ar.avg_days_late(ar.payment_stats(i.invoice_date, i.due_date, p.payment_date, p.amount)) AS avg_days_late,
           ar.avg_days_late_weighted(ar.payment_stats(i.invoice_date, i.due_date, p.payment_date, p.amount)) AS avg_days_late_weighted
      FROM ar.payments p
      JOIN ar.invoices i ON i.invoice_id = p.invoice_id
      JOIN ar.customers c ON c.customer_id = i.customer_id
     WHERE p.payment_date <= (SELECT ar.as_of())
       AND p.payment_date >= (date_trunc('month', (SELECT ar.as_of())::timestamp) - interval '23 months')::date
     GROUP BY i.customer_id, c.segment, c.collector, c.payment_terms_days, date_trunc('month', p.payment_date::timestamp)
    WITH NO DATA;
    CREATE UNIQUE INDEX adtp_trend_monthly_mv_key ON ar.adtp_trend_monthly_mv (customer_id, month);
    COMMENT ON MATERIALIZED VIEW ar.adtp_trend_monthly_mv IS 'Storage of ar.adtp_trend_monthly (without the as-of date, which the view adds); query the plain view.';
    CREATE VIEW ar.adtp_trend_monthly AS
    SELECT (SELECT ar.as_of()) AS as_of, m.customer_id, m.segment, m.collector, m.payment_terms_days, m.month,
           m.paid_items, m.paid_amount, m.adtp, m.adtp_weighted, m.avg_days_late, m.avg_days_late_weighted
      FROM ar.adtp_trend_monthly_mv m;
    FOREACH stmt IN ARRAY saved LOOP
        EXECUTE stmt;
    END LOOP;
END $$;

-- ---------------------------------------------------------------------------
-- 3. The open-items snapshot with merge plans
-- ---------------------------------------------------------------------------

-- ar.open_items sums the payments and adjustments of every invoice. Hashed, that is a
-- hash table of ten million invoices, spilled to disk in batches at the default
-- work_mem (57 s at 10M invoices); walking invoices and payments in invoice order
-- (the indexes on invoice_id, or sorts) takes 20 s for the same rows.
CREATE FUNCTION ar._refresh_open_items_snapshot() RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
SET enable_hashjoin = off
SET enable_hashagg = off
AS $$
BEGIN
    REFRESH MATERIALIZED VIEW ar.open_items_snapshot;
    RETURN (SELECT count(*) FROM ar.open_items_snapshot);
END $$;
COMMENT ON FUNCTION ar._refresh_open_items_snapshot() IS 'Internal: refresh ar.open_items_snapshot (with merge plans: no hash table of every invoice) and return its row count.';

-- ar._refresh calls it: patched in place (one changed statement) rather than restated.
DO $$
DECLARE
    src text := pg_catalog.pg_get_functiondef('ar._refresh(date, bigint)'::pg_catalog.regprocedure);
    patched text;
BEGIN
    patched := pg_catalog.replace(src,
        E'REFRESH MATERIALIZED VIEW ar.open_items_snapshot;\n        view_stats := view_stats || jsonb_build_object(''open_items_snapshot'', ar._view_stat((SELECT count(*) FROM ar.open_items_snapshot), t0));',
        E'view_stats := view_stats || jsonb_build_object(''open_items_snapshot'', ar._view_stat(ar._refresh_open_items_snapshot(), t0));');
    IF patched OPERATOR(pg_catalog.=) src THEN
        RAISE EXCEPTION 'ar_analytics 0.3.0: could not patch ar._refresh (the snapshot refresh was not found)';
    END IF;
    EXECUTE patched;
END $$;
