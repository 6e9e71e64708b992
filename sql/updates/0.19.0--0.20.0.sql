-- ar_analytics 0.19.0 -> 0.20.0: the migrations only (released; never edited again).

-- The portfolio aging and the currency exposure add up the open items per customer,
-- currency and aging bucket kept per customer (ar.aging_account_data, a store of the
-- refresh, sql/views/portfolio_aging.sql), not the open items: the table, and the two
-- views' storage re-created (their query changed; post-update.sql builds the new store,
-- which has no state yet, then fills them). ar._aging_account_rows takes the customers
-- now (its one-argument form, read only by those two, goes with them).
CREATE TABLE ar.aging_account_data (
    customer_id text COLLATE "C" NOT NULL,
    currency    text NOT NULL,
    bucket      text NOT NULL,
    open_amount numeric NOT NULL,
    invoices    bigint NOT NULL
);
COMMENT ON TABLE ar.aging_account_data IS 'Storage of the open items per customer, currency and aging bucket (ar._aging_account_rows as of the last refresh), added up by ar.portfolio_aging and ar.currency_exposure; kept per customer by ar.refresh; derived data, not dumped.';
COMMENT ON COLUMN ar.aging_account_data.customer_id IS 'Account.';
COMMENT ON COLUMN ar.aging_account_data.currency IS 'Currency of the invoices (ISO 4217).';
COMMENT ON COLUMN ar.aging_account_data.bucket IS 'Aging bucket on the stored date (ar.aging_bucket of the days past due).';
COMMENT ON COLUMN ar.aging_account_data.open_amount IS 'Open amount of those invoices, in that currency.';
COMMENT ON COLUMN ar.aging_account_data.invoices IS 'Number of those invoices.';
COMMENT ON TABLE ar._store_state IS 'Internal: as-of date and reporting currency of each per-customer store kept by ar.refresh (aging_account, collections_performance, month_ledger, promise_status; early_warning_runs: the runs the early warnings keep); no row = rebuild it at the next refresh (the early warnings: walk back the history).';
SELECT ar._detach_dependents(to_regclass('ar.portfolio_aging_mv')) WHERE to_regclass('ar.portfolio_aging_mv') IS NOT NULL;
DROP MATERIALIZED VIEW IF EXISTS ar.portfolio_aging_mv;
SELECT ar._detach_dependents(to_regclass('ar.currency_exposure_mv')) WHERE to_regclass('ar.currency_exposure_mv') IS NOT NULL;
DROP MATERIALIZED VIEW IF EXISTS ar.currency_exposure_mv;
DROP FUNCTION IF EXISTS ar._aging_account_rows(date);
