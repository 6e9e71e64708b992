-- ar_analytics 0.13.0 -> 0.14.0: the migrations only (released; never edited again).

-- The promise statuses are stored before the customer state (its health rows read them):
-- the per-customer stores say which come first, and the refresh brings them in two steps.
DROP FUNCTION IF EXISTS ar._refresh_stores(date, boolean, text[]);
DROP FUNCTION IF EXISTS ar._customer_stores();

-- The monthly KPIs add up the month-end ledger's entries summed per key
-- (ar.month_ledger_totals, kept by triggers on ar.month_ledger_data: their function and
-- triggers are re-applied from sql/ledger/month_end.sql after this), not every entry.
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
INSERT INTO ar.month_ledger_totals
SELECT d.segment, d.currency, d.from_month, d.until_month, d.sale_day, sum(d.delta), sum(d.sales), count(*), count(d.sales)
  FROM ar.month_ledger_data d GROUP BY 1, 2, 3, 4, 5;
