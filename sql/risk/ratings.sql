-- Risk ratings as of a date, their history, rating changes and segment risk (docs/risk.md).

COMMENT ON FUNCTION ar.risk_score(integer, numeric, numeric, numeric, bigint, numeric, numeric, integer, numeric, bigint, bigint, jsonb) IS 'Risk of one account: score 0-100 (higher = riskier) = sum of weight x severity over seven factors, rating A-E, segment (low, medium, high, critical) and reasons (largest contribution first, with points). Policy: jsonb overrides of the defaults.';

-- Risk of every customer on a day, from that day's health snapshot.
CREATE OR REPLACE FUNCTION ar.customer_risk_at(as_of date)
RETURNS TABLE (as_of date, customer_id text, score numeric, rating text, risk_segment text, reasons text[])
STABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    WITH broken AS (
        SELECT ps.customer_id, count(*) AS n FROM ar._promise_status_for(as_of) ps   -- stored on the refreshed date
         WHERE ps.status = 'broken' AND ps.promised_date > as_of - 90 GROUP BY ps.customer_id
    )
    -- (the policy as a sub-select, evaluated once: joined as a CTE, the day's 200,000
    -- ratings took 2.4-2.8 s to store instead of 1.9-2.3 s, same run)
    SELECT h.as_of, h.customer_id, r.score, r.rating, r.risk_segment, r.reasons
      FROM ar.customer_health_history h
      LEFT JOIN broken b ON b.customer_id = h.customer_id
      CROSS JOIN LATERAL ar.risk_score(h.payment_index_12m, h.avg_days_beyond_terms_weighted_12m, h.adtp_weighted_90d,
                                       h.adtp_weighted_12m, h.paid_items_12m, h.open_amount, h.past_due_amount,
                                       h.oldest_past_due_days, h.credit_utilisation, coalesce(b.n, 0), h.open_disputes,
                                       (SELECT ar.rating_policy_json())) r
     WHERE h.as_of = customer_risk_at.as_of;
END;
COMMENT ON FUNCTION ar.customer_risk_at(date) IS 'Score, rating, segment and reasons of every customer on a date, from its ar.customer_health_history snapshot and the rating policy in force.';

-- Store (replace) the ratings of one day; returns the number of customers rated.
CREATE OR REPLACE FUNCTION ar._store_ratings(day date) RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    n bigint;
BEGIN
    DELETE FROM ar.customer_risk_history r WHERE r.as_of = day;
    INSERT INTO ar.customer_risk_history SELECT * FROM ar.customer_risk_at(day);
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN n;
END $$;
COMMENT ON FUNCTION ar._store_ratings(date) IS 'Internal: replace one day''s rows of ar.customer_risk_history from ar.customer_risk_at(day); used by ar.refresh for the as-of day and backfilled days.';

-- The day's ratings are stored in the history (ar._store_ratings, every refresh): read
-- there by its primary key (was a materialized view, refreshed CONCURRENTLY: 3.7 s a day
-- at 200,000 customers to copy what the history holds). The date is read from
-- ar.settings in the view itself, as ar.customer_health_mv does (a collector's
-- ar.my_customer_risk reads this view).
CREATE OR REPLACE VIEW ar.customer_risk_mv AS
SELECT r.as_of, r.customer_id, c.name AS customer_name, c.segment, c.collector, r.score, r.rating, r.risk_segment, r.reasons
  FROM ar.customer_risk_history r JOIN ar.customers c ON c.customer_id = r.customer_id
 WHERE r.as_of = (SELECT s.as_of FROM ar.settings s);
COMMENT ON VIEW ar.customer_risk_mv IS 'The ratings of the refreshed date (ar.customer_risk_history), with the customer''s name, segment and collector; query ar.customer_risk.';
CREATE OR REPLACE VIEW ar.customer_risk AS SELECT * FROM ar.customer_risk_mv;
COMMENT ON VIEW ar.customer_risk IS 'Risk score, rating, segment and reasons per customer as of the last refresh.';
COMMENT ON COLUMN ar.customer_risk.as_of IS 'As-of date of the rating.';
COMMENT ON COLUMN ar.customer_risk.customer_id IS 'Account identifier.';
COMMENT ON COLUMN ar.customer_risk.customer_name IS 'Account name.';
COMMENT ON COLUMN ar.customer_risk.segment IS 'Business segment.';
COMMENT ON COLUMN ar.customer_risk.collector IS 'Collector responsible.';
COMMENT ON COLUMN ar.customer_risk.score IS 'Risk score 0-100, higher = riskier.';
COMMENT ON COLUMN ar.customer_risk.rating IS 'Rating A (best) to E.';
COMMENT ON COLUMN ar.customer_risk.risk_segment IS 'low (A, B), medium (C), high (D) or critical (E).';
COMMENT ON COLUMN ar.customer_risk.reasons IS 'Why: contributing factors with figures and points, largest first.';
-- (its storage view has the same columns: the same descriptions)
SELECT ar._copy_column_comments('ar.customer_risk', 'ar.customer_risk_mv');

CREATE OR REPLACE VIEW ar.rating_changes AS
SELECT customer_id, as_of, previous_rating AS from_rating, rating AS to_rating,
       CASE WHEN rating > previous_rating THEN 'downgrade' ELSE 'upgrade' END AS direction, score, reasons
  FROM (SELECT r.*, lag(r.rating) OVER (PARTITION BY r.customer_id ORDER BY r.as_of) AS previous_rating
          FROM ar.customer_risk_history r) x
 WHERE previous_rating IS NOT NULL AND previous_rating <> rating;
COMMENT ON VIEW ar.rating_changes IS 'Every change of a customer''s rating between consecutive daily snapshots.';
COMMENT ON COLUMN ar.rating_changes.customer_id IS 'Account identifier.';
COMMENT ON COLUMN ar.rating_changes.as_of IS 'Day of the new rating.';
COMMENT ON COLUMN ar.rating_changes.from_rating IS 'Rating at the previous snapshot.';
COMMENT ON COLUMN ar.rating_changes.to_rating IS 'New rating.';
COMMENT ON COLUMN ar.rating_changes.direction IS 'downgrade (worse) or upgrade (better).';
COMMENT ON COLUMN ar.rating_changes.score IS 'New score.';
COMMENT ON COLUMN ar.rating_changes.reasons IS 'Reasons of the new rating.';

CREATE OR REPLACE VIEW ar.segment_risk AS
-- Customers' figures are in their currencies: summed per currency, converted at the
-- as-of date's rate into the reporting currency, then added (docs/currency.md).
WITH per_currency AS (
    SELECT coalesce(r.segment, '(none)') AS segment, r.rating, c.currency, count(*) AS customers,
           sum(h.net_exposure) AS exposure, sum(h.past_due_amount) AS past_due_amount, sum(h.open_amount) AS open_amount
      FROM ar.customer_risk_mv r JOIN ar.customer_health_mv h ON h.customer_id = r.customer_id
      JOIN ar.customers c ON c.customer_id = r.customer_id
     GROUP BY coalesce(r.segment, '(none)'), r.rating, c.currency
), converted AS (
    SELECT p.segment, p.rating, p.customers,
           ar.convert(p.exposure, p.currency, (SELECT ar.reporting_currency()), (SELECT ar.as_of())) AS exposure,
           ar.convert(p.past_due_amount, p.currency, (SELECT ar.reporting_currency()), (SELECT ar.as_of())) AS past_due_amount,
           ar.convert(p.open_amount, p.currency, (SELECT ar.reporting_currency()), (SELECT ar.as_of())) AS open_amount
      FROM per_currency p
)
SELECT v.segment, v.rating, sum(v.customers)::bigint AS customers,
       sum(v.exposure) AS exposure, sum(v.past_due_amount) AS past_due_amount,
       sum(v.past_due_amount) / nullif(sum(v.open_amount), 0) AS past_due_share,
       (SELECT ar.reporting_currency()) AS currency
  FROM converted v
 GROUP BY v.segment, v.rating;
COMMENT ON VIEW ar.segment_risk IS 'Portfolio risk by business segment and rating as of the last refresh.';
COMMENT ON COLUMN ar.segment_risk.segment IS 'Business segment.';
COMMENT ON COLUMN ar.segment_risk.rating IS 'Rating A-E.';
COMMENT ON COLUMN ar.segment_risk.customers IS 'Customers with that rating.';
COMMENT ON COLUMN ar.segment_risk.exposure IS 'Their net exposure (open minus unapplied cash), in the reporting currency.';
COMMENT ON COLUMN ar.segment_risk.past_due_amount IS 'Their past-due amount.';
COMMENT ON COLUMN ar.segment_risk.past_due_share IS 'Past-due amount / open amount.';
COMMENT ON COLUMN ar.segment_risk.currency IS 'Currency of the amounts: the reporting currency (customers'' amounts converted at the as-of date''s rate).';
