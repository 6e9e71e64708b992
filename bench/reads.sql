-- Read latency of what a BI tool asks, server-side (planning + execution), median of :runs.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
CREATE FUNCTION pg_temp.timeit(q text, runs int) RETURNS TABLE (median_ms numeric, min_ms numeric, max_ms numeric)
LANGUAGE plpgsql AS $$
DECLARE t0 timestamptz; ms numeric[] := '{}'; n bigint;
BEGIN
    FOR i IN 1..runs LOOP
        t0 := clock_timestamp();
        EXECUTE format('SELECT count(*) FROM (%s) x WHERE x IS NOT NULL', q) INTO n;
        ms := ms || round(extract(epoch FROM clock_timestamp() - t0)::numeric * 1000, 3);
    END LOOP;
    RETURN QUERY SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY m), min(m), max(m) FROM unnest(ms) m;
END $$;
\pset format unaligned
\pset tuples_only on
SELECT '| one customer''s health row | ' || median_ms || ' | ' || min_ms || '–' || max_ms || ' |'
  FROM pg_temp.timeit(format('SELECT * FROM ar.customer_health WHERE customer_id = %L', (SELECT min(customer_id) FROM ar.customers)), :runs);
SELECT '| portfolio aging chart | ' || median_ms || ' | ' || min_ms || '–' || max_ms || ' |'
  FROM pg_temp.timeit('SELECT segment, bucket, amount FROM ar.portfolio_aging ORDER BY segment, bucket_order', :runs);
SELECT '| monthly KPI table (all segments) | ' || median_ms || ' | ' || min_ms || '–' || max_ms || ' |'
  FROM pg_temp.timeit('SELECT * FROM ar.portfolio_kpis_monthly WHERE segment = ''All segments'' ORDER BY month', :runs);
SELECT '| one customer''s ADTP trend | ' || median_ms || ' | ' || min_ms || '–' || max_ms || ' |'
  FROM pg_temp.timeit(format('SELECT * FROM ar.adtp_trend_monthly WHERE customer_id = %L ORDER BY month', (SELECT min(customer_id) FROM ar.customers)), :runs);
