-- ar_analytics 0.17.0 -> 0.18.0: the migrations only (released; never edited again).

-- The worklist accounts are kept for the customers whose account the date moves, a part
-- of the health rows' set (sql/refresh/customer_state.sql): the store function takes
-- that set as a fourth argument.
DROP FUNCTION IF EXISTS ar._store_customer_health(date, text[], text[]);

-- The change log notes the earliest ledger date of each change (sql/refresh/customer_state.sql):
-- the month-end ledger's entries are recomputed from that month on. Notes taken before the
-- update name no date: all of the customer's entries.
ALTER TABLE ar._customer_changes ADD COLUMN ledger_since date;
UPDATE ar._customer_changes SET ledger_since = '-infinity' WHERE customer_id IS NOT NULL;
COMMENT ON COLUMN ar._customer_changes.ledger_since IS 'Earliest ledger date the change concerns: the customer''s month-end ledger entries are recomputed from its month on (-infinity: all; NULL: none, a change outside the ledger).';
DROP FUNCTION IF EXISTS ar._take_customer_changes();
DROP FUNCTION IF EXISTS ar._customer_stores();
DROP FUNCTION IF EXISTS ar._refresh_stores(date, boolean, text[], boolean);
DROP FUNCTION IF EXISTS ar._month_ledger_rows(date, text[]);

-- The ADTP trend's change log notes the earliest payment date of each change
-- (sql/views/adtp_trend.sql): the customer's rows are recomputed from that month on. Notes
-- taken before the update name no date: all of the customer's months.
ALTER TABLE ar._adtp_trend_changes ADD COLUMN since date;
COMMENT ON COLUMN ar._adtp_trend_changes.since IS 'Earliest payment date changed: the customer''s rows are recomputed from its month on; NULL = all of them (an invoice''s dates, the customer''s attributes).';
DROP FUNCTION IF EXISTS ar._adtp_trend_rows(date, text[]);
