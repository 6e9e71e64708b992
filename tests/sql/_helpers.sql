-- Assertion helpers for the SQL test files. Each passing check prints a NOTICE
-- "ok: <label>"; a failing one raises, and the runner counts the file as failed.
CREATE SCHEMA t;

CREATE FUNCTION t.eq(actual anyelement, expected anyelement, label text) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    IF actual IS DISTINCT FROM expected THEN
        RAISE EXCEPTION 'FAILED: % -- expected %, got %', label, expected, actual;
    END IF;
    RAISE NOTICE 'ok: %', label;
END $$;

CREATE FUNCTION t.ok(cond boolean, label text) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    IF cond IS NOT TRUE THEN
        RAISE EXCEPTION 'FAILED: %', label;
    END IF;
    RAISE NOTICE 'ok: %', label;
END $$;

-- Run sql and expect an ERROR with this SQLSTATE whose message matches the LIKE pattern.
CREATE FUNCTION t.raises(sql text, sqlstate text, message_like text, label text) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    got_state text;
    got_msg text;
BEGIN
    BEGIN
        EXECUTE sql;
    EXCEPTION WHEN OTHERS THEN
        GET STACKED DIAGNOSTICS got_state = RETURNED_SQLSTATE, got_msg = MESSAGE_TEXT;
    END;
    IF got_state IS NULL THEN
        RAISE EXCEPTION 'FAILED: % -- expected ERROR % but the statement succeeded: %', label, sqlstate, sql;
    END IF;
    IF got_state <> sqlstate OR got_msg NOT LIKE message_like THEN
        RAISE EXCEPTION 'FAILED: % -- expected ERROR % like "%", got % "%"', label, sqlstate, message_like, got_state, got_msg;
    END IF;
    IF got_msg ILIKE '%panic%' OR got_msg ILIKE '%unwrap%' THEN
        RAISE EXCEPTION 'FAILED: % -- error text looks like a Rust panic: %', label, got_msg;
    END IF;
    RAISE NOTICE 'ok: %', label;
END $$;

-- The incrementally kept state (docs/views.md, "Incremental refresh"): per part, the rows
-- that differ from a recomputation from the definitions (both ways, as text, so 1.0 <>
-- 1.00); 'open items 0, health 0, ...' when it all equals. tests/sql/20_incremental_refresh.sql
-- and tests/shell/05_concurrent_loads.sh read it. The month-end ledger's count adds the
-- rows of ar.month_ledger_totals (kept by triggers) that differ from a sum of the stored
-- entries per key (0.14.0).
CREATE FUNCTION t.month_ledger_sums() RETURNS SETOF ar.month_ledger_totals LANGUAGE sql AS $$
    SELECT d.segment, d.currency, d.from_month, d.until_month, d.sale_day, sum(d.delta), sum(d.sales), count(*), count(d.sales)
      FROM ar.month_ledger_data d GROUP BY 1, 2, 3, 4, 5;
$$;
-- The rows of ar.adtp_trend_totals (kept with the ADTP trend's rows, 0.19.0) that differ
-- from the definition of a total: the rollup of the stored rows' summaries per month and
-- segment (both ways, as text: the summary type has no equality operator).
CREATE FUNCTION t.trend_totals_diff() RETURNS bigint LANGUAGE sql AS $$
    WITH sums AS (SELECT d.month, coalesce(d.segment, '(none)') AS segment, ar.rollup(coalesce(d.stats_reporting, d.stats)) AS stats
                    FROM ar.adtp_trend_monthly_data d GROUP BY 1, 2)
    SELECT count(*) FROM ((SELECT t::text FROM ar.adtp_trend_totals t EXCEPT ALL SELECT g::text FROM sums g)
                          UNION ALL (SELECT g::text FROM sums g EXCEPT ALL SELECT t::text FROM ar.adtp_trend_totals t)) x;
$$;
-- The collections performance's totals by their definition: the stored rows summed per
-- the customer's current collector and risk segment (the day's ratings), month and
-- currency (0.19.0; counted with the performance rows by t.state_diff, compared as values:
-- a total kept by additions and subtractions can carry a scale a fresh sum has not, 0.00
-- for 0).
CREATE FUNCTION t.performance_sums() RETURNS SETOF ar.collections_performance_totals LANGUAGE sql AS $$
    SELECT coalesce(c.collector, '(none)'), coalesce(r.risk_segment, '(unrated)'), d.month, d.currency,
           sum(d.collected), sum(d.recovered), sum(d.past_due_at_start), sum(d.contact_days), sum(d.contact_payments),
           count(*), count(d.past_due_at_start)
      FROM ar.collections_performance_data d JOIN ar.customers c ON c.customer_id = d.customer_id
      LEFT JOIN ar.customer_risk_mv r ON r.customer_id = d.customer_id
     GROUP BY 1, 2, 3, 4;
$$;
CREATE FUNCTION t.state_diff() RETURNS text LANGUAGE sql AS $$
    SELECT format('open items %s, health %s, performance %s, month-end ledger %s, payment behaviour %s, promise statuses %s, worklist accounts %s, aging accounts %s',
        (SELECT count(*) FROM ((SELECT s::text FROM ar.open_items_snapshot s EXCEPT ALL SELECT o::text FROM ar._open_items_of(ar.as_of(), NULL) o)
                               UNION ALL (SELECT o::text FROM ar._open_items_of(ar.as_of(), NULL) o EXCEPT ALL SELECT s::text FROM ar.open_items_snapshot s)) x),
        (SELECT count(*) FROM ((SELECT h::text FROM ar.customer_health h EXCEPT ALL SELECT c::text FROM ar.customer_health_at(ar.as_of()) c)
                               UNION ALL (SELECT c::text FROM ar.customer_health_at(ar.as_of()) c EXCEPT ALL SELECT h::text FROM ar.customer_health h)) x),
        (SELECT count(*) FROM ((SELECT d::text FROM ar.collections_performance_data d EXCEPT ALL SELECT r::text FROM ar._collections_performance_rows(ar.as_of(), NULL) r)
                               UNION ALL (SELECT r::text FROM ar._collections_performance_rows(ar.as_of(), NULL) r EXCEPT ALL SELECT d::text FROM ar.collections_performance_data d)) x)
        + (SELECT count(*) FROM ((SELECT t FROM ar.collections_performance_totals t EXCEPT ALL SELECT g FROM t.performance_sums() g)
                                 UNION ALL (SELECT g FROM t.performance_sums() g EXCEPT ALL SELECT t FROM ar.collections_performance_totals t)) y),
        (SELECT count(*) FROM ((SELECT s::text FROM ar._month_end_ledger_of(ar.as_of(), true) s EXCEPT ALL SELECT l::text FROM ar._month_end_ledger(ar.as_of()) l)
                               UNION ALL (SELECT l::text FROM ar._month_end_ledger(ar.as_of()) l EXCEPT ALL SELECT s::text FROM ar._month_end_ledger_of(ar.as_of(), true) s)) x)
        + (SELECT count(*) FROM ((SELECT t::text FROM ar.month_ledger_totals t EXCEPT ALL SELECT g::text FROM t.month_ledger_sums() g)
                                 UNION ALL (SELECT g::text FROM t.month_ledger_sums() g EXCEPT ALL SELECT t::text FROM ar.month_ledger_totals t)) y),
        (SELECT count(*) FROM ((SELECT b::text FROM ar.payment_behaviour_data b EXCEPT ALL SELECT r::text FROM ar._payment_behaviour_at(ar.as_of()) r)
                               UNION ALL (SELECT r::text FROM ar._payment_behaviour_at(ar.as_of()) r EXCEPT ALL SELECT b::text FROM ar.payment_behaviour_data b)) x),
        (SELECT count(*) FROM ((SELECT d::text FROM ar.promise_status_data d EXCEPT ALL SELECT p::text FROM ar.promise_status(ar.as_of()) p)
                               UNION ALL (SELECT p::text FROM ar.promise_status(ar.as_of()) p EXCEPT ALL SELECT d::text FROM ar.promise_status_data d)) x),
        -- (the worklist accounts of the date from the stored open items, themselves compared above)
        (SELECT count(*) FROM ((SELECT a::text FROM ar.worklist_accounts_data a EXCEPT ALL SELECT w::text FROM ar._worklist_account_rows(ar.as_of(), NULL) w)
                               UNION ALL (SELECT w::text FROM ar._worklist_account_rows(ar.as_of(), NULL) w EXCEPT ALL SELECT a::text FROM ar.worklist_accounts_data a)) x),
        -- (the open items per currency and aging bucket, from the stored open items, 0.20.0)
        (SELECT count(*) FROM ((SELECT a::text FROM ar.aging_account_data a EXCEPT ALL SELECT g::text FROM ar._aging_account_rows(ar.as_of(), NULL) g)
                               UNION ALL (SELECT g::text FROM ar._aging_account_rows(ar.as_of(), NULL) g EXCEPT ALL SELECT a::text FROM ar.aging_account_data a)) x));
$$;
