-- Scalar metrics, each checked against values worked out by hand from the
-- definitions in docs/metrics.md.

-- days_past_due = as_of - due_date
SELECT t.eq(ar.days_past_due('2026-01-31', '2026-03-31'), 59, 'dpd: Jan 31 -> Mar 31 2026 = 28 + 31 = 59');
SELECT t.eq(ar.days_past_due('2026-04-14', '2026-03-31'), -14, 'dpd negative = days until due');
SELECT t.eq(ar.days_past_due('2024-02-28', '2024-03-01'), 2, 'dpd across Feb 29 of leap year 2024');
SELECT t.eq(ar.days_past_due('2023-02-28', '2023-03-01'), 1, 'dpd across Feb 2023 (no leap day)');
SELECT t.eq(ar.days_past_due(NULL, '2023-03-01'), NULL::int, 'dpd NULL in, NULL out');
SELECT t.raises($$SELECT ar.days_past_due('infinity', '2026-01-01')$$, '22008', 'due_date must be a finite date%', 'dpd infinite due date');
SELECT t.raises($$SELECT ar.days_past_due('2026-01-01', '-infinity')$$, '22008', 'as_of must be a finite date%', 'dpd infinite as_of');

-- Standard buckets, upper bounds inclusive
SELECT t.eq(string_agg(ar.aging_bucket(d), ',' ORDER BY d), 'current,current,1-30,1-30,31-60,31-60,61-90,61-90,91-120,91-120,121+',
            'standard buckets at -5,0,1,30,31,60,61,90,91,120,121')
  FROM unnest(ARRAY[-5, 0, 1, 30, 31, 60, 61, 90, 91, 120, 121]) d;
-- (0.21.0) the standard bounds as data: the labels above are those of {30,60,90,120}; the
-- standard form equals the custom form with them on every day from -10 to 400; the first
-- days of the buckets after current (the days an item changes bucket) are 1 and each bound + 1
SELECT t.eq(ar.aging_standard_bounds(), '{30,60,90,120}'::integer[], 'the standard bounds: 30, 60, 90, 120 (the labels 1-30 .. 121+)');
SELECT t.eq(count(*) FILTER (WHERE ar.aging_bucket(d) <> ar.aging_bucket(d, ar.aging_standard_bounds())), 0::bigint,
            'ar.aging_bucket(d) = ar.aging_bucket(d, ar.aging_standard_bounds()) for d = -10 .. 400')
  FROM generate_series(-10, 400) d;
SELECT t.eq(ar._aging_bucket_starts(), (SELECT array_agg(d ORDER BY d) FROM generate_series(1, 400) d WHERE ar.aging_bucket(d) <> ar.aging_bucket(d - 1)),
            'the first days of the buckets after current are the days the standard bucket changes ({1,31,61,91,121})');
-- Calendar months from a's month to b's (ar._months_between, the refresh's month counts):
-- January 31 to February 1 is 1 month (days ignored), the same month 0, December 2025 to
-- March 2026 is 3 (across a year: 12 - 12 + 3), backwards -3.
SELECT t.eq(ar._months_between('2026-01-31', '2026-02-01'), 1, 'months between: Jan 31 -> Feb 1 is 1');
SELECT t.eq(ar._months_between('2026-03-01', '2026-03-31'), 0, 'months between: within March is 0');
SELECT t.eq(ar._months_between('2025-12-15', '2026-03-01'), 3, 'months between: Dec 2025 -> Mar 2026 is 3');
SELECT t.eq(ar._months_between('2026-03-01', '2025-12-15'), -3, 'months between: backwards -3');
SELECT t.eq(string_agg(ar.aging_bucket(d, '{15,45}'), ',' ORDER BY d), 'current,1-15,1-15,16-45,16-45,46+',
            'custom bounds {15,45} at 0,1,15,16,45,46')
  FROM unnest(ARRAY[0, 1, 15, 16, 45, 46]) d;
SELECT t.eq(ar.aging_bucket(5, '{1}'), '2+', 'single bound {1}: 5 days is 2+');
SELECT t.raises($$SELECT ar.aging_bucket(5, '{45,15}')$$, '22023', '%strictly ascending: bounds[2] = 15 does not exceed bounds[1] = 45%', 'unsorted bounds named');
SELECT t.raises($$SELECT ar.aging_bucket(5, '{0,15}')$$, '22023', 'bounds[1] is 0; every upper bound must be a positive%', 'non-positive bound named');
SELECT t.raises($$SELECT ar.aging_bucket(5, '{}')$$, '22023', '%at least one%', 'empty bounds');
SELECT t.raises($$SELECT ar.aging_bucket(5, '{1,2,3,4,5,6,7,8,9,10,11,12,13}')$$, '22023', '%at most 12%', '13 bounds are too many');
SELECT t.raises($$SELECT ar.aging_bucket(5, '{15,NULL}')$$, '22004', 'bounds[2] is NULL%', 'NULL inside bounds');
SELECT t.eq(ar.aging_bucket(5, '{1,2,3,4,5,6,7,8,9,10,11,12}'), '5-5', '12 bounds allowed');

-- DSO = receivables * period_days / credit_sales
SELECT t.eq(ar.dso(100000, 300000, 90), 30::numeric, 'DSO 100k / 300k * 90 = 30');
SELECT t.eq(ar.dso(45000, 100000, 30), 13.5, 'DSO 45k / 100k * 30 = 13.5');
SELECT t.eq(round(ar.dso(1, 3, 30), 10), 10.0000000000, 'DSO 1/3 * 30 = 10 (multiplied before dividing)');
SELECT t.eq(ar.dso(100, 0, 30), NULL::numeric, 'DSO without sales is NULL');
SELECT t.eq(ar.dso(NULL, 5, 30), NULL::numeric, 'DSO NULL in, NULL out');
SELECT t.raises($$SELECT ar.dso(-1, 5, 30)$$, '22023', 'receivables must not be negative%', 'DSO negative receivables');
SELECT t.raises($$SELECT ar.dso(1, -5, 30)$$, '22023', 'credit_sales must not be negative%', 'DSO negative sales');
SELECT t.raises($$SELECT ar.dso('NaN', 5, 30)$$, '22023', 'receivables must be a finite number, got NaN', 'DSO NaN');
SELECT t.raises($$SELECT ar.dso(1, 'Infinity', 30)$$, '22023', 'credit_sales must be a finite number, got Infinity', 'DSO infinite sales');
SELECT t.raises($$SELECT ar.dso(1, 5, 0)$$, '22023', 'period_days must be a positive number of days, got 0', 'DSO zero-day period');

-- BPDSO = current receivables * period_days / credit_sales; ADD = DSO - BPDSO
SELECT t.eq(ar.bpdso(60000, 300000, 90), 18::numeric, 'BPDSO 60k / 300k * 90 = 18');
SELECT t.eq(ar.average_days_delinquent(ar.dso(100000, 300000, 90), ar.bpdso(60000, 300000, 90)), 12::numeric, 'ADD = 30 - 18 = 12');
SELECT t.eq(ar.add(30, 18), 12::numeric, 'ar.add alias = 12');
SELECT t.raises($$SELECT ar.average_days_delinquent(-1, 2)$$, '22023', 'dso must not be negative%', 'ADD negative DSO');

-- Countback DSO (sales[1] most recent)
-- 250 over {100,120,90}: 100 fits (30 d), 120 fits (30 d), 30 of 90 -> 30/90*30 = 10 => 70
SELECT t.eq(ar.dso_countback(250, '{100,120,90}'), 70::numeric, 'countback 30 + 30 + 10 = 70');
-- with month lengths {31,28,31}: 31 + 28 + 30/90*31 = 59 + 10.3333 = 69.3333
SELECT t.eq(round(ar.dso_countback(250, '{100,120,90}', '{31,28,31}'), 4), 69.3333, 'countback with month lengths = 69.3333');
SELECT t.eq(ar.dso_countback(400, '{100,120,90}'), 90::numeric, 'receivables beyond all sales = total days 90');
SELECT t.eq(ar.dso_countback(0, '{100,120,90}'), 0::numeric, 'no receivables = 0 days');
SELECT t.eq(ar.dso_countback(50, '{100}'), 15::numeric, 'half of one period = 15 days');
SELECT t.eq(ar.dso_countback(50, '{0,100}'), 45::numeric, 'a zero-sales period is counted whole: 30 + 50/100*30 = 45');
SELECT t.eq(ar.dso_countback(150, '{0,100}'), 60::numeric, 'receivables 150 beyond all sales 100: total days 60');
SELECT t.eq(ar.dso_countback(50, '{}'), NULL::numeric, 'countback without periods is NULL');
SELECT t.eq(ar.dso_countback(NULL, '{1}'), NULL::numeric, 'countback NULL receivables');
SELECT t.raises($$SELECT ar.dso_countback(50, '{100,NULL}')$$, '22004', 'sales[2] is NULL', 'countback NULL sale');
SELECT t.raises($$SELECT ar.dso_countback(50, '{100,-1}')$$, '22023', 'sales[2] must not be negative%', 'countback negative sale');
SELECT t.raises($$SELECT ar.dso_countback(50, '{100,1}', '{30}')$$, '22023', 'days has 1 elements but sales has 2%', 'countback length mismatch');
SELECT t.raises($$SELECT ar.dso_countback(50, '{100}', '{0}')$$, '22023', 'days[1] must be a positive number of days%', 'countback zero-day period');

-- CEI = (begin + sales - end) / (begin + sales - end_current) * 100
SELECT t.eq(round(ar.cei(1000, 500, 600, 400), 4), 81.8182, 'CEI (1500-600)/(1500-400)*100 = 81.8182');
SELECT t.eq(ar.cei(0, 100, 0, 0), 100::numeric, 'CEI everything collected = 100');
SELECT t.eq(ar.cei(1000, 0, 1000, 1000), NULL::numeric, 'CEI with zero denominator is NULL');
SELECT t.eq(ar.cei(1000, 0, 1000, 0), 0::numeric, 'CEI nothing collected = 0');
SELECT t.raises($$SELECT ar.cei(1, 1, 1, 2)$$, '22023', 'ending_current_receivables (2) must not exceed ending_receivables (1)', 'CEI current above total');
SELECT t.raises($$SELECT ar.cei(1, -1, 1, 0)$$, '22023', 'credit_sales must not be negative%', 'CEI negative sales');

-- Payment index anchors, interpolation and rounding (halves up)
SELECT t.eq(string_agg(ar.payment_index(x)::text, ',' ORDER BY x),
            '100,100,95,90,80,75,73,70,65,60,55,50,45,40,30,25,20,20',
            'payment index at -45,-30,-25,-20,0,7.5,10,15,18.5,22,26,30,45,60,90,105,120,200')
  FROM unnest(ARRAY[-45, -30, -25, -20, 0, 7.5, 10, 15, 18.5, 22, 26, 30, 45, 60, 90, 105, 120, 200]::numeric[]) x;
SELECT t.eq(ar.payment_index(0.75), 80, 'payment index 0.75 days: 79.5 rounds half up to 80');
SELECT t.eq(ar.payment_index(0.76), 79, 'payment index 0.76 days: 79.49 rounds to 79');
SELECT t.eq(ar.payment_index(1e40), 20, 'payment index of a huge value is 20');
SELECT t.eq(ar.payment_index(-1e40), 100, 'payment index of a huge negative value is 100');
SELECT t.eq(ar.payment_index(NULL::numeric), NULL::int, 'payment index NULL');
SELECT t.raises($$SELECT ar.payment_index('NaN'::numeric)$$, '22023', 'days_beyond_terms must be a finite number, got NaN', 'payment index NaN');

-- Declared properties
SELECT t.eq((SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
              WHERE n.nspname = 'ar' AND p.proname IN ('days_past_due', 'aging_bucket', 'dso', 'bpdso', 'average_days_delinquent', 'cei', 'payment_index')
                AND p.prorettype <> 'ar.paymentstats'::regtype AND p.proargtypes[0] <> 'ar.paymentstats'::regtype
                AND NOT (p.provolatile = 'i' AND p.proisstrict AND p.proparallel = 's')), 0::bigint,
            'scalar metrics are IMMUTABLE STRICT PARALLEL SAFE');
