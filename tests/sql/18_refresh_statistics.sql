-- A refresh right after a bulk load plans on real statistics (sql/refresh/refresh.sql,
-- ar._analyze_stale_tables): the tables never analyzed, or changed by more than a fifth
-- since, are analyzed first. Autovacuum is switched off for two tables here so that only
-- the refresh can analyze them.
CREATE FUNCTION pg_temp._explain_json(q text) RETURNS json LANGUAGE plpgsql AS $$ DECLARE r json; BEGIN EXECUTE 'EXPLAIN (FORMAT JSON) ' || q INTO r; RETURN r; END $$;
SELECT t.ok((SELECT (x -> 0 -> 'Plan' ->> 'Plan Rows')::numeric FROM (SELECT pg_temp._explain_json('SELECT * FROM ar.collections_settings') AS x) e) > 1,
            'before any refresh the planner takes the one-row ar.collections_settings for more rows (no statistics)');
ALTER TABLE ar.invoices SET (autovacuum_enabled = false);
ALTER TABLE ar.promises SET (autovacuum_enabled = false);
SELECT ar.generate_demo(customers => 60, seed => 3, as_of => '2026-06-30');
SELECT t.eq((SELECT count(*) FROM pg_stat_user_tables WHERE schemaname = 'ar' AND relname IN ('invoices', 'promises') AND last_analyze IS NOT NULL),
            0::bigint, 'after the load, invoices and promises were never analyzed');
SELECT ar.refresh('2026-06-30');
SELECT t.eq((SELECT count(*) FROM pg_stat_user_tables WHERE schemaname = 'ar' AND relname IN ('invoices', 'promises') AND last_analyze IS NOT NULL),
            2::bigint, 'the first refresh analyzed both before computing');
SELECT t.ok(((SELECT views FROM ar.refresh_log ORDER BY run_id DESC LIMIT 1) -> 'table_statistics' ->> 'rows')::int >= 2,
            'the refresh log counts the tables analyzed (entry table_statistics)');
SELECT t.ok((SELECT reltuples FROM pg_class WHERE oid = 'ar.invoices'::regclass) = (SELECT count(*) FROM ar.invoices),
            'the planner now knows how many invoices there are');
-- a one-row settings table, which autovacuum never analyzes (threshold 50 rows): taken for a
-- page's worth of rows before, 1 row now
SELECT t.eq((SELECT (x -> 0 -> 'Plan' ->> 'Plan Rows')::numeric FROM (SELECT pg_temp._explain_json('SELECT * FROM ar.collections_settings') AS x) e),
            1::numeric, 'the planner estimates ar.collections_settings at its one row');
-- once analyzed and little changed, nothing is analyzed again (the second refresh may still
-- analyze the history it wrote in the first). This backend's row counts reach the activity
-- statistics at most once a second unless forced: forced after each refresh.
SELECT pg_stat_force_next_flush();
SELECT ar.refresh('2026-06-30');
SELECT pg_stat_force_next_flush();
SELECT ar.refresh('2026-06-30');
SELECT t.eq(((SELECT views FROM ar.refresh_log ORDER BY run_id DESC LIMIT 1) -> 'table_statistics' ->> 'rows')::int, 0,
            'a refresh after no load analyzes nothing');
-- The tables the refresh writes itself are left to autovacuum however much they changed
-- (0.14.0: the health rows, a quarter rewritten a day at scale, were analyzed daily):
-- 1,500 rows in and out of the stored health rows are 3,000 changes, over the rule's
-- 1,000 + a fifth of 60; before, this refresh analyzed that table (1 table, not 0).
ALTER TABLE ar.customer_health_data SET (autovacuum_enabled = false);
INSERT INTO ar.customer_health_data (customer_id, as_of) SELECT 'Z' || g, date '2026-06-30' FROM generate_series(1, 1500) g;
DELETE FROM ar.customer_health_data WHERE customer_id LIKE 'Z%';
SELECT pg_stat_force_next_flush();
SELECT t.ok((SELECT n_mod_since_analyze FROM pg_stat_user_tables WHERE schemaname = 'ar' AND relname = 'customer_health_data') >= 3000,
            'the stored health rows changed 3,000 times since analyzed');
SELECT ar.refresh('2026-06-30');
SELECT t.eq(((SELECT views FROM ar.refresh_log ORDER BY run_id DESC LIMIT 1) -> 'table_statistics' ->> 'rows')::int, 0,
            'a store the refresh writes is not analyzed by the refresh however much it changed');
ALTER TABLE ar.customer_health_data RESET (autovacuum_enabled);
ALTER TABLE ar.invoices RESET (autovacuum_enabled);
ALTER TABLE ar.promises RESET (autovacuum_enabled);

-- The refresh's statements run with work_mem = 64MB whatever the session's (0.21.0, a SET
-- on ar._refresh; docs/views.md): seen from inside, by a trigger on the refresh log row
-- the refresh updates at its end; the session's own value is back afterwards.
CREATE TABLE t.seen_work_mem (value text);
CREATE FUNCTION t.note_work_mem() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN INSERT INTO t.seen_work_mem VALUES (current_setting('work_mem')); RETURN NULL; END $$;
CREATE TRIGGER t_note_work_mem AFTER UPDATE ON ar.refresh_log FOR EACH ROW EXECUTE FUNCTION t.note_work_mem();
SET work_mem = '1MB';
SELECT t.eq(ar.refresh('2026-07-02') LIKE 'succeeded%', true, 'a refresh from a session with work_mem = 1MB succeeds');
SELECT t.eq((SELECT string_agg(DISTINCT value, ',') FROM t.seen_work_mem), '64MB', 'its statements ran with work_mem = 64MB');
SELECT t.eq(current_setting('work_mem'), '1MB', 'and the session''s work_mem is 1MB again after it');
RESET work_mem;
DROP TRIGGER t_note_work_mem ON ar.refresh_log;
