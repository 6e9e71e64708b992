-- ar.payment_stats and its accessors, against hand-computed figures.
-- Items (invoice, due, paid, amount):
--   r1 2026-01-01 2026-01-31 2026-01-21 100.00  days to pay 20, beyond -10, late 0
--   r2 2026-01-01 2026-01-31 2026-02-15 300.00  days to pay 45, beyond 15,  late 15
--   r3 2026-02-01 2026-02-16 2026-03-18 600.00  days to pay 45 (Feb 2026 has 28 days), beyond 30, late 30
--   r4 2026-03-01 2026-03-31 NULL        50.00  unpaid: skipped
CREATE TABLE items (cust text, invoice_date date, due_date date, payment_date date, amount numeric(18,2));
INSERT INTO items VALUES
  ('X', '2026-01-01', '2026-01-31', '2026-01-21', 100.00),
  ('X', '2026-01-01', '2026-01-31', '2026-02-15', 300.00),
  ('Y', '2026-02-01', '2026-02-16', '2026-03-18', 600.00),
  ('Y', '2026-03-01', '2026-03-31', NULL, 50.00);
CREATE TABLE s AS SELECT ar.payment_stats(invoice_date, due_date, payment_date, amount) AS s FROM items;

SELECT t.eq(ar.item_count(s), 3::bigint, 'three settled items (the unpaid one is skipped)') FROM s;
SELECT t.eq(ar.amount(s), 1000.00, 'amount 100 + 300 + 600') FROM s;
SELECT t.eq(ar.adtp(s), 110::numeric / 3, 'ADTP simple (20 + 45 + 45) / 3') FROM s;
SELECT t.eq(round(ar.adtp(s), 4), 36.6667, 'ADTP simple = 36.6667') FROM s;
SELECT t.eq(ar.adtp_weighted(s), 42.5, 'ADTP weighted (100*20 + 300*45 + 600*45) / 1000 = 42.5') FROM s;
SELECT t.eq(ar.avg_days_late(s), 15::numeric, 'days late simple (0 + 15 + 30) / 3 = 15') FROM s;
SELECT t.eq(ar.avg_days_late_weighted(s), 22.5, 'days late weighted (0 + 4500 + 18000) / 1000 = 22.5') FROM s;
SELECT t.eq(ar.avg_days_beyond_terms_weighted(s), 21.5, 'days beyond terms weighted (-1000 + 4500 + 18000) / 1000 = 21.5') FROM s;
SELECT t.eq(round(ar.avg_days_beyond_terms(s), 4), 11.6667, 'days beyond terms simple (-10 + 15 + 30) / 3 = 11.6667') FROM s;
SELECT t.eq(ar.on_time_rate(s), 1::numeric / 3, 'on-time rate 1 of 3') FROM s;
-- payment index of 21.5 days: between 15 -> 70 and 22 -> 60: 70 - 6.5 * 10 / 7 = 60.71 -> 61
SELECT t.eq(ar.payment_index(s), 61, 'payment index of 21.5 days beyond terms = 61') FROM s;
SELECT t.eq(ar.payment_index(s), ar.payment_index(ar.avg_days_beyond_terms_weighted(s)), 'payment_index(s) = payment_index(avg_days_beyond_terms_weighted(s))') FROM s;
SELECT t.eq(ar.first_payment_date(s), date '2026-01-21', 'first payment date') FROM s;
SELECT t.eq(ar.last_payment_date(s), date '2026-03-18', 'last payment date') FROM s;
-- simple and weighted differ: a small early payment and big late ones
SELECT t.ok(ar.adtp(s) < ar.adtp_weighted(s), 'weighted ADTP above simple when the big items are slow') FROM s;

-- Text form round-trips exactly, and is readable
SELECT t.eq(s::text, '(items=3,on_time=1,days_to_pay=110,days_late=45,days_beyond=35,amount=1000.00,amount_days_to_pay=42500.00,amount_days_late=22500.00,amount_days_beyond=21500.00,first_payment=2026-01-21,last_payment=2026-03-18)',
            'text form of the summary') FROM s;
SELECT t.eq(s::text::ar.paymentstats::text, s::text, 'text round trip') FROM s;
SELECT t.raises($$SELECT '(items=x)'::ar.paymentstats$$, '22P02', 'invalid ar.paymentstats text%', 'bad summary text');

-- rollup of per-customer summaries = one pass over all rows
SELECT t.eq((SELECT ar.rollup(ps)::text FROM (SELECT ar.payment_stats(invoice_date, due_date, payment_date, amount) ps FROM items GROUP BY cust) g),
            (SELECT s::text FROM s), 'rollup of per-customer summaries equals one pass');
SELECT t.eq((SELECT ar.adtp_weighted(ar.rollup(ps)) FROM (SELECT ar.payment_stats(invoice_date, due_date, payment_date, amount) ps FROM items GROUP BY cust) g),
            42.5, 'rollup accessors: weighted ADTP 42.5');
SELECT t.eq((SELECT ar.rollup(ps) FROM (SELECT NULL::ar.paymentstats ps) g)::text, '(items=0,on_time=0,days_to_pay=0,days_late=0,days_beyond=0,amount=0,amount_days_to_pay=0,amount_days_late=0,amount_days_beyond=0)',
            'rollup of only NULL summaries is an empty summary');

-- Edge cases
SELECT t.eq(ar.item_count(ar.payment_stats(invoice_date, due_date, payment_date, amount)), 0::bigint, 'no rows: item_count 0') FROM items WHERE false;
SELECT t.eq(ar.adtp(ar.payment_stats(invoice_date, due_date, payment_date, amount)), NULL::numeric, 'no rows: ADTP NULL') FROM items WHERE false;
SELECT t.eq(ar.payment_index(ar.payment_stats(invoice_date, due_date, payment_date, amount)), NULL::int, 'only unpaid rows: payment index NULL') FROM items WHERE payment_date IS NULL;
SELECT t.eq(ar.adtp(ar.payment_stats('2024-02-28', '2024-03-29', '2024-03-01', 10.00)), 2::numeric, 'single row across leap day: 2 days to pay');
SELECT t.eq(ar.on_time_rate(ar.payment_stats('2026-01-01', '2026-01-31', '2026-01-31', 10.00)), 1::numeric, 'paid on the due date is on time');
SELECT t.eq(ar.avg_days_late(ar.payment_stats('2026-01-01', '2026-01-31', '2026-01-11', 10.00)), 0::numeric, 'early payment: 0 days late');
SELECT t.eq(ar.avg_days_beyond_terms_weighted(ar.payment_stats('2026-01-01', '2026-01-31', '2026-01-11', 10.00)), -20::numeric, 'early payment: -20 days beyond terms');
SELECT t.eq(ar.payment_index(ar.payment_stats('2026-01-01', '2026-01-31', '2026-01-11', 10.00)), 90, 'paid 20 days early: index 90');
SELECT t.eq(ar.adtp_weighted(ar.payment_stats('2026-01-01', '2026-01-31', '2026-01-11', 0)), NULL::numeric, 'zero amount: weighted figures NULL');
-- 100.00 paid 10 days late and 300.00 paid 5 days early: weighted days late (100*10 + 300*0) / 400 = 2.5,
-- simple (10 + 0) / 2 = 5; weighted beyond terms (1000 - 1500) / 400 = -1.25
SELECT t.eq(ar.avg_days_late_weighted(ar.payment_stats('2026-01-01', '2026-01-31', p, a)), 2.5, 'days late weighted, second example: 2.5')
  FROM (VALUES (date '2026-02-10', 100.00), (date '2026-01-26', 300.00)) v(p, a);
SELECT t.eq(ar.avg_days_late(ar.payment_stats('2026-01-01', '2026-01-31', p, a)), 5::numeric, 'days late simple, second example: 5')
  FROM (VALUES (date '2026-02-10', 100.00), (date '2026-01-26', 300.00)) v(p, a);
SELECT t.eq(ar.avg_days_beyond_terms_weighted(ar.payment_stats('2026-01-01', '2026-01-31', p, a)), -1.25, 'days beyond terms weighted, second example: -1.25')
  FROM (VALUES (date '2026-02-10', 100.00), (date '2026-01-26', 300.00)) v(p, a);
SELECT t.eq(ar.adtp(ar.payment_stats('2026-01-01', '2026-01-31', '2026-01-11', 0)), 10::numeric, 'zero amount: still counted in simple figures');
SELECT t.eq(ar.amount(ar.payment_stats('2026-01-01', '2026-01-31', '2026-01-11', x)), 0.6, 'amounts of any scale sum exactly (0.1 + 0.25 + 0.25)')
  FROM (VALUES (0.1), (0.25), (0.25)) v(x);
SELECT t.eq(ar.adtp(ar.payment_stats('2026-01-01', '2026-01-31', '2026-01-11', NULL)), NULL::numeric, 'NULL amount rows are skipped');

-- Bad input
SELECT t.raises($$SELECT ar.payment_stats('2026-01-01', '2026-01-31', '2026-01-11', -1)$$, '22023', 'ar.payment_stats: amount must not be negative, got -1', 'negative amount');
SELECT t.raises($$SELECT ar.payment_stats('2026-01-01', '2026-01-31', '2026-01-11', 'NaN')$$, '22023', 'amount must be a finite number, got NaN', 'NaN amount');
SELECT t.raises($$SELECT ar.payment_stats('2026-02-01', '2026-01-31', '2026-01-11', 1)$$, '22023', 'ar.payment_stats: due_date 2026-01-31 is before invoice_date 2026-02-01', 'due before invoice');
SELECT t.raises($$SELECT ar.payment_stats('2026-01-01', '2026-01-31', 'infinity', 1)$$, '22008', 'payment_date must be a finite date, got infinity', 'infinite payment date');
SELECT t.raises($$SELECT ar.payment_stats('-infinity', '2026-01-31', '2026-01-11', 1)$$, '22008', 'invoice_date must be a finite date, got -infinity', 'minus infinite invoice date');
SELECT t.raises($$SELECT ar.payment_stats('2026-01-01', NULL, '2026-01-11', 1)$$, '22004', 'ar.payment_stats: due_date must not be NULL%', 'NULL due date on a paid row');
SELECT t.raises($$SELECT ar.payment_stats('2026-01-01', '2026-01-31', '2026-01-11', 1e37)$$, '22003', '%exceeds the supported range%', 'amount x days beyond 128 bits is a clear error');
-- largest numeric(18,2) amounts over many rows still sum exactly
SELECT t.eq(ar.amount(ar.payment_stats('2026-01-01', '2026-01-31', '2026-01-11', 9999999999999999.99)), 9999999999999999.99 * 1000, 'max numeric(18,2) x 1000 rows exact')
  FROM generate_series(1, 1000);
