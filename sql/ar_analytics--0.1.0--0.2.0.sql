-- ar_analytics 0.1.0 -> 0.2.0
--
-- Also the tail of every fresh 0.2.0 install (src/lib.rs includes this file after
-- sql/010-080, which are the 0.1.0 schema and are never edited again): a fresh
-- install and an upgraded one run the same statements, and tests/shell/06_upgrades.sh
-- checks that their catalogs are identical.
--
-- 1. Crash-safe refresh log (CALL ar.run_refresh), one open-items snapshot per refresh.
-- 2. Collections: strategies, worklist, assignment, messages, disputes, order holds,
--    promises, payment plans, performance, cash forecast (docs/collections.md).

-- ---------------------------------------------------------------------------
-- 1. Refresh
-- ---------------------------------------------------------------------------

ALTER TABLE ar.refresh_log DROP CONSTRAINT refresh_log_status_check;
ALTER TABLE ar.refresh_log ADD CONSTRAINT refresh_log_status_check
    CHECK (status IN ('running', 'succeeded', 'failed', 'skipped', 'interrupted'));
ALTER TABLE ar.refresh_log ADD COLUMN pid integer;
ALTER TABLE ar.refresh_log ADD COLUMN backend_start timestamptz;
COMMENT ON COLUMN ar.refresh_log.status IS 'succeeded, failed (views keep the previous data), skipped (another refresh was running), running, or interrupted (the backend running it ended before it finished: crash, kill, restart; the views keep the previous data).';
COMMENT ON COLUMN ar.refresh_log.pid IS 'Process ID of the backend that ran the refresh.';
COMMENT ON COLUMN ar.refresh_log.backend_start IS 'Start time of that backend (with pid, tells a live run from an interrupted one).';

-- Runs whose backend is gone while the row still says running: only CALL ar.run_refresh
-- commits its running row before the work, so only its runs can be left like this.
CREATE FUNCTION ar._mark_interrupted_runs() RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    n bigint;
BEGIN
    UPDATE ar.refresh_log l
       SET status = 'interrupted',
           error = 'the backend running this refresh ended before it finished (server crash, killed process or restart); the views kept the previous refresh''s data'
     WHERE l.status = 'running'
       AND NOT EXISTS (SELECT FROM pg_stat_activity a
                        WHERE a.pid = l.pid AND (a.backend_start IS NULL OR a.backend_start = l.backend_start));
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN n;
END $$;
COMMENT ON FUNCTION ar._mark_interrupted_runs() IS 'Internal: mark ar.refresh_log rows still ''running'' whose backend no longer exists as ''interrupted''; called at the start of every refresh.';

-- A new ar.refresh_log row for this backend (pid and start time tell a live run from an
-- interrupted one); a skipped run is finished at once. as_of is checked here, first.
CREATE FUNCTION ar._log_run(caller text, as_of date, status text) RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    run bigint;
BEGIN
    IF as_of IS NULL OR NOT isfinite(as_of) THEN
        RAISE EXCEPTION '%: as_of must be a finite date, got %', caller, coalesce(as_of::text, 'NULL')
              USING ERRCODE = 'invalid_parameter_value';
    END IF;
    INSERT INTO ar.refresh_log (as_of, status, finished_at, pid, backend_start)
    SELECT _log_run.as_of, _log_run.status, CASE WHEN _log_run.status = 'skipped' THEN clock_timestamp() END,
           pg_backend_pid(), a.backend_start
      FROM pg_stat_activity a WHERE a.pid = pg_backend_pid()
    RETURNING run_id INTO run;
    RETURN run;
END $$;
COMMENT ON FUNCTION ar._log_run(text, date, text) IS 'Internal: check as_of and add a running or skipped row for this backend to ar.refresh_log; returns its run_id.';

-- The validated start of a run: the log row, or NULL (and a skipped row) when another
-- refresh holds the lock. The advisory lock is transaction-scoped.
CREATE FUNCTION ar._begin_refresh(as_of date, run bigint) RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    -- One refresh at a time (per database): a second call returns at once.
    IF NOT pg_try_advisory_xact_lock(1634890337, 1) THEN
        RAISE NOTICE 'ar.refresh: another refresh is running; this call returns without refreshing';
        IF run IS NULL THEN
            PERFORM ar._log_run('ar.refresh', _begin_refresh.as_of, 'skipped');
        ELSE
            UPDATE ar.refresh_log SET status = 'skipped', finished_at = clock_timestamp() WHERE run_id = run;
        END IF;
        RETURN NULL;
    END IF;
    PERFORM ar._mark_interrupted_runs();
    IF run IS NULL THEN
        run := ar._log_run('ar.refresh', _begin_refresh.as_of, 'running');
    ELSE
        UPDATE ar.refresh_log SET isolation = current_setting('transaction_isolation') WHERE run_id = run;
    END IF;
    IF current_setting('transaction_isolation') = 'read committed' THEN
        RAISE NOTICE 'ar.refresh: under READ COMMITTED each view is refreshed from its own snapshot; for one consistent snapshot use CALL ar.run_refresh(...) (the scheduled job does) or BEGIN ISOLATION LEVEL REPEATABLE READ; SELECT ar.refresh(...); COMMIT;';
    END IF;
    RETURN run;
END $$;
COMMENT ON FUNCTION ar._begin_refresh(date, bigint) IS 'Internal: take the refresh lock, mark interrupted runs, and start (or take over) the run''s ar.refresh_log row; NULL when another refresh is running.';

-- The work of a refresh, logged in row run. Everything it does is undone on failure.
CREATE FUNCTION ar._refresh(as_of date, run bigint) RETURNS text
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
-- JIT compiles these wide queries for over a second each and wins nothing back (measured).
SET jit = off
AS $$
DECLARE
    n bigint;
    t0 timestamptz;
    view_stats jsonb := '{}';
    last_snapshot date;
    limit_days integer;
    d date;
    backfilled integer := 0;
    err_state text;
    err_msg text;
BEGIN
    BEGIN
        INSERT INTO ar.settings (as_of) VALUES (_refresh.as_of)
            ON CONFLICT (singleton) DO UPDATE SET as_of = excluded.as_of;
        -- First the open items of the day, read by the views after it. Not CONCURRENTLY
        -- (that diff costs a quarter of the time at 10M invoices): no view reads the
        -- snapshot outside a refresh; a direct reader waits for the refresh to commit.
        t0 := clock_timestamp();
        REFRESH MATERIALIZED VIEW ar.open_items_snapshot;
        view_stats := view_stats || jsonb_build_object('open_items_snapshot', ar._view_stat((SELECT count(*) FROM ar.open_items_snapshot), t0));
        view_stats := ar._refresh_views(ARRAY['customer_health_mv', 'portfolio_aging_mv', 'portfolio_kpis_monthly_mv', 'adtp_trend_monthly_mv'], view_stats);

        -- History: backfill the days missed since the latest earlier snapshot (pg_cron
        -- does not replay runs missed while the server was down), at most backfill_limit days.
        t0 := clock_timestamp();
        SELECT s.backfill_limit INTO limit_days FROM ar.settings s;   -- the row exists: inserted above
        SELECT max(h.as_of) INTO last_snapshot FROM ar.customer_health_history h WHERE h.as_of < _refresh.as_of;
        IF last_snapshot IS NOT NULL THEN
            FOR d IN SELECT g::date FROM generate_series(greatest(last_snapshot + 1, _refresh.as_of - limit_days)::timestamp,
                                                         (_refresh.as_of - 1)::timestamp, interval '1 day') g LOOP
                DELETE FROM ar.customer_health_history h WHERE h.as_of = d;
                INSERT INTO ar.customer_health_history SELECT * FROM ar.customer_health_at(d);
                PERFORM ar._store_ratings(d);
                backfilled := backfilled + 1;
            END LOOP;
        END IF;
        DELETE FROM ar.customer_health_history h WHERE h.as_of = _refresh.as_of;
        INSERT INTO ar.customer_health_history SELECT * FROM ar.customer_health_mv;
        GET DIAGNOSTICS n = ROW_COUNT;
        view_stats := view_stats || jsonb_build_object('customer_health_history', ar._view_stat(n, t0));
        -- Ratings of the day (kept daily: dynamic ratings), then the views that read them.
        t0 := clock_timestamp();
        view_stats := view_stats || jsonb_build_object('customer_risk_history', ar._view_stat(ar._store_ratings(_refresh.as_of), t0));
        view_stats := ar._refresh_views(ARRAY['customer_risk_mv', 'early_warnings_mv', 'collections_worklist_mv',
                                              'order_hold_recommendations_mv', 'promise_kept_rates_mv',
                                              'cash_forecast_weekly_mv', 'collections_performance_mv'], view_stats);

        UPDATE ar.refresh_log SET status = 'succeeded', finished_at = clock_timestamp(), views = view_stats,
                                  backfilled_days = backfilled
         WHERE run_id = run;
        RETURN format('succeeded: as of %s, %s customers%s', _refresh.as_of, view_stats -> 'customer_health_mv' ->> 'rows',
                      CASE WHEN backfilled > 0 THEN format(', %s missed days backfilled', backfilled) ELSE '' END);
    EXCEPTION WHEN OTHERS THEN
        -- Everything above is undone (views, settings, history keep the previous
        -- refresh); the failure itself is logged and reported.
        GET STACKED DIAGNOSTICS err_state = RETURNED_SQLSTATE, err_msg = MESSAGE_TEXT;
        UPDATE ar.refresh_log SET status = 'failed', finished_at = clock_timestamp(), error = err_state || ': ' || err_msg
         WHERE run_id = run;
        RAISE WARNING 'ar.refresh failed: % (SQLSTATE %); the views keep the data of the previous refresh', err_msg, err_state;
        RETURN format('failed: %s', err_msg);
    END;
END $$;
COMMENT ON FUNCTION ar._refresh(date, bigint) IS 'Internal: the work of ar.refresh and ar.run_refresh, logged in ar.refresh_log row run.';

CREATE OR REPLACE FUNCTION ar.refresh(as_of date DEFAULT current_date) RETURNS text
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    run bigint := ar._begin_refresh(refresh.as_of, NULL);   -- checks as_of (ar._log_run)
BEGIN
    IF run IS NULL THEN
        RETURN 'skipped: another refresh is running';
    END IF;
    RETURN ar._refresh(refresh.as_of, run);
END $$;
COMMENT ON FUNCTION ar.refresh(date) IS 'Refresh every ar view as of a date (default current_date) CONCURRENTLY, snapshot ar.customer_health into the history (replacing that day, backfilling missed days), and log the run in ar.refresh_log. A concurrent second call returns at once (status skipped). A failure is logged and returned as ''failed: ...'' with a WARNING; the views keep their previous data. Its log row commits with the refresh: a backend killed mid-refresh leaves none; CALL ar.run_refresh for a log that survives crashes.';

-- A procedure, so it can commit the 'running' row before the work: if the backend
-- dies mid-refresh that row stays, and the next refresh marks it interrupted.
-- Procedures that COMMIT cannot have a SET clause, so search_path is pinned with
-- set_config in each of its transactions, and every name is schema-qualified.
CREATE PROCEDURE ar.run_refresh(as_of date DEFAULT current_date)
LANGUAGE plpgsql
AS $$
DECLARE
    run bigint;
    result text;
BEGIN
    PERFORM pg_catalog.set_config('search_path', 'pg_catalog, pg_temp', true);
    run := ar._log_run('ar.run_refresh', run_refresh.as_of, 'running');
    -- The running row is now durable; the refresh runs in a new transaction, one snapshot for every view.
    COMMIT;
    SET TRANSACTION ISOLATION LEVEL REPEATABLE READ;
    PERFORM pg_catalog.set_config('search_path', 'pg_catalog, pg_temp', true);
    IF ar._begin_refresh(run_refresh.as_of, run) IS NOT NULL THEN
        result := ar._refresh(run_refresh.as_of, run);
        RAISE NOTICE 'ar.run_refresh: %', result;
    END IF;
    COMMIT;
END $$;
COMMENT ON PROCEDURE ar.run_refresh(date) IS 'Crash-safe refresh, for the scheduled job and scripts: commits a ''running'' row in ar.refresh_log first, then refreshes every view (as ar.refresh does) in one REPEATABLE READ transaction. If the backend dies mid-refresh, the views keep the previous data and the next refresh marks the row interrupted. Run it outside an explicit transaction block.';

CREATE OR REPLACE FUNCTION ar.schedule_daily_refresh(cron text DEFAULT '15 2 * * *') RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    job bigint;
BEGIN
    IF NOT EXISTS (SELECT FROM pg_extension WHERE extname = 'pg_cron') THEN
        RAISE EXCEPTION 'ar.schedule_daily_refresh: pg_cron is not installed in database %', current_database()
              USING ERRCODE = 'undefined_object',
                    HINT = format('Install the postgresql-15-cron package, set shared_preload_libraries = ''pg_cron'' and cron.database_name = %L in postgresql.conf, restart PostgreSQL, then CREATE EXTENSION pg_cron in this database. If pg_cron already lives in another database, run there: SELECT cron.schedule_in_database(''ar_analytics_daily_refresh'', ''15 2 * * *'', ''CALL ar.run_refresh()'', %L);',
                                  current_database(), current_database());
    END IF;
    IF cron IS NULL THEN
        RAISE EXCEPTION 'ar.schedule_daily_refresh: cron must not be NULL' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    -- cron.schedule with a job name updates the job of that name: calling again is idempotent.
    EXECUTE format('SELECT cron.schedule(%L, %L, %L)', 'ar_analytics_daily_refresh', cron, 'CALL ar.run_refresh()') INTO job;
    RETURN job;
END $$;
COMMENT ON FUNCTION ar.schedule_daily_refresh(text) IS 'Schedule CALL ar.run_refresh() (crash-safe log, one REPEATABLE READ snapshot) with pg_cron (job ar_analytics_daily_refresh; schedule in UTC, default 02:15) in this database; calling again updates the job. Errors with a HINT when pg_cron is not installed here.';

-- Jobs scheduled by 0.1.0 ran SELECT ar.refresh() in a transaction block; move them to the procedure.
DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_extension WHERE extname = 'pg_cron') THEN
        EXECUTE $q$UPDATE cron.job SET command = 'CALL ar.run_refresh()'
                    WHERE jobname = 'ar_analytics_daily_refresh' AND database = current_database()$q$;
    END IF;
END $$;

-- Open items as of ar.as_of(), computed once per refresh (was twice: customer health,
-- portfolio aging) and read by the collections views.
CREATE MATERIALIZED VIEW ar.open_items_snapshot AS
SELECT * FROM ar.open_items((SELECT ar.as_of())) WITH NO DATA;
CREATE UNIQUE INDEX open_items_snapshot_key ON ar.open_items_snapshot (invoice_id);
CREATE INDEX open_items_snapshot_customer_idx ON ar.open_items_snapshot (customer_id, days_past_due);
COMMENT ON MATERIALIZED VIEW ar.open_items_snapshot IS 'ar.open_items(ar.as_of()), stored by ar.refresh (first, not concurrently: reading it directly waits while a refresh runs) and read by the views refreshed after it.';

-- Open items on a date: the refresh's snapshot when the date is the refreshed one,
-- else computed. The planner evaluates the two conditions once and runs one branch.
CREATE FUNCTION ar._open_items_for(as_of date)
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

-- Customer health and portfolio aging read the open items of the refreshed date from
-- ar.open_items_snapshot (0.1.0 computed ar.open_items once for each): the same
-- definitions, the open items computed once per refresh.
CREATE OR REPLACE FUNCTION ar.customer_health_at(as_of date)
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
STABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    WITH open_by_customer AS (
        SELECT o.customer_id, ar.aging(o.open_amount, o.days_past_due) AS a,
               max(o.days_past_due) FILTER (WHERE o.days_past_due > 0) AS oldest
          FROM ar._open_items_for(as_of) o GROUP BY o.customer_id
    ), paid AS (
        SELECT i.customer_id,
               ar.payment_stats(i.invoice_date, i.due_date, p.payment_date, p.amount) AS s12,
               ar.payment_stats(i.invoice_date, i.due_date, p.payment_date, p.amount) FILTER (WHERE p.payment_date > as_of - 90) AS s90
          FROM ar.payments p JOIN ar.invoices i ON i.invoice_id = p.invoice_id
         WHERE p.payment_date > as_of - 365 AND p.payment_date <= as_of
         GROUP BY i.customer_id
    ), sales AS (
        SELECT i.customer_id, sum(i.amount) AS amount
          FROM ar.invoices i WHERE i.invoice_date > as_of - 90 AND i.invoice_date <= as_of
         GROUP BY i.customer_id
    ), last_pay AS (
        SELECT p.customer_id, max(p.payment_date) AS d FROM ar.payments p WHERE p.payment_date <= as_of GROUP BY p.customer_id
    ), disputes AS (
        SELECT i.customer_id, count(*) AS n, max(as_of - d.opened_at::date) AS oldest
          FROM ar.disputes d JOIN ar.invoices i ON i.invoice_id = d.invoice_id
         WHERE d.opened_at::date <= as_of AND (d.resolved_at IS NULL OR d.resolved_at::date > as_of)
         GROUP BY i.customer_id
    ), promises AS (
        SELECT ps.customer_id,
               count(*) FILTER (WHERE ps.status = 'kept' AND ps.promised_date > as_of - 365) AS kept,
               count(*) FILTER (WHERE ps.status = 'broken' AND ps.promised_date > as_of - 365) AS broken,
               count(*) FILTER (WHERE ps.status = 'pending') AS pending
          FROM ar.promise_status(as_of) ps GROUP BY ps.customer_id
    ), holds AS (
        SELECT h.customer_id, count(*) AS n FROM ar.order_holds h
         WHERE h.placed_at::date <= as_of AND (h.released_at IS NULL OR h.released_at::date > as_of)
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
           coalesce(s.amount, 0),
           ar.dso(greatest(coalesce(ar.total(o.a), 0), 0), coalesce(s.amount, 0), 90),
           coalesce(ar.item_count(pd.s12), 0), ar.adtp(pd.s12), ar.adtp_weighted(pd.s12), ar.avg_days_late(pd.s12),
           ar.avg_days_late_weighted(pd.s12), ar.avg_days_beyond_terms_weighted(pd.s12),
           coalesce(ar.item_count(pd.s90), 0), ar.adtp(pd.s90), ar.adtp_weighted(pd.s90), ar.avg_days_late(pd.s90),
           ar.avg_days_late_weighted(pd.s90), ar.avg_days_beyond_terms_weighted(pd.s90),
           ar.on_time_rate(pd.s12), ar.payment_index(pd.s12),
           coalesce(d.n, 0), d.oldest,
           coalesce(pr.kept, 0), coalesce(pr.broken, 0), coalesce(pr.pending, 0),
           coalesce(h.n, 0), lp.d, as_of
      FROM ar.customers c
      LEFT JOIN open_by_customer o ON o.customer_id = c.customer_id
      LEFT JOIN ar.unapplied_cash(as_of) u ON u.customer_id = c.customer_id
      LEFT JOIN paid pd ON pd.customer_id = c.customer_id
      LEFT JOIN sales s ON s.customer_id = c.customer_id
      LEFT JOIN last_pay lp ON lp.customer_id = c.customer_id
      LEFT JOIN disputes d ON d.customer_id = c.customer_id
      LEFT JOIN promises pr ON pr.customer_id = c.customer_id
      LEFT JOIN holds h ON h.customer_id = c.customer_id;
END;

-- The aging view is rebuilt on the snapshot. Dropping a view loses its grants and
-- comments: both are saved and given back. A view of yours that depends on it stops
-- the upgrade with an error (nothing is dropped in cascade).
DO $$
DECLARE
    saved text[];
    stmt text;
BEGIN
    SELECT array_agg(format('GRANT %s ON ar.%I TO %s%s', a.privilege_type, c.relname,
                            CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(a.grantee)) END,
                            CASE WHEN a.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END))
      INTO saved
      FROM pg_class c, aclexplode(c.relacl) a
     WHERE c.relnamespace = 'ar'::regnamespace AND c.relname IN ('portfolio_aging', 'portfolio_aging_mv') AND a.grantee <> c.relowner;
    SELECT coalesce(saved, '{}') || format('COMMENT ON VIEW ar.portfolio_aging IS %L', obj_description('ar.portfolio_aging'::regclass, 'pg_class'))
           || array_agg(format('COMMENT ON COLUMN ar.portfolio_aging.%I IS %L', a.attname, col_description(a.attrelid, a.attnum)) ORDER BY a.attnum)
      INTO saved
      FROM pg_attribute a WHERE a.attrelid = 'ar.portfolio_aging'::regclass AND a.attnum > 0 AND NOT a.attisdropped;
    DROP VIEW ar.portfolio_aging;
    DROP MATERIALIZED VIEW ar.portfolio_aging_mv;
    CREATE MATERIALIZED VIEW ar.portfolio_aging_mv AS
    WITH buckets AS (
        SELECT ar.aging_bucket(d) AS bucket, ord::integer AS bucket_order
          FROM unnest(ARRAY[0, 1, 31, 61, 91, 121]) WITH ORDINALITY AS b(d, ord)
    ), items AS (
        SELECT coalesce(c.segment, '(none)') AS segment, o.customer_id, ar.aging_bucket(o.days_past_due) AS bucket, o.open_amount
          FROM ar.open_items_snapshot o JOIN ar.customers c ON c.customer_id = o.customer_id
    ), segments AS (SELECT DISTINCT segment FROM items)
    SELECT (SELECT ar.as_of()) AS as_of, s.segment, b.bucket, b.bucket_order,
           coalesce(sum(i.open_amount), 0) AS amount,
           count(i.customer_id) AS invoice_count,
           count(DISTINCT i.customer_id) AS customer_count,
           coalesce(sum(i.open_amount), 0) / nullif((SELECT sum(open_amount) FROM items), 0) AS share_of_total
      FROM segments s CROSS JOIN buckets b
      LEFT JOIN items i ON i.segment = s.segment AND i.bucket = b.bucket
     GROUP BY s.segment, b.bucket, b.bucket_order
    WITH NO DATA;
    CREATE UNIQUE INDEX portfolio_aging_mv_key ON ar.portfolio_aging_mv (segment, bucket);
    COMMENT ON MATERIALIZED VIEW ar.portfolio_aging_mv IS 'Storage of ar.portfolio_aging; query the plain view.';
    CREATE VIEW ar.portfolio_aging AS SELECT * FROM ar.portfolio_aging_mv;
    FOREACH stmt IN ARRAY saved LOOP
        EXECUTE stmt;
    END LOOP;
END $$;


-- ---------------------------------------------------------------------------
-- 2. Collections (docs/collections.md)
-- ---------------------------------------------------------------------------

-- Settings of the collections views: at most one row, NULL = default. The defaults
-- live in one place, ar.collections_policy().
CREATE TABLE ar.collections_settings (
    singleton              boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    dispute_sla_days       integer CHECK (dispute_sla_days BETWEEN 0 AND 3650),
    hold_sla_business_days integer CHECK (hold_sla_business_days BETWEEN 0 AND 365),
    hold_past_due_amount   numeric(18,2) CHECK (hold_past_due_amount > 0),
    hold_days_past_due     integer CHECK (hold_days_past_due BETWEEN 1 AND 3650),
    forecast_doubtful_days integer CHECK (forecast_doubtful_days BETWEEN 1 AND 3650)
);
COMMENT ON TABLE ar.collections_settings IS 'Overrides of the collections settings (at most one row; NULL or no row = default). ar.collections_policy() shows the settings in force.';
COMMENT ON COLUMN ar.collections_settings.singleton IS 'Always true: the table holds at most one row.';
COMMENT ON COLUMN ar.collections_settings.dispute_sla_days IS 'A dispute open longer than this many days is flagged over SLA. Default 7.';
COMMENT ON COLUMN ar.collections_settings.hold_sla_business_days IS 'An order hold should be resolved within this many business days (Monday to Friday). Default 2.';
COMMENT ON COLUMN ar.collections_settings.hold_past_due_amount IS 'Recommend an order hold when the past-due amount reaches this. Default 25000.00.';
COMMENT ON COLUMN ar.collections_settings.hold_days_past_due IS 'Recommend an order hold when the oldest past-due invoice reaches this many days past due. Default 60.';
COMMENT ON COLUMN ar.collections_settings.forecast_doubtful_days IS 'The cash forecast leaves out invoices more than this many days past due (doubtful). Default 90.';
SELECT pg_catalog.pg_extension_config_dump('ar.collections_settings', '');

CREATE FUNCTION ar.collections_policy()
RETURNS TABLE (dispute_sla_days integer, hold_sla_business_days integer, hold_past_due_amount numeric,
               hold_days_past_due integer, forecast_doubtful_days integer)
STABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    SELECT coalesce(s.dispute_sla_days, 7), coalesce(s.hold_sla_business_days, 2),
           coalesce(s.hold_past_due_amount, 25000.00), coalesce(s.hold_days_past_due, 60),
           coalesce(s.forecast_doubtful_days, 90)
      FROM (VALUES (true)) AS k(singleton) LEFT JOIN ar.collections_settings s ON s.singleton = k.singleton;
END;
COMMENT ON FUNCTION ar.collections_policy() IS 'The collections settings in force: ar.collections_settings overrides, else the defaults (dispute SLA 7 days, hold SLA 2 business days, hold at 25000.00 past due or 60 days past due, forecast leaves out invoices over 90 days past due).';

-- Message templates: {{placeholder}} is replaced by ar.render_message.
CREATE FUNCTION ar.message_placeholders()
RETURNS TABLE (placeholder text, description text)
IMMUTABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    SELECT p, d FROM (VALUES
        ('customer_id', 'Account identifier'),
        ('customer_name', 'Account name'),
        ('collector', 'Collector of the account'),
        ('currency', 'Account currency code'),
        ('as_of', 'The as-of date (YYYY-MM-DD)'),
        ('total_past_due', 'Past-due amount with currency, e.g. USD 1,234.50'),
        ('total_open', 'Open amount (past due and not yet due) with currency'),
        ('oldest_days_past_due', 'Days past due of the oldest past-due invoice'),
        ('past_due_count', 'Number of past-due invoices'),
        ('invoice_numbers', 'Past-due invoice numbers, oldest first, comma-separated'),
        ('invoice_lines', 'One line per past-due invoice: number, due date, days past due, open amount'),
        ('last_payment_date', 'Date of the latest payment received (none: "none")'),
        ('last_payment_amount', 'Amount received on that date, with currency'),
        ('last_payment_invoices', 'Invoices that payment was applied to (comma-separated; "on account" for unapplied cash)')
    ) AS v(p, d);
END;
COMMENT ON FUNCTION ar.message_placeholders() IS 'The placeholders a message template may use, as {{name}}.';

-- The first placeholder of a template that ar.render_message does not know, or NULL.
CREATE FUNCTION ar._unknown_placeholder(template text) RETURNS text
IMMUTABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    SELECT m[1] FROM regexp_matches(template, '\{\{\s*([^{}]*?)\s*\}\}', 'g') AS m
     WHERE m[1] NOT IN (SELECT p.placeholder FROM ar.message_placeholders() p)
     LIMIT 1;
END;
COMMENT ON FUNCTION ar._unknown_placeholder(text) IS 'Internal: the first {{placeholder}} of a template that is not in ar.message_placeholders(), or NULL.';

CREATE FUNCTION ar._check_template(template text) RETURNS boolean
IMMUTABLE PARALLEL SAFE LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    bad text := ar._unknown_placeholder(template);
BEGIN
    IF bad IS NOT NULL THEN
        RAISE EXCEPTION 'unknown placeholder {{%}} in message template', bad
              USING ERRCODE = 'invalid_parameter_value',
                    HINT = 'Known placeholders: ' || (SELECT string_agg('{{' || p.placeholder || '}}', ', ') FROM ar.message_placeholders() p);
    END IF;
    RETURN true;
END $$;
COMMENT ON FUNCTION ar._check_template(text) IS 'Internal: true, or an ERROR naming the first unknown placeholder of the template.';

-- Strategies: the escalation ladder of each risk segment. Empty on install: a
-- segment with no row follows ar.default_collection_strategies(); insert a
-- segment's rows to replace its ladder (see docs/collections.md).
CREATE TABLE ar.collection_strategies (
    risk_segment      text COLLATE "C" NOT NULL CHECK (risk_segment IN ('low', 'medium', 'high', 'critical')),
    step              integer NOT NULL CHECK (step BETWEEN 1 AND 20),
    min_days_past_due integer NOT NULL CHECK (min_days_past_due BETWEEN 1 AND 3650),
    action            text NOT NULL CHECK (action ~ '^[a-z_]+$'),
    tone              text NOT NULL CHECK (tone IN ('friendly', 'formal', 'firm', 'final')),
    channel           text NOT NULL CHECK (channel IN ('email', 'phone', 'letter', 'sms')),
    cadence_days      integer NOT NULL CHECK (cadence_days BETWEEN 1 AND 365),
    template          text NOT NULL CHECK (ar._check_template(template)),
    PRIMARY KEY (risk_segment, step),
    CONSTRAINT collection_strategies_threshold_key UNIQUE (risk_segment, min_days_past_due)
);
COMMENT ON TABLE ar.collection_strategies IS 'Collection strategy per risk segment: one row per step of the escalation ladder. A segment with no rows here follows ar.default_collection_strategies(). The step that applies to an account is the one with the largest min_days_past_due not above its oldest undisputed past-due days.';
COMMENT ON COLUMN ar.collection_strategies.risk_segment IS 'low, medium, high or critical (ar.customer_risk.risk_segment).';
COMMENT ON COLUMN ar.collection_strategies.step IS 'Step number on the ladder (1 = first).';
COMMENT ON COLUMN ar.collection_strategies.min_days_past_due IS 'The step applies from this many days past due (oldest undisputed past-due invoice).';
COMMENT ON COLUMN ar.collection_strategies.action IS 'What to do, e.g. friendly_nudge, formal_reminder, firm_escalation, call_and_hold, agency_referral.';
COMMENT ON COLUMN ar.collection_strategies.tone IS 'friendly, formal, firm or final.';
COMMENT ON COLUMN ar.collection_strategies.channel IS 'email, phone, letter or sms.';
COMMENT ON COLUMN ar.collection_strategies.cadence_days IS 'Outreach cadence at this step: days between touches.';
COMMENT ON COLUMN ar.collection_strategies.template IS 'Message template ({{placeholders}}: ar.message_placeholders()); an unknown placeholder is rejected.';
SELECT pg_catalog.pg_extension_config_dump('ar.collection_strategies', '');

CREATE FUNCTION ar.default_collection_strategies() RETURNS SETOF ar.collection_strategies
IMMUTABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    SELECT s.risk_segment, s.step, s.min_days_past_due, s.action, s.tone, s.channel, s.cadence_days, t.template
      FROM (VALUES
        -- low risk (ratings A, B): patient, written, weekly
        ('low', 1, 1, 'friendly_nudge', 'friendly', 'email', 7),
        ('low', 2, 15, 'formal_reminder', 'formal', 'email', 7),
        ('low', 3, 45, 'firm_escalation', 'firm', 'phone', 7),
        ('low', 4, 75, 'call_and_hold', 'firm', 'phone', 7),
        ('low', 5, 120, 'agency_referral', 'final', 'letter', 14),
        -- medium (C)
        ('medium', 1, 1, 'friendly_nudge', 'friendly', 'email', 5),
        ('medium', 2, 10, 'formal_reminder', 'formal', 'email', 5),
        ('medium', 3, 30, 'firm_escalation', 'firm', 'phone', 5),
        ('medium', 4, 60, 'call_and_hold', 'firm', 'phone', 5),
        ('medium', 5, 90, 'agency_referral', 'final', 'letter', 10),
        -- high (D): no friendly step, phone early, every 3 days
        ('high', 1, 1, 'formal_reminder', 'formal', 'email', 3),
        ('high', 2, 7, 'firm_escalation', 'firm', 'phone', 3),
        ('high', 3, 21, 'call_and_hold', 'firm', 'phone', 3),
        ('high', 4, 60, 'agency_referral', 'final', 'letter', 7),
        -- critical (E): a call on day 1, hold within a week, every 2 days
        ('critical', 1, 1, 'firm_escalation', 'firm', 'phone', 2),
        ('critical', 2, 5, 'call_and_hold', 'firm', 'phone', 2),
        ('critical', 3, 30, 'agency_referral', 'final', 'letter', 7)
      ) AS s(risk_segment, step, min_days_past_due, action, tone, channel, cadence_days)
      JOIN (VALUES
        ('friendly_nudge', 'Hello {{customer_name}}, a friendly reminder that {{total_past_due}} is now past due on invoice(s) {{invoice_numbers}}. If you have already paid, thank you, and please ignore this message.'),
        ('formal_reminder', 'Dear {{customer_name}}, our records show {{total_past_due}} past due on invoice(s) {{invoice_numbers}}, the oldest {{oldest_days_past_due}} days past its due date:' || chr(10) || '{{invoice_lines}}' || chr(10) || 'Please arrange payment or let us know of any issue.'),
        ('firm_escalation', 'Dear {{customer_name}}, despite our reminders {{total_past_due}} remains unpaid on invoice(s) {{invoice_numbers}} (oldest {{oldest_days_past_due}} days past due). Please pay within 7 days to avoid further action.'),
        ('call_and_hold', 'Call {{customer_name}} ({{customer_id}}) about {{total_past_due}} past due on {{invoice_numbers}}, oldest {{oldest_days_past_due}} days; new orders are on credit hold until it is paid. Last payment: {{last_payment_amount}} on {{last_payment_date}}.'),
        ('agency_referral', 'Final notice to {{customer_name}}: {{total_past_due}} on invoice(s) {{invoice_numbers}} will be referred to a collections agency unless paid within 10 days.')
      ) AS t(action, template) ON t.action = s.action;
END;
COMMENT ON FUNCTION ar.default_collection_strategies() IS 'The shipped escalation ladders: low risk (A, B) friendly email from day 1, formal at 15, phone at 45, hold at 75, agency at 120, every 7 days; medium (C) 1/10/30/60/90 every 5 days; high (D) formal email at 1, phone at 7, hold at 21, agency at 60, every 3 days; critical (E) call at 1, hold at 5, agency at 30, every 2 days. docs/collections.md.';

CREATE FUNCTION ar.effective_collection_strategies() RETURNS SETOF ar.collection_strategies
STABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    SELECT * FROM ar.collection_strategies
    UNION ALL
    SELECT * FROM ar.default_collection_strategies() d
     WHERE NOT EXISTS (SELECT FROM ar.collection_strategies s WHERE s.risk_segment = d.risk_segment);
END;
COMMENT ON FUNCTION ar.effective_collection_strategies() IS 'The ladders in force: each segment''s rows of ar.collection_strategies, or its defaults when it has none.';

-- Priority of an account on the worklist, 0-100 (docs/collections.md):
--   35 x min(1, log10(1 + past due) / 6)        (1,000,000 past due = full)
-- + 25 x min(1, days past due / 120)
-- + 20 x risk score / 100
-- + 10 x min(1, strategic value / 10)
-- + 10 x min(1, broken promises in 90 days / 2)
CREATE FUNCTION ar.collection_priority(past_due numeric, days_past_due integer, risk_score numeric,
                                       strategic_value numeric, broken_promises bigint) RETURNS numeric
IMMUTABLE PARALLEL SAFE LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF past_due IS NULL OR days_past_due IS NULL THEN
        RAISE EXCEPTION 'ar.collection_priority: past_due and days_past_due must not be NULL' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF past_due = 'NaN' OR risk_score = 'NaN' OR strategic_value = 'NaN' THEN
        RAISE EXCEPTION 'ar.collection_priority: past_due, risk_score and strategic_value must not be NaN' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF past_due < 0 OR days_past_due < 0 OR risk_score < 0 OR risk_score > 100 OR strategic_value < 0 OR broken_promises < 0 THEN
        RAISE EXCEPTION 'ar.collection_priority: past_due, days_past_due, strategic_value and broken_promises must not be negative, and risk_score must be between 0 and 100'
              USING ERRCODE = 'invalid_parameter_value';
    END IF;
    RETURN round(35 * least(1, log(10::numeric, 1 + past_due) / 6)
               + 25 * least(1, days_past_due / 120.0)
               + 20 * coalesce(risk_score, 0) / 100
               + 10 * least(1, coalesce(strategic_value, 0) / 10)
               + 10 * least(1, coalesce(broken_promises, 0) / 2.0), 2);
END $$;
COMMENT ON FUNCTION ar.collection_priority(numeric, integer, numeric, numeric, bigint) IS 'Worklist priority 0-100: 35 x min(1, log10(1 + past due)/6) + 25 x min(1, days past due/120) + 20 x risk score/100 + 10 x min(1, strategic value/10) + 10 x min(1, broken promises in 90 days/2). NULL risk score, strategic value or broken promises count as 0.';

-- Money as text for messages: USD 1,234.50 (no locale: the same on every server).
CREATE FUNCTION ar._money(amount numeric, currency text) RETURNS text
IMMUTABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    SELECT currency || ' ' || CASE WHEN amount < 0 THEN '-' ELSE '' END
           || to_char(abs(amount), 'FM9,999,999,999,999,990.00');
END;
COMMENT ON FUNCTION ar._money(numeric, text) IS 'Internal: an amount with its currency code for messages, e.g. USD 1,234.50.';

-- The collections worklist as of ar.as_of(): one row per customer with past-due
-- invoices. status: due (act today: rank 1 first), scheduled (touched within the
-- cadence, or not yet at the first step), held (the reason is shown).
CREATE MATERIALIZED VIEW ar.collections_worklist_mv AS
WITH cfg AS MATERIALIZED (SELECT ar.as_of() AS as_of),
open_disputes AS (      -- disputes open on as_of, per invoice; amount NULL = the whole invoice
    SELECT d.invoice_id, bool_or(d.amount IS NULL) AS whole, sum(d.amount) AS amount
      FROM ar.disputes d, cfg
     WHERE d.opened_at::date <= cfg.as_of AND (d.resolved_at IS NULL OR d.resolved_at::date > cfg.as_of)
     GROUP BY d.invoice_id
), items AS (           -- past-due open items with the part of them in dispute
    SELECT o.customer_id, o.invoice_id, o.open_amount, o.days_past_due,
           CASE WHEN od.whole THEN o.open_amount ELSE least(o.open_amount, coalesce(od.amount, 0)) END AS disputed
      FROM ar.open_items_snapshot o LEFT JOIN open_disputes od ON od.invoice_id = o.invoice_id
     WHERE o.days_past_due > 0 AND o.open_amount > 0
), accounts AS (
    SELECT i.customer_id, sum(i.open_amount) AS past_due_amount, sum(i.disputed) AS disputed_amount,
           max(i.days_past_due) AS oldest_days_past_due,
           max(i.days_past_due) FILTER (WHERE i.open_amount > i.disputed) AS oldest_undisputed_days,
           count(*) AS past_due_invoices,
           array_agg(i.invoice_id ORDER BY i.days_past_due DESC, i.invoice_id) AS invoices
      FROM items i GROUP BY i.customer_id
), promises AS (
    SELECT ps.customer_id,
           min(ps.promised_date) FILTER (WHERE ps.status = 'pending') AS promise_until,
           sum(ps.amount - ps.paid) FILTER (WHERE ps.status = 'pending') AS promised_amount,
           count(*) FILTER (WHERE ps.status = 'broken' AND ps.promised_date > cfg.as_of - 90) AS broken_90d
      FROM ar.promise_status((SELECT ar.as_of())) ps, cfg
     GROUP BY ps.customer_id
), touches AS (         -- the latest touch since the oldest past-due invoice fell due
    SELECT a.customer_id, max(a.happened_at::date) AS last_touch
      FROM accounts ac JOIN ar.activities a ON a.customer_id = ac.customer_id, cfg
     WHERE a.happened_at::date <= cfg.as_of AND a.happened_at::date > cfg.as_of - ac.oldest_days_past_due
     GROUP BY a.customer_id
), strategies AS MATERIALIZED (SELECT * FROM ar.effective_collection_strategies()),
base AS (
    SELECT cfg.as_of, a.*, c.name AS customer_name, c.currency, c.strategic_value,
           r.score, r.rating, coalesce(r.risk_segment, 'medium') AS risk_segment,
           a.past_due_amount - a.disputed_amount AS actionable_amount,
           coalesce(p.broken_90d, 0) AS broken_promises_90d, p.promise_until, p.promised_amount,
           t.last_touch, st.step, st.action, st.tone, st.channel, st.cadence_days, st.template, f.first_days
      FROM accounts a CROSS JOIN cfg
      JOIN ar.customers c ON c.customer_id = a.customer_id
      LEFT JOIN ar.customer_risk_mv r ON r.customer_id = a.customer_id
      LEFT JOIN promises p ON p.customer_id = a.customer_id
      LEFT JOIN touches t ON t.customer_id = a.customer_id
      LEFT JOIN LATERAL (SELECT s.* FROM strategies s
                          WHERE s.risk_segment = coalesce(r.risk_segment, 'medium') AND s.min_days_past_due <= a.oldest_undisputed_days
                          ORDER BY s.min_days_past_due DESC LIMIT 1) st ON true
      LEFT JOIN LATERAL (SELECT min(s.min_days_past_due) AS first_days FROM strategies s
                          WHERE s.risk_segment = coalesce(r.risk_segment, 'medium')) f ON true
), decided AS (
    SELECT b.*,
           CASE WHEN b.actionable_amount = 0 OR b.promise_until IS NOT NULL THEN 'held'
                WHEN b.step IS NULL OR b.last_touch + b.cadence_days > b.as_of THEN 'scheduled'
                ELSE 'due' END AS status,
           CASE WHEN b.actionable_amount = 0
                THEN format('open dispute on all past-due invoices (%s disputed)', ar._money(b.disputed_amount, b.currency))
                WHEN b.promise_until IS NOT NULL
                THEN format('promise to pay %s by %s', ar._money(b.promised_amount, b.currency), b.promise_until) END AS hold_reason,
           CASE WHEN b.actionable_amount = 0 THEN NULL
                WHEN b.promise_until IS NOT NULL THEN b.promise_until + 1          -- follow up if the promise is broken
                WHEN b.step IS NULL THEN b.as_of + (b.first_days - b.oldest_undisputed_days)
                ELSE coalesce(b.last_touch + b.cadence_days, b.as_of) END AS next_action_due,
           ar.collection_priority(b.actionable_amount, coalesce(b.oldest_undisputed_days, 0), b.score,
                                  b.strategic_value, b.broken_promises_90d) AS priority_score
      FROM base b
)
SELECT d.as_of, d.customer_id, d.customer_name, d.status,
       CASE WHEN d.status = 'due'
            THEN row_number() OVER (PARTITION BY d.status = 'due' ORDER BY d.priority_score DESC, d.actionable_amount DESC, d.customer_id) END AS priority_rank,
       d.priority_score, d.risk_segment, d.rating, d.score,
       d.past_due_amount, d.disputed_amount, d.actionable_amount, d.oldest_days_past_due,
       coalesce(d.oldest_undisputed_days, 0) AS oldest_undisputed_days, d.past_due_invoices,
       d.broken_promises_90d, d.strategic_value,
       d.step, d.action AS next_action, d.tone, d.channel, d.template,
       d.last_touch, d.next_action_due, d.hold_reason, d.invoices
  FROM decided d
WITH NO DATA;
CREATE UNIQUE INDEX collections_worklist_mv_key ON ar.collections_worklist_mv (customer_id);
CREATE INDEX collections_worklist_mv_rank_idx ON ar.collections_worklist_mv (priority_rank);
COMMENT ON MATERIALIZED VIEW ar.collections_worklist_mv IS 'Storage of ar.collections_worklist; query the plain view.';

CREATE VIEW ar.collections_worklist AS
SELECT w.as_of, w.priority_rank, w.status, w.customer_id, w.customer_name, c.collector, w.priority_score,
       w.risk_segment, w.rating, w.score, w.past_due_amount, w.disputed_amount, w.actionable_amount,
       w.oldest_days_past_due, w.oldest_undisputed_days, w.past_due_invoices, w.broken_promises_90d, w.strategic_value,
       w.step, w.next_action, w.tone, w.channel, w.template, w.last_touch, w.next_action_due, w.hold_reason, w.invoices
  FROM ar.collections_worklist_mv w JOIN ar.customers c ON c.customer_id = w.customer_id;
COMMENT ON VIEW ar.collections_worklist IS 'The collectors'' list as of the last refresh: one row per customer with past-due invoices, the next action from its risk segment''s strategy, when it is due, and its priority. Work status = ''due'' rows by priority_rank. docs/collections.md.';
COMMENT ON COLUMN ar.collections_worklist.as_of IS 'As-of date of the list.';
COMMENT ON COLUMN ar.collections_worklist.priority_rank IS 'Order in which to work the due accounts (1 = first); NULL unless status = due.';
COMMENT ON COLUMN ar.collections_worklist.status IS 'due (the next action is due on or before as_of), scheduled (touched within the cadence, or not yet at the first step of the ladder) or held (see hold_reason).';
COMMENT ON COLUMN ar.collections_worklist.customer_id IS 'Account identifier.';
COMMENT ON COLUMN ar.collections_worklist.customer_name IS 'Account name.';
COMMENT ON COLUMN ar.collections_worklist.collector IS 'Assigned collector (ar.customers.collector, as set now; see ar.assign_collectors).';
COMMENT ON COLUMN ar.collections_worklist.priority_score IS 'Priority 0-100 (ar.collection_priority of the undisputed past-due amount, oldest undisputed days past due, risk score, strategic value, broken promises in 90 days).';
COMMENT ON COLUMN ar.collections_worklist.risk_segment IS 'Risk segment whose strategy applies (medium when the account is not rated).';
COMMENT ON COLUMN ar.collections_worklist.rating IS 'Risk rating A-E.';
COMMENT ON COLUMN ar.collections_worklist.score IS 'Risk score 0-100.';
COMMENT ON COLUMN ar.collections_worklist.past_due_amount IS 'Open amount of the past-due invoices.';
COMMENT ON COLUMN ar.collections_worklist.disputed_amount IS 'Part of it under an open dispute.';
COMMENT ON COLUMN ar.collections_worklist.actionable_amount IS 'Past due and not disputed: what the collector chases.';
COMMENT ON COLUMN ar.collections_worklist.oldest_days_past_due IS 'Days past due of the oldest past-due invoice.';
COMMENT ON COLUMN ar.collections_worklist.oldest_undisputed_days IS 'Days past due of the oldest invoice not wholly disputed: chooses the ladder step (0 when all is disputed).';
COMMENT ON COLUMN ar.collections_worklist.past_due_invoices IS 'Number of past-due invoices.';
COMMENT ON COLUMN ar.collections_worklist.broken_promises_90d IS 'Promises to pay broken in the last 90 days.';
COMMENT ON COLUMN ar.collections_worklist.strategic_value IS 'Strategic value of the account (ar.customers).';
COMMENT ON COLUMN ar.collections_worklist.step IS 'Ladder step that applies (NULL: not yet at the first step).';
COMMENT ON COLUMN ar.collections_worklist.next_action IS 'Action of that step.';
COMMENT ON COLUMN ar.collections_worklist.tone IS 'Tone of that step.';
COMMENT ON COLUMN ar.collections_worklist.channel IS 'Channel of that step.';
COMMENT ON COLUMN ar.collections_worklist.template IS 'Message template of that step (fill it with ar.render_message).';
COMMENT ON COLUMN ar.collections_worklist.last_touch IS 'Date of the latest activity (ar.activities) since the oldest past-due invoice fell due.';
COMMENT ON COLUMN ar.collections_worklist.next_action_due IS 'When the next action is due: last touch + cadence (as_of when not touched yet), the day after a pending promise''s date, or the day the first step is reached; NULL while wholly disputed.';
COMMENT ON COLUMN ar.collections_worklist.hold_reason IS 'Why a held account is held back: an open dispute on all its past-due amount, or a promise to pay not yet due.';
COMMENT ON COLUMN ar.collections_worklist.invoices IS 'The past-due invoices concerned, oldest first.';

CREATE VIEW ar.my_collections_worklist WITH (security_barrier) AS
SELECT w.* FROM ar.collections_worklist w
 WHERE EXISTS (SELECT FROM ar.collector_roles m
                WHERE m.role_name = current_user AND (m.collector IS NULL OR m.collector = w.collector));
COMMENT ON VIEW ar.my_collections_worklist IS 'ar.collections_worklist restricted to the accounts of the current role''s collector (see ar.collector_roles).';
DO $$
DECLARE
    v record;
BEGIN
    FOR v IN SELECT a.attname, col_description('ar.collections_worklist'::regclass, a.attnum) AS description
               FROM pg_attribute a WHERE a.attrelid = 'ar.collections_worklist'::regclass AND a.attnum > 0 LOOP
        EXECUTE format('COMMENT ON COLUMN ar.my_collections_worklist.%I IS %L', v.attname, v.description);
    END LOOP;
END $$;

CREATE OR REPLACE FUNCTION ar.grant_collector(role_name name, collector text) RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF role_name IS NULL THEN
        RAISE EXCEPTION 'ar.grant_collector: role_name must not be NULL' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    INSERT INTO ar.collector_roles (role_name, collector) VALUES (grant_collector.role_name, grant_collector.collector)
        ON CONFLICT ON CONSTRAINT collector_roles_pkey DO UPDATE SET collector = excluded.collector;
    EXECUTE format('GRANT USAGE ON SCHEMA ar TO %I', role_name);
    EXECUTE format('GRANT SELECT ON ar.my_customer_health, ar.my_customer_risk, ar.my_early_warnings, ar.my_collections_worklist TO %I', role_name);
END $$;
COMMENT ON FUNCTION ar.grant_collector(name, text) IS 'Let a role read the ar.my_* views (health, risk, early warnings, collections worklist), restricted to one collector''s accounts (collector NULL = all accounts, for managers).';

-- Collectors and assignment ------------------------------------------------

CREATE TABLE ar.collectors (
    collector text COLLATE "C" PRIMARY KEY,
    active    boolean NOT NULL DEFAULT true,
    capacity  numeric NOT NULL DEFAULT 1 CHECK (capacity > 0 AND capacity <= 100)
);
COMMENT ON TABLE ar.collectors IS 'Collectors that ar.assign_collectors may assign accounts to. Empty = every collector named in ar.customers.collector, with capacity 1.';
COMMENT ON COLUMN ar.collectors.collector IS 'Collector name, as in ar.customers.collector.';
COMMENT ON COLUMN ar.collectors.active IS 'false = receives no new accounts, and its worklist accounts are reassigned.';
COMMENT ON COLUMN ar.collectors.capacity IS 'Relative capacity (1 = a full-time collector, 0.5 = half): workload is balanced in proportion.';
SELECT pg_catalog.pg_extension_config_dump('ar.collectors', '');

CREATE TABLE ar.collector_assignments (
    assignment_id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_id        text COLLATE "C" NOT NULL REFERENCES ar.customers ON DELETE CASCADE,
    collector          text NOT NULL,
    previous_collector text,
    as_of              date NOT NULL,
    reason             text NOT NULL,
    assigned_at        timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX collector_assignments_customer_idx ON ar.collector_assignments (customer_id, assigned_at);
COMMENT ON TABLE ar.collector_assignments IS 'Every assignment made by ar.assign_collectors.';
COMMENT ON COLUMN ar.collector_assignments.assignment_id IS 'Generated identifier.';
COMMENT ON COLUMN ar.collector_assignments.customer_id IS 'Account assigned.';
COMMENT ON COLUMN ar.collector_assignments.collector IS 'Collector it was assigned to.';
COMMENT ON COLUMN ar.collector_assignments.previous_collector IS 'Collector before (NULL = none).';
COMMENT ON COLUMN ar.collector_assignments.as_of IS 'Worklist date the assignment was made for.';
COMMENT ON COLUMN ar.collector_assignments.reason IS 'unassigned, collector inactive, or rebalance.';
COMMENT ON COLUMN ar.collector_assignments.assigned_at IS 'When.';
SELECT pg_catalog.pg_extension_config_dump('ar.collector_assignments', '');
SELECT pg_catalog.pg_extension_config_dump(pg_catalog.pg_get_serial_sequence('ar.collector_assignments', 'assignment_id')::regclass, '');

-- Workload of a collector k: (past-due amount of its worklist accounts / total past-due
-- amount of the worklist + its number of accounts / number of worklist accounts) /
-- capacity_k. Accounts to assign go, largest past-due amount first, to the collector
-- with the lowest workload at that moment (ties: collector name). Accounts with an
-- active collector keep it; rebalance => true first walks each collector's accounts,
-- largest first, and releases those that would take its workload over its fair share
-- (2 x capacity_k / total capacity: the two shares add up to 2), to be assigned as above.
CREATE FUNCTION ar.assign_collectors(as_of date, rebalance boolean DEFAULT false)
RETURNS TABLE (customer_id text, collector text, previous_collector text, reason text)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    names text[];
    caps numeric[];
    amt numeric[];
    cnt numeric[];
    total_amt numeric;
    total_cnt numeric;
    total_cap numeric;
    n integer;
    k integer;
    best integer;
    best_load numeric;
    load numeric;
    acc record;
BEGIN
    IF as_of IS NULL OR rebalance IS NULL THEN
        RAISE EXCEPTION 'ar.assign_collectors: as_of and rebalance must not be NULL' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF as_of IS DISTINCT FROM ar.as_of() THEN
        RAISE EXCEPTION 'ar.assign_collectors: the worklist is as of %, not %', coalesce(ar.as_of()::text, 'never refreshed'), as_of
              USING ERRCODE = 'object_not_in_prerequisite_state',
                    HINT = format('Run SELECT ar.refresh(%L) first.', as_of);
    END IF;
    IF EXISTS (SELECT FROM ar.collectors) THEN
        SELECT array_agg(c.collector ORDER BY c.collector), array_agg(c.capacity ORDER BY c.collector)
          INTO names, caps FROM ar.collectors c WHERE c.active;
    ELSE
        SELECT array_agg(x.collector ORDER BY x.collector), array_agg(1::numeric ORDER BY x.collector)
          INTO names, caps FROM (SELECT DISTINCT cu.collector FROM ar.customers cu WHERE cu.collector IS NOT NULL) x;
    END IF;
    IF names IS NULL THEN
        RAISE EXCEPTION 'ar.assign_collectors: there is no active collector to assign accounts to'
              USING ERRCODE = 'object_not_in_prerequisite_state',
                    HINT = 'Add collectors: INSERT INTO ar.collectors (collector) VALUES (''Alice''), (''Bruno'');';
    END IF;
    n := cardinality(names);
    SELECT sum(caps[i]) INTO total_cap FROM generate_subscripts(caps, 1) i;

    CREATE TEMP TABLE _ar_assign ON COMMIT DROP AS
    SELECT w.customer_id, w.past_due_amount AS amount, c.collector AS current,
           array_position(names, c.collector) AS k, NULL::integer AS new_k, NULL::text AS reason
      FROM ar.collections_worklist_mv w JOIN ar.customers c ON c.customer_id = w.customer_id;
    SELECT coalesce(sum(a.amount), 0), count(*) INTO total_amt, total_cnt FROM _ar_assign a;
    amt := array_fill(0::numeric, ARRAY[n]);
    cnt := array_fill(0::numeric, ARRAY[n]);

    -- Accounts that keep their collector (largest first, so a rebalance keeps the big ones).
    FOR acc IN SELECT a.customer_id, a.amount, a.k FROM _ar_assign a WHERE a.k IS NOT NULL ORDER BY a.amount DESC, a.customer_id LOOP
        IF rebalance AND (coalesce((amt[acc.k] + acc.amount) / nullif(total_amt, 0), 0) + (cnt[acc.k] + 1) / total_cnt)
                         > 2 * caps[acc.k] / total_cap THEN
            UPDATE _ar_assign a SET k = NULL, reason = 'rebalance' WHERE a.customer_id = acc.customer_id;
        ELSE
            amt[acc.k] := amt[acc.k] + acc.amount;
            cnt[acc.k] := cnt[acc.k] + 1;
        END IF;
    END LOOP;

    FOR acc IN SELECT a.customer_id, a.amount, a.current, a.reason FROM _ar_assign a WHERE a.k IS NULL ORDER BY a.amount DESC, a.customer_id LOOP
        best := NULL;
        FOR k IN 1 .. n LOOP
            load := (coalesce(amt[k] / nullif(total_amt, 0), 0) + cnt[k] / total_cnt) / caps[k];
            IF best IS NULL OR load < best_load THEN
                best := k;
                best_load := load;
            END IF;
        END LOOP;
        amt[best] := amt[best] + acc.amount;
        cnt[best] := cnt[best] + 1;
        UPDATE _ar_assign a SET new_k = best,
               reason = coalesce(acc.reason, CASE WHEN acc.current IS NULL THEN 'unassigned' ELSE 'collector inactive' END)
         WHERE a.customer_id = acc.customer_id;
    END LOOP;

    -- Moving an account to the collector it already has is no assignment.
    DELETE FROM _ar_assign a WHERE a.new_k IS NULL OR names[a.new_k] IS NOT DISTINCT FROM a.current;
    UPDATE ar.customers c SET collector = names[a.new_k] FROM _ar_assign a WHERE c.customer_id = a.customer_id;
    INSERT INTO ar.collector_assignments (customer_id, collector, previous_collector, as_of, reason)
    SELECT a.customer_id, names[a.new_k], a.current, assign_collectors.as_of, a.reason FROM _ar_assign a;
    RETURN QUERY SELECT a.customer_id, names[a.new_k], a.current, a.reason FROM _ar_assign a ORDER BY a.customer_id;
    DROP TABLE _ar_assign;
END $$;
COMMENT ON FUNCTION ar.assign_collectors(date, boolean) IS 'Assign the worklist accounts that have no active collector, balancing workload (share of past-due amount + share of accounts, per unit of capacity) across ar.collectors; accounts keep their collector from day to day. rebalance => true also moves accounts off collectors above their fair share. Sets ar.customers.collector, logs ar.collector_assignments, returns the assignments made. as_of must be the refreshed date.';

-- Messages --------------------------------------------------------------------

CREATE FUNCTION ar.render_message(template text, customer_id text, as_of date) RETURNS text
STABLE PARALLEL SAFE LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    cust record;
    vals jsonb;
    parts text[];
    names text[];
    k integer;
    result text;
BEGIN
    IF template IS NULL OR customer_id IS NULL OR as_of IS NULL THEN
        RAISE EXCEPTION 'ar.render_message: template, customer_id and as_of must not be NULL' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF NOT isfinite(as_of) THEN
        RAISE EXCEPTION 'ar.render_message: as_of must be a finite date, got %', as_of USING ERRCODE = 'invalid_parameter_value';
    END IF;
    PERFORM ar._check_template(template);
    SELECT c.* INTO cust FROM ar.customers c WHERE c.customer_id = render_message.customer_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'ar.render_message: unknown customer %', customer_id USING ERRCODE = 'no_data_found';
    END IF;
    SELECT jsonb_build_object(
               'customer_id', cust.customer_id,
               'customer_name', cust.name,
               'collector', coalesce(cust.collector, ''),
               'currency', cust.currency,
               'as_of', as_of::text,
               'total_past_due', ar._money(coalesce(sum(o.open_amount) FILTER (WHERE o.days_past_due > 0), 0), cust.currency),
               'total_open', ar._money(coalesce(sum(o.open_amount), 0), cust.currency),
               'oldest_days_past_due', coalesce(max(o.days_past_due) FILTER (WHERE o.days_past_due > 0), 0)::text,
               'past_due_count', count(*) FILTER (WHERE o.days_past_due > 0)::text,
               'invoice_numbers', coalesce(string_agg(o.invoice_id, ', ' ORDER BY o.days_past_due DESC, o.invoice_id) FILTER (WHERE o.days_past_due > 0), ''),
               'invoice_lines', coalesce(string_agg(format('#%s due %s, %s days past due, %s open', o.invoice_id, o.due_date, o.days_past_due,
                                                           ar._money(o.open_amount, cust.currency)), chr(10) ORDER BY o.days_past_due DESC, o.invoice_id)
                                         FILTER (WHERE o.days_past_due > 0), ''))
      INTO vals
      FROM (SELECT i.invoice_id, i.due_date, ar._open_amount(i.invoice_id, render_message.as_of) AS open_amount,
                   ar.days_past_due(i.due_date, render_message.as_of) AS days_past_due
              FROM ar.invoices i
             WHERE i.customer_id = render_message.customer_id AND i.invoice_date <= render_message.as_of) o   -- the customer's invoices only
     WHERE o.open_amount > 0;
    SELECT vals || jsonb_build_object(
               'last_payment_date', coalesce(max(p.payment_date)::text, 'none'),
               'last_payment_amount', ar._money(coalesce(sum(p.amount), 0), cust.currency),
               'last_payment_invoices', coalesce(string_agg(DISTINCT coalesce(p.invoice_id, 'on account'), ', '), ''))
      INTO vals
      FROM ar.payments p
     WHERE p.customer_id = render_message.customer_id
       AND p.payment_date = (SELECT max(q.payment_date) FROM ar.payments q
                              WHERE q.customer_id = render_message.customer_id AND q.payment_date <= render_message.as_of);
    -- One pass: the text between placeholders, then each placeholder's value in turn,
    -- so that a value (a customer name, say) is never itself searched for placeholders.
    parts := regexp_split_to_array(template, '\{\{\s*[^{}]*?\s*\}\}');
    names := ARRAY(SELECT m[1] FROM regexp_matches(template, '\{\{\s*([^{}]*?)\s*\}\}', 'g') AS m);
    result := parts[1];
    FOR k IN 1 .. coalesce(cardinality(names), 0) LOOP
        result := result || (vals ->> names[k]) || parts[k + 1];
    END LOOP;
    RETURN result;
END $$;
COMMENT ON FUNCTION ar.render_message(text, text, date) IS 'Fill a message template with a customer''s figures as of a date: {{customer_name}}, {{invoice_numbers}}, {{total_past_due}}, ... (ar.message_placeholders()). An unknown placeholder is an ERROR naming it; an unknown customer is an ERROR.';

-- Disputes --------------------------------------------------------------------

-- Each dispute open on as_of, flagged when open longer than the SLA.
CREATE FUNCTION ar.open_disputes_at(as_of date)
RETURNS TABLE (dispute_id text, invoice_id text, customer_id text, customer_name text, collector text,
               opened_at timestamptz, days_open integer, first_response_at timestamptz, amount numeric, reason text,
               over_sla boolean, as_of date)
STABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    SELECT d.dispute_id, d.invoice_id, i.customer_id, c.name, c.collector, d.opened_at, as_of - d.opened_at::date,
           CASE WHEN d.first_response_at::date <= as_of THEN d.first_response_at END,
           d.amount, d.reason, as_of - d.opened_at::date > pol.dispute_sla_days, as_of
      FROM ar.disputes d
      JOIN ar.invoices i ON i.invoice_id = d.invoice_id
      JOIN ar.customers c ON c.customer_id = i.customer_id
      CROSS JOIN ar.collections_policy() pol
     WHERE d.opened_at::date <= as_of AND (d.resolved_at IS NULL OR d.resolved_at::date > as_of)
       AND ar.days_past_due(as_of, as_of) = 0;   -- rejects an infinite as_of (22008)
END;
COMMENT ON FUNCTION ar.open_disputes_at(date) IS 'Disputes open on a date, with days open and over_sla = open more than ar.collections_policy().dispute_sla_days days.';

-- Dispute SLA per month opened, and overall (month NULL).
--   first response hours = first_response_at - opened_at; resolution days = resolved_at - opened_at;
--   only responses and resolutions dated on or before as_of count.
CREATE FUNCTION ar.dispute_sla_at(as_of date)
RETURNS TABLE (month date, disputes_opened bigint, responded bigint, mean_first_response_hours numeric,
               median_first_response_hours numeric, resolved bigint, median_resolution_days numeric,
               open_disputes bigint, over_sla bigint, sla_days integer, as_of date)
STABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    WITH d AS (
        SELECT date_trunc('month', x.opened_at::date::timestamp)::date AS month,
               CASE WHEN x.first_response_at::date <= as_of THEN extract(epoch FROM x.first_response_at - x.opened_at) / 3600 END AS response_hours,
               CASE WHEN x.resolved_at::date <= as_of THEN extract(epoch FROM x.resolved_at - x.opened_at) / 86400 END AS resolution_days,
               NOT (x.resolved_at::date <= as_of) OR x.resolved_at IS NULL AS open,
               as_of - x.opened_at::date AS days_open
          FROM ar.disputes x
         WHERE x.opened_at::date <= as_of
           AND ar.days_past_due(as_of, as_of) = 0   -- rejects an infinite as_of (22008)
    )
    SELECT d.month, count(*), count(d.response_hours), round(avg(d.response_hours), 2),
           round(percentile_cont(0.5) WITHIN GROUP (ORDER BY d.response_hours)::numeric, 2),
           count(d.resolution_days), round(percentile_cont(0.5) WITHIN GROUP (ORDER BY d.resolution_days)::numeric, 2),
           count(*) FILTER (WHERE d.open), count(*) FILTER (WHERE d.open AND d.days_open > pol.dispute_sla_days),
           pol.dispute_sla_days, as_of
      FROM d CROSS JOIN ar.collections_policy() pol
     GROUP BY GROUPING SETS ((d.month, pol.dispute_sla_days), (pol.dispute_sla_days))
    HAVING as_of IS NOT NULL
     ORDER BY d.month NULLS LAST;
END;
COMMENT ON FUNCTION ar.dispute_sla_at(date) IS 'Dispute SLA as of a date, per month opened and overall (month NULL): disputes opened, first-response time (mean, median, hours), median resolution time (days), disputes still open and open over the SLA.';

CREATE VIEW ar.dispute_sla AS SELECT * FROM ar.dispute_sla_at((SELECT ar.as_of()));
COMMENT ON VIEW ar.dispute_sla IS 'Dispute SLA as of the last refresh, per month opened and overall (month NULL).';
COMMENT ON COLUMN ar.dispute_sla.month IS 'Month the disputes were opened; NULL = all months.';
COMMENT ON COLUMN ar.dispute_sla.disputes_opened IS 'Disputes opened.';
COMMENT ON COLUMN ar.dispute_sla.responded IS 'Of them, answered by as_of.';
COMMENT ON COLUMN ar.dispute_sla.mean_first_response_hours IS 'Mean hours from opening to first response (answered disputes).';
COMMENT ON COLUMN ar.dispute_sla.median_first_response_hours IS 'Median of the same.';
COMMENT ON COLUMN ar.dispute_sla.resolved IS 'Resolved by as_of.';
COMMENT ON COLUMN ar.dispute_sla.median_resolution_days IS 'Median days from opening to resolution (resolved disputes).';
COMMENT ON COLUMN ar.dispute_sla.open_disputes IS 'Still open on as_of.';
COMMENT ON COLUMN ar.dispute_sla.over_sla IS 'Open for more than sla_days days.';
COMMENT ON COLUMN ar.dispute_sla.sla_days IS 'The dispute SLA in days (ar.collections_policy()).';
COMMENT ON COLUMN ar.dispute_sla.as_of IS 'As-of date.';

CREATE VIEW ar.open_disputes AS SELECT * FROM ar.open_disputes_at((SELECT ar.as_of()));
COMMENT ON VIEW ar.open_disputes IS 'Disputes open as of the last refresh; over_sla flags those open longer than the dispute SLA.';
COMMENT ON COLUMN ar.open_disputes.dispute_id IS 'Dispute identifier.';
COMMENT ON COLUMN ar.open_disputes.invoice_id IS 'Invoice disputed.';
COMMENT ON COLUMN ar.open_disputes.customer_id IS 'Account.';
COMMENT ON COLUMN ar.open_disputes.customer_name IS 'Account name.';
COMMENT ON COLUMN ar.open_disputes.collector IS 'Collector of the account.';
COMMENT ON COLUMN ar.open_disputes.opened_at IS 'When it was opened.';
COMMENT ON COLUMN ar.open_disputes.days_open IS 'Days open on as_of.';
COMMENT ON COLUMN ar.open_disputes.first_response_at IS 'First response (NULL = not answered by as_of).';
COMMENT ON COLUMN ar.open_disputes.amount IS 'Amount disputed (NULL = whole invoice).';
COMMENT ON COLUMN ar.open_disputes.reason IS 'Reason given.';
COMMENT ON COLUMN ar.open_disputes.over_sla IS 'Open more than the dispute SLA (ar.collections_policy().dispute_sla_days).';
COMMENT ON COLUMN ar.open_disputes.as_of IS 'As-of date.';

-- Order holds -------------------------------------------------------------------

-- ts plus n business days: each day counted is a Monday to Friday (in the session
-- time zone); public holidays are not known. n = 0 returns ts.
CREATE FUNCTION ar.add_business_days(ts timestamptz, n integer) RETURNS timestamptz
STABLE PARALLEL SAFE LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    result timestamptz := ts;
    counted integer := 0;
BEGIN
    IF ts IS NULL OR n IS NULL THEN
        RETURN NULL;
    END IF;
    IF n < 0 OR n > 3650 OR NOT isfinite(ts) THEN
        RAISE EXCEPTION 'ar.add_business_days: n must be between 0 and 3650 and ts finite, got % and %', n, ts
              USING ERRCODE = 'invalid_parameter_value';
    END IF;
    WHILE counted < n LOOP
        result := result + interval '1 day';
        IF extract(isodow FROM result) < 6 THEN
            counted := counted + 1;
        END IF;
    END LOOP;
    RETURN result;
END $$;
COMMENT ON FUNCTION ar.add_business_days(timestamptz, integer) IS 'ts plus n business days (Monday to Friday, session time zone; no public holidays): Friday 10:00 + 2 = Tuesday 10:00. NULL in, NULL out.';

-- Open amount of one invoice on a date (the definition of ar.open_items, for one invoice).
CREATE FUNCTION ar._open_amount(invoice_id text, as_of date) RETURNS numeric
STABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    -- COLLATE "C", the key's collation: a lookup through the index, not a scan
    SELECT o.open_amount FROM ar.open_items(as_of) o WHERE o.invoice_id = _open_amount.invoice_id COLLATE "C";
END;
COMMENT ON FUNCTION ar._open_amount(text, date) IS 'Internal: open amount of one invoice on a date (NULL when not open), from ar.open_items.';

-- Holds to place (policy exceeded, no hold open) and to release (no invoice that was
-- already due when the hold was placed is still open, and the policy is not exceeded now).
CREATE FUNCTION ar.order_hold_recommendations_at(as_of date)
RETURNS TABLE (customer_id text, customer_name text, collector text, recommendation text, hold_id text,
               past_due_amount numeric, oldest_days_past_due integer, reason text, as_of date)
STABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    WITH pol AS (SELECT * FROM ar.collections_policy()),
    still_open AS MATERIALIZED (    -- the open items, read once
        SELECT o.customer_id, o.due_date, o.open_amount, o.days_past_due FROM ar._open_items_for(as_of) o WHERE o.open_amount > 0
    ), past_due AS (
        SELECT o.customer_id, sum(o.open_amount) AS amount, max(o.days_past_due) AS oldest
          FROM still_open o WHERE o.days_past_due > 0
         GROUP BY o.customer_id
    ), holds AS (
        SELECT h.* FROM ar.order_holds h
         WHERE h.placed_at::date <= as_of AND (h.released_at IS NULL OR h.released_at::date > as_of)
    ), over_policy AS (
        SELECT p.*, c.name, c.collector, c.currency,
               concat_ws('; ',
                   CASE WHEN p.amount >= pol.hold_past_due_amount
                        THEN format('past due %s >= %s', ar._money(p.amount, c.currency), ar._money(pol.hold_past_due_amount, c.currency)) END,
                   CASE WHEN p.oldest >= pol.hold_days_past_due
                        THEN format('oldest invoice %s days past due >= %s', p.oldest, pol.hold_days_past_due) END) AS why
          FROM past_due p CROSS JOIN pol JOIN ar.customers c ON c.customer_id = p.customer_id
         WHERE p.amount >= pol.hold_past_due_amount OR p.oldest >= pol.hold_days_past_due
    ), releasable AS (      -- no invoice already due when the hold was placed is open now, and within policy
        SELECT h.* FROM holds h
         WHERE NOT EXISTS (SELECT FROM still_open s WHERE s.customer_id = h.customer_id AND s.due_date < h.placed_at::date)
           AND NOT EXISTS (SELECT FROM over_policy o WHERE o.customer_id = h.customer_id)
    ), triggering AS (      -- for the reason: the invoices past due when it was placed, settled since
        -- (none of them is open now, so those were open then that were paid or credited after)
        SELECT h.hold_id, array_agg(DISTINCT x.invoice_id ORDER BY x.invoice_id) AS invoices
          FROM releasable h
          CROSS JOIN LATERAL (
              SELECT p.invoice_id FROM ar.payments p JOIN ar.invoices i ON i.invoice_id = p.invoice_id
               WHERE p.customer_id = h.customer_id AND p.payment_date >= h.placed_at::date AND p.payment_date <= as_of
                 AND i.due_date < h.placed_at::date
              UNION ALL
              SELECT a.invoice_id FROM ar.invoices i JOIN ar.adjustments a ON a.invoice_id = i.invoice_id
               WHERE i.customer_id = h.customer_id AND i.due_date < h.placed_at::date AND a.kind <> 'debit_memo'
                 AND a.adjustment_date >= h.placed_at::date AND a.adjustment_date <= as_of) x
         GROUP BY h.hold_id
    )
    SELECT o.customer_id, o.name, o.collector, 'place', NULL::text, o.amount, o.oldest, o.why, as_of
      FROM over_policy o
     WHERE NOT EXISTS (SELECT FROM holds h WHERE h.customer_id = o.customer_id)
    UNION ALL
    SELECT h.customer_id, c.name, c.collector, 'release', h.hold_id, coalesce(p.amount, 0), coalesce(p.oldest, 0),
           CASE WHEN t.invoices IS NULL THEN 'no invoice was past due when the hold was placed, and the account is within policy now'
                ELSE 'the invoices past due when the hold was placed are paid: ' || array_to_string(t.invoices, ', ') END,
           as_of
      FROM releasable h
      JOIN ar.customers c ON c.customer_id = h.customer_id
      LEFT JOIN triggering t ON t.hold_id = h.hold_id
      LEFT JOIN past_due p ON p.customer_id = h.customer_id;
END;
COMMENT ON FUNCTION ar.order_hold_recommendations_at(date) IS 'Order holds to place (past-due amount or oldest days past due at or over ar.collections_policy(), no hold open) and to release (every invoice past due when the hold was placed is paid, and the account is within policy), as of a date.';

CREATE MATERIALIZED VIEW ar.order_hold_recommendations_mv AS SELECT * FROM ar.order_hold_recommendations_at((SELECT ar.as_of())) WITH NO DATA;
CREATE UNIQUE INDEX order_hold_recommendations_mv_key ON ar.order_hold_recommendations_mv (customer_id, recommendation, hold_id);
COMMENT ON MATERIALIZED VIEW ar.order_hold_recommendations_mv IS 'Storage of ar.order_hold_recommendations; query the plain view.';
CREATE VIEW ar.order_hold_recommendations AS SELECT * FROM ar.order_hold_recommendations_mv;
COMMENT ON VIEW ar.order_hold_recommendations IS 'Order holds to place or release as of the last refresh, with the reason (materialized: refreshed by ar.refresh).';
COMMENT ON COLUMN ar.order_hold_recommendations.customer_id IS 'Account.';
COMMENT ON COLUMN ar.order_hold_recommendations.customer_name IS 'Account name.';
COMMENT ON COLUMN ar.order_hold_recommendations.collector IS 'Collector of the account.';
COMMENT ON COLUMN ar.order_hold_recommendations.recommendation IS 'place or release.';
COMMENT ON COLUMN ar.order_hold_recommendations.hold_id IS 'The open hold to release (NULL for place).';
COMMENT ON COLUMN ar.order_hold_recommendations.past_due_amount IS 'Past-due amount on as_of.';
COMMENT ON COLUMN ar.order_hold_recommendations.oldest_days_past_due IS 'Days past due of the oldest past-due invoice (0 = none).';
COMMENT ON COLUMN ar.order_hold_recommendations.reason IS 'Which policy threshold is exceeded, or which invoices were paid.';
COMMENT ON COLUMN ar.order_hold_recommendations.as_of IS 'As-of date.';

-- Hold SLA per month placed and overall (month NULL). A hold is measured once it is
-- released by as_of or its deadline (placed_at + SLA business days) has passed:
--   within_sla_share = released by the deadline / measured holds.
CREATE FUNCTION ar.order_hold_sla_at(as_of date)
RETURNS TABLE (month date, holds_placed bigint, released bigint, measured bigint, within_sla bigint,
               within_sla_share numeric, median_days_on_hold numeric, open_holds bigint, open_over_sla bigint,
               sla_business_days integer, as_of date)
STABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    WITH h AS (
        SELECT date_trunc('month', x.placed_at::date::timestamp)::date AS month,
               CASE WHEN x.released_at::date <= as_of THEN x.released_at END AS released_at,
               ar.add_business_days(x.placed_at, pol.hold_sla_business_days) AS deadline,
               x.placed_at, pol.hold_sla_business_days AS sla
          FROM ar.order_holds x CROSS JOIN ar.collections_policy() pol
         WHERE x.placed_at::date <= as_of
           AND ar.days_past_due(as_of, as_of) = 0   -- rejects an infinite as_of (22008)
    ), m AS (
        SELECT h.*, h.released_at IS NOT NULL OR h.deadline::date < as_of AS is_measured,
               h.released_at <= h.deadline AS is_within
          FROM h
    )
    SELECT m.month, count(*), count(m.released_at), count(*) FILTER (WHERE m.is_measured),
           count(*) FILTER (WHERE m.is_within),
           round(count(*) FILTER (WHERE m.is_within)::numeric / nullif(count(*) FILTER (WHERE m.is_measured), 0), 4),
           round(percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM m.released_at - m.placed_at) / 86400)::numeric, 2),
           count(*) FILTER (WHERE m.released_at IS NULL),
           count(*) FILTER (WHERE m.released_at IS NULL AND m.deadline::date < as_of),
           m.sla, as_of
      FROM m
     GROUP BY GROUPING SETS ((m.month, m.sla), (m.sla))
    HAVING as_of IS NOT NULL
     ORDER BY m.month NULLS LAST;
END;
COMMENT ON FUNCTION ar.order_hold_sla_at(date) IS 'Order-hold SLA as of a date, per month placed and overall (month NULL): holds, released, share released within the SLA (ar.collections_policy().hold_sla_business_days business days), median days on hold, holds still open and open past the deadline.';

CREATE VIEW ar.order_hold_sla AS SELECT * FROM ar.order_hold_sla_at((SELECT ar.as_of()));
COMMENT ON VIEW ar.order_hold_sla IS 'Order-hold SLA as of the last refresh, per month placed and overall (month NULL).';
COMMENT ON COLUMN ar.order_hold_sla.month IS 'Month the holds were placed; NULL = all months.';
COMMENT ON COLUMN ar.order_hold_sla.holds_placed IS 'Holds placed.';
COMMENT ON COLUMN ar.order_hold_sla.released IS 'Of them, released by as_of.';
COMMENT ON COLUMN ar.order_hold_sla.measured IS 'Holds released or past their deadline: the ones the SLA share counts.';
COMMENT ON COLUMN ar.order_hold_sla.within_sla IS 'Released by the deadline (placed_at + SLA business days).';
COMMENT ON COLUMN ar.order_hold_sla.within_sla_share IS 'within_sla / measured.';
COMMENT ON COLUMN ar.order_hold_sla.median_days_on_hold IS 'Median days from placing to releasing (released holds).';
COMMENT ON COLUMN ar.order_hold_sla.open_holds IS 'Still on hold on as_of.';
COMMENT ON COLUMN ar.order_hold_sla.open_over_sla IS 'Still on hold after the deadline.';
COMMENT ON COLUMN ar.order_hold_sla.sla_business_days IS 'The hold SLA in business days.';
COMMENT ON COLUMN ar.order_hold_sla.as_of IS 'As-of date.';

-- Promises to pay ---------------------------------------------------------------

-- Kept rate per customer, per collector (ar.customers.collector) and for the portfolio,
-- over the promises made in the 365 days up to as_of: kept / (kept + broken).
CREATE FUNCTION ar.promise_kept_rates_at(as_of date)
RETURNS TABLE (dimension text, key text, promises bigint, kept bigint, broken bigint, pending bigint,
               kept_rate numeric, as_of date)
STABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    WITH p AS (
        SELECT ps.status, ps.customer_id, c.collector
          FROM ar.promise_status(as_of) ps JOIN ar.customers c ON c.customer_id = ps.customer_id
         WHERE ps.made_on > as_of - 365
           AND ar.days_past_due(as_of, as_of) = 0   -- rejects an infinite as_of (22008)
    )
    SELECT CASE WHEN grouping(p.customer_id) = 0 THEN 'customer' WHEN grouping(p.collector) = 0 THEN 'collector' ELSE 'portfolio' END,
           coalesce(p.customer_id, p.collector, CASE WHEN grouping(p.collector) = 0 THEN '(none)' END),
           count(*), count(*) FILTER (WHERE p.status = 'kept'), count(*) FILTER (WHERE p.status = 'broken'),
           count(*) FILTER (WHERE p.status = 'pending'),
           round(count(*) FILTER (WHERE p.status = 'kept')::numeric / nullif(count(*) FILTER (WHERE p.status IN ('kept', 'broken')), 0), 4),
           as_of
      FROM p
     GROUP BY GROUPING SETS ((p.customer_id), (p.collector), ())
    HAVING as_of IS NOT NULL
     ORDER BY 1, 2;
END;
COMMENT ON FUNCTION ar.promise_kept_rates_at(date) IS 'Promise-kept rate (kept / (kept + broken); pending promises wait) per customer, per collector and for the portfolio, over the promises made in the 365 days up to as_of (statuses from ar.promise_status).';

CREATE MATERIALIZED VIEW ar.promise_kept_rates_mv AS SELECT * FROM ar.promise_kept_rates_at((SELECT ar.as_of())) WITH NO DATA;
CREATE UNIQUE INDEX promise_kept_rates_mv_key ON ar.promise_kept_rates_mv (dimension, key);
COMMENT ON MATERIALIZED VIEW ar.promise_kept_rates_mv IS 'Storage of ar.promise_kept_rates; query the plain view.';
CREATE VIEW ar.promise_kept_rates AS SELECT * FROM ar.promise_kept_rates_mv;
COMMENT ON VIEW ar.promise_kept_rates IS 'Promise-kept rates as of the last refresh, per customer, per collector and for the portfolio.';
COMMENT ON COLUMN ar.promise_kept_rates.dimension IS 'customer, collector or portfolio.';
COMMENT ON COLUMN ar.promise_kept_rates.key IS 'Customer id or collector name ((none) = no collector); NULL for the portfolio.';
COMMENT ON COLUMN ar.promise_kept_rates.promises IS 'Promises made in the 365 days up to as_of.';
COMMENT ON COLUMN ar.promise_kept_rates.kept IS 'Kept: covered by cash by the promised date.';
COMMENT ON COLUMN ar.promise_kept_rates.broken IS 'Broken: not covered and the date has passed.';
COMMENT ON COLUMN ar.promise_kept_rates.pending IS 'Not covered yet, date not passed.';
COMMENT ON COLUMN ar.promise_kept_rates.kept_rate IS 'kept / (kept + broken); NULL when none is decided.';
COMMENT ON COLUMN ar.promise_kept_rates.as_of IS 'As-of date.';

CREATE VIEW ar.promises_status AS SELECT * FROM ar.promise_status((SELECT ar.as_of()));
COMMENT ON VIEW ar.promises_status IS 'Every promise to pay made by the last refresh''s as-of date with the cash paid against it and its status (kept, broken, pending).';
COMMENT ON COLUMN ar.promises_status.promise_id IS 'Promise identifier.';
COMMENT ON COLUMN ar.promises_status.customer_id IS 'Account.';
COMMENT ON COLUMN ar.promises_status.invoice_id IS 'Invoice promised (NULL = the account).';
COMMENT ON COLUMN ar.promises_status.made_on IS 'Date the promise was made.';
COMMENT ON COLUMN ar.promises_status.promised_date IS 'Date promised.';
COMMENT ON COLUMN ar.promises_status.amount IS 'Amount promised.';
COMMENT ON COLUMN ar.promises_status.paid IS 'Cash applied to it from made_on to the promised date (or as_of).';
COMMENT ON COLUMN ar.promises_status.status IS 'kept, broken or pending.';

-- Payment plans -----------------------------------------------------------------

CREATE TABLE ar.payment_plans (
    plan_id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_id  text COLLATE "C" NOT NULL REFERENCES ar.customers,
    created_on   date NOT NULL CHECK (isfinite(created_on)),
    amount       numeric(18,2) NOT NULL CHECK (amount > 0),
    installments integer NOT NULL CHECK (installments BETWEEN 1 AND 600),
    first_due    date NOT NULL CHECK (isfinite(first_due)),
    every        interval NOT NULL,
    status       text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'cancelled')),
    CONSTRAINT payment_plans_first_due_after_creation CHECK (first_due >= created_on)
);
CREATE UNIQUE INDEX payment_plans_one_active_idx ON ar.payment_plans (customer_id) WHERE status = 'active';
COMMENT ON TABLE ar.payment_plans IS 'Payment plans: a past-due balance rescheduled into installments (create with ar.create_payment_plan). At most one active plan per customer.';
COMMENT ON COLUMN ar.payment_plans.plan_id IS 'Generated identifier.';
COMMENT ON COLUMN ar.payment_plans.customer_id IS 'Account.';
COMMENT ON COLUMN ar.payment_plans.created_on IS 'Date the plan was agreed: cash from this date on invoices dated before it (or unapplied) pays the installments.';
COMMENT ON COLUMN ar.payment_plans.amount IS 'Total amount of the plan.';
COMMENT ON COLUMN ar.payment_plans.installments IS 'Number of installments.';
COMMENT ON COLUMN ar.payment_plans.first_due IS 'Due date of the first installment.';
COMMENT ON COLUMN ar.payment_plans.every IS 'Interval between installments (e.g. 1 month, 14 days).';
COMMENT ON COLUMN ar.payment_plans.status IS 'active or cancelled.';
SELECT pg_catalog.pg_extension_config_dump('ar.payment_plans', '');
SELECT pg_catalog.pg_extension_config_dump(pg_catalog.pg_get_serial_sequence('ar.payment_plans', 'plan_id')::regclass, '');

CREATE TABLE ar.payment_plan_installments (
    plan_id        bigint NOT NULL REFERENCES ar.payment_plans ON DELETE CASCADE,
    installment_no integer NOT NULL CHECK (installment_no >= 1),
    due_date       date NOT NULL,
    amount         numeric(18,2) NOT NULL CHECK (amount > 0),
    PRIMARY KEY (plan_id, installment_no)
);
COMMENT ON TABLE ar.payment_plan_installments IS 'Installments of the payment plans.';
COMMENT ON COLUMN ar.payment_plan_installments.plan_id IS 'Plan.';
COMMENT ON COLUMN ar.payment_plan_installments.installment_no IS '1 = first.';
COMMENT ON COLUMN ar.payment_plan_installments.due_date IS 'first_due + (installment_no - 1) x every.';
COMMENT ON COLUMN ar.payment_plan_installments.amount IS 'amount / installments rounded down to the cent; the last installment takes the remainder.';
SELECT pg_catalog.pg_extension_config_dump('ar.payment_plan_installments', '');

CREATE FUNCTION ar.create_payment_plan(customer_id text, amount numeric, installments integer, first_due date,
                                       every interval, created_on date DEFAULT current_date) RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    plan bigint;
    part numeric;
BEGIN
    IF customer_id IS NULL OR amount IS NULL OR installments IS NULL OR first_due IS NULL OR every IS NULL OR created_on IS NULL THEN
        RAISE EXCEPTION 'ar.create_payment_plan: no argument may be NULL' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF amount = 'NaN' OR amount <= 0 OR amount <> round(amount, 2) OR amount >= 1e16 THEN
        RAISE EXCEPTION 'ar.create_payment_plan: amount must be positive with at most 2 decimals, got %', amount
              USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF installments < 1 OR installments > 600 THEN
        RAISE EXCEPTION 'ar.create_payment_plan: installments must be between 1 and 600, got %', installments
              USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF trunc(amount / installments, 2) < 0.01 THEN
        RAISE EXCEPTION 'ar.create_payment_plan: % installments of % would be less than a cent each', installments, amount
              USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF every < interval '1 day' OR (date '2000-01-01' + every)::date <= date '2000-01-01' THEN
        RAISE EXCEPTION 'ar.create_payment_plan: every must be at least 1 day, got %', every
              USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF NOT isfinite(first_due) OR NOT isfinite(created_on) OR first_due < created_on THEN
        RAISE EXCEPTION 'ar.create_payment_plan: first_due (%) must be a finite date on or after created_on (%)', first_due, created_on
              USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF NOT EXISTS (SELECT FROM ar.customers c WHERE c.customer_id = create_payment_plan.customer_id) THEN
        RAISE EXCEPTION 'ar.create_payment_plan: unknown customer %', customer_id USING ERRCODE = 'foreign_key_violation';
    END IF;
    IF EXISTS (SELECT FROM ar.payment_plans p WHERE p.customer_id = create_payment_plan.customer_id AND p.status = 'active') THEN
        RAISE EXCEPTION 'ar.create_payment_plan: customer % already has an active payment plan', customer_id
              USING ERRCODE = 'unique_violation',
                    HINT = 'Cancel it first: UPDATE ar.payment_plans SET status = ''cancelled'' WHERE plan_id = ...';
    END IF;
    INSERT INTO ar.payment_plans (customer_id, created_on, amount, installments, first_due, every)
    VALUES (create_payment_plan.customer_id, create_payment_plan.created_on, create_payment_plan.amount,
            create_payment_plan.installments, create_payment_plan.first_due, create_payment_plan.every)
    RETURNING plan_id INTO plan;
    part := trunc(amount / installments, 2);
    INSERT INTO ar.payment_plan_installments (plan_id, installment_no, due_date, amount)
    SELECT plan, k, (first_due + (k - 1) * every)::date,
           CASE WHEN k = installments THEN amount - part * (installments - 1) ELSE part END
      FROM generate_series(1, installments) AS k;
    RETURN plan;
END $$;
COMMENT ON FUNCTION ar.create_payment_plan(text, numeric, integer, date, interval, date) IS 'Create a payment plan of amount in installments due first_due, first_due + every, ...; each installment is amount / installments rounded down to the cent, the last takes the remainder. created_on (default today) is when the plan starts counting cash. Returns the plan_id.';

-- Installment status on a date. Cash counted for a plan: the customer's payments dated
-- from created_on to as_of applied to invoices dated before created_on, or unapplied.
-- It pays the installments in order: installment k is covered on the first date the
-- cumulative cash reaches the cumulative amount of installments 1..k.
CREATE FUNCTION ar.payment_plan_installments_at(as_of date)
RETURNS TABLE (plan_id bigint, customer_id text, installment_no integer, due_date date, amount numeric,
               paid_amount numeric, covered_on date, status text, days_late integer, as_of date)
STABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    WITH inst AS (
        SELECT i.*, p.customer_id, p.created_on,
               sum(i.amount) OVER (PARTITION BY i.plan_id ORDER BY i.installment_no) AS cum_due
          FROM ar.payment_plan_installments i JOIN ar.payment_plans p ON p.plan_id = i.plan_id
         WHERE p.created_on <= as_of AND p.status = 'active'
    ), cash AS (            -- cumulative plan cash by date
        SELECT x.plan_id, x.payment_date, sum(x.amount) OVER (PARTITION BY x.plan_id ORDER BY x.payment_date) AS cum_cash
          FROM (SELECT p.plan_id, pay.payment_date, sum(pay.amount) AS amount
                  FROM ar.payment_plans p
                  JOIN ar.payments pay ON pay.customer_id = p.customer_id
                  LEFT JOIN ar.invoices i ON i.invoice_id = pay.invoice_id
                 WHERE p.status = 'active' AND pay.payment_date >= p.created_on AND pay.payment_date <= as_of
                   AND (pay.invoice_id IS NULL OR i.invoice_date < p.created_on)
                 GROUP BY p.plan_id, pay.payment_date) x
    ), covered AS (
        SELECT i.*,
               (SELECT min(c.payment_date) FROM cash c WHERE c.plan_id = i.plan_id AND c.cum_cash >= i.cum_due) AS covered_on,
               coalesce((SELECT max(c.cum_cash) FROM cash c WHERE c.plan_id = i.plan_id), 0) AS total_cash
          FROM inst i
    )
    SELECT c.plan_id, c.customer_id, c.installment_no, c.due_date, c.amount,
           least(c.amount, greatest(0.00, c.total_cash - (c.cum_due - c.amount))),
           c.covered_on,
           CASE WHEN c.covered_on <= c.due_date THEN 'paid'
                WHEN c.covered_on IS NOT NULL THEN 'paid_late'
                WHEN c.due_date < as_of THEN 'overdue'
                ELSE 'due' END,
           CASE WHEN c.covered_on > c.due_date THEN c.covered_on - c.due_date
                WHEN c.covered_on IS NULL AND c.due_date < as_of THEN as_of - c.due_date END,
           as_of
      FROM covered c
     WHERE ar.days_past_due(as_of, as_of) = 0;   -- rejects an infinite as_of (22008)
END;
COMMENT ON FUNCTION ar.payment_plan_installments_at(date) IS 'Each installment of the active payment plans on a date: paid_amount allocated from the plan''s cash in installment order, the date it was covered, status paid / paid_late / overdue / due, days late.';

-- Plan status: completed (every installment covered), defaulted (an installment over 30
-- days overdue), at_risk (an installment overdue, or two or more paid late), on_track.
CREATE FUNCTION ar.payment_plans_at(as_of date)
RETURNS TABLE (plan_id bigint, customer_id text, customer_name text, collector text, amount numeric, paid_amount numeric,
               installments integer, installments_paid bigint, installments_overdue bigint, next_due_date date,
               status text, reason text, as_of date)
STABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    SELECT p.plan_id, p.customer_id, c.name, c.collector, p.amount, sum(i.paid_amount), p.installments,
           count(*) FILTER (WHERE i.status IN ('paid', 'paid_late')),
           count(*) FILTER (WHERE i.status = 'overdue'),
           min(i.due_date) FILTER (WHERE i.status IN ('overdue', 'due')),
           CASE WHEN bool_and(i.status IN ('paid', 'paid_late')) THEN 'completed'
                WHEN max(i.days_late) FILTER (WHERE i.status = 'overdue') > 30 THEN 'defaulted'
                WHEN count(*) FILTER (WHERE i.status = 'overdue') > 0 OR count(*) FILTER (WHERE i.status = 'paid_late') >= 2 THEN 'at_risk'
                ELSE 'on_track' END,
           concat_ws('; ',
               CASE WHEN count(*) FILTER (WHERE i.status = 'overdue') > 0
                    THEN format('%s installment(s) overdue, the oldest by %s days, %s missing',
                                count(*) FILTER (WHERE i.status = 'overdue'), max(i.days_late) FILTER (WHERE i.status = 'overdue'),
                                ar._money(sum(i.amount - i.paid_amount) FILTER (WHERE i.status = 'overdue'), c.currency)) END,
               CASE WHEN count(*) FILTER (WHERE i.status = 'paid_late') > 0
                    THEN format('%s installment(s) paid late', count(*) FILTER (WHERE i.status = 'paid_late')) END),
           payment_plans_at.as_of
      FROM ar.payment_plan_installments_at(payment_plans_at.as_of) i
      JOIN ar.payment_plans p ON p.plan_id = i.plan_id
      JOIN ar.customers c ON c.customer_id = p.customer_id
     GROUP BY p.plan_id, c.customer_id;
END;
COMMENT ON FUNCTION ar.payment_plans_at(date) IS 'Each active payment plan on a date: paid so far, installments paid and overdue, next due date, status (completed, on_track, at_risk = an installment overdue or two paid late, defaulted = an installment over 30 days overdue) and the reason.';

CREATE VIEW ar.payment_plan_status AS SELECT * FROM ar.payment_plans_at((SELECT ar.as_of()));
COMMENT ON VIEW ar.payment_plan_status IS 'Active payment plans as of the last refresh with their status; plans at risk: status IN (''at_risk'', ''defaulted'').';
COMMENT ON COLUMN ar.payment_plan_status.plan_id IS 'Plan.';
COMMENT ON COLUMN ar.payment_plan_status.customer_id IS 'Account.';
COMMENT ON COLUMN ar.payment_plan_status.customer_name IS 'Account name.';
COMMENT ON COLUMN ar.payment_plan_status.collector IS 'Collector of the account.';
COMMENT ON COLUMN ar.payment_plan_status.amount IS 'Plan amount.';
COMMENT ON COLUMN ar.payment_plan_status.paid_amount IS 'Cash allocated to its installments so far.';
COMMENT ON COLUMN ar.payment_plan_status.installments IS 'Number of installments.';
COMMENT ON COLUMN ar.payment_plan_status.installments_paid IS 'Installments covered (on time or late).';
COMMENT ON COLUMN ar.payment_plan_status.installments_overdue IS 'Installments past their due date and not covered.';
COMMENT ON COLUMN ar.payment_plan_status.next_due_date IS 'Due date of the first installment not covered.';
COMMENT ON COLUMN ar.payment_plan_status.status IS 'completed, on_track, at_risk or defaulted.';
COMMENT ON COLUMN ar.payment_plan_status.reason IS 'Why at risk or defaulted.';
COMMENT ON COLUMN ar.payment_plan_status.as_of IS 'As-of date.';

CREATE VIEW ar.payment_plan_installment_status AS SELECT * FROM ar.payment_plan_installments_at((SELECT ar.as_of()));
COMMENT ON VIEW ar.payment_plan_installment_status IS 'Installments of the active payment plans as of the last refresh, with the cash allocated and their status.';
COMMENT ON COLUMN ar.payment_plan_installment_status.plan_id IS 'Plan.';
COMMENT ON COLUMN ar.payment_plan_installment_status.customer_id IS 'Account.';
COMMENT ON COLUMN ar.payment_plan_installment_status.installment_no IS '1 = first.';
COMMENT ON COLUMN ar.payment_plan_installment_status.due_date IS 'Due date.';
COMMENT ON COLUMN ar.payment_plan_installment_status.amount IS 'Installment amount.';
COMMENT ON COLUMN ar.payment_plan_installment_status.paid_amount IS 'Plan cash allocated to it (in installment order).';
COMMENT ON COLUMN ar.payment_plan_installment_status.covered_on IS 'Date the cumulative plan cash covered it.';
COMMENT ON COLUMN ar.payment_plan_installment_status.status IS 'paid (covered by its due date), paid_late, overdue (past due, not covered) or due.';
COMMENT ON COLUMN ar.payment_plan_installment_status.days_late IS 'Days after the due date it was covered, or, overdue, days since the due date.';
COMMENT ON COLUMN ar.payment_plan_installment_status.as_of IS 'As-of date.';

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
CREATE MATERIALIZED VIEW ar.collections_performance_mv AS
WITH cfg AS MATERIALIZED (SELECT ar.as_of() AS as_of),
months AS MATERIALIZED (SELECT m.month, m.month_end FROM ar.month_ends((SELECT ar.as_of())) m ORDER BY m.month DESC LIMIT 12),
first_month AS MATERIALIZED (SELECT min(months.month) AS d FROM months),
grp AS MATERIALIZED (
    SELECT c.customer_id, coalesce(c.collector, '(none)') AS collector, coalesce(r.risk_segment, '(unrated)') AS risk_segment
      FROM ar.customers c LEFT JOIN ar.customer_risk_mv r ON r.customer_id = c.customer_id
), recent AS MATERIALIZED (   -- cash received in the 12 months, with its invoice's due date (NULL: unapplied)
    SELECT p.customer_id, p.invoice_id, p.payment_date, p.amount, i.due_date
      FROM ar.payments p LEFT JOIN ar.invoices i ON i.invoice_id = p.invoice_id, cfg, first_month f
     WHERE p.payment_date >= f.d AND p.payment_date <= cfg.as_of
), spans AS (
    -- past_due_at_start(s) = sum, over the invoices due before s, of their open amount on s - 1
    --   = their open amount on as_of (ar.open_items_snapshot) + payments and credits dated s..as_of
    --     - debit memos dated s..as_of.
    -- So each amount x (dated t; t = as_of for the open amount) counts in the months s with
    -- due_date < s <= t: only events of the 12 months are read, not the whole ledger.
    SELECT o.customer_id, o.due_date, cfg.as_of AS t, o.open_amount AS x FROM ar.open_items_snapshot o, cfg
    UNION ALL
    SELECT r.customer_id, r.due_date, r.payment_date, r.amount FROM recent r WHERE r.invoice_id IS NOT NULL
    UNION ALL
    SELECT i.customer_id, i.due_date, a.adjustment_date, CASE WHEN a.kind = 'debit_memo' THEN -a.amount ELSE a.amount END
      FROM ar.adjustments a JOIN ar.invoices i ON i.invoice_id = a.invoice_id, cfg, first_month f
     WHERE a.adjustment_date >= f.d AND a.adjustment_date <= cfg.as_of
), steps AS (           -- +x from the first such month (not before the range), -x after the last one
    SELECT sp.customer_id, v.month, v.delta
      FROM spans sp, first_month f,
           LATERAL (SELECT greatest((date_trunc('month', sp.due_date::timestamp) + interval '1 month')::date, f.d) AS first_s,
                           date_trunc('month', sp.t::timestamp)::date AS last_s) r,
           LATERAL (VALUES (r.first_s, sp.x), ((r.last_s + interval '1 month')::date, -sp.x)) v(month, delta)
     WHERE r.first_s <= r.last_s
), past_due_buckets AS MATERIALIZED (
    SELECT g.collector, g.risk_segment, b.month, sum(b.amount) AS amount
      FROM (SELECT st.customer_id, st.month, sum(st.delta) AS amount FROM steps st GROUP BY 1, 2) b   -- per customer first
      JOIN grp g ON g.customer_id = b.customer_id
     GROUP BY 1, 2, 3
), cash AS (
    SELECT g.collector, g.risk_segment, date_trunc('month', r.payment_date::timestamp)::date AS month,
           sum(r.amount) AS collected,
           sum(r.amount) FILTER (WHERE r.due_date < date_trunc('month', r.payment_date::timestamp)::date) AS recovered
      FROM recent r JOIN grp g ON g.customer_id = r.customer_id
     GROUP BY 1, 2, 3
), after_contact AS (
    SELECT g.collector, g.risk_segment, date_trunc('month', r.payment_date::timestamp)::date AS month,
           sum(r.payment_date - fc.d) AS days, count(*) AS payments
      FROM recent r JOIN grp g ON g.customer_id = r.customer_id,
           LATERAL (SELECT min(a.happened_at)::date AS d FROM ar.activities a
                     WHERE a.customer_id = r.customer_id AND (a.invoice_id IS NULL OR a.invoice_id = r.invoice_id)
                       AND a.happened_at >= (r.due_date + 1)::timestamptz AND a.happened_at < (r.payment_date + 1)::timestamptz) fc
     WHERE r.payment_date > r.due_date AND fc.d IS NOT NULL
     GROUP BY 1, 2, 3
), grain AS (
    SELECT m.month, gs.collector, gs.risk_segment, coalesce(c.collected, 0) AS collected,
           coalesce((SELECT sum(b.amount) FROM past_due_buckets b
                      WHERE b.collector = gs.collector AND b.risk_segment = gs.risk_segment AND b.month <= m.month), 0) AS past_due_at_start,
           coalesce(c.recovered, 0) AS recovered, coalesce(ac.days, 0) AS contact_days, coalesce(ac.payments, 0) AS contact_payments
      FROM months m CROSS JOIN (SELECT DISTINCT grp.collector, grp.risk_segment FROM grp) gs
      LEFT JOIN cash c ON c.month = m.month AND c.collector = gs.collector AND c.risk_segment = gs.risk_segment
      LEFT JOIN after_contact ac ON ac.month = m.month AND ac.collector = gs.collector AND ac.risk_segment = gs.risk_segment
)
SELECT (SELECT ar.as_of()) AS as_of, g.month,
       CASE WHEN grouping(g.collector) = 0 THEN 'collector' ELSE 'risk_segment' END AS dimension,
       coalesce(g.collector, g.risk_segment) AS key,
       sum(g.collected) AS collected, sum(g.past_due_at_start) AS past_due_at_start, sum(g.recovered) AS recovered,
       round(sum(g.recovered) / nullif(sum(g.past_due_at_start), 0), 4) AS recovery_rate,
       round(sum(g.contact_days)::numeric / nullif(sum(g.contact_payments), 0), 2) AS avg_days_to_collect_after_contact,
       sum(g.contact_payments) AS payments_after_contact
  FROM grain g
 GROUP BY GROUPING SETS ((g.month, g.collector), (g.month, g.risk_segment))
WITH NO DATA;
CREATE UNIQUE INDEX collections_performance_mv_key ON ar.collections_performance_mv (month, dimension, key);
COMMENT ON MATERIALIZED VIEW ar.collections_performance_mv IS 'Storage of ar.collections_performance; query the plain view.';

CREATE VIEW ar.collections_performance AS SELECT * FROM ar.collections_performance_mv;
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

-- Response rates by channel: a touch got a response when its outcome is recorded and
-- is not one of no answer / no response / voicemail / bounced / left message.
CREATE FUNCTION ar.channel_response_rates_at(as_of date, days integer DEFAULT 90)
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

CREATE VIEW ar.channel_response_rates AS SELECT * FROM ar.channel_response_rates_at((SELECT ar.as_of()), 90);
COMMENT ON VIEW ar.channel_response_rates IS 'Response rates per collector and channel (collector NULL = all collectors) over the 90 days up to the last refresh.';
COMMENT ON COLUMN ar.channel_response_rates.collector IS 'Collector who acted ((none) = not recorded); NULL = all.';
COMMENT ON COLUMN ar.channel_response_rates.channel IS 'email, phone, letter, ...';
COMMENT ON COLUMN ar.channel_response_rates.touches IS 'Activities.';
COMMENT ON COLUMN ar.channel_response_rates.responses IS 'Activities that got a response.';
COMMENT ON COLUMN ar.channel_response_rates.response_rate IS 'responses / touches.';
COMMENT ON COLUMN ar.channel_response_rates.as_of IS 'As-of date.';

-- Cash forecast -----------------------------------------------------------------

-- Each open invoice's expected payment date (docs/collections.md):
--   expected = due_date + the customer's amount-weighted days beyond terms over the
--   last 90 days (3 or more payments then), else over 12 months (1 or more), else 0;
--   an expected date already passed moves to the day after as_of; invoices more than
--   forecast_doubtful_days past due are doubtful and left out of the forecast.
CREATE FUNCTION ar.cash_forecast_items_at(as_of date)
RETURNS TABLE (invoice_id text, customer_id text, due_date date, open_amount numeric, days_beyond_terms integer,
               basis text, expected_date date, doubtful boolean, as_of date)
STABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    WITH stats AS (
        SELECT i.customer_id,
               ar.payment_stats(i.invoice_date, i.due_date, p.payment_date, p.amount) AS s12,
               ar.payment_stats(i.invoice_date, i.due_date, p.payment_date, p.amount) FILTER (WHERE p.payment_date > as_of - 90) AS s90
          FROM ar.payments p JOIN ar.invoices i ON i.invoice_id = p.invoice_id
         WHERE p.payment_date > as_of - 365 AND p.payment_date <= as_of
         GROUP BY i.customer_id
    ), dbt AS (
        SELECT s.customer_id,
               CASE WHEN coalesce(ar.item_count(s.s90), 0) >= 3 THEN ar.avg_days_beyond_terms_weighted(s.s90)
                    ELSE ar.avg_days_beyond_terms_weighted(s.s12) END AS days,
               CASE WHEN coalesce(ar.item_count(s.s90), 0) >= 3 THEN '90 days' ELSE '12 months' END AS basis
          FROM stats s
    )
    SELECT o.invoice_id, o.customer_id, o.due_date, o.open_amount, round(coalesce(d.days, 0))::integer,
           coalesce(d.basis, 'no payments: due date'),
           greatest(o.due_date + round(coalesce(d.days, 0))::integer, as_of + 1),
           o.days_past_due > pol.forecast_doubtful_days, as_of
      FROM ar._open_items_for(as_of) o
      LEFT JOIN dbt d ON d.customer_id = o.customer_id
      CROSS JOIN ar.collections_policy() pol
     WHERE o.open_amount > 0;
END;
COMMENT ON FUNCTION ar.cash_forecast_items_at(date) IS 'Each invoice open on a date with its expected payment date: due date + the customer''s weighted days beyond terms (90 days, else 12 months), not before the next day; doubtful = more than ar.collections_policy().forecast_doubtful_days past due.';

CREATE FUNCTION ar._check_weeks(weeks integer) RETURNS integer
IMMUTABLE PARALLEL SAFE LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF weeks IS NULL OR weeks < 1 OR weeks > 104 THEN
        RAISE EXCEPTION 'ar.cash_forecast: weeks must be between 1 and 104, got %', coalesce(weeks::text, 'NULL')
              USING ERRCODE = 'invalid_parameter_value';
    END IF;
    RETURN weeks;
END $$;
COMMENT ON FUNCTION ar._check_weeks(integer) IS 'Internal: weeks, or an ERROR unless it is between 1 and 104.';

CREATE FUNCTION ar.cash_forecast_at(as_of date, weeks integer DEFAULT 13)
RETURNS TABLE (week integer, week_start date, week_end date, expected_amount numeric, invoices bigint, as_of date)
STABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    SELECT w, cash_forecast_at.as_of + 1 + 7 * (w - 1), cash_forecast_at.as_of + 7 * w, coalesce(sum(f.open_amount), 0), count(f.invoice_id), cash_forecast_at.as_of
      FROM generate_series(1, ar._check_weeks(weeks)) AS w
      LEFT JOIN ar.cash_forecast_items_at(cash_forecast_at.as_of) f
             ON NOT f.doubtful AND f.expected_date BETWEEN cash_forecast_at.as_of + 1 + 7 * (w - 1) AND cash_forecast_at.as_of + 7 * w
     WHERE cash_forecast_at.as_of IS NOT NULL
     GROUP BY w
     ORDER BY w;
END;
COMMENT ON FUNCTION ar.cash_forecast_at(date, integer) IS 'Expected collections per week (week 1 = the 7 days after as_of) for the next weeks (default 13, at most 104) from ar.cash_forecast_items_at; doubtful invoices are left out.';

CREATE MATERIALIZED VIEW ar.cash_forecast_weekly_mv AS SELECT * FROM ar.cash_forecast_at((SELECT ar.as_of()), 13) WITH NO DATA;
CREATE UNIQUE INDEX cash_forecast_weekly_mv_key ON ar.cash_forecast_weekly_mv (week);
COMMENT ON MATERIALIZED VIEW ar.cash_forecast_weekly_mv IS 'Storage of ar.cash_forecast_weekly; query the plain view.';
CREATE VIEW ar.cash_forecast_weekly AS SELECT * FROM ar.cash_forecast_weekly_mv;
COMMENT ON VIEW ar.cash_forecast_weekly IS 'Expected collections per week for the 13 weeks after the last refresh: each open invoice at its due date shifted by its customer''s recent weighted days beyond terms (docs/collections.md).';
COMMENT ON COLUMN ar.cash_forecast_weekly.week IS 'Week number, 1 = the 7 days after as_of.';
COMMENT ON COLUMN ar.cash_forecast_weekly.week_start IS 'First day of the week.';
COMMENT ON COLUMN ar.cash_forecast_weekly.week_end IS 'Last day of the week.';
COMMENT ON COLUMN ar.cash_forecast_weekly.expected_amount IS 'Open amount of the invoices expected to be paid that week.';
COMMENT ON COLUMN ar.cash_forecast_weekly.invoices IS 'Number of those invoices.';
COMMENT ON COLUMN ar.cash_forecast_weekly.as_of IS 'Date of the forecast.';

-- Backtest: the forecast made as of a past date against the cash actually received.
CREATE FUNCTION ar.cash_forecast_backtest(forecast_as_of date, weeks integer DEFAULT 13)
RETURNS TABLE (week integer, week_start date, week_end date, forecast numeric, actual_on_forecast_items numeric,
               actual_all_cash numeric, error numeric, abs_pct_error numeric)
STABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    WITH fc AS (SELECT * FROM ar.cash_forecast_at(forecast_as_of, weeks)),
    items AS (SELECT f.invoice_id FROM ar.cash_forecast_items_at(forecast_as_of) f WHERE NOT f.doubtful),
    actual AS (
        SELECT fc.week, coalesce(sum(p.amount) FILTER (WHERE p.invoice_id IN (SELECT items.invoice_id FROM items)), 0) AS on_items,
               coalesce(sum(p.amount), 0) AS all_cash
          FROM fc LEFT JOIN ar.payments p ON p.payment_date BETWEEN fc.week_start AND fc.week_end
         GROUP BY fc.week
    )
    SELECT fc.week, fc.week_start, fc.week_end, fc.expected_amount, a.on_items, a.all_cash,
           a.on_items - fc.expected_amount, round(abs(a.on_items - fc.expected_amount) / nullif(a.on_items, 0), 4)
      FROM fc JOIN actual a ON a.week = fc.week
     ORDER BY fc.week;
END;
COMMENT ON FUNCTION ar.cash_forecast_backtest(date, integer) IS 'The forecast made as of a past date (from the data dated up to it) against the cash received each week afterwards: on the forecast invoices (the like-for-like figure), and in all. error = actual on forecast invoices - forecast.';

-- Readers ---------------------------------------------------------------------

CREATE OR REPLACE FUNCTION ar.grant_reader(role_name name) RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF role_name IS NULL THEN
        RAISE EXCEPTION 'ar.grant_reader: role_name must not be NULL' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    EXECUTE format('GRANT USAGE ON SCHEMA ar TO %I', role_name);
    EXECUTE format('GRANT SELECT ON ar.customer_health, ar.portfolio_aging, ar.portfolio_kpis_monthly, ar.adtp_trend_monthly, ar.customer_health_history, ar.refresh_log, '
                   'ar.customer_risk, ar.customer_risk_history, ar.rating_changes, ar.early_warnings, ar.segment_risk, '
                   'ar.collections_worklist, ar.dispute_sla, ar.open_disputes, ar.order_hold_recommendations, ar.order_hold_sla, '
                   'ar.promise_kept_rates, ar.promises_status, ar.payment_plan_status, ar.payment_plan_installment_status, '
                   'ar.collections_performance, ar.channel_response_rates, ar.cash_forecast_weekly TO %I', role_name);
END $$;
COMMENT ON FUNCTION ar.grant_reader(name) IS 'Let a role (e.g. a BI tool''s login) read the published views, the health history and the refresh log, and nothing else: no raw tables, no writes.';

-- Demo ------------------------------------------------------------------------

-- ar.generate_demo(replace => true) empties every table holding customer rows; the
-- tables added above reference ar.customers, so they join its TRUNCATE list. The
-- function is patched in place (one changed line) rather than restated.
DO $$
DECLARE
    src text := pg_catalog.pg_get_functiondef('ar.generate_demo(integer, bigint, date, boolean)'::pg_catalog.regprocedure);
    patched text;
BEGIN
    patched := pg_catalog.replace(src, 'ar.demo_profiles, ar.customers RESTART IDENTITY;',
                                  'ar.demo_profiles, ar.payment_plan_installments, ar.payment_plans, ar.collector_assignments, ar.customers RESTART IDENTITY;');
    IF patched OPERATOR(pg_catalog.=) src THEN
        RAISE EXCEPTION 'ar_analytics 0.2.0: could not patch ar.generate_demo (its TRUNCATE list was not found)';
    END IF;
    EXECUTE patched;
END $$;
