-- ar_analytics 0.18.0 -> next release: the migrations since 0.18.0 (ALTER TABLE, data moves,
-- DROP of objects whose signature changed, detach + drop of a storage materialized view
-- whose query changed). Cutting a release renames this file (scripts/release.sh).

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
