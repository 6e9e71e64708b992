-- ar_analytics 0.10.0 -> 0.11.0: the migrations only (released; never edited again).

-- Collections performance and the month-end ledger kept per customer (sql/collections/
-- performance.sql, sql/ledger/month_end.sql): their storage tables, the state of the
-- per-customer stores, and the views re-created over them; the outlook cells of the
-- refresh's date, stored once for the three forecast views.
CREATE TABLE ar.collections_performance_data (
    customer_id       text COLLATE "C" NOT NULL,
    month             date NOT NULL,
    currency          text NOT NULL,
    collected         numeric NOT NULL,
    recovered         numeric NOT NULL,
    past_due_at_start numeric,
    contact_days      bigint NOT NULL,
    contact_payments  bigint NOT NULL,
    PRIMARY KEY (customer_id, month, currency)
);
COMMENT ON TABLE ar.collections_performance_data IS 'Storage of the per-customer figures of ar.collections_performance (the 12 months up to the last refresh), kept by ar.refresh; derived data, not dumped. Query ar.collections_performance.';
COMMENT ON COLUMN ar.collections_performance_data.customer_id IS 'Account.';
COMMENT ON COLUMN ar.collections_performance_data.month IS 'First day of the month.';
COMMENT ON COLUMN ar.collections_performance_data.currency IS 'Currency of the cash and invoices counted in this row.';
COMMENT ON COLUMN ar.collections_performance_data.collected IS 'Cash received in the month, in the reporting currency (each day at its rate).';
COMMENT ON COLUMN ar.collections_performance_data.recovered IS 'Cash received in the month on invoices past due at its start, in the reporting currency.';
COMMENT ON COLUMN ar.collections_performance_data.past_due_at_start IS 'Open amount on the first day of the month of the invoices past due then, in currency (converted by the view per group); NULL: none.';
COMMENT ON COLUMN ar.collections_performance_data.contact_days IS 'Days from the first contact after the due date to the payment, summed over the month''s late payments that had one.';
COMMENT ON COLUMN ar.collections_performance_data.contact_payments IS 'Number of those late payments.';
CREATE TABLE ar.month_ledger_data (
    customer_id text COLLATE "C" NOT NULL,
    segment     text NOT NULL,
    currency    text NOT NULL,
    from_month  date NOT NULL,
    until_month date,
    sale_day    date,
    delta       numeric NOT NULL,
    sales       numeric
);
CREATE INDEX month_ledger_data_customer_idx ON ar.month_ledger_data (customer_id);
COMMENT ON TABLE ar.month_ledger_data IS 'Storage of the month-end ledger''s entries per customer (ar._month_ledger_rows as of the last refresh), added up by ar.portfolio_kpis_monthly; kept by ar.refresh; derived data, not dumped.';
COMMENT ON COLUMN ar.month_ledger_data.customer_id IS 'Account.';
COMMENT ON COLUMN ar.month_ledger_data.segment IS 'Its segment ((none) = none).';
COMMENT ON COLUMN ar.month_ledger_data.currency IS 'Currency of the invoices whose events the entry sums.';
COMMENT ON COLUMN ar.month_ledger_data.from_month IS 'First month end the events count at (the month of the later of event and invoice dates; the month before the 24 months for earlier ones).';
COMMENT ON COLUMN ar.month_ledger_data.until_month IS 'Last month end the events count as current (not past due) at; NULL: none of the 24.';
COMMENT ON COLUMN ar.month_ledger_data.sale_day IS 'Invoice date, for invoices in another currency than the reporting one (their sales convert at its rate); else NULL.';
COMMENT ON COLUMN ar.month_ledger_data.delta IS 'Sum of the events: invoices and debit memos add, payments, credit memos and write-offs subtract.';
COMMENT ON COLUMN ar.month_ledger_data.sales IS 'Sum of the invoices among them (credit sales); NULL: none.';
CREATE TABLE ar.outlook_cells_data (
    segment     text,
    currency    text,
    band        text,
    age         integer,
    open_amount numeric,
    invoices    bigint,
    surv        numeric[]
);
COMMENT ON TABLE ar.outlook_cells_data IS 'Storage of ar._outlook_cells_at(as_of) for the date of the last refresh (open invoices per segment, currency, behaviour band and age, with their survival curve), read by the forecast views; kept by ar.refresh; derived data, not dumped.';
COMMENT ON COLUMN ar.outlook_cells_data.segment IS 'Customer segment.';
COMMENT ON COLUMN ar.outlook_cells_data.currency IS 'Currency of the invoices.';
COMMENT ON COLUMN ar.outlook_cells_data.band IS 'Behaviour band of the payment outlook (or stalled).';
COMMENT ON COLUMN ar.outlook_cells_data.age IS 'Days past due (capped where the curve no longer changes).';
COMMENT ON COLUMN ar.outlook_cells_data.open_amount IS 'Open amount of the invoices of the cell.';
COMMENT ON COLUMN ar.outlook_cells_data.invoices IS 'Number of those invoices.';
COMMENT ON COLUMN ar.outlook_cells_data.surv IS 'Share still unpaid after 0 .. 52 weeks.';
CREATE TABLE ar._store_state (
    store    text PRIMARY KEY,
    as_of    date NOT NULL,
    currency text NOT NULL
);
COMMENT ON TABLE ar._store_state IS 'Internal: as-of date and reporting currency of each per-customer store kept by ar.refresh (collections_performance, month_ledger, promise_status); no row = rebuild it at the next refresh.';
COMMENT ON COLUMN ar._store_state.store IS 'Name of the store.';
COMMENT ON COLUMN ar._store_state.as_of IS 'As-of date of its rows.';
COMMENT ON COLUMN ar._store_state.currency IS 'Reporting currency of its rows.';
-- (an update from before 0.6.0 dropped it already in that step's migration)
SELECT ar._detach_dependents(to_regclass('ar.collections_performance_mv')) WHERE to_regclass('ar.collections_performance_mv') IS NOT NULL;
DROP MATERIALIZED VIEW IF EXISTS ar.collections_performance_mv;
-- takes the changes the refresh took (ar._take_customer_changes)
DROP FUNCTION IF EXISTS ar._refresh_customer_state(date, boolean);
SELECT ar._detach_dependents(to_regclass('ar.portfolio_kpis_monthly_mv')) WHERE to_regclass('ar.portfolio_kpis_monthly_mv') IS NOT NULL;
DROP MATERIALIZED VIEW IF EXISTS ar.portfolio_kpis_monthly_mv;
-- The forecast views read the outlook cells the refresh stores (ar._outlook_cells_of)
SELECT ar._detach_dependents(to_regclass('ar.cash_forecast_weekly_mv')) WHERE to_regclass('ar.cash_forecast_weekly_mv') IS NOT NULL;
DROP MATERIALIZED VIEW IF EXISTS ar.cash_forecast_weekly_mv;
SELECT ar._detach_dependents(to_regclass('ar.cash_forecast_detail_mv')) WHERE to_regclass('ar.cash_forecast_detail_mv') IS NOT NULL;
DROP MATERIALIZED VIEW IF EXISTS ar.cash_forecast_detail_mv;
SELECT ar._detach_dependents(to_regclass('ar.expected_write_off_mv')) WHERE to_regclass('ar.expected_write_off_mv') IS NOT NULL;
DROP MATERIALIZED VIEW IF EXISTS ar.expected_write_off_mv;

-- Each customer's payment summaries (ar._payment_behaviour_at) as of the stored date,
-- kept with its health row: read by the health rows, early warnings and forecast of the
-- refreshed date (ar._payment_behaviour_for).
CREATE TABLE ar.payment_behaviour_data (
    customer_id text COLLATE "C" PRIMARY KEY,
    s12         ar.paymentstats,
    s90         ar.paymentstats,
    before_90d  ar.paymentstats
);
COMMENT ON TABLE ar.payment_behaviour_data IS 'Storage of ar._payment_behaviour_at as of the stored date of ar.customer_health_data (customers with a payment in the 12 months), kept with the health rows by ar.refresh; derived data, not dumped.';
COMMENT ON COLUMN ar.payment_behaviour_data.customer_id IS 'Account.';
COMMENT ON COLUMN ar.payment_behaviour_data.s12 IS 'Payment summary (ar.payment_stats) of the 12 months up to the date, amounts in the customer''s currency.';
COMMENT ON COLUMN ar.payment_behaviour_data.s90 IS 'The same over the last 90 days.';
COMMENT ON COLUMN ar.payment_behaviour_data.before_90d IS 'The same over the 9 months before them.';
-- stored with the health rows from now on: the first refresh after the update (or the
-- update itself, on a refreshed database) rebuilds the customer state
DELETE FROM ar._customer_state;
-- the early warnings read the stored payment behaviour, and the previous snapshot by index
SELECT ar._detach_dependents(to_regclass('ar.early_warnings_mv')) WHERE to_regclass('ar.early_warnings_mv') IS NOT NULL;
DROP MATERIALIZED VIEW IF EXISTS ar.early_warnings_mv;

-- Promise statuses as of the last refresh (sql/refresh/customer_state.sql), kept per
-- customer. (Ids in the default collation, as the materialized view before it showed them.)
CREATE TABLE ar.promise_status_data (
    promise_id    text PRIMARY KEY,
    customer_id   text NOT NULL,
    invoice_id    text,
    made_on       date NOT NULL,
    promised_date date NOT NULL,
    amount        numeric NOT NULL,
    paid          numeric NOT NULL,
    status        text NOT NULL
);
CREATE INDEX promise_status_data_customer_idx ON ar.promise_status_data (customer_id);
COMMENT ON TABLE ar.promise_status_data IS 'Storage of ar.promises_status: ar.promise_status as of the last refresh, kept per customer by ar.refresh; derived data, not dumped.';
COMMENT ON COLUMN ar.promise_status_data.promise_id IS 'Promise identifier.';
COMMENT ON COLUMN ar.promise_status_data.customer_id IS 'Account.';
COMMENT ON COLUMN ar.promise_status_data.invoice_id IS 'Invoice promised (NULL = the account).';
COMMENT ON COLUMN ar.promise_status_data.made_on IS 'Date the promise was made.';
COMMENT ON COLUMN ar.promise_status_data.promised_date IS 'Date promised.';
COMMENT ON COLUMN ar.promise_status_data.amount IS 'Amount promised.';
COMMENT ON COLUMN ar.promise_status_data.paid IS 'Cash applied to it from made_on to the promised date (or the stored date).';
COMMENT ON COLUMN ar.promise_status_data.status IS 'kept, broken or pending.';
-- ar.promises_status_mv becomes a view over it; the worklist reads the stored statuses
SELECT ar._detach_dependents(to_regclass('ar.promises_status_mv')) WHERE to_regclass('ar.promises_status_mv') IS NOT NULL;
DROP MATERIALIZED VIEW IF EXISTS ar.promises_status_mv;
SELECT ar._detach_dependents(to_regclass('ar.collections_worklist_mv')) WHERE to_regclass('ar.collections_worklist_mv') IS NOT NULL;
DROP MATERIALIZED VIEW IF EXISTS ar.collections_worklist_mv;
