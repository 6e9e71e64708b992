-- The as-of date of the views and the open-items snapshot every refresh computes first.

CREATE OR REPLACE FUNCTION ar.as_of() RETURNS date
STABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    SELECT s.as_of FROM ar.settings s;
END;
COMMENT ON FUNCTION ar.as_of() IS 'The as-of date of the views (set by ar.refresh); NULL before the first refresh.';

-- A view that publishes another's columns under a second name (a storage view kept for
-- the readers of a former materialized view) gets the same column descriptions; so do a
-- storage table ar.x_data and the view of its query ar._x_rows (0.23.0), which have the
-- published view's columns but those it joins (the columns both have).
CREATE OR REPLACE FUNCTION ar._copy_column_comments(source regclass, target regclass) RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    col record;
BEGIN
    FOR col IN SELECT a.attname, col_description(a.attrelid, a.attnum) AS description
                 FROM pg_attribute a
                 JOIN pg_attribute t ON t.attrelid = target AND t.attname = a.attname AND t.attnum > 0 AND NOT t.attisdropped
                WHERE a.attrelid = source AND a.attnum > 0 AND NOT a.attisdropped LOOP
        EXECUTE format('COMMENT ON COLUMN %s.%I IS %L', target, col.attname, col.description);
    END LOOP;
END $$;
COMMENT ON FUNCTION ar._copy_column_comments(regclass, regclass) IS 'Internal (install and update scripts): give each column of target the description of the column of source with its name (the columns both have).';

-- Open items as of ar.as_of(), kept by every refresh (was computed twice: customer
-- health, portfolio aging) and read by the collections views. Stored without the days
-- past due (every open item's changes every day): the view computes them, so a day
-- rewrites only the rows of the customers whose open items changed
-- (sql/refresh/customer_state.sql).
CREATE OR REPLACE VIEW ar.open_items_snapshot AS
SELECT d.invoice_id, d.customer_id, d.invoice_date, d.due_date, d.amount, d.open_amount,
       ar.days_past_due(d.due_date, (SELECT ar.as_of())) AS days_past_due, d.currency
  FROM ar.open_items_data d;
COMMENT ON VIEW ar.open_items_snapshot IS 'ar.open_items(ar.as_of()), kept by ar.refresh (ar.open_items_data) and read by the views refreshed after it.';
COMMENT ON COLUMN ar.open_items_snapshot.invoice_id IS 'Invoice open on the as-of date.';
COMMENT ON COLUMN ar.open_items_snapshot.customer_id IS 'Account invoiced.';
COMMENT ON COLUMN ar.open_items_snapshot.invoice_date IS 'Date the invoice was issued.';
COMMENT ON COLUMN ar.open_items_snapshot.due_date IS 'Date payment is due.';
COMMENT ON COLUMN ar.open_items_snapshot.amount IS 'Invoiced amount.';
COMMENT ON COLUMN ar.open_items_snapshot.open_amount IS 'Open amount on the as-of date (ar.open_items).';
COMMENT ON COLUMN ar.open_items_snapshot.days_past_due IS 'as_of - due_date (negative = days until due).';
COMMENT ON COLUMN ar.open_items_snapshot.currency IS 'Currency of the invoice (stored with the item: the views need not join the invoices for it).';

-- Open items on a date: the refresh's snapshot when the date is the refreshed one,
-- else computed. The planner evaluates the two conditions once and runs one branch.
CREATE OR REPLACE FUNCTION ar._open_items_for(as_of date)
RETURNS TABLE (invoice_id text, customer_id text, invoice_date date, due_date date,
               amount numeric, open_amount numeric, days_past_due integer, currency text)
STABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    SELECT s.invoice_id, s.customer_id, s.invoice_date, s.due_date, s.amount, s.open_amount, s.days_past_due, s.currency
      FROM ar.open_items_snapshot s WHERE as_of = (SELECT ar.as_of())
    UNION ALL
    SELECT o.invoice_id, o.customer_id, o.invoice_date, o.due_date, o.amount, o.open_amount, o.days_past_due, o.currency
      FROM ar._open_items_of(as_of, NULL) o WHERE as_of IS DISTINCT FROM (SELECT ar.as_of());
END;
COMMENT ON FUNCTION ar._open_items_for(date) IS 'Internal: ar.open_items(as_of) with the invoice''s currency, read from ar.open_items_snapshot when as_of is the refreshed date.';

-- Store the open items as of a date of the given invoices (NULL: of all, replacing
-- every row); returns the number of rows written. ar.open_items sums the payments and
-- adjustments of every invoice: for all of them, hashed, that is a hash table of ten
-- million invoices, spilled to disk in batches at the default work_mem (57 s at 10M
-- invoices); walking invoices and payments in invoice order (the indexes on
-- invoice_id, or sorts) takes 20 s for the same rows. For a day's invoices, the invoice
-- indexes of the three tables.
CREATE OR REPLACE FUNCTION ar._store_open_items(as_of date, invoices text[]) RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
SET plan_cache_mode = force_custom_plan
AS $$
DECLARE
    n bigint;
    hashjoin constant text := current_setting('enable_hashjoin');
    hashagg constant text := current_setting('enable_hashagg');
BEGIN
    IF invoices IS NULL THEN
        -- every row (DELETE, not TRUNCATE: readers keep the previous rows until commit),
        -- with merge plans for this one statement
        DELETE FROM ar.open_items_data;
        PERFORM set_config('enable_hashjoin', 'off', true), set_config('enable_hashagg', 'off', true);
        INSERT INTO ar.open_items_data
        SELECT o.invoice_id, o.customer_id, o.invoice_date, o.due_date, o.amount, o.open_amount, o.currency FROM ar._open_items_of(_store_open_items.as_of, NULL) o;
        GET DIAGNOSTICS n = ROW_COUNT;
        PERFORM set_config('enable_hashjoin', hashjoin, true), set_config('enable_hashagg', hashagg, true);
        RETURN n;
    ELSE
        DELETE FROM ar.open_items_data d WHERE d.invoice_id = ANY (invoices);
        INSERT INTO ar.open_items_data
        SELECT o.invoice_id, o.customer_id, o.invoice_date, o.due_date, o.amount, o.open_amount, o.currency FROM ar._open_items_of(_store_open_items.as_of, invoices) o;
    END IF;
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN n;
END $$;
COMMENT ON FUNCTION ar._store_open_items(date, text[]) IS 'Internal: replace the stored open items (ar.open_items_data) of the given invoices (NULL: all) by ar.open_items(as_of); returns the rows written.';
