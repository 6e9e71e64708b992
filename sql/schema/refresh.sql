-- Tables of the views and their refresh (sql/views/, sql/refresh/): settings with the
-- as-of date, the refresh log, the health history, and the ADTP trend's stored rows.
-- Fresh installs only; their changes are migrations in sql/updates/.

CREATE TABLE ar.settings (
    singleton      boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    as_of          date CHECK (isfinite(as_of)),
    backfill_limit integer NOT NULL DEFAULT 31 CHECK (backfill_limit BETWEEN 0 AND 366),
    reporting_currency char(3) NOT NULL DEFAULT 'USD' CHECK (reporting_currency ~ '^[A-Z]{3}$')
);
-- No row is installed (so pg_dump/pg_restore cannot collide with one): ar.refresh
-- creates it, and the column defaults apply while it is absent.
COMMENT ON TABLE ar.settings IS 'At most one row of settings: the as-of date of the last refresh (read by every view through ar.as_of()) and how many missed days ar.refresh backfills into the history. Created by the first ar.refresh; defaults apply until then.';
COMMENT ON COLUMN ar.settings.singleton IS 'Always true: the table holds exactly one row.';
COMMENT ON COLUMN ar.settings.as_of IS 'As-of date of the views, set by ar.refresh; NULL before the first refresh.';
COMMENT ON COLUMN ar.settings.backfill_limit IS 'At most this many missing days before the new as-of date are backfilled into ar.customer_health_history (default 31).';
COMMENT ON COLUMN ar.settings.reporting_currency IS 'Currency of the portfolio figures (ar.reporting_currency(); default USD); set it with ar.set_reporting_currency.';
SELECT pg_catalog.pg_extension_config_dump('ar.settings', '');

-- One row per customer and day: the columns of ar.customer_health_at (sql/views/customer_health.sql).
CREATE TABLE ar.customer_health_history (
    customer_id                        text,
    customer_name                      text,
    segment                            text,
    collector                          text,
    payment_terms_days                 integer,
    open_amount                        numeric,
    past_due_amount                    numeric,
    current_amount                     numeric,
    days_1_30                          numeric,
    days_31_60                         numeric,
    days_61_90                         numeric,
    days_91_120                        numeric,
    days_121_plus                      numeric,
    open_invoices                      bigint,
    oldest_past_due_days               integer,
    unapplied_cash                     numeric,
    net_exposure                       numeric,
    credit_limit                       numeric,
    credit_utilisation                 numeric,
    credit_sales_90d                   numeric,
    dso_90d                            numeric,
    paid_items_12m                     bigint,
    adtp_12m                           numeric,
    adtp_weighted_12m                  numeric,
    avg_days_late_12m                  numeric,
    avg_days_late_weighted_12m         numeric,
    avg_days_beyond_terms_weighted_12m numeric,
    paid_items_90d                     bigint,
    adtp_90d                           numeric,
    adtp_weighted_90d                  numeric,
    avg_days_late_90d                  numeric,
    avg_days_late_weighted_90d         numeric,
    avg_days_beyond_terms_weighted_90d numeric,
    on_time_rate_12m                   numeric,
    payment_index_12m                  integer,
    open_disputes                      bigint,
    oldest_open_dispute_days           integer,
    promises_kept_12m                  bigint,
    promises_broken_12m                bigint,
    promises_pending                   bigint,
    open_order_holds                   bigint,
    last_payment_date                  date,
    as_of                              date,
    PRIMARY KEY (as_of, customer_id)
);
-- (carrying the figures the early warnings test walking back a customer's snapshots:
-- read from the index alone)
CREATE INDEX customer_health_history_customer_idx ON ar.customer_health_history (customer_id, as_of)
    INCLUDE (adtp_weighted_90d, adtp_weighted_12m, credit_utilisation);
COMMENT ON TABLE ar.customer_health_history IS 'Daily snapshots of ar.customer_health, keyed by (as_of, customer_id). Refreshing the same as_of again replaces that day; days missed since the last snapshot are backfilled by ar.refresh (up to ar.settings.backfill_limit).';
-- Its column comments are those of ar.customer_health (sql/views/customer_health.sql).
SELECT pg_catalog.pg_extension_config_dump('ar.customer_health_history', '');

-- The customer-level state the refresh keeps incrementally (sql/refresh/customer_state.sql,
-- docs/views.md "Incremental refresh"): the open items and the customer health rows of
-- the last refresh, recomputed only for the customers that changed or that the date
-- moved. Derived data: not dumped (the first refresh after a restore rebuilds them).
-- (ids in the default collation, as the open-items snapshot has always shown them:
-- the views over it keep their column types)
CREATE TABLE ar.open_items_data (
    invoice_id   text PRIMARY KEY,
    customer_id  text NOT NULL,
    invoice_date date NOT NULL,
    due_date     date NOT NULL,
    amount       numeric NOT NULL,
    open_amount  numeric NOT NULL,
    currency     text NOT NULL
);
CREATE INDEX open_items_data_customer_idx ON ar.open_items_data (customer_id, due_date);
CREATE INDEX open_items_data_due_idx ON ar.open_items_data (due_date);
COMMENT ON TABLE ar.open_items_data IS 'Storage of ar.open_items_snapshot (the open items as of the last refresh, with the invoice''s currency and without the days past due, which the view computes), kept by ar.refresh; derived data, not dumped.';
COMMENT ON COLUMN ar.open_items_data.invoice_id IS 'Invoice open on the stored date.';
COMMENT ON COLUMN ar.open_items_data.customer_id IS 'Account invoiced.';
COMMENT ON COLUMN ar.open_items_data.invoice_date IS 'Date the invoice was issued.';
COMMENT ON COLUMN ar.open_items_data.due_date IS 'Date payment is due.';
COMMENT ON COLUMN ar.open_items_data.amount IS 'Invoiced amount.';
COMMENT ON COLUMN ar.open_items_data.open_amount IS 'Open amount on the stored date (ar.open_items).';
COMMENT ON COLUMN ar.open_items_data.currency IS 'Currency of the invoice.';

-- A customer's row as computed on its own as_of (the last date its figures changed
-- other than by ageing): ar.customer_health_mv shifts the two ages to the refresh's date.
CREATE TABLE ar.customer_health_data (LIKE ar.customer_health_history, PRIMARY KEY (customer_id));
COMMENT ON TABLE ar.customer_health_data IS 'Storage of ar.customer_health: each customer''s row as computed on its as_of (the refresh that last recomputed it), kept by ar.refresh; derived data, not dumped. Query ar.customer_health.';

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

-- Each customer's past-due open items as of the stored date, in the part that does not
-- move with the date (amounts and due dates, not ages), kept with the health rows for the
-- collections worklist (sql/collections/worklist.sql), which adds the day's ages.
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

-- As of which date the two tables above are, and the customers changed since
-- (written by triggers in the changing transaction, taken by the next refresh; NULL =
-- all, after a TRUNCATE or a change of rates). Every role may add notes (only add),
-- as for the ADTP trend's.
CREATE TABLE ar._customer_state (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    as_of     date NOT NULL
);
COMMENT ON TABLE ar._customer_state IS 'Internal: as-of date of ar.open_items_data, ar.customer_health_data (and the payment behaviour and worklist accounts kept with it); empty = rebuild them at the next refresh.';
COMMENT ON COLUMN ar._customer_state.singleton IS 'Always true: the table holds at most one row.';
COMMENT ON COLUMN ar._customer_state.as_of IS 'As-of date of the stored open items and health rows.';
CREATE TABLE ar._customer_changes (customer_id text COLLATE "C", invoice_id text COLLATE "C", ledger_since date, performance_since date);
COMMENT ON TABLE ar._customer_changes IS 'Internal: customers whose health row and invoices whose open item the next refresh recomputes (both NULL = all), written by triggers on the ledger tables.';
COMMENT ON COLUMN ar._customer_changes.customer_id IS 'Customer whose health row to recompute; NULL (with invoice_id NULL) = every customer and invoice.';
COMMENT ON COLUMN ar._customer_changes.invoice_id IS 'Invoice whose open item to recompute (NULL: none).';
COMMENT ON COLUMN ar._customer_changes.ledger_since IS 'Earliest ledger date the change concerns: the customer''s month-end ledger entries are recomputed from its month on (-infinity: all; NULL: none, a change outside the ledger).';
COMMENT ON COLUMN ar._customer_changes.performance_since IS 'Earliest date the change concerns for the collections performance figures: the customer''s figures are recomputed from its month on (-infinity: all; NULL: none, a change they do not read).';
GRANT INSERT ON ar._customer_changes TO PUBLIC;

-- The month-end ledger's entries per customer as of the last refresh (sql/ledger/month_end.sql),
-- read by the monthly KPIs.
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
-- Their sums over all customers per key, kept by triggers on ar.month_ledger_data
-- (sql/ledger/month_end.sql): the monthly KPIs add up these instead of every entry.
CREATE TABLE ar.month_ledger_totals (
    segment     text NOT NULL,
    currency    text NOT NULL,
    from_month  date NOT NULL,
    until_month date,
    sale_day    date,
    delta       numeric NOT NULL,
    sales       numeric,
    entries     bigint NOT NULL,
    sale_entries bigint NOT NULL,
    CONSTRAINT month_ledger_totals_key UNIQUE NULLS NOT DISTINCT (segment, currency, from_month, until_month, sale_day)
);
COMMENT ON TABLE ar.month_ledger_totals IS 'Internal: ar.month_ledger_data summed per segment, currency, from month, until month and sale day (all customers), kept equal to it by its triggers; read by ar.portfolio_kpis_monthly. Derived data, not dumped.';
COMMENT ON COLUMN ar.month_ledger_totals.segment IS 'Segment of the entries ((none) = none).';
COMMENT ON COLUMN ar.month_ledger_totals.currency IS 'Their currency.';
COMMENT ON COLUMN ar.month_ledger_totals.from_month IS 'Their from month.';
COMMENT ON COLUMN ar.month_ledger_totals.until_month IS 'Their until month (NULL: none of the 24).';
COMMENT ON COLUMN ar.month_ledger_totals.sale_day IS 'Their sale day (NULL: none).';
COMMENT ON COLUMN ar.month_ledger_totals.delta IS 'Sum of the entries'' delta.';
COMMENT ON COLUMN ar.month_ledger_totals.sales IS 'Sum of the entries'' sales; NULL when none of them has any (sale_entries = 0).';
COMMENT ON COLUMN ar.month_ledger_totals.entries IS 'Number of entries summed (the row goes when it reaches 0).';
COMMENT ON COLUMN ar.month_ledger_totals.sale_entries IS 'Number of them with sales.';

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

-- The open items per customer, currency and aging bucket as of the last refresh
-- (sql/views/portfolio_aging.sql), kept per customer: what the portfolio aging and the
-- currency exposure add up (0.20.0). One row per customer, currency and bucket (the
-- GROUP BY of ar._aging_account_rows); no index: the views read it whole and a refresh
-- deletes its customers' rows in one pass (a key on the three columns made writing the
-- rows of 24,626 customers 10 times slower: 365 vs 34 ms at 200,000 customers).
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

-- The as-of date (and reporting currency) of each store a refresh keeps per customer
-- beyond the customer state: no row = rebuild that store at the next refresh (the
-- first refresh, and the first after a restore: neither it nor the stores are dumped).
CREATE TABLE ar._store_state (
    store    text PRIMARY KEY,
    as_of    date NOT NULL,
    currency text NOT NULL
);
COMMENT ON TABLE ar._store_state IS 'Internal: as-of date and reporting currency of each per-customer store kept by ar.refresh (aging_account, collections_performance, month_ledger, promise_status; early_warning_runs: the runs the early warnings keep); no row = rebuild it at the next refresh (the early warnings: walk back the history).';
COMMENT ON COLUMN ar._store_state.store IS 'Name of the store.';
COMMENT ON COLUMN ar._store_state.as_of IS 'As-of date of its rows.';
COMMENT ON COLUMN ar._store_state.currency IS 'Reporting currency of its rows.';

-- ar.refresh: refresh every view for an as-of date, log the run, snapshot the history.
CREATE TABLE ar.refresh_log (
    run_id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    started_at      timestamptz NOT NULL DEFAULT clock_timestamp(),
    finished_at     timestamptz,
    as_of           date NOT NULL,
    status          text NOT NULL,
    views           jsonb,
    backfilled_days integer,
    error           text,
    run_by          text NOT NULL DEFAULT current_user,
    isolation       text NOT NULL DEFAULT current_setting('transaction_isolation'),
    pid             integer,
    backend_start   timestamptz,
    CONSTRAINT refresh_log_status_check CHECK (status IN ('running', 'succeeded', 'failed', 'skipped', 'interrupted'))
);
COMMENT ON TABLE ar.refresh_log IS 'One row per call of ar.refresh: when, for which as-of date, outcome, rows and milliseconds per view, days backfilled into the history, and the error of a failed run.';
COMMENT ON COLUMN ar.refresh_log.run_id IS 'Generated identifier.';
COMMENT ON COLUMN ar.refresh_log.started_at IS 'When the run started.';
COMMENT ON COLUMN ar.refresh_log.finished_at IS 'When it ended (NULL while running).';
COMMENT ON COLUMN ar.refresh_log.as_of IS 'As-of date refreshed.';
COMMENT ON COLUMN ar.refresh_log.status IS 'succeeded, failed (views keep the previous data), skipped (another refresh was running), running, or interrupted (the backend running it ended before it finished: crash, kill, restart; the views keep the previous data).';
COMMENT ON COLUMN ar.refresh_log.views IS 'Per view: {"rows": n, "ms": t}.';
COMMENT ON COLUMN ar.refresh_log.backfilled_days IS 'Missing days whose history snapshots were backfilled.';
COMMENT ON COLUMN ar.refresh_log.error IS 'SQLSTATE and message of a failed run.';
COMMENT ON COLUMN ar.refresh_log.run_by IS 'Database role that ran the refresh.';
COMMENT ON COLUMN ar.refresh_log.isolation IS 'Transaction isolation of the run: repeatable read = every view from one snapshot; read committed = each view from its own.';
COMMENT ON COLUMN ar.refresh_log.pid IS 'Process ID of the backend that ran the refresh.';
COMMENT ON COLUMN ar.refresh_log.backend_start IS 'Start time of that backend (with pid, tells a live run from an interrupted one).';
SELECT pg_catalog.pg_extension_config_dump('ar.refresh_log', '');
SELECT pg_catalog.pg_extension_config_dump(pg_catalog.pg_get_serial_sequence('ar.refresh_log', 'run_id')::regclass, '');

-- The stored rows (as of ar._adtp_trend_state.as_of), read through ar.adtp_trend_monthly.
CREATE TABLE ar.adtp_trend_monthly_data (
    customer_id            text COLLATE "C" NOT NULL,
    segment                text,
    collector              text,
    payment_terms_days     integer,
    month                  date NOT NULL,
    paid_items             bigint,
    paid_amount            numeric,
    adtp                   numeric,
    adtp_weighted          numeric,
    avg_days_late          numeric,
    avg_days_late_weighted numeric,
    stats                  ar.paymentstats,
    stats_reporting        ar.paymentstats,
    PRIMARY KEY (customer_id, month)
);
COMMENT ON TABLE ar.adtp_trend_monthly_data IS 'Storage of ar.adtp_trend_monthly, kept by ar.refresh (derived data: not dumped; the first refresh after a restore rebuilds it); query the view.';
COMMENT ON COLUMN ar.adtp_trend_monthly_data.customer_id IS 'Account identifier.';
COMMENT ON COLUMN ar.adtp_trend_monthly_data.segment IS 'Business segment.';
COMMENT ON COLUMN ar.adtp_trend_monthly_data.collector IS 'Collector responsible.';
COMMENT ON COLUMN ar.adtp_trend_monthly_data.payment_terms_days IS 'Payment terms in days: the ideal days to pay.';
COMMENT ON COLUMN ar.adtp_trend_monthly_data.month IS 'First day of the month of payment.';
COMMENT ON COLUMN ar.adtp_trend_monthly_data.paid_items IS 'Payment applications received that month.';
COMMENT ON COLUMN ar.adtp_trend_monthly_data.paid_amount IS 'Amount received that month.';
COMMENT ON COLUMN ar.adtp_trend_monthly_data.adtp IS 'Average days to pay (simple) of items paid that month.';
COMMENT ON COLUMN ar.adtp_trend_monthly_data.adtp_weighted IS 'Amount-weighted average days to pay.';
COMMENT ON COLUMN ar.adtp_trend_monthly_data.avg_days_late IS 'Average days late (simple).';
COMMENT ON COLUMN ar.adtp_trend_monthly_data.avg_days_late_weighted IS 'Amount-weighted average days late.';
COMMENT ON COLUMN ar.adtp_trend_monthly_data.stats IS 'The month''s payment summary (ar.payment_stats), amounts in the customer''s currency.';
COMMENT ON COLUMN ar.adtp_trend_monthly_data.stats_reporting IS 'The same summary with amounts in the reporting currency at each payment''s date, rolled up by the monthly KPIs; NULL = equal to stats (every payment of the month already in the reporting currency).';

-- (the months whose rows a day rewrote are summed again for the totals below: found by month)
CREATE INDEX adtp_trend_monthly_data_month_idx ON ar.adtp_trend_monthly_data (month);

-- Their payment summaries rolled up per month and segment (all customers), kept with the
-- rows by ar._refresh_adtp_trend (0.19.0): the monthly KPIs roll up these instead of every
-- customer's rows.
CREATE TABLE ar.adtp_trend_totals (
    month   date NOT NULL,
    segment text NOT NULL,
    stats   ar.paymentstats NOT NULL,
    PRIMARY KEY (month, segment)
);
COMMENT ON TABLE ar.adtp_trend_totals IS 'Internal: the payment summaries of ar.adtp_trend_monthly_data rolled up per month and segment (in the reporting currency: stats_reporting, else stats), kept equal to it by ar._refresh_adtp_trend; read by ar.portfolio_kpis_monthly. Derived data, not dumped.';
COMMENT ON COLUMN ar.adtp_trend_totals.month IS 'First day of the month of payment.';
COMMENT ON COLUMN ar.adtp_trend_totals.segment IS 'Business segment ((none) = none).';
COMMENT ON COLUMN ar.adtp_trend_totals.stats IS 'ar.rollup of the month''s summaries of the segment''s customers, amounts in the reporting currency.';

-- The as-of date of the stored rows; no row = rebuild everything at the next refresh
-- (the first refresh, and the first after a restore: neither table is dumped).
CREATE TABLE ar._adtp_trend_state (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    as_of     date NOT NULL
);
COMMENT ON TABLE ar._adtp_trend_state IS 'Internal: as-of date of the rows in ar.adtp_trend_monthly_data; empty = rebuild them all at the next refresh.';
COMMENT ON COLUMN ar._adtp_trend_state.singleton IS 'Always true: the table holds at most one row.';
COMMENT ON COLUMN ar._adtp_trend_state.as_of IS 'As-of date of the stored rows.';

-- Customers whose rows may have changed since the last refresh (NULL: all of them,
-- after a TRUNCATE), written by triggers in the changing transaction and taken
-- (deleted) by the next refresh. No key: a change committed while a refresh runs stays
-- here for the next one. The triggers run as the role that changes the data, so every
-- role may add rows (and only add): a role allowed to load payments needs no other grant.
CREATE TABLE ar._adtp_trend_changes (customer_id text COLLATE "C", since date);
COMMENT ON TABLE ar._adtp_trend_changes IS 'Internal: customers whose ADTP trend rows must be recomputed by the next refresh (NULL = all), written by triggers on payments, invoices and customers.';
COMMENT ON COLUMN ar._adtp_trend_changes.customer_id IS 'Customer whose rows to recompute; NULL = all (a TRUNCATE).';
COMMENT ON COLUMN ar._adtp_trend_changes.since IS 'Earliest payment date changed: the customer''s rows are recomputed from its month on; NULL = all of them (an invoice''s dates, the customer''s attributes).';
-- The triggers run as the role that changes the data.
GRANT INSERT ON ar._adtp_trend_changes TO PUBLIC;
