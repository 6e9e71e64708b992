-- Disputes --------------------------------------------------------------------

-- Each dispute open on as_of, flagged when open longer than the SLA.
CREATE OR REPLACE FUNCTION ar.open_disputes_at(as_of date)
RETURNS TABLE (dispute_id text, invoice_id text, customer_id text, customer_name text, collector text,
               opened_at timestamptz, days_open integer, first_response_at timestamptz, amount numeric, reason text,
               over_sla boolean, as_of date)
STABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    SELECT d.dispute_id, d.invoice_id, i.customer_id, c.name, c.collector, d.opened_at, as_of - d.opened_at::date,
           CASE WHEN d.first_response_at::date <= as_of THEN d.first_response_at END,
           d.amount, d.reason, as_of - d.opened_at::date > pol.dispute_sla_days, as_of
      FROM ar.disputes d
      JOIN ar.invoices i ON i.invoice_id = d.invoice_id
      JOIN ar.customers c ON c.customer_id = i.customer_id
      CROSS JOIN ar.collections_policy() pol
     WHERE d.opened_at::date <= as_of AND (d.resolved_at IS NULL OR d.resolved_at::date > as_of)
       AND ar.days_past_due(as_of, as_of) = 0;   -- rejects an infinite as_of (22008)
END;
COMMENT ON FUNCTION ar.open_disputes_at(date) IS 'Disputes open on a date, with days open and over_sla = open more than ar.collections_policy().dispute_sla_days days.';

-- Dispute SLA per month opened, and overall (month NULL).
--   first response hours = first_response_at - opened_at; resolution days = resolved_at - opened_at;
--   only responses and resolutions dated on or before as_of count.
CREATE OR REPLACE FUNCTION ar.dispute_sla_at(as_of date)
RETURNS TABLE (month date, disputes_opened bigint, responded bigint, mean_first_response_hours numeric,
               median_first_response_hours numeric, resolved bigint, median_resolution_days numeric,
               open_disputes bigint, over_sla bigint, sla_days integer, as_of date)
STABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    WITH d AS (
        SELECT date_trunc('month', x.opened_at::date::timestamp)::date AS month,
               CASE WHEN x.first_response_at::date <= as_of THEN extract(epoch FROM x.first_response_at - x.opened_at) / 3600 END AS response_hours,
               CASE WHEN x.resolved_at::date <= as_of THEN extract(epoch FROM x.resolved_at - x.opened_at) / 86400 END AS resolution_days,
               NOT (x.resolved_at::date <= as_of) OR x.resolved_at IS NULL AS open,
               as_of - x.opened_at::date AS days_open
          FROM ar.disputes x
         WHERE x.opened_at::date <= as_of
           AND ar.days_past_due(as_of, as_of) = 0   -- rejects an infinite as_of (22008)
    )
    SELECT d.month, count(*), count(d.response_hours), round(avg(d.response_hours), 2),
           round(percentile_cont(0.5) WITHIN GROUP (ORDER BY d.response_hours)::numeric, 2),
           count(d.resolution_days), round(percentile_cont(0.5) WITHIN GROUP (ORDER BY d.resolution_days)::numeric, 2),
           count(*) FILTER (WHERE d.open), count(*) FILTER (WHERE d.open AND d.days_open > pol.dispute_sla_days),
           pol.dispute_sla_days, as_of
      FROM d CROSS JOIN ar.collections_policy() pol
     GROUP BY GROUPING SETS ((d.month, pol.dispute_sla_days), (pol.dispute_sla_days))
    HAVING as_of IS NOT NULL
     ORDER BY d.month NULLS LAST;
END;
COMMENT ON FUNCTION ar.dispute_sla_at(date) IS 'Dispute SLA as of a date, per month opened and overall (month NULL): disputes opened, first-response time (mean, median, hours), median resolution time (days), disputes still open and open over the SLA.';

-- Stored by ar.refresh (a view over the function would read the tables as the
-- querying role: a BI role made by ar.grant_reader could not).
CREATE MATERIALIZED VIEW IF NOT EXISTS ar.dispute_sla_mv AS SELECT * FROM ar.dispute_sla_at((SELECT ar.as_of())) WITH NO DATA;
CREATE UNIQUE INDEX IF NOT EXISTS dispute_sla_mv_key ON ar.dispute_sla_mv (month);
COMMENT ON MATERIALIZED VIEW ar.dispute_sla_mv IS 'Storage of ar.dispute_sla; query the plain view.';
CREATE OR REPLACE VIEW ar.dispute_sla AS SELECT * FROM ar.dispute_sla_mv;
COMMENT ON VIEW ar.dispute_sla IS 'Dispute SLA as of the last refresh, per month opened and overall (month NULL).';
COMMENT ON COLUMN ar.dispute_sla.month IS 'Month the disputes were opened; NULL = all months.';
COMMENT ON COLUMN ar.dispute_sla.disputes_opened IS 'Disputes opened.';
COMMENT ON COLUMN ar.dispute_sla.responded IS 'Of them, answered by as_of.';
COMMENT ON COLUMN ar.dispute_sla.mean_first_response_hours IS 'Mean hours from opening to first response (answered disputes).';
COMMENT ON COLUMN ar.dispute_sla.median_first_response_hours IS 'Median of the same.';
COMMENT ON COLUMN ar.dispute_sla.resolved IS 'Resolved by as_of.';
COMMENT ON COLUMN ar.dispute_sla.median_resolution_days IS 'Median days from opening to resolution (resolved disputes).';
COMMENT ON COLUMN ar.dispute_sla.open_disputes IS 'Still open on as_of.';
COMMENT ON COLUMN ar.dispute_sla.over_sla IS 'Open for more than sla_days days.';
COMMENT ON COLUMN ar.dispute_sla.sla_days IS 'The dispute SLA in days (ar.collections_policy()).';
COMMENT ON COLUMN ar.dispute_sla.as_of IS 'As-of date.';

-- Stored by ar.refresh (a view over the function would read the tables as the
-- querying role: a BI role made by ar.grant_reader could not).
-- The storage keeps what does not move with the date (0.19.0): a dispute's row changes
-- when it opens, is answered or ends, not every day with its age, so the daily
-- concurrent refresh rewrites those rows only. The plain view adds the refreshed date
-- (ar.settings, read by the view as ar.customer_health_mv does) and what follows from
-- it as ar.open_disputes_at defines it: days open from the day opened (stored, as the
-- refresh's session dated it) and over_sla against the SLA in force at the refresh
-- (tests/sql/12_collections.sql checks the view against ar.open_disputes_at).
CREATE MATERIALIZED VIEW IF NOT EXISTS ar.open_disputes_mv AS
SELECT o.dispute_id, o.invoice_id, o.customer_id, o.customer_name, o.collector, o.opened_at,
       o.as_of - o.days_open AS opened_on, o.first_response_at, o.amount, o.reason, pol.dispute_sla_days AS sla_days
  FROM ar.open_disputes_at((SELECT ar.as_of())) o CROSS JOIN ar.collections_policy() pol
WITH NO DATA;
CREATE UNIQUE INDEX IF NOT EXISTS open_disputes_mv_key ON ar.open_disputes_mv (dispute_id);
COMMENT ON MATERIALIZED VIEW ar.open_disputes_mv IS 'Storage of ar.open_disputes (without the refreshed date and the ages, which the plain view adds); query the plain view.';
CREATE OR REPLACE VIEW ar.open_disputes AS
SELECT m.dispute_id, m.invoice_id, m.customer_id, m.customer_name, m.collector, m.opened_at,
       s.as_of - m.opened_on AS days_open, m.first_response_at, m.amount, m.reason,
       s.as_of - m.opened_on > m.sla_days AS over_sla, s.as_of
  FROM ar.open_disputes_mv m LEFT JOIN ar.settings s ON true;   -- (its one row)
COMMENT ON VIEW ar.open_disputes IS 'Disputes open as of the last refresh; over_sla flags those open longer than the dispute SLA.';
COMMENT ON COLUMN ar.open_disputes.dispute_id IS 'Dispute identifier.';
COMMENT ON COLUMN ar.open_disputes.invoice_id IS 'Invoice disputed.';
COMMENT ON COLUMN ar.open_disputes.customer_id IS 'Account.';
COMMENT ON COLUMN ar.open_disputes.customer_name IS 'Account name.';
COMMENT ON COLUMN ar.open_disputes.collector IS 'Collector of the account.';
COMMENT ON COLUMN ar.open_disputes.opened_at IS 'When it was opened.';
COMMENT ON COLUMN ar.open_disputes.days_open IS 'Days open on as_of.';
COMMENT ON COLUMN ar.open_disputes.first_response_at IS 'First response (NULL = not answered by as_of).';
COMMENT ON COLUMN ar.open_disputes.amount IS 'Amount disputed (NULL = whole invoice).';
COMMENT ON COLUMN ar.open_disputes.reason IS 'Reason given.';
COMMENT ON COLUMN ar.open_disputes.over_sla IS 'Open more than the dispute SLA (ar.collections_policy().dispute_sla_days).';
COMMENT ON COLUMN ar.open_disputes.as_of IS 'As-of date.';
