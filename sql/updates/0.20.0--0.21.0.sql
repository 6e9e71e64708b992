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
