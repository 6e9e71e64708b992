-- ar.refresh: refresh every view for an as-of date, log the run, snapshot the history.

CREATE TABLE ar.refresh_log (
    run_id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    started_at      timestamptz NOT NULL DEFAULT clock_timestamp(),
    finished_at     timestamptz,
    as_of           date NOT NULL,
    status          text NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'skipped')),
    views           jsonb,
    backfilled_days integer,
    error           text,
    run_by          text NOT NULL DEFAULT current_user,
    isolation       text NOT NULL DEFAULT current_setting('transaction_isolation')
);
COMMENT ON TABLE ar.refresh_log IS 'One row per call of ar.refresh: when, for which as-of date, outcome, rows and milliseconds per view, days backfilled into the history, and the error of a failed run.';
COMMENT ON COLUMN ar.refresh_log.run_id IS 'Generated identifier.';
COMMENT ON COLUMN ar.refresh_log.started_at IS 'When the run started.';
COMMENT ON COLUMN ar.refresh_log.finished_at IS 'When it ended (NULL while running).';
COMMENT ON COLUMN ar.refresh_log.as_of IS 'As-of date refreshed.';
COMMENT ON COLUMN ar.refresh_log.status IS 'succeeded, failed (views keep the previous data), skipped (another refresh was running) or running.';
COMMENT ON COLUMN ar.refresh_log.views IS 'Per view: {"rows": n, "ms": t}.';
COMMENT ON COLUMN ar.refresh_log.backfilled_days IS 'Missing days whose history snapshots were backfilled.';
COMMENT ON COLUMN ar.refresh_log.error IS 'SQLSTATE and message of a failed run.';
COMMENT ON COLUMN ar.refresh_log.run_by IS 'Database role that ran the refresh.';
COMMENT ON COLUMN ar.refresh_log.isolation IS 'Transaction isolation of the run: repeatable read = every view from one snapshot; read committed = each view from its own.';
SELECT pg_catalog.pg_extension_config_dump('ar.refresh_log', '');
SELECT pg_catalog.pg_extension_config_dump(pg_catalog.pg_get_serial_sequence('ar.refresh_log', 'run_id')::regclass, '');

-- One entry of ar.refresh_log.views: {"rows": n, "ms": milliseconds since t0}.
CREATE FUNCTION ar._view_stat(n bigint, t0 timestamptz) RETURNS jsonb
VOLATILE LANGUAGE sql
BEGIN ATOMIC
    SELECT jsonb_build_object('rows', n, 'ms', round(extract(epoch FROM clock_timestamp() - t0)::numeric * 1000, 1));
END;
COMMENT ON FUNCTION ar._view_stat(bigint, timestamptz) IS 'Internal: a {"rows", "ms"} entry for ar.refresh_log.views.';

-- Refresh materialized views in order (CONCURRENTLY once populated); returns
-- stats with {"rows": n, "ms": t} added per view.
CREATE FUNCTION ar._refresh_views(views text[], stats jsonb) RETURNS jsonb
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v text;
    n bigint;
    t0 timestamptz;
BEGIN
    FOREACH v IN ARRAY views LOOP
        t0 := clock_timestamp();
        IF (SELECT m.ispopulated FROM pg_matviews m WHERE m.schemaname = 'ar' AND m.matviewname = v) THEN
            EXECUTE format('REFRESH MATERIALIZED VIEW CONCURRENTLY ar.%I', v);
        ELSE
            EXECUTE format('REFRESH MATERIALIZED VIEW ar.%I', v);
        END IF;
        EXECUTE format('SELECT count(*) FROM ar.%I', v) INTO n;
        stats := stats || jsonb_build_object(v, ar._view_stat(n, t0));
    END LOOP;
    RETURN stats;
END $$;
COMMENT ON FUNCTION ar._refresh_views(text[], jsonb) IS 'Internal: refresh ar materialized views in order, CONCURRENTLY once populated, adding rows and milliseconds per view to stats.';

CREATE FUNCTION ar.refresh(as_of date DEFAULT current_date) RETURNS text
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
-- JIT compiles these wide queries for over a second each and wins nothing back (measured).
SET jit = off
AS $$
DECLARE
    run bigint;
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
    IF as_of IS NULL OR NOT isfinite(as_of) THEN
        RAISE EXCEPTION 'ar.refresh: as_of must be a finite date, got %', coalesce(as_of::text, 'NULL')
              USING ERRCODE = 'invalid_parameter_value';
    END IF;
    -- One refresh at a time (per database): a second call returns at once.
    IF NOT pg_try_advisory_xact_lock(1634890337, 1) THEN
        RAISE NOTICE 'ar.refresh: another refresh is running; this call returns without refreshing';
        INSERT INTO ar.refresh_log (as_of, status, finished_at) VALUES (refresh.as_of, 'skipped', clock_timestamp());
        RETURN 'skipped: another refresh is running';
    END IF;
    INSERT INTO ar.refresh_log (as_of, status) VALUES (refresh.as_of, 'running') RETURNING run_id INTO run;
    IF current_setting('transaction_isolation') = 'read committed' THEN
        RAISE NOTICE 'ar.refresh: under READ COMMITTED each view is refreshed from its own snapshot; for one consistent snapshot run it as BEGIN ISOLATION LEVEL REPEATABLE READ; SELECT ar.refresh(...); COMMIT; (the scheduled job does)';
    END IF;
    BEGIN
        INSERT INTO ar.settings (as_of) VALUES (refresh.as_of)
            ON CONFLICT (singleton) DO UPDATE SET as_of = excluded.as_of;
        view_stats := ar._refresh_views(ARRAY['customer_health_mv', 'portfolio_aging_mv', 'portfolio_kpis_monthly_mv', 'adtp_trend_monthly_mv'], view_stats);

        -- History: backfill the days missed since the latest earlier snapshot (pg_cron
        -- does not replay runs missed while the server was down), at most backfill_limit days.
        t0 := clock_timestamp();
        SELECT s.backfill_limit INTO limit_days FROM ar.settings s;   -- the row exists: inserted above
        SELECT max(h.as_of) INTO last_snapshot FROM ar.customer_health_history h WHERE h.as_of < refresh.as_of;
        IF last_snapshot IS NOT NULL THEN
            FOR d IN SELECT g::date FROM generate_series(greatest(last_snapshot + 1, refresh.as_of - limit_days)::timestamp,
                                                         (refresh.as_of - 1)::timestamp, interval '1 day') g LOOP
                DELETE FROM ar.customer_health_history h WHERE h.as_of = d;
                INSERT INTO ar.customer_health_history SELECT * FROM ar.customer_health_at(d);
                PERFORM ar._store_ratings(d);
                backfilled := backfilled + 1;
            END LOOP;
        END IF;
        DELETE FROM ar.customer_health_history h WHERE h.as_of = refresh.as_of;
        INSERT INTO ar.customer_health_history SELECT * FROM ar.customer_health_mv;
        GET DIAGNOSTICS n = ROW_COUNT;
        view_stats := view_stats || jsonb_build_object('customer_health_history', ar._view_stat(n, t0));
        -- Ratings of the day (kept daily: dynamic ratings), then the views that read them.
        t0 := clock_timestamp();
        view_stats := view_stats || jsonb_build_object('customer_risk_history', ar._view_stat(ar._store_ratings(refresh.as_of), t0));
        view_stats := ar._refresh_views(ARRAY['customer_risk_mv', 'early_warnings_mv'], view_stats);

        UPDATE ar.refresh_log SET status = 'succeeded', finished_at = clock_timestamp(), views = view_stats,
                                  backfilled_days = backfilled
         WHERE run_id = run;
        RETURN format('succeeded: as of %s, %s customers%s', refresh.as_of, view_stats -> 'customer_health_mv' ->> 'rows',
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
COMMENT ON FUNCTION ar.refresh(date) IS 'Refresh every ar view as of a date (default current_date) CONCURRENTLY, snapshot ar.customer_health into the history (replacing that day, backfilling missed days), and log the run in ar.refresh_log. A concurrent second call returns at once (status skipped). A failure is logged and returned as ''failed: ...'' with a WARNING; the views keep their previous data.';

CREATE FUNCTION ar.schedule_daily_refresh(cron text DEFAULT '15 2 * * *') RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    job bigint;
BEGIN
    IF NOT EXISTS (SELECT FROM pg_extension WHERE extname = 'pg_cron') THEN
        RAISE EXCEPTION 'ar.schedule_daily_refresh: pg_cron is not installed in database %', current_database()
              USING ERRCODE = 'undefined_object',
                    HINT = format('Install the postgresql-15-cron package, set shared_preload_libraries = ''pg_cron'' and cron.database_name = %L in postgresql.conf, restart PostgreSQL, then CREATE EXTENSION pg_cron in this database. If pg_cron already lives in another database, run there: SELECT cron.schedule_in_database(''ar_analytics_daily_refresh'', ''15 2 * * *'', ''SELECT ar.refresh()'', %L);',
                                  current_database(), current_database());
    END IF;
    IF cron IS NULL THEN
        RAISE EXCEPTION 'ar.schedule_daily_refresh: cron must not be NULL' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    -- cron.schedule with a job name updates the job of that name: calling again is idempotent.
    -- One REPEATABLE READ transaction: every view is refreshed from the same snapshot.
    EXECUTE format('SELECT cron.schedule(%L, %L, %L)', 'ar_analytics_daily_refresh', cron,
                   'BEGIN ISOLATION LEVEL REPEATABLE READ; SELECT ar.refresh(); COMMIT;') INTO job;
    RETURN job;
END $$;
COMMENT ON FUNCTION ar.schedule_daily_refresh(text) IS 'Schedule SELECT ar.refresh() (in a REPEATABLE READ transaction) with pg_cron (job ar_analytics_daily_refresh; schedule in UTC, default 02:15) in this database; calling again updates the job. Errors with a HINT when pg_cron is not installed here.';

CREATE FUNCTION ar.unschedule_daily_refresh() RETURNS boolean
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    found boolean;
BEGIN
    IF NOT EXISTS (SELECT FROM pg_extension WHERE extname = 'pg_cron') THEN
        RAISE EXCEPTION 'ar.unschedule_daily_refresh: pg_cron is not installed in database %', current_database()
              USING ERRCODE = 'undefined_object';
    END IF;
    EXECUTE format('SELECT EXISTS (SELECT FROM cron.job WHERE jobname = %L)', 'ar_analytics_daily_refresh') INTO found;
    IF found THEN
        EXECUTE format('SELECT cron.unschedule(%L)', 'ar_analytics_daily_refresh');
    END IF;
    RETURN found;
END $$;
COMMENT ON FUNCTION ar.unschedule_daily_refresh() IS 'Remove the ar_analytics_daily_refresh pg_cron job; returns whether there was one.';

CREATE FUNCTION ar.grant_reader(role_name name) RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF role_name IS NULL THEN
        RAISE EXCEPTION 'ar.grant_reader: role_name must not be NULL' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    EXECUTE format('GRANT USAGE ON SCHEMA ar TO %I', role_name);
    EXECUTE format('GRANT SELECT ON ar.customer_health, ar.portfolio_aging, ar.portfolio_kpis_monthly, ar.adtp_trend_monthly, ar.customer_health_history, ar.refresh_log, '
                   'ar.customer_risk, ar.customer_risk_history, ar.rating_changes, ar.early_warnings, ar.segment_risk TO %I', role_name);
END $$;
COMMENT ON FUNCTION ar.grant_reader(name) IS 'Let a role (e.g. a BI tool''s login) read the published views, the health history and the refresh log, and nothing else: no raw tables, no writes.';
