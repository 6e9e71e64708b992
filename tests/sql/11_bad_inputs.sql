-- Bad-input matrix: every public function and aggregate with NULLs, NaN, infinities,
-- extreme numeric(18,2) and date values, negative amounts, empty and NULL-containing
-- arrays, unsorted bounds, due before invoice date. Each case has a documented outcome:
--   'error XXXXX'  an ERROR with that SQLSTATE (and no panic text),
--   'null'         a NULL result,
--   'same <expr>'  the value PostgreSQL itself computes for <expr> (the definition).
-- A backend crash ends the session and fails this file.
INSERT INTO ar.customers (customer_id, name) VALUES ('A', 'Alpha');
INSERT INTO ar.invoices VALUES ('I1', 'A', '2026-01-01', '2026-01-31', 100.00);
CREATE TABLE cases (id serial, call text, expect text);
INSERT INTO cases (call, expect) VALUES
  ($$ar.days_past_due(NULL, '2026-01-01')$$, 'null'),
  ($$ar.days_past_due('infinity', '2026-01-01')$$, 'error 22008'),
  ($$ar.days_past_due('2026-01-01', '-infinity')$$, 'error 22008'),
  ($$ar.days_past_due('4713-01-01 BC', '5874897-12-31')$$, $$same date '5874897-12-31' - date '4713-01-01 BC'$$),
  ($$ar.days_past_due('5874897-12-31', '4713-01-01 BC')$$, $$same date '4713-01-01 BC' - date '5874897-12-31'$$),
  ($$ar.aging_bucket(NULL::int)$$, 'null'),
  ($$ar.aging_bucket(2147483647)$$, $$same '121+'$$),
  ($$ar.aging_bucket(-2147483648)$$, $$same 'current'$$),
  ($$ar.aging_bucket(5, '{}')$$, 'error 22023'),
  ($$ar.aging_bucket(5, '{30,NULL}')$$, 'error 22004'),
  ($$ar.aging_bucket(5, '{30,15}')$$, 'error 22023'),
  ($$ar.aging_bucket(5, '{-1}')$$, 'error 22023'),
  ($$ar.aging_bucket(5, NULL::int[])$$, 'null'),
  ($$ar.aging_bucket(5, '{1,2,3,4,5,6,7,8,9,10,11,12,13}')$$, 'error 22023'),
  ($$ar.aging_bucket(2147483647, '{2147483647}')$$, $$same '1-2147483647'$$),
  ($$ar.dso('NaN', 1, 30)$$, 'error 22023'),
  ($$ar.dso(1, 'NaN', 30)$$, 'error 22023'),
  ($$ar.dso(1, '-Infinity', 30)$$, 'error 22023'),
  ($$ar.dso('Infinity', 1, 30)$$, 'error 22023'),
  ($$ar.dso(-0.01, 1, 30)$$, 'error 22023'),
  ($$ar.dso(9999999999999999.99, 0.01, 36500)$$, $$same 9999999999999999.99 * 36500 / 0.01$$),
  ($$ar.dso(1, 1, -5)$$, 'error 22023'),
  ($$ar.dso(1, 1, NULL)$$, 'null'),
  ($$ar.bpdso(1, 0, 30)$$, 'null'),
  ($$ar.average_days_delinquent('NaN', 1)$$, 'error 22023'),
  ($$ar.average_days_delinquent(-1e30, 1)$$, 'error 22023'),
  ($$ar.average_days_delinquent(1e60, 1)$$, $$same 1e60 - 1$$),
  ($$ar.cei(-1, 0, 0, 0)$$, 'error 22023'),
  ($$ar.cei(1, 1, 1, 'NaN')$$, 'error 22023'),
  ($$ar.cei(0, 0, 0, 0)$$, 'null'),
  ($$ar.dso_countback(1, '{}')$$, 'null'),
  ($$ar.dso_countback(1, NULL)$$, 'null'),
  ($$ar.dso_countback(1, '{NULL}')$$, 'error 22004'),
  ($$ar.dso_countback(1, '{1,2}', '{30}')$$, 'error 22023'),
  ($$ar.dso_countback(1, '{1}', '{NULL}')$$, 'error 22004'),
  ($$ar.dso_countback(1, '{1}', '{-30}')$$, 'error 22023'),
  ($$ar.dso_countback('NaN', '{1}')$$, 'error 22023'),
  ($$ar.dso_countback(1, '{NaN}')$$, 'error 22023'),
  ($$ar.payment_index('NaN'::numeric)$$, 'error 22023'),
  ($$ar.payment_index('Infinity'::numeric)$$, 'error 22023'),
  ($$ar.payment_index(-0.000000000000000000000000000000001)$$, $$same 80$$),
  ($$ar.item_count(ar.payment_stats(NULL, NULL, NULL, NULL))$$, $$same 0::bigint$$),
  ($$ar.payment_stats('2026-01-01', '2026-01-31', '2026-02-01', 'NaN')$$, 'error 22023'),
  ($$ar.payment_stats('2026-01-01', '2026-01-31', '2026-02-01', 'Infinity')$$, 'error 22023'),
  ($$ar.payment_stats('2026-01-01', '2026-01-31', '2026-02-01', -0.01)$$, 'error 22023'),
  ($$ar.payment_stats('2026-02-01', '2026-01-31', '2026-02-01', 1)$$, 'error 22023'),
  ($$ar.payment_stats('2026-01-01', 'infinity', '2026-02-01', 1)$$, 'error 22008'),
  ($$ar.payment_stats(NULL, '2026-01-31', '2026-02-01', 1)$$, 'error 22004'),
  ($$ar.payment_stats('2026-01-01', '2026-01-31', '2026-02-01', 1e37)$$, 'error 22003'),
  ($$ar.adtp(ar.payment_stats('4713-01-01 BC', '4713-01-01 BC', '5874897-12-31', 1))$$, $$same (date '5874897-12-31' - date '4713-01-01 BC')::numeric / 1$$),
  ($$ar.amount(ar.payment_stats('2024-02-29', '2024-02-29', '2024-02-29', 9999999999999999.99))$$, $$same 9999999999999999.99$$),
  ($$ar.adtp(NULL::ar.paymentstats)$$, 'null'),
  ($$ar.aging('NaN', 1)$$, 'error 22023'),
  ($$ar.aging(1, NULL)$$, 'error 22004'),
  ($$ar.total(ar.aging(NULL, NULL))$$, $$same 0::numeric$$),
  ($$ar.aging(1, 1, '{}')$$, 'error 22023'),
  ($$ar.aging(1, 1, NULL)$$, 'error 22004'),
  ($$ar.total(ar.aging(-9999999999999999.99, 5))$$, $$same -9999999999999999.99$$),
  ($$ar.bucket_amount(ar.aging(1, 1), NULL)$$, 'null'),
  ($$ar.bucket_amount(ar.aging(1, 1), '')$$, 'error 22023'),
  ($$'(garbage)'::ar.paymentstats$$, 'error 22P02'),
  ($$'(bounds={30;60},current=1/1)'::ar.agingsummary$$, 'error 22P02'),
  ($$'(bounds={60;30},current=0/0,1-60=0/0,61-30=0/0,31+=0/0)'::ar.agingsummary$$, 'error 22P02'),
  ($$(SELECT count(*) FROM ar.open_items(NULL))$$, $$same 0::bigint$$),
  ($$(SELECT count(*) FROM ar.open_items('infinity'))$$, 'error 22008'),
  ($$(SELECT count(*) FROM ar.open_items('-infinity'))$$, 'error 22008'),
  ($$(SELECT count(*) FROM ar.unapplied_cash('infinity'))$$, 'error 22008'),
  ($$ar.refresh(NULL)$$, 'error 22023'),
  ($$ar.refresh('infinity')$$, 'error 22023'),
  ($$ar.generate_demo(customers => -1)$$, 'error 22023'),
  ($$ar.generate_demo(customers => 2000000)$$, 'error 22023'),
  ($$(SELECT rating FROM ar.risk_score(NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL))$$, $$same 'B'$$),
  ($$(SELECT rating FROM ar.risk_score(80, 0, 'Infinity', 1, 10, 1, 0, 0, NULL, 0, 0))$$, 'error 22023'),
  ($$ar.validate_rating_policy('[]')$$, 'error 22023'),
  ($$ar.validate_rating_policy('{"rating_bounds": "x"}')$$, 'error 22023'),
  ($$ar.validate_rating_policy('{"weight_payment_behaviour": -1, "weight_payment_slip": 46}')$$, 'error 22023'),
  ($$ar.validate_rating_policy(NULL) ->> 'weight_payment_behaviour'$$, $$same '30.0'$$),
  ($$ar.grant_reader(NULL)$$, 'error 22004'),
  ($$ar.grant_collector(NULL, 'x')$$, 'error 22004'),
  ($$ar.schedule_daily_refresh()$$, 'error 42704'),
  ($$ar.unschedule_daily_refresh()$$, 'error 42704'),
  ($$(SELECT count(*) FROM ar.promise_status(NULL))$$, $$same 0::bigint$$),
  -- collections (0.2.0)
  ($$ar.collection_priority(NULL, 0, 0, 0, 0)$$, 'error 22004'),
  ($$ar.collection_priority(1, NULL, 0, 0, 0)$$, 'error 22004'),
  ($$ar.collection_priority('NaN', 0, 0, 0, 0)$$, 'error 22023'),
  ($$ar.collection_priority(1, 0, 'NaN', 0, 0)$$, 'error 22023'),
  ($$ar.collection_priority(-0.01, 0, 0, 0, 0)$$, 'error 22023'),
  ($$ar.collection_priority(1, -1, 0, 0, 0)$$, 'error 22023'),
  ($$ar.collection_priority(1, 0, 100.01, 0, 0)$$, 'error 22023'),
  ($$ar.collection_priority(1, 0, 0, -1, 0)$$, 'error 22023'),
  ($$ar.collection_priority(1e300, 2147483647, 100, 1e300, 9223372036854775807)$$, $$same 100.00$$),
  ($$ar.collection_priority(0, 0, NULL, NULL, NULL)$$, $$same 0.00$$),
  ($$ar.render_message(NULL, 'A', '2026-03-01')$$, 'error 22004'),
  ($$ar.render_message('x', NULL, '2026-03-01')$$, 'error 22004'),
  ($$ar.render_message('x', 'A', 'infinity')$$, 'error 22023'),
  ($$ar.render_message('{{nope}}', 'A', '2026-03-01')$$, 'error 22023'),
  ($$ar.render_message('{{}}', 'A', '2026-03-01')$$, 'error 22023'),
  ($$ar.render_message('x', 'NOPE', '2026-03-01')$$, 'error P0002'),
  ($$ar.render_message('{{total_past_due}} {{invoice_numbers}}', 'A', '2026-03-01')$$, $$same 'USD 100.00 I1'$$),
  ($$ar.render_message('', 'A', '2026-03-01')$$, $$same ''$$),
  ($$ar.add_business_days(NULL, 1)$$, 'null'),
  ($$ar.add_business_days('infinity', 1)$$, 'error 22023'),
  ($$ar.add_business_days('2026-01-02 10:00+00', -1)$$, 'error 22023'),
  ($$ar.add_business_days('2026-01-02 10:00+00', 0) = '2026-01-02 10:00+00'$$, $$same true$$),
  ($$ar.create_payment_plan(NULL, 10, 1, '2026-02-01', '1 month', '2026-01-01')$$, 'error 22004'),
  ($$ar.create_payment_plan('A', 'Infinity', 1, '2026-02-01', '1 month', '2026-01-01')$$, 'error 22023'),
  ($$ar.create_payment_plan('A', -5, 1, '2026-02-01', '1 month', '2026-01-01')$$, 'error 22023'),
  ($$ar.create_payment_plan('A', 10, 2147483647, '2026-02-01', '1 month', '2026-01-01')$$, 'error 22023'),
  ($$ar.create_payment_plan('A', 10, 1, '2026-02-01', '1 month', 'infinity')$$, 'error 22023'),
  ($$ar.create_payment_plan('A', 10, 1, '2026-02-01', '-1 day', '2026-01-01')$$, 'error 22023'),
  ($$ar.create_payment_plan('A', 10, 2, '2026-02-01', '1 month -40 days', '2026-01-01')$$, 'error 22023'),
  ($$ar.assign_collectors(NULL)$$, 'error 22004'),
  ($$ar.assign_collectors('2026-01-01')$$, 'error 55000'),
  ($$(SELECT count(*) FROM ar.cash_forecast_at(NULL))$$, $$same 0::bigint$$),
  ($$(SELECT count(*) FROM ar.cash_forecast_at('infinity'))$$, 'error 22008'),
  ($$(SELECT count(*) FROM ar.customer_health_at(NULL))$$, 'error 22004'),
  ($$(SELECT count(*) FROM ar.customer_health_at('infinity'))$$, 'error 22008'),
  ($$(SELECT count(*) FROM ar.customer_health_at('-infinity'))$$, 'error 22008'),
  ($$ar.refresh('infinity', full => true)$$, 'error 22023'),
  ($$(SELECT count(*) FROM ar.cash_forecast_at('2026-03-01', 105))$$, 'error 22023'),
  ($$(SELECT count(*) FROM ar.cash_forecast_at('2026-03-01', NULL))$$, 'error 22023'),
  ($$(SELECT count(*) FROM ar.cash_forecast_backtest('-infinity'))$$, 'error 22008'),
  ($$(SELECT count(*) FROM ar.cash_forecast_items_at(NULL))$$, $$same 0::bigint$$),
  ($$(SELECT count(*) FROM ar.cash_forecast_backtest(NULL))$$, $$same 0::bigint$$),
  ($$(SELECT count(*) FROM ar.cash_forecast_backtest_summary(NULL))$$, $$same 0::bigint$$),
  ($$(SELECT count(*) FROM ar.cash_forecast_backtest_summary('2026-03-01', 0))$$, 'error 22023'),
  ($$(SELECT count(*) FROM ar.cash_forecast_backtest_summary('2026-03-01', NULL))$$, 'error 22023'),
  ($$(SELECT count(*) FROM ar.cash_forecast_detail_at(NULL))$$, $$same 0::bigint$$),
  ($$(SELECT count(*) FROM ar.cash_forecast_detail_at('infinity'))$$, 'error 22008'),
  ($$(SELECT count(*) FROM ar.expected_write_off_at(NULL))$$, $$same 0::bigint$$),
  ($$(SELECT count(*) FROM ar.expected_write_off_at('-infinity'))$$, 'error 22008'),
  ($$(SELECT count(*) FROM ar.payment_model_at(NULL))$$, $$same 0::bigint$$),
  ($$(SELECT count(*) FROM ar.payment_model_at('infinity'))$$, 'error 22008'),
  ($$(SELECT count(*) FROM ar.invoice_payment_outlook(NULL))$$, $$same 0::bigint$$),
  ($$(SELECT count(*) FROM ar.invoice_payment_outlook('infinity'))$$, 'error 22008'),
  ($$(SELECT count(*) FROM ar.dispute_sla_at(NULL))$$, $$same 0::bigint$$),
  ($$(SELECT count(*) FROM ar.dispute_sla_at('infinity'))$$, 'error 22008'),
  ($$(SELECT count(*) FROM ar.open_disputes_at('-infinity'))$$, 'error 22008'),
  ($$(SELECT count(*) FROM ar.order_hold_sla_at(NULL))$$, $$same 0::bigint$$),
  ($$(SELECT count(*) FROM ar.order_hold_sla_at('infinity'))$$, 'error 22008'),
  ($$(SELECT count(*) FROM ar.order_hold_recommendations_at(NULL))$$, $$same 0::bigint$$),
  ($$(SELECT count(*) FROM ar.order_hold_recommendations_at('infinity'))$$, 'error 22008'),
  ($$(SELECT count(*) FROM ar.promise_kept_rates_at(NULL))$$, $$same 0::bigint$$),
  ($$(SELECT count(*) FROM ar.promise_kept_rates_at('infinity'))$$, 'error 22008'),
  ($$(SELECT count(*) FROM ar.payment_plan_installments_at('infinity'))$$, 'error 22008'),
  ($$(SELECT count(*) FROM ar.payment_plans_at(NULL))$$, $$same 0::bigint$$),
  ($$(SELECT count(*) FROM ar.channel_response_rates_at('infinity'))$$, 'error 22008');

CREATE TABLE outcomes AS SELECT id, call, expect, NULL::text AS got, NULL::text AS verdict FROM cases;
DO $$
DECLARE
    c record; v_got text; want text; st text; msg text;
BEGIN
    FOR c IN SELECT * FROM cases ORDER BY id LOOP
        st := NULL; v_got := NULL;
        BEGIN
            EXECUTE 'SELECT (' || c.call || ')::text' INTO v_got;
        EXCEPTION WHEN OTHERS THEN
            GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
        END;
        IF c.expect LIKE 'same %' THEN
            EXECUTE 'SELECT (' || substr(c.expect, 6) || ')::text' INTO want;
        END IF;
        UPDATE outcomes SET got = coalesce('error ' || st || ': ' || msg, coalesce(v_got, 'null')),
               verdict = CASE
                   WHEN st IS NOT NULL AND (msg ILIKE '%panic%' OR msg ILIKE '%unwrap%' OR msg ILIKE '%rust%') THEN 'panic'
                   WHEN c.expect LIKE 'error %' AND st = substr(c.expect, 7) THEN 'documented error'
                   WHEN c.expect LIKE 'error %' AND st IS NOT NULL THEN 'wrong error'
                   WHEN c.expect LIKE 'error %' THEN 'silently wrong'
                   WHEN st IS NOT NULL THEN 'unexpected error'
                   WHEN c.expect = 'null' AND v_got IS NULL THEN 'documented result'
                   WHEN c.expect LIKE 'same %' AND v_got IS NOT DISTINCT FROM want THEN 'documented result'
                   ELSE 'silently wrong' END
         WHERE id = c.id;
    END LOOP;
END $$;
DO $$ DECLARE r record; BEGIN
  FOR r IN SELECT * FROM outcomes WHERE verdict NOT IN ('documented error', 'documented result') ORDER BY id LOOP
    RAISE NOTICE 'case %: % expected % got % (%)', r.id, r.call, r.expect, r.got, r.verdict;
  END LOOP;
  SELECT count(*) AS n, count(*) FILTER (WHERE verdict = 'documented error') AS e,
         count(*) FILTER (WHERE verdict IN ('silently wrong', 'wrong error', 'unexpected error')) AS w,
         count(*) FILTER (WHERE verdict = 'panic') AS p INTO r FROM outcomes;
  RAISE NOTICE 'report: bad inputs tried %, documented errors %, documented results %, crashes 0, panics %, silently wrong or wrong error %',
    r.n, r.e, r.n - r.e - r.w - r.p, r.p, r.w;
END $$;
SELECT t.eq((SELECT count(*) FROM outcomes WHERE verdict NOT IN ('documented error', 'documented result')), 0::bigint, 'every bad input has its documented outcome');
SELECT t.eq((SELECT count(*) FROM outcomes), (SELECT count(*) FROM cases), 'every case ran (no crash)');
