-- ar_analytics 0.21.0 -> next release: the migrations since 0.21.0 (ALTER TABLE, data moves,
-- DROP of objects whose signature changed, detach + drop of a storage materialized view
-- whose query changed). Cutting a release renames this file (scripts/release.sh).

-- ar._store_customer_health takes the customers whose 90-day sales alone the date moved
-- (a fifth argument): the old signature goes, the new one is created by its definition.
DROP FUNCTION IF EXISTS ar._store_customer_health(date, text[], text[], text[]);
