-- ar_analytics 0.8.0 -> 0.9.0: the migrations only (released; never edited again).

-- The payment outlook model stored by the refresh (docs/collections.md, "Payment
-- outlook"): refitted weekly, four fits (as_of and the three past dates of its band and
-- accuracy report: ar._store_payment_model). Derived data: the next refresh
-- refits it, so it is not dumped.
CREATE TABLE ar.payment_model_fit (
    fitted_as_of date PRIMARY KEY,
    fitted_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    currency text NOT NULL,
    low_ratio numeric,
    high_ratio numeric,
    calibration_weeks integer,
    fit_ms numeric NOT NULL
);
COMMENT ON TABLE ar.payment_model_fit IS 'The fits of the payment outlook model the refresh stored (the latest weekly refit: the as-of date and the three past dates its band and accuracy report use): date, reporting currency and the band of the cash forecast.';
COMMENT ON COLUMN ar.payment_model_fit.fitted_as_of IS 'Date of the ledger the model was fitted on (only data dated on or before it).';
COMMENT ON COLUMN ar.payment_model_fit.fitted_at IS 'When the refresh fitted it.';
COMMENT ON COLUMN ar.payment_model_fit.currency IS 'Reporting currency the exposures are weighed in.';
COMMENT ON COLUMN ar.payment_model_fit.low_ratio IS '10th percentile of actual / forecast over the weeks of the calibration backtests: low band = forecast × low_ratio (NULL: no calibration week).';
COMMENT ON COLUMN ar.payment_model_fit.high_ratio IS '90th percentile of actual / forecast over the weeks of the calibration backtests: high band = forecast × high_ratio.';
COMMENT ON COLUMN ar.payment_model_fit.calibration_weeks IS 'Number of backtest weeks the band was calibrated on (NULL: not calibrated, a fit kept only for a backtest).';
COMMENT ON COLUMN ar.payment_model_fit.fit_ms IS 'Milliseconds the fit and its calibration took.';

CREATE TABLE ar.payment_model (
    fitted_as_of date NOT NULL REFERENCES ar.payment_model_fit ON DELETE CASCADE,
    band text NOT NULL,
    age_week integer NOT NULL,
    invoices_at_risk bigint NOT NULL,
    exposure numeric NOT NULL,
    paid numeric NOT NULL,
    raw_hazard numeric,
    prior_hazard numeric NOT NULL,
    hazard numeric NOT NULL,
    PRIMARY KEY (fitted_as_of, band, age_week)
);
COMMENT ON TABLE ar.payment_model IS 'Coefficients of the stored payment outlook model: ar.payment_model_at(fitted_as_of), one row per behaviour band and week of age.';
COMMENT ON COLUMN ar.payment_model.fitted_as_of IS 'Date of the fit (ar.payment_model_fit).';
COMMENT ON COLUMN ar.payment_model.band IS 'Behaviour band: the customer''s weighted days beyond terms over 12 months, or stalled.';
COMMENT ON COLUMN ar.payment_model.age_week IS 'Week of age: floor((date - due date) / 7), -13 .. 52 (52: a year or more).';
COMMENT ON COLUMN ar.payment_model.invoices_at_risk IS 'Invoices open at the start of that week of age.';
COMMENT ON COLUMN ar.payment_model.exposure IS 'Their open amount then (reporting currency at the fit date''s rates).';
COMMENT ON COLUMN ar.payment_model.paid IS 'Cash paid on them during the week.';
COMMENT ON COLUMN ar.payment_model.raw_hazard IS 'paid / exposure (NULL: no exposure).';
COMMENT ON COLUMN ar.payment_model.prior_hazard IS 'What a thin cell borrows from: the same week''s hazard over all bands; for stalled, the band''s hazard over all its weeks.';
COMMENT ON COLUMN ar.payment_model.hazard IS 'The hazard used: (n · raw + 20 · prior) / (n + 20), n = invoices at risk.';

-- The cash forecast and its backtest use the payment outlook (sql/collections/outlook.sql):
-- their functions return more columns and their storage's query changed.
SELECT ar._detach_dependents(to_regclass('ar.cash_forecast_weekly_mv')) WHERE to_regclass('ar.cash_forecast_weekly_mv') IS NOT NULL;
DROP MATERIALIZED VIEW IF EXISTS ar.cash_forecast_weekly_mv;
SELECT ar._detach_dependents(to_regclass('ar.cash_forecast_backtest_mv')) WHERE to_regclass('ar.cash_forecast_backtest_mv') IS NOT NULL;
DROP MATERIALIZED VIEW IF EXISTS ar.cash_forecast_backtest_mv;
DROP FUNCTION IF EXISTS ar._cash_forecast_accuracy(date);
DROP FUNCTION IF EXISTS ar.cash_forecast_backtest(date, integer);   -- reads ar.cash_forecast_at
DROP FUNCTION IF EXISTS ar.cash_forecast_at(date, integer);

-- The payment-slipping warning also asks for a slip of a share of the usual lateness.
ALTER TABLE ar.rating_policy ADD COLUMN IF NOT EXISTS slip_warning_share numeric;
COMMENT ON COLUMN ar.rating_policy.slip_warning_share IS 'And by at least this share of the customer''s usual (12-month weighted) days beyond terms, so that a customer who always pays 70 days late is not flagged for a 10-day wobble. Default 0.25.';
SELECT ar._detach_dependents(to_regclass('ar.early_warnings_mv')) WHERE to_regclass('ar.early_warnings_mv') IS NOT NULL;
DROP MATERIALIZED VIEW IF EXISTS ar.early_warnings_mv;
