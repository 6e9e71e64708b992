-- pg_temp.timeit(query, runs): median, min and max milliseconds of `runs` executions
-- (server-side: planning + execution) and the row count. `WHERE x IS NOT NULL` is a
-- whole-row test, so the planner cannot skip computing any output column.
CREATE FUNCTION pg_temp.timeit(q text, runs int) RETURNS TABLE (median_ms numeric, min_ms numeric, max_ms numeric, nrows bigint)
LANGUAGE plpgsql AS $$
DECLARE t0 timestamptz; ms numeric[] := '{}'; n bigint;
BEGIN
    FOR i IN 1..runs LOOP
        t0 := clock_timestamp();
        EXECUTE format('SELECT count(*) FROM (%s) x WHERE x IS NOT NULL', q) INTO n;
        ms := ms || round(extract(epoch FROM clock_timestamp() - t0)::numeric * 1000, 3);
    END LOOP;
    RETURN QUERY SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY m), min(m), max(m), n FROM unnest(ms) m;
END $$;
