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

-- pg_temp.timeit_interleaved(variants, queries, runs): the same, for several queries run
-- in turn (one untimed round first to load the caches, then `runs` timed rounds of
-- every query), so that a slow spell of a shared machine hits every variant alike
-- and the ratios between them stay fair.
CREATE FUNCTION pg_temp.timeit_interleaved(variants text[], qs text[], runs int)
RETURNS TABLE (variant text, median_ms numeric, min_ms numeric, max_ms numeric, nrows bigint)
LANGUAGE plpgsql AS $$
DECLARE t0 timestamptz; ms numeric[] := '{}'; n bigint[] := '{}'; c bigint;
BEGIN
    FOR r IN 0..runs LOOP
        FOR k IN 1..cardinality(qs) LOOP
            t0 := clock_timestamp();
            EXECUTE format('SELECT count(*) FROM (%s) x WHERE x IS NOT NULL', qs[k]) INTO c;
            IF r > 0 THEN
                ms := ms || round(extract(epoch FROM clock_timestamp() - t0)::numeric * 1000, 3);
                n := n || c;
            END IF;
        END LOOP;
    END LOOP;
    RETURN QUERY
    SELECT variants[k], percentile_disc(0.5) WITHIN GROUP (ORDER BY ms[(r - 1) * cardinality(qs) + k]),
           min(ms[(r - 1) * cardinality(qs) + k]), max(ms[(r - 1) * cardinality(qs) + k]), max(n[(r - 1) * cardinality(qs) + k])
      FROM generate_series(1, cardinality(qs)) k, generate_series(1, runs) r
     GROUP BY k;
END $$;
