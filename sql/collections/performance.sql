-- Recovery and performance ------------------------------------------------------

-- Per month (the 12 months up to as_of) and per collector / per risk segment (the
-- customer's current collector and risk segment). Definitions (docs/collections.md):
--   collected          = cash received in the month (applied or not)
--   past_due_at_start  = open amount on the month's first day of invoices past due then
--                        (due_date < first day; events dated before the first day)
--   recovered          = cash received in the month on those invoices
--   recovery_rate      = recovered / past_due_at_start
--   avg_days_to_collect_after_contact = for cash received late (after the due date) in
--                        the month: days from the first activity with the customer after
--                        the due date (on that invoice or the whole account) to the payment
-- Amounts in the reporting currency (docs/currency.md): a customer's cash of a day in a
-- currency at that day's rate, past_due_at_start (a balance) per group and currency at
-- the rate of the day before the month.
--
-- Kept per customer (docs/views.md, "Incremental refresh"): ar.collections_performance_data
-- holds each customer's figures per month and currency, recomputed by a refresh only for
-- the customers changed or moved by the date (ar._refresh_stores, sql/refresh/customer_state.sql); the
-- view groups them by the customers' current collector and risk segment.

-- Each customer's figures per month of the last months (12, or fewer: the months a new
-- month brings) up to as_of and per currency (customers NULL: every customer; the
-- filters fold away when planned). Reads the stored open items (ar.open_items_data),
-- which the refresh has brought to as_of before. Only months with a figure are returned.
-- A month's figures do not depend on how many months are computed: the past-due balance
-- of a month counts the steps of the months before it in the open amount of as_of.
CREATE OR REPLACE FUNCTION ar._collections_performance_rows(as_of date, customers text[], months integer DEFAULT 12)
RETURNS TABLE (customer_id text, month date, currency text, collected numeric, recovered numeric,
               past_due_at_start numeric, contact_days bigint, contact_payments bigint)
STABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    WITH cfg AS (
        SELECT as_of AS as_of, ar.reporting_currency() AS rc,
               (date_trunc('month', as_of::timestamp) - (least(greatest(months, 1), 12) - 1) * interval '1 month')::date AS first_month
         WHERE ar.days_past_due(as_of, as_of) = 0   -- rejects an infinite as_of (22008)
    ), months AS (
        SELECT m.month FROM ar.month_ends(as_of) m, cfg WHERE m.month >= cfg.first_month
    ), recent AS (   -- cash received in the 12 months, with its invoice's due date (NULL: unapplied)
        SELECT p.customer_id, p.invoice_id, p.payment_date, p.amount, i.due_date, coalesce(p.currency, i.currency, c.currency)::text AS currency
          -- (a payment's invoice is its customer's: the filter on both lets a few customers'
          -- payments find their invoices by the customers' index)
          FROM ar.payments p LEFT JOIN ar.invoices i ON i.invoice_id = p.invoice_id AND (customers IS NULL OR i.customer_id = ANY (customers))
          JOIN ar.customers c ON c.customer_id = p.customer_id, cfg
         WHERE p.payment_date >= cfg.first_month AND p.payment_date <= cfg.as_of
           AND (customers IS NULL OR p.customer_id = ANY (customers))
    ), spans AS (
        -- past_due_at_start(s) = sum, over the invoices due before s, of their open amount on s - 1
        --   = their open amount on as_of (the stored open items) + payments and credits dated s..as_of
        --     - debit memos dated s..as_of.
        -- So each amount x (dated t; t = as_of for the open amount) counts in the months s with
        -- due_date < s <= t: only events of the 12 months are read, not the whole ledger.
        SELECT o.customer_id, o.due_date, cfg.as_of AS t, o.open_amount AS x, o.currency
          FROM ar.open_items_data o, cfg
         WHERE customers IS NULL OR o.customer_id = ANY (customers)
        UNION ALL
        SELECT r.customer_id, r.due_date, r.payment_date, r.amount, r.currency FROM recent r WHERE r.invoice_id IS NOT NULL
        UNION ALL
        SELECT i.customer_id, i.due_date, a.adjustment_date, CASE WHEN a.kind = 'debit_memo' THEN -a.amount ELSE a.amount END, i.currency::text
          FROM ar.adjustments a JOIN ar.invoices i ON i.invoice_id = a.invoice_id, cfg
         WHERE a.adjustment_date >= cfg.first_month AND a.adjustment_date <= cfg.as_of
           AND (customers IS NULL OR i.customer_id = ANY (customers))
    ), steps AS (           -- +x from the first such month (not before the range), -x after the last one
        SELECT sp.customer_id, sp.currency, v.month, sum(v.delta) AS delta
          FROM spans sp, cfg,
               LATERAL (SELECT greatest((date_trunc('month', sp.due_date::timestamp) + interval '1 month')::date, cfg.first_month) AS first_s,
                               date_trunc('month', sp.t::timestamp)::date AS last_s) r,
               LATERAL (VALUES (r.first_s, sp.x), ((r.last_s + interval '1 month')::date, -sp.x)) v(month, delta)
         WHERE r.first_s <= r.last_s
         GROUP BY 1, 2, 3
    ), past_due AS (       -- the balance of each month: the steps up to it
        SELECT st.customer_id, st.currency, m.month, sum(st.delta) AS amount
          FROM steps st JOIN months m ON st.month <= m.month
         GROUP BY 1, 2, 3
    ), fx AS (  -- a day table of rates of the other currencies
        SELECT * FROM ar._fx_days(ARRAY(SELECT DISTINCT r.currency FROM recent r, cfg WHERE r.currency <> cfg.rc),
                                  (SELECT cfg.rc FROM cfg), (SELECT cfg.first_month FROM cfg), as_of)
    ), cash AS (
        -- per customer, currency and day, converted at that day's rate; the reporting
        -- currency's cash needs no rate and is summed per month at once (day NULL)
        -- (the outer query adds up the days of a month)
        SELECT d.customer_id, d.currency, d.month,
               ar._fx_apply(d.collected, d.currency, cfg.rc, d.day, fx.rate, fx.inverse) AS collected,
               ar._fx_apply(d.recovered, d.currency, cfg.rc, d.day, fx.rate, fx.inverse) AS recovered
          FROM (SELECT r.customer_id, r.currency, date_trunc('month', r.payment_date::timestamp)::date AS month,
                       CASE WHEN r.currency <> cfg.rc THEN r.payment_date END AS day, sum(r.amount) AS collected,
                       sum(r.amount) FILTER (WHERE r.due_date < date_trunc('month', r.payment_date::timestamp)::date) AS recovered
                  FROM recent r, cfg
                 GROUP BY 1, 2, 3, 4) d
          CROSS JOIN cfg
          LEFT JOIN fx ON fx.currency = d.currency AND fx.day = d.day
    ), after_contact AS (
        SELECT r.customer_id, r.currency, date_trunc('month', r.payment_date::timestamp)::date AS month,
               sum(r.payment_date - fc.d) AS days, count(*) AS payments
          FROM recent r,
               LATERAL (SELECT min(a.happened_at)::date AS d FROM ar.activities a
                         WHERE a.customer_id = r.customer_id AND (a.invoice_id IS NULL OR a.invoice_id = r.invoice_id)
                           AND a.happened_at >= (r.due_date + 1)::timestamptz AND a.happened_at < (r.payment_date + 1)::timestamptz) fc
         WHERE r.payment_date > r.due_date AND fc.d IS NOT NULL
         GROUP BY 1, 2, 3
    )
    SELECT x.customer_id, x.month, x.currency, coalesce(sum(x.collected), 0), coalesce(sum(x.recovered), 0),
           sum(x.past_due), coalesce(sum(x.days), 0), coalesce(sum(x.payments), 0)
      FROM (SELECT c.customer_id, c.month, c.currency, c.collected, c.recovered, NULL::numeric AS past_due, NULL::bigint AS days, NULL::bigint AS payments FROM cash c
            UNION ALL
            SELECT pd.customer_id, pd.month, pd.currency, NULL, NULL, pd.amount, NULL, NULL FROM past_due pd WHERE pd.amount <> 0
            UNION ALL
            SELECT ac.customer_id, ac.month, ac.currency, NULL, NULL, NULL, ac.days, ac.payments FROM after_contact ac) x
     GROUP BY x.customer_id, x.month, x.currency;
END;
COMMENT ON FUNCTION ar._collections_performance_rows(date, text[], integer) IS 'Internal: per customer (NULL: all), month of the last months (default 12) up to as_of and currency, the figures ar.collections_performance adds up: cash collected and recovered (reporting currency, each day at its rate), past due at the start of the month (in that currency), days to collect after contact and their payments. Reads ar.open_items_data, which must be as of as_of.';

-- The month from which a customer's figures are recomputed after a change dated since
-- (0.21.0; the change log's performance_since, ar._note_customer_change): a month's
-- figures read only what is dated in it or before its first day (cash and contacts of
-- the month, balances on its first day), so a change dated since moves the months from
-- since's month on; never later than as_of's month (a change dated after as_of moves no
-- month yet: the date reaching it does); -infinity: all of them.
CREATE OR REPLACE FUNCTION ar._collections_performance_since(as_of date, since date) RETURNS date
IMMUTABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    SELECT CASE WHEN since IS NULL OR since < as_of - 400 THEN '-infinity'::date
                ELSE date_trunc('month', least(since, as_of)::timestamp)::date END;
END;
COMMENT ON FUNCTION ar._collections_performance_since(date, date) IS 'Internal: the first month of the figures (ar._collections_performance_rows) a change of a customer dated since moves, as of as_of: since''s month, at the latest as_of''s; -infinity = all of them (since NULL or before the 12 months).';

-- The figures of the given customers, each from its month ar._collections_performance_since
-- on: the customers grouped by that month, each group computed for its last months
-- (planned with the group's customers: the filters by the customers' indexes).
CREATE OR REPLACE FUNCTION ar._collections_performance_rows(as_of date, customers text[], since date[])
RETURNS TABLE (customer_id text, month date, currency text, collected numeric, recovered numeric,
               past_due_at_start numeric, contact_days bigint, contact_payments bigint)
STABLE PARALLEL SAFE LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
SET plan_cache_mode = force_custom_plan
AS $$
DECLARE
    g record;
BEGIN
    -- (months: as_of's month and those before it down to the first month moved, at most 12)
    FOR g IN SELECT least(12, CASE WHEN m.first_month = '-infinity' THEN 12
                                   ELSE ar._months_between(m.first_month, _collections_performance_rows.as_of) + 1 END) AS months,
                    array_agg(t.id) AS ids
               FROM unnest(_collections_performance_rows.customers, _collections_performance_rows.since) t(id, since)
               CROSS JOIN LATERAL (SELECT ar._collections_performance_since(_collections_performance_rows.as_of, t.since) AS first_month) m
              GROUP BY 1 ORDER BY 1 LOOP
        RETURN QUERY SELECT * FROM ar._collections_performance_rows(_collections_performance_rows.as_of, g.ids, g.months);
    END LOOP;
END $$;
COMMENT ON FUNCTION ar._collections_performance_rows(date, text[], date[]) IS 'Internal: ar._collections_performance_rows(as_of, customers) of each customer''s months from ar._collections_performance_since(as_of, its since) on (the months before are not returned).';

-- ar.collections_performance_totals = ar.collections_performance_data summed per group
-- (the customer's row in ar.collections_performance_groups; none yet: the NULL group),
-- month and currency, kept by statement triggers as ar.month_ledger_totals is: the rows
-- a statement deletes are subtracted and those it inserts added; a total left without
-- rows goes. Numeric and integer sums: exact. A statement that deletes every row (a
-- rebuild) empties them.
--
-- The one place a total changes: the signed sums in the temporary table _ar_perf_delta
-- (group, month, currency and the sums, negative to subtract) added to the totals.
CREATE OR REPLACE FUNCTION ar._collections_performance_totals_merge() RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    INSERT INTO ar.collections_performance_totals AS t
    SELECT x.collector, x.risk_segment, x.month, x.currency, sum(x.collected), sum(x.recovered), sum(x.past_due_at_start),
           sum(x.contact_days), sum(x.contact_payments), sum(x.entries), sum(x.past_due_entries)
      FROM pg_temp._ar_perf_delta x
     GROUP BY x.collector, x.risk_segment, x.month, x.currency
        ON CONFLICT ON CONSTRAINT collections_performance_totals_key DO UPDATE
       SET collected = t.collected + excluded.collected, recovered = t.recovered + excluded.recovered,
           past_due_at_start = CASE WHEN t.past_due_entries + excluded.past_due_entries = 0 THEN NULL
                                    ELSE coalesce(t.past_due_at_start, 0) + coalesce(excluded.past_due_at_start, 0) END,
           contact_days = t.contact_days + excluded.contact_days, contact_payments = t.contact_payments + excluded.contact_payments,
           entries = t.entries + excluded.entries, past_due_entries = t.past_due_entries + excluded.past_due_entries;
    DELETE FROM ar.collections_performance_totals t WHERE t.entries = 0;
END $$;
COMMENT ON FUNCTION ar._collections_performance_totals_merge() IS 'Internal: add the signed sums of the temporary table _ar_perf_delta (rows of ar.collections_performance_data per group, month and currency; negative: subtract) to ar.collections_performance_totals; a total left without rows is dropped.';

CREATE OR REPLACE FUNCTION ar._collections_performance_totals_apply() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    src text;
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        DELETE FROM ar.collections_performance_totals;
        RETURN NULL;
    END IF;
    IF TG_OP = 'DELETE' THEN   -- (old_rows exists only then: a separate condition)
        IF (SELECT count(*) FROM old_rows) = (SELECT sum(t.entries) FROM ar.collections_performance_totals t) THEN
            DELETE FROM ar.collections_performance_totals;
            RETURN NULL;
        END IF;
    END IF;
    -- the statement's rows per group (their customer's; none: NULL), month and currency:
    -- those deleted (old_rows) subtracted, those inserted (new_rows) added
    CREATE TEMP TABLE _ar_perf_delta (collector text, risk_segment text, month date, currency text, collected numeric, recovered numeric,
                                      past_due_at_start numeric, contact_days numeric, contact_payments numeric,
                                      entries bigint, past_due_entries bigint) ON COMMIT DROP;
    FOREACH src IN ARRAY CASE TG_OP WHEN 'INSERT' THEN ARRAY['new_rows'] WHEN 'DELETE' THEN ARRAY['old_rows'] ELSE ARRAY['old_rows', 'new_rows'] END LOOP
        EXECUTE format('INSERT INTO _ar_perf_delta
                        SELECT g.collector, g.risk_segment, r.month, r.currency, $1 * sum(r.collected), $1 * sum(r.recovered),
                               $1 * sum(r.past_due_at_start), $1 * sum(r.contact_days), $1 * sum(r.contact_payments),
                               $1 * count(*), $1 * count(r.past_due_at_start)
                          FROM %I r LEFT JOIN ar.collections_performance_groups g ON g.customer_id = r.customer_id
                         GROUP BY 1, 2, 3, 4', src)
          USING CASE src WHEN 'old_rows' THEN -1 ELSE 1 END;
    END LOOP;
    PERFORM ar._collections_performance_totals_merge();
    DROP TABLE _ar_perf_delta;
    RETURN NULL;
END $$;
COMMENT ON FUNCTION ar._collections_performance_totals_apply() IS 'Internal: trigger on ar.collections_performance_data keeping ar.collections_performance_totals its sums per group, month and currency (deleted rows subtracted, inserted rows added, per statement).';

SELECT ar._create_statement_triggers('ar.collections_performance_data', 'totals', 'ar._collections_performance_totals_apply');

-- The group of every customer as of the refresh's date: its current collector and its
-- risk segment of the day's ratings (ar.customer_risk_mv). The customers whose group
-- changed (a new rating segment, another collector, a new or removed customer) have
-- their rows' sums moved from the old group's totals to the new one's. Run by the
-- refresh after the day's ratings, before the view; returns the customers moved.
CREATE OR REPLACE FUNCTION ar._store_performance_groups() RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    n bigint;
BEGIN
    CREATE TEMP TABLE _ar_moved ON COMMIT DROP AS
    SELECT coalesce(w.customer_id, g.customer_id) AS customer_id, g.collector AS old_collector, g.risk_segment AS old_segment,
           w.collector AS new_collector, w.risk_segment AS new_segment
      FROM (SELECT c.customer_id, coalesce(c.collector, '(none)') AS collector, coalesce(r.risk_segment, '(unrated)') AS risk_segment
              FROM ar.customers c LEFT JOIN ar.customer_risk_mv r ON r.customer_id = c.customer_id) w
      FULL JOIN ar.collections_performance_groups g ON g.customer_id = w.customer_id
     WHERE (w.collector, w.risk_segment) IS DISTINCT FROM (g.collector, g.risk_segment);
    GET DIAGNOSTICS n = ROW_COUNT;
    IF n > 0 THEN
        -- their rows' sums out of the old group's totals and into the new one's (a
        -- removed customer's rows are gone already)
        CREATE TEMP TABLE _ar_perf_delta ON COMMIT DROP AS
        SELECT x.collector, x.risk_segment, d.month, d.currency, sum(x.sign * d.collected) AS collected, sum(x.sign * d.recovered) AS recovered,
               sum(x.sign * d.past_due_at_start) AS past_due_at_start, sum(x.sign * d.contact_days) AS contact_days,
               sum(x.sign * d.contact_payments) AS contact_payments, sum(x.sign) AS entries,
               coalesce(sum(x.sign) FILTER (WHERE d.past_due_at_start IS NOT NULL), 0) AS past_due_entries
          FROM _ar_moved m
          JOIN ar.collections_performance_data d ON d.customer_id = m.customer_id
          CROSS JOIN LATERAL (VALUES (-1, m.old_collector, m.old_segment), (1, m.new_collector, m.new_segment)) x(sign, collector, risk_segment)
         GROUP BY 1, 2, 3, 4;
        PERFORM ar._collections_performance_totals_merge();
        DROP TABLE _ar_perf_delta;
        DELETE FROM ar.collections_performance_groups g USING _ar_moved m WHERE g.customer_id = m.customer_id AND m.new_collector IS NULL;
        INSERT INTO ar.collections_performance_groups AS g (customer_id, collector, risk_segment)
        SELECT m.customer_id, m.new_collector, m.new_segment FROM _ar_moved m WHERE m.new_collector IS NOT NULL
            ON CONFLICT (customer_id) DO UPDATE SET collector = excluded.collector, risk_segment = excluded.risk_segment;
    END IF;
    DROP TABLE _ar_moved;
    RETURN n;
END $$;
COMMENT ON FUNCTION ar._store_performance_groups() IS 'Internal (ar.refresh, after the day''s ratings): bring ar.collections_performance_groups to every customer''s current collector and risk segment, moving the sums of the customers whose group changed between the totals of ar.collections_performance_totals; returns the customers moved.';

-- The view: the stored figures of the 12 months by the customers' current collector and
-- risk segment (the day's ratings, ar.customer_risk_mv), from their sums per group
-- (ar.collections_performance_totals, above; 0.19.0: a few thousand totals instead of
-- ~2M rows grouped at full scale).
CREATE MATERIALIZED VIEW IF NOT EXISTS ar.collections_performance_mv AS
WITH cfg AS MATERIALIZED (SELECT ar.as_of() AS as_of, ar.reporting_currency() AS rc),
months AS MATERIALIZED (SELECT m.month, m.month_end FROM ar.month_ends((SELECT ar.as_of())) m ORDER BY m.month DESC LIMIT 12),
grp AS (   -- the groups of the customers (as of the refresh's ratings, ar._store_performance_groups)
    SELECT DISTINCT g.collector, g.risk_segment FROM ar.collections_performance_groups g
), per_currency AS (   -- per group, month and currency (the totals); the balance converted per group and currency
    SELECT t.collector, t.risk_segment, t.month, t.collected, t.recovered,
           ar.convert(t.past_due_at_start, t.currency, cfg.rc, t.month - 1) AS past_due_at_start,
           t.contact_days, t.contact_payments
      FROM ar.collections_performance_totals t, cfg
     WHERE t.month >= (SELECT min(months.month) FROM months)
), per_group AS (
    SELECT pc.collector, pc.risk_segment, pc.month, sum(pc.collected) AS collected, sum(pc.recovered) AS recovered,
           sum(pc.past_due_at_start) AS past_due_at_start, sum(pc.contact_days) AS contact_days, sum(pc.contact_payments) AS contact_payments
      FROM per_currency pc GROUP BY 1, 2, 3
), grain AS (
    SELECT m.month, gs.collector, gs.risk_segment, coalesce(pg.collected, 0) AS collected,
           coalesce(pg.past_due_at_start, 0) AS past_due_at_start,
           coalesce(pg.recovered, 0) AS recovered, coalesce(pg.contact_days, 0) AS contact_days, coalesce(pg.contact_payments, 0) AS contact_payments
      FROM months m CROSS JOIN grp gs
      LEFT JOIN per_group pg ON pg.month = m.month AND pg.collector = gs.collector AND pg.risk_segment = gs.risk_segment
)
SELECT (SELECT ar.as_of()) AS as_of, g.month,
       CASE WHEN grouping(g.collector) = 0 THEN 'collector' ELSE 'risk_segment' END AS dimension,
       coalesce(g.collector, g.risk_segment) AS key,
       sum(g.collected) AS collected, sum(g.past_due_at_start) AS past_due_at_start, sum(g.recovered) AS recovered,
       round(sum(g.recovered) / nullif(sum(g.past_due_at_start), 0), 4) AS recovery_rate,
       round(sum(g.contact_days)::numeric / nullif(sum(g.contact_payments), 0), 2) AS avg_days_to_collect_after_contact,
       sum(g.contact_payments) AS payments_after_contact,
       (SELECT ar.reporting_currency()) AS currency
  FROM grain g
 GROUP BY GROUPING SETS ((g.month, g.collector), (g.month, g.risk_segment))
WITH NO DATA;
CREATE UNIQUE INDEX IF NOT EXISTS collections_performance_mv_key ON ar.collections_performance_mv (month, dimension, key);
COMMENT ON MATERIALIZED VIEW ar.collections_performance_mv IS 'Storage of ar.collections_performance; query the plain view.';

CREATE OR REPLACE VIEW ar.collections_performance AS SELECT * FROM ar.collections_performance_mv;
COMMENT ON VIEW ar.collections_performance IS 'Collections performance per month (12 months up to the last refresh) per collector and per risk segment: cash collected, recovery rate of what was past due at the start of the month, days to collect after first contact.';
COMMENT ON COLUMN ar.collections_performance.as_of IS 'As-of date of the refresh.';
COMMENT ON COLUMN ar.collections_performance.month IS 'First day of the month (the current month runs to as_of).';
COMMENT ON COLUMN ar.collections_performance.dimension IS 'collector or risk_segment.';
COMMENT ON COLUMN ar.collections_performance.key IS 'Collector name ((none) = unassigned) or risk segment ((unrated) = no rating): the customer''s current one.';
COMMENT ON COLUMN ar.collections_performance.collected IS 'Cash received in the month (applied or not).';
COMMENT ON COLUMN ar.collections_performance.past_due_at_start IS 'Open amount, on the first day of the month, of the invoices past due then.';
COMMENT ON COLUMN ar.collections_performance.recovered IS 'Cash received in the month on invoices past due at its start.';
COMMENT ON COLUMN ar.collections_performance.recovery_rate IS 'recovered / past_due_at_start.';
COMMENT ON COLUMN ar.collections_performance.avg_days_to_collect_after_contact IS 'Mean days from the first activity after an invoice''s due date to a late payment of it, over the month''s late payments that had such a contact.';
COMMENT ON COLUMN ar.collections_performance.payments_after_contact IS 'Number of those late payments.';
COMMENT ON COLUMN ar.collections_performance.currency IS 'Currency of the amounts: the reporting currency (cash at its payment date''s rate, past_due_at_start at the rate of the day before the month).';

-- Response rates by channel: a touch got a response when its outcome is recorded and
-- is not one of no answer / no response / voicemail / bounced / left message.
CREATE OR REPLACE FUNCTION ar.channel_response_rates_at(as_of date, days integer DEFAULT 90)
RETURNS TABLE (collector text, channel text, touches bigint, responses bigint, response_rate numeric, as_of date)
STABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    WITH t AS (
        SELECT coalesce(a.collector, '(none)') AS collector, coalesce(a.channel, '(none)') AS channel,
               a.outcome IS NOT NULL AND lower(replace(a.outcome, '_', ' ')) NOT IN ('no answer', 'no response', 'voicemail', 'bounced', 'left message') AS responded
          FROM ar.activities a
         WHERE a.happened_at::date <= as_of AND a.happened_at::date > as_of - days
           AND ar.days_past_due(as_of, as_of) = 0   -- rejects an infinite as_of (22008)
    )
    SELECT t.collector, t.channel, count(*), count(*) FILTER (WHERE t.responded),
           round(count(*) FILTER (WHERE t.responded)::numeric / count(*), 4), as_of
      FROM t GROUP BY GROUPING SETS ((t.collector, t.channel), (t.channel))
     ORDER BY t.collector NULLS LAST, t.channel;
END;
COMMENT ON FUNCTION ar.channel_response_rates_at(date, integer) IS 'Touches and response rate per collector and channel (and per channel: collector NULL) over the activities of the days up to as_of (default 90). A response = an outcome recorded other than no answer, no response, voicemail, bounced, left message.';

-- Stored by ar.refresh (a view over the function would read the tables as the
-- querying role: a BI role made by ar.grant_reader could not).
CREATE MATERIALIZED VIEW IF NOT EXISTS ar.channel_response_rates_mv AS SELECT * FROM ar.channel_response_rates_at((SELECT ar.as_of()), 90) WITH NO DATA;
CREATE UNIQUE INDEX IF NOT EXISTS channel_response_rates_mv_key ON ar.channel_response_rates_mv (collector, channel);
COMMENT ON MATERIALIZED VIEW ar.channel_response_rates_mv IS 'Storage of ar.channel_response_rates; query the plain view.';
CREATE OR REPLACE VIEW ar.channel_response_rates AS SELECT * FROM ar.channel_response_rates_mv;
COMMENT ON VIEW ar.channel_response_rates IS 'Response rates per collector and channel (collector NULL = all collectors) over the 90 days up to the last refresh.';
COMMENT ON COLUMN ar.channel_response_rates.collector IS 'Collector who acted ((none) = not recorded); NULL = all.';
COMMENT ON COLUMN ar.channel_response_rates.channel IS 'email, phone, letter, ...';
COMMENT ON COLUMN ar.channel_response_rates.touches IS 'Activities.';
COMMENT ON COLUMN ar.channel_response_rates.responses IS 'Activities that got a response.';
COMMENT ON COLUMN ar.channel_response_rates.response_rate IS 'responses / touches.';
COMMENT ON COLUMN ar.channel_response_rates.as_of IS 'As-of date.';
