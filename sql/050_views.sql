-- Portfolio health views for BI tools.
--
-- Storage: materialized views ar.*_mv (refreshed by ar.refresh, each with a unique
-- index so it can be refreshed CONCURRENTLY). Publication: plain views with the
-- user-facing names and column comments (BI tools such as Metabase import column
-- descriptions from plain views, not from materialized views).
-- Every view reads its as-of date from ar.as_of(), which ar.refresh sets; they call it
-- as (SELECT ar.as_of()), an InitPlan evaluated once per refresh, not once per row.
-- Timestamps (disputes, holds) are compared as dates in the session time zone.

CREATE TABLE ar.settings (
    singleton      boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    as_of          date CHECK (isfinite(as_of)),
    backfill_limit integer NOT NULL DEFAULT 31 CHECK (backfill_limit BETWEEN 0 AND 366)
);
-- No row is installed (so pg_dump/pg_restore cannot collide with one): ar.refresh
-- creates it, and the column defaults apply while it is absent.
COMMENT ON TABLE ar.settings IS 'At most one row of settings: the as-of date of the last refresh (read by every view through ar.as_of()) and how many missed days ar.refresh backfills into the history. Created by the first ar.refresh; defaults apply until then.';
COMMENT ON COLUMN ar.settings.singleton IS 'Always true: the table holds exactly one row.';
COMMENT ON COLUMN ar.settings.as_of IS 'As-of date of the views, set by ar.refresh; NULL before the first refresh.';
COMMENT ON COLUMN ar.settings.backfill_limit IS 'At most this many missing days before the new as-of date are backfilled into ar.customer_health_history (default 31).';
SELECT pg_catalog.pg_extension_config_dump('ar.settings', '');

CREATE FUNCTION ar.as_of() RETURNS date
STABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    SELECT s.as_of FROM ar.settings s;
END;
COMMENT ON FUNCTION ar.as_of() IS 'The as-of date of the views (set by ar.refresh); NULL before the first refresh.';

-- Promises to pay and their status on a date.
--   paid   = cash applied to the promised invoice (any cash of the customer, applied or
--            not, when the promise names no invoice) from made_on to min(promised_date, as_of)
--   kept   = paid covers the promised amount; broken = not covered and promised_date < as_of;
--   pending = not covered yet and promised_date >= as_of. Promises made after as_of are left out.
CREATE FUNCTION ar.promise_status(as_of date)
RETURNS TABLE (promise_id text, customer_id text, invoice_id text, made_on date, promised_date date,
               amount numeric, paid numeric, status text)
STABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    SELECT pr.promise_id, pr.customer_id, pr.invoice_id, pr.made_on, pr.promised_date, pr.amount, pay.paid,
           CASE WHEN pay.paid >= pr.amount THEN 'kept'
                WHEN pr.promised_date < as_of THEN 'broken'
                ELSE 'pending' END
      FROM ar.promises pr
      CROSS JOIN LATERAL (
          SELECT coalesce(sum(p.amount), 0) AS paid
            FROM ar.payments p
           WHERE p.customer_id = pr.customer_id
             AND (pr.invoice_id IS NULL OR p.invoice_id = pr.invoice_id)
             AND p.payment_date >= pr.made_on
             AND p.payment_date <= least(pr.promised_date, as_of)) pay
     WHERE pr.made_on <= as_of;
END;
COMMENT ON FUNCTION ar.promise_status(date) IS 'Each promise to pay made by as_of with the cash paid against it by its promised date and its status: kept (covered), broken (not covered and past its date) or pending.';

-- One row per customer as of a date: the single definition behind ar.customer_health
-- and its history snapshots.
CREATE FUNCTION ar.customer_health_at(as_of date)
RETURNS TABLE (
    customer_id text, customer_name text, segment text, collector text, payment_terms_days integer,
    open_amount numeric, past_due_amount numeric,
    current_amount numeric, days_1_30 numeric, days_31_60 numeric, days_61_90 numeric, days_91_120 numeric, days_121_plus numeric,
    open_invoices bigint, oldest_past_due_days integer,
    unapplied_cash numeric, net_exposure numeric, credit_limit numeric, credit_utilisation numeric,
    credit_sales_90d numeric, dso_90d numeric,
    paid_items_12m bigint, adtp_12m numeric, adtp_weighted_12m numeric, avg_days_late_12m numeric,
    avg_days_late_weighted_12m numeric, avg_days_beyond_terms_weighted_12m numeric,
    paid_items_90d bigint, adtp_90d numeric, adtp_weighted_90d numeric, avg_days_late_90d numeric,
    avg_days_late_weighted_90d numeric, avg_days_beyond_terms_weighted_90d numeric,
    on_time_rate_12m numeric, payment_index_12m integer,
    open_disputes bigint, oldest_open_dispute_days integer,
    promises_kept_12m bigint, promises_broken_12m bigint, promises_pending bigint,
    open_order_holds bigint, last_payment_date date, as_of date)
STABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    WITH open_by_customer AS (
        SELECT o.customer_id, ar.aging(o.open_amount, o.days_past_due) AS a,
               max(o.days_past_due) FILTER (WHERE o.days_past_due > 0) AS oldest
          FROM ar.open_items(as_of) o GROUP BY o.customer_id
    ), paid AS (
        SELECT i.customer_id,
               ar.payment_stats(i.invoice_date, i.due_date, p.payment_date, p.amount) AS s12,
               ar.payment_stats(i.invoice_date, i.due_date, p.payment_date, p.amount) FILTER (WHERE p.payment_date > as_of - 90) AS s90
          FROM ar.payments p JOIN ar.invoices i ON i.invoice_id = p.invoice_id
         WHERE p.payment_date > as_of - 365 AND p.payment_date <= as_of
         GROUP BY i.customer_id
    ), sales AS (
        SELECT i.customer_id, sum(i.amount) AS amount
          FROM ar.invoices i WHERE i.invoice_date > as_of - 90 AND i.invoice_date <= as_of
         GROUP BY i.customer_id
    ), last_pay AS (
        SELECT p.customer_id, max(p.payment_date) AS d FROM ar.payments p WHERE p.payment_date <= as_of GROUP BY p.customer_id
    ), disputes AS (
        SELECT i.customer_id, count(*) AS n, max(as_of - d.opened_at::date) AS oldest
          FROM ar.disputes d JOIN ar.invoices i ON i.invoice_id = d.invoice_id
         WHERE d.opened_at::date <= as_of AND (d.resolved_at IS NULL OR d.resolved_at::date > as_of)
         GROUP BY i.customer_id
    ), promises AS (
        SELECT ps.customer_id,
               count(*) FILTER (WHERE ps.status = 'kept' AND ps.promised_date > as_of - 365) AS kept,
               count(*) FILTER (WHERE ps.status = 'broken' AND ps.promised_date > as_of - 365) AS broken,
               count(*) FILTER (WHERE ps.status = 'pending') AS pending
          FROM ar.promise_status(as_of) ps GROUP BY ps.customer_id
    ), holds AS (
        SELECT h.customer_id, count(*) AS n FROM ar.order_holds h
         WHERE h.placed_at::date <= as_of AND (h.released_at IS NULL OR h.released_at::date > as_of)
         GROUP BY h.customer_id
    )
    SELECT c.customer_id, c.name, c.segment, c.collector, c.payment_terms_days,
           coalesce(ar.total(o.a), 0), coalesce(ar.past_due(o.a), 0),
           coalesce(ar.bucket_amount(o.a, 'current'), 0), coalesce(ar.bucket_amount(o.a, '1-30'), 0),
           coalesce(ar.bucket_amount(o.a, '31-60'), 0), coalesce(ar.bucket_amount(o.a, '61-90'), 0),
           coalesce(ar.bucket_amount(o.a, '91-120'), 0), coalesce(ar.bucket_amount(o.a, '121+'), 0),
           coalesce(ar.item_count(o.a), 0), coalesce(o.oldest, 0),
           coalesce(u.unapplied_amount, 0),
           coalesce(ar.total(o.a), 0) - coalesce(u.unapplied_amount, 0),
           c.credit_limit,
           (coalesce(ar.total(o.a), 0) - coalesce(u.unapplied_amount, 0)) / nullif(c.credit_limit, 0),
           coalesce(s.amount, 0),
           ar.dso(greatest(coalesce(ar.total(o.a), 0), 0), coalesce(s.amount, 0), 90),
           coalesce(ar.item_count(pd.s12), 0), ar.adtp(pd.s12), ar.adtp_weighted(pd.s12), ar.avg_days_late(pd.s12),
           ar.avg_days_late_weighted(pd.s12), ar.avg_days_beyond_terms_weighted(pd.s12),
           coalesce(ar.item_count(pd.s90), 0), ar.adtp(pd.s90), ar.adtp_weighted(pd.s90), ar.avg_days_late(pd.s90),
           ar.avg_days_late_weighted(pd.s90), ar.avg_days_beyond_terms_weighted(pd.s90),
           ar.on_time_rate(pd.s12), ar.payment_index(pd.s12),
           coalesce(d.n, 0), d.oldest,
           coalesce(pr.kept, 0), coalesce(pr.broken, 0), coalesce(pr.pending, 0),
           coalesce(h.n, 0), lp.d, as_of
      FROM ar.customers c
      LEFT JOIN open_by_customer o ON o.customer_id = c.customer_id
      LEFT JOIN ar.unapplied_cash(as_of) u ON u.customer_id = c.customer_id
      LEFT JOIN paid pd ON pd.customer_id = c.customer_id
      LEFT JOIN sales s ON s.customer_id = c.customer_id
      LEFT JOIN last_pay lp ON lp.customer_id = c.customer_id
      LEFT JOIN disputes d ON d.customer_id = c.customer_id
      LEFT JOIN promises pr ON pr.customer_id = c.customer_id
      LEFT JOIN holds h ON h.customer_id = c.customer_id;
END;
COMMENT ON FUNCTION ar.customer_health_at(date) IS 'One row per customer with its health figures as of a date (the definition behind ar.customer_health and ar.customer_health_history).';

CREATE MATERIALIZED VIEW ar.customer_health_mv AS SELECT * FROM ar.customer_health_at((SELECT ar.as_of())) WITH NO DATA;
CREATE UNIQUE INDEX customer_health_mv_key ON ar.customer_health_mv (customer_id);
COMMENT ON MATERIALIZED VIEW ar.customer_health_mv IS 'Storage of ar.customer_health; query the plain view.';

CREATE TABLE ar.customer_health_history AS SELECT * FROM ar.customer_health_at(NULL) WITH NO DATA;
ALTER TABLE ar.customer_health_history ADD PRIMARY KEY (as_of, customer_id);
CREATE INDEX customer_health_history_customer_idx ON ar.customer_health_history (customer_id, as_of);
COMMENT ON TABLE ar.customer_health_history IS 'Daily snapshots of ar.customer_health, keyed by (as_of, customer_id). Refreshing the same as_of again replaces that day; days missed since the last snapshot are backfilled by ar.refresh (up to ar.settings.backfill_limit).';
SELECT pg_catalog.pg_extension_config_dump('ar.customer_health_history', '');

-- Month ends (the as-of date for the current, partial month) of the 24 months up to as_of.
CREATE FUNCTION ar.month_ends(as_of date)
RETURNS TABLE (month date, month_start date, month_end date, period_days integer)
IMMUTABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    SELECT m::date, m::date, least((m + interval '1 month' - interval '1 day')::date, as_of),
           least((m + interval '1 month' - interval '1 day')::date, as_of) - m::date + 1
      FROM generate_series(date_trunc('month', as_of::timestamp) - interval '23 months', date_trunc('month', as_of::timestamp), interval '1 month') m;
END;
COMMENT ON FUNCTION ar.month_ends(date) IS 'The 24 calendar months up to as_of: first day, last day (as_of for the current month) and length in days.';

-- Receivables at each month end, in one pass over the ledger instead of one
-- ar.open_items call per month. By definition of the open amount (ar.open_items):
--   receivables(M) = sum of invoice amounts + debit memos - credits - write-offs - payments dated <= M
--   current(M)     = the same restricted to invoices with invoice_date <= M <= due_date (not yet past due)
-- tests/sql/08_views.sql checks both against ar.open_items(M) for every month.
CREATE FUNCTION ar.month_end_receivables(as_of date)
RETURNS TABLE (month date, segment text, ending_receivables numeric, ending_current_receivables numeric, beginning_receivables numeric)
STABLE PARALLEL SAFE LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
SET jit = off
AS $$
#variable_conflict use_column
BEGIN
    -- PL/pgSQL plans this with the actual as_of (a custom plan); as an SQL function
    -- called with (SELECT ar.as_of()) it would get a generic plan, ten times slower.
    RETURN QUERY
    WITH months AS (SELECT * FROM ar.month_ends(month_end_receivables.as_of)),
    ledger AS (             -- every event that changes an invoice's open amount, dated <= as_of
        SELECT i.customer_id, i.invoice_date, i.due_date, i.invoice_date AS d, i.amount AS delta FROM ar.invoices i WHERE i.invoice_date <= month_end_receivables.as_of
        UNION ALL
        SELECT i.customer_id, i.invoice_date, i.due_date, a.adjustment_date,
               CASE WHEN a.kind = 'debit_memo' THEN a.amount ELSE -a.amount END
          FROM ar.adjustments a JOIN ar.invoices i ON i.invoice_id = a.invoice_id WHERE a.adjustment_date <= month_end_receivables.as_of
        UNION ALL
        SELECT i.customer_id, i.invoice_date, i.due_date, p.payment_date, -p.amount
          FROM ar.payments p JOIN ar.invoices i ON i.invoice_id = p.invoice_id WHERE p.payment_date <= month_end_receivables.as_of
    ), tagged AS MATERIALIZED (
        SELECT coalesce(c.segment, '(none)') AS segment, l.* FROM ledger l JOIN ar.customers c ON c.customer_id = l.customer_id
    ), net AS (             -- net change per month of the range
        SELECT date_trunc('month', t.d::timestamp)::date AS month, t.segment, sum(t.delta) AS delta
          FROM tagged t WHERE t.d >= (SELECT min(month_start) FROM months) GROUP BY 1, 2
    ), before_range AS (    -- receivables open when the range starts
        SELECT t.segment, sum(t.delta) AS amount FROM tagged t WHERE t.d < (SELECT min(month_start) FROM months) GROUP BY 1
    ), totals AS (          -- running sum up to each month end
        SELECT m.month, s.segment, coalesce(n.delta, 0) AS month_delta,
               coalesce(b.amount, 0) + sum(coalesce(n.delta, 0)) OVER (PARTITION BY s.segment ORDER BY m.month ROWS UNBOUNDED PRECEDING) AS ending
          FROM months m CROSS JOIN (SELECT DISTINCT segment FROM tagged) s
          LEFT JOIN net n ON n.month = m.month AND n.segment = s.segment
          LEFT JOIN before_range b ON b.segment = s.segment
    ), expanded AS MATERIALIZED (
        -- events of invoices not yet past due: each counts at the (one or two) month
        -- ends from its date (and the invoice date) up to the due date
        SELECT t.segment, t.delta, greatest(t.d, t.invoice_date) AS since, t.due_date, k.mon::date AS month
          FROM tagged t
          CROSS JOIN LATERAL generate_series(date_trunc('month', greatest(t.d, t.invoice_date)::timestamp),
                                             date_trunc('month', t.due_date::timestamp), interval '1 month') AS k(mon)
         WHERE t.d <= t.due_date
    ), current_part AS (
        SELECT m.month, x.segment, sum(x.delta) AS ending_current
          FROM expanded x JOIN months m ON m.month = x.month
         WHERE m.month_end >= x.since AND m.month_end <= x.due_date
         GROUP BY m.month, x.segment
    )
    SELECT tt.month, tt.segment, tt.ending, coalesce(cp.ending_current, 0), tt.ending - tt.month_delta
      FROM totals tt
      LEFT JOIN current_part cp ON cp.month = tt.month AND cp.segment = tt.segment;
END $$;
COMMENT ON FUNCTION ar.month_end_receivables(date) IS 'Per month of the 24 up to as_of and per segment: receivables open at the month end (as_of for the current month), the part not yet past due, and the receivables open at the start of the month.';

CREATE MATERIALIZED VIEW ar.portfolio_aging_mv AS
WITH buckets AS (
    SELECT ar.aging_bucket(d) AS bucket, ord::integer AS bucket_order
      FROM unnest(ARRAY[0, 1, 31, 61, 91, 121]) WITH ORDINALITY AS b(d, ord)
), items AS (
    SELECT coalesce(c.segment, '(none)') AS segment, o.customer_id, ar.aging_bucket(o.days_past_due) AS bucket, o.open_amount
      FROM ar.open_items((SELECT ar.as_of())) o JOIN ar.customers c ON c.customer_id = o.customer_id
), segments AS (SELECT DISTINCT segment FROM items)
SELECT (SELECT ar.as_of()) AS as_of, s.segment, b.bucket, b.bucket_order,
       coalesce(sum(i.open_amount), 0) AS amount,
       count(i.customer_id) AS invoice_count,
       count(DISTINCT i.customer_id) AS customer_count,
       coalesce(sum(i.open_amount), 0) / nullif((SELECT sum(open_amount) FROM items), 0) AS share_of_total
  FROM segments s CROSS JOIN buckets b
  LEFT JOIN items i ON i.segment = s.segment AND i.bucket = b.bucket
 GROUP BY s.segment, b.bucket, b.bucket_order
WITH NO DATA;
CREATE UNIQUE INDEX portfolio_aging_mv_key ON ar.portfolio_aging_mv (segment, bucket);
COMMENT ON MATERIALIZED VIEW ar.portfolio_aging_mv IS 'Storage of ar.portfolio_aging; query the plain view.';

CREATE MATERIALIZED VIEW ar.portfolio_kpis_monthly_mv AS
WITH months AS (SELECT * FROM ar.month_ends((SELECT ar.as_of()))),
rec0 AS MATERIALIZED (SELECT * FROM ar.month_end_receivables((SELECT ar.as_of()))),
rec AS (
    SELECT * FROM rec0
    UNION ALL
    SELECT month, 'All segments', sum(ending_receivables), sum(ending_current_receivables), sum(beginning_receivables)
      FROM rec0 GROUP BY month
), sales AS (
    SELECT m.month, coalesce(c.segment, '(none)') AS segment, sum(i.amount) AS credit_sales
      FROM months m JOIN ar.invoices i ON date_trunc('month', i.invoice_date::timestamp)::date = m.month AND i.invoice_date <= m.month_end
      JOIN ar.customers c ON c.customer_id = i.customer_id
     GROUP BY GROUPING SETS ((m.month, coalesce(c.segment, '(none)')), (m.month))
), paid AS (
    SELECT m.month, coalesce(c.segment, '(none)') AS segment,
           ar.payment_stats(i.invoice_date, i.due_date, p.payment_date, p.amount) AS s
      FROM months m JOIN ar.payments p ON date_trunc('month', p.payment_date::timestamp)::date = m.month AND p.payment_date <= m.month_end
      JOIN ar.invoices i ON i.invoice_id = p.invoice_id
      JOIN ar.customers c ON c.customer_id = i.customer_id
     GROUP BY GROUPING SETS ((m.month, coalesce(c.segment, '(none)')), (m.month))
), base AS (
    SELECT r.month, r.segment, m.period_days, coalesce(s.credit_sales, 0) AS credit_sales,
           r.beginning_receivables, r.ending_receivables, r.ending_current_receivables, pd.s
      FROM rec r JOIN months m ON m.month = r.month
      LEFT JOIN sales s ON s.month = r.month AND coalesce(s.segment, 'All segments') = r.segment
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
       ar.payment_index(b.s) AS payment_index
  FROM base b
WINDOW w AS (PARTITION BY b.segment ORDER BY b.month DESC ROWS BETWEEN CURRENT ROW AND 5 FOLLOWING)
WITH NO DATA;
CREATE UNIQUE INDEX portfolio_kpis_monthly_mv_key ON ar.portfolio_kpis_monthly_mv (month, segment);
COMMENT ON MATERIALIZED VIEW ar.portfolio_kpis_monthly_mv IS 'Storage of ar.portfolio_kpis_monthly; query the plain view.';

CREATE MATERIALIZED VIEW ar.adtp_trend_monthly_mv AS
SELECT (SELECT ar.as_of()) AS as_of, i.customer_id, c.segment, c.collector, c.payment_terms_days,
       date_trunc('month', p.payment_date::timestamp)::date AS month,
       ar.item_count(ar.payment_stats(i.invoice_date, i.due_date, p.payment_date, p.amount)) AS paid_items,
       ar.amount(ar.payment_stats(i.invoice_date, i.due_date, p.payment_date, p.amount)) AS paid_amount,
       ar.adtp(ar.payment_stats(i.invoice_date, i.due_date, p.payment_date, p.amount)) AS adtp,
       ar.adtp_weighted(ar.payment_stats(i.invoice_date, i.due_date, p.payment_date, p.amount)) AS adtp_weighted,
       ar.avg_days_late(ar.payment_stats(i.invoice_date, i.due_date, p.payment_date, p.amount)) AS avg_days_late,
       ar.avg_days_late_weighted(ar.payment_stats(i.invoice_date, i.due_date, p.payment_date, p.amount)) AS avg_days_late_weighted
  FROM ar.payments p
  JOIN ar.invoices i ON i.invoice_id = p.invoice_id
  JOIN ar.customers c ON c.customer_id = i.customer_id
 WHERE p.payment_date <= (SELECT ar.as_of())
   AND p.payment_date >= (date_trunc('month', (SELECT ar.as_of())::timestamp) - interval '23 months')::date
 GROUP BY i.customer_id, c.segment, c.collector, c.payment_terms_days, date_trunc('month', p.payment_date::timestamp)
WITH NO DATA;
CREATE UNIQUE INDEX adtp_trend_monthly_mv_key ON ar.adtp_trend_monthly_mv (customer_id, month);
COMMENT ON MATERIALIZED VIEW ar.adtp_trend_monthly_mv IS 'Storage of ar.adtp_trend_monthly; query the plain view.';

-- Published views, with business names and comments.
CREATE VIEW ar.customer_health AS SELECT * FROM ar.customer_health_mv;
CREATE VIEW ar.portfolio_aging AS SELECT * FROM ar.portfolio_aging_mv;
CREATE VIEW ar.portfolio_kpis_monthly AS SELECT * FROM ar.portfolio_kpis_monthly_mv;
CREATE VIEW ar.adtp_trend_monthly AS SELECT * FROM ar.adtp_trend_monthly_mv;

COMMENT ON VIEW ar.customer_health IS 'One row per customer as of the last refresh ((SELECT ar.as_of())): balances, aging, exposure, DSO, payment behaviour, disputes, promises, holds.';
COMMENT ON COLUMN ar.customer_health.customer_id IS 'Account identifier.';
COMMENT ON COLUMN ar.customer_health.customer_name IS 'Account name.';
COMMENT ON COLUMN ar.customer_health.segment IS 'Business segment.';
COMMENT ON COLUMN ar.customer_health.collector IS 'Collector responsible.';
COMMENT ON COLUMN ar.customer_health.payment_terms_days IS 'Payment terms in days (Net N).';
COMMENT ON COLUMN ar.customer_health.open_amount IS 'Total open invoice amount as of the as-of date.';
COMMENT ON COLUMN ar.customer_health.past_due_amount IS 'Open amount past its due date.';
COMMENT ON COLUMN ar.customer_health.current_amount IS 'Open amount not yet due.';
COMMENT ON COLUMN ar.customer_health.days_1_30 IS 'Open amount 1-30 days past due.';
COMMENT ON COLUMN ar.customer_health.days_31_60 IS 'Open amount 31-60 days past due.';
COMMENT ON COLUMN ar.customer_health.days_61_90 IS 'Open amount 61-90 days past due.';
COMMENT ON COLUMN ar.customer_health.days_91_120 IS 'Open amount 91-120 days past due.';
COMMENT ON COLUMN ar.customer_health.days_121_plus IS 'Open amount more than 120 days past due.';
COMMENT ON COLUMN ar.customer_health.open_invoices IS 'Number of open invoices.';
COMMENT ON COLUMN ar.customer_health.oldest_past_due_days IS 'Days past due of the oldest past-due invoice (0 when nothing is past due).';
COMMENT ON COLUMN ar.customer_health.unapplied_cash IS 'Cash received and not applied to any invoice.';
COMMENT ON COLUMN ar.customer_health.net_exposure IS 'Open amount minus unapplied cash.';
COMMENT ON COLUMN ar.customer_health.credit_limit IS 'Credit limit (NULL = none set).';
COMMENT ON COLUMN ar.customer_health.credit_utilisation IS 'Net exposure / credit limit (1 = at the limit; NULL without a limit).';
COMMENT ON COLUMN ar.customer_health.credit_sales_90d IS 'Amount invoiced in the 90 days up to the as-of date.';
COMMENT ON COLUMN ar.customer_health.dso_90d IS 'Customer DSO over the trailing 90 days: open amount / 90-day credit sales * 90 (NULL without sales).';
COMMENT ON COLUMN ar.customer_health.paid_items_12m IS 'Payment applications in the trailing 12 months.';
COMMENT ON COLUMN ar.customer_health.adtp_12m IS 'Average days to pay (simple), trailing 12 months.';
COMMENT ON COLUMN ar.customer_health.adtp_weighted_12m IS 'Average days to pay weighted by amount, trailing 12 months.';
COMMENT ON COLUMN ar.customer_health.avg_days_late_12m IS 'Average days paid after the due date (early = 0), trailing 12 months.';
COMMENT ON COLUMN ar.customer_health.avg_days_late_weighted_12m IS 'Average days late weighted by amount, trailing 12 months.';
COMMENT ON COLUMN ar.customer_health.avg_days_beyond_terms_weighted_12m IS 'Amount-weighted days beyond terms (early negative), trailing 12 months.';
COMMENT ON COLUMN ar.customer_health.paid_items_90d IS 'Payment applications in the trailing 90 days.';
COMMENT ON COLUMN ar.customer_health.adtp_90d IS 'Average days to pay (simple), trailing 90 days.';
COMMENT ON COLUMN ar.customer_health.adtp_weighted_90d IS 'Average days to pay weighted by amount, trailing 90 days.';
COMMENT ON COLUMN ar.customer_health.avg_days_late_90d IS 'Average days late, trailing 90 days.';
COMMENT ON COLUMN ar.customer_health.avg_days_late_weighted_90d IS 'Average days late weighted by amount, trailing 90 days.';
COMMENT ON COLUMN ar.customer_health.avg_days_beyond_terms_weighted_90d IS 'Amount-weighted days beyond terms (early negative), trailing 90 days.';
COMMENT ON COLUMN ar.customer_health.on_time_rate_12m IS 'Share of payments made on or before the due date, trailing 12 months (0-1).';
COMMENT ON COLUMN ar.customer_health.payment_index_12m IS 'Payment index 0-100 (80 = on time) of amount-weighted days beyond terms, trailing 12 months.';
COMMENT ON COLUMN ar.customer_health.open_disputes IS 'Disputes open on the as-of date.';
COMMENT ON COLUMN ar.customer_health.oldest_open_dispute_days IS 'Age in days of the oldest open dispute.';
COMMENT ON COLUMN ar.customer_health.promises_kept_12m IS 'Promises to pay kept, with promised dates in the trailing 12 months.';
COMMENT ON COLUMN ar.customer_health.promises_broken_12m IS 'Promises to pay broken, with promised dates in the trailing 12 months.';
COMMENT ON COLUMN ar.customer_health.promises_pending IS 'Promises to pay not yet due and not yet covered.';
COMMENT ON COLUMN ar.customer_health.open_order_holds IS 'Order holds in place on the as-of date.';
COMMENT ON COLUMN ar.customer_health.last_payment_date IS 'Date of the latest payment received (applied or not).';
COMMENT ON COLUMN ar.customer_health.as_of IS 'As-of date of these figures.';

COMMENT ON VIEW ar.portfolio_aging IS 'Open amounts by segment and aging bucket as of the last refresh; amounts add up to the portfolio open amount exactly.';
COMMENT ON COLUMN ar.portfolio_aging.as_of IS 'As-of date of these figures.';
COMMENT ON COLUMN ar.portfolio_aging.segment IS 'Business segment ((none) when unset).';
COMMENT ON COLUMN ar.portfolio_aging.bucket IS 'Aging bucket: current, 1-30, 31-60, 61-90, 91-120, 121+ days past due.';
COMMENT ON COLUMN ar.portfolio_aging.bucket_order IS 'Sort order of the bucket (1 = current).';
COMMENT ON COLUMN ar.portfolio_aging.amount IS 'Open amount in the bucket.';
COMMENT ON COLUMN ar.portfolio_aging.invoice_count IS 'Open invoices in the bucket.';
COMMENT ON COLUMN ar.portfolio_aging.customer_count IS 'Customers with an open invoice in the bucket.';
COMMENT ON COLUMN ar.portfolio_aging.share_of_total IS 'Amount / open amount of the whole portfolio (0-1).';

COMMENT ON VIEW ar.portfolio_kpis_monthly IS 'Per calendar month (the last 24) and segment, plus an All segments row: credit sales, month-end receivables (true as-of-month-end open amounts), DSO, BPDSO, ADD, countback DSO, CEI and payment behaviour of the month.';
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

COMMENT ON VIEW ar.adtp_trend_monthly IS 'Per customer and month of payment (the last 24 months): days to pay and days late of items paid that month, with the customer''s terms as the ideal to compare with.';
COMMENT ON COLUMN ar.adtp_trend_monthly.as_of IS 'As-of date of the refresh.';
COMMENT ON COLUMN ar.adtp_trend_monthly.customer_id IS 'Account identifier.';
COMMENT ON COLUMN ar.adtp_trend_monthly.segment IS 'Business segment.';
COMMENT ON COLUMN ar.adtp_trend_monthly.collector IS 'Collector responsible.';
COMMENT ON COLUMN ar.adtp_trend_monthly.payment_terms_days IS 'Payment terms in days: the ideal days to pay.';
COMMENT ON COLUMN ar.adtp_trend_monthly.month IS 'First day of the month of payment.';
COMMENT ON COLUMN ar.adtp_trend_monthly.paid_items IS 'Payment applications received that month.';
COMMENT ON COLUMN ar.adtp_trend_monthly.paid_amount IS 'Amount received that month.';
COMMENT ON COLUMN ar.adtp_trend_monthly.adtp IS 'Average days to pay (simple) of items paid that month.';
COMMENT ON COLUMN ar.adtp_trend_monthly.adtp_weighted IS 'Amount-weighted average days to pay of items paid that month.';
COMMENT ON COLUMN ar.adtp_trend_monthly.avg_days_late IS 'Average days late of items paid that month.';
COMMENT ON COLUMN ar.adtp_trend_monthly.avg_days_late_weighted IS 'Amount-weighted average days late of items paid that month.';

-- The history table has the columns of ar.customer_health: give it the same descriptions.
DO $$
DECLARE
    col record;
BEGIN
    FOR col IN SELECT a.attname, col_description(a.attrelid, a.attnum) AS description
                 FROM pg_attribute a
                WHERE a.attrelid = 'ar.customer_health'::regclass AND a.attnum > 0 AND NOT a.attisdropped LOOP
        EXECUTE format('COMMENT ON COLUMN ar.customer_health_history.%I IS %L', col.attname,
                       CASE WHEN col.attname = 'as_of' THEN 'Date of this snapshot.' ELSE col.description END);
    END LOOP;
END $$;
