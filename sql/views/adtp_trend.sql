-- A customer's monthly rows change only when its payments, the dates of the invoices
-- they pay or its own attributes change, or when the as-of date moves over its
-- payments. Refreshed as a materialized view, the 3.5 million rows of 10M invoices
-- were recomputed and compared every day (86 s); now the refresh recomputes the rows
-- of the customers concerned only (docs/views.md, "Refresh at scale").

-- The one definition of the rows: per customer and month of payment, over the 24
-- months up to as_of; for the given customers only, or all (NULL); with since (one date
-- per customer, 0.18.0), only each customer's months from since's month on (a row holds
-- its month's payments only), read by the customer's payments index from there.
CREATE OR REPLACE FUNCTION ar._adtp_trend_rows(as_of date, customers text[], since date[] DEFAULT NULL)
RETURNS TABLE (customer_id text, segment text, collector text, payment_terms_days integer, month date,
               paid_items bigint, paid_amount numeric, adtp numeric, adtp_weighted numeric,
               avg_days_late numeric, avg_days_late_weighted numeric, stats ar.paymentstats,
               stats_reporting ar.paymentstats)
STABLE PARALLEL SAFE LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
SET jit = off
-- planned with the actual arguments: all customers (hash joins) or a few (index scans)
SET plan_cache_mode = force_custom_plan
AS $$
#variable_conflict use_column
DECLARE
    rc constant text := ar.reporting_currency();
    first_day constant date := (date_trunc('month', as_of::timestamp) - interval '23 months')::date;
    -- the currencies that have rates (a payment in any other one finds no rate: ERROR)
    foreign_currencies constant text[] := (SELECT array_agg(DISTINCT x.c) FROM (SELECT f.from_currency::text FROM ar.fx_rates f
                                            UNION SELECT f.to_currency::text FROM ar.fx_rates f) x(c) WHERE x.c <> rc);
BEGIN
    -- Amounts: in the customer's currency for the customer's figures (an invoice in
    -- another one converts at the payment date), in the reporting currency at the
    -- payment date for stats_reporting (docs/currency.md), from a day table of rates.
    -- Grouped per customer and month only, the customer's attributes joined to the
    -- groups: the 10M payments are not sorted with them (every customer's rows at full
    -- scale: 41-44 s -> 34-35 s).
    RETURN QUERY
    WITH fx AS MATERIALIZED (   -- computed once, hashed: not a rate lookup per payment
        SELECT * FROM ar._fx_days(foreign_currencies, rc, first_day, _adtp_trend_rows.as_of))
    SELECT g.customer_id, c.segment, c.collector, c.payment_terms_days, g.month,
           ar.item_count(g.stats), ar.amount(g.stats), ar.adtp(g.stats), ar.adtp_weighted(g.stats),
           ar.avg_days_late(g.stats), ar.avg_days_late_weighted(g.stats), g.stats,
           CASE WHEN g.all_rc THEN NULL ELSE g.stats_rc END
      FROM (SELECT p.customer_id, date_trunc('month', p.payment_date::timestamp)::date AS month,
                   ar.payment_stats(i.invoice_date, i.due_date, p.payment_date, x.amount) AS stats,
                   bool_and(i.currency = rc AND pc.currency = rc) AS all_rc,
                   ar.payment_stats(i.invoice_date, i.due_date, p.payment_date, x.amount_rc) AS stats_rc
              FROM ar.payments p
              JOIN ar.invoices i ON i.invoice_id = p.invoice_id
              -- (= i.customer_id: foreign key), with the month its rows are recomputed from
              -- (without since every customer's, joined as before: the full rebuild's plan)
              JOIN (SELECT c.customer_id, c.currency, '-infinity'::date AS since FROM ar.customers c WHERE _adtp_trend_rows.since IS NULL
                    UNION ALL
                    SELECT c.customer_id, c.currency, date_trunc('month', t.since::timestamp)::date
                      FROM unnest(_adtp_trend_rows.customers, _adtp_trend_rows.since) AS t(customer_id, since)
                      JOIN ar.customers c ON c.customer_id = t.customer_id
                     WHERE _adtp_trend_rows.since IS NOT NULL) pc ON pc.customer_id = p.customer_id
              LEFT JOIN fx ON fx.currency = i.currency AND fx.day = p.payment_date
              CROSS JOIN LATERAL (
                  SELECT CASE WHEN i.currency = pc.currency THEN p.amount
                              ELSE ar.convert(p.amount, i.currency, pc.currency, p.payment_date) END AS amount,
                         ar._fx_apply(p.amount, i.currency, rc, p.payment_date, fx.rate, fx.inverse) AS amount_rc) x
             WHERE p.payment_date <= _adtp_trend_rows.as_of
               AND (p.reversed_on IS NULL OR p.reversed_on > _adtp_trend_rows.as_of)   -- a reversed payment paid nothing
               AND p.payment_date >= first_day AND p.payment_date >= pc.since
               AND (customers IS NULL OR p.customer_id = ANY (customers))
             GROUP BY 1, 2) g
      JOIN ar.customers c ON c.customer_id = g.customer_id;
END $$;
COMMENT ON FUNCTION ar._adtp_trend_rows(date, text[], date[]) IS 'Internal: the rows of ar.adtp_trend_monthly as of a date, for the given customers (NULL = all); with since (one date per customer, NULL = all months), only the months from since''s month on.';

CREATE OR REPLACE FUNCTION ar._note_adtp_trend_change() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    -- (payments: from the month of the earliest payment date changed, old or new: a row
    -- holds its month's payments only; invoices and customers: every month, since NULL)
    IF TG_OP = 'TRUNCATE' THEN
        INSERT INTO ar._adtp_trend_changes VALUES (NULL, NULL);
    ELSIF TG_OP = 'INSERT' THEN
        INSERT INTO ar._adtp_trend_changes SELECT n.customer_id, min(n.payment_date) FROM new_rows n GROUP BY 1;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO ar._adtp_trend_changes SELECT o.customer_id, min(o.payment_date) FROM old_rows o GROUP BY 1;
    ELSIF TG_TABLE_NAME = 'payments' THEN
        INSERT INTO ar._adtp_trend_changes
        SELECT x.customer_id, min(x.payment_date)
          FROM (SELECT n.customer_id, n.payment_date FROM new_rows n UNION ALL SELECT o.customer_id, o.payment_date FROM old_rows o) x
         GROUP BY 1;
    ELSIF TG_TABLE_NAME = 'invoices' THEN
        -- only the dates, the customer and the currency of an invoice matter: a nightly sync that
        -- rewrites every invoice's amount or status notes nobody
        INSERT INTO ar._adtp_trend_changes
        SELECT n.customer_id FROM new_rows n LEFT JOIN old_rows o ON o.invoice_id = n.invoice_id
         WHERE (n.invoice_date, n.due_date, n.customer_id, n.currency) IS DISTINCT FROM (o.invoice_date, o.due_date, o.customer_id, o.currency)
        UNION
        SELECT o.customer_id FROM old_rows o LEFT JOIN new_rows n ON n.invoice_id = o.invoice_id
         WHERE (n.invoice_date, n.due_date, n.customer_id, n.currency) IS DISTINCT FROM (o.invoice_date, o.due_date, o.customer_id, o.currency);
    ELSE
        -- customers: only the columns the trend shows, and the currency
        INSERT INTO ar._adtp_trend_changes
        SELECT n.customer_id FROM new_rows n LEFT JOIN old_rows o ON o.customer_id = n.customer_id
         WHERE (n.segment, n.collector, n.payment_terms_days, n.currency) IS DISTINCT FROM (o.segment, o.collector, o.payment_terms_days, o.currency)
        UNION
        SELECT o.customer_id FROM old_rows o LEFT JOIN new_rows n ON n.customer_id = o.customer_id
         WHERE (n.segment, n.collector, n.payment_terms_days, n.currency) IS DISTINCT FROM (o.segment, o.collector, o.payment_terms_days, o.currency);
    END IF;
    RETURN NULL;
END $$;
COMMENT ON FUNCTION ar._note_adtp_trend_change() IS 'Internal trigger: notes the customers whose ADTP trend rows a statement may change (once per statement, from its transition tables).';

-- Payments: any change. Invoices: updates of their dates or customer (an invoice with
-- payments cannot be deleted, a new one has none). Customers: updates of segment,
-- collector or terms (one with payments cannot be deleted). TRUNCATE of any: rebuild.
CREATE OR REPLACE TRIGGER payments_adtp_trend_ins AFTER INSERT ON ar.payments
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ar._note_adtp_trend_change();
CREATE OR REPLACE TRIGGER payments_adtp_trend_upd AFTER UPDATE ON ar.payments
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ar._note_adtp_trend_change();
CREATE OR REPLACE TRIGGER payments_adtp_trend_del AFTER DELETE ON ar.payments
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ar._note_adtp_trend_change();
CREATE OR REPLACE TRIGGER invoices_adtp_trend_upd AFTER UPDATE ON ar.invoices
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ar._note_adtp_trend_change();
CREATE OR REPLACE TRIGGER customers_adtp_trend_upd AFTER UPDATE ON ar.customers
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ar._note_adtp_trend_change();
CREATE OR REPLACE TRIGGER payments_adtp_trend_truncate AFTER TRUNCATE ON ar.payments
    FOR EACH STATEMENT EXECUTE FUNCTION ar._note_adtp_trend_change();
CREATE OR REPLACE TRIGGER invoices_adtp_trend_truncate AFTER TRUNCATE ON ar.invoices
    FOR EACH STATEMENT EXECUTE FUNCTION ar._note_adtp_trend_change();
CREATE OR REPLACE TRIGGER customers_adtp_trend_truncate AFTER TRUNCATE ON ar.customers
    FOR EACH STATEMENT EXECUTE FUNCTION ar._note_adtp_trend_change();

-- Rates and the reporting currency: the stored stats_reporting of every customer may
-- change with a rate dated on or before the views' as-of date (a rate dated later
-- converts only payments that no stored row holds yet), and with the reporting currency.
CREATE OR REPLACE FUNCTION ar._note_fx_change() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF TG_TABLE_NAME = 'settings' AND TG_OP = 'INSERT' THEN
        -- (INSERT ... ON CONFLICT DO UPDATE, the refresh's, fires this with no new row)
        IF EXISTS (SELECT 1 FROM new_rows) THEN
            INSERT INTO ar._adtp_trend_changes VALUES (NULL);
        END IF;
    ELSIF TG_TABLE_NAME = 'settings' THEN
        IF EXISTS (SELECT 1 FROM new_rows n JOIN old_rows o ON true WHERE n.reporting_currency IS DISTINCT FROM o.reporting_currency) THEN
            INSERT INTO ar._adtp_trend_changes VALUES (NULL);
        END IF;
    ELSIF TG_OP = 'TRUNCATE' THEN
        INSERT INTO ar._adtp_trend_changes VALUES (NULL);
        INSERT INTO ar._customer_changes VALUES (NULL, NULL);
    ELSE   -- (each statement names only the transition tables its operation has)
        -- a rate in effect: also every customer's open items and health row (balances and
        -- flows in another currency than the customer's: sql/refresh/customer_state.sql)
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
            IF EXISTS (SELECT 1 FROM new_rows n WHERE n.rate_date <= (SELECT ar.as_of())) THEN
                INSERT INTO ar._adtp_trend_changes VALUES (NULL);
                INSERT INTO ar._customer_changes VALUES (NULL, NULL);
            END IF;
        END IF;
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
            IF EXISTS (SELECT 1 FROM old_rows o WHERE o.rate_date <= (SELECT ar.as_of())) THEN
                INSERT INTO ar._adtp_trend_changes VALUES (NULL);
                INSERT INTO ar._customer_changes VALUES (NULL, NULL);
            END IF;
        END IF;
    END IF;
    RETURN NULL;
END $$;
COMMENT ON FUNCTION ar._note_fx_change() IS 'Internal trigger: a rate dated on or before the as-of date, or a new reporting currency, makes the next refresh recompute every ADTP trend row (their reporting-currency amounts); a rate also every customer''s open items and health row.';

SELECT ar._create_statement_triggers('ar.fx_rates', 'adtp_trend', 'ar._note_fx_change');
CREATE OR REPLACE TRIGGER settings_adtp_trend_ins AFTER INSERT ON ar.settings
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ar._note_fx_change();
CREATE OR REPLACE TRIGGER settings_adtp_trend_upd AFTER UPDATE ON ar.settings
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ar._note_fx_change();

-- The totals (ar.adtp_trend_totals) of the months from from_month on summed again from the
-- stored rows (-infinity: every month; infinity: none), and those of months outside the rows' window dropped:
-- what ar._refresh_adtp_trend calls after rewriting rows from a month on. The one
-- definition of a total: the rollup of the month's summaries per segment.
CREATE OR REPLACE FUNCTION ar._store_adtp_trend_totals(from_month date, first_month date, this_month date) RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    DELETE FROM ar.adtp_trend_totals t
     WHERE t.month >= from_month OR t.month < first_month OR t.month > this_month;
    -- (planned with the actual months: this month's rows by the month index; a generic
    -- plan read every row: the step took 0.14 s instead of 0.035 s at 20,000 customers)
    EXECUTE 'INSERT INTO ar.adtp_trend_totals (month, segment, stats)
             SELECT d.month, coalesce(d.segment, ''(none)''), ar.rollup(coalesce(d.stats_reporting, d.stats))
               FROM ar.adtp_trend_monthly_data d
              WHERE d.month >= $1 AND d.month >= $2 AND d.month <= $3
              GROUP BY d.month, coalesce(d.segment, ''(none)'')'
      USING from_month, first_month, this_month;
END $$;
COMMENT ON FUNCTION ar._store_adtp_trend_totals(date, date, date) IS 'Internal (ar._refresh_adtp_trend): recompute ar.adtp_trend_totals for the months from from_month on (-infinity: all; infinity: none) from ar.adtp_trend_monthly_data, dropping months outside [first_month, this_month].';

-- Bring the stored rows to as_of; returns how many rows it wrote (counting the
-- stored ones read all 3.5 million at full scale: 1.1 s a day). Recomputed: the
-- customers noted by the triggers and those with payments dated (or reversed) between
-- the previous as-of date and this one; months that left the 24-month window are dropped. Every
-- row is recomputed on the first refresh, after a TRUNCATE, when the window moves back
-- to earlier months, and when over a quarter of the customers are concerned (cheaper
-- in one pass).
CREATE OR REPLACE FUNCTION ar._refresh_adtp_trend(as_of date) RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
SET jit = off
AS $$
DECLARE
    prev date;
    first_month constant date := (date_trunc('month', as_of::timestamp) - interval '23 months')::date;
    this_month constant date := date_trunc('month', as_of::timestamp)::date;
    concerned text[];
    concerned_since date[];
    everything boolean;
    done boolean := false;
    n bigint := 0;
BEGIN
    SELECT s.as_of INTO prev FROM ar._adtp_trend_state s;
    -- Take the noted changes: those committed before this statement. Later ones stay.
    -- Each customer from the earliest payment date noted (NULL: all its months: -infinity).
    WITH taken AS (DELETE FROM ar._adtp_trend_changes RETURNING customer_id, since),
    per_customer AS (SELECT t.customer_id, min(coalesce(t.since, '-infinity')) AS since FROM taken t
                      WHERE t.customer_id IS NOT NULL GROUP BY t.customer_id)
    SELECT (SELECT array_agg(c.customer_id ORDER BY c.customer_id) FROM per_customer c),
           (SELECT array_agg(c.since ORDER BY c.customer_id) FROM per_customer c),
           coalesce(bool_or(t.customer_id IS NULL), false)
      INTO concerned, concerned_since, everything FROM taken t;
    IF prev IS NOT NULL AND NOT everything AND first_month >= (date_trunc('month', prev::timestamp) - interval '23 months')::date THEN
        -- and those with payments the date moved over (from their month) or reversed in
        -- the days it moved over (from the reversed payment's month)
        SELECT array_agg(x.customer_id ORDER BY x.customer_id), array_agg(x.since ORDER BY x.customer_id) INTO concerned, concerned_since
          FROM (SELECT y.customer_id, min(y.since) AS since
                  FROM (SELECT * FROM unnest(concerned, concerned_since)
                        UNION ALL
                        SELECT p.customer_id, p.payment_date FROM ar.payments p
                         WHERE p.payment_date > least(prev, _refresh_adtp_trend.as_of)
                           AND p.payment_date <= greatest(prev, _refresh_adtp_trend.as_of)
                        UNION ALL
                        SELECT p.customer_id, p.payment_date FROM ar.payments p
                         WHERE p.reversed_on > least(prev, _refresh_adtp_trend.as_of)
                           AND p.reversed_on <= greatest(prev, _refresh_adtp_trend.as_of)) y(customer_id, since)
                 GROUP BY y.customer_id) x;
        IF coalesce(cardinality(concerned), 0) <= (SELECT count(*) FROM ar.customers) / 4 THEN
            -- the months that left the window: only when the month changed (a scan of
            -- every row: 2 s at full scale, for nothing on the other days of a month)
            IF this_month <> date_trunc('month', prev::timestamp)::date THEN
                DELETE FROM ar.adtp_trend_monthly_data d WHERE d.month < first_month OR d.month > this_month;
            END IF;
            IF concerned IS NOT NULL THEN
                -- each customer's rows from the month of its date on
                DELETE FROM ar.adtp_trend_monthly_data d USING unnest(concerned, concerned_since) AS t(customer_id, since)
                 WHERE d.customer_id = t.customer_id AND d.month >= date_trunc('month', t.since::timestamp)::date;
                INSERT INTO ar.adtp_trend_monthly_data SELECT * FROM ar._adtp_trend_rows(_refresh_adtp_trend.as_of, concerned, concerned_since);
                GET DIAGNOSTICS n = ROW_COUNT;
            END IF;
            -- the totals of the months rewritten (from the earliest month of a customer's
            -- date on: on most days this month alone), and of those that left the window
            IF concerned IS NOT NULL OR this_month <> date_trunc('month', prev::timestamp)::date THEN
                PERFORM ar._store_adtp_trend_totals(
                    coalesce((SELECT min(date_trunc('month', t.since::timestamp))::date FROM unnest(concerned_since) t(since)), 'infinity'),
                    first_month, this_month);
            END IF;
            done := true;
        END IF;
    END IF;
    IF NOT done THEN
        -- every row (DELETE, not TRUNCATE: readers keep the previous rows until commit)
        DELETE FROM ar.adtp_trend_monthly_data;
        INSERT INTO ar.adtp_trend_monthly_data SELECT * FROM ar._adtp_trend_rows(_refresh_adtp_trend.as_of, NULL);
        GET DIAGNOSTICS n = ROW_COUNT;
        PERFORM ar._store_adtp_trend_totals('-infinity', first_month, this_month);
    END IF;
    INSERT INTO ar._adtp_trend_state (as_of) VALUES (_refresh_adtp_trend.as_of)
        ON CONFLICT (singleton) DO UPDATE SET as_of = excluded.as_of;
    RETURN n;
END $$;
COMMENT ON FUNCTION ar._refresh_adtp_trend(date) IS 'Internal: bring ar.adtp_trend_monthly_data to as_of, recomputing only the customers whose rows may have changed; returns the number of rows written.';

-- The published view over the stored rows; the as-of date is the refresh's.
CREATE OR REPLACE VIEW ar.adtp_trend_monthly AS
SELECT (SELECT ar.as_of()) AS as_of, d.customer_id, d.segment, d.collector, d.payment_terms_days, d.month,
       d.paid_items, d.paid_amount, d.adtp, d.adtp_weighted, d.avg_days_late, d.avg_days_late_weighted
  FROM ar.adtp_trend_monthly_data d;
COMMENT ON VIEW ar.adtp_trend_monthly IS 'Per customer and month of payment (the last 24 months): days to pay and days late of items paid that month, with the customer''s terms as the ideal to compare with.';
COMMENT ON COLUMN ar.adtp_trend_monthly.as_of IS 'As-of date of the refresh.';
COMMENT ON COLUMN ar.adtp_trend_monthly.customer_id IS 'Account identifier.';
COMMENT ON COLUMN ar.adtp_trend_monthly.segment IS 'Business segment.';
COMMENT ON COLUMN ar.adtp_trend_monthly.collector IS 'Collector responsible.';
COMMENT ON COLUMN ar.adtp_trend_monthly.payment_terms_days IS 'Payment terms in days: the ideal days to pay.';
COMMENT ON COLUMN ar.adtp_trend_monthly.month IS 'First day of the month of payment.';
COMMENT ON COLUMN ar.adtp_trend_monthly.paid_items IS 'Payment applications received that month.';
COMMENT ON COLUMN ar.adtp_trend_monthly.paid_amount IS 'Amount received that month.';
COMMENT ON COLUMN ar.adtp_trend_monthly.adtp IS 'Average days to pay (simple) of items paid that month.';
COMMENT ON COLUMN ar.adtp_trend_monthly.adtp_weighted IS 'Amount-weighted average days to pay of items paid that month.';
COMMENT ON COLUMN ar.adtp_trend_monthly.avg_days_late IS 'Average days late of items paid that month.';
COMMENT ON COLUMN ar.adtp_trend_monthly.avg_days_late_weighted IS 'Amount-weighted average days late of items paid that month.';

-- The ADTP trend by month, segment and collector, amounts in the reporting currency: the
-- shape a BI tool filters and re-aggregates exactly (docs/views.md, "BI tools"): simple
-- ADTP over several rows = sum(adtp * paid_items) / sum(paid_items), weighted ADTP =
-- sum(adtp_weighted * paid_amount) / sum(paid_amount), terms = sum(payment_terms_days *
-- paid_items) / sum(paid_items).
CREATE OR REPLACE VIEW ar.adtp_trend_portfolio AS
SELECT (SELECT ar.as_of()) AS as_of, g.month, g.segment, g.collector, (SELECT ar.reporting_currency()) AS currency,
       ar.item_count(g.s) AS paid_items, ar.amount(g.s) AS paid_amount, ar.adtp(g.s) AS adtp, ar.adtp_weighted(g.s) AS adtp_weighted,
       g.terms_days AS payment_terms_days
  FROM (SELECT d.month, coalesce(d.segment, '(none)') AS segment, coalesce(d.collector, '(none)') AS collector,
               ar.rollup(coalesce(d.stats_reporting, d.stats)) AS s,
               sum(d.payment_terms_days::numeric * d.paid_items) / nullif(sum(d.paid_items), 0) AS terms_days
          FROM ar.adtp_trend_monthly_data d
         GROUP BY d.month, coalesce(d.segment, '(none)'), coalesce(d.collector, '(none)')) g;
COMMENT ON VIEW ar.adtp_trend_portfolio IS 'Days to pay per month of payment (the last 24), segment and collector, against the terms of the items paid; amounts and weights in the reporting currency. Re-aggregate with paid_items (simple ADTP, terms) and paid_amount (weighted ADTP) as weights.';
COMMENT ON COLUMN ar.adtp_trend_portfolio.as_of IS 'As-of date of the refresh.';
COMMENT ON COLUMN ar.adtp_trend_portfolio.month IS 'First day of the month of payment.';
COMMENT ON COLUMN ar.adtp_trend_portfolio.segment IS 'Business segment ((none) if not set).';
COMMENT ON COLUMN ar.adtp_trend_portfolio.collector IS 'Collector responsible ((none) if not set).';
COMMENT ON COLUMN ar.adtp_trend_portfolio.currency IS 'Currency of paid_amount and of the weights: the reporting currency.';
COMMENT ON COLUMN ar.adtp_trend_portfolio.paid_items IS 'Payment applications received that month.';
COMMENT ON COLUMN ar.adtp_trend_portfolio.paid_amount IS 'Amount received that month, in the reporting currency at each payment''s date.';
COMMENT ON COLUMN ar.adtp_trend_portfolio.adtp IS 'Average days to pay (simple, per item).';
COMMENT ON COLUMN ar.adtp_trend_portfolio.adtp_weighted IS 'Average days to pay weighted by the amount paid (reporting currency).';
COMMENT ON COLUMN ar.adtp_trend_portfolio.payment_terms_days IS 'Average terms (days) of the items paid, per item: the ideal days to pay.';
