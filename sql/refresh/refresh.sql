-- ar.refresh and CALL ar.run_refresh: refresh every view for an as-of date, log the run,
-- snapshot the history (docs/views.md).

-- One entry of ar.refresh_log.views: {"rows": n, "ms": milliseconds since t0}.
CREATE OR REPLACE FUNCTION ar._view_stat(n bigint, t0 timestamptz) RETURNS jsonb
VOLATILE LANGUAGE sql
BEGIN ATOMIC
    SELECT jsonb_build_object('rows', n, 'ms', round(extract(epoch FROM clock_timestamp() - t0)::numeric * 1000, 1));
END;
COMMENT ON FUNCTION ar._view_stat(bigint, timestamptz) IS 'Internal: a {"rows", "ms"} entry for ar.refresh_log.views.';

-- The storage materialized views in refresh order, by stage (ar._refresh runs other steps
-- between them): 1 after the open items and customer health (kept incrementally), 2 after the ADTP trend, 3 after the day's
-- ratings, 4 the weekly accuracy report. Each reads only those before it. The one list,
-- also read by post-update.sql to fill unpopulated storage after an update. A table
-- ar.x_data in it (whose rows all move with the date: the worklist, the order hold
-- recommendations) is emptied and filled from the view ar._x_rows instead (ar._refresh_views).
CREATE OR REPLACE FUNCTION ar._storage_views(stage integer) RETURNS text[]
IMMUTABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    SELECT CASE stage
           WHEN 1 THEN ARRAY['portfolio_aging_mv', 'currency_exposure_mv']
           WHEN 2 THEN ARRAY['portfolio_kpis_monthly_mv']
           WHEN 3 THEN ARRAY['early_warnings_mv', 'collections_worklist_data', 'order_hold_recommendations_data',
                             'promise_kept_rates_mv', 'cash_forecast_weekly_mv', 'cash_forecast_detail_mv', 'expected_write_off_mv',
                             'collections_performance_mv',
                             'channel_response_rates_mv', 'order_hold_sla_mv', 'payment_plan_status_mv',
                             'payment_plan_installment_status_mv', 'dispute_sla_mv', 'open_disputes_mv']
           WHEN 4 THEN ARRAY['cash_forecast_backtest_mv'] END;
END;
COMMENT ON FUNCTION ar._storage_views(integer) IS 'Internal: the storage materialized views (and tables ar.x_data filled from the view ar._x_rows) refreshed at stage 1-4 of ar.refresh, in order.';

-- Refresh materialized views in order (CONCURRENTLY once populated), and empty and fill
-- the storage tables among them (ar.x_data from the view ar._x_rows: a DELETE, so that
-- readers keep the previous rows until the refresh commits, where a TRUNCATE would
-- block them); returns stats with {"rows": n, "ms": t} added per view.
CREATE OR REPLACE FUNCTION ar._refresh_views(views text[], stats jsonb) RETURNS jsonb
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
        IF v LIKE '%\_data' THEN
            EXECUTE format('DELETE FROM ar.%I', v);
            EXECUTE format('INSERT INTO ar.%I SELECT * FROM ar.%I', v, format('_%s_rows', left(v, -length('_data'))));
            GET DIAGNOSTICS n = ROW_COUNT;
        ELSE
            IF (SELECT m.ispopulated FROM pg_matviews m WHERE m.schemaname = 'ar' AND m.matviewname = v) THEN
                EXECUTE format('REFRESH MATERIALIZED VIEW CONCURRENTLY ar.%I', v);
            ELSE
                EXECUTE format('REFRESH MATERIALIZED VIEW ar.%I', v);
            END IF;
            EXECUTE format('SELECT count(*) FROM ar.%I', v) INTO n;
        END IF;
        stats := stats || jsonb_build_object(v, ar._view_stat(n, t0));
    END LOOP;
    RETURN stats;
END $$;
COMMENT ON FUNCTION ar._refresh_views(text[], jsonb) IS 'Internal: refresh ar materialized views in order, CONCURRENTLY once populated (a storage table ar.x_data: emptied and filled from the view ar._x_rows), adding rows and milliseconds per view to stats.';

CREATE OR REPLACE FUNCTION ar.refresh(as_of date DEFAULT current_date, full boolean DEFAULT false) RETURNS text
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    run bigint := ar._begin_refresh(refresh.as_of, NULL);   -- checks as_of (ar._log_run)
BEGIN
    IF run IS NULL THEN
        RETURN 'skipped: another refresh is running';
    END IF;
    RETURN ar._refresh(refresh.as_of, run, coalesce(refresh.full, false));
END $$;

-- Runs whose backend is gone while the row still says running: only CALL ar.run_refresh
-- commits its running row before the work, so only its runs can be left like this.
CREATE OR REPLACE FUNCTION ar._mark_interrupted_runs() RETURNS bigint
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
CREATE OR REPLACE FUNCTION ar._log_run(caller text, as_of date, status text) RETURNS bigint
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
CREATE OR REPLACE FUNCTION ar._begin_refresh(as_of date, run bigint) RETURNS bigint
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

-- Planner statistics of the ar tables the views read, made where they are missing or
-- stale. Autovacuum never analyzes a table of one row (its threshold is 50 rows): the
-- settings tables stayed without statistics, the planner took ar.collections_settings for
-- 625 rows (a page's worth), and the forecast accuracy report of the 20,000-customer demo
-- ran a correlated sub-plan per payment: 385 s instead of 9 (tests/shell/12_shards.sh
-- found it; the benchmarks ran VACUUM ANALYZE first and did not). Likewise right after a
-- bulk load, before autovacuum gets to the new rows. ANALYZE where a table was never
-- analyzed, or more rows changed since than a fifth of it (autovacuum's own threshold is
-- a tenth: this catches only what it has not got to). Not that rule for the tables the
-- refresh writes itself (the stores ar.*_data, the histories, the internal _ tables): a
-- day rewrites a quarter of the health rows (the customers the date moves), which
-- analyzed them every day (0.7 s at 200,000 customers) for statistics that barely move;
-- autovacuum keeps them, and the first two rules still catch a store never analyzed or
-- filled since it was analyzed empty. Tables the refreshing role may not analyze (not
-- their owner) are left to autovacuum. Returns the number of tables analyzed.
CREATE OR REPLACE FUNCTION ar._analyze_stale_tables() RETURNS bigint
VOLATILE LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    t regclass;
    n bigint := 0;
BEGIN
    FOR t IN SELECT c.oid::regclass
               FROM pg_class c LEFT JOIN pg_stat_all_tables st ON st.relid = c.oid
              WHERE c.relnamespace = 'ar'::regnamespace AND c.relkind = 'r'
                AND c.relname NOT LIKE 'stage\_%' AND c.relname NOT IN ('sync_rejects', 'sync_batches', 'refresh_log')
                AND pg_has_role(c.relowner, 'MEMBER')
                -- never analyzed (reltuples -1: even an empty table is then planned as 10
                -- pages of rows), or rows where none were recorded; from the catalog and
                -- the file (the activity statistics lag up to a second behind a load)
                AND (c.reltuples < 0 OR (c.relpages = 0 AND pg_relation_size(c.oid) > 0)
                     OR (st.n_mod_since_analyze > 1000 + 0.2 * greatest(c.reltuples, 0)
                         AND c.relname NOT LIKE '%\_data' AND c.relname NOT LIKE '%\_history' AND c.relname NOT LIKE '\_%'))
              ORDER BY c.relname LOOP
        EXECUTE format('ANALYZE %s', t);
        n := n + 1;
    END LOOP;
    RETURN n;
END $$;
COMMENT ON FUNCTION ar._analyze_stale_tables() IS 'Internal (ar.refresh): ANALYZE the ar tables never analyzed, or with rows where none were recorded, or (the tables loaded by users, not those the refresh writes) changed by more than a fifth since; returns how many.';

-- The work of a refresh, logged in row run. Everything it does is undone on failure.
CREATE OR REPLACE FUNCTION ar._refresh(as_of date, run bigint, rebuild boolean) RETURNS text
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
-- JIT compiles these wide queries for over a second each and wins nothing back (measured).
SET jit = off
-- The memory of each sort and hash of the refresh, whatever the calling session's (the
-- server's default, 4MB, spills the payment behaviour's and other hashes to disk: the
-- realistic day at 200,000 customers 34.8-36.2 s instead of 31.9-32.7 s): the setting
-- the benchmark's peak memory is measured with (docs/views.md). Restored on return.
SET work_mem = '64MB'
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
    stale boolean;
    changes record;
BEGIN
    BEGIN
        INSERT INTO ar.settings (as_of) VALUES (_refresh.as_of)
            ON CONFLICT (singleton) DO UPDATE SET as_of = excluded.as_of;
        t0 := clock_timestamp();
        view_stats := view_stats || jsonb_build_object('table_statistics', ar._view_stat(ar._analyze_stale_tables(), t0));
        -- The customers changed since the last refresh (noted by triggers), for every
        -- store kept per customer; a note for all (a TRUNCATE, a rate) rebuilds them all.
        SELECT * INTO changes FROM ar._take_customer_changes();
        -- full => true rebuilds the ADTP trend too (it keeps a change log of its own):
        -- a note for all, as a TRUNCATE writes, taken by ar._refresh_adtp_trend below
        IF rebuild THEN
            INSERT INTO ar._adtp_trend_changes VALUES (NULL);
        END IF;
        rebuild := rebuild OR changes.everything;
        IF rebuild THEN   -- the early warnings walk back the history (their kept runs unread)
            DELETE FROM ar._store_state WHERE store = 'early_warning_runs';
        END IF;
        -- First the promise statuses (health rows, ratings, warnings, worklist, promise
        -- views), then the open items and customer health of the day, read by the views
        -- after them: only the customers changed or moved by the date (all with full).
        view_stats := view_stats || ar._refresh_stores(_refresh.as_of, rebuild, changes.customers, true, changes.ledger_customers, changes.ledger_since,
                                                  changes.performance_customers, changes.performance_since);
        view_stats := view_stats || ar._refresh_customer_state(_refresh.as_of, rebuild, changes.customers, changes.invoices);
        -- The other stores kept per customer, which read the open items: the month-end
        -- ledger's entries (monthly KPIs), the collections performance figures, the open
        -- items per currency and aging bucket (portfolio aging, currency exposure).
        view_stats := view_stats || ar._refresh_stores(_refresh.as_of, rebuild, changes.customers, false, changes.ledger_customers, changes.ledger_since,
                                                  changes.performance_customers, changes.performance_since);
        view_stats := ar._refresh_views(ar._storage_views(1), view_stats);
        -- The ADTP trend: only the customers whose rows changed; then the
        -- monthly KPIs, which roll up its summaries.
        t0 := clock_timestamp();
        view_stats := view_stats || jsonb_build_object('adtp_trend_monthly', ar._view_stat(ar._refresh_adtp_trend(_refresh.as_of), t0));
        view_stats := ar._refresh_views(ar._storage_views(2), view_stats);

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
        -- The payment outlook model the forecast reads: refitted weekly (docs/collections.md).
        t0 := clock_timestamp();
        view_stats := view_stats || jsonb_build_object('payment_model', ar._view_stat(ar._store_payment_model(_refresh.as_of), t0));
        -- The outlook's cells of the day, computed once for the three forecast views.
        t0 := clock_timestamp();
        view_stats := view_stats || jsonb_build_object('outlook_cells', ar._view_stat(ar._store_outlook_cells(_refresh.as_of), t0));
        -- The collections performance's totals regrouped by the day's ratings and collectors.
        t0 := clock_timestamp();
        view_stats := view_stats || jsonb_build_object('collections_performance_groups', ar._view_stat(ar._store_performance_groups(), t0));
        view_stats := ar._refresh_views(ar._storage_views(3), view_stats);
        -- the runs of the day's warnings, read by the next refresh's (sql/risk/early_warnings.sql)
        t0 := clock_timestamp();
        view_stats := view_stats || jsonb_build_object('early_warning_runs', ar._view_stat(ar._store_early_warning_runs(_refresh.as_of), t0));
        -- The forecast accuracy report (a backtest: two as-of computations of the past,
        -- a fifth of the daily refresh) is recomputed weekly: when its forecast date is
        -- a week or more older than as_of - 91 days, or later (a backwards move), or it
        -- is empty or in another currency (docs/collections.md).
        -- (two statements: an unpopulated storage cannot be read, not even by an EXISTS)
        stale := NOT (SELECT m.ispopulated FROM pg_matviews m WHERE m.schemaname = 'ar' AND m.matviewname = 'cash_forecast_backtest_mv');
        IF NOT stale THEN
            stale := NOT EXISTS (SELECT FROM ar.cash_forecast_backtest_mv b
                                  WHERE b.forecast_as_of BETWEEN _refresh.as_of - 97 AND _refresh.as_of - 91
                                    AND b.currency = (SELECT ar.reporting_currency()));
        END IF;
        IF stale THEN
            view_stats := ar._refresh_views(ar._storage_views(4), view_stats);
        END IF;

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
COMMENT ON FUNCTION ar.refresh(date, boolean) IS 'Refresh every ar view as of a date (default current_date): the customer-level state only for the customers changed or moved by the date since the last refresh (every customer with full => true), the other views CONCURRENTLY; snapshot ar.customer_health into the history (replacing that day, backfilling missed days), and log the run in ar.refresh_log. A concurrent second call returns at once (status skipped). A failure is logged and returned as ''failed: ...'' with a WARNING; the views keep their previous data. Its log row commits with the refresh: a backend killed mid-refresh leaves none; CALL ar.run_refresh for a log that survives crashes.';

-- A procedure, so it can commit the 'running' row before the work: if the backend
-- dies mid-refresh that row stays, and the next refresh marks it interrupted.
-- Procedures that COMMIT cannot have a SET clause, so search_path is pinned with
-- set_config in each of its transactions, and every name is schema-qualified.
CREATE OR REPLACE PROCEDURE ar.run_refresh(as_of date DEFAULT current_date, full boolean DEFAULT false)
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
        result := ar._refresh(run_refresh.as_of, run, coalesce(run_refresh.full, false));
        RAISE NOTICE 'ar.run_refresh: %', result;
    END IF;
    COMMIT;
END $$;
COMMENT ON PROCEDURE ar.run_refresh(date, boolean) IS 'Crash-safe refresh, for the scheduled job and scripts: commits a ''running'' row in ar.refresh_log first, then refreshes every view (as ar.refresh does) in one REPEATABLE READ transaction. If the backend dies mid-refresh, the views keep the previous data and the next refresh marks the row interrupted. Run it outside an explicit transaction block.';
COMMENT ON FUNCTION ar._refresh(date, bigint, boolean) IS 'Internal: the work of ar.refresh and ar.run_refresh, logged in ar.refresh_log row run.';
