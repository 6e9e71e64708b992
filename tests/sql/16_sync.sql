-- ar.sync (docs/loading.md): validation rule by rule, idempotent upserts, voids,
-- reversals, over-application in date order, the change log. Every expected figure
-- is worked out by hand in the comment beside it.

-- Day 1: one good row of each kind, and one row per broken rule.
INSERT INTO ar.stage_customers (customer_id, name, credit_limit, payment_terms_days, currency) VALUES
    ('C1', 'Acme', '1000', '30', 'usd'),          -- good (currency upper-cased)
    ('C2', 'Beta', NULL, NULL, NULL),             -- good: terms 30, currency USD by default
    ('C3', NULL, NULL, NULL, NULL),               -- name missing
    ('C4', 'Dup', NULL, NULL, NULL), ('C4', 'Dup again', NULL, NULL, NULL),   -- twice in the batch: both refused
    ('C5', 'Bad limit', '1,000', NULL, NULL),     -- not a number
    ('C6', 'Bad terms', NULL, '-5', NULL),        -- negative terms
    ('C7', 'Bad currency', NULL, NULL, 'DOLLAR'); -- not a 3-letter code
INSERT INTO ar.stage_invoices (invoice_id, customer_id, invoice_date, due_date, amount, status, void_date) VALUES
    ('I1', 'C1', '2026-01-01', '2026-01-31', '100.00', NULL, NULL),   -- good
    ('I2', 'C2', '2026-01-10', '2026-02-09', '250', NULL, NULL),      -- good, customer of the same batch
    ('I3', 'C3', '2026-01-10', '2026-02-09', '10', NULL, NULL),       -- customer rejected in this batch
    ('I4', 'C9', '2026-01-10', '2026-02-09', '10', NULL, NULL),       -- unknown customer
    ('I5', 'C1', '2026-02-30', '2026-03-30', '10', NULL, NULL),       -- no such date
    ('I6', 'C1', '2026-03-10', '2026-03-01', '10', NULL, NULL),       -- due before invoice date
    ('I7', 'C1', '2026-01-10', '2026-02-09', '10.005', NULL, NULL),   -- 3 decimals
    ('I8', 'C1', '2026-01-10', '2026-02-09', '-10', NULL, NULL),      -- negative
    ('I9', 'C1', '2026-01-10', '2026-02-09', '10', 'cancelled', NULL),-- unknown status
    ('I10', 'C1', '2026-01-10', '2026-02-09', '80', 'void', NULL),    -- void without a date
    ('I11', 'C1', '2026-01-15', '2026-02-14', '80', 'void', '2026-02-01'); -- good: voided on 2026-02-01
INSERT INTO ar.stage_payments (source_id, customer_id, invoice_id, payment_date, amount) VALUES
    ('P1', 'C1', 'I1', '2026-01-20', '60'),       -- good: I1 60 of 100 paid
    ('P2', 'C1', 'I1', '2026-01-25', '50'),       -- 60 + 50 = 110 > 100: refused (the later one)
    ('P3', 'C2', 'I1', '2026-01-25', '5'),        -- I1 belongs to C1
    ('P4', 'C1', 'I5', '2026-01-25', '5'),        -- invoice rejected in this batch
    ('P5', 'C2', NULL, '2026-01-28', '7.50'),     -- good: unapplied cash
    ('P6', NULL, 'I1', '2026-01-25', '5'),        -- customer missing
    ('P7', 'C1', 'I1', 'yesterday', '5');         -- not a date
INSERT INTO ar.stage_adjustments (source_id, invoice_id, adjustment_date, amount, kind) VALUES
    ('A1', 'I2', '2026-02-01', '50', 'credit_memo'),   -- good: I2 open 250 - 50 = 200
    ('A2', 'I2', '2026-02-01', '5', 'refund'),         -- unknown kind
    ('void:I2', 'I2', '2026-02-01', '5', 'credit_memo'); -- reserved prefix
CREATE TABLE day1 AS SELECT * FROM ar.sync('day 1');
SELECT t.eq((SELECT string_agg(format('%s %s/%s/%s/%s', "table", inserted, updated, unchanged, rejected), ', ') FROM day1),
            'customers 2/0/0/6, invoices 3/0/0/8, payments 2/0/0/5, adjustments 2/0/0/2',
            'day 1 counts: inserted/updated/unchanged/rejected per table (adjustments: A1 and the void of I11)');
SELECT t.eq((SELECT string_agg(k, ' ' ORDER BY k)
               FROM (SELECT format('%s:%s:%s', "table", coalesce(row_data ->> 'customer_id', '') || coalesce(row_data ->> 'invoice_id', '') || '/' || coalesce(row_data ->> 'source_id', ''), sqlstate) AS k
                       FROM ar.sync_rejects WHERE batch = 1) x),
            'adjustments:I2/A2:22023 adjustments:I2/void:I2:23514 '
            'customers:C3/:23502 customers:C4/:23505 customers:C4/:23505 customers:C5/:22P02 customers:C6/:23514 customers:C7/:22023 '
            'invoices:C1I10/:23502 invoices:C1I5/:22007 invoices:C1I6/:23514 invoices:C1I7/:23514 invoices:C1I8/:23514 invoices:C1I9/:22023 invoices:C3I3/:23503 invoices:C9I4/:23503 '
            'payments:C1I1/P2:23514 payments:C1I1/P7:22007 payments:C1I5/P4:23503 payments:C2I1/P3:23503 payments:I1/P6:23502',
            'every broken row is rejected with its SQLSTATE, and only those');
SELECT t.eq((SELECT reason FROM ar.sync_rejects WHERE row_data ->> 'invoice_id' = 'I10'), 'void_date is missing', 'void without a date: reason names the field');
SELECT t.eq((SELECT reason FROM ar.sync_rejects WHERE row_data ->> 'invoice_id' = 'I3'), 'customer C3 was rejected in this batch', 'a row whose parent was rejected says so');
SELECT t.eq((SELECT reason FROM ar.sync_rejects WHERE row_data ->> 'source_id' = 'P3'), 'invoice I1 belongs to customer C1, not C2', 'payment of another customer''s invoice');
SELECT t.eq((SELECT reason FROM ar.sync_rejects WHERE row_data ->> 'source_id' = 'P2'),
            'would over-apply invoice I1: with the payments of this batch dated before it, payments 110.00 plus credits 0.00 exceed amount 100.00 plus debits 0.00',
            'over-application: the later payment is refused, with the figures (60 + 50 > 100)');
SELECT t.eq((SELECT reason FROM ar.sync_rejects WHERE row_data ->> 'invoice_id' = 'I7'), 'amount 10.005 has more than 2 decimals', 'more than 2 decimals: named');
SELECT t.eq((SELECT currency || '/' || payment_terms_days FROM ar.customers WHERE customer_id = 'C2'), 'USD/30', 'empty currency and terms take the defaults');
SELECT t.eq((SELECT currency FROM ar.customers WHERE customer_id = 'C1'), 'USD', 'currency code upper-cased');
-- open items as of 2026-01-31: I1 100 - 60 = 40; I2 250 (the credit is dated 2026-02-01); I11 80 (void later)
SELECT t.eq((SELECT string_agg(invoice_id || ' ' || open_amount, ', ' ORDER BY invoice_id) FROM ar.open_items('2026-01-31')),
            'I1 40.00, I11 80.00, I2 250.00', 'open items on 2026-01-31: the void of I11 is not yet in force');
-- as of 2026-02-01: I2 250 - 50 = 200; I11 voided (credit 80 dated 2026-02-01)
SELECT t.eq((SELECT string_agg(invoice_id || ' ' || open_amount, ', ' ORDER BY invoice_id) FROM ar.open_items('2026-02-01')),
            'I1 40.00, I2 200.00', 'open items on 2026-02-01: I11 voided, I2 credited');
SELECT t.eq((SELECT count(*) FROM ar.stage_customers) + (SELECT count(*) FROM ar.stage_invoices) + (SELECT count(*) FROM ar.stage_payments) + (SELECT count(*) FROM ar.stage_adjustments),
            0::bigint, 'staging is emptied');
SELECT t.eq((SELECT (counts -> 'invoices' ->> 'rejected') || '/' || label FROM ar.sync_batches WHERE batch = 1), '8/day 1', 'the batch log holds the label and the counts');

-- The same good rows again: nothing changes, nothing is rewritten.
CREATE TABLE before_ctids AS
SELECT 'c' || ctid::text AS c FROM ar.customers UNION ALL SELECT 'i' || ctid::text FROM ar.invoices
UNION ALL SELECT 'p' || ctid::text FROM ar.payments UNION ALL SELECT 'a' || ctid::text FROM ar.adjustments;
DELETE FROM ar._adtp_trend_changes;
INSERT INTO ar.stage_customers (customer_id, name, credit_limit, payment_terms_days, currency) VALUES ('C1', 'Acme', '1000', '30', 'USD'), ('C2', 'Beta', NULL, NULL, NULL);
INSERT INTO ar.stage_invoices (invoice_id, customer_id, invoice_date, due_date, amount, status, void_date) VALUES
    ('I1', 'C1', '2026-01-01', '2026-01-31', '100.00', NULL, NULL), ('I2', 'C2', '2026-01-10', '2026-02-09', '250.00', NULL, NULL),
    ('I11', 'C1', '2026-01-15', '2026-02-14', '80', 'void', '2026-02-01');
INSERT INTO ar.stage_payments (source_id, customer_id, invoice_id, payment_date, amount) VALUES ('P1', 'C1', 'I1', '2026-01-20', '60'), ('P5', 'C2', NULL, '2026-01-28', '7.5');
INSERT INTO ar.stage_adjustments (source_id, invoice_id, adjustment_date, amount, kind) VALUES ('A1', 'I2', '2026-02-01', '50.00', 'credit_memo');
SELECT t.eq((SELECT string_agg(format('%s %s/%s/%s/%s', "table", inserted, updated, unchanged, rejected), ', ') FROM ar.sync('day 1 again')),
            'customers 0/0/2/0, invoices 0/0/3/0, payments 0/0/2/0, adjustments 0/0/2/0', 're-sending the same rows: all unchanged (A1 and the void)');
SELECT t.eq((SELECT count(*) FROM (SELECT 'c' || ctid::text AS c FROM ar.customers UNION ALL SELECT 'i' || ctid::text FROM ar.invoices
                                   UNION ALL SELECT 'p' || ctid::text FROM ar.payments UNION ALL SELECT 'a' || ctid::text FROM ar.adjustments
                                   EXCEPT SELECT c FROM before_ctids) x), 0::bigint, 'no row was rewritten (same ctids)');
SELECT t.eq((SELECT count(*) FROM ar._adtp_trend_changes), 0::bigint, 'an unchanged sync notes no customer for the incremental refresh');

-- Day 2: corrections. P2 fixed (40 now fits: I1 fully paid), P1 re-sent with a new amount,
-- a due date moved, I11 back to open, a payment reversed.
INSERT INTO ar.stage_invoices (invoice_id, customer_id, invoice_date, due_date, amount) VALUES
    ('I2', 'C2', '2026-01-10', '2026-03-11', '250.00'),    -- due date moved 30 days later
    ('I11', 'C1', '2026-01-15', '2026-02-14', '80');        -- no longer void
INSERT INTO ar.stage_payments (source_id, customer_id, invoice_id, payment_date, amount, status, reversal_date) VALUES
    ('P1', 'C1', 'I1', '2026-01-20', '55', NULL, NULL),     -- 60 -> 55: updated, not added
    ('P2', 'C1', 'I1', '2026-01-25', '45', NULL, NULL),     -- 55 + 45 = 100: fits now
    ('P8', 'C2', 'I2', '2026-02-05', '100', 'reversed', '2026-02-20');  -- bounced on 2026-02-20
SELECT t.eq((SELECT string_agg(format('%s %s/%s/%s/%s', "table", inserted, updated, unchanged, rejected), ', ') FROM ar.sync('day 2')),
            'customers 0/0/0/0, invoices 0/1/1/0, payments 2/1/0/0, adjustments 1/1/0/0',
            'day 2: I2 updated, I11 unchanged (its void removed: an adjustment update), P1 updated, P2 and P8 inserted, the reversal of P8 inserted');
SELECT t.eq((SELECT count(*) FROM ar.payments WHERE source_id = 'P1'), 1::bigint, 'a payment re-sent with a changed amount updates its row');
SELECT t.eq((SELECT string_agg(source_id || ' ' || amount || ' ' || kind || ' ' || adjustment_date, ', ' ORDER BY source_id) FROM ar.adjustments),
            'A1 50.00 credit_memo 2026-02-01, reversal:P8 100.00 debit_memo 2026-02-20', 'the void is gone, the reversal is a debit memo on its date');
-- I2: 250 - 50 (A1, 02-01) - 100 (P8, 02-05) = 100 on 2026-02-10, due 2026-03-11 (-29 days);
-- I11 open again: 80, due 2026-02-14 (4 days to go on 02-10); I1 fully paid
SELECT t.eq((SELECT string_agg(invoice_id || ' ' || open_amount || ' ' || days_past_due, ', ' ORDER BY invoice_id) FROM ar.open_items('2026-02-10')),
            'I11 80.00 -4, I2 100.00 -29', 'on 2026-02-10: I1 paid, I11 open again, I2 paid down with its moved due date');
-- from 2026-02-20 the reversal puts P8's 100 back: I2 200
SELECT t.eq((SELECT open_amount FROM ar.open_items('2026-02-20') WHERE invoice_id = 'I2'), 200.00, 'the reversed payment counts until its reversal date only');
SELECT t.eq((SELECT string_agg(customer_id, ',' ORDER BY customer_id) FROM (SELECT DISTINCT customer_id FROM ar._adtp_trend_changes) x), 'C1,C2',
            'the sync notes the customers whose payments or invoice dates changed (the one change log of the incremental refresh)');

-- Payment behaviour leaves out a reversed payment from its reversal date on: C2's only
-- applied payment is P8 (05 Feb, reversed 20 Feb; P5 is unapplied cash).
SELECT t.eq((SELECT paid_items_12m || '/' || (SELECT paid_items_12m FROM ar.customer_health_at('2026-02-25') WHERE customer_id = 'C2')
               FROM ar.customer_health_at('2026-02-10') WHERE customer_id = 'C2'), '1/0',
            'customer health counts P8 as paid on 2026-02-10, not on 2026-02-25 (reversed on 2026-02-20)');
SELECT ar.refresh('2026-02-10');
SELECT t.eq((SELECT paid_items FROM ar.adtp_trend_monthly WHERE customer_id = 'C2' AND month = '2026-02-01'), 1::bigint, 'ADTP trend as of 2026-02-10: P8 counted');
SELECT ar.refresh('2026-02-25');
SELECT t.eq((SELECT count(*) FROM ar.adtp_trend_monthly WHERE customer_id = 'C2' AND month = '2026-02-01'), 0::bigint,
            'ADTP trend as of 2026-02-25: P8 left out (the refresh recomputes C2 as the as-of date passes the reversal date)');
SELECT t.eq((SELECT count(*) FROM ((SELECT d::text FROM ar.adtp_trend_monthly_data d EXCEPT ALL SELECT r::text FROM ar._adtp_trend_rows('2026-02-25', NULL) r)
                                   UNION ALL (SELECT r::text FROM ar._adtp_trend_rows('2026-02-25', NULL) r EXCEPT ALL SELECT d::text FROM ar.adtp_trend_monthly_data d)) x),
            0::bigint, 'the incrementally kept ADTP trend equals a recomputation after the reversal');

-- Day 3: P8 sent as applied again (its reversal undone) with a new credit A3 that,
-- together, do not fit: 250 + 0 debits < 100 paid + 50 + 150 credited. The documented
-- order: the batch's payments first (P8 refused), then credits re-checked: with P8's
-- reversal kept, 250 + 100 covers 100 + 200, so A3 goes in.
INSERT INTO ar.stage_payments (source_id, customer_id, invoice_id, payment_date, amount) VALUES ('P8', 'C2', 'I2', '2026-02-05', '100');
INSERT INTO ar.stage_adjustments (source_id, invoice_id, adjustment_date, amount, kind) VALUES ('A3', 'I2', '2026-02-25', '150', 'credit_memo');
SELECT t.eq((SELECT string_agg(format('%s %s/%s/%s/%s', "table", inserted, updated, unchanged, rejected), ', ') FROM ar.sync('day 3')),
            'customers 0/0/0/0, invoices 0/0/0/0, payments 0/0/0/1, adjustments 1/0/0/0', 'day 3: P8 refused, A3 inserted');
SELECT t.eq((SELECT reason FROM ar.sync_rejects WHERE batch = 4),
            'would over-apply invoice I2: with the payments of this batch dated before it, payments 100.00 plus credits 200.00 exceed amount 250.00 plus debits 0.00',
            'the refused payment''s reason has the figures');
-- I2 on 2026-03-01: 250 - 50 (A1) - 100 (P8) + 100 (its reversal, kept) - 150 (A3) = 50
SELECT t.eq((SELECT open_amount FROM ar.open_items('2026-03-01') WHERE invoice_id = 'I2'), 50.00, 'I2 after day 3: 250 - 50 - 100 + 100 - 150');

-- An invoice lowered below what it already carries is refused.
INSERT INTO ar.stage_invoices (invoice_id, customer_id, invoice_date, due_date, amount) VALUES ('I1', 'C1', '2026-01-01', '2026-01-31', '90');
SELECT t.eq((SELECT rejected FROM ar.sync('day 4') WHERE "table" = 'invoices'), 1::bigint, 'an invoice lowered to 90 under 100 of payments is refused');
SELECT t.eq((SELECT reason FROM ar.sync_rejects WHERE batch = 5), 'amount 90.00 is below what invoice I1 carries: payments 100.00 plus credits 0.00 less debits 0.00',
            'an invoice lowered below its payments: the reason says amount 90 is below payments 100');
SELECT t.eq((SELECT amount FROM ar.invoices WHERE invoice_id = 'I1'), 100.00, 'the invoice keeps its amount');

-- Rows re-sent unchanged are not applied again, but still count in their invoice's
-- final state: I1 carries P1 55 + P2 45 = 100 of 100. Day 5 re-sends both unchanged
-- with a new credit A4 of 10 on I1: 100 + 10 > 100, so A4 is refused; and I1 re-sent
-- unchanged with a new payment P9 of 5: 105 > 100, refused.
INSERT INTO ar.stage_invoices (invoice_id, customer_id, invoice_date, due_date, amount) VALUES ('I1', 'C1', '2026-01-01', '2026-01-31', '100');
INSERT INTO ar.stage_payments (source_id, customer_id, invoice_id, payment_date, amount) VALUES
    ('P1', 'C1', 'I1', '2026-01-20', '55'), ('P2', 'C1', 'I1', '2026-01-25', '45.00'), ('P9', 'C1', 'I1', '2026-03-02', '5');
INSERT INTO ar.stage_adjustments (source_id, invoice_id, adjustment_date, amount, kind) VALUES ('A4', 'I1', '2026-03-01', '10', 'credit_memo');
SELECT t.eq((SELECT string_agg(format('%s %s/%s/%s/%s', "table", inserted, updated, unchanged, rejected), ', ') FROM ar.sync('day 5')),
            'customers 0/0/0/0, invoices 0/0/1/0, payments 0/0/2/1, adjustments 0/0/0/1', 'day 5: I1, P1, P2 unchanged; P9 and A4 refused');
SELECT t.eq((SELECT string_agg(row_data ->> 'source_id' || ': ' || reason, ' | ' ORDER BY row_data ->> 'source_id') FROM ar.sync_rejects WHERE batch = 6),
            'A4: would over-apply invoice I1: payments 100.00 plus credits 10.00 exceed amount 100.00 plus debits 0.00 | '
            'P9: would over-apply invoice I1: with the payments of this batch dated before it, payments 105.00 plus credits 10.00 exceed amount 100.00 plus debits 0.00',
            'unchanged rows count in the final state: P9 (55 + 45 + 5 = 105 > 100, latest of the batch''s payments) and then A4 (100 + 10 > 100) refused');
SELECT t.eq((SELECT open_amount FROM ar.open_items('2026-03-05') WHERE invoice_id = 'I1'), NULL::numeric, 'I1 stays fully paid (no open item)');

-- The parsers of staged text (core/src/parse.rs) give what Postgres' own input gives
-- for every well-formed field, with the scale as written, and NULL for the rest.
SELECT t.eq((SELECT string_agg(v, ' ' ORDER BY v) FROM unnest(ARRAY['100.50', ' 5. ', '.5', '-0.00', '+12', '007', E'\t7.25\n', '0.000000001',
                                                                    '12345678901234567890123456789012345678.9', '99999999999999999999999999999999999999']) v
              WHERE ar._parse_numeric(v)::text IS DISTINCT FROM btrim(v, E' \t\n')::numeric::text), NULL,
            'ar._parse_numeric equals the numeric cast on well-formed text, 38 digits and beyond included');
SELECT t.eq((SELECT count(ar._parse_numeric(v)) FROM unnest(ARRAY['', ' ', '.', '-', '1e5', '1,000.00', '1.2.3', '$5', '5 5', U&'\00A05', repeat('1', 41)]) v),
            0::bigint, 'malformed decimals are NULL (exponent, separators, two points, currency sign, no-break space, 41 characters)');
SELECT t.eq((SELECT string_agg(coalesce(ar._parse_date(v)::text, 'NULL'), ' ') FROM unnest(ARRAY['2024-02-29', '2000-02-29', '1900-02-29', '2026-04-31', '2026-13-01', '0000-01-01', '0001-01-01', '9999-12-31', '2026-6-30', '2026/06/30']) v),
            '2024-02-29 2000-02-29 NULL NULL NULL NULL 0001-01-01 9999-12-31 NULL NULL',
            'ar._parse_date: leap days of 2024 and 2000 (not 1900), no 31 April, no month 13, no year 0, only YYYY-MM-DD');
SELECT t.eq((SELECT string_agg(coalesce(ar._parse_integer(v)::text, 'NULL'), ' ') FROM unnest(ARRAY[' 45 ', '-7', '+0', '999999999', '1000000000', '4.5', '1e3', '']) v),
            '45 -7 0 999999999 NULL NULL NULL NULL', 'ar._parse_integer: at most 9 digits, no point, no exponent');
