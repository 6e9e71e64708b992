-- Order holds -------------------------------------------------------------------

-- ts plus n business days: each day counted is a Monday to Friday (in the session
-- time zone); public holidays are not known. n = 0 returns ts.
CREATE OR REPLACE FUNCTION ar.add_business_days(ts timestamptz, n integer) RETURNS timestamptz
STABLE PARALLEL SAFE LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    result timestamptz := ts;
    counted integer := 0;
BEGIN
    IF ts IS NULL OR n IS NULL THEN
        RETURN NULL;
    END IF;
    IF n < 0 OR n > 3650 OR NOT isfinite(ts) THEN
        RAISE EXCEPTION 'ar.add_business_days: n must be between 0 and 3650 and ts finite, got % and %', n, ts
              USING ERRCODE = 'invalid_parameter_value';
    END IF;
    WHILE counted < n LOOP
        result := result + interval '1 day';
        IF extract(isodow FROM result) < 6 THEN
            counted := counted + 1;
        END IF;
    END LOOP;
    RETURN result;
END $$;
COMMENT ON FUNCTION ar.add_business_days(timestamptz, integer) IS 'ts plus n business days (Monday to Friday, session time zone; no public holidays): Friday 10:00 + 2 = Tuesday 10:00. NULL in, NULL out.';

-- Open amount of one invoice on a date (the definition of ar.open_items, for one invoice).
CREATE OR REPLACE FUNCTION ar._open_amount(invoice_id text, as_of date) RETURNS numeric
STABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    -- COLLATE "C", the key's collation: a lookup through the index, not a scan
    SELECT o.open_amount FROM ar.open_items(as_of) o WHERE o.invoice_id = _open_amount.invoice_id COLLATE "C";
END;
COMMENT ON FUNCTION ar._open_amount(text, date) IS 'Internal: open amount of one invoice on a date (NULL when not open), from ar.open_items.';

-- Holds to place (policy exceeded, no hold open) and to release (no invoice that was
-- already due when the hold was placed is still open, and the policy is not exceeded now).
CREATE OR REPLACE FUNCTION ar.order_hold_recommendations_at(as_of date)
RETURNS TABLE (customer_id text, customer_name text, collector text, recommendation text, hold_id text,
               past_due_amount numeric, oldest_days_past_due integer, reason text, as_of date)
STABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    WITH pol AS (SELECT * FROM ar.collections_policy()),
    past_due AS (       -- in the customer's currency, as the policy's amount (another invoice
                        -- currency: at the as-of date's rate, docs/currency.md): the worklist's
                        -- past-due accounts (stored with the health rows on the refreshed date)
        SELECT a.customer_id, a.past_due_amount AS amount, as_of - a.oldest_due_date AS oldest
          FROM ar._worklist_accounts_for(as_of) a
    ), holds AS (
        SELECT h.* FROM ar.order_holds h
         WHERE h.placed_at::date <= as_of AND (h.released_at IS NULL OR h.released_at::date > as_of)
    ), over_policy AS (
        SELECT p.*, c.name, c.collector, c.currency,
               concat_ws('; ',
                   CASE WHEN p.amount >= pol.hold_past_due_amount
                        THEN format('past due %s >= %s', ar._money(p.amount, c.currency), ar._money(pol.hold_past_due_amount, c.currency)) END,
                   CASE WHEN p.oldest >= pol.hold_days_past_due
                        THEN format('oldest invoice %s days past due >= %s', p.oldest, pol.hold_days_past_due) END) AS why
          FROM past_due p CROSS JOIN pol JOIN ar.customers c ON c.customer_id = p.customer_id
         WHERE p.amount >= pol.hold_past_due_amount OR p.oldest >= pol.hold_days_past_due
    ), releasable AS (      -- no invoice already due when the hold was placed is open now, and within policy
        SELECT h.* FROM holds h
         WHERE NOT EXISTS (SELECT FROM ar._open_items_for(as_of) s
                            WHERE s.customer_id = h.customer_id AND s.due_date < h.placed_at::date AND s.open_amount > 0)
           AND NOT EXISTS (SELECT FROM over_policy o WHERE o.customer_id = h.customer_id)
    ), triggering AS (      -- for the reason: the invoices past due when it was placed, settled since
        -- (none of them is open now, so those were open then that were paid or credited after)
        SELECT h.hold_id, array_agg(DISTINCT x.invoice_id ORDER BY x.invoice_id) AS invoices
          FROM releasable h
          CROSS JOIN LATERAL (
              SELECT p.invoice_id FROM ar.payments p JOIN ar.invoices i ON i.invoice_id = p.invoice_id
               WHERE p.customer_id = h.customer_id AND p.payment_date >= h.placed_at::date AND p.payment_date <= as_of
                 AND i.due_date < h.placed_at::date
              UNION ALL
              SELECT a.invoice_id FROM ar.invoices i JOIN ar.adjustments a ON a.invoice_id = i.invoice_id
               WHERE i.customer_id = h.customer_id AND i.due_date < h.placed_at::date AND a.kind <> 'debit_memo'
                 AND a.adjustment_date >= h.placed_at::date AND a.adjustment_date <= as_of) x
         GROUP BY h.hold_id
    )
    SELECT o.customer_id, o.name, o.collector, 'place', NULL::text, o.amount, o.oldest, o.why, as_of
      FROM over_policy o
     WHERE NOT EXISTS (SELECT FROM holds h WHERE h.customer_id = o.customer_id)
    UNION ALL
    SELECT h.customer_id, c.name, c.collector, 'release', h.hold_id, coalesce(p.amount, 0), coalesce(p.oldest, 0),
           CASE WHEN t.invoices IS NULL THEN 'no invoice was past due when the hold was placed, and the account is within policy now'
                ELSE 'the invoices past due when the hold was placed are paid: ' || array_to_string(t.invoices, ', ') END,
           as_of
      FROM releasable h
      JOIN ar.customers c ON c.customer_id = h.customer_id
      LEFT JOIN triggering t ON t.hold_id = h.hold_id
      LEFT JOIN past_due p ON p.customer_id = h.customer_id;
END;
COMMENT ON FUNCTION ar.order_hold_recommendations_at(date) IS 'Order holds to place (past-due amount or oldest days past due at or over ar.collections_policy(), no hold open) and to release (every invoice past due when the hold was placed is paid, and the account is within policy), as of a date.';

-- The recommendations of the refreshed date, stored in the table
-- ar.order_hold_recommendations_data (sql/schema/collections.sql), which the refresh
-- empties and fills from this view (ar._refresh_views; 0.23.0, was a materialized view:
-- every row moves with the date, its as_of and days past due).
CREATE OR REPLACE VIEW ar._order_hold_recommendations_rows AS SELECT * FROM ar.order_hold_recommendations_at((SELECT ar.as_of()));
COMMENT ON VIEW ar._order_hold_recommendations_rows IS 'Internal: ar.order_hold_recommendations_at(ar.as_of()); what ar.order_hold_recommendations_data keeps (query ar.order_hold_recommendations).';
CREATE OR REPLACE VIEW ar.order_hold_recommendations AS SELECT * FROM ar.order_hold_recommendations_data;
COMMENT ON VIEW ar.order_hold_recommendations IS 'Order holds to place or release as of the last refresh, with the reason (stored by ar.refresh in ar.order_hold_recommendations_data).';
COMMENT ON COLUMN ar.order_hold_recommendations.customer_id IS 'Account.';
COMMENT ON COLUMN ar.order_hold_recommendations.customer_name IS 'Account name.';
COMMENT ON COLUMN ar.order_hold_recommendations.collector IS 'Collector of the account.';
COMMENT ON COLUMN ar.order_hold_recommendations.recommendation IS 'place or release.';
COMMENT ON COLUMN ar.order_hold_recommendations.hold_id IS 'The open hold to release (NULL for place).';
COMMENT ON COLUMN ar.order_hold_recommendations.past_due_amount IS 'Past-due amount on as_of.';
COMMENT ON COLUMN ar.order_hold_recommendations.oldest_days_past_due IS 'Days past due of the oldest past-due invoice (0 = none).';
COMMENT ON COLUMN ar.order_hold_recommendations.reason IS 'Which policy threshold is exceeded, or which invoices were paid.';
COMMENT ON COLUMN ar.order_hold_recommendations.as_of IS 'As-of date.';
-- The storage table's and its view's columns are the published view's: the same descriptions.
SELECT ar._copy_column_comments('ar.order_hold_recommendations', 'ar.order_hold_recommendations_data');
SELECT ar._copy_column_comments('ar.order_hold_recommendations', 'ar._order_hold_recommendations_rows');

-- Hold SLA per month placed and overall (month NULL). A hold is measured once it is
-- released by as_of or its deadline (placed_at + SLA business days) has passed:
--   within_sla_share = released by the deadline / measured holds.
CREATE OR REPLACE FUNCTION ar.order_hold_sla_at(as_of date)
RETURNS TABLE (month date, holds_placed bigint, released bigint, measured bigint, within_sla bigint,
               within_sla_share numeric, median_days_on_hold numeric, open_holds bigint, open_over_sla bigint,
               sla_business_days integer, as_of date)
STABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    WITH h AS (
        SELECT date_trunc('month', x.placed_at::date::timestamp)::date AS month,
               CASE WHEN x.released_at::date <= as_of THEN x.released_at END AS released_at,
               ar.add_business_days(x.placed_at, pol.hold_sla_business_days) AS deadline,
               x.placed_at, pol.hold_sla_business_days AS sla
          FROM ar.order_holds x CROSS JOIN ar.collections_policy() pol
         WHERE x.placed_at::date <= as_of
           AND ar.days_past_due(as_of, as_of) = 0   -- rejects an infinite as_of (22008)
    ), m AS (
        SELECT h.*, h.released_at IS NOT NULL OR h.deadline::date < as_of AS is_measured,
               h.released_at <= h.deadline AS is_within
          FROM h
    )
    SELECT m.month, count(*), count(m.released_at), count(*) FILTER (WHERE m.is_measured),
           count(*) FILTER (WHERE m.is_within),
           round(count(*) FILTER (WHERE m.is_within)::numeric / nullif(count(*) FILTER (WHERE m.is_measured), 0), 4),
           round(percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM m.released_at - m.placed_at) / 86400)::numeric, 2),
           count(*) FILTER (WHERE m.released_at IS NULL),
           count(*) FILTER (WHERE m.released_at IS NULL AND m.deadline::date < as_of),
           m.sla, as_of
      FROM m
     GROUP BY GROUPING SETS ((m.month, m.sla), (m.sla))
    HAVING as_of IS NOT NULL
     ORDER BY m.month NULLS LAST;
END;
COMMENT ON FUNCTION ar.order_hold_sla_at(date) IS 'Order-hold SLA as of a date, per month placed and overall (month NULL): holds, released, share released within the SLA (ar.collections_policy().hold_sla_business_days business days), median days on hold, holds still open and open past the deadline.';

-- Stored by ar.refresh (a view over the function would read the tables as the
-- querying role: a BI role made by ar.grant_reader could not).
CREATE MATERIALIZED VIEW IF NOT EXISTS ar.order_hold_sla_mv AS SELECT * FROM ar.order_hold_sla_at((SELECT ar.as_of())) WITH NO DATA;
CREATE UNIQUE INDEX IF NOT EXISTS order_hold_sla_mv_key ON ar.order_hold_sla_mv (month);
COMMENT ON MATERIALIZED VIEW ar.order_hold_sla_mv IS 'Storage of ar.order_hold_sla; query the plain view.';
CREATE OR REPLACE VIEW ar.order_hold_sla AS SELECT * FROM ar.order_hold_sla_mv;
COMMENT ON VIEW ar.order_hold_sla IS 'Order-hold SLA as of the last refresh, per month placed and overall (month NULL).';
COMMENT ON COLUMN ar.order_hold_sla.month IS 'Month the holds were placed; NULL = all months.';
COMMENT ON COLUMN ar.order_hold_sla.holds_placed IS 'Holds placed.';
COMMENT ON COLUMN ar.order_hold_sla.released IS 'Of them, released by as_of.';
COMMENT ON COLUMN ar.order_hold_sla.measured IS 'Holds released or past their deadline: the ones the SLA share counts.';
COMMENT ON COLUMN ar.order_hold_sla.within_sla IS 'Released by the deadline (placed_at + SLA business days).';
COMMENT ON COLUMN ar.order_hold_sla.within_sla_share IS 'within_sla / measured.';
COMMENT ON COLUMN ar.order_hold_sla.median_days_on_hold IS 'Median days from placing to releasing (released holds).';
COMMENT ON COLUMN ar.order_hold_sla.open_holds IS 'Still on hold on as_of.';
COMMENT ON COLUMN ar.order_hold_sla.open_over_sla IS 'Still on hold after the deadline.';
COMMENT ON COLUMN ar.order_hold_sla.sla_business_days IS 'The hold SLA in business days.';
COMMENT ON COLUMN ar.order_hold_sla.as_of IS 'As-of date.';
