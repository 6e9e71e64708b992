-- The as-of date of the views and the open-items snapshot every refresh computes first.

CREATE OR REPLACE FUNCTION ar.as_of() RETURNS date
STABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    SELECT s.as_of FROM ar.settings s;
END;
COMMENT ON FUNCTION ar.as_of() IS 'The as-of date of the views (set by ar.refresh); NULL before the first refresh.';

-- Open items as of ar.as_of(), computed once per refresh (was twice: customer health,
-- portfolio aging) and read by the collections views.
CREATE MATERIALIZED VIEW IF NOT EXISTS ar.open_items_snapshot AS
SELECT * FROM ar.open_items((SELECT ar.as_of())) WITH NO DATA;
CREATE UNIQUE INDEX IF NOT EXISTS open_items_snapshot_key ON ar.open_items_snapshot (invoice_id);
CREATE INDEX IF NOT EXISTS open_items_snapshot_customer_idx ON ar.open_items_snapshot (customer_id, days_past_due);
COMMENT ON MATERIALIZED VIEW ar.open_items_snapshot IS 'ar.open_items(ar.as_of()), stored by ar.refresh (first, not concurrently: reading it directly waits while a refresh runs) and read by the views refreshed after it.';

-- Open items on a date: the refresh's snapshot when the date is the refreshed one,
-- else computed. The planner evaluates the two conditions once and runs one branch.
CREATE OR REPLACE FUNCTION ar._open_items_for(as_of date)
RETURNS TABLE (invoice_id text, customer_id text, invoice_date date, due_date date,
               amount numeric, open_amount numeric, days_past_due integer)
STABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    SELECT s.invoice_id, s.customer_id, s.invoice_date, s.due_date, s.amount, s.open_amount, s.days_past_due
      FROM ar.open_items_snapshot s WHERE as_of = (SELECT ar.as_of())
    UNION ALL
    SELECT o.invoice_id, o.customer_id, o.invoice_date, o.due_date, o.amount, o.open_amount, o.days_past_due
      FROM ar.open_items(as_of) o WHERE as_of IS DISTINCT FROM (SELECT ar.as_of());
END;
COMMENT ON FUNCTION ar._open_items_for(date) IS 'Internal: ar.open_items(as_of), read from ar.open_items_snapshot when as_of is the refreshed date.';

-- ar.open_items sums the payments and adjustments of every invoice. Hashed, that is a
-- hash table of ten million invoices, spilled to disk in batches at the default
-- work_mem (57 s at 10M invoices); walking invoices and payments in invoice order
-- (the indexes on invoice_id, or sorts) takes 20 s for the same rows.
CREATE OR REPLACE FUNCTION ar._refresh_open_items_snapshot() RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
SET enable_hashjoin = off
SET enable_hashagg = off
AS $$
BEGIN
    REFRESH MATERIALIZED VIEW ar.open_items_snapshot;
    RETURN (SELECT count(*) FROM ar.open_items_snapshot);
END $$;
COMMENT ON FUNCTION ar._refresh_open_items_snapshot() IS 'Internal: refresh ar.open_items_snapshot (with merge plans: no hash table of every invoice) and return its row count.';
