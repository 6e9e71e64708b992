-- Currencies: minor units, the reporting currency, exchange rates and conversion.
-- The conventions (which amount is in which currency, which date's rate converts it)
-- are in docs/currency.md; every view applies them through these functions.

-- ISO 4217 minor units: the decimals an amount in the currency is rounded to.
CREATE OR REPLACE FUNCTION ar.currency_minor_unit(currency text) RETURNS integer
IMMUTABLE STRICT PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    SELECT CASE WHEN currency IN ('BIF', 'CLP', 'DJF', 'GNF', 'ISK', 'JPY', 'KMF', 'KRW', 'PYG',
                                  'RWF', 'UGX', 'UYI', 'VND', 'VUV', 'XAF', 'XOF', 'XPF') THEN 0
                WHEN currency IN ('BHD', 'IQD', 'JOD', 'KWD', 'LYD', 'OMR', 'TND') THEN 3
                WHEN currency IN ('CLF', 'UYW') THEN 4
                ELSE 2 END;
END;
COMMENT ON FUNCTION ar.currency_minor_unit(text) IS 'Decimals of the currency''s minor unit (ISO 4217): 0 for JPY, KRW, ...; 3 for BHD, KWD, ...; 2 for all others. Converted amounts are rounded to it.';

-- The reporting currency: ar.settings.reporting_currency (default USD).
CREATE OR REPLACE FUNCTION ar.reporting_currency() RETURNS text
STABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    SELECT coalesce((SELECT s.reporting_currency::text FROM ar.settings s), 'USD');
END;
COMMENT ON FUNCTION ar.reporting_currency() IS 'Currency of the portfolio figures (aging, KPIs, segment risk, forecast, performance): ar.settings.reporting_currency, USD until set with ar.set_reporting_currency.';

CREATE OR REPLACE FUNCTION ar.set_reporting_currency(currency text) RETURNS text
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF currency IS NULL OR currency !~ '^[A-Z]{3}$' THEN
        RAISE EXCEPTION 'reporting currency must be an ISO 4217 code of three capital letters, not %', coalesce(quote_literal(currency), 'NULL')
              USING ERRCODE = 'invalid_parameter_value';
    END IF;
    INSERT INTO ar.settings (reporting_currency) VALUES (currency)
        ON CONFLICT (singleton) DO UPDATE SET reporting_currency = excluded.reporting_currency;
    RETURN currency;
END $$;
COMMENT ON FUNCTION ar.set_reporting_currency(text) IS 'Set the reporting currency (ar.settings.reporting_currency); the portfolio views show it from the next ar.refresh.';

-- The rate of a pair on a date: the latest on or before it, direct, else the inverse of
-- the opposite pair; rate NULL when there is none. inverse = divide by the rate.
-- Plain SQL (the planner inlines it into its callers' plans: about 10 microseconds a
-- lookup, where a PL/pgSQL function took ten times that).
CREATE OR REPLACE FUNCTION ar._fx_bad_arguments(from_currency text, to_currency text, on_date date) RETURNS numeric
STABLE PARALLEL SAFE LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF from_currency IS NULL OR to_currency IS NULL OR on_date IS NULL THEN
        RAISE EXCEPTION 'currency conversion needs both currencies and a date (got %, %, %)',
              coalesce(from_currency, 'NULL'), coalesce(to_currency, 'NULL'), coalesce(on_date::text, 'NULL')
              USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF NOT isfinite(on_date) THEN
        RAISE EXCEPTION 'currency conversion date must be finite, not %', on_date USING ERRCODE = 'datetime_field_overflow';
    END IF;
    RAISE EXCEPTION 'currency codes must be ISO 4217 codes of three capital letters (got %, %)',
          quote_literal(from_currency), quote_literal(to_currency) USING ERRCODE = 'invalid_parameter_value';
END $$;
COMMENT ON FUNCTION ar._fx_bad_arguments(text, text, date) IS 'Internal: the error of a conversion asked with a NULL, infinite or malformed argument.';

CREATE OR REPLACE FUNCTION ar._fx_find(from_currency text, to_currency text, on_date date)
RETURNS TABLE (rate numeric, inverse boolean)
STABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    SELECT CASE WHEN _fx_find.from_currency IS NULL OR _fx_find.to_currency IS NULL OR _fx_find.on_date IS NULL OR NOT isfinite(_fx_find.on_date)
                  OR _fx_find.from_currency !~ '^[A-Z]{3}$' OR _fx_find.to_currency !~ '^[A-Z]{3}$'
                THEN ar._fx_bad_arguments(_fx_find.from_currency, _fx_find.to_currency, _fx_find.on_date)
                WHEN _fx_find.from_currency = _fx_find.to_currency THEN 1
                ELSE coalesce(d.rate, i.rate) END,
           _fx_find.from_currency <> _fx_find.to_currency AND d.rate IS NULL AND i.rate IS NOT NULL
      FROM (SELECT 1) one
      -- (char(3) arguments: compared as text, the key of ar.fx_rates would not be used)
      LEFT JOIN LATERAL (SELECT f.rate FROM ar.fx_rates f
                          WHERE f.from_currency = _fx_find.from_currency::char(3) AND f.to_currency = _fx_find.to_currency::char(3) AND f.rate_date <= _fx_find.on_date
                          ORDER BY f.rate_date DESC LIMIT 1) d ON _fx_find.from_currency <> _fx_find.to_currency
      LEFT JOIN LATERAL (SELECT f.rate FROM ar.fx_rates f
                          WHERE f.from_currency = _fx_find.to_currency::char(3) AND f.to_currency = _fx_find.from_currency::char(3) AND f.rate_date <= _fx_find.on_date
                          ORDER BY f.rate_date DESC LIMIT 1) i ON _fx_find.from_currency <> _fx_find.to_currency AND d.rate IS NULL;
END;
COMMENT ON FUNCTION ar._fx_find(text, text, date) IS 'Internal: the rate of a pair on a date (latest on or before it, direct, else the opposite pair''s with inverse = true); NULL rate when there is none. ERROR on NULL, infinite or malformed arguments.';

-- STABLE, not IMMUTABLE: an immutable call would be folded into every plan and raise.
CREATE OR REPLACE FUNCTION ar._fx_missing(from_currency text, to_currency text, on_date date) RETURNS numeric
STABLE PARALLEL SAFE LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RAISE EXCEPTION 'no exchange rate from % to % on or before %', from_currency, to_currency, on_date
          USING ERRCODE = 'no_data_found',
                HINT = format('Load a %s/%s (or %s/%s) rate dated on or before %s into ar.fx_rates (docs/currency.md).',
                              from_currency, to_currency, to_currency, from_currency, on_date);
END $$;
COMMENT ON FUNCTION ar._fx_missing(text, text, date) IS 'Internal: the error of a conversion without a rate (no_data_found, naming the pair and the date).';

CREATE OR REPLACE FUNCTION ar._fx_nan(amount numeric) RETURNS numeric
STABLE PARALLEL SAFE LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RAISE EXCEPTION 'cannot convert %', amount USING ERRCODE = 'invalid_parameter_value';
END $$;
COMMENT ON FUNCTION ar._fx_nan(numeric) IS 'Internal: the error of ar.convert(NaN, ...).';

-- The one conversion rule, given the rate found: same currency = the amount unchanged;
-- zero = zero (no rate needed); else amount * rate (amount / rate of the opposite pair)
-- rounded half away from zero to the target currency's minor unit; no rate = ERROR.
-- Inlined by the planner (one expression, no sub-select).
CREATE OR REPLACE FUNCTION ar._fx_apply(amount numeric, from_currency text, to_currency text, on_date date,
                                        rate numeric, inverse boolean) RETURNS numeric
STABLE PARALLEL SAFE LANGUAGE sql
RETURN CASE WHEN amount IS NULL THEN NULL
            WHEN amount = 'NaN' THEN ar._fx_nan(amount)
            WHEN from_currency = to_currency THEN amount
            WHEN amount = 0 THEN round(amount, ar.currency_minor_unit(to_currency))
            WHEN rate IS NULL THEN ar._fx_missing(from_currency, to_currency, on_date)
            WHEN inverse THEN round(amount / rate, ar.currency_minor_unit(to_currency))
            ELSE round(amount * rate, ar.currency_minor_unit(to_currency)) END;
COMMENT ON FUNCTION ar._fx_apply(numeric, text, text, date, numeric, boolean) IS 'Internal: the conversion rule of ar.convert, given the rate ar._fx_find found (views that convert many rows join a day table of rates, ar._fx_days, and apply this).';

CREATE OR REPLACE FUNCTION ar.fx_rate(from_currency text, to_currency text, on_date date) RETURNS numeric
STABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    SELECT CASE WHEN f.rate IS NULL THEN ar._fx_missing(from_currency, to_currency, on_date)
                WHEN f.inverse THEN 1 / f.rate ELSE f.rate END
      FROM ar._fx_find(from_currency, to_currency, on_date) f;
END;
COMMENT ON FUNCTION ar.fx_rate(text, text, date) IS 'Units of to_currency per unit of from_currency on a date: the latest rate on or before it, direct, else 1 / the opposite pair''s (to 16 significant digits or more). ERROR no_data_found when there is none.';

CREATE OR REPLACE FUNCTION ar.convert(amount numeric, from_currency text, to_currency text, on_date date) RETURNS numeric
STABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    SELECT CASE WHEN convert.amount IS NULL THEN NULL
                ELSE (SELECT ar._fx_apply(convert.amount, from_currency, to_currency, on_date, f.rate, f.inverse)
                        FROM ar._fx_find(from_currency, to_currency, on_date) f) END;
END;
COMMENT ON FUNCTION ar.convert(numeric, text, text, date) IS 'amount in from_currency converted to to_currency at the latest rate on or before on_date (direct, else dividing by the opposite pair''s), exact numeric rounded half away from zero to the target''s minor unit (ar.currency_minor_unit: JPY 0 decimals). Same currency: the amount unchanged. Zero: zero (no rate needed). NULL amount: NULL. No rate: ERROR no_data_found naming both currencies and the date.';

-- Rates of the given currencies into one, for every day of a range (rate NULL on days
-- without one): views that convert many rows join this small table on (currency, day)
-- instead of looking a rate up per row.
CREATE OR REPLACE FUNCTION ar._fx_days(currencies text[], to_currency text, from_date date, to_date date)
RETURNS TABLE (currency text, day date, rate numeric, inverse boolean)
STABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    SELECT c.currency, d.day::date, f.rate, f.inverse
      FROM (SELECT DISTINCT u.currency FROM unnest(currencies) u(currency) WHERE u.currency IS NOT NULL) c
     CROSS JOIN generate_series(from_date::timestamp, to_date::timestamp, interval '1 day') d(day)
     CROSS JOIN LATERAL ar._fx_find(c.currency, to_currency, d.day::date) f;
END;
COMMENT ON FUNCTION ar._fx_days(text[], text, date, date) IS 'Internal: per currency and day of [from_date, to_date], the rate into to_currency that ar.convert would use (NULL rate: none).';
