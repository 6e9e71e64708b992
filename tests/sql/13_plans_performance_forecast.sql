-- Payment plans, collections performance and the cash forecast with its backtest,
-- on a hand-made history (all terms Net 30, UTC). Expected figures are worked out by
-- hand in the comments from the definitions in docs/collections.md.
SET TimeZone = 'UTC';

INSERT INTO ar.customers (customer_id, name, collector) VALUES ('K9', 'Iota', 'Pia'), ('K10', 'Kappa', 'Perf'), ('K11', 'Lambda', 'Fc');
INSERT INTO ar.invoices (invoice_id, customer_id, invoice_date, due_date, amount) VALUES
  ('I1', 'K9', '2026-01-01', '2026-01-31', 1000.00),   -- rescheduled by a plan on 02-01
  ('I2', 'K9', '2026-03-10', '2026-04-09', 50.00),     -- new business after the plan, paid: not plan cash
  ('P1', 'K10', '2026-04-01', '2026-05-01', 1000.00),
  ('P2', 'K10', '2026-05-01', '2026-05-31', 400.00),
  ('P3', 'K10', '2026-06-01', '2026-07-01', 300.00),
  ('L1', 'K11', '2026-03-11', '2026-04-10', 100.00),   -- L1-L3 paid 10 days late
  ('L2', 'K11', '2026-04-10', '2026-05-10', 100.00),
  ('L3', 'K11', '2026-05-06', '2026-06-05', 100.00),
  ('L4', 'K11', '2026-06-10', '2026-07-10', 500.00),
  ('L5', 'K11', '2026-05-21', '2026-06-20', 200.00),
  ('L6', 'K11', '2026-01-30', '2026-03-01', 50.00);
INSERT INTO ar.payments (customer_id, invoice_id, payment_date, amount) VALUES
  ('K9', 'I1', '2026-02-25', 333.33), ('K9', 'I1', '2026-04-05', 200.00), ('K9', 'I1', '2026-04-10', 133.33),
  ('K9', 'I2', '2026-04-09', 50.00),
  ('K10', 'P1', '2026-05-20', 300.00), ('K10', 'P1', '2026-06-10', 700.00), ('K10', 'P2', '2026-06-05', 400.00),
  ('K11', 'L1', '2026-04-20', 100.00), ('K11', 'L2', '2026-05-20', 100.00), ('K11', 'L3', '2026-06-15', 100.00);
INSERT INTO ar.activities (customer_id, invoice_id, happened_at, channel, action, outcome, collector) VALUES
  ('K10', NULL, '2026-05-10 10:00', 'phone', 'call', 'promise', 'Perf'),
  ('K10', 'P2', '2026-06-03 10:00', 'email', 'reminder', NULL, 'Perf');

-- 1. Payment plans. 1000.00 in 3 monthly installments from 03-01: 333.33, 333.33, 333.34 (the last takes the remainder).
SELECT t.eq(ar.create_payment_plan('K9', 1000.00, 3, '2026-03-01', '1 month', '2026-02-01'), 1::bigint, 'plan created');
SELECT t.eq((SELECT string_agg(format('%s:%s:%s', installment_no, due_date, amount), ' ' ORDER BY installment_no) FROM ar.payment_plan_installments WHERE plan_id = 1),
            '1:2026-03-01:333.33 2:2026-04-01:333.33 3:2026-05-01:333.34', 'installments: equal cents, remainder last');
-- Plan cash (I1 only; I2 is dated after the plan): 02-25 333.33 -> cum 333.33; 04-05 200 -> 533.33; 04-10 133.33 -> 666.66.
-- As of 06-30: #1 covered 02-25 (on time); #2 covered when cum reached 666.66 on 04-10, 9 days late; #3 overdue since 05-01 (60 days), nothing paid.
SELECT t.eq((SELECT string_agg(format('%s:%s:%s:%s:%s', installment_no, paid_amount, covered_on, status, days_late), ' ' ORDER BY installment_no) FROM ar.payment_plan_installments_at('2026-06-30')),
            '1:333.33:2026-02-25:paid: 2:333.33:2026-04-10:paid_late:9 3:0.00::overdue:60', 'installments as payments arrive: paid, paid late, overdue');
SELECT t.eq((SELECT row(paid_amount, installments_paid, installments_overdue, next_due_date, status, reason)::text FROM ar.payment_plans_at('2026-06-30')),
            '(666.66,2,1,2026-05-01,defaulted,"1 installment(s) overdue, the oldest by 60 days, USD 333.34 missing; 1 installment(s) paid late")', 'plan defaulted: an installment over 30 days overdue');
-- As of 04-07: cash 533.33: #1 paid, #2 (due 04-01) got the 200.00 partial and is 6 days overdue, #3 not due yet.
SELECT t.eq((SELECT string_agg(format('%s:%s:%s:%s', installment_no, paid_amount, status, days_late), ' ' ORDER BY installment_no) FROM ar.payment_plan_installments_at('2026-04-07')),
            '1:333.33:paid: 2:200.00:overdue:6 3:0.00:due:', 'a partial payment is allocated in installment order');
SELECT t.eq((SELECT row(status, reason)::text FROM ar.payment_plans_at('2026-04-07')),
            '(at_risk,"1 installment(s) overdue, the oldest by 6 days, USD 133.33 missing")', 'plan at risk');
SELECT t.eq((SELECT status FROM ar.payment_plans_at('2026-02-28')), 'on_track', 'plan on track after the first installment');
SELECT t.ok(NOT EXISTS (SELECT FROM ar.payment_plans_at('2026-01-31')), 'no plan before it was created');
-- Month ends: 01-31 + 1 month = 02-28, + 2 months = 03-31 (each from the first due date, not chained)
SELECT ar.create_payment_plan('K10', 100.00, 3, '2026-01-31', '1 month', '2026-01-01');
SELECT t.eq((SELECT string_agg(format('%s:%s', due_date, amount), ' ' ORDER BY installment_no) FROM ar.payment_plan_installments WHERE plan_id = 2),
            '2026-01-31:33.33 2026-02-28:33.33 2026-03-31:33.34', 'monthly installments from a month end stay at month ends');
SELECT t.raises($$SELECT ar.create_payment_plan('K10', 50.00, 2, '2026-08-01', '14 days', '2026-07-01')$$, '23505', 'ar.create_payment_plan: customer K10 already has an active payment plan', 'one active plan per customer');
UPDATE ar.payment_plans SET status = 'cancelled' WHERE plan_id = 2;
SELECT t.eq((SELECT count(*) FROM ar.payment_plans_at('2026-06-30') WHERE customer_id = 'K10'), 0::bigint, 'a cancelled plan is not followed');
SELECT t.raises($$SELECT ar.create_payment_plan('K10', 10.005, 2, '2026-08-01', '14 days', '2026-07-01')$$, '22023', 'ar.create_payment_plan: amount must be positive with at most 2 decimals, got 10.005', 'amount with 3 decimals');
SELECT t.raises($$SELECT ar.create_payment_plan('K10', 'NaN', 2, '2026-08-01', '14 days', '2026-07-01')$$, '22023', 'ar.create_payment_plan: amount must be positive%', 'NaN amount');
SELECT t.raises($$SELECT ar.create_payment_plan('K10', 0, 2, '2026-08-01', '14 days', '2026-07-01')$$, '22023', 'ar.create_payment_plan: amount must be positive%', 'zero amount');
SELECT t.raises($$SELECT ar.create_payment_plan('K10', 100, 0, '2026-08-01', '14 days', '2026-07-01')$$, '22023', 'ar.create_payment_plan: installments must be between 1 and 600, got 0', 'no installments');
SELECT t.raises($$SELECT ar.create_payment_plan('K10', 0.05, 10, '2026-08-01', '14 days', '2026-07-01')$$, '22023', '%less than a cent each', 'installments below a cent');
SELECT t.raises($$SELECT ar.create_payment_plan('K10', 100, 2, '2026-08-01', '0 days', '2026-07-01')$$, '22023', 'ar.create_payment_plan: every must be at least 1 day, got 00:00:00', 'zero interval');
SELECT t.raises($$SELECT ar.create_payment_plan('K10', 100, 2, '2026-08-01', '-1 month', '2026-07-01')$$, '22023', 'ar.create_payment_plan: every must be at least 1 day%', 'negative interval');
SELECT t.raises($$SELECT ar.create_payment_plan('K10', 100, 2, '2026-06-01', '1 month', '2026-07-01')$$, '22023', 'ar.create_payment_plan: first_due (2026-06-01) must be a finite date on or after created_on (2026-07-01)', 'first installment before the plan');
SELECT t.raises($$SELECT ar.create_payment_plan('K10', 100, 2, 'infinity', '1 month', '2026-07-01')$$, '22023', 'ar.create_payment_plan: first_due (infinity) must be a finite date%', 'infinite first due date');
SELECT t.raises($$SELECT ar.create_payment_plan('NOPE', 100, 2, '2026-08-01', '1 month', '2026-07-01')$$, '23503', 'ar.create_payment_plan: unknown customer NOPE', 'unknown customer');
SELECT t.raises($$SELECT ar.create_payment_plan('K10', NULL, 2, '2026-08-01', '1 month', '2026-07-01')$$, '22004', 'ar.create_payment_plan: no argument may be NULL', 'NULL amount');

SELECT t.eq(ar.refresh('2026-06-30'), 'succeeded: as of 2026-06-30, 3 customers', 'refresh');
SELECT t.eq((SELECT status FROM ar.payment_plan_status WHERE plan_id = 1), 'defaulted', 'the plan status view follows the refresh date');

-- 2. Performance of collector Perf (customer K10).
-- June: past due on 06-01 = P1 open 700 (1000 - 300 paid 05-20) + P2 400 (due 05-31) = 1100; recovered in June:
-- P1 700 (06-10) + P2 400 (06-05) = 1100 -> rate 1. Late payments after a contact: P1 700 on 06-10, first contact
-- after its due date the call on 05-10 -> 31 days; P2 400 on 06-05, the email on 06-03 -> 2 days; mean 16.5.
SELECT t.eq((SELECT row(collected, past_due_at_start, recovered, recovery_rate, avg_days_to_collect_after_contact, payments_after_contact)::text
               FROM ar.collections_performance WHERE dimension = 'collector' AND key = 'Perf' AND month = '2026-06-01'),
            '(1100.00,1100.00,1100.00,1.0000,16.50,2)', 'June for Perf: collected, past due at start, recovered, days after contact');
-- May: nothing was past due on 05-01 (P1 falls due that day); 300 collected 05-20, 10 days after the call.
SELECT t.eq((SELECT row(collected, past_due_at_start, recovered, recovery_rate, avg_days_to_collect_after_contact, payments_after_contact)::text
               FROM ar.collections_performance WHERE dimension = 'collector' AND key = 'Perf' AND month = '2026-05-01'),
            '(300.00,0,0,,10.00,1)', 'May for Perf: nothing past due at the start');
SELECT t.eq((SELECT count(DISTINCT month) FROM ar.collections_performance), 12::bigint, '12 months');
-- Reference: past due at the start of each month = the open items of the day before, due before the month.
SELECT t.eq((SELECT count(*) FROM ar.collections_performance p
              WHERE p.dimension = 'collector'
                AND p.past_due_at_start IS DISTINCT FROM (SELECT coalesce(sum(o.open_amount), 0) FROM ar.open_items(p.month - 1) o JOIN ar.customers c USING (customer_id)
                                                           WHERE c.collector = p.key AND o.due_date < p.month)), 0::bigint,
            'past_due_at_start agrees with ar.open_items for every collector and month');

-- 3. Cash forecast as of 06-30: the baseline method (due date + usual delay; the payment
-- outlook, the model the forecast now uses, is checked in tests/sql/19_payment_outlook.sql).
-- K11 paid L1-L3 10 days late in the last 90 days (3 payments: 90-day basis):
-- L4 due 07-10 -> 07-20, week 3 (07-15..07-21); L5 due 06-20 -> 06-30, passed -> 07-01, week 1; L6 121 days past due: doubtful.
-- K10 (3 payments in 90 days): (300 x 19 + 700 x 40 + 400 x 5) / 1400 = 25.5 -> 26 days; P3 due 07-01 -> 07-27, week 4.
-- K9's I1 (333.34 open, 150 days past due): doubtful; its weighted days beyond terms (200 x 64 + 133.33 x 69 + 50 x 0) / 383.33 = 57.4 -> 57.
SELECT t.eq((SELECT string_agg(format('%s:%s:%s:%s', invoice_id, days_beyond_terms, expected_date, doubtful), ' ' ORDER BY invoice_id) FROM ar.cash_forecast_items_at('2026-06-30')),
            'I1:57:2026-07-01:t L4:10:2026-07-20:f L5:10:2026-07-01:f L6:10:2026-07-01:t P3:26:2026-07-27:f', 'expected payment date per open invoice');
SELECT t.eq((SELECT string_agg(format('%s:%s', week, baseline_amount), ' ' ORDER BY week) FROM ar.cash_forecast_weekly WHERE baseline_amount > 0),
            '1:200.00 3:500.00 4:300.00', 'weekly baseline forecast: 200 in week 1, 500 in week 3, 300 in week 4');
SELECT t.eq((SELECT row(count(*), min(week_start), max(week_end))::text FROM ar.cash_forecast_weekly), '(13,2026-07-01,2026-09-29)', '13 weeks from the day after as_of');
-- Backtest from 05-12. Open then: K11 L2 (due 05-10), L3 (06-05), L6 (72 days: not yet doubtful), K10 P1 (05-01), P2 (05-31).
-- K11's only payment by then (L1, 10 days late) -> 12-month basis, 10 days; K10 had paid nothing -> due dates.
-- Forecast: week 1 (05-13..05-19) L6 + P1 = 1050; week 2 L2 100 (05-20); week 3 P2 400 (05-31); week 5 L3 100 (06-15).
-- Actual: week 2 L2 100 + P1 300 = 400; week 4 P2 400; week 5 P1 700 + L3 100 = 800.
SELECT t.eq((SELECT string_agg(format('%s:%s/%s', week, baseline_forecast, baseline_actual), ' ' ORDER BY week) FROM ar.cash_forecast_backtest('2026-05-12', 6)),
            '1:1050.00/0 2:100.00/400.00 3:400.00/0 4:0/400.00 5:100.00/800.00 6:0/0', 'backtest of the baseline: forecast as of 05-12 vs cash received');
-- The model's actual is the cash on every invoice open on 05-12 (L2, L3, L6, P1, P2): the same weeks.
SELECT t.eq((SELECT string_agg(format('%s:%s', week, actual_on_forecast_items), ' ' ORDER BY week) FROM ar.cash_forecast_backtest('2026-05-12', 6)),
            '1:0 2:400.00 3:0 4:400.00 5:800.00 6:0', 'backtest of the model: cash received on the invoices open then');
-- The stored accuracy report of the refresh as of 06-30: the forecast made 91 days before,
-- 2026-03-31 (30 days of April + 31 of May + 30 of June = 91), its 13 weeks as the function gives them.
SELECT t.eq((SELECT (min(forecast_as_of), count(*))::text FROM ar.cash_forecast_accuracy), '(2026-03-31,13)', 'cash_forecast_accuracy: the forecast of 03-31, 13 weeks');
SELECT t.eq((SELECT count(*) FROM (SELECT week, week_start, week_end, forecast, actual_on_forecast_items, actual_all_cash, error, abs_pct_error, low, high, in_band,
                                          baseline_forecast, baseline_actual, baseline_error FROM ar.cash_forecast_accuracy
                                   EXCEPT SELECT * FROM ar.cash_forecast_backtest('2026-03-31', 13)) x), 0::bigint, 'cash_forecast_accuracy holds ar.cash_forecast_backtest(03-31) row for row');
-- Weekly cadence: as of 07-01 the stored forecast date 03-31 is within [07-01 - 97, 07-01 - 91]
-- = [03-26, 04-01]: kept (no entry in the log); as of 07-07 the window is [04-01, 04-07]:
-- recomputed for 07-07 - 91 = 04-07; back to 06-30 (window [03-25, 03-31]): 03-31 again.
SELECT t.ok(ar.refresh('2026-07-01') LIKE 'succeeded%', 'refresh 07-01');
SELECT t.eq((SELECT (min(forecast_as_of), (SELECT l.views ? 'cash_forecast_backtest_mv' FROM ar.refresh_log l ORDER BY l.run_id DESC LIMIT 1))::text FROM ar.cash_forecast_accuracy),
            '(2026-03-31,f)', 'a day later the accuracy report is kept (forecast of 03-31, not recomputed)');
SELECT t.ok(ar.refresh('2026-07-07') LIKE 'succeeded%', 'refresh 07-07');
SELECT t.eq((SELECT min(forecast_as_of) FROM ar.cash_forecast_accuracy), '2026-04-07'::date, 'a week later it is recomputed: the forecast of 04-07');
SELECT t.ok(ar.refresh('2026-06-30') LIKE 'succeeded%', 'refresh back to 06-30');
SELECT t.eq((SELECT min(forecast_as_of) FROM ar.cash_forecast_accuracy), '2026-03-31'::date, 'a backwards move recomputes it: the forecast of 03-31 again');
SELECT t.raises($$SELECT * FROM ar.cash_forecast_at('2026-06-30', 0)$$, '22023', 'ar.cash_forecast: weeks must be between 1 and 104, got 0', 'weeks out of range');
DO $$
DECLARE
    r record;
BEGIN
    SELECT sum(abs(error)) AS abs_err, sum(actual_on_forecast_items) AS actual, sum(forecast) AS fc INTO r FROM ar.cash_forecast_backtest('2026-05-12', 13);
    RAISE NOTICE 'report: cash forecast backtest (hand-made history, from 2026-05-12, 13 weeks): forecast %, actual %, weighted absolute error % %%',
                 r.fc, r.actual, round(100 * r.abs_err / r.actual, 1);
END $$;
