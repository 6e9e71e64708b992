-- ar_analytics 0.20.0 -> 0.21.0: the migrations only (released; never edited again).

-- The collections performance figures are recomputed per customer from the month of the
-- earliest date a change concerns (0.21.0): the change log notes that date
-- (performance_since), the refresh takes it and passes it to the stores (their list,
-- the taking function and the stores' refresh have new result columns or arguments).
ALTER TABLE ar._customer_changes ADD COLUMN performance_since date;
COMMENT ON COLUMN ar._customer_changes.performance_since IS 'Earliest date the change concerns for the collections performance figures: the customer''s figures are recomputed from its month on (-infinity: all; NULL: none, a change they do not read).';
DROP FUNCTION IF EXISTS ar._customer_stores();
DROP FUNCTION IF EXISTS ar._take_customer_changes();
DROP FUNCTION IF EXISTS ar._refresh_stores(date, boolean, text[], boolean, text[], date[]);

-- The standard aging bounds are written once (ar.aging_standard_bounds, in Rust; the first
-- days of the buckets ar._aging_bucket_starts): the portfolio aging's storage reads them
-- for its bucket order, a changed query: re-created (post-update.sql fills it).
SELECT ar._detach_dependents(to_regclass('ar.portfolio_aging_mv')) WHERE to_regclass('ar.portfolio_aging_mv') IS NOT NULL;
DROP MATERIALIZED VIEW IF EXISTS ar.portfolio_aging_mv;
