-- Collections on the demo portfolio (400 customers): the views agree with independent
-- plain-SQL computations of their definitions, and the cash forecast is backtested
-- against the cash the demo actually received (figures in the report lines).
SET TimeZone = 'UTC';
SELECT ar.generate_demo(customers => 400, seed => 11, as_of => '2026-06-30');
SELECT t.ok(ar.refresh('2026-03-31') LIKE 'succeeded%', 'refresh as of 2026-03-31 (for the backtest)');
SELECT t.ok(ar.refresh('2026-06-30') LIKE 'succeeded%', 'refresh as of 2026-06-30');

-- Worklist: exactly the customers with a past-due open item, same past-due amount as ar.open_items.
SELECT t.eq((SELECT count(*) FROM ar.collections_worklist),
            (SELECT count(DISTINCT customer_id) FROM ar.open_items('2026-06-30') WHERE days_past_due > 0 AND open_amount > 0), 'one row per customer with something past due');
SELECT t.eq((SELECT count(*) FROM ar.collections_worklist w
              WHERE w.past_due_amount <> (SELECT sum(o.open_amount) FROM ar.open_items('2026-06-30') o
                                           WHERE o.customer_id = w.customer_id AND o.days_past_due > 0 AND o.open_amount > 0)), 0::bigint,
            'past-due amounts agree with ar.open_items');
SELECT t.ok((SELECT array_agg(priority_rank ORDER BY priority_rank) = array_agg(g ORDER BY g)
               FROM (SELECT priority_rank, row_number() OVER (ORDER BY priority_rank) AS g FROM ar.collections_worklist WHERE status = 'due') x),
            'due accounts are ranked 1..n without gaps');
SELECT t.eq((SELECT count(*) FROM (SELECT priority_score, lag(priority_score) OVER (ORDER BY priority_rank) AS prev FROM ar.collections_worklist WHERE status = 'due') x
              WHERE x.priority_score > x.prev), 0::bigint, 'priority never rises down the ranking');
SELECT t.eq((SELECT count(*) FROM ar.collections_worklist w
              WHERE w.priority_score <> ar.collection_priority(w.actionable_amount, w.oldest_undisputed_days, w.score, w.strategic_value, w.broken_promises_90d)), 0::bigint,
            'every priority is ar.collection_priority of the row''s own figures');
SELECT t.eq((SELECT count(*) FROM ar.collections_worklist w
              WHERE w.step IS DISTINCT FROM (SELECT max(s.step) FROM ar.default_collection_strategies() s
                                              WHERE s.risk_segment = w.risk_segment AND s.min_days_past_due <= w.oldest_undisputed_days)), 0::bigint,
            'every step is the last default step reached by the oldest undisputed days (steps ascend with thresholds)');
SELECT t.ok((SELECT bool_and(status = 'held') = bool_and(hold_reason IS NOT NULL) FROM ar.collections_worklist), 'held rows, and only they, give a reason');

-- Performance: the risk-segment rows and the collector rows split the same totals.
SELECT t.eq((SELECT count(*) FROM (SELECT month, dimension, sum(collected) c, sum(past_due_at_start) p, sum(recovered) r FROM ar.collections_performance GROUP BY 1, 2) a
               JOIN (SELECT month, dimension, sum(collected) c, sum(past_due_at_start) p, sum(recovered) r FROM ar.collections_performance GROUP BY 1, 2) b
                 ON a.month = b.month AND a.dimension = 'collector' AND b.dimension = 'risk_segment'
              WHERE (a.c, a.p, a.r) IS DISTINCT FROM (b.c, b.p, b.r)), 0::bigint, 'per collector and per segment add up to the same totals');
SELECT t.eq((SELECT count(*) FROM ar.collections_performance p
              WHERE p.dimension = 'collector'
                AND p.collected IS DISTINCT FROM (SELECT coalesce(sum(x.amount), 0) FROM ar.payments x JOIN ar.customers c USING (customer_id)
                                                   WHERE c.collector = p.key AND date_trunc('month', x.payment_date) = p.month)), 0::bigint,
            'cash collected agrees with ar.payments for every collector and month');
SELECT t.eq((SELECT count(*) FROM ar.collections_performance p
              WHERE p.dimension = 'collector'
                AND p.past_due_at_start IS DISTINCT FROM (SELECT coalesce(sum(o.open_amount), 0) FROM ar.open_items(p.month - 1) o JOIN ar.customers c USING (customer_id)
                                                           WHERE c.collector = p.key AND o.due_date < p.month)), 0::bigint,
            'past due at the start of the month agrees with ar.open_items (all 12 months)');

-- Cash forecast, the baseline method: every open invoice is in exactly one place: a week, doubtful, or beyond 13 weeks.
SELECT t.eq((SELECT sum(baseline_amount) FROM ar.cash_forecast_weekly)
            + (SELECT coalesce(sum(open_amount), 0) FROM ar.cash_forecast_items_at('2026-06-30') WHERE doubtful OR expected_date > date '2026-06-30' + 91),
            (SELECT sum(open_amount) FROM ar.open_items('2026-06-30') WHERE open_amount > 0), 'baseline forecast + doubtful + later = open receivables');
-- The payment outlook: each open amount is split over the 13 weeks, weeks 14-52 and not
-- within a year (expected write-off); each of the 3 figures is rounded to the cent per
-- segment (3 segments, USD only): within 3 x 0.5 cent a segment of the open receivables.
SELECT t.ok((SELECT abs(sum(expected_13_weeks + expected_after_13_weeks + expected_write_off) - sum(open_amount)) <= 3 * 3 * 0.005
                    AND sum(open_amount) = (SELECT sum(open_amount) FROM ar.open_items('2026-06-30') WHERE open_amount > 0)
               FROM ar.expected_write_off), 'outlook: 13 weeks + later + expected write-off = open receivables');
-- the weekly forecast sums the 13 weeks of the detail (per week the detail rounds per segment)
SELECT t.ok((SELECT abs((SELECT sum(expected_amount) FROM ar.cash_forecast_weekly) - sum(expected_13_weeks)) <= 13 * 3 * 0.005 + 3 * 0.005
               FROM ar.expected_write_off), 'outlook: the weekly forecast is the 13-week expectation of the open book');
DO $$
DECLARE
    r record;
    w record;
BEGIN
    SELECT sum(forecast) AS fc, sum(actual_on_forecast_items) AS act, sum(abs(error)) AS abs_err, sum(actual_all_cash) AS all_cash
      INTO r FROM ar.cash_forecast_backtest('2026-03-31', 13);
    RAISE NOTICE 'report: cash forecast backtest on the demo (400 customers), forecast made 2026-03-31 for 13 weeks: forecast %, received on those invoices % (% %% of forecast), all cash %; weighted absolute weekly error % %%',
                 r.fc, r.act, round(100 * r.act / r.fc, 1), r.all_cash, round(100 * r.abs_err / r.act, 1);
    SELECT string_agg(format('w%s %s/%s', week, round(forecast / 1000), round(actual_on_forecast_items / 1000)), ', ' ORDER BY week) AS s
      INTO w FROM ar.cash_forecast_backtest('2026-03-31', 13);
    RAISE NOTICE 'report: by week, forecast/actual in thousands: %', w.s;
END $$;
SELECT t.ok((SELECT sum(actual_on_forecast_items) BETWEEN 0.5 * sum(forecast) AND 1.5 * sum(forecast) FROM ar.cash_forecast_backtest('2026-03-31', 13)),
            'over 13 weeks the backtest collects within 50% of the forecast');
SELECT t.eq((SELECT sum(promises) FROM ar.promise_kept_rates WHERE dimension = 'portfolio'),
            (SELECT count(*) FROM ar.promise_status('2026-06-30') WHERE made_on > date '2026-06-30' - 365)::numeric, 'promise counts agree with ar.promise_status');
DO $$
DECLARE
    r record;
BEGIN
    SELECT count(*) FILTER (WHERE status = 'due') AS due, count(*) FILTER (WHERE status = 'held') AS held, count(*) FILTER (WHERE status = 'scheduled') AS sched,
           round(avg(priority_score) FILTER (WHERE priority_rank <= 10), 1) AS top10
      INTO r FROM ar.collections_worklist;
    RAISE NOTICE 'report: demo worklist: % due, % scheduled, % held; mean priority of the top 10: %', r.due, r.sched, r.held, r.top10;
END $$;
