-- ar_analytics 0.2.0 -> 0.3.0
--
-- Also the tail of every fresh 0.3.0 install (src/lib.rs includes it after the 0.2.0
-- script), so fresh and upgraded databases are built by the same statements.
--
-- A performance release (issue #8, the daily refresh at 10 million invoices); the
-- figures and the API are unchanged:
-- 1. The monthly KPIs: month-end receivables and credit sales in one grouped pass over
--    the ledger; payment behaviour rolled up from the ADTP trend's monthly summaries.
-- 2. The ADTP trend is kept incrementally: each refresh recomputes the rows of the
--    customers whose data changed, instead of refreshing 3.5M rows (10M invoices).
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

-- The ledger of the monthly KPIs, per month of the 24 up to as_of and per segment:
-- receivables at the month end (all, and the part not yet past due), at the start of
-- the month, and the month's credit sales. Same definition of the receivables as
-- before (tests/sql/08_views.sql and 15_refresh_rewrites.sql check them against
-- ar.open_items at every month end), computed without expanding events per month.
-- An event (invoice, adjustment, payment) of an invoice counts at a month end
-- E = least(last day of the month, as_of) when it is dated <= E and so is its invoice,
-- that is from the month of since = greatest(event date, invoice date) on; it counts
-- as current (not past due) while also E <= due date, that is up to the month
--   until = the current month                     if due_date >= as_of
--         = the month of due_date                  if due_date is a month's last day
--         = the month before that of due_date      otherwise.
-- Events are summed per (segment, from month, until month): a few hundred groups,
-- whatever the size of the ledger; the months are then added up from those groups.
-- Credit sales are the invoice events of the month, read in the same pass.
CREATE FUNCTION ar._month_end_ledger(as_of date)
RETURNS TABLE (month date, segment text, ending_receivables numeric, ending_current_receivables numeric,
               beginning_receivables numeric, credit_sales numeric)
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
        SELECT i.customer_id, i.invoice_date, i.due_date, i.invoice_date AS d, i.amount AS delta, true AS is_invoice
          FROM ar.invoices i WHERE i.invoice_date <= _month_end_ledger.as_of
        UNION ALL
        SELECT i.customer_id, i.invoice_date, i.due_date, a.adjustment_date,
               CASE WHEN a.kind = 'debit_memo' THEN a.amount ELSE -a.amount END, false
          FROM ar.adjustments a JOIN ar.invoices i ON i.invoice_id = a.invoice_id
         WHERE a.adjustment_date <= _month_end_ledger.as_of AND i.invoice_date <= _month_end_ledger.as_of
        UNION ALL
        SELECT p.customer_id, i.invoice_date, i.due_date, p.payment_date, -p.amount, false
          FROM ar.payments p JOIN ar.invoices i ON i.invoice_id = p.invoice_id
         WHERE p.payment_date <= _month_end_ledger.as_of AND i.invoice_date <= _month_end_ledger.as_of
    ), keyed AS (
        SELECT coalesce(c.segment, '(none)') AS segment, k.from_month,
               CASE WHEN u.until_month >= greatest(k.from_month, first_month) THEN u.until_month END AS until_month,
               e.delta, e.is_invoice
          FROM events e
          JOIN ar.customers c ON c.customer_id = e.customer_id
          CROSS JOIN LATERAL (SELECT greatest(date_trunc('month', greatest(e.d, e.invoice_date)::timestamp)::date, before_range) AS from_month) k
          CROSS JOIN LATERAL (SELECT CASE WHEN e.due_date >= _month_end_ledger.as_of THEN this_month
                                          ELSE (date_trunc('month', (e.due_date + 1)::timestamp) - interval '1 month')::date END AS until_month) u
    ), grouped AS (
        SELECT k.segment, k.from_month, k.until_month, sum(k.delta) AS delta, sum(k.delta) FILTER (WHERE k.is_invoice) AS sales
          FROM keyed k GROUP BY k.segment, k.from_month, k.until_month
    )
    SELECT m.month, s.segment,
           coalesce(sum(g.delta), 0.00),
           coalesce(sum(g.delta) FILTER (WHERE g.until_month >= m.month), 0.00),
           coalesce(sum(g.delta) FILTER (WHERE g.from_month < m.month), 0.00),
           sum(g.sales) FILTER (WHERE g.from_month = m.month)
      FROM ar.month_ends(_month_end_ledger.as_of) m
      CROSS JOIN (SELECT DISTINCT g.segment FROM grouped g) s
      LEFT JOIN grouped g ON g.segment = s.segment AND g.from_month <= m.month
     GROUP BY m.month, s.segment;
END $$;
COMMENT ON FUNCTION ar._month_end_ledger(date) IS 'Internal: per month of the 24 up to as_of and per segment, month-end, current and beginning receivables and credit sales (NULL: no invoice that month), in one pass over the ledger.';

-- The public function reads the same pass.
CREATE OR REPLACE FUNCTION ar.month_end_receivables(as_of date)
RETURNS TABLE (month date, segment text, ending_receivables numeric, ending_current_receivables numeric, beginning_receivables numeric)
STABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    SELECT l.month, l.segment, l.ending_receivables, l.ending_current_receivables, l.beginning_receivables
      FROM ar._month_end_ledger(as_of) l;
END;

-- ---------------------------------------------------------------------------
-- 2. ADTP trend kept up to date incrementally
-- ---------------------------------------------------------------------------

-- A customer's monthly rows change only when its payments, the dates of the invoices
-- they pay or its own attributes change, or when the as-of date moves over its
-- payments. Refreshed as a materialized view, the 3.5 million rows of 10M invoices
-- were recomputed and compared every day (86 s); now the refresh recomputes the rows
-- of the customers concerned only (docs/views.md, "Refresh at scale").

-- The one definition of the rows: per customer and month of payment, over the 24
-- months up to as_of; for the given customers only, or all (NULL).
CREATE FUNCTION ar._adtp_trend_rows(as_of date, customers text[])
RETURNS TABLE (customer_id text, segment text, collector text, payment_terms_days integer, month date,
               paid_items bigint, paid_amount numeric, adtp numeric, adtp_weighted numeric,
               avg_days_late numeric, avg_days_late_weighted numeric, stats ar.paymentstats)
STABLE PARALLEL SAFE LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
SET jit = off
-- planned with the actual arguments: all customers (hash joins) or a few (index scans)
SET plan_cache_mode = force_custom_plan
AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    SELECT p.customer_id, c.segment, c.collector, c.payment_terms_days,
           date_trunc('month', p.payment_date::timestamp)::date,
           ar.item_count(ar.payment_stats(i.invoice_date, i.due_date, p.payment_date, p.amount)),
           ar.amount(ar.payment_stats(i.invoice_date, i.due_date, p.payment_date, p.amount)),
           ar.adtp(ar.payment_stats(i.invoice_date, i.due_date, p.payment_date, p.amount)),
           ar.adtp_weighted(ar.payment_stats(i.invoice_date, i.due_date, p.payment_date, p.amount)),
           ar.avg_days_late(ar.payment_stats(i.invoice_date, i.due_date, p.payment_date, p.amount)),
           ar.avg_days_late_weighted(ar.payment_stats(i.invoice_date, i.due_date, p.payment_date, p.amount)),
           ar.payment_stats(i.invoice_date, i.due_date, p.payment_date, p.amount)
      FROM ar.payments p
      JOIN ar.invoices i ON i.invoice_id = p.invoice_id
      JOIN ar.customers c ON c.customer_id = p.customer_id     -- = i.customer_id (foreign key)
     WHERE p.payment_date <= _adtp_trend_rows.as_of
       AND p.payment_date >= (date_trunc('month', _adtp_trend_rows.as_of::timestamp) - interval '23 months')::date
       AND (customers IS NULL OR p.customer_id = ANY (customers))
     GROUP BY p.customer_id, c.segment, c.collector, c.payment_terms_days, date_trunc('month', p.payment_date::timestamp);
END $$;
COMMENT ON FUNCTION ar._adtp_trend_rows(date, text[]) IS 'Internal: the rows of ar.adtp_trend_monthly as of a date, for the given customers (NULL = all).';

-- The stored rows (as of ar._adtp_trend_state.as_of), read through ar.adtp_trend_monthly.
CREATE TABLE ar.adtp_trend_monthly_data (
    customer_id            text COLLATE "C" NOT NULL,
    segment                text,
    collector              text,
    payment_terms_days     integer,
    month                  date NOT NULL,
    paid_items             bigint,
    paid_amount            numeric,
    adtp                   numeric,
    adtp_weighted          numeric,
    avg_days_late          numeric,
    avg_days_late_weighted numeric,
    stats                  ar.paymentstats,
    PRIMARY KEY (customer_id, month)
);
COMMENT ON TABLE ar.adtp_trend_monthly_data IS 'Storage of ar.adtp_trend_monthly, kept by ar.refresh (derived data: not dumped; the first refresh after a restore rebuilds it); query the view.';
COMMENT ON COLUMN ar.adtp_trend_monthly_data.customer_id IS 'Account identifier.';
COMMENT ON COLUMN ar.adtp_trend_monthly_data.segment IS 'Business segment.';
COMMENT ON COLUMN ar.adtp_trend_monthly_data.collector IS 'Collector responsible.';
COMMENT ON COLUMN ar.adtp_trend_monthly_data.payment_terms_days IS 'Payment terms in days: the ideal days to pay.';
COMMENT ON COLUMN ar.adtp_trend_monthly_data.month IS 'First day of the month of payment.';
COMMENT ON COLUMN ar.adtp_trend_monthly_data.paid_items IS 'Payment applications received that month.';
COMMENT ON COLUMN ar.adtp_trend_monthly_data.paid_amount IS 'Amount received that month.';
COMMENT ON COLUMN ar.adtp_trend_monthly_data.adtp IS 'Average days to pay (simple) of items paid that month.';
COMMENT ON COLUMN ar.adtp_trend_monthly_data.adtp_weighted IS 'Amount-weighted average days to pay.';
COMMENT ON COLUMN ar.adtp_trend_monthly_data.avg_days_late IS 'Average days late (simple).';
COMMENT ON COLUMN ar.adtp_trend_monthly_data.avg_days_late_weighted IS 'Amount-weighted average days late.';
COMMENT ON COLUMN ar.adtp_trend_monthly_data.stats IS 'The month''s payment summary (ar.payment_stats), rolled up by the monthly KPIs.';

-- The as-of date of the stored rows; no row = rebuild everything at the next refresh
-- (the first refresh, and the first after a restore: neither table is dumped).
CREATE TABLE ar._adtp_trend_state (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    as_of     date NOT NULL
);
COMMENT ON TABLE ar._adtp_trend_state IS 'Internal: as-of date of the rows in ar.adtp_trend_monthly_data; empty = rebuild them all at the next refresh.';
COMMENT ON COLUMN ar._adtp_trend_state.singleton IS 'Always true: the table holds at most one row.';
COMMENT ON COLUMN ar._adtp_trend_state.as_of IS 'As-of date of the stored rows.';

-- Customers whose rows may have changed since the last refresh (NULL: all of them,
-- after a TRUNCATE), written by triggers in the changing transaction and taken
-- (deleted) by the next refresh. No key: a change committed while a refresh runs stays
-- here for the next one. The triggers run as the role that changes the data, so every
-- role may add rows (and only add): a role allowed to load payments needs no other grant.
CREATE TABLE ar._adtp_trend_changes (customer_id text COLLATE "C");
COMMENT ON TABLE ar._adtp_trend_changes IS 'Internal: customers whose ADTP trend rows must be recomputed by the next refresh (NULL = all), written by triggers on payments, invoices and customers.';
COMMENT ON COLUMN ar._adtp_trend_changes.customer_id IS 'Customer whose rows to recompute; NULL = all (a TRUNCATE).';
GRANT INSERT ON ar._adtp_trend_changes TO PUBLIC;

CREATE FUNCTION ar._note_adtp_trend_change() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        INSERT INTO ar._adtp_trend_changes VALUES (NULL);
    ELSIF TG_OP = 'INSERT' THEN
        INSERT INTO ar._adtp_trend_changes SELECT DISTINCT n.customer_id FROM new_rows n;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO ar._adtp_trend_changes SELECT DISTINCT o.customer_id FROM old_rows o;
    ELSIF TG_TABLE_NAME = 'payments' THEN
        INSERT INTO ar._adtp_trend_changes
        SELECT n.customer_id FROM new_rows n UNION SELECT o.customer_id FROM old_rows o;
    ELSIF TG_TABLE_NAME = 'invoices' THEN
        -- only the dates (and the customer) of an invoice matter: a nightly sync that
        -- rewrites every invoice's amount or status notes nobody
        INSERT INTO ar._adtp_trend_changes
        SELECT n.customer_id FROM new_rows n LEFT JOIN old_rows o ON o.invoice_id = n.invoice_id
         WHERE (n.invoice_date, n.due_date, n.customer_id) IS DISTINCT FROM (o.invoice_date, o.due_date, o.customer_id)
        UNION
        SELECT o.customer_id FROM old_rows o LEFT JOIN new_rows n ON n.invoice_id = o.invoice_id
         WHERE (n.invoice_date, n.due_date, n.customer_id) IS DISTINCT FROM (o.invoice_date, o.due_date, o.customer_id);
    ELSE
        -- customers: only the columns the trend shows
        INSERT INTO ar._adtp_trend_changes
        SELECT n.customer_id FROM new_rows n LEFT JOIN old_rows o ON o.customer_id = n.customer_id
         WHERE (n.segment, n.collector, n.payment_terms_days) IS DISTINCT FROM (o.segment, o.collector, o.payment_terms_days)
        UNION
        SELECT o.customer_id FROM old_rows o LEFT JOIN new_rows n ON n.customer_id = o.customer_id
         WHERE (n.segment, n.collector, n.payment_terms_days) IS DISTINCT FROM (o.segment, o.collector, o.payment_terms_days);
    END IF;
    RETURN NULL;
END $$;
COMMENT ON FUNCTION ar._note_adtp_trend_change() IS 'Internal trigger: notes the customers whose ADTP trend rows a statement may change (once per statement, from its transition tables).';

-- Payments: any change. Invoices: updates of their dates or customer (an invoice with
-- payments cannot be deleted, a new one has none). Customers: updates of segment,
-- collector or terms (one with payments cannot be deleted). TRUNCATE of any: rebuild.
CREATE TRIGGER payments_adtp_trend_ins AFTER INSERT ON ar.payments
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ar._note_adtp_trend_change();
CREATE TRIGGER payments_adtp_trend_upd AFTER UPDATE ON ar.payments
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ar._note_adtp_trend_change();
CREATE TRIGGER payments_adtp_trend_del AFTER DELETE ON ar.payments
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ar._note_adtp_trend_change();
CREATE TRIGGER invoices_adtp_trend_upd AFTER UPDATE ON ar.invoices
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ar._note_adtp_trend_change();
CREATE TRIGGER customers_adtp_trend_upd AFTER UPDATE ON ar.customers
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ar._note_adtp_trend_change();
CREATE TRIGGER payments_adtp_trend_truncate AFTER TRUNCATE ON ar.payments
    FOR EACH STATEMENT EXECUTE FUNCTION ar._note_adtp_trend_change();
CREATE TRIGGER invoices_adtp_trend_truncate AFTER TRUNCATE ON ar.invoices
    FOR EACH STATEMENT EXECUTE FUNCTION ar._note_adtp_trend_change();
CREATE TRIGGER customers_adtp_trend_truncate AFTER TRUNCATE ON ar.customers
    FOR EACH STATEMENT EXECUTE FUNCTION ar._note_adtp_trend_change();

-- Bring the stored rows to as_of; returns how many rows are stored. Recomputed: the
-- customers noted by the triggers and those with payments dated between the previous
-- as-of date and this one; months that left the 24-month window are dropped. Every
-- row is recomputed on the first refresh, after a TRUNCATE, when the window moves back
-- to earlier months, and when over a quarter of the customers are concerned (cheaper
-- in one pass).
CREATE FUNCTION ar._refresh_adtp_trend(as_of date) RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
SET jit = off
AS $$
DECLARE
    prev date;
    first_month constant date := (date_trunc('month', as_of::timestamp) - interval '23 months')::date;
    this_month constant date := date_trunc('month', as_of::timestamp)::date;
    concerned text[];
    everything boolean;
    done boolean := false;
BEGIN
    SELECT s.as_of INTO prev FROM ar._adtp_trend_state s;
    -- Take the noted changes: those committed before this statement. Later ones stay.
    WITH taken AS (DELETE FROM ar._adtp_trend_changes RETURNING customer_id)
    SELECT array_agg(DISTINCT t.customer_id) FILTER (WHERE t.customer_id IS NOT NULL), coalesce(bool_or(t.customer_id IS NULL), false)
      INTO concerned, everything FROM taken t;
    IF prev IS NOT NULL AND NOT everything AND first_month >= (date_trunc('month', prev::timestamp) - interval '23 months')::date THEN
        SELECT array_agg(DISTINCT x.customer_id) INTO concerned
          FROM (SELECT unnest(concerned) AS customer_id
                UNION ALL
                SELECT p.customer_id FROM ar.payments p
                 WHERE p.payment_date > least(prev, _refresh_adtp_trend.as_of)
                   AND p.payment_date <= greatest(prev, _refresh_adtp_trend.as_of)) x;
        IF coalesce(cardinality(concerned), 0) <= (SELECT count(*) FROM ar.customers) / 4 THEN
            DELETE FROM ar.adtp_trend_monthly_data d WHERE d.month < first_month OR d.month > this_month;
            IF concerned IS NOT NULL THEN
                DELETE FROM ar.adtp_trend_monthly_data d WHERE d.customer_id = ANY (concerned);
                INSERT INTO ar.adtp_trend_monthly_data SELECT * FROM ar._adtp_trend_rows(_refresh_adtp_trend.as_of, concerned);
            END IF;
            done := true;
        END IF;
    END IF;
    IF NOT done THEN
        -- every row (DELETE, not TRUNCATE: readers keep the previous rows until commit)
        DELETE FROM ar.adtp_trend_monthly_data;
        INSERT INTO ar.adtp_trend_monthly_data SELECT * FROM ar._adtp_trend_rows(_refresh_adtp_trend.as_of, NULL);
    END IF;
    INSERT INTO ar._adtp_trend_state (as_of) VALUES (_refresh_adtp_trend.as_of)
        ON CONFLICT (singleton) DO UPDATE SET as_of = excluded.as_of;
    RETURN (SELECT count(*) FROM ar.adtp_trend_monthly_data);
END $$;
COMMENT ON FUNCTION ar._refresh_adtp_trend(date) IS 'Internal: bring ar.adtp_trend_monthly_data to as_of, recomputing only the customers whose rows may have changed; returns the number of rows.';

-- The view keeps its name, columns and comments; the as-of date is the refresh's.
-- Grants given on the old storage move to the new one.
DO $$
DECLARE
    saved text[] := ar._view_restore_statements('adtp_trend_monthly', 'adtp_trend_monthly_mv');
    stmt text;
BEGIN
    DROP VIEW ar.adtp_trend_monthly;
    DROP MATERIALIZED VIEW ar.adtp_trend_monthly_mv;
    CREATE VIEW ar.adtp_trend_monthly AS
    SELECT (SELECT ar.as_of()) AS as_of, d.customer_id, d.segment, d.collector, d.payment_terms_days, d.month,
           d.paid_items, d.paid_amount, d.adtp, d.adtp_weighted, d.avg_days_late, d.avg_days_late_weighted
      FROM ar.adtp_trend_monthly_data d;
    FOREACH stmt IN ARRAY saved LOOP
        EXECUTE replace(stmt, 'ON ar.adtp_trend_monthly_mv TO', 'ON ar.adtp_trend_monthly_data TO');
    END LOOP;
END $$;

-- The monthly KPIs on the one-pass ledger (receivables and credit sales) and on the ADTP
-- trend's monthly summaries (payment behaviour: ar.rollup of the customers' summaries
-- of the month is exactly ar.payment_stats over the month's payments): no more join of
-- every payment with its invoice here. Refreshed after the ADTP trend.
DO $$
DECLARE
    saved text[] := ar._view_restore_statements('portfolio_kpis_monthly', 'portfolio_kpis_monthly_mv');
    stmt text;
BEGIN
    DROP VIEW ar.portfolio_kpis_monthly;
    DROP MATERIALIZED VIEW ar.portfolio_kpis_monthly_mv;
    CREATE MATERIALIZED VIEW ar.portfolio_kpis_monthly_mv AS
    WITH months AS (SELECT * FROM ar.month_ends((SELECT ar.as_of()))),
    rec0 AS MATERIALIZED (SELECT * FROM ar._month_end_ledger((SELECT ar.as_of()))),
    rec AS (
        SELECT * FROM rec0
        UNION ALL
        SELECT month, 'All segments', sum(ending_receivables), sum(ending_current_receivables), sum(beginning_receivables), sum(credit_sales)
          FROM rec0 GROUP BY month
    ), paid AS (
        SELECT d.month, coalesce(d.segment, '(none)') AS segment, ar.rollup(d.stats) AS s
          FROM ar.adtp_trend_monthly_data d
         GROUP BY GROUPING SETS ((d.month, coalesce(d.segment, '(none)')), (d.month))
    ), base AS (
        SELECT r.month, r.segment, m.period_days, coalesce(r.credit_sales, 0) AS credit_sales,
               r.beginning_receivables, r.ending_receivables, r.ending_current_receivables, pd.s
          FROM rec r JOIN months m ON m.month = r.month
          LEFT JOIN paid pd ON pd.month = r.month AND coalesce(pd.segment, 'All segments') = r.segment
    )
    SELECT (SELECT ar.as_of()) AS as_of, b.month, b.segment, b.period_days, b.credit_sales,
           b.beginning_receivables, b.ending_receivables, b.ending_current_receivables,
           ar.dso(greatest(b.ending_receivables, 0), b.credit_sales, b.period_days) AS dso,
           ar.bpdso(greatest(b.ending_current_receivables, 0), b.credit_sales, b.period_days) AS bpdso,
           ar.average_days_delinquent(ar.dso(greatest(b.ending_receivables, 0), b.credit_sales, b.period_days),
                                      ar.bpdso(greatest(b.ending_current_receivables, 0), b.credit_sales, b.period_days)) AS add,
           ar.dso_countback(greatest(b.ending_receivables, 0),
                            array_agg(b.credit_sales) OVER w, array_agg(b.period_days) OVER w) AS dso_countback,
           ar.cei(greatest(b.beginning_receivables, 0), b.credit_sales, greatest(b.ending_receivables, 0),
                  least(greatest(b.ending_current_receivables, 0), greatest(b.ending_receivables, 0))) AS cei,
           coalesce(ar.item_count(b.s), 0) AS paid_items, ar.adtp_weighted(b.s) AS adtp_weighted,
           ar.avg_days_late(b.s) AS avg_days_late, ar.avg_days_late_weighted(b.s) AS avg_days_late_weighted,
           ar.payment_index(b.s) AS payment_index
      FROM base b
    WINDOW w AS (PARTITION BY b.segment ORDER BY b.month DESC ROWS BETWEEN CURRENT ROW AND 5 FOLLOWING)
    WITH NO DATA;
    CREATE UNIQUE INDEX portfolio_kpis_monthly_mv_key ON ar.portfolio_kpis_monthly_mv (month, segment);
    COMMENT ON MATERIALIZED VIEW ar.portfolio_kpis_monthly_mv IS 'Storage of ar.portfolio_kpis_monthly; query the plain view.';
    CREATE VIEW ar.portfolio_kpis_monthly AS SELECT * FROM ar.portfolio_kpis_monthly_mv;
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

-- ar._refresh: the snapshot through that function, the ADTP trend through
-- ar._refresh_adtp_trend instead of a materialized view refresh and before the
-- monthly KPIs that read it; otherwise as in 0.2.0.
-- The work of a refresh, logged in row run. Everything it does is undone on failure.
CREATE OR REPLACE FUNCTION ar._refresh(as_of date, run bigint) RETURNS text
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
-- JIT compiles these wide queries for over a second each and wins nothing back (measured).
SET jit = off
AS $$
DECLARE
    n bigint;
    t0 timestamptz;
    view_stats jsonb := '{}';
    last_snapshot date;
    limit_days integer;
    d date;
    backfilled integer := 0;
    err_state text;
    err_msg text;
BEGIN
    BEGIN
        INSERT INTO ar.settings (as_of) VALUES (_refresh.as_of)
            ON CONFLICT (singleton) DO UPDATE SET as_of = excluded.as_of;
        -- First the open items of the day, read by the views after it. Not CONCURRENTLY
        -- (that diff costs a quarter of the time at 10M invoices): no view reads the
        -- snapshot outside a refresh; a direct reader waits for the refresh to commit.
        t0 := clock_timestamp();
        view_stats := view_stats || jsonb_build_object('open_items_snapshot', ar._view_stat(ar._refresh_open_items_snapshot(), t0));
        view_stats := ar._refresh_views(ARRAY['customer_health_mv', 'portfolio_aging_mv'], view_stats);
        -- The ADTP trend: only the customers whose rows changed (0.3.0); then the
        -- monthly KPIs, which roll up its summaries.
        t0 := clock_timestamp();
        view_stats := view_stats || jsonb_build_object('adtp_trend_monthly', ar._view_stat(ar._refresh_adtp_trend(_refresh.as_of), t0));
        view_stats := ar._refresh_views(ARRAY['portfolio_kpis_monthly_mv'], view_stats);

        -- History: backfill the days missed since the latest earlier snapshot (pg_cron
        -- does not replay runs missed while the server was down), at most backfill_limit days.
        t0 := clock_timestamp();
        SELECT s.backfill_limit INTO limit_days FROM ar.settings s;   -- the row exists: inserted above
        SELECT max(h.as_of) INTO last_snapshot FROM ar.customer_health_history h WHERE h.as_of < _refresh.as_of;
        IF last_snapshot IS NOT NULL THEN
            FOR d IN SELECT g::date FROM generate_series(greatest(last_snapshot + 1, _refresh.as_of - limit_days)::timestamp,
                                                         (_refresh.as_of - 1)::timestamp, interval '1 day') g LOOP
                DELETE FROM ar.customer_health_history h WHERE h.as_of = d;
                INSERT INTO ar.customer_health_history SELECT * FROM ar.customer_health_at(d);
                PERFORM ar._store_ratings(d);
                backfilled := backfilled + 1;
            END LOOP;
        END IF;
        DELETE FROM ar.customer_health_history h WHERE h.as_of = _refresh.as_of;
        INSERT INTO ar.customer_health_history SELECT * FROM ar.customer_health_mv;
        GET DIAGNOSTICS n = ROW_COUNT;
        view_stats := view_stats || jsonb_build_object('customer_health_history', ar._view_stat(n, t0));
        -- Ratings of the day (kept daily: dynamic ratings), then the views that read them.
        t0 := clock_timestamp();
        view_stats := view_stats || jsonb_build_object('customer_risk_history', ar._view_stat(ar._store_ratings(_refresh.as_of), t0));
        view_stats := ar._refresh_views(ARRAY['customer_risk_mv', 'early_warnings_mv', 'collections_worklist_mv',
                                              'order_hold_recommendations_mv', 'promise_kept_rates_mv',
                                              'cash_forecast_weekly_mv', 'collections_performance_mv'], view_stats);

        UPDATE ar.refresh_log SET status = 'succeeded', finished_at = clock_timestamp(), views = view_stats,
                                  backfilled_days = backfilled
         WHERE run_id = run;
        RETURN format('succeeded: as of %s, %s customers%s', _refresh.as_of, view_stats -> 'customer_health_mv' ->> 'rows',
                      CASE WHEN backfilled > 0 THEN format(', %s missed days backfilled', backfilled) ELSE '' END);
    EXCEPTION WHEN OTHERS THEN
        -- Everything above is undone (views, settings, history keep the previous
        -- refresh); the failure itself is logged and reported.
        GET STACKED DIAGNOSTICS err_state = RETURNED_SQLSTATE, err_msg = MESSAGE_TEXT;
        UPDATE ar.refresh_log SET status = 'failed', finished_at = clock_timestamp(), error = err_state || ': ' || err_msg
         WHERE run_id = run;
        RAISE WARNING 'ar.refresh failed: % (SQLSTATE %); the views keep the data of the previous refresh', err_msg, err_state;
        RETURN format('failed: %s', err_msg);
    END;
END $$;
COMMENT ON FUNCTION ar._refresh(date, bigint) IS 'Internal: the work of ar.refresh and ar.run_refresh, logged in ar.refresh_log row run.';

-- An upgraded database that was refreshed keeps readable views: the rebuilt ADTP trend
-- and monthly KPIs are filled here for the as-of date of the last refresh (from the
-- data as it is now; the next refresh brings every view to its own date). A fresh
-- install has no as-of date: its first refresh fills them.
DO $$
BEGIN
    IF ar.as_of() IS NOT NULL THEN
        PERFORM ar._refresh_adtp_trend(ar.as_of());
        REFRESH MATERIALIZED VIEW ar.portfolio_kpis_monthly_mv;
    END IF;
END $$;
