-- ar_analytics 0.16.0 -> 0.17.0: the migrations only (released; never edited again).

-- The early warnings keep the runs they walked back (sql/schema/risk.sql,
-- sql/risk/early_warnings.sql): the storage gets the slip threshold of each run and reads
-- the kept runs; the first refresh after the update walks back and keeps them.
CREATE TABLE ar._early_warning_runs (
    customer_id text NOT NULL,
    kind        text NOT NULL,
    since       date NOT NULL,
    threshold   numeric,
    PRIMARY KEY (customer_id, kind)
);
COMMENT ON TABLE ar._early_warning_runs IS 'Internal: the payment_slipping and credit_limit_breached warnings of the last refresh with their since-date (and slip threshold), read by the next refresh instead of walking back the history; derived data, not dumped (no state row = walk back).';
COMMENT ON COLUMN ar._early_warning_runs.customer_id IS 'Account identifier.';
COMMENT ON COLUMN ar._early_warning_runs.kind IS 'payment_slipping or credit_limit_breached.';
COMMENT ON COLUMN ar._early_warning_runs.since IS 'First day of the run of snapshots in which the condition holds.';
COMMENT ON COLUMN ar._early_warning_runs.threshold IS 'The slip threshold in days the run was found with (payment_slipping; NULL for credit_limit_breached).';
SELECT ar._detach_dependents(to_regclass('ar.early_warnings_mv')) WHERE to_regclass('ar.early_warnings_mv') IS NOT NULL;
DROP MATERIALIZED VIEW IF EXISTS ar.early_warnings_mv;
COMMENT ON TABLE ar._store_state IS 'Internal: as-of date and reporting currency of each per-customer store kept by ar.refresh (collections_performance, month_ledger, promise_status; early_warning_runs: the runs the early warnings keep); no row = rebuild it at the next refresh (the early warnings: walk back the history).';

-- The collections worklist reads the past-due accounts kept with the health rows
-- (ar.worklist_accounts_data): its storage is re-created, and the customer state rebuilt
-- (by the update on a refreshed database, else by the first refresh) to fill the new
-- table. The portfolio aging and currency exposure add up the open items per customer,
-- currency and bucket (ar._aging_account_rows): their storage is re-created.
CREATE TABLE ar.worklist_accounts_data (
    customer_id                text PRIMARY KEY,
    past_due_amount            numeric NOT NULL,
    disputed_amount            numeric NOT NULL,
    oldest_due_date            date NOT NULL,
    oldest_undisputed_due_date date,
    past_due_invoices          bigint NOT NULL,
    invoices                   text[] NOT NULL
);
COMMENT ON TABLE ar.worklist_accounts_data IS 'Storage of ar._worklist_account_rows as of the stored date of ar.customer_health_data (customers with past-due open items), kept with the health rows by ar.refresh and read by the collections worklist; derived data, not dumped.';
COMMENT ON COLUMN ar.worklist_accounts_data.customer_id IS 'Account.';
COMMENT ON COLUMN ar.worklist_accounts_data.past_due_amount IS 'Open amount of the past-due invoices, in the customer''s currency (another invoice currency at the stored date''s rate).';
COMMENT ON COLUMN ar.worklist_accounts_data.disputed_amount IS 'Part of it under a dispute open on the stored date.';
COMMENT ON COLUMN ar.worklist_accounts_data.oldest_due_date IS 'Due date of the oldest past-due invoice.';
COMMENT ON COLUMN ar.worklist_accounts_data.oldest_undisputed_due_date IS 'Due date of the oldest past-due invoice not wholly disputed (NULL: all disputed).';
COMMENT ON COLUMN ar.worklist_accounts_data.past_due_invoices IS 'Number of past-due invoices.';
COMMENT ON COLUMN ar.worklist_accounts_data.invoices IS 'The past-due invoices, oldest due first (then by id).';
COMMENT ON TABLE ar._customer_state IS 'Internal: as-of date of ar.open_items_data, ar.customer_health_data (and the payment behaviour and worklist accounts kept with it); empty = rebuild them at the next refresh.';

DELETE FROM ar._customer_state;
SELECT ar._detach_dependents(to_regclass('ar.collections_worklist_mv')) WHERE to_regclass('ar.collections_worklist_mv') IS NOT NULL;
DROP MATERIALIZED VIEW IF EXISTS ar.collections_worklist_mv;
SELECT ar._detach_dependents(to_regclass('ar.portfolio_aging_mv')) WHERE to_regclass('ar.portfolio_aging_mv') IS NOT NULL;
DROP MATERIALIZED VIEW IF EXISTS ar.portfolio_aging_mv;
SELECT ar._detach_dependents(to_regclass('ar.currency_exposure_mv')) WHERE to_regclass('ar.currency_exposure_mv') IS NOT NULL;
DROP MATERIALIZED VIEW IF EXISTS ar.currency_exposure_mv;
