-- The customer-level state a refresh keeps incrementally (docs/views.md, "Incremental
-- refresh"): the open items (ar.open_items_data, read through ar.open_items_snapshot)
-- and the customer health rows (ar.customer_health_data, read through
-- ar.customer_health_mv) of the last refresh. A day recomputes only
--   * the customers whose rows changed since the last refresh: noted by the triggers
--     below in ar._customer_changes (loads through ar.sync and plain DML alike), and
--   * the customers whom the date itself moves (ar._customers_moved_by_date): an open
--     item crossing an aging bound, a payment or invoice entering or leaving its window,
--     a promise falling due, a dispute or hold opening or ending, a rate taking effect.
-- The ages that grow with every day (oldest past-due item, oldest open dispute) are
-- not stored as of the refresh: the views add the days since the row was computed.
-- Everything is recomputed on the first refresh, with full => true, after a TRUNCATE
-- or a change of a rate in effect, on a backwards move, and when over half of
-- the customers are concerned (cheaper in one pass).

-- Indexes on the boundary dates, so that the customers a day moves are found by range
-- scans, not by reading the ledger.
CREATE INDEX IF NOT EXISTS payments_date_idx ON ar.payments (payment_date);
CREATE INDEX IF NOT EXISTS payments_reversed_idx ON ar.payments (reversed_on) WHERE reversed_on IS NOT NULL;
CREATE INDEX IF NOT EXISTS invoices_date_idx ON ar.invoices (invoice_date);
CREATE INDEX IF NOT EXISTS adjustments_date_idx ON ar.adjustments (adjustment_date);
CREATE INDEX IF NOT EXISTS disputes_opened_idx ON ar.disputes (opened_at);
CREATE INDEX IF NOT EXISTS disputes_resolved_idx ON ar.disputes (resolved_at) WHERE resolved_at IS NOT NULL;
CREATE INDEX IF NOT EXISTS promises_made_idx ON ar.promises (made_on);
CREATE INDEX IF NOT EXISTS promises_date_idx ON ar.promises (promised_date);
CREATE INDEX IF NOT EXISTS order_holds_placed_idx ON ar.order_holds (placed_at);
CREATE INDEX IF NOT EXISTS order_holds_released_idx ON ar.order_holds (released_at) WHERE released_at IS NOT NULL;

-- Notes the customers (health rows) and invoices (open items) a statement may change,
-- once per statement from its transition tables. Any column counts (a stray note only
-- costs a recomputation; ar.sync does not rewrite unchanged rows). Adjustments and
-- disputes name an invoice: its customer. Both NULL: everything (a TRUNCATE).
-- With each, the earliest date it concerns for the two stores kept from a date on:
--   ledger_since (0.18.0): the month-end ledger's entries of the customer are recomputed
--     from that date's month on: an invoice's, payment's or adjustment's own date, old and
--     new; a customer's row: -infinity, all of them; disputes, promises, holds and
--     activities: NULL, none;
--   performance_since (0.21.0): the collections performance figures from that date's
--     month on: the same dates, but an invoice's is the earliest of its date and its
--     payments' (a payment dated before its invoice takes the invoice's currency), and an
--     activity's is the day before its UTC date (its day in any time zone is not
--     earlier: the figures compare it with dates in the refresh's time zone); disputes,
--     promises and holds: NULL (the figures read none of them).
CREATE OR REPLACE FUNCTION ar._note_customer_change() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        INSERT INTO ar._customer_changes VALUES (NULL, NULL, NULL, NULL);
    ELSIF TG_TABLE_NAME = 'invoices' THEN
        IF TG_OP IN ('INSERT', 'UPDATE') THEN   -- (a new invoice has no payment yet: they reference it)
            INSERT INTO ar._customer_changes
            SELECT n.customer_id, n.invoice_id, min(n.invoice_date),
                   least(min(n.invoice_date), min((SELECT min(p.payment_date) FROM ar.payments p WHERE p.invoice_id = n.invoice_id AND TG_OP = 'UPDATE')))
              FROM new_rows n GROUP BY 1, 2;
        END IF;
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
            INSERT INTO ar._customer_changes
            SELECT o.customer_id, o.invoice_id, min(o.invoice_date),
                   least(min(o.invoice_date), min((SELECT min(p.payment_date) FROM ar.payments p WHERE p.invoice_id = o.invoice_id)))
              FROM old_rows o GROUP BY 1, 2;
        END IF;
    ELSIF TG_TABLE_NAME = 'payments' THEN   -- an unapplied payment: its customer only
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
            INSERT INTO ar._customer_changes SELECT n.customer_id, n.invoice_id, min(n.payment_date), min(n.payment_date) FROM new_rows n GROUP BY 1, 2;
        END IF;
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
            INSERT INTO ar._customer_changes SELECT o.customer_id, o.invoice_id, min(o.payment_date), min(o.payment_date) FROM old_rows o GROUP BY 1, 2;
        END IF;
    ELSIF TG_TABLE_NAME = 'adjustments' THEN
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
            INSERT INTO ar._customer_changes
            SELECT i.customer_id, i.invoice_id, min(n.adjustment_date), min(n.adjustment_date)
              FROM new_rows n JOIN ar.invoices i ON i.invoice_id = n.invoice_id GROUP BY 1, 2;
        END IF;
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
            INSERT INTO ar._customer_changes
            SELECT i.customer_id, i.invoice_id, min(o.adjustment_date), min(o.adjustment_date)
              FROM old_rows o JOIN ar.invoices i ON i.invoice_id = o.invoice_id GROUP BY 1, 2;
        END IF;
    ELSIF TG_TABLE_NAME = 'disputes' THEN   -- a dispute changes no open item
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
            INSERT INTO ar._customer_changes
            SELECT DISTINCT i.customer_id, NULL, NULL::date, NULL::date FROM ar.invoices i WHERE i.invoice_id IN (SELECT n.invoice_id FROM new_rows n);
        END IF;
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
            INSERT INTO ar._customer_changes
            SELECT DISTINCT i.customer_id, NULL, NULL::date, NULL::date FROM ar.invoices i WHERE i.invoice_id IN (SELECT o.invoice_id FROM old_rows o);
        END IF;
    ELSIF TG_TABLE_NAME = 'activities' THEN   -- (the collections performance's days after contact)
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
            INSERT INTO ar._customer_changes
            SELECT n.customer_id, NULL, NULL::date, (min(n.happened_at) AT TIME ZONE 'UTC')::date - 1 FROM new_rows n GROUP BY 1;
        END IF;
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
            INSERT INTO ar._customer_changes
            SELECT o.customer_id, NULL, NULL::date, (min(o.happened_at) AT TIME ZONE 'UTC')::date - 1 FROM old_rows o GROUP BY 1;
        END IF;
    ELSE   -- customers (segment, currency: every entry and figure), promises, order holds: the customer's rows
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
            INSERT INTO ar._customer_changes
            SELECT DISTINCT n.customer_id, NULL, x.since, x.since
              FROM new_rows n, LATERAL (SELECT CASE WHEN TG_TABLE_NAME = 'customers' THEN '-infinity'::date END AS since) x;
        END IF;
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
            INSERT INTO ar._customer_changes
            SELECT DISTINCT o.customer_id, NULL, x.since, x.since
              FROM old_rows o, LATERAL (SELECT CASE WHEN TG_TABLE_NAME = 'customers' THEN '-infinity'::date END AS since) x;
        END IF;
    END IF;
    RETURN NULL;
END $$;
COMMENT ON FUNCTION ar._note_customer_change() IS 'Internal trigger: notes the customers whose health row and the invoices whose open item a statement may change (once per statement, from its transition tables), with the earliest date each concerns for the month-end ledger''s entries and for the collections performance figures.';

SELECT ar._create_statement_triggers(('ar.' || t)::regclass, 'customer_state', 'ar._note_customer_change')
  FROM unnest(ARRAY['customers', 'invoices', 'payments', 'adjustments', 'disputes', 'promises', 'order_holds', 'activities']) t;

-- Rates: a rate in effect on the stored rows' date (dated on or before it) converts
-- balances and flows of every customer with another currency: the ADTP trend's rate
-- trigger (ar._note_fx_change, sql/views/adtp_trend.sql) notes all customers here too.
-- A rate dated later takes effect when the date reaches it (ar._customers_moved_by_date).

-- The invoices whose open item moving the date from prev to d (prev < d) changes with
-- no change of data: dated in (prev, d], or paid or adjusted on a date in it.
CREATE OR REPLACE FUNCTION ar._invoices_moved_by_date(prev date, d date)
RETURNS SETOF text
STABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    SELECT i.invoice_id FROM ar.invoices i WHERE i.invoice_date > prev AND i.invoice_date <= d
    UNION
    SELECT p.invoice_id FROM ar.payments p WHERE p.payment_date > prev AND p.payment_date <= d AND p.invoice_id IS NOT NULL
    UNION
    SELECT a.invoice_id FROM ar.adjustments a WHERE a.adjustment_date > prev AND a.adjustment_date <= d;
END;
COMMENT ON FUNCTION ar._invoices_moved_by_date(date, date) IS 'Internal: the invoices whose open item moving the as-of date from prev to d changes without any change of data.';

-- The customers whose payment behaviour (ar._payment_behaviour_at) moving the date from
-- prev to d (prev < d) changes with no change of data: a payment dated in (prev, d] or
-- leaving the 90-day or 12-month window, or reversed in (prev, d]. Part of the health
-- rows' set below; the payment behaviour is recomputed for these only (about half of it
-- at full scale: an open item crossing an aging bound moves no payment).
CREATE OR REPLACE FUNCTION ar._payments_moved_by_date(prev date, d date)
RETURNS SETOF text
STABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    SELECT p.customer_id FROM ar.payments p
     WHERE (p.payment_date > prev AND p.payment_date <= d) OR (p.payment_date > prev - 90 AND p.payment_date <= d - 90)
        OR (p.payment_date > prev - 365 AND p.payment_date <= d - 365)
    UNION
    SELECT p.customer_id FROM ar.payments p WHERE p.reversed_on > prev AND p.reversed_on <= d;
END;
COMMENT ON FUNCTION ar._payments_moved_by_date(date, date) IS 'Internal: the customers with a payment dated in (prev, d], leaving the 90-day or 12-month window, or reversed in (prev, d]: those whose payment behaviour moving the as-of date from prev to d can change without any change of data.';

-- The customers with a row of the ledger dated in (prev, d] (prev < d): invoices,
-- payments (dated or reversed) and adjustments loaded ahead of their date, which the
-- date reaches. What moves the per-customer stores other than the customer state
-- (collections performance, month-end ledger; the aging accounts with the aging bounds)
-- with no change of data.
CREATE OR REPLACE FUNCTION ar._ledger_moved_by_date(prev date, d date)
RETURNS SETOF text
STABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    SELECT i.customer_id FROM ar.invoices i WHERE i.invoice_date > prev AND i.invoice_date <= d
    UNION
    SELECT p.customer_id FROM ar.payments p WHERE p.payment_date > prev AND p.payment_date <= d
    UNION
    SELECT p.customer_id FROM ar.payments p WHERE p.reversed_on > prev AND p.reversed_on <= d
    UNION
    SELECT i.customer_id FROM ar.adjustments a JOIN ar.invoices i ON i.invoice_id = a.invoice_id
     WHERE a.adjustment_date > prev AND a.adjustment_date <= d;
END;
COMMENT ON FUNCTION ar._ledger_moved_by_date(date, date) IS 'Internal: the customers with an invoice, payment (or its reversal) or adjustment dated in (prev, d]: what moving the as-of date from prev to d changes in the per-customer stores other than the customer state.';

-- The customers whose worklist account (ar._worklist_account_rows: past-due open items,
-- the part in dispute, oldest due dates) moving the date from prev to d (prev < d)
-- changes with no change of data; part of the health rows' set below, and the worklist
-- accounts are recomputed for these only (0.18.0: a tenth of the health rows' set at full
-- scale, where the later aging bounds and the payment windows move most customers):
--   open items (as of prev) falling past due: the aging bound of day 1;
--   a row of the ledger dated in the window (ar._ledger_moved_by_date: open amounts);
--   disputes opened or ended in it;
--   a rate dated in the window: the customers with open items in another currency.
CREATE OR REPLACE FUNCTION ar._accounts_moved_by_date(prev date, d date)
RETURNS SETOF text
STABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    SELECT o.customer_id FROM ar.open_items_data o WHERE o.due_date > prev - 1 AND o.due_date <= d - 1
    UNION
    SELECT m FROM ar._ledger_moved_by_date(prev, d) m
    UNION
    SELECT i.customer_id FROM ar.disputes ds JOIN ar.invoices i ON i.invoice_id = ds.invoice_id
     WHERE (ds.opened_at >= (prev + 1)::timestamptz AND ds.opened_at < (d + 1)::timestamptz)
        OR (ds.resolved_at >= (prev + 1)::timestamptz AND ds.resolved_at < (d + 1)::timestamptz)
    UNION
    SELECT o.customer_id
      FROM ar.open_items_data o JOIN ar.customers c ON c.customer_id = o.customer_id
     WHERE o.currency <> c.currency AND EXISTS (SELECT FROM ar.fx_rates f WHERE f.rate_date > prev AND f.rate_date <= d);
END;
COMMENT ON FUNCTION ar._accounts_moved_by_date(date, date) IS 'Internal: the customers whose worklist account (ar._worklist_account_rows) moving the as-of date from prev to d changes without any change of data: an open item falling past due, a ledger row dated in (prev, d], a dispute opened or ended, a rate for their open items in another currency.';

-- The customers whose health row moving the date from prev to d (prev < d) changes
-- with no change of data, but for its payment figures and 90-day sales (below). Each
-- part is the event that changes a figure of ar._customer_health_rows, as a range on an
-- indexed date (x in (prev - k, d - k] = "x + k is reached between them"):
--   those whose worklist account it moves (above: an open item falling past due, ledger
--   rows dated in the window, disputes opened or ended in it, a rate in the window);
--   open items (as of prev) crossing a later aging bound: 31, 61, 91, 121 days past due
--   (ar._aging_bucket_starts after the first);
--   holds placed or released in the window;
--   promises made in it, falling due (broken from the day after) or leaving the 12 months.
-- A payment leaving the 90-day or 12-month window changes only the payment figures
-- (ar._health_payment_figures), an invoice leaving the 90 days only the 90-day sales and
-- DSO (ar._health_sales_figures, ar._sales_moved_by_date below): such a customer, not
-- moved otherwise, keeps its row with new figures (ar._store_customer_health: 0.22.0). A
-- payment or invoice dated or reversed in the window is a ledger row (the accounts' part).
CREATE OR REPLACE FUNCTION ar._customers_moved_by_date(prev date, d date)
RETURNS SETOF text
STABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    SELECT m FROM ar._accounts_moved_by_date(prev, d) m
    UNION
    SELECT o.customer_id
      FROM unnest((ar._aging_bucket_starts())[2:]) k
      JOIN ar.open_items_data o ON o.due_date > prev - k AND o.due_date <= d - k
    UNION
    SELECT h.customer_id FROM ar.order_holds h
     WHERE (h.placed_at >= (prev + 1)::timestamptz AND h.placed_at < (d + 1)::timestamptz)
        OR (h.released_at >= (prev + 1)::timestamptz AND h.released_at < (d + 1)::timestamptz)
    UNION
    SELECT pr.customer_id FROM ar.promises pr
     WHERE (pr.made_on > prev AND pr.made_on <= d) OR (pr.promised_date > prev - 1 AND pr.promised_date <= d - 1)
        OR (pr.promised_date > prev - 365 AND pr.promised_date <= d - 365);
END;
COMMENT ON FUNCTION ar._customers_moved_by_date(date, date) IS 'Internal: the customers whose health row moving the as-of date from prev to d changes without any change of data, other than by its payment figures or its 90-day sales (those whose worklist account it moves, ar._accounts_moved_by_date, among them; those whose payments or invoices alone it moves, ar._payments_moved_by_date and ar._sales_moved_by_date, keep their rows with new figures).';

-- The customers with an invoice leaving the 90 days when the date moves from prev to d
-- (prev < d): their 90-day credit sales (ar._credit_sales_90d) change with no change of
-- data. (An invoice dated in (prev, d] is a ledger row: ar._ledger_moved_by_date.)
CREATE OR REPLACE FUNCTION ar._sales_moved_by_date(prev date, d date)
RETURNS SETOF text
STABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    SELECT DISTINCT i.customer_id FROM ar.invoices i WHERE i.invoice_date > prev - 90 AND i.invoice_date <= d - 90;
END;
COMMENT ON FUNCTION ar._sales_moved_by_date(date, date) IS 'Internal: the customers with an invoice dated in (prev - 90, d - 90]: those whose 90-day credit sales moving the as-of date from prev to d changes without any change of data.';

-- Take the noted changes (ar._customer_changes): those committed before this
-- statement; later ones stay for the next refresh. everything: a note said all (a
-- TRUNCATE, a rate in effect). Every store of the refresh recomputes these customers
-- but the two kept from a date on: the month-end ledger recomputes those whose ledger
-- changed (ledger_customers) from the earliest ledger date noted for each
-- (ledger_since), the collections performance those whose figures a change concerns
-- (performance_customers) from the earliest such date (performance_since, 0.21.0).
CREATE OR REPLACE FUNCTION ar._take_customer_changes(OUT customers text[], OUT invoices text[], OUT everything boolean,
                                                     OUT ledger_customers text[], OUT ledger_since date[],
                                                     OUT performance_customers text[], OUT performance_since date[])
VOLATILE LANGUAGE sql
BEGIN ATOMIC
    WITH taken AS (DELETE FROM ar._customer_changes RETURNING customer_id, invoice_id, ledger_since, performance_since),
    -- each customer's earliest date of each kind (min: NULL when none of its notes has one)
    per_customer AS (SELECT t.customer_id, min(t.ledger_since) AS ledger_since, min(t.performance_since) AS performance_since
                       FROM taken t WHERE t.customer_id IS NOT NULL GROUP BY t.customer_id)
    SELECT array_agg(DISTINCT t.customer_id) FILTER (WHERE t.customer_id IS NOT NULL),
           array_agg(DISTINCT t.invoice_id) FILTER (WHERE t.invoice_id IS NOT NULL),
           coalesce(bool_or(t.customer_id IS NULL), false),
           (SELECT array_agg(c.customer_id ORDER BY c.customer_id) FILTER (WHERE c.ledger_since IS NOT NULL) FROM per_customer c),
           (SELECT array_agg(c.ledger_since ORDER BY c.customer_id) FILTER (WHERE c.ledger_since IS NOT NULL) FROM per_customer c),
           (SELECT array_agg(c.customer_id ORDER BY c.customer_id) FILTER (WHERE c.performance_since IS NOT NULL) FROM per_customer c),
           (SELECT array_agg(c.performance_since ORDER BY c.customer_id) FILTER (WHERE c.performance_since IS NOT NULL) FROM per_customer c)
      FROM taken t;
END;
COMMENT ON FUNCTION ar._take_customer_changes() IS 'Internal (ar.refresh): take (delete and return) the customers and invoices noted as changed since the last refresh (everything = a note asked for all), the customers whose ledger changed with the earliest ledger date noted for each, and those whose collections performance figures changed with the earliest date noted for each.';

-- Promise statuses (ar.promise_status) as of the refreshed date, kept per customer in
-- ar.promise_status_data: read by the ratings, early warnings, worklist, promise-kept
-- rates and ar.promises_status through ar._promise_status_for, instead of five passes
-- over every promise ever made (and its payments) a day. A status changes with its
-- customer's promises or payments (the change log), or with the date while the promise
-- is open: made in the days the date moved over, or promised on or after the previous
-- date (pending then: its cash counts up to the promised date, and it breaks the day
-- after); a promise promised before it is decided for good.
CREATE OR REPLACE FUNCTION ar._promise_status_rows(as_of date, customers text[])
RETURNS TABLE (promise_id text, customer_id text, invoice_id text, made_on date, promised_date date,
               amount numeric, paid numeric, status text)
STABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    SELECT ps.promise_id, ps.customer_id, ps.invoice_id, ps.made_on, ps.promised_date, ps.amount, ps.paid, ps.status
      FROM ar.promise_status(as_of) ps
     WHERE customers IS NULL OR ps.customer_id = ANY (customers);
END;
COMMENT ON FUNCTION ar._promise_status_rows(date, text[]) IS 'Internal: ar.promise_status(as_of) of the given customers (NULL: all).';

-- The customers whose promise statuses moving the date from prev to d (prev < d)
-- changes with no change of data: a promise made in (prev, d], or still open on prev.
CREATE OR REPLACE FUNCTION ar._promises_moved_by_date(prev date, d date)
RETURNS SETOF text
STABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    SELECT pr.customer_id FROM ar.promises pr WHERE pr.made_on > prev AND pr.made_on <= d
    UNION
    SELECT pr.customer_id FROM ar.promises pr WHERE pr.promised_date >= prev;
END;
COMMENT ON FUNCTION ar._promises_moved_by_date(date, date) IS 'Internal: the customers with a promise made in (prev, d] or promised on or after prev: those whose promise statuses moving the as-of date from prev to d can change without any change of data.';

-- Promise statuses on a date: the stored ones when the date is the refreshed one, else
-- computed (the planner evaluates the two conditions once and runs one branch).
CREATE OR REPLACE FUNCTION ar._promise_status_for(as_of date)
RETURNS TABLE (promise_id text, customer_id text, invoice_id text, made_on date, promised_date date,
               amount numeric, paid numeric, status text)
STABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    SELECT d.promise_id, d.customer_id, d.invoice_id, d.made_on, d.promised_date, d.amount, d.paid, d.status
      FROM ar.promise_status_data d WHERE as_of = (SELECT ar.as_of())
    UNION ALL
    SELECT ps.promise_id, ps.customer_id, ps.invoice_id, ps.made_on, ps.promised_date, ps.amount, ps.paid, ps.status
      FROM ar.promise_status(as_of) ps WHERE as_of IS DISTINCT FROM (SELECT ar.as_of());
END;
COMMENT ON FUNCTION ar._promise_status_for(date) IS 'Internal: ar.promise_status(as_of), read from ar.promise_status_data when as_of is the refreshed date.';

-- The stores kept per customer beyond the customer state, in refresh order: name (its
-- table is ar.<name>_data, its log entry <name>_data), the function ar.<rows_fn>(as_of,
-- customers) giving its rows (in the table's column order) for some customers (NULL:
-- all), the function ar.<moved>(prev, d) giving the customers the date moves from prev
-- to d, whether it holds figures of the 12 months up to the date (monthly: a new month
-- adds every customer's rows of the new months, ar.<rows_fn>(as_of, NULL, months), and
-- drops those older than 12 months: its table has a month column), whether it is
-- brought to the date before the customer state (it reads nothing of it, and the health
-- rows read it: the promise statuses) or after (it reads the stored open items), and
-- for a store kept from a date on: the change log's column of the dates (since:
-- ledger_since or performance_since, ar._take_customer_changes) and its table's column
-- of the months (since_column); a customer's rows are then recomputed from the month
-- ar._<name>_since(as_of, its date) on, by ar.<rows_fn>(as_of, customers, dates).
CREATE OR REPLACE FUNCTION ar._customer_stores()
RETURNS TABLE (store text, rows_fn text, moved text, monthly boolean, before_state boolean, since text, since_column text)
IMMUTABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    VALUES ('promise_status', '_promise_status_rows', '_promises_moved_by_date', false, true, NULL, NULL),
           ('month_ledger', '_month_ledger_rows', '_ledger_moved_by_date', false, false, 'ledger_since', 'from_month'),
           ('collections_performance', '_collections_performance_rows', '_ledger_moved_by_date', true, false, 'performance_since', 'month'),
           ('aging_account', '_aging_account_rows', '_aging_moved_by_date', false, false, NULL, NULL);
END;
COMMENT ON FUNCTION ar._customer_stores() IS 'Internal: the per-customer stores ar.refresh keeps beyond the customer state, with the function giving their rows, the function of the customers the date moves, whether they hold 12 months (a new month adds every customer''s new-month rows), whether they are brought to the date before the customer state (which reads them) or after it (they read it), and for those kept from a date on the change log''s dates they follow (since: the month-end ledger''s entries from the month of the earliest ledger date changed, ar._month_ledger_since; the collections performance figures from the month of the earliest date a change concerns, ar._collections_performance_since) and their table''s month column.';

-- Bring every store to as_of. A store recomputes every customer on its first refresh
-- (no row in ar._store_state), with rebuild (full => true, a note for all: a TRUNCATE, a
-- rate in effect), on a backwards move (its rows hold what was dated up to its date), in
-- another reporting currency, 12 months or more later when monthly, or when over half of
-- the customers are concerned; else the customers changed (changed: the notes this
-- refresh took) and those the date moves, and for a monthly store in a new month the new
-- months' rows of every other customer (the months before are complete: their figures
-- stay). Only the stores refreshed before the customer state (before_state) or after it.
-- Returns the refresh log entries: <store>_data with the rows written, the customers
-- recomputed and whether all were.
CREATE OR REPLACE FUNCTION ar._refresh_stores(as_of date, rebuild boolean, changed text[], before_state boolean,
                                               ledger_changed text[] DEFAULT NULL, ledger_since date[] DEFAULT NULL,
                                               performance_changed text[] DEFAULT NULL, performance_since date[] DEFAULT NULL) RETURNS jsonb
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
SET jit = off
AS $$
DECLARE
    rc constant text := ar.reporting_currency();
    customers constant bigint := (SELECT count(*) FROM ar.customers);
    s record;
    tbl text;
    st ar._store_state;
    everything boolean;
    todo text[];
    todo_since date[];
    new_months integer;
    n bigint;
    m bigint;
    t0 timestamptz;
    stats jsonb := '{}';
BEGIN
    FOR s IN SELECT * FROM ar._customer_stores() x WHERE x.before_state = _refresh_stores.before_state LOOP
        t0 := clock_timestamp();
        tbl := s.store || '_data';
        st := (SELECT x FROM ar._store_state x WHERE x.store = s.store);
        -- months the date entered since the store's date (for a monthly store)
        new_months := CASE WHEN s.monthly AND st IS NOT NULL THEN ar._months_between(st.as_of, _refresh_stores.as_of) ELSE 0 END;
        everything := rebuild OR st IS NULL OR _refresh_stores.as_of < st.as_of OR st.currency IS DISTINCT FROM rc OR new_months >= 12;
        todo := NULL;
        todo_since := NULL;
        IF NOT everything AND s.since IS NOT NULL THEN
            -- the customers the change log dates for this store, each from its earliest
            -- date, and those with ledger rows the date reached (from the day after the
            -- store's date); a monthly store in a new month: from the first new month at
            -- the latest (their new months' rows are computed with theirs)
            EXECUTE format('SELECT array_agg(x.id ORDER BY x.id), array_agg(least(x.since, $5) ORDER BY x.id)
                              FROM (SELECT y.id, min(y.since) AS since
                                      FROM (SELECT * FROM unnest($1, $2) UNION ALL SELECT m, $3 + 1 FROM ar.%I($3, $4) m WHERE $4 > $3) y(id, since)
                                     GROUP BY y.id) x', s.moved)
               INTO todo, todo_since
              USING CASE s.since WHEN 'ledger_since' THEN ledger_changed ELSE performance_changed END,
                    CASE s.since WHEN 'ledger_since' THEN _refresh_stores.ledger_since ELSE _refresh_stores.performance_since END,
                    st.as_of, _refresh_stores.as_of,
                    CASE WHEN new_months > 0 THEN (date_trunc('month', st.as_of::timestamp) + interval '1 month')::date ELSE 'infinity'::date END;
            everything := coalesce(cardinality(todo), 0) > customers / 2;
        ELSIF NOT everything THEN
            EXECUTE format('SELECT array_agg(DISTINCT x.id) FROM (SELECT unnest($1) UNION ALL SELECT m FROM ar.%I($2, $3) m WHERE $3 > $2) x(id)', s.moved)
               INTO todo USING changed, st.as_of, _refresh_stores.as_of;
            everything := coalesce(cardinality(todo), 0) > customers / 2;
        END IF;
        -- the customers' rows replaced (DELETE, not TRUNCATE: readers keep the previous
        -- rows until commit); each statement planned with its values (NULL: every row).
        -- The rows are computed into a temporary table first: a CREATE TABLE AS may read
        -- the ledger with parallel workers, an INSERT ... SELECT never does (PostgreSQL 15).
        n := 0;
        IF everything THEN
            EXECUTE format('CREATE TEMP TABLE _ar_store_rows ON COMMIT DROP AS SELECT * FROM ar.%I($1, NULL)', s.rows_fn) USING _refresh_stores.as_of;
            EXECUTE format('DELETE FROM ar.%I', tbl);
        ELSIF todo IS NOT NULL AND s.since IS NOT NULL THEN
            -- (each customer's rows from the month ar._<store>_since gives on)
            EXECUTE format('CREATE TEMP TABLE _ar_store_rows ON COMMIT DROP AS SELECT * FROM ar.%I($1, $2, $3)', s.rows_fn)
               USING _refresh_stores.as_of, todo, todo_since;
            EXECUTE format('DELETE FROM ar.%I d USING unnest($1, $2) t(id, since)
                             WHERE d.customer_id = t.id AND d.%I >= ar.%I($3, t.since)', tbl, s.since_column, format('_%s_since', s.store))
               USING todo, todo_since, _refresh_stores.as_of;
        ELSIF todo IS NOT NULL THEN
            EXECUTE format('CREATE TEMP TABLE _ar_store_rows ON COMMIT DROP AS SELECT * FROM ar.%I($1, $2)', s.rows_fn) USING _refresh_stores.as_of, todo;
            EXECUTE format('DELETE FROM ar.%I d WHERE d.customer_id = ANY ($1)', tbl) USING todo;
        END IF;
        IF everything OR todo IS NOT NULL THEN
            EXECUTE format('INSERT INTO ar.%I SELECT * FROM _ar_store_rows', tbl);
            GET DIAGNOSTICS n = ROW_COUNT;
            DROP TABLE _ar_store_rows;
        END IF;
        IF NOT everything AND new_months > 0 THEN
            -- the new months of every other customer; the months that left the 12 go
            EXECUTE format('CREATE TEMP TABLE _ar_store_rows ON COMMIT DROP AS SELECT r.* FROM ar.%I($1, NULL, $2) r WHERE NOT (r.customer_id = ANY ($3))', s.rows_fn)
               USING _refresh_stores.as_of, new_months, coalesce(todo, '{}');
            EXECUTE format('INSERT INTO ar.%I SELECT * FROM _ar_store_rows', tbl);
            GET DIAGNOSTICS m = ROW_COUNT;
            DROP TABLE _ar_store_rows;
            n := n + m;
            EXECUTE format('DELETE FROM ar.%I d WHERE d.month < $1', tbl)
               USING (date_trunc('month', _refresh_stores.as_of::timestamp) - interval '11 months')::date;
        END IF;
        INSERT INTO ar._store_state (store, as_of, currency) VALUES (s.store, _refresh_stores.as_of, rc)
            ON CONFLICT ON CONSTRAINT _store_state_pkey DO UPDATE SET as_of = excluded.as_of, currency = excluded.currency;
        stats := stats || jsonb_build_object(tbl,
            ar._view_stat(n, t0) || jsonb_build_object('customers', CASE WHEN everything THEN customers ELSE coalesce(cardinality(todo), 0) END,
                                                        'full', everything));
    END LOOP;
    RETURN stats;
END $$;
COMMENT ON FUNCTION ar._refresh_stores(date, boolean, text[], boolean, text[], date[], text[], date[]) IS 'Internal (ar.refresh): bring the per-customer stores (ar._customer_stores) refreshed before the customer state (before_state) or after it to as_of, recomputing only the customers changed (changed: taken from the change log by this refresh; a store kept from a date on: those the change log dates for it, each from its earliest date: ledger_changed and ledger_since for the month-end ledger, performance_changed and performance_since for the collections performance) or moved by the date, or all of them (rebuild, first refresh, backwards move, new reporting currency, 12 months or more later for the monthly ones, over half concerned); a monthly store in a new month also gets every other customer''s new-month rows; returns the refresh log entries.';

-- Bring the stored open items and health rows to as_of, given the changes the refresh
-- took (ar._take_customer_changes). Returns the entries of the refresh log:
-- open_items_snapshot and customer_health_mv (rows stored, ms) and
-- customers_recomputed (rows = customers recomputed, full = whether all were).
CREATE OR REPLACE FUNCTION ar._refresh_customer_state(as_of date, rebuild boolean, changed_customers text[], changed_invoices text[]) RETURNS jsonb
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
SET jit = off
AS $$
DECLARE
    prev constant date := (SELECT s.as_of FROM ar._customer_state s);
    everything boolean;
    health text[];
    behaviour text[];
    accounts text[];
    sales text[];
    invoices text[];
    t0 timestamptz := clock_timestamp();
    t1 timestamptz;
    stats jsonb;
    payment_rows bigint := 0;   -- rows moved in part (ar._store_customer_health)
    sales_rows bigint := 0;
BEGIN
    everything := rebuild OR prev IS NULL OR _refresh_customer_state.as_of < prev;
    IF NOT everything THEN
        -- (both from the open items as of prev: before they are brought to as_of)
        SELECT array_agg(DISTINCT x.id) INTO health
          FROM (SELECT unnest(changed_customers)
                UNION ALL
                SELECT m FROM ar._customers_moved_by_date(prev, _refresh_customer_state.as_of) m WHERE _refresh_customer_state.as_of > prev) x(id);
        SELECT array_agg(DISTINCT x.id) INTO invoices
          FROM (SELECT unnest(changed_invoices)
                UNION ALL
                SELECT m FROM ar._invoices_moved_by_date(prev, _refresh_customer_state.as_of) m WHERE _refresh_customer_state.as_of > prev) x(id);
        -- (the payment behaviour: those changed, or whose payments the date moves; none: {})
        SELECT coalesce(array_agg(DISTINCT x.id), '{}') INTO behaviour
          FROM (SELECT unnest(changed_customers)
                UNION ALL
                SELECT m FROM ar._payments_moved_by_date(prev, _refresh_customer_state.as_of) m WHERE _refresh_customer_state.as_of > prev) x(id);
        -- (the worklist accounts: those changed, or whose account the date moves; none: {})
        SELECT coalesce(array_agg(DISTINCT x.id), '{}') INTO accounts
          FROM (SELECT unnest(changed_customers)
                UNION ALL
                SELECT m FROM ar._accounts_moved_by_date(prev, _refresh_customer_state.as_of) m WHERE _refresh_customer_state.as_of > prev) x(id);
        -- (the 90-day sales: those changed, or with an invoice the date moves out of the 90
        -- days; none: {})
        SELECT coalesce(array_agg(DISTINCT x.id), '{}') INTO sales
          FROM (SELECT unnest(changed_customers)
                UNION ALL
                SELECT m FROM ar._sales_moved_by_date(prev, _refresh_customer_state.as_of) m WHERE _refresh_customer_state.as_of > prev) x(id);
        everything := coalesce(cardinality(health), 0) > (SELECT count(*) FROM ar.customers) / 2;
    END IF;
    -- NULL sets: every invoice and customer
    IF everything THEN
        invoices := NULL;
        health := NULL;
        behaviour := NULL;
        accounts := NULL;
        sales := NULL;
    END IF;
    IF everything OR invoices IS NOT NULL THEN
        PERFORM ar._store_open_items(_refresh_customer_state.as_of, invoices);
    END IF;
    stats := jsonb_build_object('open_items_snapshot', ar._view_stat((SELECT count(*) FROM ar.open_items_data), t0));
    t1 := clock_timestamp();
    IF everything THEN
        PERFORM ar._store_customer_health(_refresh_customer_state.as_of, NULL, NULL, NULL, NULL);
    ELSIF health IS NOT NULL OR cardinality(behaviour) > 0 OR cardinality(sales) > 0 THEN
        -- (with the worklist's past-due accounts: those changed or moved, a part of them;
        -- and the payment figures or 90-day sales of those whose payments or invoices alone
        -- the date moved)
        SELECT x.payment_rows, x.sales_rows INTO payment_rows, sales_rows
          FROM ar._store_customer_health(_refresh_customer_state.as_of, coalesce(health, '{}'), behaviour, accounts, sales) x;
    END IF;
    INSERT INTO ar._customer_state (as_of) VALUES (_refresh_customer_state.as_of)
        ON CONFLICT (singleton) DO UPDATE SET as_of = excluded.as_of;
    RETURN stats || jsonb_build_object(
        'customer_health_mv', ar._view_stat((SELECT count(*) FROM ar.customer_health_data), t1),
        'customers_recomputed', jsonb_build_object('rows', CASE WHEN everything THEN (SELECT count(*) FROM ar.customers) ELSE coalesce(cardinality(health), 0) END,
                                                   'invoices', CASE WHEN everything THEN NULL ELSE coalesce(cardinality(invoices), 0) END,
                                                   'payment_behaviour', CASE WHEN everything THEN NULL ELSE coalesce(cardinality(behaviour), 0) END,
                                                   -- (of them, those whose row took new payment figures only)
                                                   'payment_figures', CASE WHEN everything THEN NULL ELSE payment_rows END,
                                                   -- (and those whose row took new 90-day sales only)
                                                   'sales_figures', CASE WHEN everything THEN NULL ELSE sales_rows END,
                                                   'worklist_accounts', CASE WHEN everything THEN NULL ELSE coalesce(cardinality(accounts), 0) END,
                                                   'full', everything));
END $$;
COMMENT ON FUNCTION ar._refresh_customer_state(date, boolean, text[], text[]) IS 'Internal (ar.refresh): bring ar.open_items_data, ar.customer_health_data and ar.worklist_accounts_data to as_of, recomputing only the invoices and customers changed since the last refresh (taken by the refresh: changed_customers, changed_invoices) or moved by the date (the payment behaviour: only those whose payments it moves, whose rows, not otherwise moved, take new payment figures only; the 90-day sales and DSO of the rows of those with an invoice leaving the 90 days and not otherwise moved; the worklist accounts: only those whose account it moves) (all when rebuild, on the first refresh, after a TRUNCATE or rate change in effect, a backwards move, or over half of the customers); returns the refresh log entries.';
