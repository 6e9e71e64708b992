-- ar_analytics 0.5.0 -> 0.6.0: the migrations only (released; never edited again).

-- Multi-currency (docs/currency.md): exchange rates, the reporting currency, the
-- currency of a payment, the stats in the reporting currency of the ADTP trend rows.
CREATE TABLE ar.fx_rates (
    from_currency char(3) NOT NULL CHECK (from_currency ~ '^[A-Z]{3}$'),
    to_currency   char(3) NOT NULL CHECK (to_currency ~ '^[A-Z]{3}$'),
    rate_date     date NOT NULL CHECK (isfinite(rate_date)),
    rate          numeric NOT NULL CHECK (rate > 0 AND rate <> 'Infinity'),
    PRIMARY KEY (from_currency, to_currency, rate_date),
    CONSTRAINT fx_rates_two_currencies CHECK (from_currency <> to_currency)
);
COMMENT ON TABLE ar.fx_rates IS 'Exchange rates: rate = units of to_currency per unit of from_currency, valid from rate_date until the pair''s next rate. ar.convert uses the latest rate on or before a date, direct or else the inverse of the opposite pair.';
COMMENT ON COLUMN ar.fx_rates.from_currency IS 'ISO 4217 code of the currency converted from.';
COMMENT ON COLUMN ar.fx_rates.to_currency IS 'ISO 4217 code of the currency converted to.';
COMMENT ON COLUMN ar.fx_rates.rate_date IS 'Date the rate was published (it holds from then until the pair''s next rate).';
COMMENT ON COLUMN ar.fx_rates.rate IS 'Units of to_currency per unit of from_currency (positive, exact numeric).';
SELECT pg_catalog.pg_extension_config_dump('ar.fx_rates', '');

ALTER TABLE ar.settings ADD COLUMN reporting_currency char(3) NOT NULL DEFAULT 'USD' CHECK (reporting_currency ~ '^[A-Z]{3}$');
COMMENT ON COLUMN ar.settings.reporting_currency IS 'Currency of the portfolio figures (ar.reporting_currency(); default USD); set it with ar.set_reporting_currency.';
ALTER TABLE ar.payments ADD COLUMN currency char(3);
COMMENT ON COLUMN ar.payments.currency IS 'ISO 4217 code of the payment as the ERP gave it; NULL = the currency of the invoice paid (of the customer for unapplied cash). A payment in another currency than its invoice (or than its customer, when unapplied) is rejected: convert it in the ERP first (docs/currency.md).';
ALTER TABLE ar.stage_payments ADD COLUMN currency text;
COMMENT ON COLUMN ar.stage_payments.currency IS 'ISO 4217 code of the payment (empty = the invoice''s); a payment in another currency than its invoice is rejected.';

-- The trend rows gain stats_reporting (the function's result type changes); every
-- row is recomputed by the next refresh (no state = rebuild).
DROP FUNCTION IF EXISTS ar._adtp_trend_rows(date, text[]);   -- (absent in an update from before 0.3.0)
ALTER TABLE ar.adtp_trend_monthly_data ADD COLUMN stats_reporting ar.paymentstats;
COMMENT ON COLUMN ar.adtp_trend_monthly_data.stats IS 'The month''s payment summary (ar.payment_stats), amounts in the customer''s currency.';
COMMENT ON COLUMN ar.adtp_trend_monthly_data.stats_reporting IS 'The same summary with amounts in the reporting currency at each payment''s date, rolled up by the monthly KPIs; NULL = equal to stats (every payment of the month already in the reporting currency).';
DELETE FROM ar._adtp_trend_state;

-- The demo generator gains foreign_share.
DROP FUNCTION IF EXISTS ar.generate_demo(integer, bigint, date, boolean);

-- Storage whose query changes (amounts in the reporting currency, a currency column);
-- an update from an older version may not have them yet.
SELECT ar._detach_dependents(to_regclass('ar.portfolio_aging_mv')) WHERE to_regclass('ar.portfolio_aging_mv') IS NOT NULL;
DROP MATERIALIZED VIEW IF EXISTS ar.portfolio_aging_mv;
SELECT ar._detach_dependents(to_regclass('ar.portfolio_kpis_monthly_mv')) WHERE to_regclass('ar.portfolio_kpis_monthly_mv') IS NOT NULL;
DROP MATERIALIZED VIEW IF EXISTS ar.portfolio_kpis_monthly_mv;
SELECT ar._detach_dependents(to_regclass('ar.collections_performance_mv')) WHERE to_regclass('ar.collections_performance_mv') IS NOT NULL;
DROP MATERIALIZED VIEW IF EXISTS ar.collections_performance_mv;
SELECT ar._detach_dependents(to_regclass('ar.collections_worklist_mv')) WHERE to_regclass('ar.collections_worklist_mv') IS NOT NULL;
DROP MATERIALIZED VIEW IF EXISTS ar.collections_worklist_mv;
