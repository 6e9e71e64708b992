-- Collections: worklist order, next action and due date, strategies, assignment,
-- messages, dispute and order-hold SLAs, hold recommendations, promise-kept rates,
-- channel response rates, collector row-level access. As of 2026-06-30 (a Tuesday),
-- all terms Net 30, timestamps in UTC. Every expected figure is worked out by hand
-- in the comments from the definitions in docs/collections.md.
SET TimeZone = 'UTC';

INSERT INTO ar.customers (customer_id, name, collector, strategic_value) VALUES
  ('K1', 'Alpha', 'Ann', 10), ('K2', 'Beta', 'Ann', NULL), ('K3', 'Gamma', 'Bob', 0), ('K4', 'Delta', 'Bob', 0),
  ('K5', 'Epsilon', NULL, 5), ('K6', 'Zeta', 'Bob', 0), ('K7', 'Eta', NULL, 0), ('K8', 'Theta', NULL, 0);
INSERT INTO ar.invoices (invoice_id, customer_id, invoice_date, due_date, amount) VALUES
  ('A0', 'K1', '2026-04-01', '2026-05-01', 250.00),     -- paid 2026-06-15
  ('A1', 'K1', '2026-05-01', '2026-05-31', 999.00),     -- 30 days past due
  ('A2', 'K1', '2026-06-15', '2026-07-15', 100.00),     -- current
  ('B1', 'K2', '2026-05-11', '2026-06-10', 99999.00),   -- 20 days past due
  ('G1', 'K3', '2026-04-16', '2026-05-16', 2000.00),    -- 45 days, wholly disputed
  ('D1', 'K4', '2026-05-26', '2026-06-25', 99.00),      -- 5 days, promise pending
  ('E1', 'K5', '2026-05-28', '2026-06-27', 9999.00),    -- 3 days
  ('Z0', 'K6', '2026-04-20', '2026-05-20', 300.00),     -- paid 2026-06-20
  ('Z1', 'K6', '2026-06-20', '2026-07-20', 300.00),     -- current
  ('H1', 'K7', '2026-05-21', '2026-06-20', 999.00),     -- 10 days
  ('T1', 'K8', '2026-04-11', '2026-05-11', 500.00),     -- 50 days, disputed (500)
  ('T2', 'K8', '2026-05-19', '2026-06-18', 1000.00);    -- 12 days
INSERT INTO ar.payments (customer_id, invoice_id, payment_date, amount) VALUES
  ('K1', 'A0', '2026-06-15', 250.00), ('K6', 'Z0', '2026-06-20', 300.00);
INSERT INTO ar.disputes (dispute_id, invoice_id, opened_at, first_response_at, resolved_at, amount) VALUES
  ('DA', 'A0', '2026-05-05 08:00', '2026-05-05 20:00', '2026-05-15 08:00', 100.00),  -- answered in 12 h, resolved in 10 days
  ('DB', 'B1', '2026-05-20 12:00', '2026-05-22 12:00', '2026-05-24 00:00', 50.00),   -- 48 h, 3.5 days
  ('DG', 'G1', '2026-06-01 09:00', '2026-06-02 09:00', NULL, NULL),                  -- 24 h, open, whole invoice
  ('DT', 'T1', '2026-06-25 10:00', NULL, NULL, 500.00);                               -- open, not answered
INSERT INTO ar.promises (promise_id, customer_id, invoice_id, made_on, promised_date, amount) VALUES
  ('P1', 'K1', 'A1', '2026-06-01', '2026-06-10', 999.00),   -- nothing paid: broken
  ('P2', 'K4', 'D1', '2026-06-28', '2026-07-03', 99.00),    -- pending
  ('P4', 'K1', 'A0', '2026-06-10', '2026-06-20', 250.00);   -- paid 06-15: kept
INSERT INTO ar.activities (customer_id, invoice_id, happened_at, channel, action, outcome, collector) VALUES
  ('K1', NULL, '2026-06-26 10:00', 'email', 'reminder', 'no answer', 'Ann'),
  ('K5', 'E1', '2026-06-27 10:00', 'email', 'reminder', NULL, 'Bob'),       -- on the due date: not yet past due
  ('K7', 'H1', '2026-06-25 10:00', 'phone', 'call', 'callback', 'Bob');
INSERT INTO ar.order_holds (hold_id, customer_id, placed_at, released_at) VALUES
  ('HA', 'K1', '2026-06-05 10:00', '2026-06-09 09:00'),   -- Friday; deadline Tuesday 10:00: within
  ('HB', 'K2', '2026-06-10 10:00', '2026-06-15 10:00'),   -- Wednesday; deadline Friday 06-12 10:00: late
  ('HC', 'K7', '2026-06-29 10:00', NULL),                 -- deadline Wednesday 07-01: not measured yet
  ('HD', 'K3', '2026-06-18 10:00', NULL),                 -- deadline Monday 06-22: open over SLA
  ('HE', 'K6', '2026-06-01 10:00', NULL);                 -- deadline Wednesday 06-03: open over SLA; Z0 since paid

SELECT t.eq(ar.refresh('2026-06-30'), 'succeeded: as of 2026-06-30, 8 customers', 'refresh');
-- Fix the ratings the worklist reads, so that the test does not depend on the scorer
-- (tests/sql/09_risk.sql tests that): segment and score per customer.
UPDATE ar.customer_risk_history r SET score = v.score, rating = v.rating, risk_segment = v.seg
  FROM (VALUES ('K1', 60, 'D', 'high'), ('K2', 10, 'A', 'low'), ('K3', 40, 'C', 'medium'), ('K4', 90, 'E', 'critical'),
               ('K5', 45, 'C', 'medium'), ('K6', 5, 'A', 'low'), ('K7', 20, 'B', 'low'), ('K8', 50, 'C', 'medium')) v(id, score, rating, seg)
 WHERE r.customer_id = v.id AND r.as_of = '2026-06-30';
-- (ar.customer_risk_mv reads the history: no refresh of its own)
SELECT t.eq((SELECT string_agg(customer_id || rating, ',' ORDER BY customer_id) FROM ar.customer_risk), 'K1D,K2A,K3C,K4E,K5C,K6A,K7B,K8C',
            'ar.customer_risk shows the day''s stored ratings');
SELECT t.eq((ar._refresh_views(ARRAY['collections_worklist_data'], '{}') -> 'collections_worklist_data' ->> 'rows')::bigint,
            (SELECT count(*) FROM ar._collections_worklist_rows), 'the worklist''s storage is filled: as many rows as its definition');
SELECT t.eq((SELECT count(*) FROM ((SELECT w::text FROM ar.collections_worklist_data w EXCEPT ALL SELECT r::text FROM ar._collections_worklist_rows r)
                                   UNION ALL (SELECT r::text FROM ar._collections_worklist_rows r EXCEPT ALL SELECT w::text FROM ar.collections_worklist_data w)) x),
            0::bigint, 'and the same rows (text comparison, both ways)');

-- 1. Worklist. Priority = 35 min(1, log10(1+amount)/6) + 25 min(1, days/120) + 20 score/100 + 10 min(1, strategic/10) + 10 min(1, broken/2)
-- K1: 999 -> 17.5; 30 days -> 6.25; 60 -> 12; strategic 10 -> 10; 1 broken promise (P1) -> 5          = 50.75
-- K5: 9999 -> 35*4/6 = 23.333; 3 days -> 0.625; 45 -> 9; strategic 5 -> 5                            = 37.96
-- K2: 99999 -> 35*5/6 = 29.167; 20 days -> 4.167; 10 -> 2                                             = 35.33
-- K8: actionable 1000 (T1 disputed) -> 35*log10(1001)/6 = 17.503; oldest undisputed 12 -> 2.5; 50 -> 10 = 30.00
-- K4: 99 -> 11.667; 5 days -> 1.042; 90 -> 18                                                         = 30.71 (held)
-- K7: 999 -> 17.5; 10 days -> 2.083; 20 -> 4                                                         = 23.58 (scheduled)
-- K3: nothing actionable -> 0; 0 days; 40 -> 8                                                        = 8.00 (held)
SELECT t.eq((SELECT string_agg(format('%s:%s:%s', customer_id, priority_rank, priority_score), ' ' ORDER BY priority_rank) FROM ar.collections_worklist WHERE status = 'due'),
            'K1:1:50.75 K5:2:37.96 K2:3:35.33 K8:4:30.00', 'due accounts ranked by priority, scores from the formula');
SELECT t.eq((SELECT string_agg(format('%s:%s:%s', customer_id, status, priority_score), ' ' ORDER BY customer_id) FROM ar.collections_worklist WHERE status <> 'due'),
            'K3:held:8.00 K4:held:30.71 K7:scheduled:23.58', 'held and scheduled accounts, without a rank');
SELECT t.ok(NOT EXISTS (SELECT FROM ar.collections_worklist WHERE customer_id = 'K6'), 'an account with nothing past due is not on the list');
SELECT t.eq(ar.collection_priority(999, 30, 60, 10, 1), 50.75, 'ar.collection_priority: K1 by hand');
-- The logarithm is taken in double precision (sql/collections/strategies.sql): the same
-- priorities as the formula in exact numeric, 35 x min(1, log(10::numeric, 1 + past due) / 6)
-- + ..., rounded to 2 decimals, over 40,000 amounts with cents from 0.15 to 1,096,000 (past the cap)
-- and every day count to 130.
SELECT t.eq((SELECT count(*) FROM generate_series(1, 40000) g,
                    LATERAL (SELECT round((g::numeric ^ 1.5) * 0.137 + g * 0.01, 2) AS amount, g % 131 AS days) x
              WHERE ar.collection_priority(x.amount, x.days, g % 101, g % 12, g % 3)
                    <> round(35 * least(1, log(10::numeric, 1 + x.amount) / 6) + 25 * least(1, x.days / 120.0)
                             + 20 * (g % 101) / 100.0 + 10 * least(1, (g % 12) / 10.0) + 10 * least(1, (g % 3) / 2.0), 2)),
            0::bigint, 'ar.collection_priority: the exact numeric formula''s result on 40,000 amounts');
-- Next action: the step with the largest threshold not above the oldest undisputed days past due.
-- K1 high, 30 days: steps 1/7/21/60 -> step 3 call_and_hold by phone; touched 06-26, cadence 3 -> due 06-29
SELECT t.eq((SELECT row(step, next_action, tone, channel, last_touch, next_action_due)::text FROM ar.collections_worklist WHERE customer_id = 'K1'),
            '(3,call_and_hold,firm,phone,2026-06-26,2026-06-29)', 'K1: high ladder step 3, due 3 days after the last touch');
-- K2 low, 20 days: steps 1/15/45/... -> step 2 formal reminder; never touched -> due on as_of
SELECT t.eq((SELECT row(step, next_action, tone, channel, last_touch, next_action_due)::text FROM ar.collections_worklist WHERE customer_id = 'K2'),
            '(2,formal_reminder,formal,email,,2026-06-30)', 'K2: low ladder step 2, never touched: due today');
-- K5 medium, 3 days -> step 1; its touch on 06-27 was on the due date, before the delinquency: not counted
SELECT t.eq((SELECT row(step, next_action, tone, channel, last_touch, next_action_due)::text FROM ar.collections_worklist WHERE customer_id = 'K5'),
            '(1,friendly_nudge,friendly,email,,2026-06-30)', 'K5: friendly nudge; a touch before the invoice fell due does not count');
-- K8 medium: T1 (50 days) is disputed, so the ladder uses T2 (12 days) -> step 2 (>= 10)
SELECT t.eq((SELECT row(past_due_amount, disputed_amount, actionable_amount, oldest_days_past_due, oldest_undisputed_days, step, next_action, invoices)::text
               FROM ar.collections_worklist WHERE customer_id = 'K8'),
            '(1500.00,500.00,1000.00,50,12,2,formal_reminder,"{T1,T2}")', 'K8: partly disputed: amounts, the step from the undisputed invoice, invoices oldest first');
-- K7 low, 10 days -> step 1, touched 06-25 + cadence 7 = 07-02: scheduled
SELECT t.eq((SELECT row(status, step, next_action_due)::text FROM ar.collections_worklist WHERE customer_id = 'K7'),
            '(scheduled,1,2026-07-02)', 'K7: touched within the cadence: scheduled for 07-02');
SELECT t.eq((SELECT row(status, hold_reason, next_action_due, step)::text FROM ar.collections_worklist WHERE customer_id = 'K3'),
            '(held,"open dispute on all past-due invoices (USD 2,000.00 disputed)",,)', 'K3: held back, wholly disputed');
SELECT t.eq((SELECT row(status, hold_reason, next_action_due, step, next_action)::text FROM ar.collections_worklist WHERE customer_id = 'K4'),
            '(held,"promise to pay USD 99.00 by 2026-07-03",2026-07-04,2,call_and_hold)', 'K4: held back by a pending promise; follow-up the day after it');
SELECT t.ok((SELECT bool_and(template = (SELECT d.template FROM ar.default_collection_strategies() d WHERE d.risk_segment = w.risk_segment AND d.step = w.step))
               FROM ar.collections_worklist w WHERE step IS NOT NULL), 'each row carries its step''s template');

-- 2. Strategies are editable per segment; a custom ladder replaces the default of its segment only.
INSERT INTO ar.collection_strategies VALUES ('low', 1, 1, 'custom_call', 'formal', 'phone', 2, 'Call {{customer_name}} about {{total_past_due}}');
SELECT ar._refresh_views(ARRAY['collections_worklist_data'], '{}') IS NOT NULL AS refreshed \gset
-- K2 and K7 (low) now follow it; K7 touched 06-25 + 2 = 06-27: due, priority 23.58 -> rank 5
SELECT t.eq((SELECT string_agg(format('%s:%s:%s:%s', customer_id, next_action, channel, priority_rank), ' ' ORDER BY customer_id) FROM ar.collections_worklist WHERE risk_segment = 'low'),
            'K2:custom_call:phone:3 K7:custom_call:phone:5', 'custom low-risk ladder: new action, channel and cadence');
SELECT t.eq((SELECT next_action FROM ar.collections_worklist WHERE customer_id = 'K1'), 'call_and_hold', 'other segments keep their defaults');
SELECT t.raises($$INSERT INTO ar.collection_strategies VALUES ('low', 2, 30, 'letter', 'firm', 'letter', 7, 'Pay {{amount_due}} now')$$,
                '22023', 'unknown placeholder {{amount_due}} in message template', 'a template with an unknown placeholder is rejected, naming it');
SELECT t.raises($$INSERT INTO ar.collection_strategies VALUES ('vip', 1, 1, 'call', 'firm', 'phone', 7, 'x')$$,
                '23514', '%collection_strategies_risk_segment_check%', 'unknown risk segment rejected');
SELECT t.raises($$INSERT INTO ar.collection_strategies VALUES ('low', 2, 1, 'call', 'firm', 'phone', 7, 'x')$$,
                '23505', '%collection_strategies_threshold_key%', 'two steps at the same threshold rejected');
-- The step is the one whose threshold the oldest undisputed days reached, and the next one's
-- not. Low ladder 1 / 10 / 21: K7 (10 days) is exactly at step 2's threshold; K2 (20 days) one
-- day short of step 3's.
INSERT INTO ar.collection_strategies VALUES ('low', 2, 10, 'letter', 'firm', 'letter', 7, 'Pay {{total_past_due}}'),
                                            ('low', 3, 21, 'final_notice', 'firm', 'letter', 7, 'Pay {{total_past_due}}');
SELECT ar._refresh_views(ARRAY['collections_worklist_data'], '{}') IS NOT NULL AS refreshed \gset
SELECT t.eq((SELECT string_agg(format('%s:%s:%s', customer_id, step, next_action), ' ' ORDER BY customer_id) FROM ar.collections_worklist WHERE risk_segment = 'low'),
            'K2:2:letter K7:2:letter', 'a threshold reached on the day counts (K7, 10 of 10); one day short of the next does not (K2, 20 of 21)');
-- A ladder that starts at 15 days: K7 (10 days) is not at its first step yet: scheduled, due
-- when it gets there (06-30 + 15 - 10 = 07-05); K2 (20 days) at step 1.
DELETE FROM ar.collection_strategies WHERE risk_segment = 'low';
INSERT INTO ar.collection_strategies VALUES ('low', 1, 15, 'letter', 'firm', 'letter', 7, 'Pay {{total_past_due}}');
SELECT ar._refresh_views(ARRAY['collections_worklist_data'], '{}') IS NOT NULL AS refreshed \gset
SELECT t.eq((SELECT string_agg(format('%s:%s:%s:%s', customer_id, status, step, next_action_due), ' ' ORDER BY customer_id) FROM ar.collections_worklist WHERE risk_segment = 'low'),
            'K2:due:1:2026-06-30 K7:scheduled::2026-07-05', 'before the first step: no step, scheduled for the day the first threshold is reached');
DELETE FROM ar.collection_strategies;
SELECT ar._refresh_views(ARRAY['collections_worklist_data'], '{}') IS NOT NULL AS refreshed \gset
SELECT t.eq((SELECT count(*) FROM ar.effective_collection_strategies()), 17::bigint, 'defaults back: 5 + 5 + 4 + 3 steps');

-- 3. Messages with real figures
SELECT t.eq(ar.render_message('{{customer_name}}: {{total_past_due}} on {{invoice_numbers}} ({{past_due_count}} invoices, oldest {{ oldest_days_past_due }} days)', 'K8', '2026-06-30'),
            'Theta: USD 1,500.00 on T1, T2 (2 invoices, oldest 50 days)', 'render: name, total, invoice numbers, counts');
SELECT t.eq(ar.render_message('{{invoice_lines}}', 'K8', '2026-06-30'),
            '#T1 due 2026-05-11, 50 days past due, USD 500.00 open' || chr(10) || '#T2 due 2026-06-18, 12 days past due, USD 1,000.00 open', 'render: one line per past-due invoice');
SELECT t.eq(ar.render_message('Payment received for invoice #{{last_payment_invoices}} ({{last_payment_amount}} on {{last_payment_date}}). Open: {{total_open}}', 'K1', '2026-06-30'),
            'Payment received for invoice #A0 (USD 250.00 on 2026-06-15). Open: USD 1,099.00', 'render: the payment-received message');
SELECT t.eq(ar.render_message('{{last_payment_date}} {{last_payment_amount}} [{{invoice_numbers}}]', 'K1', '2026-06-10'),
            'none USD 0.00 [A0, A1]', 'render as of an earlier date: no payment yet, A0 still past due');
SELECT t.eq(ar.render_message('Back\slash & {{customer_id}} \1', 'K1', '2026-06-30'), 'Back\slash & K1 \1', 'text around placeholders is kept as is');
UPDATE ar.customers SET name = 'Al {{customer_id}} \1 & pha' WHERE customer_id = 'K1';
SELECT t.eq(ar.render_message('{{customer_name}} / {{customer_id}}{{customer_id}}', 'K1', '2026-06-30'), 'Al {{customer_id}} \1 & pha / K1K1',
            'values are inserted as they are, never expanded again; adjacent placeholders');
UPDATE ar.customers SET name = 'Alpha' WHERE customer_id = 'K1';
SELECT t.raises($$SELECT ar.render_message('Dear {{customer}}', 'K1', '2026-06-30')$$, '22023', 'unknown placeholder {{customer}} in message template', 'render: unknown placeholder is an ERROR naming it');
SELECT t.raises($$SELECT ar.render_message('Hi', 'NOPE', '2026-06-30')$$, 'P0002', 'ar.render_message: unknown customer NOPE', 'render: unknown customer');
SELECT t.raises($$SELECT ar.render_message(NULL, 'K1', '2026-06-30')$$, '22004', 'ar.render_message: template, customer_id and as_of must not be NULL', 'render: NULL template');
SELECT t.raises($$SELECT ar.render_message('Hi', 'K1', 'infinity')$$, '22023', 'ar.render_message: as_of must be a finite date%', 'render: infinite date');

-- 4. Dispute SLA. May: DA 12 h / 10 days, DB 48 h / 3.5 days. June: DG 24 h, open 29 days (> 7); DT open 5 days.
SELECT t.eq((SELECT row(disputes_opened, responded, mean_first_response_hours, median_first_response_hours, resolved, median_resolution_days, open_disputes, over_sla)::text
               FROM ar.dispute_sla WHERE month = '2026-05-01'), '(2,2,30.00,30.00,2,6.75,0,0)', 'dispute SLA May: mean (12+48)/2, median resolution (10+3.5)/2');
SELECT t.eq((SELECT row(disputes_opened, responded, mean_first_response_hours, median_first_response_hours, resolved, median_resolution_days, open_disputes, over_sla)::text
               FROM ar.dispute_sla WHERE month = '2026-06-01'), '(2,1,24.00,24.00,0,,2,1)', 'dispute SLA June: one answered, two open, one over 7 days');
SELECT t.eq((SELECT row(disputes_opened, responded, mean_first_response_hours, median_first_response_hours, resolved, median_resolution_days, open_disputes, over_sla)::text
               FROM ar.dispute_sla WHERE month IS NULL), '(4,3,28.00,24.00,2,6.75,2,1)', 'dispute SLA overall: mean (12+48+24)/3, median 24');
SELECT t.eq((SELECT string_agg(dispute_id || ':' || days_open || ':' || over_sla, ' ' ORDER BY dispute_id) FROM ar.open_disputes), 'DG:29:true DT:5:false', 'open disputes flagged over 7 days');
INSERT INTO ar.collections_settings (dispute_sla_days) VALUES (30);
SELECT t.ok(ar.refresh('2026-06-30') LIKE 'succeeded%', 'refreshed with a dispute SLA of 30 days (the SLA views are stored by the refresh)');
SELECT t.eq((SELECT string_agg(dispute_id || ':' || over_sla, ' ' ORDER BY dispute_id) FROM ar.open_disputes), 'DG:false DT:false', 'the SLA is configurable (30 days)');
SELECT t.eq((SELECT over_sla FROM ar.dispute_sla WHERE month IS NULL), 0::bigint, 'and the summary follows it');
SELECT t.eq((SELECT over_sla FROM ar.dispute_sla_at('2026-07-02') WHERE month IS NULL), 1::bigint, 'DG passes 30 days on 07-02 (31 days open)');
-- The open disputes' and promise-kept rates' storage has no date (0.19.0): two days later
-- with no data change their stored rows are kept, and the plain views add the date and
-- the ages: DG 29 + 2 = 31 days open, over the 30-day SLA; DT 5 + 2 = 7.
CREATE TEMP TABLE disputes_0630 AS SELECT dispute_id, xmin::text AS x FROM ar.open_disputes_mv;
CREATE TEMP TABLE rates_0630 AS SELECT m.*, xmin::text AS x FROM ar.promise_kept_rates_mv m;
SELECT t.ok(ar.refresh('2026-07-02') LIKE 'succeeded%', 'refreshed two days later, no data changed');
SELECT t.eq((SELECT string_agg(dispute_id || ':' || days_open || ':' || over_sla || ':' || as_of, ' ' ORDER BY dispute_id) FROM ar.open_disputes),
            'DG:31:true:2026-07-02 DT:7:false:2026-07-02', 'open disputes on 07-02: days open and over_sla from the refreshed date (DG over the 30-day SLA)');
SELECT t.eq((SELECT string_agg(DISTINCT as_of::text, ',') FROM ar.open_disputes), '2026-07-02', 'open disputes: the refreshed date');
SELECT t.eq((SELECT count(*) FROM ((SELECT o::text FROM ar.open_disputes o EXCEPT ALL SELECT a::text FROM ar.open_disputes_at('2026-07-02') a)
                                   UNION ALL (SELECT a::text FROM ar.open_disputes_at('2026-07-02') a EXCEPT ALL SELECT o::text FROM ar.open_disputes o)) x),
            0::bigint, 'ar.open_disputes = ar.open_disputes_at(as of the refresh), row for row');
SELECT t.eq((SELECT count(*) FROM disputes_0630 b JOIN ar.open_disputes_mv m USING (dispute_id) WHERE b.x = m.xmin::text), 2::bigint,
            'their stored rows were not rewritten (the same row versions)');
SELECT t.eq((SELECT count(*) FROM ((SELECT r::text FROM ar.promise_kept_rates r EXCEPT ALL SELECT a::text FROM ar.promise_kept_rates_at('2026-07-02') a)
                                   UNION ALL (SELECT a::text FROM ar.promise_kept_rates_at('2026-07-02') a EXCEPT ALL SELECT r::text FROM ar.promise_kept_rates r)) x),
            0::bigint, 'ar.promise_kept_rates = ar.promise_kept_rates_at(as of the refresh), row for row, the date included');
SELECT t.ok((SELECT count(*) FROM rates_0630 b JOIN ar.promise_kept_rates_mv m USING (dimension, key)
              WHERE (b.promises, b.kept, b.broken, b.pending, b.kept_rate) IS NOT DISTINCT FROM (m.promises, m.kept, m.broken, m.pending, m.kept_rate)) > 0,
            'some promise-kept rates are unchanged over the two days');
SELECT t.eq((SELECT count(*) FROM rates_0630 b JOIN ar.promise_kept_rates_mv m USING (dimension, key)
              WHERE (b.promises, b.kept, b.broken, b.pending, b.kept_rate) IS NOT DISTINCT FROM (m.promises, m.kept, m.broken, m.pending, m.kept_rate)
                AND b.x <> m.xmin::text), 0::bigint, 'and those rows were not rewritten');
SELECT t.ok(ar.refresh('2026-06-30') LIKE 'succeeded%', 'back to 2026-06-30');
DELETE FROM ar.collections_settings;
SELECT t.ok(ar.refresh('2026-06-30') LIKE 'succeeded%', 'refreshed with the default settings again');

-- 5. Order holds. Friday 10:00 + 2 business days = Tuesday 10:00.
SELECT t.eq(ar.add_business_days('2026-06-05 10:00', 2), '2026-06-09 10:00+00'::timestamptz, 'business days skip the weekend');
SELECT t.eq(ar.add_business_days('2026-06-06 10:00', 1), '2026-06-08 10:00+00'::timestamptz, 'Saturday + 1 business day = Monday');
-- June: 5 holds; measured HA, HB, HD, HE (HC's deadline is 07-01); within: HA only -> 1/4;
-- median days on hold of HA (3 d 23 h = 3.9583) and HB (5) = 4.48; open HC, HD, HE; past deadline HD, HE
SELECT t.eq((SELECT row(holds_placed, released, measured, within_sla, within_sla_share, median_days_on_hold, open_holds, open_over_sla, sla_business_days)::text
               FROM ar.order_hold_sla WHERE month = '2026-06-01'), '(5,2,4,1,0.2500,4.48,3,2,2)', 'hold SLA: 1 of 4 within 2 business days, median 4.48 days');
INSERT INTO ar.collections_settings (hold_sla_business_days) VALUES (4);
SELECT t.ok(ar.refresh('2026-06-30') LIKE 'succeeded%', 'refreshed with a hold SLA of 4 business days');
-- 4 business days: HB deadline Tuesday 06-16 -> within; HD deadline Wednesday 06-24, HE Friday 06-05 -> still over
SELECT t.eq((SELECT row(within_sla, within_sla_share, open_over_sla)::text FROM ar.order_hold_sla WHERE month IS NULL), '(2,0.5000,2)', 'hold SLA configurable: 4 business days');
DELETE FROM ar.collections_settings;
SELECT t.ok(ar.refresh('2026-06-30') LIKE 'succeeded%', 'refreshed with the default hold SLA again');
-- Recommendations (25,000.00 or 60 days): K2 is over the amount and its hold HB was released -> place;
-- HE's trigger Z0 (past due when HE was placed 06-01) was paid 06-20 and K6 is within policy -> release.
SELECT t.eq((SELECT string_agg(format('%s:%s:%s:%s', customer_id, recommendation, hold_id, reason), ' | ' ORDER BY customer_id) FROM ar.order_hold_recommendations),
            'K2:place::past due USD 99,999.00 >= USD 25,000.00 | K6:release:HE:the invoices past due when the hold was placed are paid: Z0',
            'hold recommendations: place over policy, release when the triggering invoices are paid');
INSERT INTO ar.collections_settings (hold_days_past_due) VALUES (45);
-- K8 (50 days) now over policy; K3 (45 days) is over too but already on hold (HD)
SELECT t.eq((SELECT string_agg(customer_id || ':' || reason, ' | ' ORDER BY customer_id) FROM ar.order_hold_recommendations_at('2026-06-30') WHERE recommendation = 'place'),
            'K2:past due USD 99,999.00 >= USD 25,000.00 | K8:oldest invoice 50 days past due >= 45', 'hold policy configurable: 45 days');
DELETE FROM ar.collections_settings;

-- 6. Promises: P1 broken, P4 kept, P2 pending. Rates = kept / (kept + broken).
SELECT t.eq((SELECT string_agg(promise_id || ':' || status, ' ' ORDER BY promise_id) FROM ar.promises_status), 'P1:broken P2:pending P4:kept', 'promise statuses');
SELECT t.eq((SELECT string_agg(format('%s/%s:%s/%s/%s:%s', dimension, key, kept, broken, pending, kept_rate), ' ' ORDER BY dimension, key) FROM ar.promise_kept_rates),
            'collector/Ann:1/1/0:0.5000 collector/Bob:0/0/1: customer/K1:1/1/0:0.5000 customer/K4:0/0/1: portfolio/:1/1/1:0.5000',
            'promise-kept rate per customer, collector and portfolio');

-- 7. Response rates by channel: email 2 touches, no response (no answer, nothing recorded); phone 1 callback.
SELECT t.eq((SELECT string_agg(format('%s/%s:%s/%s:%s', coalesce(collector, 'all'), channel, touches, responses, response_rate), ' ' ORDER BY collector NULLS LAST, channel) FROM ar.channel_response_rates),
            'Ann/email:1/0:0.0000 Bob/email:1/0:0.0000 Bob/phone:1/1:1.0000 all/email:2/0:0.0000 all/phone:1/1:1.0000', 'response rates per collector and channel');

-- 8. Assignment. Worklist past due: K1 999, K2 99,999, K3 2,000, K4 99, K5 9,999, K7 999, K8 1,500 = 115,595 in 7 accounts.
SELECT t.raises($$SELECT * FROM ar.assign_collectors('2026-06-29')$$, '55000', 'ar.assign_collectors: the worklist is as of 2026-06-30, not 2026-06-29', 'assignment needs the refreshed date');
INSERT INTO ar.collectors (collector) VALUES ('Ann'), ('Bob'), ('Cy');
-- load = amount share + count share. Ann (K1, K2): 100,998/115,595 + 2/7 = 1.159; Bob (K3, K4): 2,099/115,595 + 2/7 = 0.304; Cy 0.
-- K5 (9,999) -> Cy (0.229); K8 (1,500) -> Cy (0.229 < 0.304); K7 (999) -> Bob (0.304 < Cy 0.385)
SELECT t.eq((SELECT string_agg(format('%s>%s:%s', customer_id, collector, reason), ' ' ORDER BY customer_id) FROM ar.assign_collectors('2026-06-30')),
            'K5>Cy:unassigned K7>Bob:unassigned K8>Cy:unassigned', 'unassigned accounts go to the least loaded collector, largest first');
SELECT t.eq((SELECT collector FROM ar.collections_worklist WHERE customer_id = 'K5'), 'Cy', 'the worklist shows the new collector at once');
SELECT t.eq((SELECT count(*) FROM ar.assign_collectors('2026-06-30')), 0::bigint, 'stable: a second run moves nothing');
UPDATE ar.collectors SET active = false WHERE collector = 'Cy';
-- Bob (K3, K4, K7): 3,098/115,595 + 3/7 = 0.455 < Ann 1.159: K5 then K8 go to Bob
SELECT t.eq((SELECT string_agg(format('%s>%s:%s:%s', customer_id, collector, previous_collector, reason), ' ' ORDER BY customer_id) FROM ar.assign_collectors('2026-06-30')),
            'K5>Bob:Cy:collector inactive K8>Bob:Cy:collector inactive', 'an inactive collector''s accounts are reassigned');
UPDATE ar.collectors SET active = true WHERE collector = 'Cy';
-- Rebalance, fair share 2/3 each. Ann keeps K1 but not K2 (99,999 alone = 1.008); Bob keeps K5, K3, K8 (0.545),
-- not K7 (0.697) nor K4 (0.689). Then K2 -> Cy (0), K7 -> Ann (0.152), K4 -> Ann (0.303 < Bob 0.545).
SELECT t.eq((SELECT string_agg(format('%s>%s', customer_id, collector), ' ' ORDER BY customer_id) FROM ar.assign_collectors('2026-06-30', rebalance => true)),
            'K2>Cy K4>Ann K7>Ann', 'rebalance moves only what is over a fair share');
SELECT t.eq((SELECT count(*) FROM ar.collector_assignments), 8::bigint, 'every assignment is logged (3 + 2 + 3)');

-- 9. Row-level access: a collector's role sees only its own worklist accounts; a manager all.
CREATE ROLE ar_t12_ann; CREATE ROLE ar_t12_mgr;
SELECT ar.grant_collector('ar_t12_ann', 'Ann'), ar.grant_collector('ar_t12_mgr', NULL);
GRANT USAGE ON SCHEMA t TO ar_t12_ann, ar_t12_mgr;
SET ROLE ar_t12_ann;
SELECT t.eq((SELECT string_agg(customer_id, ' ' ORDER BY customer_id) FROM ar.my_collections_worklist), 'K1 K4 K7', 'Ann sees her three accounts only');
SELECT t.raises($$SELECT count(*) FROM ar.collections_worklist$$, '42501', 'permission denied%', 'not the unrestricted worklist');
RESET ROLE;
SET ROLE ar_t12_mgr;
SELECT t.eq((SELECT count(*) FROM ar.my_collections_worklist), 7::bigint, 'the manager sees all seven');
RESET ROLE;
DELETE FROM ar.collector_roles;
DROP OWNED BY ar_t12_ann, ar_t12_mgr; DROP ROLE ar_t12_ann; DROP ROLE ar_t12_mgr;

-- 10. Bad input
SELECT t.raises($$SELECT ar.collection_priority(-1, 0, 0, 0, 0)$$, '22023', 'ar.collection_priority: past_due, days_past_due, strategic_value and broken_promises must not be negative%', 'negative past due');
SELECT t.raises($$SELECT ar.collection_priority('NaN', 0, 0, 0, 0)$$, '22023', '%must not be NaN', 'NaN past due');
SELECT t.raises($$SELECT ar.collection_priority(NULL, 0, 0, 0, 0)$$, '22004', '%must not be NULL', 'NULL past due');
SELECT t.raises($$SELECT ar.add_business_days('2026-06-05', -1)$$, '22023', 'ar.add_business_days: n must be between 0 and 3650%', 'negative business days');
SELECT t.raises($$SELECT * FROM ar.dispute_sla_at('infinity')$$, '22008', '%', 'infinite as_of for the dispute SLA');
SELECT t.raises($$SELECT * FROM ar.assign_collectors(NULL)$$, '22004', '%must not be NULL', 'NULL as_of for the assignment');

-- 11. The worklist counts the broken promises of the 90 days before as_of: promised after
-- 2026-06-30 - 90 = 04-01. K9 broke two, promised 04-01 (out) and 04-02 (in): 1; the health
-- row counts both (12 months). Its priority: 35 min(1, log10(1 + 500) / 6) = 15.7490 +
-- 25 x 29 / 120 = 6.0417 (I9 due 06-01) + 20 x 50 / 100 = 10 (score 50, set below) + 0
-- (strategic value) + 10 x min(1, 1 / 2) = 5 -> 36.79.
INSERT INTO ar.customers (customer_id, name) VALUES ('K9', 'Nine');
INSERT INTO ar.invoices (invoice_id, customer_id, invoice_date, due_date, amount) VALUES ('I9', 'K9', '2026-03-01', '2026-06-01', 500.00);
INSERT INTO ar.promises (promise_id, customer_id, invoice_id, made_on, promised_date, amount) VALUES
  ('P90', 'K9', 'I9', '2026-03-20', '2026-04-01', 100.00), ('P89', 'K9', 'I9', '2026-03-20', '2026-04-02', 100.00);
SELECT t.ok(ar.refresh('2026-06-30') LIKE 'succeeded%', 'refreshed with K9''s broken promises');
UPDATE ar.customer_risk_history SET score = 50 WHERE customer_id = 'K9' AND as_of = '2026-06-30';
SELECT ar._refresh_views(ARRAY['collections_worklist_data'], '{}') IS NOT NULL AS refreshed \gset
SELECT t.eq((SELECT row(broken_promises_90d, priority_score)::text FROM ar.collections_worklist WHERE customer_id = 'K9'), '(1,36.79)',
            'K9: one broken promise within the 90 days (promised 04-02; 04-01 is out), in its priority');
SELECT t.eq((SELECT promises_broken_12m FROM ar.customer_health WHERE customer_id = 'K9'), 2::bigint, 'K9''s health row: both broken in the 12 months');
