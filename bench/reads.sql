-- Read latency of what a BI tool asks, server-side (planning + execution), median of :runs.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
\ir timeit.sql
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
SELECT '| one collector''s due worklist (top 50) | ' || median_ms || ' | ' || min_ms || '–' || max_ms || ' |'
  FROM pg_temp.timeit(format('SELECT * FROM ar.collections_worklist WHERE status = ''due'' AND collector = %L ORDER BY priority_rank LIMIT 50',
                             (SELECT min(collector) FROM ar.customers)), :runs);
SELECT '| 13-week cash forecast | ' || median_ms || ' | ' || min_ms || '–' || max_ms || ' |'
  FROM pg_temp.timeit('SELECT * FROM ar.cash_forecast_weekly ORDER BY week', :runs);
SELECT '| one customer''s message (ar.render_message) | ' || median_ms || ' | ' || min_ms || '–' || max_ms || ' |'
  FROM pg_temp.timeit(format('SELECT ar.render_message(%L, %L, ar.as_of())', '{{customer_name}}: {{total_past_due}} on {{invoice_numbers}}', (SELECT min(customer_id) FROM ar.customers)), :runs);
SELECT '| order hold recommendations (all rows) | ' || median_ms || ' | ' || min_ms || '–' || max_ms || ' |'
  FROM pg_temp.timeit('SELECT * FROM ar.order_hold_recommendations', :runs);
SELECT '| dispute SLA (plain view) | ' || median_ms || ' | ' || min_ms || '–' || max_ms || ' |'
  FROM pg_temp.timeit('SELECT * FROM ar.dispute_sla', :runs);
SELECT '| promise-kept rates per collector | ' || median_ms || ' | ' || min_ms || '–' || max_ms || ' |'
  FROM pg_temp.timeit('SELECT * FROM ar.promise_kept_rates WHERE dimension = ''collector''', :runs);

