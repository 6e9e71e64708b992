-- Currency exposure: the open book per currency, in that currency and converted into
-- the reporting currency at the as-of date's rate (docs/currency.md).
CREATE MATERIALIZED VIEW IF NOT EXISTS ar.currency_exposure_mv AS
WITH per_currency AS (   -- from the stored open items per customer, currency and bucket (sql/views/portfolio_aging.sql)
    SELECT a.currency::text AS currency, sum(a.open_amount) AS open_amount,
           coalesce(sum(a.open_amount) FILTER (WHERE a.bucket <> ar.aging_bucket(0)), 0) AS past_due_amount,
           sum(a.invoices)::bigint AS open_invoices, count(DISTINCT a.customer_id) AS customers
      FROM ar.aging_account_data a
     GROUP BY a.currency
), converted AS (
    SELECT p.*, ar.convert(p.open_amount, p.currency, (SELECT ar.reporting_currency()), (SELECT ar.as_of())) AS open_amount_reporting,
           ar.convert(p.past_due_amount, p.currency, (SELECT ar.reporting_currency()), (SELECT ar.as_of())) AS past_due_amount_reporting,
           ar.fx_rate(p.currency, (SELECT ar.reporting_currency()), (SELECT ar.as_of())) AS rate
      FROM per_currency p
)
SELECT (SELECT ar.as_of()) AS as_of, c.currency, c.open_amount, c.past_due_amount, c.open_invoices, c.customers,
       (SELECT ar.reporting_currency()) AS reporting_currency, c.rate,
       c.open_amount_reporting, c.past_due_amount_reporting,
       round(c.open_amount_reporting / nullif(sum(c.open_amount_reporting) OVER (), 0), 4) AS share_of_open
  FROM converted c
WITH NO DATA;
CREATE UNIQUE INDEX IF NOT EXISTS currency_exposure_mv_key ON ar.currency_exposure_mv (currency);
COMMENT ON MATERIALIZED VIEW ar.currency_exposure_mv IS 'Storage of ar.currency_exposure; query the plain view.';

CREATE OR REPLACE VIEW ar.currency_exposure AS SELECT * FROM ar.currency_exposure_mv;
COMMENT ON VIEW ar.currency_exposure IS 'Open and past-due receivables per invoice currency as of the last refresh, in that currency and in the reporting currency (at the as-of date''s rate).';
COMMENT ON COLUMN ar.currency_exposure.as_of IS 'As-of date of these figures.';
COMMENT ON COLUMN ar.currency_exposure.currency IS 'Invoice currency (ISO 4217).';
COMMENT ON COLUMN ar.currency_exposure.open_amount IS 'Open amount in that currency.';
COMMENT ON COLUMN ar.currency_exposure.past_due_amount IS 'Part of it past due, in that currency.';
COMMENT ON COLUMN ar.currency_exposure.open_invoices IS 'Open invoices in that currency.';
COMMENT ON COLUMN ar.currency_exposure.customers IS 'Customers with an open invoice in that currency.';
COMMENT ON COLUMN ar.currency_exposure.reporting_currency IS 'The reporting currency of the refresh.';
COMMENT ON COLUMN ar.currency_exposure.rate IS 'Units of the reporting currency per unit of the currency on the as-of date (ar.fx_rate; 1 for the reporting currency).';
COMMENT ON COLUMN ar.currency_exposure.open_amount_reporting IS 'Open amount in the reporting currency (ar.convert at the as-of date).';
COMMENT ON COLUMN ar.currency_exposure.past_due_amount_reporting IS 'Past-due amount in the reporting currency.';
COMMENT ON COLUMN ar.currency_exposure.share_of_open IS 'Share of the portfolio''s open amount (in the reporting currency), 0-1.';
