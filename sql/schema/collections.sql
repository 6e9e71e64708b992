-- Tables of collections (sql/collections/): settings, strategies, collectors, assignments,
-- payment plans. Fresh install only.
-- Settings of the collections views: at most one row, NULL = default. The defaults
-- live in one place, ar.collections_policy().
CREATE TABLE ar.collections_settings (
    singleton              boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    dispute_sla_days       integer CHECK (dispute_sla_days BETWEEN 0 AND 3650),
    hold_sla_business_days integer CHECK (hold_sla_business_days BETWEEN 0 AND 365),
    hold_past_due_amount   numeric(18,2) CHECK (hold_past_due_amount > 0),
    hold_days_past_due     integer CHECK (hold_days_past_due BETWEEN 1 AND 3650),
    forecast_doubtful_days integer CHECK (forecast_doubtful_days BETWEEN 1 AND 3650)
);
COMMENT ON TABLE ar.collections_settings IS 'Overrides of the collections settings (at most one row; NULL or no row = default). ar.collections_policy() shows the settings in force.';
COMMENT ON COLUMN ar.collections_settings.singleton IS 'Always true: the table holds at most one row.';
COMMENT ON COLUMN ar.collections_settings.dispute_sla_days IS 'A dispute open longer than this many days is flagged over SLA. Default 7.';
COMMENT ON COLUMN ar.collections_settings.hold_sla_business_days IS 'An order hold should be resolved within this many business days (Monday to Friday). Default 2.';
COMMENT ON COLUMN ar.collections_settings.hold_past_due_amount IS 'Recommend an order hold when the past-due amount reaches this. Default 25000.00.';
COMMENT ON COLUMN ar.collections_settings.hold_days_past_due IS 'Recommend an order hold when the oldest past-due invoice reaches this many days past due. Default 60.';
COMMENT ON COLUMN ar.collections_settings.forecast_doubtful_days IS 'The cash forecast leaves out invoices more than this many days past due (doubtful). Default 90.';
SELECT pg_catalog.pg_extension_config_dump('ar.collections_settings', '');

-- Strategies: the escalation ladder of each risk segment. Empty on install: a
-- segment with no row follows ar.default_collection_strategies(); insert a
-- segment's rows to replace its ladder (see docs/collections.md).
CREATE TABLE ar.collection_strategies (
    risk_segment      text COLLATE "C" NOT NULL CHECK (risk_segment IN ('low', 'medium', 'high', 'critical')),
    step              integer NOT NULL CHECK (step BETWEEN 1 AND 20),
    min_days_past_due integer NOT NULL CHECK (min_days_past_due BETWEEN 1 AND 3650),
    action            text NOT NULL CHECK (action ~ '^[a-z_]+$'),
    tone              text NOT NULL CHECK (tone IN ('friendly', 'formal', 'firm', 'final')),
    channel           text NOT NULL CHECK (channel IN ('email', 'phone', 'letter', 'sms')),
    cadence_days      integer NOT NULL CHECK (cadence_days BETWEEN 1 AND 365),
    template          text NOT NULL CHECK (ar._check_template(template)),
    PRIMARY KEY (risk_segment, step),
    CONSTRAINT collection_strategies_threshold_key UNIQUE (risk_segment, min_days_past_due)
);
COMMENT ON TABLE ar.collection_strategies IS 'Collection strategy per risk segment: one row per step of the escalation ladder. A segment with no rows here follows ar.default_collection_strategies(). The step that applies to an account is the one with the largest min_days_past_due not above its oldest undisputed past-due days.';
COMMENT ON COLUMN ar.collection_strategies.risk_segment IS 'low, medium, high or critical (ar.customer_risk.risk_segment).';
COMMENT ON COLUMN ar.collection_strategies.step IS 'Step number on the ladder (1 = first).';
COMMENT ON COLUMN ar.collection_strategies.min_days_past_due IS 'The step applies from this many days past due (oldest undisputed past-due invoice).';
COMMENT ON COLUMN ar.collection_strategies.action IS 'What to do, e.g. friendly_nudge, formal_reminder, firm_escalation, call_and_hold, agency_referral.';
COMMENT ON COLUMN ar.collection_strategies.tone IS 'friendly, formal, firm or final.';
COMMENT ON COLUMN ar.collection_strategies.channel IS 'email, phone, letter or sms.';
COMMENT ON COLUMN ar.collection_strategies.cadence_days IS 'Outreach cadence at this step: days between touches.';
COMMENT ON COLUMN ar.collection_strategies.template IS 'Message template ({{placeholders}}: ar.message_placeholders()); an unknown placeholder is rejected.';
SELECT pg_catalog.pg_extension_config_dump('ar.collection_strategies', '');

-- Collectors and assignment ------------------------------------------------

CREATE TABLE ar.collectors (
    collector text COLLATE "C" PRIMARY KEY,
    active    boolean NOT NULL DEFAULT true,
    capacity  numeric NOT NULL DEFAULT 1 CHECK (capacity > 0 AND capacity <= 100)
);
COMMENT ON TABLE ar.collectors IS 'Collectors that ar.assign_collectors may assign accounts to. Empty = every collector named in ar.customers.collector, with capacity 1.';
COMMENT ON COLUMN ar.collectors.collector IS 'Collector name, as in ar.customers.collector.';
COMMENT ON COLUMN ar.collectors.active IS 'false = receives no new accounts, and its worklist accounts are reassigned.';
COMMENT ON COLUMN ar.collectors.capacity IS 'Relative capacity (1 = a full-time collector, 0.5 = half): workload is balanced in proportion.';
SELECT pg_catalog.pg_extension_config_dump('ar.collectors', '');

CREATE TABLE ar.collector_assignments (
    assignment_id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_id        text COLLATE "C" NOT NULL REFERENCES ar.customers ON DELETE CASCADE,
    collector          text NOT NULL,
    previous_collector text,
    as_of              date NOT NULL,
    reason             text NOT NULL,
    assigned_at        timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX collector_assignments_customer_idx ON ar.collector_assignments (customer_id, assigned_at);
COMMENT ON TABLE ar.collector_assignments IS 'Every assignment made by ar.assign_collectors.';
COMMENT ON COLUMN ar.collector_assignments.assignment_id IS 'Generated identifier.';
COMMENT ON COLUMN ar.collector_assignments.customer_id IS 'Account assigned.';
COMMENT ON COLUMN ar.collector_assignments.collector IS 'Collector it was assigned to.';
COMMENT ON COLUMN ar.collector_assignments.previous_collector IS 'Collector before (NULL = none).';
COMMENT ON COLUMN ar.collector_assignments.as_of IS 'Worklist date the assignment was made for.';
COMMENT ON COLUMN ar.collector_assignments.reason IS 'unassigned, collector inactive, or rebalance.';
COMMENT ON COLUMN ar.collector_assignments.assigned_at IS 'When.';
SELECT pg_catalog.pg_extension_config_dump('ar.collector_assignments', '');
SELECT pg_catalog.pg_extension_config_dump(pg_catalog.pg_get_serial_sequence('ar.collector_assignments', 'assignment_id')::regclass, '');

-- Payment plans -----------------------------------------------------------------

CREATE TABLE ar.payment_plans (
    plan_id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_id  text COLLATE "C" NOT NULL REFERENCES ar.customers,
    created_on   date NOT NULL CHECK (isfinite(created_on)),
    amount       numeric(18,2) NOT NULL CHECK (amount > 0),
    installments integer NOT NULL CHECK (installments BETWEEN 1 AND 600),
    first_due    date NOT NULL CHECK (isfinite(first_due)),
    every        interval NOT NULL,
    status       text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'cancelled')),
    CONSTRAINT payment_plans_first_due_after_creation CHECK (first_due >= created_on)
);
CREATE UNIQUE INDEX payment_plans_one_active_idx ON ar.payment_plans (customer_id) WHERE status = 'active';
COMMENT ON TABLE ar.payment_plans IS 'Payment plans: a past-due balance rescheduled into installments (create with ar.create_payment_plan). At most one active plan per customer.';
COMMENT ON COLUMN ar.payment_plans.plan_id IS 'Generated identifier.';
COMMENT ON COLUMN ar.payment_plans.customer_id IS 'Account.';
COMMENT ON COLUMN ar.payment_plans.created_on IS 'Date the plan was agreed: cash from this date on invoices dated before it (or unapplied) pays the installments.';
COMMENT ON COLUMN ar.payment_plans.amount IS 'Total amount of the plan.';
COMMENT ON COLUMN ar.payment_plans.installments IS 'Number of installments.';
COMMENT ON COLUMN ar.payment_plans.first_due IS 'Due date of the first installment.';
COMMENT ON COLUMN ar.payment_plans.every IS 'Interval between installments (e.g. 1 month, 14 days).';
COMMENT ON COLUMN ar.payment_plans.status IS 'active or cancelled.';
SELECT pg_catalog.pg_extension_config_dump('ar.payment_plans', '');
SELECT pg_catalog.pg_extension_config_dump(pg_catalog.pg_get_serial_sequence('ar.payment_plans', 'plan_id')::regclass, '');

CREATE TABLE ar.payment_plan_installments (
    plan_id        bigint NOT NULL REFERENCES ar.payment_plans ON DELETE CASCADE,
    installment_no integer NOT NULL CHECK (installment_no >= 1),
    due_date       date NOT NULL,
    amount         numeric(18,2) NOT NULL CHECK (amount > 0),
    PRIMARY KEY (plan_id, installment_no)
);
COMMENT ON TABLE ar.payment_plan_installments IS 'Installments of the payment plans.';
COMMENT ON COLUMN ar.payment_plan_installments.plan_id IS 'Plan.';
COMMENT ON COLUMN ar.payment_plan_installments.installment_no IS '1 = first.';
COMMENT ON COLUMN ar.payment_plan_installments.due_date IS 'first_due + (installment_no - 1) x every.';
COMMENT ON COLUMN ar.payment_plan_installments.amount IS 'amount / installments rounded down to the cent; the last installment takes the remainder.';
SELECT pg_catalog.pg_extension_config_dump('ar.payment_plan_installments', '');

-- The payment outlook model stored by the refresh (docs/collections.md, "Payment
-- outlook"): refitted weekly, four fits (as_of and the three past dates of its band and
-- accuracy report: ar._store_payment_model). Derived data: the next refresh
-- refits it, so it is not dumped.
CREATE TABLE ar.payment_model_fit (
    fitted_as_of date PRIMARY KEY,
    fitted_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    currency text NOT NULL,
    low_ratio numeric,
    high_ratio numeric,
    calibration_weeks integer,
    fit_ms numeric NOT NULL
);
COMMENT ON TABLE ar.payment_model_fit IS 'The fits of the payment outlook model the refresh stored (the latest weekly refit: the as-of date and the three past dates its band and accuracy report use): date, reporting currency and the band of the cash forecast.';
COMMENT ON COLUMN ar.payment_model_fit.fitted_as_of IS 'Date of the ledger the model was fitted on (only data dated on or before it).';
COMMENT ON COLUMN ar.payment_model_fit.fitted_at IS 'When the refresh fitted it.';
COMMENT ON COLUMN ar.payment_model_fit.currency IS 'Reporting currency the exposures are weighed in.';
COMMENT ON COLUMN ar.payment_model_fit.low_ratio IS '10th percentile of actual / forecast over the weeks of the calibration backtests: low band = forecast × low_ratio (NULL: no calibration week).';
COMMENT ON COLUMN ar.payment_model_fit.high_ratio IS '90th percentile of actual / forecast over the weeks of the calibration backtests: high band = forecast × high_ratio.';
COMMENT ON COLUMN ar.payment_model_fit.calibration_weeks IS 'Number of backtest weeks the band was calibrated on (NULL: not calibrated, a fit kept only for a backtest).';
COMMENT ON COLUMN ar.payment_model_fit.fit_ms IS 'Milliseconds the fit and its calibration took.';

CREATE TABLE ar.payment_model (
    fitted_as_of date NOT NULL REFERENCES ar.payment_model_fit ON DELETE CASCADE,
    band text NOT NULL,
    age_week integer NOT NULL,
    invoices_at_risk bigint NOT NULL,
    exposure numeric NOT NULL,
    paid numeric NOT NULL,
    raw_hazard numeric,
    prior_hazard numeric NOT NULL,
    hazard numeric NOT NULL,
    PRIMARY KEY (fitted_as_of, band, age_week)
);
COMMENT ON TABLE ar.payment_model IS 'Coefficients of the stored payment outlook model: ar.payment_model_at(fitted_as_of), one row per behaviour band and week of age.';
COMMENT ON COLUMN ar.payment_model.fitted_as_of IS 'Date of the fit (ar.payment_model_fit).';
COMMENT ON COLUMN ar.payment_model.band IS 'Behaviour band: the customer''s weighted days beyond terms over 12 months, or stalled.';
COMMENT ON COLUMN ar.payment_model.age_week IS 'Week of age: floor((date - due date) / 7), -13 .. 52 (52: a year or more).';
COMMENT ON COLUMN ar.payment_model.invoices_at_risk IS 'Invoices open at the start of that week of age.';
COMMENT ON COLUMN ar.payment_model.exposure IS 'Their open amount then (reporting currency at the fit date''s rates).';
COMMENT ON COLUMN ar.payment_model.paid IS 'Cash paid on them during the week.';
COMMENT ON COLUMN ar.payment_model.raw_hazard IS 'paid / exposure (NULL: no exposure).';
COMMENT ON COLUMN ar.payment_model.prior_hazard IS 'What a thin cell borrows from: the same week''s hazard over all bands; for stalled, the band''s hazard over all its weeks.';
COMMENT ON COLUMN ar.payment_model.hazard IS 'The hazard used: (n · raw + 20 · prior) / (n + 20), n = invoices at risk.';

-- Each customer's collections performance figures per month and currency, as of the
-- last refresh (sql/collections/performance.sql), read by ar.collections_performance_mv.
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

-- The group each customer's rows are counted under in the totals below: its collector
-- and risk segment as of the last refresh (sql/collections/performance.sql).
CREATE TABLE ar.collections_performance_groups (
    customer_id  text COLLATE "C" PRIMARY KEY,
    collector    text NOT NULL,
    risk_segment text NOT NULL
);
COMMENT ON TABLE ar.collections_performance_groups IS 'Internal: the collector and risk segment each customer''s rows of ar.collections_performance_data are summed under in ar.collections_performance_totals, as of the last refresh (ar._store_performance_groups). Derived data, not dumped.';
COMMENT ON COLUMN ar.collections_performance_groups.customer_id IS 'Account.';
COMMENT ON COLUMN ar.collections_performance_groups.collector IS 'Its collector ((none) = unassigned).';
COMMENT ON COLUMN ar.collections_performance_groups.risk_segment IS 'Its risk segment ((unrated) = no rating).';

-- Their sums per group, month and currency, kept by triggers on the rows and by the
-- refresh's regrouping (sql/collections/performance.sql): the view adds up these
-- instead of every customer's rows (0.19.0).
CREATE TABLE ar.collections_performance_totals (
    collector         text,
    risk_segment      text,
    month             date NOT NULL,
    currency          text NOT NULL,
    collected         numeric NOT NULL,
    recovered         numeric NOT NULL,
    past_due_at_start numeric,
    contact_days      bigint NOT NULL,
    contact_payments  bigint NOT NULL,
    entries           bigint NOT NULL,
    past_due_entries  bigint NOT NULL,
    CONSTRAINT collections_performance_totals_key UNIQUE NULLS NOT DISTINCT (collector, risk_segment, month, currency)
);
COMMENT ON TABLE ar.collections_performance_totals IS 'Internal: ar.collections_performance_data summed per the customers'' group (ar.collections_performance_groups), month and currency, kept equal to it by its triggers and ar._store_performance_groups; read by ar.collections_performance. Derived data, not dumped.';
COMMENT ON COLUMN ar.collections_performance_totals.collector IS 'Collector of the group (NULL with risk_segment: customers not grouped yet, until the refresh groups them).';
COMMENT ON COLUMN ar.collections_performance_totals.risk_segment IS 'Risk segment of the group.';
COMMENT ON COLUMN ar.collections_performance_totals.month IS 'First day of the month.';
COMMENT ON COLUMN ar.collections_performance_totals.currency IS 'Currency of the rows summed.';
COMMENT ON COLUMN ar.collections_performance_totals.collected IS 'Sum of their cash collected (reporting currency).';
COMMENT ON COLUMN ar.collections_performance_totals.recovered IS 'Sum of their cash recovered (reporting currency).';
COMMENT ON COLUMN ar.collections_performance_totals.past_due_at_start IS 'Sum of their past-due balances at the month''s start (in currency); NULL when none has one (past_due_entries = 0).';
COMMENT ON COLUMN ar.collections_performance_totals.contact_days IS 'Sum of their days to collect after contact.';
COMMENT ON COLUMN ar.collections_performance_totals.contact_payments IS 'Sum of their late payments after contact.';
COMMENT ON COLUMN ar.collections_performance_totals.entries IS 'Number of rows summed (the total goes when it reaches 0).';
COMMENT ON COLUMN ar.collections_performance_totals.past_due_entries IS 'Number of them with a past-due balance.';

-- The payment outlook's cells of the last refresh's date (sql/collections/outlook.sql),
-- computed once per refresh and read by the three forecast views.
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

-- The storage of the collections worklist (0.23.0; before, a materialized view): the rows
-- of the view ar._collections_worklist_rows (sql/collections/worklist.sql, the same
-- columns in the same order: tests/sql/08_views.sql), emptied and filled by the refresh
-- in its transaction (ar._refresh_views). Every row moves with the date (its as_of, ages,
-- priority and rank), so a concurrent refresh's comparison of old and new rows found
-- nothing to keep and cost more than the query (full scale: 4.6-4.9 s against 3.1-3.2 s
-- for the DELETE and INSERT, measured in one transaction; docs/views.md). Readers keep
-- the previous rows until the refresh commits, as with a concurrent refresh. The column
-- comments are the published view's (sql/collections/worklist.sql).
CREATE TABLE ar.collections_worklist_data (
    as_of                  date,
    customer_id            text PRIMARY KEY,
    customer_name          text,
    status                 text,
    priority_rank          bigint,
    priority_score         numeric,
    risk_segment           text,
    rating                 text,
    score                  numeric,
    past_due_amount        numeric,
    disputed_amount        numeric,
    actionable_amount      numeric,
    oldest_days_past_due   integer,
    oldest_undisputed_days integer,
    past_due_invoices      bigint,
    broken_promises_90d    bigint,
    strategic_value        numeric,
    step                   integer,
    next_action            text,
    tone                   text,
    channel                text,
    template               text,
    last_touch             date,
    next_action_due        date,
    hold_reason            text,
    invoices               text[]
);
CREATE INDEX collections_worklist_data_rank_idx ON ar.collections_worklist_data (priority_rank);
COMMENT ON TABLE ar.collections_worklist_data IS 'Storage of ar.collections_worklist (the rows of ar._collections_worklist_rows as of the last refresh), emptied and filled by ar.refresh; derived data, not dumped. Query ar.collections_worklist.';

-- The storage of the order hold recommendations (0.23.0; before, a materialized view):
-- the rows of the view ar._order_hold_recommendations_rows (sql/collections/holds.sql),
-- emptied and filled by the refresh like the worklist's (above). hold_id is NULL for a
-- hold to place: the key treats NULLs as equal.
CREATE TABLE ar.order_hold_recommendations_data (
    customer_id          text,
    customer_name        text,
    collector            text,
    recommendation       text,
    hold_id              text,
    past_due_amount      numeric,
    oldest_days_past_due integer,
    reason               text,
    as_of                date
);
CREATE UNIQUE INDEX order_hold_recommendations_data_key ON ar.order_hold_recommendations_data (customer_id, recommendation, hold_id) NULLS NOT DISTINCT;
COMMENT ON TABLE ar.order_hold_recommendations_data IS 'Storage of ar.order_hold_recommendations (the rows of ar._order_hold_recommendations_rows as of the last refresh), emptied and filled by ar.refresh; derived data, not dumped. Query ar.order_hold_recommendations.';
