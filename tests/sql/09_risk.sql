-- Risk scores, ratings, reasons, policy, dynamic ratings and early warnings.
-- Default policy: weights payment 30, slip 15, past-due share 20, oldest 15, utilisation 10,
-- broken promises 5, disputes 5; ratings A < 20 <= B < 40 <= C < 60 <= D < 80 <= E.

-- 1. Hand-computed scores (docs/risk.md has the same worked example)
-- Late payer: index 50 -> (80-50)/60 * 30 = 15; slip 72-60 = 12 -> 12/30 * 15 = 6; 620/1000 past due -> 12.4;
-- oldest 60 days -> 60/120 * 15 = 7.5; utilisation 1.15 -> (1.15-0.8)/0.7 * 10 = 5; 2 broken promises -> 2/3 * 5 = 3.3
-- => 49.2, C, medium
SELECT t.eq((SELECT row(score, rating, risk_segment)::text FROM ar.risk_score(50, 30, 72, 60, 24, 1000, 620, 60, 1.15, 2, 0)), '(49.2,C,medium)', 'late payer: 49.2, C, medium');
SELECT t.eq((SELECT reasons FROM ar.risk_score(50, 30, 72, 60, 24, 1000, 620, 60, 1.15, 2, 0)),
            ARRAY['pays 30 days beyond terms (amount-weighted, 12 months; payment index 50) (+15.0)', '62% of balance past due (+12.4)',
                  'oldest invoice 60 days past due (+7.5)', 'payment time slipped 12 days vs 12-month baseline (72 vs 60 days to pay) (+6.0)',
                  'over credit limit by 15% (+5.0)', '2 broken promises in 90 days (+3.3)'], 'reasons in plain words, largest contribution first');
SELECT t.eq((SELECT row(score, rating, risk_segment, cardinality(reasons))::text FROM ar.risk_score(80, 0, 30, 30, 24, 1000, 0, 0, 0.5, 0, 0)), '(0.0,A,low,0)', 'prompt payer with nothing past due: 0, A, no reasons');
-- thin history: payment factors neutral (0.5 * 30 + 0.5 * 15 = 22.5) -> B, not a misleading A
SELECT t.eq((SELECT row(score, rating)::text FROM ar.risk_score(100, -30, 10, 10, 1, 1000, 0, 0, NULL, 0, 0)), '(22.5,B)', 'too little history: neutral, B');
SELECT t.ok((SELECT reasons[1] LIKE 'too little payment history (1 payment in 12 months)%' FROM ar.risk_score(100, -30, 10, 10, 1, 1000, 0, 0, NULL, 0, 0)), 'thin history says so');
-- everything past due, oldest 400 days: 20 + 15 = 35 -> B; 3 open disputes add 5 -> 40 -> C (bounds are "below")
SELECT t.eq((SELECT row(score, rating)::text FROM ar.risk_score(80, 0, 30, 30, 24, 1000, 1000, 400, NULL, 0, 0)), '(35.0,B)', '35 points: B');
SELECT t.eq((SELECT row(score, rating)::text FROM ar.risk_score(80, 0, 30, 30, 24, 1000, 1000, 400, NULL, 0, 3)), '(40.0,C)', '40 points is not below 40: C');
-- worst case: index 20, slip 30+, all past due 120+, utilisation 1.5+, 3 promises, 3 disputes = 100 -> E, critical
SELECT t.eq((SELECT row(score, rating, risk_segment)::text FROM ar.risk_score(20, 120, 200, 100, 24, 1000, 1000, 500, 2, 5, 5)), '(100.0,E,critical)', 'worst case: 100, E, critical');
SELECT t.raises($$SELECT * FROM ar.risk_score(80, 'NaN', 30, 30, 24, 1000, 0, 0, NULL, 0, 0)$$, '22023', 'ar.risk_score: days_beyond_terms_weighted_12m must be a finite number, got NaN', 'NaN input named');

-- 2. Policy: changes move ratings as documented; bad policies are rejected
SELECT t.eq(ar.effective_rating_policy() -> 'rating_bounds', '[20.0, 40.0, 60.0, 80.0]'::jsonb, 'default rating bounds');
INSERT INTO ar.rating_policy (rating_bounds) VALUES ('{10,35,60,80}');
SELECT t.eq((SELECT rating FROM ar.risk_score(80, 0, 30, 30, 24, 1000, 1000, 400, NULL, 0, 0, ar.rating_policy_json())), 'C', 'bounds {10,35,...}: 35 points is now C');
UPDATE ar.rating_policy SET weight_past_due_share = 10, weight_open_disputes = 15;
-- all past due (10) + oldest (15) = 25 -> B under bounds {10,35,..}
SELECT t.eq((SELECT row(score, rating)::text FROM ar.risk_score(80, 0, 30, 30, 24, 1000, 1000, 400, NULL, 0, 0, ar.rating_policy_json())), '(25.0,B)', 'reweighting moves the score: 10 + 15 = 25');
SELECT t.raises($$UPDATE ar.rating_policy SET weight_payment_behaviour = 31$$, '22023', 'invalid rating policy: the seven weights must add up to 100, they add up to 101', 'weights not adding up to 100 rejected');
SELECT t.raises($$UPDATE ar.rating_policy SET rating_bounds = '{40,30,60,80}'$$, '22023', 'invalid rating policy: rating_bounds must be 4 strictly ascending%', 'unsorted bounds rejected');
SELECT t.raises($$UPDATE ar.rating_policy SET rating_bounds = '{40,60,80}'$$, '22023', 'invalid rating policy: rating_bounds must be an array of 4 scores%', 'three bounds rejected');
SELECT t.raises($$UPDATE ar.rating_policy SET min_paid_items = 0$$, '22023', 'invalid rating policy: min_paid_items must be at least 1, got 0', 'min_paid_items 0 rejected');
SELECT t.raises($$SELECT ar.validate_rating_policy('{"weight_payment": 30}')$$, '22023', 'invalid rating policy: unknown setting "weight_payment"; weights are weight_payment_behaviour%', 'misspelt setting rejected');
SELECT t.raises($$INSERT INTO ar.rating_policy (min_paid_items) VALUES (3)$$, '23505', '%rating_policy_pkey%', 'only one policy row');
DELETE FROM ar.rating_policy;
SELECT t.eq(ar.effective_rating_policy() -> 'weight_payment_behaviour', '30.0'::jsonb, 'deleting the row restores the defaults');
-- ar.risk_score reads a policy once per distinct jsonb value (it keeps the last one read,
-- src/risk.rs): policies alternating row by row in one statement must each apply. The
-- account of 35 points above (20 past-due share + 15 oldest): B under the default bounds
-- (B from 20, C from 40), C under {10,30,60,80} (C from 30); NULL = the defaults.
SELECT t.eq((SELECT string_agg(r.rating, ',' ORDER BY p.k)
               FROM (VALUES (1, '{}'::jsonb), (2, '{"rating_bounds": [10, 30, 60, 80]}'), (3, NULL), (4, '{"rating_bounds": [10, 30, 60, 80]}'),
                            (5, '{"rating_bounds": [20, 40, 60, 80]}'), (6, '{"rating_bounds": [10, 30, 60, 80]}')) p(k, policy),
                    ar.risk_score(80, 0, 30, 30, 24, 1000, 1000, 400, NULL, 0, 0, p.policy) r),
            'B,C,B,C,B,C', 'policies alternating row by row each apply (35 points: B by default, C with C from 30)');
-- a bad policy raises on every call, also right after a good one (it is never kept), and the
-- good one still applies after it
SELECT t.eq((SELECT rating FROM ar.risk_score(80, 0, 30, 30, 24, 1000, 1000, 400, NULL, 0, 0, '{"rating_bounds": [10, 30, 60, 80]}')), 'C', 'a policy read');
SELECT t.raises($$SELECT * FROM ar.risk_score(80, 0, 30, 30, 24, 1000, 1000, 400, NULL, 0, 0, '{"rating_bounds": [10, 30, 60]}')$$, '22023', 'invalid rating policy: rating_bounds must be an array of 4 scores%', 'a bad policy after a good one raises');
SELECT t.raises($$SELECT * FROM ar.risk_score(80, 0, 30, 30, 24, 1000, 1000, 400, NULL, 0, 0, '{"rating_bounds": [10, 30, 60]}')$$, '22023', 'invalid rating policy: rating_bounds must be an array of 4 scores%', 'and again: not kept');
SELECT t.raises($$SELECT * FROM ar.risk_score(80, 0, 30, 30, 24, 1000, 1000, 400, NULL, 0, 0, '[1, 2]')$$, '22023', 'invalid rating policy: expected a JSON object, got [1,2]', 'a policy that is not an object');
SELECT t.eq((SELECT rating FROM ar.risk_score(80, 0, 30, 30, 24, 1000, 1000, 400, NULL, 0, 0, '{"rating_bounds": [10, 30, 60, 80]}')), 'C', 'the good policy applies after the bad ones');

-- 3. Early warning on a slipping payer, on the first refresh after the slip passes 7 days, not before.
--    S pays promptly (30 days, Net 30) for a year, then invoices from 2026-02-01 on are paid after 55 days.
--    L pays steadily 30 days late (60 days). P always pays after 30 days. Invoices every 5 days, 100.00 each.
INSERT INTO ar.customers (customer_id, name, segment, payment_terms_days, credit_limit) VALUES
  ('S', 'Slipper', 'smb', 30, 100000), ('L', 'Late', 'smb', 30, 100000), ('P', 'Prompt', 'smb', 30, 100000);
INSERT INTO ar.invoices (invoice_id, customer_id, invoice_date, due_date, amount)
SELECT c || '-' || d::date, c, d::date, d::date + 30, 100.00
  FROM unnest(ARRAY['S', 'L', 'P']) c, generate_series(date '2025-01-01', date '2026-06-20', interval '5 days') d;
INSERT INTO ar.payments (customer_id, invoice_id, payment_date, amount)
SELECT customer_id, invoice_id, invoice_date + CASE WHEN customer_id = 'L' THEN 60 WHEN customer_id = 'S' AND invoice_date >= '2026-02-01' THEN 55 ELSE 30 END, amount
  FROM ar.invoices
 WHERE invoice_date + CASE WHEN customer_id = 'L' THEN 60 WHEN customer_id = 'S' AND invoice_date >= '2026-02-01' THEN 55 ELSE 30 END <= '2026-06-30';
-- Reference: the first day D on which S's mean days to pay over (D-90, D] exceeds its mean over (D-365, D] by 7 or more
-- (equal amounts: weighted = simple means), computed in plain SQL from the definition.
CREATE TABLE slip_ref AS
SELECT min(d)::date AS first_day FROM generate_series(date '2026-02-01', date '2026-06-30', interval '1 day') d
 WHERE (SELECT avg(p.payment_date - i.invoice_date) FROM ar.payments p JOIN ar.invoices i USING (invoice_id)
         WHERE i.customer_id = 'S' AND p.payment_date > d::date - 90 AND p.payment_date <= d::date)
     - (SELECT avg(p.payment_date - i.invoice_date) FROM ar.payments p JOIN ar.invoices i USING (invoice_id)
         WHERE i.customer_id = 'S' AND p.payment_date > d::date - 365 AND p.payment_date <= d::date) >= 7;
SELECT t.ok((SELECT first_day BETWEEN '2026-03-28' AND '2026-05-31' FROM slip_ref), 'the reference finds the crossing day after the late payments start (03-28)');
SELECT ar.refresh((SELECT first_day - 1 FROM slip_ref));
SELECT t.eq((SELECT count(*) FROM ar.early_warnings WHERE customer_id = 'S' AND kind = 'payment_slipping'), 0::bigint, 'S not flagged the day before the slip exceeds 7 days');
SELECT t.ok((SELECT score FROM ar.customer_risk WHERE customer_id = 'L') > (SELECT score FROM ar.customer_risk WHERE customer_id = 'P'), 'steady late payer rated worse than the prompt one');
SELECT ar.refresh((SELECT first_day FROM slip_ref));
SELECT t.eq((SELECT count(*) FROM ar.early_warnings WHERE customer_id = 'S' AND kind = 'payment_slipping'), 1::bigint, 'S flagged on the first refresh after the slip exceeds 7 days');
SELECT t.eq((SELECT since FROM ar.early_warnings WHERE customer_id = 'S' AND kind = 'payment_slipping'), (SELECT first_day FROM slip_ref), 'since = the crossing day');
SELECT t.ok((SELECT message FROM ar.early_warnings WHERE customer_id = 'S' AND kind = 'payment_slipping') ~ '^weighted days to pay [0-9.]+ over the last 90 days vs [0-9.]+ over 12 months: \+[0-9.]+ days \(threshold 7', 'message carries the figures');
SELECT t.eq((SELECT count(*) FROM ar.early_warnings WHERE customer_id IN ('L', 'P') AND kind = 'payment_slipping'), 0::bigint, 'steady late and prompt payers are not flagged as slipping');
SELECT t.ok((SELECT score FROM ar.customer_risk WHERE customer_id = 'L') > (SELECT score FROM ar.customer_risk WHERE customer_id = 'P'), 'L still rated worse than P');
SELECT t.ok((SELECT reasons[1] LIKE 'pays 30 days beyond terms%' FROM ar.customer_risk WHERE customer_id = 'L'), 'L''s first reason is its lateness');

-- 4. Dynamic ratings, other warnings, segment risk
SELECT ar.refresh('2026-06-30');
SELECT t.ok((SELECT count(DISTINCT as_of) FROM ar.customer_risk_history) >= 2, 'ratings kept per day');
SELECT t.eq((SELECT count(*) FROM ar.customer_risk), 3::bigint, 'one rating per customer');
SELECT t.eq((SELECT sum(exposure) FROM ar.segment_risk), (SELECT sum(net_exposure) FROM ar.customer_health), 'segment risk exposure adds up to the portfolio exposure');
UPDATE ar.customers SET credit_limit = 100 WHERE customer_id = 'L';
INSERT INTO ar.disputes (dispute_id, invoice_id, opened_at) VALUES ('DX', 'L-2026-06-20', '2026-06-21 09:00');
SELECT ar.refresh('2026-07-01');
SELECT t.ok((SELECT message FROM ar.early_warnings WHERE customer_id = 'L' AND kind = 'credit_limit_breached') LIKE 'net exposure % is over the credit limit 100.00 by %', 'credit limit breach warned');
SELECT t.eq((SELECT since FROM ar.early_warnings WHERE customer_id = 'L' AND kind = 'dispute_no_response'), date '2026-06-21', 'unanswered dispute warned since it was opened');
SELECT t.ok(EXISTS (SELECT FROM ar.rating_changes WHERE customer_id = 'L' AND as_of = '2026-07-01' AND direction = 'downgrade'), 'L downgraded after the limit cut: in ar.rating_changes');
SELECT t.ok(EXISTS (SELECT FROM ar.early_warnings WHERE customer_id = 'L' AND kind = 'rating_downgraded'), 'and warned as a downgrade');
-- since = the first day of the current run of snapshots where the condition holds: L is over
-- its limit from the cut on 07-01 (within it on every earlier snapshot); the run goes on on
-- 07-02; with the snapshots before 07-01 deleted the run covers the whole history, which
-- then starts on 07-01 (the first snapshot), not on the as-of date 07-03.
SELECT t.eq((SELECT since FROM ar.early_warnings WHERE customer_id = 'L' AND kind = 'credit_limit_breached'), date '2026-07-01', 'limit breach since the cut (07-01)');
SELECT ar.refresh('2026-07-02');
SELECT t.eq((SELECT since FROM ar.early_warnings WHERE customer_id = 'L' AND kind = 'credit_limit_breached'), date '2026-07-01', 'the next day the breach is still since 07-01');
DELETE FROM ar.customer_health_history WHERE as_of < '2026-07-01';
SELECT ar.refresh('2026-07-03');
SELECT t.eq((SELECT since FROM ar.early_warnings WHERE customer_id = 'L' AND kind = 'credit_limit_breached'), date '2026-07-01',
            'a run that covers the whole history starts at its first snapshot (07-01), not on the as-of date (07-03)');
-- The previous rating is the previous day's; a customer missing from that day is compared
-- with its latest earlier one: without L's ratings of 07-01..07-03, the 07-04 rating (after
-- the limit cut) is compared with the one of 06-30 (before it), a downgrade again.
CREATE TABLE l_before AS SELECT rating FROM ar.customer_risk_history WHERE customer_id = 'L' AND as_of = '2026-06-30';
DELETE FROM ar.customer_risk_history WHERE customer_id = 'L' AND as_of BETWEEN '2026-07-01' AND '2026-07-03';
SELECT ar.refresh('2026-07-04');
SELECT t.eq((SELECT message LIKE format('rating moved from %s to %s %%', (SELECT rating FROM l_before), r.rating)
               FROM ar.early_warnings w JOIN ar.customer_risk r USING (customer_id) WHERE w.customer_id = 'L' AND w.kind = 'rating_downgraded'),
            true, 'a customer missing from the previous day''s ratings is compared with its latest earlier rating (06-30)');

-- 4b. The runs the refresh keeps (0.17.0): the since of payment_slipping and
-- credit_limit_breached is read from ar._early_warning_runs when they are dated the latest
-- earlier snapshot (or this date), instead of walking back the history. A start planted
-- in the store shows (it is read); anything that could make it differ from the walk back
-- (a snapshot before it deleted, another slip threshold, full => true) walks back again.
-- Expected dates: L is over its limit on every snapshot left (07-01..07-04, section 4).
SELECT t.eq((SELECT since FROM ar._early_warning_runs WHERE customer_id = 'L' AND kind = 'credit_limit_breached'), date '2026-07-01',
            'the refresh keeps the run it found (L over its limit since 07-01)');
SELECT t.eq((SELECT as_of FROM ar._store_state WHERE store = 'early_warning_runs'), date '2026-07-04', 'the kept runs are dated the refresh (07-04)');
UPDATE ar._early_warning_runs SET since = '2026-06-15' WHERE customer_id = 'L' AND kind = 'credit_limit_breached';
SELECT ar.refresh('2026-07-05');
SELECT t.eq((SELECT since FROM ar.early_warnings WHERE customer_id = 'L' AND kind = 'credit_limit_breached'), date '2026-06-15',
            'the next day reads the kept run (a start planted there, 06-15, shows) instead of walking back');
SELECT ar.refresh('2026-07-05');
SELECT t.eq((SELECT since FROM ar.early_warnings WHERE customer_id = 'L' AND kind = 'credit_limit_breached'), date '2026-06-15',
            'refreshing the same date again reads it too');
-- a snapshot before the kept date deleted: the trigger drops the date, the walk back
-- finds the first snapshot left (07-02: 07-01 deleted, L over its limit on all of them)
DELETE FROM ar.customer_health_history WHERE as_of = '2026-07-01';
SELECT t.eq((SELECT count(*) FROM ar._store_state WHERE store = 'early_warning_runs'), 0::bigint, 'deleting an earlier snapshot drops the kept runs'' date');
SELECT ar.refresh('2026-07-06');
SELECT t.eq((SELECT since FROM ar.early_warnings WHERE customer_id = 'L' AND kind = 'credit_limit_breached'), date '2026-07-02',
            'then the refresh walks back: since = the first snapshot left (07-02), the planted start gone');
-- today's snapshot replaced by the refresh itself keeps the date (only earlier ones count)
SELECT ar.refresh('2026-07-06');
SELECT t.eq((SELECT as_of FROM ar._store_state WHERE store = 'early_warning_runs'), date '2026-07-06', 'replacing the day''s own snapshot keeps the runs'' date');
-- full => true walks back whatever is kept
UPDATE ar._early_warning_runs SET since = '2026-06-15' WHERE customer_id = 'L' AND kind = 'credit_limit_breached';
SELECT ar.refresh('2026-07-07', full => true);
SELECT t.eq((SELECT since FROM ar.early_warnings WHERE customer_id = 'L' AND kind = 'credit_limit_breached'), date '2026-07-02',
            'full => true walks back (07-02), the planted start unread');
-- a slip run is read only with the threshold it was found with: S slips on every
-- snapshot left (07-02 on; its crossing day's snapshots went with those before 07-01), so
-- the walk back gives 07-02; planted 06-15 with another threshold, it is walked back
SELECT t.eq((SELECT since FROM ar.early_warnings WHERE customer_id = 'S' AND kind = 'payment_slipping'), date '2026-07-02',
            'S still slipping on 07-07, since the first snapshot left (07-02)');
UPDATE ar._early_warning_runs SET since = '2026-06-15', threshold = threshold + 1 WHERE customer_id = 'S' AND kind = 'payment_slipping';
SELECT ar.refresh('2026-07-08');
SELECT t.eq((SELECT since FROM ar.early_warnings WHERE customer_id = 'S' AND kind = 'payment_slipping'), date '2026-07-02',
            'a kept slip run with another threshold is not read (walked back: 07-02)');
UPDATE ar._early_warning_runs SET since = '2026-06-15' WHERE customer_id = 'S' AND kind = 'payment_slipping';
SELECT ar.refresh('2026-07-09');
SELECT t.eq((SELECT since FROM ar.early_warnings WHERE customer_id = 'S' AND kind = 'payment_slipping'), date '2026-06-15',
            'with the same threshold it is read (the planted 06-15 shows)');

-- 5. Demo portfolio: behaviour profiles in the expected order, slip flag precision and recall
SELECT ar.generate_demo(customers => 400, seed => 11, as_of => date '2026-06-30', replace => true);
TRUNCATE ar.customer_health_history, ar.customer_risk_history;
SELECT ar.refresh('2026-06-30');
CREATE TABLE by_profile AS
SELECT f.profile, avg(r.score) AS score, count(*) AS n FROM ar.customer_risk r JOIN ar.demo_profiles f USING (customer_id) GROUP BY f.profile;
SELECT t.ok((SELECT min(score) FROM by_profile WHERE profile IN ('defaulting', 'chronic_late')) > (SELECT max(score) FROM by_profile WHERE profile IN ('prompt', 'early')),
            'defaulting and chronic late payers rate worse than prompt and early payers');
CREATE TABLE flags AS
SELECT f.customer_id, f.profile = 'slipping' AS truth,
       EXISTS (SELECT FROM ar.early_warnings w WHERE w.customer_id = f.customer_id AND w.kind = 'payment_slipping') AS flagged,
       -- the slip shows in the data only if an invoice issued after the slip started was paid
       EXISTS (SELECT FROM ar.payments p JOIN ar.invoices i USING (invoice_id)
                WHERE i.customer_id = f.customer_id AND i.invoice_date >= f.slip_start AND p.payment_date <= '2026-06-30') AS measurable
  FROM ar.demo_profiles f JOIN ar.customer_health h USING (customer_id);
SELECT t.eq((SELECT count(*) FROM flags WHERE truth AND measurable AND NOT flagged), 0::bigint,
            'every slipping customer whose data shows the slip (a paid invoice issued after the slip started) is flagged');
DO $$ DECLARE r record; BEGIN
  SELECT count(*) FILTER (WHERE truth AND flagged) AS tp, count(*) FILTER (WHERE NOT truth AND flagged) AS fp,
         count(*) FILTER (WHERE truth AND NOT flagged) AS fn, count(*) FILTER (WHERE truth AND NOT measurable) AS unmeasurable INTO r FROM flags;
  RAISE NOTICE 'report: slip flag on the demo portfolio (400 customers): precision % (% of % flagged are slipping), recall % (% of % slipping; % of them paid no invoice issued after the slip started)',
    round(r.tp::numeric / nullif(r.tp + r.fp, 0), 3), r.tp, r.tp + r.fp, round(r.tp::numeric / nullif(r.tp + r.fn, 0), 3), r.tp, r.tp + r.fn, r.unmeasurable;
  RAISE NOTICE 'report: slipping customers the flag misses: %',
    coalesce((SELECT string_agg(f.customer_id || ' (' || (SELECT count(*) FROM ar.invoices i WHERE i.customer_id = f.customer_id) || ' invoices, last issued '
                                || (SELECT max(invoice_date) FROM ar.invoices i WHERE i.customer_id = f.customer_id) || ')', ', ')
                FROM flags f WHERE f.truth AND NOT f.flagged), 'none');
  FOR r IN SELECT profile, round(score, 1) s, n FROM by_profile ORDER BY score LOOP
    RAISE NOTICE 'report: demo profile % average risk score % (% customers)', rpad(r.profile, 12), r.s, r.n;
  END LOOP;
END $$;
SELECT t.ok((SELECT count(*) FILTER (WHERE truth AND flagged)::numeric / nullif(count(*) FILTER (WHERE flagged), 0) FROM flags) >= 0.5, 'most slip flags are real slippers (precision >= 0.5)');
