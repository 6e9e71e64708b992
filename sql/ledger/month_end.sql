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
--   until = the current month                     if due_date >= as_of
--         = the month of due_date                  if due_date is a month's last day
--         = the month before that of due_date      otherwise.
-- Events are summed per (segment, from month, until month): a few hundred groups,
-- whatever the size of the ledger; the months are then added up from those groups.
-- Credit sales are the invoice events of the month, read in the same pass.
-- Amounts are in the reporting currency (docs/currency.md): events are also keyed by
-- currency; a currency's receivables at a month end convert at that month end's rate
-- (the beginning receivables at the previous month end's), its credit sales at the rate
-- of each invoice date (so invoices in another currency than the reporting one are also
-- keyed by their date: at most a few thousand more groups).
CREATE OR REPLACE FUNCTION ar._month_end_ledger(as_of date)
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
    rc constant text := ar.reporting_currency();
BEGIN
    -- PL/pgSQL plans this with the actual as_of (a custom plan); as an SQL function
    -- called with (SELECT ar.as_of()) it would get a generic plan, ten times slower.
    RETURN QUERY
    WITH events AS (        -- every event that changes an invoice's open amount, dated <= as_of
        SELECT i.customer_id, i.invoice_date, i.due_date, i.invoice_date AS d, i.amount AS delta, true AS is_invoice, i.currency
          FROM ar.invoices i WHERE i.invoice_date <= _month_end_ledger.as_of
        UNION ALL
        SELECT i.customer_id, i.invoice_date, i.due_date, a.adjustment_date,
               CASE WHEN a.kind = 'debit_memo' THEN a.amount ELSE -a.amount END, false, i.currency
          FROM ar.adjustments a JOIN ar.invoices i ON i.invoice_id = a.invoice_id
         WHERE a.adjustment_date <= _month_end_ledger.as_of AND i.invoice_date <= _month_end_ledger.as_of
        UNION ALL
        SELECT p.customer_id, i.invoice_date, i.due_date, p.payment_date, -p.amount, false, i.currency
          FROM ar.payments p JOIN ar.invoices i ON i.invoice_id = p.invoice_id
         WHERE p.payment_date <= _month_end_ledger.as_of AND i.invoice_date <= _month_end_ledger.as_of
    ), keyed AS (
        SELECT coalesce(c.segment, '(none)') AS segment, k.from_month,
               CASE WHEN u.until_month >= greatest(k.from_month, first_month) THEN u.until_month END AS until_month,
               e.delta, e.is_invoice, e.currency::text AS currency,
               CASE WHEN e.is_invoice AND e.currency <> rc AND e.d >= first_month THEN e.d END AS sale_day
          FROM events e
          JOIN ar.customers c ON c.customer_id = e.customer_id
          CROSS JOIN LATERAL (SELECT greatest(date_trunc('month', greatest(e.d, e.invoice_date)::timestamp)::date, before_range) AS from_month) k
          CROSS JOIN LATERAL (SELECT CASE WHEN e.due_date >= _month_end_ledger.as_of THEN this_month
                                          ELSE (date_trunc('month', (e.due_date + 1)::timestamp) - interval '1 month')::date END AS until_month) u
    ), grouped AS (
        SELECT k.segment, k.currency, k.from_month, k.until_month, k.sale_day,
               sum(k.delta) AS delta, sum(k.delta) FILTER (WHERE k.is_invoice) AS sales
          FROM keyed k GROUP BY k.segment, k.currency, k.from_month, k.until_month, k.sale_day
    ), per_currency AS (    -- balances per currency at each month end, then converted
        SELECT m.month, s.segment,
               ar.convert(coalesce(sum(g.delta), 0.00), s.currency, rc, m.month_end) AS ending,
               ar.convert(coalesce(sum(g.delta) FILTER (WHERE g.until_month >= m.month), 0.00), s.currency, rc, m.month_end) AS ending_current,
               ar.convert(coalesce(sum(g.delta) FILTER (WHERE g.from_month < m.month), 0.00), s.currency, rc, m.month - 1) AS beginning
          FROM ar.month_ends(_month_end_ledger.as_of) m
          CROSS JOIN (SELECT DISTINCT g.segment, g.currency FROM grouped g) s
          LEFT JOIN grouped g ON g.segment = s.segment AND g.currency = s.currency AND g.from_month <= m.month
         GROUP BY m.month, m.month_end, s.segment, s.currency
    ), fx AS MATERIALIZED (  -- a day table of rates, computed once
        SELECT * FROM ar._fx_days(ARRAY(SELECT DISTINCT x.currency FROM grouped x WHERE x.sale_day IS NOT NULL), rc, first_month, _month_end_ledger.as_of)
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
COMMENT ON FUNCTION ar._month_end_ledger(date) IS 'Internal: per month of the 24 up to as_of and per segment, month-end, current and beginning receivables and credit sales (NULL: no invoice that month), in the reporting currency, in one pass over the ledger.';

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
