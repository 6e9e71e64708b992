-- pg_temp.timeit_interleaved(variants, queries, runs): median, min and max milliseconds
-- of `runs` executions of each query (server-side: planning + execution) and its row
-- count. The queries run in turn — one untimed round first to load the caches, then
-- `runs` timed rounds of every query — so that a slow spell of a shared machine hits
-- every variant alike and the ratios between them stay fair. `WHERE x IS NOT NULL` is
-- a whole-row test, so the planner cannot skip computing any output column.
CREATE FUNCTION pg_temp.timeit_interleaved(variants text[], qs text[], runs int)
RETURNS TABLE (variant text, median_ms numeric, min_ms numeric, max_ms numeric, nrows bigint)
LANGUAGE plpgsql AS $$
DECLARE t0 timestamptz; ks int[] := '{}'; ms numeric[] := '{}'; n bigint[] := '{}'; c bigint;
BEGIN
    FOR r IN 0..runs LOOP
        FOR k IN 1..cardinality(qs) LOOP
            t0 := clock_timestamp();
            EXECUTE format('SELECT count(*) FROM (%s) x WHERE x IS NOT NULL', qs[k]) INTO c;
            IF r > 0 THEN
                ks := ks || k;
                ms := ms || round(extract(epoch FROM clock_timestamp() - t0)::numeric * 1000, 3);
                n[k] := c;
            END IF;
        END LOOP;
    END LOOP;
    RETURN QUERY
    SELECT variants[x.k], percentile_disc(0.5) WITHIN GROUP (ORDER BY x.m), min(x.m), max(x.m), n[x.k]
      FROM unnest(ks, ms) AS x(k, m) GROUP BY x.k ORDER BY x.k;
END $$;

-- pg_temp.timeit(query, runs): the same for one query.
CREATE FUNCTION pg_temp.timeit(q text, runs int) RETURNS TABLE (median_ms numeric, min_ms numeric, max_ms numeric, nrows bigint)
LANGUAGE sql AS $$
    SELECT t.median_ms, t.min_ms, t.max_ms, t.nrows FROM pg_temp.timeit_interleaved(ARRAY[''], ARRAY[q], runs) t;
$$;
