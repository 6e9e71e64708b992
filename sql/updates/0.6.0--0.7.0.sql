-- ar_analytics 0.6.0 -> 0.7.0: the migrations only (released; never edited again).

-- Payment behaviour in one helper with weights in the customer's currency
-- (ar._payment_behaviour_at): the early-warning storage's query changed (its published
-- view is kept; the sources re-create the storage). Guarded: from a version before 0.5.0
-- the 0.4.0--0.5.0 step has dropped it already in this script.
SELECT ar._detach_dependents(to_regclass('ar.early_warnings_mv')) WHERE to_regclass('ar.early_warnings_mv') IS NOT NULL;
DROP MATERIALIZED VIEW IF EXISTS ar.early_warnings_mv;

-- The weekly cash forecast names its currency (the reporting currency): its storage's
-- query changed.
SELECT ar._detach_dependents(to_regclass('ar.cash_forecast_weekly_mv')) WHERE to_regclass('ar.cash_forecast_weekly_mv') IS NOT NULL;
DROP MATERIALIZED VIEW IF EXISTS ar.cash_forecast_weekly_mv;
