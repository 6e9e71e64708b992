-- ar_analytics 0.18.0 -> 0.19.0: the migrations only (released; never edited again).

-- The monthly KPIs roll up the ADTP trend's summaries per month and segment kept with its
-- rows (ar.adtp_trend_totals, sql/schema/refresh.sql; ar._refresh_adtp_trend keeps them),
-- not every customer's rows: the table and the index that finds a month's rows, the totals
-- of the rows stored now, and the KPIs' storage re-created (its query changed; post-update
-- fills it).
CREATE INDEX IF NOT EXISTS adtp_trend_monthly_data_month_idx ON ar.adtp_trend_monthly_data (month);
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
INSERT INTO ar.adtp_trend_totals (month, segment, stats)
SELECT d.month, coalesce(d.segment, '(none)'), ar.rollup(coalesce(d.stats_reporting, d.stats))
  FROM ar.adtp_trend_monthly_data d GROUP BY 1, 2;
SELECT ar._detach_dependents(to_regclass('ar.portfolio_kpis_monthly_mv')) WHERE to_regclass('ar.portfolio_kpis_monthly_mv') IS NOT NULL;
DROP MATERIALIZED VIEW IF EXISTS ar.portfolio_kpis_monthly_mv;

-- The open disputes' and promise-kept rates' storage keeps no refreshed date (and no ages):
-- their plain views add it (sql/collections/disputes.sql, promises.sql). Their query
-- changed: re-created (post-update fills them).
SELECT ar._detach_dependents(to_regclass('ar.open_disputes_mv')) WHERE to_regclass('ar.open_disputes_mv') IS NOT NULL;
DROP MATERIALIZED VIEW IF EXISTS ar.open_disputes_mv;
SELECT ar._detach_dependents(to_regclass('ar.promise_kept_rates_mv')) WHERE to_regclass('ar.promise_kept_rates_mv') IS NOT NULL;
DROP MATERIALIZED VIEW IF EXISTS ar.promise_kept_rates_mv;

-- The collections performance adds up its per-customer rows' sums per group (the
-- customers' collector and risk segment), month and currency (ar.collections_performance_totals,
-- kept by triggers on ar.collections_performance_data and by ar._store_performance_groups,
-- sql/collections/performance.sql; their functions and triggers are re-applied after this),
-- not every customer's rows: the tables, the totals of the rows stored now, and the
-- view's storage re-created (its query changed; post-update fills it).
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
-- The stored rows' sums, under the NULL group (no customer is grouped yet: the ratings'
-- view may not exist at this point of an update from an older release); post-update.sql
-- groups them (ar._store_performance_groups) before it fills the view's storage.
INSERT INTO ar.collections_performance_totals
SELECT NULL, NULL, d.month, d.currency, sum(d.collected), sum(d.recovered), sum(d.past_due_at_start),
       sum(d.contact_days), sum(d.contact_payments), count(*), count(d.past_due_at_start)
  FROM ar.collections_performance_data d
 GROUP BY d.month, d.currency;
SELECT ar._detach_dependents(to_regclass('ar.collections_performance_mv')) WHERE to_regclass('ar.collections_performance_mv') IS NOT NULL;
DROP MATERIALIZED VIEW IF EXISTS ar.collections_performance_mv;
