-- Cash forecast -----------------------------------------------------------------

-- Each open invoice's expected payment date (docs/collections.md):
--   expected = due_date + the customer's amount-weighted days beyond terms over the
--   last 90 days (3 or more payments then), else over 12 months (1 or more), else 0;
--   an expected date already passed moves to the day after as_of; invoices more than
--   forecast_doubtful_days past due are doubtful and left out of the forecast.
CREATE OR REPLACE FUNCTION ar.cash_forecast_items_at(as_of date)
RETURNS TABLE (invoice_id text, customer_id text, due_date date, open_amount numeric, days_beyond_terms integer,
               basis text, expected_date date, doubtful boolean, as_of date)
STABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    WITH stats AS (
        SELECT * FROM ar._payment_behaviour_at(as_of)
    ), dbt AS (
        SELECT s.customer_id,
               CASE WHEN coalesce(ar.item_count(s.s90), 0) >= 3 THEN ar.avg_days_beyond_terms_weighted(s.s90)
                    ELSE ar.avg_days_beyond_terms_weighted(s.s12) END AS days,
               CASE WHEN coalesce(ar.item_count(s.s90), 0) >= 3 THEN '90 days' ELSE '12 months' END AS basis
          FROM stats s
    )
    SELECT o.invoice_id, o.customer_id, o.due_date, o.open_amount, round(coalesce(d.days, 0))::integer,
           coalesce(d.basis, 'no payments: due date'),
           greatest(o.due_date + round(coalesce(d.days, 0))::integer, as_of + 1),
           o.days_past_due > pol.forecast_doubtful_days, as_of
      FROM ar._open_items_for(as_of) o
      LEFT JOIN dbt d ON d.customer_id = o.customer_id
      CROSS JOIN ar.collections_policy() pol
     WHERE o.open_amount > 0;
END;
COMMENT ON FUNCTION ar.cash_forecast_items_at(date) IS 'Each invoice open on a date with its expected payment date: due date + the customer''s weighted days beyond terms (90 days, else 12 months), not before the next day; doubtful = more than ar.collections_policy().forecast_doubtful_days past due.';

CREATE OR REPLACE FUNCTION ar._check_weeks(weeks integer) RETURNS integer
IMMUTABLE PARALLEL SAFE LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF weeks IS NULL OR weeks < 1 OR weeks > 104 THEN
        RAISE EXCEPTION 'ar.cash_forecast: weeks must be between 1 and 104, got %', coalesce(weeks::text, 'NULL')
              USING ERRCODE = 'invalid_parameter_value';
    END IF;
    RETURN weeks;
END $$;
COMMENT ON FUNCTION ar._check_weeks(integer) IS 'Internal: weeks, or an ERROR unless it is between 1 and 104.';

CREATE OR REPLACE FUNCTION ar.cash_forecast_at(as_of date, weeks integer DEFAULT 13)
RETURNS TABLE (week integer, week_start date, week_end date, expected_amount numeric, invoices bigint, as_of date)
STABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    -- in the reporting currency: each currency's expected cash of a week converted at
    -- as_of's rate, the latest known when the forecast is made (docs/currency.md)
    SELECT w, cash_forecast_at.as_of + 1 + 7 * (w - 1), cash_forecast_at.as_of + 7 * w,
           coalesce(sum(x.amount), 0), coalesce(sum(x.n), 0)::bigint, cash_forecast_at.as_of
      FROM generate_series(1, ar._check_weeks(weeks)) AS w
      LEFT JOIN (SELECT (f.expected_date - cash_forecast_at.as_of - 1) / 7 + 1 AS week, i.currency,
                        ar.convert(sum(f.open_amount), i.currency, ar.reporting_currency(), cash_forecast_at.as_of) AS amount,
                        count(*) AS n
                   FROM ar.cash_forecast_items_at(cash_forecast_at.as_of) f JOIN ar.invoices i ON i.invoice_id = f.invoice_id
                  WHERE NOT f.doubtful AND f.expected_date <= cash_forecast_at.as_of + 7 * weeks
                  GROUP BY 1, i.currency) x ON x.week = w
     WHERE cash_forecast_at.as_of IS NOT NULL
     GROUP BY w
     ORDER BY w;
END;
COMMENT ON FUNCTION ar.cash_forecast_at(date, integer) IS 'Expected collections per week (week 1 = the 7 days after as_of) for the next weeks (default 13, at most 104) from ar.cash_forecast_items_at, in the reporting currency at as_of''s rates; doubtful invoices are left out.';

CREATE MATERIALIZED VIEW IF NOT EXISTS ar.cash_forecast_weekly_mv AS
SELECT f.*, (SELECT ar.reporting_currency()) AS currency FROM ar.cash_forecast_at((SELECT ar.as_of()), 13) f WITH NO DATA;
CREATE UNIQUE INDEX IF NOT EXISTS cash_forecast_weekly_mv_key ON ar.cash_forecast_weekly_mv (week);
COMMENT ON MATERIALIZED VIEW ar.cash_forecast_weekly_mv IS 'Storage of ar.cash_forecast_weekly; query the plain view.';
CREATE OR REPLACE VIEW ar.cash_forecast_weekly AS SELECT * FROM ar.cash_forecast_weekly_mv;
COMMENT ON VIEW ar.cash_forecast_weekly IS 'Expected collections per week for the 13 weeks after the last refresh: each open invoice at its due date shifted by its customer''s recent weighted days beyond terms (docs/collections.md).';
COMMENT ON COLUMN ar.cash_forecast_weekly.week IS 'Week number, 1 = the 7 days after as_of.';
COMMENT ON COLUMN ar.cash_forecast_weekly.week_start IS 'First day of the week.';
COMMENT ON COLUMN ar.cash_forecast_weekly.week_end IS 'Last day of the week.';
COMMENT ON COLUMN ar.cash_forecast_weekly.expected_amount IS 'Open amount of the invoices expected to be paid that week, in the reporting currency (at the as-of date''s rates).';
COMMENT ON COLUMN ar.cash_forecast_weekly.invoices IS 'Number of those invoices.';
COMMENT ON COLUMN ar.cash_forecast_weekly.as_of IS 'Date of the forecast.';
COMMENT ON COLUMN ar.cash_forecast_weekly.currency IS 'Currency of expected_amount: the reporting currency of the refresh.';

-- Backtest: the forecast made as of a past date against the cash actually received.
CREATE OR REPLACE FUNCTION ar.cash_forecast_backtest(forecast_as_of date, weeks integer DEFAULT 13)
RETURNS TABLE (week integer, week_start date, week_end date, forecast numeric, actual_on_forecast_items numeric,
               actual_all_cash numeric, error numeric, abs_pct_error numeric)
STABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    WITH fc AS (SELECT * FROM ar.cash_forecast_at(forecast_as_of, weeks)),
    items AS (SELECT f.invoice_id FROM ar.cash_forecast_items_at(forecast_as_of) f WHERE NOT f.doubtful),
    -- the cash in the reporting currency at the forecast date's rates, like the forecast:
    -- a later move of a rate is not an error of the forecast
    cash AS (
        SELECT fc.week, coalesce(p.currency, i.currency, c.currency) AS currency,
               sum(p.amount) FILTER (WHERE p.invoice_id IN (SELECT items.invoice_id FROM items)) AS on_items,
               sum(p.amount) AS all_cash
          FROM fc JOIN ar.payments p ON p.payment_date BETWEEN fc.week_start AND fc.week_end
          LEFT JOIN ar.invoices i ON i.invoice_id = p.invoice_id
          JOIN ar.customers c ON c.customer_id = p.customer_id
         GROUP BY fc.week, coalesce(p.currency, i.currency, c.currency)
    ),
    actual AS (
        SELECT fc.week,
               coalesce(sum(ar.convert(x.on_items, x.currency, ar.reporting_currency(), forecast_as_of)), 0) AS on_items,
               coalesce(sum(ar.convert(x.all_cash, x.currency, ar.reporting_currency(), forecast_as_of)), 0) AS all_cash
          FROM fc LEFT JOIN cash x ON x.week = fc.week
         GROUP BY fc.week
    )
    SELECT fc.week, fc.week_start, fc.week_end, fc.expected_amount, a.on_items, a.all_cash,
           a.on_items - fc.expected_amount, round(abs(a.on_items - fc.expected_amount) / nullif(a.on_items, 0), 4)
      FROM fc JOIN actual a ON a.week = fc.week
     ORDER BY fc.week;
END;
COMMENT ON FUNCTION ar.cash_forecast_backtest(date, integer) IS 'The forecast made as of a past date (from the data dated up to it) against the cash received each week afterwards: on the forecast invoices (the like-for-like figure), and in all; both in the reporting currency at the forecast date''s rates. error = actual on forecast invoices - forecast.';

-- The latest complete backtest, stored by the refresh for BI tools (a reader role may
-- not call ar.cash_forecast_backtest, which reads the ledger): the forecast made 13
-- weeks (91 days) before the as-of date against the cash of each of its 13 weeks.
-- A portfolio whose rates start less than 13 weeks ago has no rate for that forecast
-- date: then no rows, and a WARNING naming the pair and the date (the refresh goes on:
-- the accuracy report is not a sum, and the forecast of today has its rates).
CREATE OR REPLACE FUNCTION ar._cash_forecast_accuracy(as_of date)
RETURNS TABLE (forecast_as_of date, week integer, week_start date, week_end date, forecast numeric,
               actual_on_forecast_items numeric, actual_all_cash numeric, error numeric, abs_pct_error numeric)
STABLE LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    rs jsonb;
BEGIN
    -- all 13 weeks first, then return them: RETURN QUERY would keep the weeks returned
    -- before an error in a later week (a partial report)
    BEGIN
        SELECT jsonb_agg(to_jsonb(b) ORDER BY b.week) INTO rs FROM ar.cash_forecast_backtest(_cash_forecast_accuracy.as_of - 91, 13) b;
    EXCEPTION WHEN no_data_found THEN
        RAISE WARNING 'ar.cash_forecast_accuracy left empty: %', SQLERRM;
        RETURN;
    END;
    RETURN QUERY SELECT _cash_forecast_accuracy.as_of - 91, x.*
      FROM jsonb_to_recordset(rs) AS x(week integer, week_start date, week_end date, forecast numeric, actual_on_forecast_items numeric,
                                       actual_all_cash numeric, error numeric, abs_pct_error numeric);
END $$;
COMMENT ON FUNCTION ar._cash_forecast_accuracy(date) IS 'Internal: ar.cash_forecast_backtest of the forecast made 91 days before as_of; no rows (and a WARNING naming the pair and date) when an exchange rate for that date is missing.';
CREATE MATERIALIZED VIEW IF NOT EXISTS ar.cash_forecast_backtest_mv AS
SELECT a.*, (SELECT ar.reporting_currency()) AS currency FROM ar._cash_forecast_accuracy((SELECT ar.as_of())) a WITH NO DATA;
CREATE UNIQUE INDEX IF NOT EXISTS cash_forecast_backtest_mv_key ON ar.cash_forecast_backtest_mv (week);
COMMENT ON MATERIALIZED VIEW ar.cash_forecast_backtest_mv IS 'Storage of ar.cash_forecast_accuracy; query the plain view.';
CREATE OR REPLACE VIEW ar.cash_forecast_accuracy AS SELECT * FROM ar.cash_forecast_backtest_mv;
COMMENT ON VIEW ar.cash_forecast_accuracy IS 'How right the forecast was: ar.cash_forecast_backtest of the forecast made 13 weeks before the last refresh''s as-of date, week by week (docs/collections.md). Empty when an exchange rate of that date is missing (the refresh warns, naming it).';
COMMENT ON COLUMN ar.cash_forecast_accuracy.forecast_as_of IS 'Date the forecast was made as of: 91 days before the refresh''s as-of date.';
COMMENT ON COLUMN ar.cash_forecast_accuracy.week IS 'Week number, 1 = the 7 days after forecast_as_of.';
COMMENT ON COLUMN ar.cash_forecast_accuracy.week_start IS 'First day of the week.';
COMMENT ON COLUMN ar.cash_forecast_accuracy.week_end IS 'Last day of the week.';
COMMENT ON COLUMN ar.cash_forecast_accuracy.forecast IS 'Cash the forecast expected that week (reporting currency at forecast_as_of''s rates).';
COMMENT ON COLUMN ar.cash_forecast_accuracy.actual_on_forecast_items IS 'Cash received that week on the invoices the forecast covered (like for like).';
COMMENT ON COLUMN ar.cash_forecast_accuracy.actual_all_cash IS 'All cash received that week (new invoices and unapplied cash included).';
COMMENT ON COLUMN ar.cash_forecast_accuracy.error IS 'actual_on_forecast_items - forecast.';
COMMENT ON COLUMN ar.cash_forecast_accuracy.abs_pct_error IS '|error| / actual_on_forecast_items (NULL when nothing was received).';
COMMENT ON COLUMN ar.cash_forecast_accuracy.currency IS 'Currency of the amounts: the reporting currency of the refresh (at forecast_as_of''s rates).';
