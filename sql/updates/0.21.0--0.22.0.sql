-- ar_analytics 0.21.0 -> 0.22.0: the migrations only (released; never edited again).

-- ar._store_customer_health takes the customers whose 90-day sales alone the date moved
-- (a fifth argument): the old signature goes, the new one is created by its definition.
DROP FUNCTION IF EXISTS ar._store_customer_health(date, text[], text[], text[]);
