-- ar_analytics 0.2.0 -> 0.3.0: the migrations only (released; never edited again).

-- The ADTP trend is kept incrementally in a table, read through the unchanged view.
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
COMMENT ON COLUMN ar.adtp_trend_monthly_data.stats IS 'The month''s payment summary (ar.payment_stats), rolled up by the monthly KPIs.';

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
CREATE TABLE ar._adtp_trend_changes (customer_id text COLLATE "C");
COMMENT ON TABLE ar._adtp_trend_changes IS 'Internal: customers whose ADTP trend rows must be recomputed by the next refresh (NULL = all), written by triggers on payments, invoices and customers.';
COMMENT ON COLUMN ar._adtp_trend_changes.customer_id IS 'Customer whose rows to recompute; NULL = all (a TRUNCATE).';
GRANT INSERT ON ar._adtp_trend_changes TO PUBLIC;

-- The view now reads the table; the monthly KPIs read the trend's summaries: both
-- storages are re-created by the sources (their published views are kept).
SELECT ar._detach_dependents('ar.adtp_trend_monthly_mv');
DROP MATERIALIZED VIEW IF EXISTS ar.adtp_trend_monthly_mv;
SELECT ar._detach_dependents('ar.portfolio_kpis_monthly_mv');
DROP MATERIALIZED VIEW IF EXISTS ar.portfolio_kpis_monthly_mv;
