-- Month ends (the as-of date for the current, partial month) of the 24 months up to as_of.
CREATE OR REPLACE FUNCTION ar.month_ends(as_of date)
RETURNS TABLE (month date, month_start date, month_end date, period_days integer)
IMMUTABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    SELECT m::date, m::date, least((m + interval '1 month' - interval '1 day')::date, as_of),
           least((m + interval '1 month' - interval '1 day')::date, as_of) - m::date + 1
      FROM generate_series(date_trunc('month', as_of::timestamp) - interval '23 months', date_trunc('month', as_of::timestamp), interval '1 month') m;
END;
COMMENT ON FUNCTION ar.month_ends(date) IS 'The 24 calendar months up to as_of: first day, last day (as_of for the current month) and length in days.';


-- The ledger of the monthly KPIs, per month of the 24 up to as_of and per segment:
-- receivables at the month end (all, and the part not yet past due), at the start of
-- the month, and the month's credit sales. Same definition of the receivables as
-- before (tests/sql/08_views.sql and 15_refresh_rewrites.sql check them against
-- ar.open_items at every month end), computed without expanding events per month.
-- An event (invoice, adjustment, payment) of an invoice counts at a month end
-- E = least(last day of the month, as_of) when it is dated <= E and so is its invoice,
-- that is from the month of since = greatest(event date, invoice date) on; it counts
-- as current (not past due) while also E <= due date, that is up to the month
--   until = the month of due_date                  if due_date is a month's last day
--         = the month before that of due_date      otherwise
-- except in the current month, where E = as_of: there an invoice due on or after as_of
-- is current whatever its due date (below: the correction of the current month).
-- Events are summed per (customer, segment, from month, until month): a few dozen
-- entries per customer (ar._month_ledger_rows), which do not depend on the as-of date
-- but through the events dated after it, and which add up over customers: the refresh
-- keeps them per customer (ar.month_ledger_data, recomputing only the customers changed
-- or whose rows the date reached), and the months are added up from the entries.
-- Credit sales are the invoice events of the month, read in the same pass.
-- Amounts are in the reporting currency (docs/currency.md): events are also keyed by
-- currency; a currency's receivables at a month end convert at that month end's rate
-- (the beginning receivables at the previous month end's), its credit sales at the rate
-- of each invoice date (so invoices in another currency than the reporting one are also
-- keyed by their date).

-- The month from which a customer's entries are recomputed after a change of its ledger
-- dated since (0.18.0): an event's entry is under the month of greatest(event date,
-- invoice date), never earlier than the event's own date, so a change dated since moves
-- only the entries from since's month on; from the first month of the 24 on (the
-- entries before them are grouped under the month before them): -infinity, every entry.
CREATE OR REPLACE FUNCTION ar._month_ledger_since(as_of date, since date) RETURNS date
IMMUTABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    SELECT CASE WHEN since IS NOT NULL AND date_trunc('month', since::timestamp) > date_trunc('month', as_of::timestamp) - interval '23 months'
                THEN date_trunc('month', since::timestamp)::date ELSE '-infinity'::date END;
END;
COMMENT ON FUNCTION ar._month_ledger_since(date, date) IS 'Internal: the first month of the entries (ar._month_ledger_rows) a change of a customer''s ledger dated since moves, as of as_of; -infinity = all of them (since NULL, or before the 24 months).';

-- The events of the given customers from each one's month on (ar._month_ledger_since of
-- its date): greatest(event date, invoice date) >= that month. Read by
-- ar._month_ledger_rows with since.
CREATE OR REPLACE FUNCTION ar._month_ledger_events_since(as_of date, customers text[], since date[])
RETURNS TABLE (customer_id text, invoice_date date, due_date date, d date, delta numeric, is_invoice boolean, currency character(3))
STABLE PARALLEL SAFE LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
-- (PL/pgSQL: not inlined into ar._month_ledger_rows, see there; planned with the actual
-- customers, whose count and dates choose the index paths: as a non-inlined SQL
-- function its generic plan took 1.4 s instead of 0.3 s for 6,000 customers)
SET plan_cache_mode = force_custom_plan
AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    WITH todo AS (          -- the given customers, each from its first month
        SELECT t.customer_id, ar._month_ledger_since(_month_ledger_events_since.as_of, t.since) AS m
          FROM unnest(_month_ledger_events_since.customers, _month_ledger_events_since.since) AS t(customer_id, since)
    )
    -- the adjustments dated from m (by date, from the earliest m: they name no customer),
    -- and by each customer's indexes from m its invoices dated from m, its payments dated
    -- from m and those of its invoices dated from m, and the adjustments dated before m of
    -- its invoices dated from m
    SELECT i.customer_id, i.invoice_date, i.due_date, a.adjustment_date,
           CASE WHEN a.kind = 'debit_memo' THEN a.amount ELSE -a.amount END, false, i.currency
      FROM ar.adjustments a JOIN ar.invoices i ON i.invoice_id = a.invoice_id JOIN todo t ON t.customer_id = i.customer_id
     WHERE a.adjustment_date >= (SELECT min(t2.m) FROM todo t2) AND a.adjustment_date >= t.m
       AND a.adjustment_date <= as_of AND i.invoice_date <= as_of
    UNION ALL
    SELECT x.customer_id, x.invoice_date, x.due_date, x.d, x.delta, x.is_invoice, x.currency
      FROM todo t CROSS JOIN LATERAL (
          SELECT i.customer_id, i.invoice_date, i.due_date, i.invoice_date AS d, i.amount AS delta, true AS is_invoice, i.currency
            FROM ar.invoices i
           WHERE i.customer_id = t.customer_id AND i.invoice_date >= t.m AND i.invoice_date <= as_of
          UNION ALL
          SELECT p.customer_id, i.invoice_date, i.due_date, p.payment_date, -p.amount, false, i.currency
            FROM ar.payments p JOIN ar.invoices i ON i.invoice_id = p.invoice_id AND i.customer_id = p.customer_id
           WHERE p.customer_id = t.customer_id AND p.payment_date >= t.m AND p.payment_date <= as_of AND i.invoice_date <= as_of
          UNION ALL
          SELECT p.customer_id, i.invoice_date, i.due_date, p.payment_date, -p.amount, false, i.currency
            FROM ar.invoices i JOIN ar.payments p ON p.invoice_id = i.invoice_id AND p.customer_id = i.customer_id
           WHERE i.customer_id = t.customer_id AND i.invoice_date >= t.m AND i.invoice_date <= as_of AND p.payment_date < t.m
          UNION ALL
          SELECT i.customer_id, i.invoice_date, i.due_date, a.adjustment_date,
                 CASE WHEN a.kind = 'debit_memo' THEN a.amount ELSE -a.amount END, false, i.currency
            FROM ar.invoices i JOIN ar.adjustments a ON a.invoice_id = i.invoice_id
           WHERE i.customer_id = t.customer_id AND i.invoice_date >= t.m AND i.invoice_date <= as_of AND a.adjustment_date < t.m) x;
END $$;
COMMENT ON FUNCTION ar._month_ledger_events_since(date, text[], date[]) IS 'Internal: the month-end ledger''s events (dated <= as_of) of the given customers from the month ar._month_ledger_since(as_of, since) of each on, by the customers'' indexes.';

-- The entries of the given customers (NULL: all; the filters fold away when planned)
-- as of as_of: events dated on or before it, summed per customer, segment, currency,
-- from month (those before the 24 months under the month before them), until month
-- (NULL: never current in the 24 months: due before it starts or before the event's
-- month) and, for invoices in another currency than the reporting one within the 24
-- months, the invoice date. Entries computed as of an earlier date stay valid later (the
-- ledger re-applies the bounds of its own date: they only move forward).
-- With since (one date per customer, 0.18.0): only the entries from the month
-- ar._month_ledger_since(as_of, since) on, read by each customer's indexes from that
-- month (the refresh recomputes those after a day's load dated in the current month).
CREATE OR REPLACE FUNCTION ar._month_ledger_rows(as_of date, customers text[], since date[] DEFAULT NULL)
RETURNS TABLE (customer_id text, segment text, currency text, from_month date, until_month date, sale_day date,
               delta numeric, sales numeric)
STABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    WITH cfg AS (
        SELECT (date_trunc('month', as_of::timestamp) - interval '23 months')::date AS first_month,
               (date_trunc('month', as_of::timestamp) - interval '24 months')::date AS before_range,
               ar.reporting_currency() AS rc
         WHERE ar.days_past_due(as_of, as_of) = 0   -- rejects an infinite as_of (22008)
    ), events AS (        -- every event that changes an invoice's open amount, dated <= as_of
        SELECT i.customer_id, i.invoice_date, i.due_date, i.invoice_date AS d, i.amount AS delta, true AS is_invoice, i.currency
          FROM ar.invoices i
         WHERE since IS NULL AND i.invoice_date <= as_of AND (customers IS NULL OR i.customer_id = ANY (customers))
        UNION ALL
        SELECT i.customer_id, i.invoice_date, i.due_date, a.adjustment_date,
               CASE WHEN a.kind = 'debit_memo' THEN a.amount ELSE -a.amount END, false, i.currency
          FROM ar.adjustments a JOIN ar.invoices i ON i.invoice_id = a.invoice_id
         WHERE since IS NULL AND a.adjustment_date <= as_of AND i.invoice_date <= as_of AND (customers IS NULL OR i.customer_id = ANY (customers))
        UNION ALL
        -- (a payment's invoice is its customer's: the filter on both lets a few customers'
        -- payments find their invoices by the customers' index, not by hashing every invoice)
        SELECT p.customer_id, i.invoice_date, i.due_date, p.payment_date, -p.amount, false, i.currency
          FROM ar.payments p JOIN ar.invoices i ON i.invoice_id = p.invoice_id
         WHERE since IS NULL AND p.payment_date <= as_of AND i.invoice_date <= as_of
           AND (customers IS NULL OR p.customer_id = ANY (customers)) AND (customers IS NULL OR i.customer_id = ANY (customers))
        UNION ALL
        -- with since: each customer's events from its month on (a function of its own: in
        -- this query, even with since NULL, its branches made the full rebuild's plan
        -- serial, 80 -> 189 s at full scale)
        SELECT x.customer_id, x.invoice_date, x.due_date, x.d, x.delta, x.is_invoice, x.currency
          FROM ar._month_ledger_events_since(as_of, customers, since) x WHERE since IS NOT NULL
    )
    SELECT e.customer_id, coalesce(c.segment, '(none)'), e.currency::text, k.from_month,
           CASE WHEN u.until_month >= greatest(k.from_month, cfg.first_month) THEN u.until_month END,
           CASE WHEN e.is_invoice AND e.currency <> cfg.rc AND e.d >= cfg.first_month THEN e.d END,
           sum(e.delta), sum(e.delta) FILTER (WHERE e.is_invoice)
      FROM events e
      JOIN ar.customers c ON c.customer_id = e.customer_id
      CROSS JOIN cfg
      CROSS JOIN LATERAL (SELECT greatest(date_trunc('month', greatest(e.d, e.invoice_date)::timestamp)::date, cfg.before_range) AS from_month) k
      CROSS JOIN LATERAL (SELECT (date_trunc('month', (e.due_date + 1)::timestamp) - interval '1 month')::date AS until_month) u
     GROUP BY 1, 2, 3, 4, 5, 6;
END;
COMMENT ON FUNCTION ar._month_ledger_rows(date, text[], date[]) IS 'Internal: the month-end ledger''s entries of the given customers (NULL: all) as of as_of: events summed per customer, segment, currency, from month, until month and (other currencies'' invoices) sale day; with since (one date per customer), only the entries from the month ar._month_ledger_since(as_of, since) on.';

-- ar.month_ledger_totals = ar.month_ledger_data summed per key, kept by statement
-- triggers: the rows a statement deletes are subtracted and those it inserts added,
-- grouped per key; a key left without entries goes. Numeric sums: exact, so the totals
-- equal a sum over the entries (tests/sql/20_incremental_refresh.sql compares them after
-- every kind of change). A statement that deletes every entry (a rebuild) empties them.
CREATE OR REPLACE FUNCTION ar._month_ledger_totals_apply() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        DELETE FROM ar.month_ledger_totals;
        RETURN NULL;
    END IF;
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        IF TG_OP = 'DELETE' AND (SELECT count(*) FROM old_rows) = (SELECT sum(t.entries) FROM ar.month_ledger_totals t) THEN
            DELETE FROM ar.month_ledger_totals;
        ELSE
            UPDATE ar.month_ledger_totals t
               SET delta = t.delta - o.delta,
                   sales = CASE WHEN t.sale_entries - o.sale_entries = 0 THEN NULL ELSE t.sales - coalesce(o.sales, 0) END,
                   entries = t.entries - o.entries, sale_entries = t.sale_entries - o.sale_entries
              FROM (SELECT x.segment, x.currency, x.from_month, x.until_month, x.sale_day, sum(x.delta) AS delta, sum(x.sales) AS sales,
                           count(*) AS entries, count(x.sales) AS sale_entries
                      FROM old_rows x GROUP BY 1, 2, 3, 4, 5) o
             WHERE t.segment = o.segment AND t.currency = o.currency AND t.from_month = o.from_month
               AND t.until_month IS NOT DISTINCT FROM o.until_month AND t.sale_day IS NOT DISTINCT FROM o.sale_day;
            DELETE FROM ar.month_ledger_totals t WHERE t.entries = 0;
        END IF;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO ar.month_ledger_totals AS t
        SELECT x.segment, x.currency, x.from_month, x.until_month, x.sale_day, sum(x.delta), sum(x.sales), count(*), count(x.sales)
          FROM new_rows x GROUP BY 1, 2, 3, 4, 5
            ON CONFLICT ON CONSTRAINT month_ledger_totals_key DO UPDATE
           SET delta = t.delta + excluded.delta,
               sales = CASE WHEN t.sales IS NULL THEN excluded.sales WHEN excluded.sales IS NULL THEN t.sales ELSE t.sales + excluded.sales END,
               entries = t.entries + excluded.entries, sale_entries = t.sale_entries + excluded.sale_entries;
    END IF;
    RETURN NULL;
END $$;
COMMENT ON FUNCTION ar._month_ledger_totals_apply() IS 'Internal: trigger on ar.month_ledger_data keeping ar.month_ledger_totals its sums per key (deleted rows subtracted, inserted rows added, per statement).';
SELECT ar._create_statement_triggers('ar.month_ledger_data', 'totals', 'ar._month_ledger_totals_apply');

-- The ledger from the entries stored by the last refresh (stored: ar.month_ledger_data,
-- which must be as of as_of, with the stored open items), or computed from the tables.
CREATE OR REPLACE FUNCTION ar._month_end_ledger_of(as_of date, stored boolean)
RETURNS TABLE (month date, segment text, ending_receivables numeric, ending_current_receivables numeric,
               beginning_receivables numeric, credit_sales numeric)
STABLE PARALLEL SAFE LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
SET jit = off
AS $$
#variable_conflict use_column
DECLARE
    this_month constant date := date_trunc('month', as_of::timestamp)::date;
    month_last constant date := (date_trunc('month', as_of::timestamp) + interval '1 month' - interval '1 day')::date;
    first_month constant date := (date_trunc('month', as_of::timestamp) - interval '23 months')::date;
    -- every event dated before the 24 months is grouped under the month before them
    before_range constant date := (date_trunc('month', as_of::timestamp) - interval '24 months')::date;
    rc constant text := ar.reporting_currency();
BEGIN
    -- PL/pgSQL plans this with the actual as_of and stored (a custom plan: the branch
    -- not taken is not run); as an SQL function called with (SELECT ar.as_of()) it would
    -- get a generic plan, ten times slower.
    RETURN QUERY
    WITH entries AS (   -- (stored: the entries' sums per key, which add up the same)
        SELECT d.segment, d.currency, d.from_month, d.until_month, d.sale_day, d.delta, d.sales
          FROM ar.month_ledger_totals d WHERE stored
        UNION ALL
        SELECT r.segment, r.currency, r.from_month, r.until_month, r.sale_day, r.delta, r.sales
          FROM ar._month_ledger_rows(_month_end_ledger_of.as_of, NULL) r WHERE NOT stored
    ), due_this_month AS (
        -- The current month's correction: an invoice due from as_of to the day before the
        -- month's last day is current on as_of, but its entries say current up to the
        -- month before (their until month does not depend on as_of). Its events dated up
        -- to as_of add up to its open amount on as_of.
        SELECT coalesce(c.segment, '(none)') AS segment, o.currency, sum(o.open_amount) AS amount
          FROM (SELECT o.customer_id, o.currency, o.open_amount FROM ar.open_items_data o
                 WHERE stored AND o.due_date >= _month_end_ledger_of.as_of AND o.due_date < month_last
                UNION ALL
                SELECT o.customer_id, o.currency, o.open_amount
                  FROM ar._open_items_of(_month_end_ledger_of.as_of,
                                         ARRAY(SELECT i.invoice_id FROM ar.invoices i
                                                WHERE NOT stored AND i.due_date >= _month_end_ledger_of.as_of AND i.due_date < month_last)) o
                 WHERE NOT stored) o
          JOIN ar.customers c ON c.customer_id = o.customer_id
         GROUP BY 1, 2
    ), grouped AS (
        -- the bounds of as_of (entries stored earlier have older ones), then the
        -- correction as two entries of the current month that cancel but for its
        -- current receivables
        SELECT e.segment, e.currency, k.from_month,
               CASE WHEN e.until_month >= greatest(k.from_month, first_month) THEN e.until_month END AS until_month,
               CASE WHEN e.sale_day >= first_month THEN e.sale_day END AS sale_day,
               sum(e.delta) AS delta, sum(e.sales) AS sales
          FROM entries e CROSS JOIN LATERAL (SELECT greatest(e.from_month, before_range) AS from_month) k
         GROUP BY 1, 2, 3, 4, 5
        UNION ALL
        SELECT t.segment, t.currency, this_month, v.until_month, NULL::date, v.delta, NULL::numeric
          FROM due_this_month t CROSS JOIN LATERAL (VALUES (this_month, t.amount), (NULL::date, -t.amount)) v(until_month, delta)
    ), per_currency AS (    -- balances per currency at each month end, then converted
        SELECT m.month, s.segment,
               ar.convert(coalesce(sum(g.delta), 0.00), s.currency, rc, m.month_end) AS ending,
               ar.convert(coalesce(sum(g.delta) FILTER (WHERE g.until_month >= m.month), 0.00), s.currency, rc, m.month_end) AS ending_current,
               ar.convert(coalesce(sum(g.delta) FILTER (WHERE g.from_month < m.month), 0.00), s.currency, rc, m.month - 1) AS beginning
          FROM ar.month_ends(_month_end_ledger_of.as_of) m
          CROSS JOIN (SELECT DISTINCT g.segment, g.currency FROM grouped g) s
          LEFT JOIN grouped g ON g.segment = s.segment AND g.currency = s.currency AND g.from_month <= m.month
         GROUP BY m.month, m.month_end, s.segment, s.currency
    ), fx AS MATERIALIZED (  -- a day table of rates, computed once
        SELECT * FROM ar._fx_days(ARRAY(SELECT DISTINCT x.currency FROM grouped x WHERE x.sale_day IS NOT NULL), rc, first_month, _month_end_ledger_of.as_of)
    ), sales AS (           -- each currency's sales at the rate of their invoice date
        SELECT g.from_month AS month, g.segment,
               sum(CASE WHEN g.sale_day IS NULL THEN g.sales
                        ELSE ar._fx_apply(g.sales, g.currency, rc, g.sale_day, fx.rate, fx.inverse) END) AS sales
          FROM grouped g
          LEFT JOIN fx ON fx.currency = g.currency AND fx.day = g.sale_day
         WHERE g.sales IS NOT NULL AND g.from_month >= first_month
         GROUP BY g.from_month, g.segment
    )
    SELECT pc.month, pc.segment, sum(pc.ending), sum(pc.ending_current), sum(pc.beginning), min(sl.sales)
      FROM per_currency pc LEFT JOIN sales sl ON sl.month = pc.month AND sl.segment = pc.segment
     GROUP BY pc.month, pc.segment;
END $$;
COMMENT ON FUNCTION ar._month_end_ledger_of(date, boolean) IS 'Internal: per month of the 24 up to as_of and per segment, month-end, current and beginning receivables and credit sales (NULL: no invoice that month), in the reporting currency: from the entries and open items the refresh stored (stored, which must be as of as_of) or from the tables.';

CREATE OR REPLACE FUNCTION ar._month_end_ledger(as_of date)
RETURNS TABLE (month date, segment text, ending_receivables numeric, ending_current_receivables numeric,
               beginning_receivables numeric, credit_sales numeric)
STABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    SELECT l.month, l.segment, l.ending_receivables, l.ending_current_receivables, l.beginning_receivables, l.credit_sales
      FROM ar._month_end_ledger_of(as_of, false) l;
END;
COMMENT ON FUNCTION ar._month_end_ledger(date) IS 'Internal: per month of the 24 up to as_of and per segment, month-end, current and beginning receivables and credit sales (NULL: no invoice that month), in the reporting currency, from the tables.';

-- Receivables at each month end per segment (the All segments row is the KPI view's):
-- the ledger pass above, without the credit sales.
CREATE OR REPLACE FUNCTION ar.month_end_receivables(as_of date)
RETURNS TABLE (month date, segment text, ending_receivables numeric, ending_current_receivables numeric, beginning_receivables numeric)
STABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    SELECT l.month, l.segment, l.ending_receivables, l.ending_current_receivables, l.beginning_receivables
      FROM ar._month_end_ledger(as_of) l;
END;
COMMENT ON FUNCTION ar.month_end_receivables(date) IS 'Per month of the 24 up to as_of and per segment: receivables open at the month end (as_of for the current month), the part not yet past due, and the receivables open at the start of the month.';
