-- The daily refresh scheduled with pg_cron (docs/views.md).
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

CREATE OR REPLACE FUNCTION ar.unschedule_daily_refresh() RETURNS boolean
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
COMMENT ON FUNCTION ar.schedule_daily_refresh(text) IS 'Schedule CALL ar.run_refresh() (crash-safe log, one REPEATABLE READ snapshot) with pg_cron (job ar_analytics_daily_refresh; schedule in UTC, default 02:15) in this database; calling again updates the job. Errors with a HINT when pg_cron is not installed here.';
