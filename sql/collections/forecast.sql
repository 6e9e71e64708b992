-- Cash forecast -----------------------------------------------------------------

-- Each open invoice's expected payment date (docs/collections.md):
--   expected = due_date + the customer's amount-weighted days beyond terms over the
--   last 90 days (3 or more payments then), else over 12 months (1 or more), else 0;
--   an expected date already passed moves to the day after as_of; invoices more than
--   forecast_doubtful_days past due are doubtful and left out of the forecast.
-- (with the invoice's currency, which the forecast needs, so that it joins no invoices)
CREATE OR REPLACE FUNCTION ar._cash_forecast_items_of(as_of date)
RETURNS TABLE (invoice_id text, customer_id text, due_date date, open_amount numeric, days_beyond_terms integer,
               basis text, expected_date date, doubtful boolean, as_of date, currency text)
STABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    WITH stats AS (
        SELECT * FROM ar._payment_behaviour_for(as_of)
    ), dbt AS (
        -- (grouped by customer, which has one row already: the planner, blind to the
        -- customers of the union of the stored and the computed rows, then hashes these
        -- rows instead of sorting them and the open items for a merge join; full scale
        -- 1.2 -> 0.8 s)
        SELECT s.customer_id,
               min(CASE WHEN coalesce(ar.item_count(s.s90), 0) >= 3 THEN ar.avg_days_beyond_terms_weighted(s.s90)
                        ELSE ar.avg_days_beyond_terms_weighted(s.s12) END) AS days,
               min(CASE WHEN coalesce(ar.item_count(s.s90), 0) >= 3 THEN '90 days' ELSE '12 months' END) AS basis
          FROM stats s
         GROUP BY s.customer_id
    )
    SELECT o.invoice_id, o.customer_id, o.due_date, o.open_amount, round(coalesce(d.days, 0))::integer,
           coalesce(d.basis, 'no payments: due date'),
           greatest(o.due_date + round(coalesce(d.days, 0))::integer, as_of + 1),
           o.days_past_due > pol.forecast_doubtful_days, as_of, o.currency
      FROM ar._open_items_for(as_of) o
      LEFT JOIN dbt d ON d.customer_id = o.customer_id
      CROSS JOIN ar.collections_policy() pol
     WHERE o.open_amount > 0;
END;
COMMENT ON FUNCTION ar._cash_forecast_items_of(date) IS 'Internal: ar.cash_forecast_items_at(as_of) with the invoice''s currency.';

CREATE OR REPLACE FUNCTION ar.cash_forecast_items_at(as_of date)
RETURNS TABLE (invoice_id text, customer_id text, due_date date, open_amount numeric, days_beyond_terms integer,
               basis text, expected_date date, doubtful boolean, as_of date)
STABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    SELECT f.invoice_id, f.customer_id, f.due_date, f.open_amount, f.days_beyond_terms, f.basis, f.expected_date, f.doubtful, f.as_of
      FROM ar._cash_forecast_items_of(as_of) f;
END;
COMMENT ON FUNCTION ar.cash_forecast_items_at(date) IS 'Each invoice open on a date with its expected payment date: due date + the customer''s weighted days beyond terms (90 days, else 12 months), not before the next day; doubtful = more than ar.collections_policy().forecast_doubtful_days past due.';

-- A count argument n of function fn, or an ERROR (22023) unless it is between 1 and hi.
CREATE OR REPLACE FUNCTION ar._check_count(fn text, name text, n integer, hi integer) RETURNS integer
IMMUTABLE PARALLEL SAFE LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF n IS NULL OR n < 1 OR n > hi THEN
        RAISE EXCEPTION '%: % must be between 1 and %, got %', fn, name, hi, coalesce(n::text, 'NULL')
              USING ERRCODE = 'invalid_parameter_value';
    END IF;
    RETURN n;
END $$;
COMMENT ON FUNCTION ar._check_count(text, text, integer, integer) IS 'Internal: n, or an ERROR naming function fn and argument name unless n is between 1 and hi.';

CREATE OR REPLACE FUNCTION ar._check_weeks(weeks integer) RETURNS integer
IMMUTABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    SELECT ar._check_count('ar.cash_forecast', 'weeks', weeks, 104);
END;
COMMENT ON FUNCTION ar._check_weeks(integer) IS 'Internal: weeks, or an ERROR unless it is between 1 and 104.';

-- The model's forecast made on a date against the cash received afterwards on the same
-- invoices, week by week, in the reporting currency at the forecast date's rates.
CREATE OR REPLACE FUNCTION ar._outlook_backtest_weeks(forecast_as_of date, weeks integer)
RETURNS TABLE (week integer, week_start date, week_end date, forecast numeric, actual numeric)
STABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    WITH items AS (
        SELECT o.invoice_id, o.currency, o.open_amount, o.surv FROM ar._outlook_items_at(forecast_as_of) o
    ), fc AS (
        SELECT w.k AS week, it.currency, sum(it.open_amount * (it.surv[w.k] - it.surv[w.k + 1])) AS amount
          FROM items it CROSS JOIN generate_series(1, ar._check_weeks(weeks)) AS w(k)
         GROUP BY w.k, it.currency
    ), cash AS (
        SELECT (p.payment_date - forecast_as_of - 1) / 7 + 1 AS week, it.currency, sum(p.amount) AS amount
          FROM items it JOIN ar.payments p ON p.invoice_id = it.invoice_id
         WHERE p.payment_date > forecast_as_of AND p.payment_date <= forecast_as_of + 7 * weeks
         GROUP BY 1, 2
    )
    SELECT w, forecast_as_of + 1 + 7 * (w - 1), forecast_as_of + 7 * w,
           coalesce((SELECT sum(ar.convert(fc.amount, fc.currency, ar.reporting_currency(), forecast_as_of)) FROM fc WHERE fc.week = w), 0),
           coalesce((SELECT sum(ar.convert(cash.amount, cash.currency, ar.reporting_currency(), forecast_as_of)) FROM cash WHERE cash.week = w), 0)
      FROM generate_series(1, weeks) AS w
     WHERE forecast_as_of IS NOT NULL
     ORDER BY w;
END;
COMMENT ON FUNCTION ar._outlook_backtest_weeks(date, integer) IS 'Internal: per week after a date, the payment outlook''s expected cash on the invoices open then and the cash received on them, in the reporting currency at that date''s rates.';

-- The band's ratios from backtests' weeks: the 10th and 90th percentiles of actual /
-- forecast over the weeks with a forecast (arrays of the weeks' figures, in the same order).
CREATE OR REPLACE FUNCTION ar._cash_forecast_calibration_of(forecast numeric[], actual numeric[])
RETURNS TABLE (low_ratio numeric, high_ratio numeric, calibration_weeks integer)
IMMUTABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    SELECT round(percentile_cont(0.1) WITHIN GROUP (ORDER BY b.a / b.f)::numeric, 4),
           round(percentile_cont(0.9) WITHIN GROUP (ORDER BY b.a / b.f)::numeric, 4),
           count(*)::integer
      FROM unnest(forecast, actual) AS b(f, a)
     WHERE b.f > 0;
END;
COMMENT ON FUNCTION ar._cash_forecast_calibration_of(numeric[], numeric[]) IS 'Internal: the 10th and 90th percentiles of actual / forecast over backtest weeks with a forecast (the i-th forecast with the i-th actual), and their number.';

-- The band of the forecast of a date: the 10th and 90th percentiles of actual / forecast
-- over the 26 weeks of the model's own backtests made 91 and 182 days before it (each
-- fitted on its own date: data up to then only). The stored fit's band when the refresh
-- fitted and calibrated in the 6 days up to the date.
CREATE OR REPLACE FUNCTION ar._cash_forecast_calibration_at(as_of date)
RETURNS TABLE (low_ratio numeric, high_ratio numeric, calibration_weeks integer)
STABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    SELECT c.low_ratio, c.high_ratio, c.calibration_weeks
      -- two calls, not a join with a list of dates: with a constant date each is planned
      -- for it (a NULL date then reads nothing)
      FROM (SELECT array_agg(b.forecast) AS forecast, array_agg(b.actual) AS actual
              FROM (SELECT * FROM ar._outlook_backtest_weeks(as_of - 91, 13)
                    UNION ALL SELECT * FROM ar._outlook_backtest_weeks(as_of - 182, 13)) b) w,
           ar._cash_forecast_calibration_of(w.forecast, w.actual) c;
END;
COMMENT ON FUNCTION ar._cash_forecast_calibration_at(date) IS 'Internal: the 10th and 90th percentiles of actual / forecast over the 26 weeks of the payment outlook''s backtests made 91 and 182 days before a date.';

CREATE OR REPLACE FUNCTION ar._cash_forecast_band(as_of date)
RETURNS TABLE (low_ratio numeric, high_ratio numeric)
STABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    SELECT f.low_ratio, f.high_ratio FROM ar.payment_model_fit f
     WHERE f.fitted_as_of = (SELECT max(g.fitted_as_of) FROM ar.payment_model_fit g
                              WHERE g.fitted_as_of BETWEEN as_of - 6 AND as_of AND g.calibration_weeks IS NOT NULL)
    UNION ALL
    SELECT c.low_ratio, c.high_ratio FROM ar._cash_forecast_calibration_at(as_of) c
     WHERE NOT EXISTS (SELECT FROM ar.payment_model_fit f
                        WHERE f.fitted_as_of BETWEEN as_of - 6 AND as_of AND f.calibration_weeks IS NOT NULL);
END;
COMMENT ON FUNCTION ar._cash_forecast_band(date) IS 'Internal: the low and high ratios of the forecast band of a date: the stored calibrated fit''s of the 6 days up to it, else ar._cash_forecast_calibration_at(as_of).';

-- Expected cash per week, segment and currency (in the invoices' currency) under the
-- payment outlook: sum of open amount × the share the curve pays in that week.
-- (stored: from the cells the refresh stored, for the views; else computed)
CREATE OR REPLACE FUNCTION ar._cash_forecast_detail_of(as_of date, weeks integer, stored boolean)
RETURNS TABLE (week integer, week_start date, week_end date, segment text, currency text, expected_amount numeric,
               low_amount numeric, high_amount numeric, expected_invoices numeric, as_of date)
STABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    WITH band AS (SELECT * FROM ar._cash_forecast_band(as_of))
    SELECT w.k, _cash_forecast_detail_of.as_of + 1 + 7 * (w.k - 1), _cash_forecast_detail_of.as_of + 7 * w.k,
           o.segment, o.currency,
           round(sum(o.open_amount * (o.surv[w.k] - o.surv[w.k + 1])), ar.currency_minor_unit(o.currency)),
           round(sum(o.open_amount * (o.surv[w.k] - o.surv[w.k + 1])) * (SELECT band.low_ratio FROM band), ar.currency_minor_unit(o.currency)),
           round(sum(o.open_amount * (o.surv[w.k] - o.surv[w.k + 1])) * (SELECT band.high_ratio FROM band), ar.currency_minor_unit(o.currency)),
           round(sum(o.invoices * (o.surv[w.k] - o.surv[w.k + 1])), 1),
           _cash_forecast_detail_of.as_of
      FROM ar._outlook_cells_of(_cash_forecast_detail_of.as_of, stored) o
     CROSS JOIN generate_series(1, ar._check_weeks(weeks)) AS w(k)
     GROUP BY w.k, o.segment, o.currency
     ORDER BY 1, 4, 5;
END;
COMMENT ON FUNCTION ar._cash_forecast_detail_of(date, integer, boolean) IS 'Internal: ar.cash_forecast_detail_at, or (stored) the same from the outlook cells the refresh stored for its date.';

CREATE OR REPLACE FUNCTION ar.cash_forecast_detail_at(as_of date, weeks integer DEFAULT 13)
RETURNS TABLE (week integer, week_start date, week_end date, segment text, currency text, expected_amount numeric,
               low_amount numeric, high_amount numeric, expected_invoices numeric, as_of date)
STABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    SELECT * FROM ar._cash_forecast_detail_of(as_of, weeks, false);
END;
COMMENT ON FUNCTION ar.cash_forecast_detail_at(date, integer) IS 'Expected collections per week, customer segment and currency (amounts in that currency) under the payment outlook (ar.invoice_payment_outlook), with the low and high band (10th and 90th percentile of the model''s backtested actual / forecast).';

CREATE OR REPLACE FUNCTION ar._cash_forecast_of(as_of date, weeks integer, stored boolean)
RETURNS TABLE (week integer, week_start date, week_end date, expected_amount numeric, invoices bigint, as_of date,
               low_amount numeric, high_amount numeric, baseline_amount numeric)
STABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    -- in the reporting currency: each currency's expected cash of a week converted at
    -- as_of's rate, the latest known when the forecast is made (docs/currency.md)
    WITH model AS (
        SELECT d.week, sum(ar.convert(d.expected_amount, d.currency, ar.reporting_currency(), _cash_forecast_of.as_of)) AS amount,
               sum(ar.convert(d.low_amount, d.currency, ar.reporting_currency(), _cash_forecast_of.as_of)) AS low,
               sum(ar.convert(d.high_amount, d.currency, ar.reporting_currency(), _cash_forecast_of.as_of)) AS high,
               sum(d.expected_invoices) AS n
          FROM ar._cash_forecast_detail_of(_cash_forecast_of.as_of, weeks, stored) d
         GROUP BY d.week
    ), baseline AS (
        -- the due-date method (ar.cash_forecast_items_at), kept as the baseline
        SELECT x.week, sum(x.amount) AS amount
          FROM (SELECT (f.expected_date - _cash_forecast_of.as_of - 1) / 7 + 1 AS week,
                       ar.convert(sum(f.open_amount), f.currency, ar.reporting_currency(), _cash_forecast_of.as_of) AS amount
                  FROM ar._cash_forecast_items_of(_cash_forecast_of.as_of) f
                 WHERE NOT f.doubtful AND f.expected_date <= _cash_forecast_of.as_of + 7 * weeks
                 GROUP BY 1, f.currency) x
         GROUP BY x.week
    )
    SELECT w, _cash_forecast_of.as_of + 1 + 7 * (w - 1), _cash_forecast_of.as_of + 7 * w,
           coalesce(m.amount, 0), round(coalesce(m.n, 0))::bigint, _cash_forecast_of.as_of,
           m.low, m.high, coalesce(b.amount, 0)
      FROM generate_series(1, ar._check_weeks(weeks)) AS w
      LEFT JOIN model m ON m.week = w
      LEFT JOIN baseline b ON b.week = w
     WHERE _cash_forecast_of.as_of IS NOT NULL
       AND ar.days_past_due(_cash_forecast_of.as_of, _cash_forecast_of.as_of) = 0   -- rejects an infinite as_of (22008)
     ORDER BY w;
END;
COMMENT ON FUNCTION ar._cash_forecast_of(date, integer, boolean) IS 'Internal: ar.cash_forecast_at, or (stored) the same from the outlook cells the refresh stored for its date.';

CREATE OR REPLACE FUNCTION ar.cash_forecast_at(as_of date, weeks integer DEFAULT 13)
RETURNS TABLE (week integer, week_start date, week_end date, expected_amount numeric, invoices bigint, as_of date,
               low_amount numeric, high_amount numeric, baseline_amount numeric)
STABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    SELECT * FROM ar._cash_forecast_of(as_of, weeks, false);
END;
COMMENT ON FUNCTION ar.cash_forecast_at(date, integer) IS 'Expected collections per week (week 1 = the 7 days after as_of) for the next weeks (default 13, at most 104) under the payment outlook (ar.cash_forecast_detail_at summed), in the reporting currency at as_of''s rates, with the low/high band and the baseline (due date + usual delay, ar.cash_forecast_items_at).';

CREATE MATERIALIZED VIEW IF NOT EXISTS ar.cash_forecast_weekly_mv AS
SELECT f.week, f.week_start, f.week_end, f.expected_amount, f.invoices, f.as_of, (SELECT ar.reporting_currency()) AS currency,
       f.low_amount, f.high_amount, f.baseline_amount
  FROM ar._cash_forecast_of((SELECT ar.as_of()), 13, true) f WITH NO DATA;   -- the stored outlook cells
CREATE UNIQUE INDEX IF NOT EXISTS cash_forecast_weekly_mv_key ON ar.cash_forecast_weekly_mv (week);
COMMENT ON MATERIALIZED VIEW ar.cash_forecast_weekly_mv IS 'Storage of ar.cash_forecast_weekly; query the plain view.';
CREATE OR REPLACE VIEW ar.cash_forecast_weekly AS SELECT * FROM ar.cash_forecast_weekly_mv;
COMMENT ON VIEW ar.cash_forecast_weekly IS 'Expected collections per week for the 13 weeks after the last refresh under the payment outlook learnt from the ledger, with a low/high band and the due-date baseline (docs/collections.md).';
COMMENT ON COLUMN ar.cash_forecast_weekly.week IS 'Week number, 1 = the 7 days after as_of.';
COMMENT ON COLUMN ar.cash_forecast_weekly.week_start IS 'First day of the week.';
COMMENT ON COLUMN ar.cash_forecast_weekly.week_end IS 'Last day of the week.';
COMMENT ON COLUMN ar.cash_forecast_weekly.expected_amount IS 'Expected cash that week: each open invoice''s open amount × the share the payment outlook expects paid that week, in the reporting currency (at the as-of date''s rates).';
COMMENT ON COLUMN ar.cash_forecast_weekly.invoices IS 'Expected number of invoice payments that week (the shares summed, rounded).';
COMMENT ON COLUMN ar.cash_forecast_weekly.as_of IS 'Date of the forecast.';
COMMENT ON COLUMN ar.cash_forecast_weekly.low_amount IS 'Low end of the 80 % band: expected × the 10th percentile of actual / forecast in the model''s backtests (NULL before there is history to backtest).';
COMMENT ON COLUMN ar.cash_forecast_weekly.high_amount IS 'High end of the 80 % band: expected × the 90th percentile of actual / forecast.';
COMMENT ON COLUMN ar.cash_forecast_weekly.baseline_amount IS 'The baseline method''s figure: invoices not over forecast_doubtful_days past due, each at its due date + the customer''s usual delay.';
COMMENT ON COLUMN ar.cash_forecast_weekly.currency IS 'Currency of the amounts: the reporting currency of the refresh.';

CREATE MATERIALIZED VIEW IF NOT EXISTS ar.cash_forecast_detail_mv AS
SELECT * FROM ar._cash_forecast_detail_of((SELECT ar.as_of()), 13, true) WITH NO DATA;   -- the stored outlook cells
CREATE UNIQUE INDEX IF NOT EXISTS cash_forecast_detail_mv_key ON ar.cash_forecast_detail_mv (week, segment, currency);
COMMENT ON MATERIALIZED VIEW ar.cash_forecast_detail_mv IS 'Storage of ar.cash_forecast_detail; query the plain view.';
CREATE OR REPLACE VIEW ar.cash_forecast_detail AS SELECT * FROM ar.cash_forecast_detail_mv;
COMMENT ON VIEW ar.cash_forecast_detail IS 'Expected collections per week, customer segment and currency for the 13 weeks after the last refresh (amounts in that currency, never summed across currencies), with the low/high band (docs/collections.md).';
COMMENT ON COLUMN ar.cash_forecast_detail.week IS 'Week number, 1 = the 7 days after as_of.';
COMMENT ON COLUMN ar.cash_forecast_detail.week_start IS 'First day of the week.';
COMMENT ON COLUMN ar.cash_forecast_detail.week_end IS 'Last day of the week.';
COMMENT ON COLUMN ar.cash_forecast_detail.segment IS 'Customer segment.';
COMMENT ON COLUMN ar.cash_forecast_detail.currency IS 'Currency of the invoices and of the amounts of the row.';
COMMENT ON COLUMN ar.cash_forecast_detail.expected_amount IS 'Expected cash that week on the open invoices of the segment in that currency.';
COMMENT ON COLUMN ar.cash_forecast_detail.low_amount IS 'Low end of the 80 % band (expected × low_ratio of ar.payment_model_fit).';
COMMENT ON COLUMN ar.cash_forecast_detail.high_amount IS 'High end of the 80 % band (expected × high_ratio).';
COMMENT ON COLUMN ar.cash_forecast_detail.expected_invoices IS 'Expected number of invoice payments that week.';
COMMENT ON COLUMN ar.cash_forecast_detail.as_of IS 'Date of the forecast.';

-- Expected write-off of the open book: what the outlook leaves unpaid after a year.
CREATE OR REPLACE FUNCTION ar._expected_write_off_of(as_of date, stored boolean)
RETURNS TABLE (segment text, currency text, open_amount numeric, expected_13_weeks numeric, expected_after_13_weeks numeric,
               expected_write_off numeric, invoices bigint, as_of date)
STABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    SELECT o.segment, o.currency, sum(o.open_amount),
           round(sum(o.open_amount * (1 - o.surv[14])), ar.currency_minor_unit(o.currency)),
           round(sum(o.open_amount * (o.surv[14] - o.surv[53])), ar.currency_minor_unit(o.currency)),
           round(sum(o.open_amount * o.surv[53]), ar.currency_minor_unit(o.currency)),
           sum(o.invoices)::bigint, _expected_write_off_of.as_of
      FROM ar._outlook_cells_of(_expected_write_off_of.as_of, stored) o
     GROUP BY o.segment, o.currency
     ORDER BY 1, 2;
END;
COMMENT ON FUNCTION ar._expected_write_off_of(date, boolean) IS 'Internal: ar.expected_write_off_at, or (stored) the same from the outlook cells the refresh stored for its date.';

CREATE OR REPLACE FUNCTION ar.expected_write_off_at(as_of date)
RETURNS TABLE (segment text, currency text, open_amount numeric, expected_13_weeks numeric, expected_after_13_weeks numeric,
               expected_write_off numeric, invoices bigint, as_of date)
STABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    SELECT * FROM ar._expected_write_off_of(as_of, false);
END;
COMMENT ON FUNCTION ar.expected_write_off_at(date) IS 'Per customer segment and currency: the open receivables of a date, what the payment outlook expects collected within 13 weeks, between 13 and 52 weeks, and not within a year (the expected write-off); amounts in that currency.';

CREATE MATERIALIZED VIEW IF NOT EXISTS ar.expected_write_off_mv AS
SELECT * FROM ar._expected_write_off_of((SELECT ar.as_of()), true) WITH NO DATA;   -- the stored outlook cells
CREATE UNIQUE INDEX IF NOT EXISTS expected_write_off_mv_key ON ar.expected_write_off_mv (segment, currency);
COMMENT ON MATERIALIZED VIEW ar.expected_write_off_mv IS 'Storage of ar.expected_write_off; query the plain view.';
CREATE OR REPLACE VIEW ar.expected_write_off AS SELECT * FROM ar.expected_write_off_mv;
COMMENT ON VIEW ar.expected_write_off IS 'The open book of the last refresh by segment and currency: expected collected within 13 weeks, later within a year, and not within a year (expected write-off), under the payment outlook (docs/collections.md).';
COMMENT ON COLUMN ar.expected_write_off.segment IS 'Customer segment.';
COMMENT ON COLUMN ar.expected_write_off.currency IS 'Currency of the invoices and amounts.';
COMMENT ON COLUMN ar.expected_write_off.open_amount IS 'Open receivables (invoices with a positive open amount).';
COMMENT ON COLUMN ar.expected_write_off.expected_13_weeks IS 'Expected collected within 13 weeks.';
COMMENT ON COLUMN ar.expected_write_off.expected_after_13_weeks IS 'Expected collected after 13 weeks and within 52.';
COMMENT ON COLUMN ar.expected_write_off.expected_write_off IS 'Expected not collected within 52 weeks.';
COMMENT ON COLUMN ar.expected_write_off.invoices IS 'Number of open invoices.';
COMMENT ON COLUMN ar.expected_write_off.as_of IS 'Date of the refresh.';

-- Backtest: the forecast made as of a past date against the cash actually received.
CREATE OR REPLACE FUNCTION ar.cash_forecast_backtest(forecast_as_of date, weeks integer DEFAULT 13)
RETURNS TABLE (week integer, week_start date, week_end date, forecast numeric, actual_on_forecast_items numeric,
               actual_all_cash numeric, error numeric, abs_pct_error numeric, low numeric, high numeric, in_band boolean,
               baseline_forecast numeric, baseline_actual numeric, baseline_error numeric)
STABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    WITH model AS (SELECT * FROM ar._outlook_backtest_weeks(forecast_as_of, weeks)),
    band AS (SELECT * FROM ar._cash_forecast_band(forecast_as_of)),
    base_items AS (
        SELECT f.invoice_id, f.expected_date, f.open_amount, f.currency
          FROM ar._cash_forecast_items_of(forecast_as_of) f
         WHERE NOT f.doubtful
    ),
    base_fc AS (
        SELECT (b.expected_date - forecast_as_of - 1) / 7 + 1 AS week, b.currency, sum(b.open_amount) AS amount
          FROM base_items b WHERE b.expected_date <= forecast_as_of + 7 * weeks GROUP BY 1, 2
    ),
    -- the cash in the reporting currency at the forecast date's rates, like the forecast:
    -- a later move of a rate is not an error of the forecast
    cash AS (
        -- (a join, not IN (subquery): the estimate of the items can be far too high for
        -- the planner to hash an IN list, and a plain subplan per payment is quadratic)
        SELECT (p.payment_date - forecast_as_of - 1) / 7 + 1 AS week, coalesce(p.currency, i.currency, c.currency) AS currency,
               sum(p.amount) FILTER (WHERE b.invoice_id IS NOT NULL) AS on_items,
               sum(p.amount) AS all_cash
          FROM ar.payments p
          LEFT JOIN ar.invoices i ON i.invoice_id = p.invoice_id
          JOIN ar.customers c ON c.customer_id = p.customer_id
          LEFT JOIN base_items b ON b.invoice_id = p.invoice_id
         WHERE p.payment_date > forecast_as_of AND p.payment_date <= forecast_as_of + 7 * weeks
         GROUP BY 1, 2
    ),
    per_week AS (
        SELECT m.week,
               coalesce((SELECT sum(ar.convert(x.on_items, x.currency, ar.reporting_currency(), forecast_as_of)) FROM cash x WHERE x.week = m.week), 0) AS base_actual,
               coalesce((SELECT sum(ar.convert(x.all_cash, x.currency, ar.reporting_currency(), forecast_as_of)) FROM cash x WHERE x.week = m.week), 0) AS all_cash,
               coalesce((SELECT sum(ar.convert(b.amount, b.currency, ar.reporting_currency(), forecast_as_of)) FROM base_fc b WHERE b.week = m.week), 0) AS base_fc
          FROM model m
    )
    SELECT m.week, m.week_start, m.week_end, round(m.forecast, 2), m.actual, w.all_cash,
           m.actual - round(m.forecast, 2), round(abs(m.actual - m.forecast) / nullif(m.actual, 0), 4),
           round(m.forecast * (SELECT band.low_ratio FROM band), 2), round(m.forecast * (SELECT band.high_ratio FROM band), 2),
           m.actual BETWEEN round(m.forecast * (SELECT band.low_ratio FROM band), 2) AND round(m.forecast * (SELECT band.high_ratio FROM band), 2),
           w.base_fc, w.base_actual, w.base_actual - w.base_fc
      FROM model m JOIN per_week w ON w.week = m.week
     ORDER BY m.week;
END;
COMMENT ON FUNCTION ar.cash_forecast_backtest(date, integer) IS 'The forecast made as of a past date (the model fitted on the data dated up to it) against the cash received each week afterwards: on the invoices open then (like for like), and in all; with the 80 % band and whether the week fell in it, and the baseline method (due date + usual delay) against the cash on its own invoices. All in the reporting currency at the forecast date''s rates. error = actual - forecast.';

-- The backtest summed up for forecasts made 91, 119, 147, ... days before a date (one
-- every 4 weeks), each complete (its 13 weeks end by as_of): per forecast date and
-- method, and for all of them together (forecast_as_of NULL).
CREATE OR REPLACE FUNCTION ar.cash_forecast_backtest_summary(as_of date, forecasts integer DEFAULT 4)
RETURNS TABLE (forecast_as_of date, method text, forecast numeric, actual numeric, collected_share numeric,
               weighted_abs_weekly_error numeric, band_coverage numeric, weeks bigint)
STABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    WITH b AS (
        SELECT d AS forecast_as_of, x.*
          FROM generate_series(0, ar._check_count('ar.cash_forecast_backtest_summary', 'forecasts', forecasts, 26) - 1) AS j,
               LATERAL (SELECT as_of - 91 - 28 * j AS d) dd,
               ar.cash_forecast_backtest(dd.d, 13) x
    ), rows AS (
        SELECT b.forecast_as_of, 'payment outlook' AS method, b.forecast AS fc, b.actual_on_forecast_items AS act, b.in_band FROM b
        UNION ALL
        SELECT b.forecast_as_of, 'baseline', b.baseline_forecast, b.baseline_actual, NULL FROM b
    )
    SELECT r.forecast_as_of, r.method, sum(r.fc), sum(r.act), round(sum(r.act) / nullif(sum(r.fc), 0), 4),
           round(sum(abs(r.act - r.fc)) / nullif(sum(r.act), 0), 4),
           round(avg(CASE WHEN r.in_band THEN 1 WHEN NOT r.in_band THEN 0 END), 4), count(*)
      FROM rows r
     GROUP BY GROUPING SETS ((r.forecast_as_of, r.method), (r.method))
     ORDER BY r.forecast_as_of NULLS LAST, r.method DESC;
END;
COMMENT ON FUNCTION ar.cash_forecast_backtest_summary(date, integer) IS 'How right the forecast was: for forecasts made 91, 119, 147, ... days before as_of (forecasts of them, default 4, at most 26) and for all together (forecast_as_of NULL), per method (the payment outlook and the due-date baseline): forecast and actual over the 13 weeks, collected share = actual / forecast, weighted absolute weekly error = sum |actual - forecast| / sum actual, and the share of weeks inside the 80 % band (docs/collections.md).';

-- The latest complete backtest, stored by the refresh for BI tools (a reader role may
-- not call ar.cash_forecast_backtest, which reads the ledger): the forecast made 13
-- weeks (91 days) before the as-of date against the cash of each of its 13 weeks.
-- A portfolio whose rates start less than 13 weeks ago has no rate for that forecast
-- date: then no rows, and a WARNING naming the pair and the date (the refresh goes on:
-- the accuracy report is not a sum, and the forecast of today has its rates).
CREATE OR REPLACE FUNCTION ar._cash_forecast_accuracy(as_of date)
RETURNS TABLE (forecast_as_of date, week integer, week_start date, week_end date, forecast numeric,
               actual_on_forecast_items numeric, actual_all_cash numeric, error numeric, abs_pct_error numeric,
               low numeric, high numeric, in_band boolean, baseline_forecast numeric, baseline_actual numeric, baseline_error numeric)
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
                                       actual_all_cash numeric, error numeric, abs_pct_error numeric, low numeric, high numeric,
                                       in_band boolean, baseline_forecast numeric, baseline_actual numeric, baseline_error numeric);
END $$;
COMMENT ON FUNCTION ar._cash_forecast_accuracy(date) IS 'Internal: ar.cash_forecast_backtest of the forecast made 91 days before as_of; no rows (and a WARNING naming the pair and date) when an exchange rate for that date is missing.';
CREATE MATERIALIZED VIEW IF NOT EXISTS ar.cash_forecast_backtest_mv AS
SELECT a.forecast_as_of, a.week, a.week_start, a.week_end, a.forecast, a.actual_on_forecast_items, a.actual_all_cash, a.error,
       a.abs_pct_error, (SELECT ar.reporting_currency()) AS currency,
       a.low, a.high, a.in_band, a.baseline_forecast, a.baseline_actual, a.baseline_error
  FROM ar._cash_forecast_accuracy((SELECT ar.as_of())) a WITH NO DATA;
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
COMMENT ON COLUMN ar.cash_forecast_accuracy.low IS 'Low end of the 80 % band of that week''s forecast.';
COMMENT ON COLUMN ar.cash_forecast_accuracy.high IS 'High end of the 80 % band.';
COMMENT ON COLUMN ar.cash_forecast_accuracy.in_band IS 'Whether the cash received on the forecast invoices fell inside the band.';
COMMENT ON COLUMN ar.cash_forecast_accuracy.baseline_forecast IS 'The baseline method''s forecast of that week (due date + usual delay, doubtful invoices left out).';
COMMENT ON COLUMN ar.cash_forecast_accuracy.baseline_actual IS 'Cash received that week on the baseline''s invoices.';
COMMENT ON COLUMN ar.cash_forecast_accuracy.baseline_error IS 'baseline_actual - baseline_forecast.';
