-- Multi-currency (docs/currency.md): conversion, the reporting currency, portfolio and
-- customer figures on a two-currency portfolio. Every expected figure is worked out by
-- hand in the comment beside it, from the rates loaded here.

-- Rates: EUR->USD 1.10 from 2026-01-01, 1.20 from 2026-02-01, 1.25 from 2026-04-01
-- (after the as-of date 2026-03-31 below: never used for it); USD->JPY 150 from 2026-01-01.
INSERT INTO ar.fx_rates (from_currency, to_currency, rate_date, rate) VALUES
    ('EUR', 'USD', '2026-01-01', 1.10), ('EUR', 'USD', '2026-02-01', 1.20), ('EUR', 'USD', '2026-04-01', 1.25),
    ('USD', 'JPY', '2026-01-01', 150);

-- ar.convert ----------------------------------------------------------------------
SELECT t.eq(ar.convert(100, 'EUR', 'USD', '2026-01-15'), 110.00, 'EUR->USD on 2026-01-15: 100 * 1.10 = 110.00');
SELECT t.eq(ar.convert(100, 'EUR', 'USD', '2026-03-31'), 120.00, 'EUR->USD on 2026-03-31: the 2026-02-01 rate 1.20, not the later 1.25');
SELECT t.eq(ar.convert(100, 'EUR', 'USD', '2026-04-01'), 125.00, 'EUR->USD on 2026-04-01: the rate of that day, 1.25');
SELECT t.eq(ar.convert(120, 'USD', 'EUR', '2026-02-10'), 100.00, 'USD->EUR: no direct pair, so 120 / 1.20 (inverse of EUR->USD) = 100.00');
SELECT t.eq(ar.convert(10.01, 'USD', 'JPY', '2026-01-10'), 1502::numeric, 'USD->JPY: 10.01 * 150 = 1501.5, rounded half away from zero to 0 decimals = 1502');
SELECT t.eq(ar.convert(1000000, 'JPY', 'USD', '2026-01-10'), 6666.67, 'JPY->USD: 1,000,000 / 150 = 6666.666..., rounded to cents = 6666.67');
SELECT t.eq(ar.convert(-10.01, 'USD', 'JPY', '2026-01-10'), -1502::numeric, 'negative amounts round half away from zero too: -1501.5 -> -1502');
SELECT t.eq(ar.convert(5.5, 'USD', 'USD', '2026-01-10')::text, '5.5', 'same currency: the amount unchanged (not even rescaled)');
SELECT t.eq(ar.convert(NULL, 'EUR', 'USD', '2026-01-10'), NULL::numeric, 'NULL amount: NULL');
SELECT t.eq(ar.fx_rate('JPY', 'USD', '2026-01-10'), 1 / 150::numeric, 'fx_rate JPY->USD = 1 / 150');
SELECT t.eq(ar.currency_minor_unit('JPY'), 0, 'JPY has 0 decimals');
SELECT t.eq(ar.currency_minor_unit('KWD'), 3, 'KWD has 3 decimals');
SELECT t.raises($$SELECT ar.convert(100, 'EUR', 'USD', '2025-12-31')$$, 'P0002', 'no exchange rate from EUR to USD on or before 2025-12-31',
                'a date before the first rate: ERROR no_data_found naming both currencies and the date');
SELECT t.raises($$SELECT ar.convert(100, 'EUR', 'GBP', '2026-03-31')$$, 'P0002', 'no exchange rate from EUR to GBP on or before 2026-03-31',
                'a pair without rates: ERROR no_data_found naming both currencies and the date');
SELECT t.raises($$SELECT ar.convert(100, 'eur', 'USD', '2026-03-31')$$, '22023', '%three capital letters%', 'a malformed code: ERROR 22023');
SELECT t.raises($$SELECT ar.convert(100, 'EUR', 'USD', 'infinity')$$, '22008', '%finite%', 'an infinite date: ERROR 22008');
SELECT t.raises($$SELECT ar.convert(100, 'EUR', 'USD', NULL)$$, '22004', '%needs both currencies and a date%', 'a NULL date: ERROR 22004');
SELECT t.raises($$SELECT ar.convert('NaN', 'EUR', 'USD', '2026-03-31')$$, '22023', 'cannot convert NaN', 'NaN: ERROR 22023');
SELECT t.raises($$INSERT INTO ar.fx_rates VALUES ('EUR', 'CHF', '2026-01-01', 0)$$, '23514', '%', 'a rate must be positive');
SELECT t.eq(ar.reporting_currency(), 'USD', 'the reporting currency is USD by default');
SELECT t.raises($$SELECT ar.set_reporting_currency('euro')$$, '22023', '%three capital letters%', 'a malformed reporting currency is refused');

-- A two-currency portfolio, as of 2026-03-31 --------------------------------------
INSERT INTO ar.customers (customer_id, name, segment, currency) VALUES ('U1', 'Dollar Co', 'smb', 'USD'), ('E1', 'Euro GmbH', 'smb', 'EUR');
INSERT INTO ar.invoices (invoice_id, customer_id, invoice_date, due_date, amount, currency) VALUES
    ('IU1', 'U1', '2026-01-10', '2026-02-09', 1000, 'USD'),   -- paid 400 on 02-20 and 100 on 03-05: 500 open, 50 days past due
    ('IU2', 'U1', '2026-03-15', '2026-04-14', 500, 'USD'),    -- current
    ('IE1', 'E1', '2026-01-20', '2026-02-19', 1000, 'EUR'),   -- paid 300 EUR on 03-05: 700 open, 40 days past due
    ('IE2', 'E1', '2026-03-10', '2026-04-09', 200, 'EUR'),    -- current
    ('IE3', 'E1', '2026-03-20', '2026-04-19', 120, 'USD');    -- a dollar invoice of the euro customer: current
INSERT INTO ar.payments (customer_id, invoice_id, payment_date, amount) VALUES
    ('U1', 'IU1', '2026-02-20', 400), ('U1', 'IU1', '2026-03-05', 100), ('E1', 'IE1', '2026-03-05', 300);

-- the currency of a payment is its invoice's (unapplied cash: its customer's)
SELECT t.raises($$INSERT INTO ar.payments (customer_id, invoice_id, payment_date, amount, currency) VALUES ('U1', 'IU2', '2026-03-20', 10, 'EUR')$$,
                '23514', 'payment % is in EUR, but invoice IU2 is in USD', 'a EUR payment of a USD invoice is rejected');
SELECT t.raises($$INSERT INTO ar.payments (customer_id, invoice_id, payment_date, amount, currency) VALUES ('E1', NULL, '2026-03-20', 10, 'USD')$$,
                '23514', 'payment % is in USD, but customer E1 is in EUR', 'unapplied USD cash of a EUR customer is rejected');
BEGIN;
INSERT INTO ar.payments (customer_id, invoice_id, payment_date, amount, currency) VALUES ('U1', 'IU2', '2026-03-20', 10, 'USD');
SELECT t.eq((SELECT count(*) FROM ar.payments WHERE currency = 'USD'), 1::bigint, 'a payment in its invoice''s currency is accepted');
SELECT t.raises($$UPDATE ar.invoices SET currency = 'EUR' WHERE invoice_id = 'IU2'$$, '23514', '%is in USD, but invoice IU2 is in EUR',
                'changing the currency of an invoice with a payment in the old one is rejected');
INSERT INTO ar.payments (customer_id, invoice_id, payment_date, amount, currency) VALUES ('E1', NULL, '2026-03-20', 10, 'EUR');
SELECT t.raises($$UPDATE ar.customers SET currency = 'USD' WHERE customer_id = 'E1'$$, '23514', '%is in EUR, but customer E1 is in USD',
                'changing the currency of a customer with unapplied cash in the old one is rejected');
UPDATE ar.customers SET name = 'Euro AG' WHERE customer_id = 'E1';
SELECT t.eq((SELECT name FROM ar.customers WHERE customer_id = 'E1'), 'Euro AG', 'an update that keeps the currency is not checked against the payments');
ROLLBACK;

SELECT ar.refresh('2026-03-31');
SELECT t.eq((SELECT status FROM ar.refresh_log ORDER BY run_id DESC LIMIT 1), 'succeeded', 'the refresh of the two-currency portfolio succeeds');
-- Collections performance in the reporting currency (docs/currency.md: each customer's cash
-- of a day in a currency converted at that day's rate, then added). In a rolled-back
-- transaction: a EUR->USD rate of 1.25 from 03-10, and E1 pays 0.01 EUR of IE2 (current)
-- on each of 03-12, 03-13 and 03-14, and 20 USD of its dollar invoice IE3 (current) on 03-21.
-- E1's March, EUR: 300 EUR of 03-05 at 1.20 = 360.00 (at 1.25, the rate of later days:
-- 375.00), + 0.01 * 1.25 = 0.0125 -> 0.01 on each of the three days: collected 360.03
-- (converting the three days' sum would give 0.03 * 1.25 = 0.0375 -> 0.04, 360.04);
-- recovered 360.00 (IE1 was due 02-19, before March).
-- E1's March, USD: 20 (no rate needed), not recovered (IE3 is current).
-- U1: February 400 (IU1 due 02-09, not before February: not recovered); March 100, recovered 100.
BEGIN;
INSERT INTO ar.fx_rates (from_currency, to_currency, rate_date, rate) VALUES ('EUR', 'USD', '2026-03-10', 1.25);
INSERT INTO ar.payments (customer_id, invoice_id, payment_date, amount) VALUES
    ('E1', 'IE2', '2026-03-12', 0.01), ('E1', 'IE2', '2026-03-13', 0.01), ('E1', 'IE2', '2026-03-14', 0.01), ('E1', 'IE3', '2026-03-21', 20);
SELECT ar.refresh('2026-03-31');
SELECT t.eq((SELECT string_agg(format('%s %s %s: %s %s', customer_id, month, currency, collected, recovered), '; ' ORDER BY customer_id, month, currency)
               FROM ar.collections_performance_data),
            'E1 2026-03-01 EUR: 360.03 360.00; E1 2026-03-01 USD: 20.00 0; U1 2026-02-01 USD: 400.00 0; U1 2026-03-01 USD: 100.00 100.00',
            'collections performance: cash converted per customer, currency and day at that day''s rate (reporting currency USD)');
ROLLBACK;
-- The accuracy report as of 03-31 is the forecast of 91 days before, 2025-12-30, before the
-- first EUR rate (2026-01-01): E1's 300 EUR received in week 10 (03-05) converts at that
-- date's rate, which is missing: no rows and a WARNING, not a failed refresh and not the
-- first 9 weeks alone.
SELECT t.eq((SELECT count(*) FROM ar.cash_forecast_accuracy), 0::bigint, 'no EUR rate on 2025-12-30: the accuracy report is empty (with a warning), not partial');

-- Portfolio aging in USD at the as-of date's EUR rate 1.20:
--   current = USD (IU2 500 + IE3 120) + EUR IE2 200 * 1.20 = 620 + 240 = 860.00
--   31-60   = USD IU1 500 + EUR IE1 700 * 1.20 = 500 + 840 = 1340.00;  total 2200.00
SELECT t.eq((SELECT amount FROM ar.portfolio_aging WHERE segment = 'smb' AND bucket = 'current'), 860.00, 'aging current = 620 USD + 200 EUR * 1.20 = 860.00');
SELECT t.eq((SELECT amount FROM ar.portfolio_aging WHERE segment = 'smb' AND bucket = '31-60'), 1340.00, 'aging 31-60 = 500 USD + 700 EUR * 1.20 = 1340.00');
SELECT t.eq((SELECT sum(amount) FROM ar.portfolio_aging), 2200.00, 'aging total 2200.00 (not 2020 = the EUR amounts counted as dollars)');
SELECT t.eq((SELECT round(share_of_total, 4) FROM ar.portfolio_aging WHERE bucket = 'current'), 0.3909, 'share current = 860 / 2200 = 0.3909');
SELECT t.eq((SELECT string_agg(DISTINCT currency, ',') FROM ar.portfolio_aging), 'USD', 'portfolio aging says its currency');
SELECT t.eq((SELECT invoice_count FROM ar.portfolio_aging WHERE bucket = 'current'), 3::bigint, '3 current invoices (IU2, IE2, IE3)');
SELECT t.eq((SELECT customer_count FROM ar.portfolio_aging WHERE bucket = 'current'), 2::bigint,
            '2 customers in current: U1 (IU2) and E1, counted once for its EUR (IE2) and USD (IE3) invoices');

-- Currency exposure: EUR open 700 + 200 = 900, past due 700; in USD 1080.00 and 840.00.
--   USD open 500 + 500 + 120 = 1120, past due 500.
SELECT t.eq((SELECT (open_amount, past_due_amount, open_amount_reporting, past_due_amount_reporting, rate)::text
               FROM ar.currency_exposure WHERE currency = 'EUR'), '(900.00,700.00,1080.00,840.00,1.20)', 'EUR exposure: 900 / 700 EUR = 1080.00 / 840.00 USD at 1.20');
SELECT t.eq((SELECT (open_amount, past_due_amount, open_amount_reporting, customers)::text
               FROM ar.currency_exposure WHERE currency = 'USD'), '(1120.00,500.00,1120.00,2)', 'USD exposure: 1120 open, 500 past due, of 2 customers (IE3 is E1''s)');
SELECT t.eq((SELECT round(share_of_open, 4) FROM ar.currency_exposure WHERE currency = 'EUR'), 0.4909, 'EUR share of the open book = 1080 / 2200');

-- Monthly KPIs (All segments), in USD:
-- March: ending receivables at 03-31 (rate 1.20) = 1120 + 900 * 1.20 = 2200.00; of it
--   current = 620 + 200 * 1.20 = 860.00; beginning (at 02-28, rate 1.20) = USD 1000 - 400
--   + EUR 1000 * 1.20 = 1800.00; credit sales = USD 500 + 120 + EUR 200 at the 03-10 rate
--   1.20 = 860.00; DSO = 2200 / 860 * 31 = 79.3023.
SELECT t.eq((SELECT (ending_receivables, ending_current_receivables, beginning_receivables, credit_sales)::text FROM ar.portfolio_kpis_monthly
              WHERE segment = 'All segments' AND month = '2026-03-01'), '(2200.00,860.00,1800.00,860.00)', 'March receivables and sales in USD');
SELECT t.eq((SELECT round(dso, 4) FROM ar.portfolio_kpis_monthly WHERE segment = 'All segments' AND month = '2026-03-01'), 79.3023, 'March DSO = 2200 / 860 * 31 = 79.3023');
-- January: sales = 1000 USD + 1000 EUR at the 01-20 rate 1.10 = 2100.00; ending at 01-31 = 2100.00.
SELECT t.eq((SELECT (credit_sales, ending_receivables)::text FROM ar.portfolio_kpis_monthly
              WHERE segment = 'All segments' AND month = '2026-01-01'), '(2100.00,2100.00)', 'January: the EUR invoice at its own date''s rate 1.10');
-- March payments: U1 100 USD after 54 days (01-10 -> 03-05), E1 300 EUR = 360 USD at the
-- 03-05 rate after 44 days (01-20 -> 03-05): weighted ADTP = (54*100 + 44*360) / 460 = 46.1739
-- (counting the euros as dollars would give (5400 + 13200) / 400 = 46.5).
SELECT t.eq((SELECT round(adtp_weighted, 4) FROM ar.portfolio_kpis_monthly WHERE segment = 'All segments' AND month = '2026-03-01'), 46.1739,
            'March weighted ADTP with amount weights in USD at each payment''s date = 46.1739');
-- The BI shapes of the same figures: the long KPI view, and the ADTP trend by segment and
-- collector (both customers are smb without a collector: one row; simple ADTP = (54 + 44) / 2
-- = 49 over the 2 items; weighted as above; terms Net 30 for both = 30).
SELECT t.eq((SELECT round(value, 4) FROM ar.portfolio_kpis_long WHERE segment = 'All segments' AND month = '2026-03-01' AND metric = 'dso'), 79.3023,
            'portfolio_kpis_long: March DSO 79.3023');
SELECT t.eq((SELECT (paid_items, round(adtp, 4), round(adtp_weighted, 4), round(payment_terms_days, 2), currency)::text FROM ar.adtp_trend_portfolio
              WHERE month = '2026-03-01' AND segment = 'smb' AND collector = '(none)'), '(2,49.0000,46.1739,30.00,USD)',
            'adtp_trend_portfolio: March, 2 items, simple 49, weighted 46.1739 in USD, terms 30');

-- Customer health in the customer's currency: E1 (EUR) has IE1 700 + IE2 200 EUR and IE3
-- 120 USD = 100.00 EUR at the as-of date's rate: open 1000.00, current 300.00, 31-60 700.00;
-- credit sales of 90 days: 1000 + 200 + 120 USD at the 03-20 rate = 100.00 -> 1300.00.
SELECT t.eq((SELECT (open_amount, current_amount, days_31_60, past_due_amount, credit_sales_90d)::text FROM ar.customer_health WHERE customer_id = 'E1'),
            '(1000.00,300.00,700.00,700.00,1300.00)', 'E1''s health in EUR, its USD invoice converted');
SELECT t.eq((SELECT open_amount FROM ar.customer_health WHERE customer_id = 'U1'), 1000.00, 'U1''s health in USD: 500 + 500');
-- Segment risk in USD: U1 1000 + E1 1000 EUR * 1.20 = 2200.00
SELECT t.eq((SELECT sum(exposure) FROM ar.segment_risk WHERE segment = 'smb'), 2200.00, 'segment risk exposure = 1000 + 1000 EUR * 1.20 = 2200.00');
-- Worklist of E1: past due 700 EUR (IE1 only)
SELECT t.eq((SELECT past_due_amount FROM ar.collections_worklist WHERE customer_id = 'E1'), 700.00, 'E1''s worklist row: 700 EUR past due');

-- Order holds compare the past-due amount in the customer's currency with the policy's
-- (default 25,000.00; 60 days). Two euro customers with one dollar invoice each, due
-- 03-01 (30 days past due on 03-31, 29 on 03-30), at the EUR->USD rate 1.20 of both dates:
--   H1 27,600 USD = 23,000.00 EUR: under the amount, no hold (as dollars, 27,600 >= 25,000 would place one);
--   H2 36,000 USD = 30,000.00 EUR: a hold to place, past due 30,000.00 EUR.
BEGIN;
INSERT INTO ar.customers (customer_id, name, segment, currency) VALUES ('H1', 'Haus Eins', 'smb', 'EUR'), ('H2', 'Haus Zwei', 'smb', 'EUR');
INSERT INTO ar.invoices (invoice_id, customer_id, invoice_date, due_date, amount, currency) VALUES
    ('IH1', 'H1', '2026-01-30', '2026-03-01', 27600, 'USD'), ('IH2', 'H2', '2026-01-30', '2026-03-01', 36000, 'USD');
SELECT ar.refresh('2026-03-31');
SELECT t.eq((SELECT string_agg(format('%s %s %s %s: %s', customer_id, recommendation, past_due_amount, oldest_days_past_due, reason), '; ')
               FROM ar.order_hold_recommendations WHERE customer_id IN ('H1', 'H2')),
            'H2 place 30000.00 30: past due EUR 30,000.00 >= EUR 25,000.00',
            'order holds (stored): dollar invoices of euro customers converted before the policy''s amount');
SELECT t.eq((SELECT string_agg(format('%s %s %s %s', customer_id, recommendation, past_due_amount, oldest_days_past_due), '; ')
               FROM ar.order_hold_recommendations_at('2026-03-30') WHERE customer_id IN ('H1', 'H2')),
            'H2 place 30000.00 29', 'order holds of another date (computed): the same conversion');
ROLLBACK;

-- Payment-behaviour weights in the customer's currency (ar._payment_behaviour_at, read by
-- health, early warnings and the forecast). M1 (EUR) paid IM1 1000 EUR (02-01, due 03-03)
-- on 03-13: 40 days to pay, 10 beyond terms; and IM2 3600 USD (02-10, due 03-12) on 03-12:
-- 30 days, 0 beyond terms; 3600 USD at the 03-12 rate 1.20 = 3000 EUR. Weighted days to pay
-- = (40 * 1000 + 30 * 3000) / 4000 = 32.5 and beyond terms = 10 * 1000 / 4000 = 2.5
-- (dollars counted as euros would give 148000 / 4600 = 32.17 and 10000 / 4600 = 2.17).
-- IM3 500 EUR (03-20, due 04-19) is open: expected on due + round(2.5) = 3 days = 04-22
-- (the mixed weights would say round(2.17) = 2 days: 04-21). As of 04-01, a day the views
-- were not refreshed for (their stored open items are of 03-31, before M1).
INSERT INTO ar.customers (customer_id, name, segment, currency) VALUES ('M1', 'Mixed SA', 'smb', 'EUR');
INSERT INTO ar.invoices (invoice_id, customer_id, invoice_date, due_date, amount, currency) VALUES
    ('IM1', 'M1', '2026-02-01', '2026-03-03', 1000, 'EUR'), ('IM2', 'M1', '2026-02-10', '2026-03-12', 3600, 'USD'),
    ('IM3', 'M1', '2026-03-20', '2026-04-19', 500, 'EUR');
INSERT INTO ar.payments (customer_id, invoice_id, payment_date, amount) VALUES ('M1', 'IM1', '2026-03-13', 1000), ('M1', 'IM2', '2026-03-12', 3600);
SELECT t.eq((SELECT (round(adtp_weighted_12m, 4), round(avg_days_beyond_terms_weighted_12m, 4), paid_items_90d)::text FROM ar.customer_health_at('2026-04-01') WHERE customer_id = 'M1'),
            '(32.5000,2.5000,2)', 'M1''s weighted days to pay 32.5 and beyond terms 2.5, its USD payment weighted in EUR');
SELECT t.eq((SELECT (days_beyond_terms, expected_date)::text FROM ar.cash_forecast_items_at('2026-04-01') WHERE invoice_id = 'IM3'),
            '(3,2026-04-22)', 'M1''s open invoice expected 3 days after its due date (round(2.5)), from EUR weights');
SELECT t.eq((SELECT (ar.item_count(s90), round(ar.adtp_weighted(s90), 4), coalesce(ar.item_count(before_90d), 0))::text FROM ar._payment_behaviour_at('2026-04-01') WHERE customer_id = 'M1'),
            '(2,32.5000,0)', 'the 90-day behaviour early warnings read: 2 payments, 32.5 weighted days; none in the 9 months before');
-- The refresh's form for a set of customers (their payments filtered in the scan): M1's
-- row alone, the same summaries; a set without M1 has no M1 row; {} none; NULL every one.
SELECT t.eq((SELECT string_agg(format('%s %s %s', customer_id, ar.item_count(s90), round(ar.adtp_weighted(s90), 4)), '; ')
               FROM ar._payment_behaviour_at('2026-04-01', ARRAY['M1'])),
            'M1 2 32.5000', 'for {M1}: M1''s row only, 2 payments, 32.5 weighted days');
SELECT t.eq((SELECT count(*) FROM ar._payment_behaviour_at('2026-04-01', ARRAY['M1']) x JOIN ar._payment_behaviour_at('2026-04-01') y
              USING (customer_id) WHERE (x.s12, x.s90, x.before_90d)::text = (y.s12, y.s90, y.before_90d)::text), 1::bigint,
            'for {M1}: the same three summaries as every customer''s form');
SELECT t.eq((SELECT count(*) FROM ar._payment_behaviour_at('2026-04-01', ARRAY['C001', 'C002']) WHERE customer_id = 'M1'), 0::bigint,
            'a set without M1: no M1 row');
SELECT t.eq((SELECT count(*) FROM ar._payment_behaviour_at('2026-04-01', '{}')), 0::bigint, 'an empty set: no row');
SELECT t.eq((SELECT count(*) FROM ar._payment_behaviour_at('2026-04-01', NULL)), (SELECT count(*) FROM ar._payment_behaviour_at('2026-04-01')),
            'NULL: every customer''s row');
DELETE FROM ar.payments WHERE customer_id = 'M1';
DELETE FROM ar.invoices WHERE customer_id = 'M1';
DELETE FROM ar.customers WHERE customer_id = 'M1';

-- A missing rate never becomes a silent sum: a GBP account without rates fails the
-- refresh, which names the currency and the date; the views keep the previous figures.
INSERT INTO ar.customers (customer_id, name, segment, currency) VALUES ('G1', 'Pound Ltd', 'smb', 'GBP');
INSERT INTO ar.invoices (invoice_id, customer_id, invoice_date, due_date, amount, currency) VALUES ('IG1', 'G1', '2026-03-01', '2026-03-31', 50, 'GBP');
SELECT t.ok((SELECT ar.refresh('2026-04-01')) LIKE 'failed:%no exchange rate from GBP to USD on or before 2026-%', 'the refresh fails naming GBP, USD and the date');
SELECT t.eq((SELECT status FROM ar.refresh_log ORDER BY run_id DESC LIMIT 1), 'failed', 'the failure is logged');
SELECT t.eq((SELECT (max(as_of), sum(amount))::text FROM ar.portfolio_aging), '(2026-03-31,2200.00)', 'the views keep the previous as-of date and figures');
DELETE FROM ar.invoices WHERE invoice_id = 'IG1';
DELETE FROM ar.customers WHERE customer_id = 'G1';

-- Another reporting currency: EUR. Aging current = 620 USD / 1.20 = 516.67 + 200 = 716.67;
-- 31-60 = 500 / 1.20 = 416.67 + 700 = 1116.67. March weighted ADTP in EUR: U1's 100 USD =
-- 83.33 EUR: (54 * 83.33 + 44 * 300) / 383.33 (the trend rows are rebuilt for the new currency).
SELECT ar.set_reporting_currency('EUR');
SELECT ar.refresh('2026-03-31');
SELECT t.eq((SELECT string_agg(amount::text || ' ' || currency, ', ' ORDER BY bucket_order) FROM ar.portfolio_aging WHERE amount <> 0),
            '716.67 EUR, 1116.67 EUR', 'aging in EUR: 716.67 current, 1116.67 in 31-60');
SELECT t.eq((SELECT round(adtp_weighted, 6) FROM ar.portfolio_kpis_monthly WHERE segment = 'All segments' AND month = '2026-03-01'),
            round((54 * 83.33 + 44 * 300) / 383.33, 6), 'March weighted ADTP with EUR weights');
SELECT t.eq((SELECT open_amount FROM ar.customer_health WHERE customer_id = 'E1'), 1000.00, 'customer figures stay in the customer''s currency');
SELECT t.eq((SELECT string_agg(DISTINCT currency, ',') FROM ar.cash_forecast_weekly), 'EUR', 'the weekly forecast says it is in EUR now');
SELECT ar.set_reporting_currency('USD');
SELECT ar.refresh('2026-03-31');
SELECT t.eq((SELECT sum(amount) FROM ar.portfolio_aging), 2200.00, 'back in USD: 2200.00 again');

-- A rate corrected for a past date reaches the stored trend rows at the next refresh:
-- the 03-05 EUR payment at 1.30 (a rate dated 03-01) = 390 USD: (5400 + 44 * 390) / 490.
INSERT INTO ar.fx_rates VALUES ('EUR', 'USD', '2026-03-01', 1.30);
SELECT ar.refresh('2026-03-31');
SELECT t.eq((SELECT round(adtp_weighted, 6) FROM ar.portfolio_kpis_monthly WHERE segment = 'All segments' AND month = '2026-03-01'),
            round((5400 + 44 * 390) / 490.0, 6), 'a backdated rate is applied to the stored ADTP rows');
SELECT t.eq((SELECT sum(amount) FROM ar.portfolio_aging), 2290.00, 'and to the aging: 1120 + 900 * 1.30 = 2290.00');

-- ar.sync rejects a staged payment in another currency than its invoice.
INSERT INTO ar.stage_payments (source_id, customer_id, invoice_id, payment_date, amount, currency) VALUES
    ('SP1', 'E1', 'IE2', '2026-03-20', '50', 'USD'), ('SP2', 'E1', 'IE2', '2026-03-20', '50', 'eur');
SELECT * FROM ar.sync('fx');
SELECT t.eq((SELECT reason FROM ar.sync_rejects WHERE batch = (SELECT max(batch) FROM ar.sync_rejects)), 'payment in USD, but invoice IE2 is in EUR (docs/currency.md)',
            'ar.sync: a USD payment of a EUR invoice is rejected with its reason');
SELECT t.eq((SELECT currency FROM ar.payments WHERE source_id = 'SP2'), 'EUR', 'ar.sync: a payment in its invoice''s currency is loaded');

-- The demo's option: a share of EUR, GBP and JPY accounts with their rate history.
SELECT ar.generate_demo(customers => 200, seed => 5, as_of => '2026-06-30', replace => true, foreign_share => 0.3);
SELECT t.ok((SELECT count(DISTINCT currency) FROM ar.customers) = 4 AND (SELECT count(*) FILTER (WHERE currency <> 'USD') FROM ar.customers) BETWEEN 40 AND 80,
            'foreign_share 0.3: about 30 % of 200 accounts in EUR, GBP or JPY');
SELECT t.eq((SELECT count(*) FROM ar.invoices i JOIN ar.customers c USING (customer_id) WHERE i.currency <> c.currency), 0::bigint, 'demo invoices are in their customer''s currency');
SELECT t.eq((SELECT count(*) FROM ar.invoices WHERE currency = 'JPY' AND amount <> round(amount)), 0::bigint, 'demo yen amounts have no decimals');
SELECT t.ok((SELECT ar.refresh('2026-06-30')) LIKE 'succeeded%', 'the multi-currency demo refreshes');
-- Aging converts each currency's sum per segment and bucket, the exposure each currency's
-- total: every converted sum is rounded to the cent (at most 0.005 off), so the totals
-- differ by at most 0.005 * (3 foreign currencies * 18 segment-buckets + 3).
SELECT t.ok(abs((SELECT sum(amount) FROM ar.portfolio_aging) - (SELECT sum(open_amount_reporting) FROM ar.currency_exposure)) <= 0.005 * (3 * 18 + 3),
            'demo: portfolio aging total = the converted exposure total, to the rounding of the converted sums');
SELECT t.raises($$SELECT ar.generate_demo(customers => 5, replace => true, foreign_share => 1.5)$$, '22023', '%foreign_share%', 'foreign_share outside 0..1 is refused');
