-- Monthly KPIs per segment: DSO, BPDSO, ADD, countback DSO, CEI, payment behaviour.
-- Amounts in the reporting currency (the ledger converts them; payment weights from the
-- trend rows' stats_reporting); the ratios are computed from the converted amounts.
-- From stored summaries: the month-end ledger's entries summed per key (ar.month_ledger_totals)
-- and the ADTP trend's payment summaries rolled up per month and segment
-- (ar.adtp_trend_totals, 0.19.0), both kept with their per-customer rows by the refresh.
CREATE MATERIALIZED VIEW IF NOT EXISTS ar.portfolio_kpis_monthly_mv AS
WITH months AS (SELECT * FROM ar.month_ends((SELECT ar.as_of()))),
rec0 AS MATERIALIZED (SELECT * FROM ar._month_end_ledger_of((SELECT ar.as_of()), true)),   -- the entries the refresh keeps
rec AS (
    SELECT * FROM rec0
    UNION ALL
    SELECT month, 'All segments', sum(ending_receivables), sum(ending_current_receivables), sum(beginning_receivables), sum(credit_sales)
      FROM rec0 GROUP BY month
), paid AS (         -- the ADTP trend's summaries rolled up per month and segment (kept with its rows)
    SELECT t.month, t.segment, ar.rollup(t.stats) AS s
      FROM ar.adtp_trend_totals t
     GROUP BY GROUPING SETS ((t.month, t.segment), (t.month))
), base AS (
    SELECT r.month, r.segment, m.period_days, coalesce(r.credit_sales, 0) AS credit_sales,
           r.beginning_receivables, r.ending_receivables, r.ending_current_receivables, pd.s
      FROM rec r JOIN months m ON m.month = r.month
      LEFT JOIN paid pd ON pd.month = r.month AND coalesce(pd.segment, 'All segments') = r.segment
)
SELECT (SELECT ar.as_of()) AS as_of, b.month, b.segment, b.period_days, b.credit_sales,
       b.beginning_receivables, b.ending_receivables, b.ending_current_receivables,
       ar.dso(greatest(b.ending_receivables, 0), b.credit_sales, b.period_days) AS dso,
       ar.bpdso(greatest(b.ending_current_receivables, 0), b.credit_sales, b.period_days) AS bpdso,
       ar.average_days_delinquent(ar.dso(greatest(b.ending_receivables, 0), b.credit_sales, b.period_days),
                                  ar.bpdso(greatest(b.ending_current_receivables, 0), b.credit_sales, b.period_days)) AS add,
       ar.dso_countback(greatest(b.ending_receivables, 0),
                        array_agg(b.credit_sales) OVER w, array_agg(b.period_days) OVER w) AS dso_countback,
       ar.cei(greatest(b.beginning_receivables, 0), b.credit_sales, greatest(b.ending_receivables, 0),
              least(greatest(b.ending_current_receivables, 0), greatest(b.ending_receivables, 0))) AS cei,
       coalesce(ar.item_count(b.s), 0) AS paid_items, ar.adtp_weighted(b.s) AS adtp_weighted,
       ar.avg_days_late(b.s) AS avg_days_late, ar.avg_days_late_weighted(b.s) AS avg_days_late_weighted,
       ar.payment_index(b.s) AS payment_index,
       (SELECT ar.reporting_currency()) AS currency
  FROM base b
WINDOW w AS (PARTITION BY b.segment ORDER BY b.month DESC ROWS BETWEEN CURRENT ROW AND 5 FOLLOWING)
WITH NO DATA;
CREATE UNIQUE INDEX IF NOT EXISTS portfolio_kpis_monthly_mv_key ON ar.portfolio_kpis_monthly_mv (month, segment);

COMMENT ON MATERIALIZED VIEW ar.portfolio_kpis_monthly_mv IS 'Storage of ar.portfolio_kpis_monthly; query the plain view.';
CREATE OR REPLACE VIEW ar.portfolio_kpis_monthly AS SELECT * FROM ar.portfolio_kpis_monthly_mv;

COMMENT ON VIEW ar.portfolio_kpis_monthly IS 'Per calendar month (the last 24) and segment, plus an All segments row, amounts in the reporting currency: credit sales, month-end receivables (true as-of-month-end open amounts), DSO, BPDSO, ADD, countback DSO, CEI and payment behaviour of the month.';
COMMENT ON COLUMN ar.portfolio_kpis_monthly.as_of IS 'As-of date of the refresh.';
COMMENT ON COLUMN ar.portfolio_kpis_monthly.month IS 'First day of the calendar month.';
COMMENT ON COLUMN ar.portfolio_kpis_monthly.segment IS 'Business segment, or All segments.';
COMMENT ON COLUMN ar.portfolio_kpis_monthly.period_days IS 'Days in the month (up to the as-of date for the current month).';
COMMENT ON COLUMN ar.portfolio_kpis_monthly.credit_sales IS 'Amount invoiced in the month.';
COMMENT ON COLUMN ar.portfolio_kpis_monthly.beginning_receivables IS 'Receivables open at the start of the month.';
COMMENT ON COLUMN ar.portfolio_kpis_monthly.ending_receivables IS 'Receivables open at the end of the month (later payments do not count).';
COMMENT ON COLUMN ar.portfolio_kpis_monthly.ending_current_receivables IS 'Part of the ending receivables not yet past due.';
COMMENT ON COLUMN ar.portfolio_kpis_monthly.dso IS 'Days sales outstanding of the month.';
COMMENT ON COLUMN ar.portfolio_kpis_monthly.bpdso IS 'Best possible DSO (current receivables only).';
COMMENT ON COLUMN ar.portfolio_kpis_monthly.add IS 'Average days delinquent = DSO - BPDSO.';
COMMENT ON COLUMN ar.portfolio_kpis_monthly.dso_countback IS 'Countback DSO over this and up to 5 earlier months.';
COMMENT ON COLUMN ar.portfolio_kpis_monthly.cei IS 'Collection effectiveness index of the month, percent.';
COMMENT ON COLUMN ar.portfolio_kpis_monthly.paid_items IS 'Payment applications received in the month.';
COMMENT ON COLUMN ar.portfolio_kpis_monthly.adtp_weighted IS 'Amount-weighted average days to pay of items paid in the month.';
COMMENT ON COLUMN ar.portfolio_kpis_monthly.avg_days_late IS 'Average days late of items paid in the month.';
COMMENT ON COLUMN ar.portfolio_kpis_monthly.avg_days_late_weighted IS 'Amount-weighted days late of items paid in the month.';
COMMENT ON COLUMN ar.portfolio_kpis_monthly.payment_index IS 'Payment index 0-100 of items paid in the month.';
COMMENT ON COLUMN ar.portfolio_kpis_monthly.currency IS 'Currency of the amounts (and of the amount weights): the reporting currency of the refresh.';

-- The same figures in long format (one row per month, segment and metric) for BI tools
-- that chart a metric picked from a list (docs/views.md, "BI tools").
CREATE OR REPLACE VIEW ar.portfolio_kpis_long AS
SELECT k.as_of, k.month, k.segment, k.currency, m.metric, m.unit, m.value
  FROM ar.portfolio_kpis_monthly k
 CROSS JOIN LATERAL (VALUES
    ('credit_sales', 'amount', k.credit_sales),
    ('ending_receivables', 'amount', k.ending_receivables),
    ('ending_current_receivables', 'amount', k.ending_current_receivables),
    ('dso', 'days', k.dso),
    ('bpdso', 'days', k.bpdso),
    ('add', 'days', k.add),
    ('dso_countback', 'days', k.dso_countback),
    ('cei', 'percent', k.cei),
    ('adtp_weighted', 'days', k.adtp_weighted),
    ('avg_days_late_weighted', 'days', k.avg_days_late_weighted),
    ('payment_index', 'index', k.payment_index::numeric)) AS m(metric, unit, value);
COMMENT ON VIEW ar.portfolio_kpis_long IS 'ar.portfolio_kpis_monthly in long format for BI tools: one row per month, segment and metric (credit_sales, ending_receivables, ending_current_receivables, dso, bpdso, add, dso_countback, cei, adtp_weighted, avg_days_late_weighted, payment_index).';
COMMENT ON COLUMN ar.portfolio_kpis_long.as_of IS 'As-of date of the refresh.';
COMMENT ON COLUMN ar.portfolio_kpis_long.month IS 'First day of the calendar month.';
COMMENT ON COLUMN ar.portfolio_kpis_long.segment IS 'Business segment, or All segments.';
COMMENT ON COLUMN ar.portfolio_kpis_long.currency IS 'Currency of the amount metrics: the reporting currency of the refresh.';
COMMENT ON COLUMN ar.portfolio_kpis_long.metric IS 'Name of the metric: a column of ar.portfolio_kpis_monthly (docs/metrics.md defines each).';
COMMENT ON COLUMN ar.portfolio_kpis_long.unit IS 'amount (in currency), days, percent or index (0-100).';
COMMENT ON COLUMN ar.portfolio_kpis_long.value IS 'Value of the metric for the month and segment (NULL where the ratio is undefined).';
