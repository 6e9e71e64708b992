-- ar_analytics 0.9.0 -> 0.10.0: the migrations only (released; never edited again).

-- The customer-level state is kept incrementally (sql/refresh/customer_state.sql): the
-- open-items snapshot and customer health become views over stored rows.
-- (ids in the default collation, as the open-items snapshot has always shown them:
-- the views over it keep their column types)
CREATE TABLE ar.open_items_data (
    invoice_id   text PRIMARY KEY,
    customer_id  text NOT NULL,
    invoice_date date NOT NULL,
    due_date     date NOT NULL,
    amount       numeric NOT NULL,
    open_amount  numeric NOT NULL,
    currency     text NOT NULL
);
CREATE INDEX open_items_data_customer_idx ON ar.open_items_data (customer_id, due_date);
CREATE INDEX open_items_data_due_idx ON ar.open_items_data (due_date);
COMMENT ON TABLE ar.open_items_data IS 'Storage of ar.open_items_snapshot (the open items as of the last refresh, with the invoice''s currency and without the days past due, which the view computes), kept by ar.refresh; derived data, not dumped.';
COMMENT ON COLUMN ar.open_items_data.invoice_id IS 'Invoice open on the stored date.';
COMMENT ON COLUMN ar.open_items_data.customer_id IS 'Account invoiced.';
COMMENT ON COLUMN ar.open_items_data.invoice_date IS 'Date the invoice was issued.';
COMMENT ON COLUMN ar.open_items_data.due_date IS 'Date payment is due.';
COMMENT ON COLUMN ar.open_items_data.amount IS 'Invoiced amount.';
COMMENT ON COLUMN ar.open_items_data.open_amount IS 'Open amount on the stored date (ar.open_items).';
COMMENT ON COLUMN ar.open_items_data.currency IS 'Currency of the invoice.';
CREATE TABLE ar.customer_health_data (LIKE ar.customer_health_history, PRIMARY KEY (customer_id));
COMMENT ON TABLE ar.customer_health_data IS 'Storage of ar.customer_health: each customer''s row as computed on its as_of (the refresh that last recomputed it), kept by ar.refresh; derived data, not dumped. Query ar.customer_health.';
CREATE TABLE ar._customer_state (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    as_of     date NOT NULL
);
COMMENT ON TABLE ar._customer_state IS 'Internal: as-of date of ar.open_items_data and ar.customer_health_data; empty = rebuild them at the next refresh.';
COMMENT ON COLUMN ar._customer_state.singleton IS 'Always true: the table holds at most one row.';
COMMENT ON COLUMN ar._customer_state.as_of IS 'As-of date of the stored open items and health rows.';
CREATE TABLE ar._customer_changes (customer_id text COLLATE "C", invoice_id text COLLATE "C");
COMMENT ON TABLE ar._customer_changes IS 'Internal: customers whose health row and invoices whose open item the next refresh recomputes (both NULL = all), written by triggers on the ledger tables.';
COMMENT ON COLUMN ar._customer_changes.customer_id IS 'Customer whose health row to recompute; NULL (with invoice_id NULL) = every customer and invoice.';
COMMENT ON COLUMN ar._customer_changes.invoice_id IS 'Invoice whose open item to recompute (NULL: none).';
GRANT INSERT ON ar._customer_changes TO PUBLIC;
-- (each drop may already have dropped the next one as a reader)
SELECT ar._drop_with_readers('pg_class', x.oid) FROM (SELECT to_regclass('ar.open_items_snapshot') AS oid) x WHERE x.oid IS NOT NULL;
SELECT ar._drop_with_readers('pg_class', x.oid) FROM (SELECT to_regclass('ar.customer_health_mv') AS oid) x WHERE x.oid IS NOT NULL;
-- returns the history's row type now
SELECT ar._drop_with_readers('pg_proc', x.oid) FROM (SELECT to_regprocedure('ar.customer_health_at(date)') AS oid) x WHERE x.oid IS NOT NULL;
DROP FUNCTION IF EXISTS ar._refresh_open_items_snapshot();
-- ar.refresh and ar.run_refresh take full => true
DROP FUNCTION IF EXISTS ar.refresh(date);
DROP PROCEDURE IF EXISTS ar.run_refresh(date);
DROP FUNCTION IF EXISTS ar._refresh(date, bigint);
