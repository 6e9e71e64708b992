-- ar.aging and its accessors, against hand-computed bucket sums.
-- (open amount, days past due):
--   (100.00,-5) (50.50,0)            -> current 150.50 / 2
--   (20.00,1) (30.00,30)             -> 1-30     50.00 / 2
--   (40.00,31)                       -> 31-60    40.00 / 1
--   (7.25,90)                        -> 61-90     7.25 / 1
--   (8.00,91) (9.00,120)             -> 91-120   17.00 / 2
--   (1000.00,121)                    -> 121+   1000.00 / 1
--   (NULL,50)                        -> skipped
-- total 1264.75, past due 1114.25, 9 items
CREATE TABLE oi (seg text, open_amount numeric(18,2), dpd int);
INSERT INTO oi VALUES ('a', 100.00, -5), ('a', 50.50, 0), ('a', 20.00, 1), ('b', 30.00, 30), ('b', 40.00, 31),
                      ('a', 7.25, 90), ('b', 8.00, 91), ('a', 9.00, 120), ('b', 1000.00, 121), ('b', NULL, 50);
CREATE TABLE s AS SELECT ar.aging(open_amount, dpd) AS s FROM oi;

SELECT t.eq(string_agg(bucket || '=' || amount || '/' || item_count, ' ' ORDER BY ordinal),
            'current=150.50/2 1-30=50.00/2 31-60=40.00/1 61-90=7.25/1 91-120=17.00/2 121+=1000.00/1', 'standard buckets in order')
  FROM s, ar.buckets(s);
SELECT t.eq(ar.total(s), 1264.75, 'total = sum of inputs 1264.75') FROM s;
SELECT t.eq(ar.past_due(s), 1114.25, 'past due = total - current = 1114.25') FROM s;
SELECT t.eq(ar.item_count(s), 9::bigint, '9 items (NULL amount skipped)') FROM s;
SELECT t.eq(ar.bucket_amount(s, '91-120'), 17.00, 'bucket_amount 91-120') FROM s;
SELECT t.eq(ar.bucket_count(s, 'current'), 2::bigint, 'bucket_count current') FROM s;
SELECT t.eq(ar.total(s), (SELECT sum(open_amount) FROM oi), 'total equals sum() exactly') FROM s;
SELECT t.raises($$SELECT ar.bucket_amount(s, '0-30') FROM s$$, '22023', 'unknown aging bucket "0-30"; this summary''s buckets are current, 1-30, 31-60, 61-90, 91-120, 121+', 'unknown bucket name lists the valid ones');
SELECT t.eq(s::text, '(bounds={30;60;90;120},current=150.50/2,1-30=50.00/2,31-60=40.00/1,61-90=7.25/1,91-120=17.00/2,121+=1000.00/1)', 'text form') FROM s;
SELECT t.eq(s::text::ar.agingsummary::text, s::text, 'text round trip') FROM s;

-- user bounds {15,45}: current 150.50/2, 1-15 20.00/1, 16-45 70.00/2, 46+ 1024.25/4
SELECT t.eq(string_agg(bucket || '=' || amount || '/' || item_count, ' ' ORDER BY ordinal),
            'current=150.50/2 1-15=20.00/1 16-45=70.00/2 46+=1024.25/4', 'custom bounds {15,45}')
  FROM (SELECT ar.aging(open_amount, dpd, '{15,45}') s FROM oi) x, ar.buckets(s);
SELECT t.eq(ar.bounds(ar.aging(open_amount, dpd, '{15,45}')), '{15,45}'::int[], 'bounds accessor') FROM oi;
SELECT t.raises($$SELECT ar.aging(open_amount, dpd, CASE WHEN dpd > 50 THEN '{10}'::int[] ELSE '{15,45}' END) FROM oi$$, '22023', 'ar.aging: bounds must be the same for every row of a group%', 'bounds changing within a group');
SELECT t.raises($$SELECT ar.aging(open_amount, dpd, '{45,15}') FROM oi$$, '22023', '%strictly ascending%', 'unsorted bounds in the aggregate');
SELECT t.raises($$SELECT ar.aging(open_amount, dpd, NULL) FROM oi$$, '22004', 'ar.aging: bounds must not be NULL', 'NULL bounds');

-- rollup by segment = one pass; sums across segments equal the total exactly
SELECT t.eq((SELECT ar.rollup(a)::text FROM (SELECT ar.aging(open_amount, dpd) a FROM oi GROUP BY seg) g), (SELECT s::text FROM s), 'rollup of segment summaries = one pass');
SELECT t.eq((SELECT sum(ar.total(a)) FROM (SELECT ar.aging(open_amount, dpd) a FROM oi GROUP BY seg) g), 1264.75, 'segment totals add up to 1264.75');
SELECT t.raises($$SELECT ar.rollup(a) FROM (SELECT ar.aging(open_amount, dpd) a FROM oi UNION ALL SELECT ar.aging(open_amount, dpd, '{15}') FROM oi) g$$,
                '22023', '%cannot combine aging summaries with different bucket bounds', 'rollup refuses different bounds');

-- Edge and bad input
SELECT t.eq(ar.total(ar.aging(open_amount, dpd)), 0::numeric, 'no rows: standard summary with total 0') FROM oi WHERE false;
SELECT t.ok(ar.aging(open_amount, dpd, '{15}') IS NULL, 'no rows with user bounds: NULL') FROM oi WHERE false;
SELECT t.eq(ar.total(ar.aging(x, 10)), -5.00, 'negative open amounts (credit balances) are summed as given') FROM (VALUES (10.00), (-15.00)) v(x);
SELECT t.raises($$SELECT ar.aging('NaN', 1)$$, '22023', 'open_amount must be a finite number, got NaN', 'NaN open amount');
SELECT t.raises($$SELECT ar.aging(1, NULL)$$, '22004', 'ar.aging: days_past_due must not be NULL%', 'NULL days past due');

-- The aging of ar.open_items on a tiny portfolio (I1 550.00 at 59 days, I2 175.00 at 65 days, as of 2026-03-31)
INSERT INTO ar.customers (customer_id, name) VALUES ('A', 'Alpha');
INSERT INTO ar.invoices VALUES ('I1', 'A', '2026-01-01', '2026-01-31', 1000.00), ('I2', 'A', '2026-01-10', '2026-01-25', 175.00);
INSERT INTO ar.payments (customer_id, invoice_id, payment_date, amount) VALUES ('A', 'I1', '2026-02-10', 450.00), ('A', 'I1', '2026-04-05', 550.00);
SELECT t.eq((SELECT ar.bucket_amount(ar.aging(open_amount, days_past_due), '31-60') FROM ar.open_items('2026-03-31')), 550.00, 'open_items aging: 550.00 in 31-60 as of 03-31');
SELECT t.eq((SELECT ar.bucket_amount(ar.aging(open_amount, days_past_due), '61-90') FROM ar.open_items('2026-03-31')), 175.00, 'open_items aging: 175.00 in 61-90 as of 03-31');
SELECT t.eq((SELECT ar.total(ar.aging(open_amount, days_past_due)) FROM ar.open_items('2026-04-30')), 175.00, 'as of 04-30 only I2 is open');
