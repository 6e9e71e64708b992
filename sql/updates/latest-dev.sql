-- ar_analytics 0.17.0 -> next release: the migrations since 0.17.0 (ALTER TABLE, data moves,
-- DROP of objects whose signature changed, detach + drop of a storage materialized view
-- whose query changed). Cutting a release renames this file (scripts/release.sh).

-- The worklist accounts are kept for the customers whose account the date moves, a part
-- of the health rows' set (sql/refresh/customer_state.sql): the store function takes
-- that set as a fourth argument.
DROP FUNCTION IF EXISTS ar._store_customer_health(date, text[], text[]);
