-- The payment figures of a health row from the customer's payment summaries of the 12
-- months and the 90 days (ar._payment_behaviour_at; NULL: no payment in the 12 months):
-- the one mapping, read by the health rows below and by the refresh for the customers
-- whose payments alone the date moved (ar._store_customer_health).
CREATE OR REPLACE FUNCTION ar._health_payment_figures(s12 ar.paymentstats, s90 ar.paymentstats)
RETURNS TABLE (paid_items_12m bigint, adtp_12m numeric, adtp_weighted_12m numeric, avg_days_late_12m numeric,
               avg_days_late_weighted_12m numeric, avg_days_beyond_terms_weighted_12m numeric,
               paid_items_90d bigint, adtp_90d numeric, adtp_weighted_90d numeric, avg_days_late_90d numeric,
               avg_days_late_weighted_90d numeric, avg_days_beyond_terms_weighted_90d numeric,
               on_time_rate_12m numeric, payment_index_12m integer)
STABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    SELECT coalesce(ar.item_count(s12), 0), ar.adtp(s12), ar.adtp_weighted(s12), ar.avg_days_late(s12),
           ar.avg_days_late_weighted(s12), ar.avg_days_beyond_terms_weighted(s12),
           coalesce(ar.item_count(s90), 0), ar.adtp(s90), ar.adtp_weighted(s90), ar.avg_days_late(s90),
           ar.avg_days_late_weighted(s90), ar.avg_days_beyond_terms_weighted(s90),
           ar.on_time_rate(s12), ar.payment_index(s12);
END;
COMMENT ON FUNCTION ar._health_payment_figures(ar.paymentstats, ar.paymentstats) IS 'Internal: the payment figures of a customer health row (paid items, days to pay, days late, days beyond terms of the 12 months and 90 days, on-time rate, payment index) from its payment summaries of the 12 months and the 90 days (NULL: none).';

-- Credit sales of the 90 days up to a date per customer (of customers; NULL: all), in the
-- customer's currency (an invoice in another one at its invoice date's rate, a flow), and
-- the two figures of a health row they give with its open amount: the one definition, read
-- by the health rows and by the refresh for the customers whose invoices alone the date
-- moved out of the 90 days (ar._store_customer_health).
CREATE OR REPLACE FUNCTION ar._credit_sales_90d(on_date date, customers text[])
RETURNS TABLE (customer_id text, amount numeric)
STABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    SELECT i.customer_id,
           sum(CASE WHEN i.currency = c.currency THEN i.amount ELSE ar.convert(i.amount, i.currency, c.currency, i.invoice_date) END)
      FROM ar.invoices i JOIN ar.customers c ON c.customer_id = i.customer_id
     WHERE i.invoice_date > on_date - 90 AND i.invoice_date <= on_date
       AND (customers IS NULL OR i.customer_id = ANY (customers))
     GROUP BY i.customer_id;
END;
COMMENT ON FUNCTION ar._credit_sales_90d(date, text[]) IS 'Internal: per customer (of customers; NULL: all) with invoices dated in the 90 days up to on_date, their amount in the customer''s currency (another currency at the invoice date''s rate).';

CREATE OR REPLACE FUNCTION ar._health_sales_figures(open_amount numeric, sales numeric)
RETURNS TABLE (credit_sales_90d numeric, dso_90d numeric)
STABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    SELECT coalesce(sales, 0), ar.dso(greatest(open_amount, 0), coalesce(sales, 0), 90);
END;
COMMENT ON FUNCTION ar._health_sales_figures(numeric, numeric) IS 'Internal: the 90-day credit sales (NULL: none) and DSO of a customer health row with its open amount (a credit balance counts as 0).';

-- One row per customer as of a date, for the given customers (NULL: all): the single
-- definition behind ar.customer_health, its history snapshots and ar.customer_health_at.
-- plpgsql planned with the actual arguments: every customer (hash joins) or a few
-- (their indexes), the filter inside every part so that each reads only theirs.
CREATE OR REPLACE FUNCTION ar._customer_health_rows(on_date date, customers text[])
RETURNS TABLE (
    customer_id text, customer_name text, segment text, collector text, payment_terms_days integer,
    open_amount numeric, past_due_amount numeric,
    current_amount numeric, days_1_30 numeric, days_31_60 numeric, days_61_90 numeric, days_91_120 numeric, days_121_plus numeric,
    open_invoices bigint, oldest_past_due_days integer,
    unapplied_cash numeric, net_exposure numeric, credit_limit numeric, credit_utilisation numeric,
    credit_sales_90d numeric, dso_90d numeric,
    paid_items_12m bigint, adtp_12m numeric, adtp_weighted_12m numeric, avg_days_late_12m numeric,
    avg_days_late_weighted_12m numeric, avg_days_beyond_terms_weighted_12m numeric,
    paid_items_90d bigint, adtp_90d numeric, adtp_weighted_90d numeric, avg_days_late_90d numeric,
    avg_days_late_weighted_90d numeric, avg_days_beyond_terms_weighted_90d numeric,
    on_time_rate_12m numeric, payment_index_12m integer,
    open_disputes bigint, oldest_open_dispute_days integer,
    promises_kept_12m bigint, promises_broken_12m bigint, promises_pending bigint,
    open_order_holds bigint, last_payment_date date, as_of date)
STABLE PARALLEL SAFE LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
SET jit = off
SET plan_cache_mode = force_custom_plan
AS $$
#variable_conflict use_column
DECLARE
    snapshot boolean;
BEGIN
    IF _customer_health_rows.on_date IS NULL THEN
        RAISE EXCEPTION 'ar.customer_health_at: as_of must not be NULL' USING ERRCODE = 'null_value_not_allowed';
    ELSIF NOT isfinite(_customer_health_rows.on_date) THEN
        RAISE EXCEPTION 'ar.customer_health_at: as_of must be a finite date, got %', _customer_health_rows.on_date
              USING ERRCODE = 'datetime_field_overflow';
    END IF;
    -- The open items: stored (with their currency) when the date is the refreshed one,
    -- else computed. A constant when planned, so the planner drops the other branch and
    -- estimates the rows of the one it reads (a union with a filter evaluated at run time
    -- was estimated at both, and hashed every invoice to find a few thousand).
    snapshot := coalesce(on_date = ar.as_of(), false);
    RETURN QUERY
    -- Amounts in the customer's currency (docs/currency.md): an invoice in another one
    -- converts at the as-of date (balances) or at the payment or invoice date (flows).
    WITH open_by_customer AS (
        SELECT o.customer_id,
               ar.aging(CASE WHEN o.currency = c.currency THEN o.open_amount
                             ELSE ar.convert(o.open_amount, o.currency, c.currency, _customer_health_rows.on_date) END, o.days_past_due) AS a,
               max(o.days_past_due) FILTER (WHERE o.days_past_due > 0) AS oldest
          FROM (SELECT d.customer_id, d.open_amount, d.currency, ar.days_past_due(d.due_date, _customer_health_rows.on_date) AS days_past_due
                  FROM ar.open_items_data d WHERE snapshot
                UNION ALL
                SELECT x.customer_id, x.open_amount, x.currency, x.days_past_due
                  FROM ar._open_items_of(_customer_health_rows.on_date, NULL) x WHERE NOT snapshot) o
          JOIN ar.customers c ON c.customer_id = o.customer_id
         WHERE (customers IS NULL OR o.customer_id = ANY (customers))
         GROUP BY o.customer_id
    ), paid AS (      -- stored with the health rows (ar._store_customer_health) when the date is the refreshed one
        SELECT b.customer_id, b.s12, b.s90 FROM ar.payment_behaviour_data b
         WHERE snapshot AND (customers IS NULL OR b.customer_id = ANY (customers))
        UNION ALL
        SELECT b.customer_id, b.s12, b.s90 FROM ar._payment_behaviour_at(_customer_health_rows.on_date, customers) b
         WHERE NOT snapshot
    ), sales AS (
        SELECT x.customer_id, x.amount FROM ar._credit_sales_90d(_customer_health_rows.on_date, customers) x
    ), disputes AS (   -- the disputes open on the date, each invoice's customer by its key (a sub-plan:
                       -- a join hashed every invoice to find a few thousand, 1.4 s at full scale)
        SELECT x.customer_id, count(*) AS n, max(_customer_health_rows.on_date - x.opened_at::date) AS oldest
          FROM (SELECT d.opened_at, (SELECT i.customer_id FROM ar.invoices i WHERE i.invoice_id = d.invoice_id) AS customer_id
                  FROM ar.disputes d
                 WHERE d.opened_at::date <= _customer_health_rows.on_date
                   AND (d.resolved_at IS NULL OR d.resolved_at::date > _customer_health_rows.on_date)) x
         WHERE (customers IS NULL OR x.customer_id = ANY (customers))
         GROUP BY x.customer_id
    ), promises AS (  -- the statuses stored by the refresh (before the health rows) when the date is the refreshed one
                      -- (measured: the same plan and time as the branch written out with snapshot)
        SELECT ps.customer_id,
               count(*) FILTER (WHERE ps.status = 'kept' AND ps.promised_date > _customer_health_rows.on_date - 365) AS kept,
               count(*) FILTER (WHERE ps.status = 'broken' AND ps.promised_date > _customer_health_rows.on_date - 365) AS broken,
               count(*) FILTER (WHERE ps.status = 'pending') AS pending
          FROM ar._promise_status_for(_customer_health_rows.on_date) ps
         WHERE (customers IS NULL OR ps.customer_id = ANY (customers))
         GROUP BY ps.customer_id
    ), holds AS (
        SELECT h.customer_id, count(*) AS n FROM ar.order_holds h
         WHERE h.placed_at::date <= _customer_health_rows.on_date AND (h.released_at IS NULL OR h.released_at::date > _customer_health_rows.on_date)
           AND (customers IS NULL OR h.customer_id = ANY (customers))
         GROUP BY h.customer_id
    )
    SELECT c.customer_id, c.name, c.segment, c.collector, c.payment_terms_days,
           coalesce(ar.total(o.a), 0), coalesce(ar.past_due(o.a), 0),
           coalesce(ar.bucket_amount(o.a, 'current'), 0), coalesce(ar.bucket_amount(o.a, '1-30'), 0),
           coalesce(ar.bucket_amount(o.a, '31-60'), 0), coalesce(ar.bucket_amount(o.a, '61-90'), 0),
           coalesce(ar.bucket_amount(o.a, '91-120'), 0), coalesce(ar.bucket_amount(o.a, '121+'), 0),
           coalesce(ar.item_count(o.a), 0), coalesce(o.oldest, 0),
           coalesce(u.unapplied_amount, 0),
           coalesce(ar.total(o.a), 0) - coalesce(u.unapplied_amount, 0),
           c.credit_limit,
           (coalesce(ar.total(o.a), 0) - coalesce(u.unapplied_amount, 0)) / nullif(c.credit_limit, 0),
           sf.credit_sales_90d, sf.dso_90d,
           pf.paid_items_12m, pf.adtp_12m, pf.adtp_weighted_12m, pf.avg_days_late_12m,
           pf.avg_days_late_weighted_12m, pf.avg_days_beyond_terms_weighted_12m,
           pf.paid_items_90d, pf.adtp_90d, pf.adtp_weighted_90d, pf.avg_days_late_90d,
           pf.avg_days_late_weighted_90d, pf.avg_days_beyond_terms_weighted_90d,
           pf.on_time_rate_12m, pf.payment_index_12m,
           coalesce(d.n, 0), d.oldest,
           coalesce(pr.kept, 0), coalesce(pr.broken, 0), coalesce(pr.pending, 0),
           coalesce(h.n, 0), lp.d, _customer_health_rows.on_date
      FROM ar.customers c
      LEFT JOIN open_by_customer o ON o.customer_id = c.customer_id
      LEFT JOIN (SELECT * FROM ar.unapplied_cash(_customer_health_rows.on_date) u
                  WHERE (customers IS NULL OR u.customer_id = ANY (customers))) u ON u.customer_id = c.customer_id
      LEFT JOIN paid pd ON pd.customer_id = c.customer_id
     CROSS JOIN LATERAL ar._health_payment_figures(pd.s12, pd.s90) pf
      LEFT JOIN sales s ON s.customer_id = c.customer_id
     CROSS JOIN LATERAL ar._health_sales_figures(coalesce(ar.total(o.a), 0), s.amount) sf
      -- the latest payment: one step back in the customer's payment index
      LEFT JOIN LATERAL (SELECT max(p.payment_date) AS d FROM ar.payments p
                          WHERE p.customer_id = c.customer_id AND p.payment_date <= _customer_health_rows.on_date) lp ON true
      LEFT JOIN disputes d ON d.customer_id = c.customer_id
      LEFT JOIN promises pr ON pr.customer_id = c.customer_id
      LEFT JOIN holds h ON h.customer_id = c.customer_id
     WHERE (customers IS NULL OR c.customer_id = ANY (customers));
END $$;
COMMENT ON FUNCTION ar._customer_health_rows(date, text[]) IS 'Internal: the rows of ar.customer_health as of a date for the given customers (NULL: all).';

CREATE OR REPLACE FUNCTION ar.customer_health_at(as_of date)
RETURNS SETOF ar.customer_health_history
STABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    SELECT * FROM ar._customer_health_rows(as_of, NULL);
END;
COMMENT ON FUNCTION ar.customer_health_at(date) IS 'One row per customer with its health figures as of a date (the definition behind ar.customer_health and ar.customer_health_history).';

-- Store the health rows as of a date of the given customers (NULL: of all, replacing
-- every row), as ar._store_open_items does the open items; first the payment behaviour
-- (ar._payment_behaviour_at) of the customers in behaviour (NULL: all; none: {}), which
-- the health rows of the refreshed date read, and so do the early warnings and the
-- forecast (ar._payment_behaviour_for): it changes with a customer's data or its
-- payments' dates (dated, reversed, or leaving the 90-day or 12-month window:
-- ar._payments_moved_by_date). A customer of behaviour not among customers keeps its row
-- with new payment figures (ar._health_payment_figures): the date moved its payments only;
-- one of sales (ar._sales_moved_by_date) not among them, with new 90-day sales and DSO.
CREATE OR REPLACE FUNCTION ar._store_customer_health(as_of date, customers text[], behaviour text[], accounts text[], sales text[],
                                                      OUT health_rows bigint, OUT payment_rows bigint, OUT sales_rows bigint)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
SET plan_cache_mode = force_custom_plan
AS $$
DECLARE
    -- the rows moved in part: the customers of behaviour, and of sales, not in customers
    -- (none when every row is recomputed)
    pay_only constant text[] := CASE WHEN customers IS NOT NULL
                                     THEN ARRAY(SELECT x.id FROM unnest(behaviour) x(id) EXCEPT SELECT y.id FROM unnest(customers) y(id)) END;
    sales_only constant text[] := CASE WHEN customers IS NOT NULL
                                       THEN ARRAY(SELECT x.id FROM unnest(sales) x(id) EXCEPT SELECT y.id FROM unnest(customers) y(id)) END;
BEGIN
    health_rows := 0;
    -- (DELETE, not TRUNCATE: readers keep the previous rows until commit)
    IF behaviour IS NULL OR cardinality(behaviour) > 0 THEN
        -- computed into a temporary table first: a CREATE TABLE AS may scan the year of
        -- payments with parallel workers, an INSERT ... SELECT never does in PostgreSQL 15
        -- (full scale, the 23,608 customers a day's date moved: 4.9 s -> 2.6 s)
        CREATE TEMP TABLE _ar_payment_behaviour ON COMMIT DROP AS
        SELECT b.customer_id, b.s12, b.s90, b.before_90d FROM ar._payment_behaviour_at(_store_customer_health.as_of, behaviour) b;
        DELETE FROM ar.payment_behaviour_data b WHERE behaviour IS NULL OR b.customer_id = ANY (behaviour);
        INSERT INTO ar.payment_behaviour_data SELECT b.customer_id, b.s12, b.s90, b.before_90d FROM _ar_payment_behaviour b;
        DROP TABLE _ar_payment_behaviour;
    END IF;
    IF customers IS NULL OR cardinality(customers) > 0 THEN
        DELETE FROM ar.customer_health_data h WHERE customers IS NULL OR h.customer_id = ANY (customers);
        INSERT INTO ar.customer_health_data SELECT * FROM ar._customer_health_rows(_store_customer_health.as_of, customers);
        GET DIAGNOSTICS health_rows = ROW_COUNT;
    END IF;
    -- the customers in behaviour and not in customers: those whose payments alone the date
    -- moved (leaving the 90-day or 12-month window: ar._refresh_customer_state); their
    -- rows take the payment figures of their new summaries (none left: no payment in the
    -- 12 months), the rest of each row and its date stay (full scale, a day: 17,851 of
    -- the 48,828 customers the date moves, no longer recomputed whole)
    payment_rows := coalesce(cardinality(pay_only), 0);
    IF payment_rows > 0 THEN
        UPDATE ar.customer_health_data h
           SET (paid_items_12m, adtp_12m, adtp_weighted_12m, avg_days_late_12m, avg_days_late_weighted_12m,
                avg_days_beyond_terms_weighted_12m, paid_items_90d, adtp_90d, adtp_weighted_90d, avg_days_late_90d,
                avg_days_late_weighted_90d, avg_days_beyond_terms_weighted_90d, on_time_rate_12m, payment_index_12m)
             = (SELECT f.* FROM ar._health_payment_figures(b.s12, b.s90) f)
          FROM unnest(pay_only) m(id)
          LEFT JOIN ar.payment_behaviour_data b ON b.customer_id = m.id
         WHERE h.customer_id = m.id;
    END IF;
    -- the customers in sales and not in customers: those whose invoices alone the date
    -- moved out of the 90 days; their rows take the 90-day sales and DSO of the date with
    -- their (unchanged) open amount, the rest of each row and its date stay (full scale, a
    -- day: 10,449 customers no longer recomputed whole); the sales of those only
    sales_rows := coalesce(cardinality(sales_only), 0);
    IF sales_rows > 0 THEN
        UPDATE ar.customer_health_data h
           SET (credit_sales_90d, dso_90d) = (SELECT f.* FROM ar._health_sales_figures(h.open_amount, x.amount) f)
          FROM unnest(sales_only) m(id)
          LEFT JOIN ar._credit_sales_90d(_store_customer_health.as_of, sales_only) x ON x.customer_id = m.id
         WHERE h.customer_id = m.id;
    END IF;
    -- the worklist's past-due accounts (sql/collections/worklist.sql) of the customers in
    -- accounts: a part of those above (ar._accounts_moved_by_date: an item falling past due
    -- crosses the aging bound of day 1, the others are ledger rows, disputes and rates;
    -- the later bounds and payment windows that move most health rows move no account).
    -- (The aging per customer, currency and bucket kept so too cost 2.2 s a day to keep
    -- for the 1.6 s it saved the aging and exposure views, at 200,000 customers: not kept.)
    IF accounts IS NULL OR cardinality(accounts) > 0 THEN
        DELETE FROM ar.worklist_accounts_data a WHERE accounts IS NULL OR a.customer_id = ANY (accounts);
        INSERT INTO ar.worklist_accounts_data SELECT * FROM ar._worklist_account_rows(_store_customer_health.as_of, accounts);
    END IF;
END $$;
COMMENT ON FUNCTION ar._store_customer_health(date, text[], text[], text[], text[]) IS 'Internal: replace the stored payment behaviour (ar.payment_behaviour_data) of the customers in behaviour (NULL: all, {}: none) by ar._payment_behaviour_at(as_of, behaviour), the health rows (ar.customer_health_data) of the given customers (NULL: all) by ar._customer_health_rows(as_of, customers) (the customers of behaviour not among them: only the payment figures of their rows, ar._health_payment_figures; of sales not among them: only the 90-day sales and DSO, ar._health_sales_figures), and the worklist accounts (ar.worklist_accounts_data) of the customers in accounts (NULL: all, {}: none) by ar._worklist_account_rows(as_of, accounts); returns the health rows written whole, and the rows given new payment figures and new 90-day sales only.';

-- The payment behaviour of a date: stored with the health rows when the date is the
-- refreshed one, else computed (the planner evaluates the two conditions once and runs
-- one branch), as ar._open_items_for does the open items.
CREATE OR REPLACE FUNCTION ar._payment_behaviour_for(as_of date)
RETURNS TABLE (customer_id text, s12 ar.paymentstats, s90 ar.paymentstats, before_90d ar.paymentstats)
STABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    SELECT b.customer_id, b.s12, b.s90, b.before_90d FROM ar.payment_behaviour_data b WHERE as_of = (SELECT ar.as_of())
    UNION ALL
    SELECT b.customer_id, b.s12, b.s90, b.before_90d FROM ar._payment_behaviour_at(as_of) b WHERE as_of IS DISTINCT FROM (SELECT ar.as_of());
END;
COMMENT ON FUNCTION ar._payment_behaviour_for(date) IS 'Internal: ar._payment_behaviour_at(as_of), read from ar.payment_behaviour_data when as_of is the refreshed date.';

-- The stored rows as of the refresh's date: a row kept from an earlier refresh (its
-- customer unchanged since, and not moved by the dates: sql/refresh/customer_state.sql)
-- differs from a recomputation only by the ages of its oldest past-due item and oldest
-- open dispute, which grew by the days since.
-- The refresh's date is read from ar.settings in the view itself, not by ar.as_of():
-- a function runs with the reader's privileges, a view's tables with its owner's, and a
-- collector (ar.grant_collector) may read the ar.my_* views over this one, not ar.settings.
CREATE OR REPLACE VIEW ar.customer_health_mv AS
SELECT d.customer_id, d.customer_name, d.segment, d.collector, d.payment_terms_days,
       d.open_amount, d.past_due_amount, d.current_amount, d.days_1_30, d.days_31_60, d.days_61_90, d.days_91_120, d.days_121_plus,
       d.open_invoices,
       CASE WHEN d.oldest_past_due_days > 0 THEN d.oldest_past_due_days + (s.as_of - d.as_of) ELSE d.oldest_past_due_days END AS oldest_past_due_days,
       d.unapplied_cash, d.net_exposure, d.credit_limit, d.credit_utilisation, d.credit_sales_90d, d.dso_90d,
       d.paid_items_12m, d.adtp_12m, d.adtp_weighted_12m, d.avg_days_late_12m, d.avg_days_late_weighted_12m, d.avg_days_beyond_terms_weighted_12m,
       d.paid_items_90d, d.adtp_90d, d.adtp_weighted_90d, d.avg_days_late_90d, d.avg_days_late_weighted_90d, d.avg_days_beyond_terms_weighted_90d,
       d.on_time_rate_12m, d.payment_index_12m,
       d.open_disputes, d.oldest_open_dispute_days + (s.as_of - d.as_of) AS oldest_open_dispute_days,
       d.promises_kept_12m, d.promises_broken_12m, d.promises_pending, d.open_order_holds, d.last_payment_date,
       s.as_of AS as_of
  FROM ar.customer_health_data d
  LEFT JOIN ar.settings s ON true;   -- (its one row, when there is one)
COMMENT ON VIEW ar.customer_health_mv IS 'Internal: the stored rows of ar.customer_health (ar.customer_health_data) as of ar.as_of(); query ar.customer_health.';

-- Published views, with business names and comments.
CREATE OR REPLACE VIEW ar.customer_health AS SELECT * FROM ar.customer_health_mv;

COMMENT ON VIEW ar.customer_health IS 'One row per customer as of the last refresh ((SELECT ar.as_of())), amounts in the customer''s currency (ar.customers.currency): balances, aging, exposure, DSO, payment behaviour, disputes, promises, holds.';
COMMENT ON COLUMN ar.customer_health.customer_id IS 'Account identifier.';
COMMENT ON COLUMN ar.customer_health.customer_name IS 'Account name.';
COMMENT ON COLUMN ar.customer_health.segment IS 'Business segment.';
COMMENT ON COLUMN ar.customer_health.collector IS 'Collector responsible.';
COMMENT ON COLUMN ar.customer_health.payment_terms_days IS 'Payment terms in days (Net N).';
COMMENT ON COLUMN ar.customer_health.open_amount IS 'Total open invoice amount as of the as-of date.';
COMMENT ON COLUMN ar.customer_health.past_due_amount IS 'Open amount past its due date.';
COMMENT ON COLUMN ar.customer_health.current_amount IS 'Open amount not yet due.';
COMMENT ON COLUMN ar.customer_health.days_1_30 IS 'Open amount 1-30 days past due.';
COMMENT ON COLUMN ar.customer_health.days_31_60 IS 'Open amount 31-60 days past due.';
COMMENT ON COLUMN ar.customer_health.days_61_90 IS 'Open amount 61-90 days past due.';
COMMENT ON COLUMN ar.customer_health.days_91_120 IS 'Open amount 91-120 days past due.';
COMMENT ON COLUMN ar.customer_health.days_121_plus IS 'Open amount more than 120 days past due.';
COMMENT ON COLUMN ar.customer_health.open_invoices IS 'Number of open invoices.';
COMMENT ON COLUMN ar.customer_health.oldest_past_due_days IS 'Days past due of the oldest past-due invoice (0 when nothing is past due).';
COMMENT ON COLUMN ar.customer_health.unapplied_cash IS 'Cash received and not applied to any invoice.';
COMMENT ON COLUMN ar.customer_health.net_exposure IS 'Open amount minus unapplied cash.';
COMMENT ON COLUMN ar.customer_health.credit_limit IS 'Credit limit (NULL = none set).';
COMMENT ON COLUMN ar.customer_health.credit_utilisation IS 'Net exposure / credit limit (1 = at the limit; NULL without a limit).';
COMMENT ON COLUMN ar.customer_health.credit_sales_90d IS 'Amount invoiced in the 90 days up to the as-of date.';
COMMENT ON COLUMN ar.customer_health.dso_90d IS 'Customer DSO over the trailing 90 days: open amount / 90-day credit sales * 90 (NULL without sales).';
COMMENT ON COLUMN ar.customer_health.paid_items_12m IS 'Payment applications in the trailing 12 months.';
COMMENT ON COLUMN ar.customer_health.adtp_12m IS 'Average days to pay (simple), trailing 12 months.';
COMMENT ON COLUMN ar.customer_health.adtp_weighted_12m IS 'Average days to pay weighted by amount, trailing 12 months.';
COMMENT ON COLUMN ar.customer_health.avg_days_late_12m IS 'Average days paid after the due date (early = 0), trailing 12 months.';
COMMENT ON COLUMN ar.customer_health.avg_days_late_weighted_12m IS 'Average days late weighted by amount, trailing 12 months.';
COMMENT ON COLUMN ar.customer_health.avg_days_beyond_terms_weighted_12m IS 'Amount-weighted days beyond terms (early negative), trailing 12 months.';
COMMENT ON COLUMN ar.customer_health.paid_items_90d IS 'Payment applications in the trailing 90 days.';
COMMENT ON COLUMN ar.customer_health.adtp_90d IS 'Average days to pay (simple), trailing 90 days.';
COMMENT ON COLUMN ar.customer_health.adtp_weighted_90d IS 'Average days to pay weighted by amount, trailing 90 days.';
COMMENT ON COLUMN ar.customer_health.avg_days_late_90d IS 'Average days late, trailing 90 days.';
COMMENT ON COLUMN ar.customer_health.avg_days_late_weighted_90d IS 'Average days late weighted by amount, trailing 90 days.';
COMMENT ON COLUMN ar.customer_health.avg_days_beyond_terms_weighted_90d IS 'Amount-weighted days beyond terms (early negative), trailing 90 days.';
COMMENT ON COLUMN ar.customer_health.on_time_rate_12m IS 'Share of payments made on or before the due date, trailing 12 months (0-1).';
COMMENT ON COLUMN ar.customer_health.payment_index_12m IS 'Payment index 0-100 (80 = on time) of amount-weighted days beyond terms, trailing 12 months.';
COMMENT ON COLUMN ar.customer_health.open_disputes IS 'Disputes open on the as-of date.';
COMMENT ON COLUMN ar.customer_health.oldest_open_dispute_days IS 'Age in days of the oldest open dispute.';
COMMENT ON COLUMN ar.customer_health.promises_kept_12m IS 'Promises to pay kept, with promised dates in the trailing 12 months.';
COMMENT ON COLUMN ar.customer_health.promises_broken_12m IS 'Promises to pay broken, with promised dates in the trailing 12 months.';
COMMENT ON COLUMN ar.customer_health.promises_pending IS 'Promises to pay not yet due and not yet covered.';
COMMENT ON COLUMN ar.customer_health.open_order_holds IS 'Order holds in place on the as-of date.';
COMMENT ON COLUMN ar.customer_health.last_payment_date IS 'Date of the latest payment received (applied or not).';
COMMENT ON COLUMN ar.customer_health.as_of IS 'As-of date of these figures.';

-- The history and storage tables (sql/schema/refresh.sql) and the storage view have the columns of ar.customer_health: give them the same descriptions.
DO $$
DECLARE
    col record;
BEGIN
    FOR col IN SELECT a.attname, col_description(a.attrelid, a.attnum) AS description
                 FROM pg_attribute a
                WHERE a.attrelid = 'ar.customer_health'::regclass AND a.attnum > 0 AND NOT a.attisdropped LOOP
        EXECUTE format('COMMENT ON COLUMN ar.customer_health_history.%I IS %L', col.attname,
                       CASE WHEN col.attname = 'as_of' THEN 'Date of this snapshot.' ELSE col.description END);
        EXECUTE format('COMMENT ON COLUMN ar.customer_health_mv.%I IS %L', col.attname, col.description);
        EXECUTE format('COMMENT ON COLUMN ar.customer_health_data.%I IS %L', col.attname,
                       CASE WHEN col.attname = 'as_of' THEN 'Date the row was computed on (ar.customer_health shows it as of ar.as_of(), ages shifted).'
                            WHEN col.attname IN ('oldest_past_due_days', 'oldest_open_dispute_days') THEN col.description || ' On the row''s as_of.'
                            ELSE col.description END);
    END LOOP;
END $$;
