-- The scalar metrics written in Rust (src/metrics.rs, src/risk.rs): their comments, and
-- ar.add. Definitions: docs/metrics.md.

COMMENT ON SCHEMA ar IS 'ar_analytics: accounts-receivable tables, metrics, aggregates and views';

COMMENT ON FUNCTION ar.days_past_due(date, date) IS 'Days past due: as_of - due_date (negative = days until due). Infinite dates are an error.';
COMMENT ON FUNCTION ar.aging_bucket(integer) IS 'Standard aging bucket of a days-past-due figure: current (<= 0), 1-30, 31-60, 61-90, 91-120, 121+ (upper bounds inclusive).';
COMMENT ON FUNCTION ar.aging_standard_bounds() IS 'The inclusive upper bounds of the standard aging buckets, {30,60,90,120}: ar.aging_bucket(d) = ar.aging_bucket(d, ar.aging_standard_bounds()).';
COMMENT ON FUNCTION ar.aging_bucket(integer, integer[]) IS 'Aging bucket for 1 to 12 ascending, inclusive, positive upper bounds, e.g. {15,45} gives current, 1-15, 16-45, 46+.';
COMMENT ON FUNCTION ar.dso(numeric, numeric, integer) IS 'Days sales outstanding = receivables * period_days / credit_sales; NULL when credit_sales = 0.';
COMMENT ON FUNCTION ar.bpdso(numeric, numeric, integer) IS 'Best possible DSO = current (not past due) receivables * period_days / credit_sales; NULL when credit_sales = 0.';
COMMENT ON FUNCTION ar.average_days_delinquent(numeric, numeric) IS 'Average days delinquent (ADD) = DSO - BPDSO.';
COMMENT ON FUNCTION ar.dso_countback(numeric, numeric[], integer[]) IS 'Countback DSO: sales[1] is the most recent period of days[1] days (30 when days is NULL); whole periods are counted back while receivables cover their sales, then the fraction of the next. Receivables beyond all sales give the total days.';
COMMENT ON FUNCTION ar.cei(numeric, numeric, numeric, numeric) IS 'Collection effectiveness index, percent = (begin + sales - end) / (begin + sales - end current) * 100; NULL when the denominator is 0.';
COMMENT ON FUNCTION ar.payment_index(numeric) IS '0-100 payment score of amount-weighted days beyond terms: 100 = 30+ days early, 80 = on time, 50 = 30 days late, 20 = 120+ days late; linear between anchors, rounded.';
COMMENT ON FUNCTION ar._demo_uniform(bigint, bigint, bigint) IS 'Internal: deterministic uniform [0,1) used by ar.generate_demo.';

CREATE OR REPLACE FUNCTION ar.add(dso numeric, bpdso numeric) RETURNS numeric
    IMMUTABLE STRICT PARALLEL SAFE LANGUAGE sql
    RETURN ar.average_days_delinquent(dso, bpdso);
COMMENT ON FUNCTION ar.add(numeric, numeric) IS 'Alias of ar.average_days_delinquent (ADD = DSO - BPDSO); not an addition.';

-- The first day past due of each standard aging bucket after current, {1, 31, 61, 91,
-- 121}: 1 and each standard bound + 1, the days on which an open item enters another
-- bucket. Read by the refresh's sets of customers the date moves (an item crossing an
-- aging bound: sql/refresh/customer_state.sql, sql/views/portfolio_aging.sql) and by the
-- portfolio aging's bucket order, so that the bounds are written once (in Rust).
CREATE OR REPLACE FUNCTION ar._aging_bucket_starts() RETURNS integer[]
IMMUTABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    SELECT ARRAY[1] || array_agg(b + 1 ORDER BY b) FROM unnest(ar.aging_standard_bounds()) b;
END;
COMMENT ON FUNCTION ar._aging_bucket_starts() IS 'Internal: the first day past due of each standard aging bucket after current, {1,31,61,91,121} (1 and ar.aging_standard_bounds() + 1).';

-- The number of calendar months from a's month to b's (negative when b's month is
-- earlier; days ignored): the months a monthly store moved over (sql/refresh/customer_state.sql)
-- and the months of figures a change reaches (sql/collections/performance.sql).
CREATE OR REPLACE FUNCTION ar._months_between(a date, b date) RETURNS integer
IMMUTABLE STRICT PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    SELECT (extract(year FROM b)::integer - extract(year FROM a)::integer) * 12
           + extract(month FROM b)::integer - extract(month FROM a)::integer;
END;
COMMENT ON FUNCTION ar._months_between(date, date) IS 'Internal: calendar months from a''s month to b''s (days ignored; negative when b''s month is earlier), finite dates.';
