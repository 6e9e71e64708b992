-- Schema constraints and ar.open_items on a hand-built portfolio.
-- Portfolio (as_of 2026-03-31 unless said):
--   I1 A 2026-01-01 due 01-31 1000.00: paid 400.00 on 02-10, 100.00 on 04-05 (after as_of); credit memo 50.00 on 02-15
--   I2 A 2026-02-01 due 03-03  500.00: paid 500.00 on 03-01 (fully paid)
--   I3 A 2026-03-15 due 04-14  200.00: debit memo 20.00 on 03-20
--   I4 B 2026-01-10 due 01-25  300.00: paid 100.00 on 02-01; write-off 25.00 on 03-30; credit memo 10.00 on 04-02 (after)
--   I5 B 2026-04-10 due 04-25   50.00: issued after as_of
--   unapplied cash: B 75.00 on 03-20, A 10.00 on 04-02 (after)
INSERT INTO ar.customers (customer_id, name, payment_terms_days) VALUES ('A', 'Alpha', 30), ('B', 'Beta', 15);
INSERT INTO ar.invoices (invoice_id, customer_id, invoice_date, due_date, amount) VALUES
  ('I1', 'A', '2026-01-01', '2026-01-31', 1000.00),
  ('I2', 'A', '2026-02-01', '2026-03-03', 500.00),
  ('I3', 'A', '2026-03-15', '2026-04-14', 200.00),
  ('I4', 'B', '2026-01-10', '2026-01-25', 300.00),
  ('I5', 'B', '2026-04-10', '2026-04-25', 50.00);
INSERT INTO ar.payments (customer_id, invoice_id, payment_date, amount) VALUES
  ('A', 'I1', '2026-02-10', 400.00), ('A', 'I1', '2026-04-05', 100.00),
  ('A', 'I2', '2026-03-01', 500.00), ('B', 'I4', '2026-02-01', 100.00),
  ('B', NULL, '2026-03-20', 75.00), ('A', NULL, '2026-04-02', 10.00);
INSERT INTO ar.adjustments (invoice_id, adjustment_date, amount, kind) VALUES
  ('I1', '2026-02-15', 50.00, 'credit_memo'), ('I3', '2026-03-20', 20.00, 'debit_memo'),
  ('I4', '2026-03-30', 25.00, 'write_off'), ('I4', '2026-04-02', 10.00, 'credit_memo');

-- as of 2026-03-31: I1 = 1000 - 50 - 400 = 550.00 (the 100.00 of 04-05 is later), dpd 03-31 - 01-31 = 59
SELECT t.eq((SELECT open_amount FROM ar.open_items('2026-03-31') WHERE invoice_id = 'I1'), 550.00, 'I1 open 550.00 as of 03-31 (payment after as_of ignored)');
SELECT t.eq((SELECT days_past_due FROM ar.open_items('2026-03-31') WHERE invoice_id = 'I1'), 59, 'I1 59 days past due as of 03-31');
-- I2 fully paid: not open
SELECT t.eq((SELECT count(*) FROM ar.open_items('2026-03-31') WHERE invoice_id = 'I2'), 0::bigint, 'fully paid I2 is not open');
-- I3 = 200 + 20 debit memo = 220.00, due in 14 days: dpd -14
SELECT t.eq((SELECT open_amount FROM ar.open_items('2026-03-31') WHERE invoice_id = 'I3'), 220.00, 'I3 open 220.00 with debit memo');
SELECT t.eq((SELECT days_past_due FROM ar.open_items('2026-03-31') WHERE invoice_id = 'I3'), -14, 'I3 due in 14 days');
-- I4 = 300 - 100 - 25 write-off = 175.00 (credit of 04-02 is later), dpd 03-31 - 01-25 = 65
SELECT t.eq((SELECT open_amount FROM ar.open_items('2026-03-31') WHERE invoice_id = 'I4'), 175.00, 'I4 open 175.00 after write-off');
SELECT t.eq((SELECT days_past_due FROM ar.open_items('2026-03-31') WHERE invoice_id = 'I4'), 65, 'I4 65 days past due');
SELECT t.eq((SELECT count(*) FROM ar.open_items('2026-03-31') WHERE invoice_id = 'I5'), 0::bigint, 'I5 issued after as_of is not open');
SELECT t.eq((SELECT sum(open_amount) FROM ar.open_items('2026-03-31')), 945.00, 'total open 550 + 220 + 175 = 945.00 as of 03-31');
-- Unapplied cash lowers exposure, not aging: B 75.00 as of 03-31; A's 10.00 comes later
SELECT t.eq((SELECT unapplied_amount FROM ar.unapplied_cash('2026-03-31') WHERE customer_id = 'B'), 75.00, 'B unapplied 75.00');
SELECT t.eq((SELECT count(*) FROM ar.unapplied_cash('2026-03-31') WHERE customer_id = 'A'), 0::bigint, 'A unapplied cash after as_of not counted');
-- as of 2026-04-30: I1 450.00 (dpd 89), I3 220.00 (16), I4 165.00 (95), I5 50.00 (5): total 885.00
SELECT t.eq((SELECT string_agg(invoice_id || '=' || open_amount || '@' || days_past_due, ' ' ORDER BY invoice_id) FROM ar.open_items('2026-04-30')),
            'I1=450.00@89 I3=220.00@16 I4=165.00@95 I5=50.00@5', 'open items as of 04-30');
SELECT t.eq((SELECT sum(open_amount) FROM ar.open_items('2026-04-30')), 885.00, 'total open as of 04-30 = 885.00');
SELECT t.eq((SELECT unapplied_amount FROM ar.unapplied_cash('2026-04-30') WHERE customer_id = 'A'), 10.00, 'A unapplied 10.00 as of 04-30');
-- before anything was issued
SELECT t.eq((SELECT count(*) FROM ar.open_items('2025-12-31')), 0::bigint, 'nothing open before the first invoice');
SELECT t.raises($$SELECT * FROM ar.open_items('infinity')$$, '22008', '%as_of must be a finite date%', 'open_items(infinity) is a clear error');

-- Constraints reject bad rows with clear errors
SELECT t.raises($$INSERT INTO ar.invoices VALUES ('X1', 'A', '2026-02-01', '2026-01-01', 10)$$, '23514', '%invoices_due_not_before_invoice%', 'due before invoice date rejected');
SELECT t.raises($$INSERT INTO ar.invoices VALUES ('X2', 'A', '2026-02-01', '2026-03-01', 0)$$, '23514', '%invoices_amount_positive%', 'zero invoice amount rejected');
SELECT t.raises($$INSERT INTO ar.invoices VALUES ('X3', 'A', '2026-02-01', '2026-03-01', -5)$$, '23514', '%invoices_amount_positive%', 'negative invoice amount rejected');
SELECT t.raises($$INSERT INTO ar.invoices VALUES ('X4', 'A', '2026-02-01', 'infinity', 5)$$, '23514', '%invoices_dates_finite%', 'infinite due date rejected');
SELECT t.raises($$INSERT INTO ar.invoices VALUES ('X5', 'NOPE', '2026-02-01', '2026-03-01', 5)$$, '23503', '%invoices_customer_id_fkey%', 'unknown customer rejected');
SELECT t.raises($$INSERT INTO ar.payments (customer_id, invoice_id, payment_date, amount) VALUES ('A', 'NOPE', '2026-03-01', 5)$$, '23503', '%payments_invoice_of_customer%', 'payment for unknown invoice rejected');
SELECT t.raises($$INSERT INTO ar.payments (customer_id, invoice_id, payment_date, amount) VALUES ('B', 'I1', '2026-03-01', 5)$$, '23503', '%payments_invoice_of_customer%', 'payment for another customer''s invoice rejected');
SELECT t.raises($$INSERT INTO ar.payments (customer_id, invoice_id, payment_date, amount) VALUES ('A', 'I1', '2026-03-01', 0)$$, '23514', '%payments_amount_positive%', 'zero payment rejected');
-- I3 can take 220.00 in total (200 + 20 debit memo): 220.01 is an over-application
SELECT t.raises($$INSERT INTO ar.payments (customer_id, invoice_id, payment_date, amount) VALUES ('A', 'I3', '2026-04-01', 220.01)$$, '23514', '%I3 would be over-applied%', 'over-payment beyond open amount rejected');
INSERT INTO ar.payments (customer_id, invoice_id, payment_date, amount) VALUES ('A', 'I3', '2026-04-20', 220.00);
SELECT t.eq((SELECT count(*) FROM ar.open_items('2026-04-30') WHERE invoice_id = 'I3'), 0::bigint, 'paying exactly the open amount closes I3');
SELECT t.raises($$INSERT INTO ar.adjustments (invoice_id, adjustment_date, amount, kind) VALUES ('I3', '2026-04-21', 0.01, 'credit_memo')$$, '23514', '%over-applied%', 'credit memo on a settled invoice rejected');
SELECT t.raises($$DELETE FROM ar.adjustments WHERE invoice_id = 'I3'$$, '23514', '%I3 would be over-applied%', 'removing the debit memo that a payment relies on rejected');
SELECT t.raises($$UPDATE ar.invoices SET amount = 100 WHERE invoice_id = 'I2'$$, '23514', '%I2 would be over-applied%', 'lowering an invoice below what was paid rejected');
SELECT t.raises($$INSERT INTO ar.adjustments (invoice_id, adjustment_date, amount, kind) VALUES ('I4', '2026-04-01', 1, 'refund')$$, '23514', '%adjustments_kind_check%', 'unknown adjustment kind rejected');

-- Every table is registered for pg_dump, and the extension owns what it created
SELECT t.eq((SELECT string_agg(c::regclass::text, ' ' ORDER BY c::regclass::text) FROM pg_extension e, unnest(e.extconfig) c WHERE e.extname = 'ar_analytics'),
            'ar.activities ar.activities_activity_id_seq ar.adjustments ar.adjustments_adjustment_id_seq ar.collection_strategies ar.collections_settings ar.collector_assignments ar.collector_assignments_assignment_id_seq ar.collector_roles ar.collectors ar.customer_health_history ar.customer_risk_history ar.customers ar.demo_profiles ar.disputes ar.fx_rates ar.invoices ar.order_holds ar.payment_plan_installments ar.payment_plans ar.payment_plans_plan_id_seq ar.payments ar.payments_payment_id_seq ar.promises ar.rating_policy ar.refresh_log ar.refresh_log_run_id_seq ar.settings ar.stage_adjustments ar.stage_customers ar.stage_invoices ar.stage_payments ar.sync_batches ar.sync_batches_batch_seq ar.sync_rejects',
            'every table (28: 0.5.0 adds staging, batch log, rejects; 0.6.0 the exchange rates) and identity sequence (7) is registered with pg_extension_config_dump');
-- Left out: only derived rows the first refresh after a restore rebuilds: those of the
-- incrementally kept ADTP trend (0.3.0; docs/views.md, "Refresh at scale") and the fitted
-- payment outlook model (0.9.0; an empty ar.payment_model_fit makes the refresh refit),
-- and the incrementally kept customer state (0.10.0: open items, health rows, 0.11.0 payment behaviour, their
-- date and change notes; an empty ar._customer_state makes the refresh rebuild them),
-- and the per-customer stores of 0.11.0 (collections performance, month-end ledger, promise statuses, and ar._store_state:
-- no row for a store makes the refresh rebuild it; 0.14.0 the month-end ledger's totals, kept
-- by triggers with its entries), and the outlook cells of the refresh's date; 0.17.0 the
-- early-warning runs kept for the next refresh (no state row: it walks back the history)
-- and the worklist's past-due accounts kept with the health rows; 0.20.0 the open items per
-- customer, currency and aging bucket (the portfolio aging's store); 0.23.0 the worklist's and the order
-- hold recommendations' rows.
SELECT t.eq((SELECT string_agg(c.oid::regclass::text, ' ' ORDER BY c.oid::regclass::text) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE n.nspname = 'ar' AND c.relkind = 'r'
                AND c.oid NOT IN (SELECT unnest(extconfig) FROM pg_extension WHERE extname = 'ar_analytics')),
            'ar._adtp_trend_changes ar._adtp_trend_state ar._customer_changes ar._customer_state ar._early_warning_runs ar._store_state ar.adtp_trend_monthly_data ar.adtp_trend_totals ar.aging_account_data ar.collections_performance_data ar.collections_performance_groups ar.collections_performance_totals ar.collections_worklist_data ar.customer_health_data ar.month_ledger_data ar.month_ledger_totals ar.open_items_data ar.order_hold_recommendations_data ar.outlook_cells_data ar.payment_behaviour_data ar.payment_model ar.payment_model_fit ar.promise_status_data ar.worklist_accounts_data',
            'no table is left out of pg_dump but the derived ones: ADTP trend rows (3, and their totals), fitted model (2), customer state (5), per-customer stores (4, the ledger totals, the performance groups and totals), outlook cells (1), early-warning runs (1), worklist accounts (1), aging accounts (1), the worklist and the order hold recommendations (2)');
SELECT t.eq((SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE n.nspname = 'ar' AND c.relkind = 'r' AND obj_description(c.oid, 'pg_class') IS NULL), 0::bigint, 'every table has a comment');
SELECT t.eq((SELECT count(*) FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE n.nspname = 'ar' AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
                AND col_description(c.oid, a.attnum) IS NULL), 0::bigint, 'every column has a comment');
SELECT t.eq((SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
              WHERE n.nspname = 'ar' AND p.prorettype <> 'internal'::regtype AND p.proname NOT LIKE '%\_in' AND p.proname NOT LIKE '%\_out'
                AND p.proname NOT LIKE '%\_recv' AND p.proname NOT LIKE '%\_send' AND p.proname NOT LIKE '%\_final' AND p.proname NOT LIKE '%\_serialize'
                AND obj_description(p.oid, 'pg_proc') IS NULL), 0::bigint, 'every user-facing function and aggregate has a comment');
