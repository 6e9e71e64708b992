-- Exchange rates (fresh installs only; changes are migrations in sql/updates/).
-- Conventions and how to load them: docs/currency.md.

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
