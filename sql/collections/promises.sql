-- Promises to pay ---------------------------------------------------------------

-- Kept rate per customer, per collector (ar.customers.collector) and for the portfolio,
-- over the promises made in the 365 days up to as_of: kept / (kept + broken).
CREATE OR REPLACE FUNCTION ar.promise_kept_rates_at(as_of date)
RETURNS TABLE (dimension text, key text, promises bigint, kept bigint, broken bigint, pending bigint,
               kept_rate numeric, as_of date)
STABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    WITH p AS (
        SELECT ps.status, ps.customer_id, c.collector
          FROM ar._promise_status_for(as_of) ps JOIN ar.customers c ON c.customer_id = ps.customer_id   -- stored on the refreshed date
         WHERE ps.made_on > as_of - 365
           AND ar.days_past_due(as_of, as_of) = 0   -- rejects an infinite as_of (22008)
    )
    SELECT CASE WHEN grouping(p.customer_id) = 0 THEN 'customer' WHEN grouping(p.collector) = 0 THEN 'collector' ELSE 'portfolio' END,
           coalesce(p.customer_id, p.collector, CASE WHEN grouping(p.collector) = 0 THEN '(none)' END),
           count(*), count(*) FILTER (WHERE p.status = 'kept'), count(*) FILTER (WHERE p.status = 'broken'),
           count(*) FILTER (WHERE p.status = 'pending'),
           round(count(*) FILTER (WHERE p.status = 'kept')::numeric / nullif(count(*) FILTER (WHERE p.status IN ('kept', 'broken')), 0), 4),
           as_of
      FROM p
     GROUP BY GROUPING SETS ((p.customer_id), (p.collector), ())
    HAVING as_of IS NOT NULL
     ORDER BY 1, 2;
END;
COMMENT ON FUNCTION ar.promise_kept_rates_at(date) IS 'Promise-kept rate (kept / (kept + broken); pending promises wait) per customer, per collector and for the portfolio, over the promises made in the 365 days up to as_of (statuses from ar.promise_status).';

-- The storage leaves out the refreshed date, which the plain view adds (ar.settings, as
-- ar.customer_health_mv reads it): a row changes only with its counts, so the daily
-- concurrent refresh no longer rewrites every row for its date (0.19.0).
CREATE MATERIALIZED VIEW IF NOT EXISTS ar.promise_kept_rates_mv AS
SELECT r.dimension, r.key, r.promises, r.kept, r.broken, r.pending, r.kept_rate
  FROM ar.promise_kept_rates_at((SELECT ar.as_of())) r
WITH NO DATA;
CREATE UNIQUE INDEX IF NOT EXISTS promise_kept_rates_mv_key ON ar.promise_kept_rates_mv (dimension, key);
COMMENT ON MATERIALIZED VIEW ar.promise_kept_rates_mv IS 'Storage of ar.promise_kept_rates (without the refreshed date, which the plain view adds); query the plain view.';
CREATE OR REPLACE VIEW ar.promise_kept_rates AS
SELECT m.dimension, m.key, m.promises, m.kept, m.broken, m.pending, m.kept_rate, s.as_of
  FROM ar.promise_kept_rates_mv m LEFT JOIN ar.settings s ON true;   -- (its one row)
COMMENT ON VIEW ar.promise_kept_rates IS 'Promise-kept rates as of the last refresh, per customer, per collector and for the portfolio.';
COMMENT ON COLUMN ar.promise_kept_rates.dimension IS 'customer, collector or portfolio.';
COMMENT ON COLUMN ar.promise_kept_rates.key IS 'Customer id or collector name ((none) = no collector); NULL for the portfolio.';
COMMENT ON COLUMN ar.promise_kept_rates.promises IS 'Promises made in the 365 days up to as_of.';
COMMENT ON COLUMN ar.promise_kept_rates.kept IS 'Kept: covered by cash by the promised date.';
COMMENT ON COLUMN ar.promise_kept_rates.broken IS 'Broken: not covered and the date has passed.';
COMMENT ON COLUMN ar.promise_kept_rates.pending IS 'Not covered yet, date not passed.';
COMMENT ON COLUMN ar.promise_kept_rates.kept_rate IS 'kept / (kept + broken); NULL when none is decided.';
COMMENT ON COLUMN ar.promise_kept_rates.as_of IS 'As-of date.';

-- Stored by ar.refresh, kept per customer (ar.promise_status_data,
-- sql/refresh/customer_state.sql); a view over the function would read the tables as
-- the querying role: a BI role made by ar.grant_reader could not.
CREATE OR REPLACE VIEW ar.promises_status_mv AS
SELECT d.promise_id, d.customer_id, d.invoice_id, d.made_on, d.promised_date, d.amount, d.paid, d.status FROM ar.promise_status_data d;
COMMENT ON VIEW ar.promises_status_mv IS 'Storage of ar.promises_status (the rows of ar.promise_status_data); query the plain view.';
CREATE OR REPLACE VIEW ar.promises_status AS SELECT * FROM ar.promises_status_mv;
COMMENT ON VIEW ar.promises_status IS 'Every promise to pay made by the last refresh''s as-of date with the cash paid against it and its status (kept, broken, pending).';
COMMENT ON COLUMN ar.promises_status.promise_id IS 'Promise identifier.';
COMMENT ON COLUMN ar.promises_status.customer_id IS 'Account.';
COMMENT ON COLUMN ar.promises_status.invoice_id IS 'Invoice promised (NULL = the account).';
COMMENT ON COLUMN ar.promises_status.made_on IS 'Date the promise was made.';
COMMENT ON COLUMN ar.promises_status.promised_date IS 'Date promised.';
COMMENT ON COLUMN ar.promises_status.amount IS 'Amount promised.';
COMMENT ON COLUMN ar.promises_status.paid IS 'Cash applied to it from made_on to the promised date (or as_of).';
COMMENT ON COLUMN ar.promises_status.status IS 'kept, broken or pending.';
-- The storage view has the columns of ar.promises_status: the same descriptions.
SELECT ar._copy_column_comments('ar.promises_status', 'ar.promises_status_mv');
