-- Explainable risk ratings, dynamic ratings over time, early warnings. docs/risk.md.

-- A credit manager's overrides of the default policy (one row, every column
-- optional: NULL keeps the default). Defaults live in one place, the Rust scorer;
-- ar.effective_rating_policy() shows the policy in force.
CREATE TABLE ar.rating_policy (
    singleton                        boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    weight_payment_behaviour         numeric,
    weight_payment_slip              numeric,
    weight_past_due_share            numeric,
    weight_oldest_past_due           numeric,
    weight_credit_utilisation        numeric,
    weight_broken_promises           numeric,
    weight_open_disputes             numeric,
    min_paid_items                   integer,
    slip_full_days                   numeric,
    oldest_full_days                 numeric,
    utilisation_start                numeric,
    utilisation_full                 numeric,
    promises_full                    numeric,
    disputes_full                    numeric,
    rating_bounds                    numeric[],
    slip_warning_days                numeric
);
COMMENT ON TABLE ar.rating_policy IS 'Overrides of the default rating policy (at most one row; NULL = default). Validated on every change: a bad policy is rejected with an error naming the setting. See ar.effective_rating_policy() and docs/risk.md.';
COMMENT ON COLUMN ar.rating_policy.singleton IS 'Always true: the table holds at most one row.';
COMMENT ON COLUMN ar.rating_policy.weight_payment_behaviour IS 'Points at full severity for payment behaviour (payment index 20 = full, 80 = none). Default 30. The seven weights add up to 100.';
COMMENT ON COLUMN ar.rating_policy.weight_payment_slip IS 'Points for weighted days to pay rising (90 days vs 12 months). Default 15.';
COMMENT ON COLUMN ar.rating_policy.weight_past_due_share IS 'Points for the share of the balance past due. Default 20.';
COMMENT ON COLUMN ar.rating_policy.weight_oldest_past_due IS 'Points for the age of the oldest past-due item. Default 15.';
COMMENT ON COLUMN ar.rating_policy.weight_credit_utilisation IS 'Points for credit utilisation above utilisation_start. Default 10.';
COMMENT ON COLUMN ar.rating_policy.weight_broken_promises IS 'Points for promises to pay broken in the last 90 days. Default 5.';
COMMENT ON COLUMN ar.rating_policy.weight_open_disputes IS 'Points for open disputes. Default 5.';
COMMENT ON COLUMN ar.rating_policy.min_paid_items IS 'Fewer payments than this in 12 months: payment factors scored neutral (half their points). Default 3.';
COMMENT ON COLUMN ar.rating_policy.slip_full_days IS 'Slip in days at full severity. Default 30.';
COMMENT ON COLUMN ar.rating_policy.oldest_full_days IS 'Days past due of the oldest item at full severity. Default 120.';
COMMENT ON COLUMN ar.rating_policy.utilisation_start IS 'Credit utilisation where that factor starts. Default 0.8.';
COMMENT ON COLUMN ar.rating_policy.utilisation_full IS 'Credit utilisation at full severity. Default 1.5.';
COMMENT ON COLUMN ar.rating_policy.promises_full IS 'Broken promises (90 days) at full severity. Default 3.';
COMMENT ON COLUMN ar.rating_policy.disputes_full IS 'Open disputes at full severity. Default 3.';
COMMENT ON COLUMN ar.rating_policy.rating_bounds IS 'Scores where ratings B, C, D and E start (A below the first). Default {20,40,60,80}.';
COMMENT ON COLUMN ar.rating_policy.slip_warning_days IS 'Early warning when weighted days to pay over 90 days exceeds the 12-month figure by this many days. Default 7.';
SELECT pg_catalog.pg_extension_config_dump('ar.rating_policy', '');

CREATE FUNCTION ar.rating_policy_json() RETURNS jsonb
STABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    SELECT coalesce((SELECT to_jsonb(p) - 'singleton' FROM ar.rating_policy p), '{}'::jsonb);
END;
COMMENT ON FUNCTION ar.rating_policy_json() IS 'The overrides in ar.rating_policy as jsonb ({} when none).';

CREATE FUNCTION ar.effective_rating_policy() RETURNS jsonb
STABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    SELECT ar.validate_rating_policy(ar.rating_policy_json());
END;
COMMENT ON FUNCTION ar.effective_rating_policy() IS 'The rating policy in force: defaults overlaid with ar.rating_policy.';
COMMENT ON FUNCTION ar.validate_rating_policy(jsonb) IS 'Validate a policy (jsonb overrides of the defaults) and return it complete, or raise an error naming the bad setting.';
COMMENT ON FUNCTION ar.risk_score(integer, numeric, numeric, numeric, bigint, numeric, numeric, integer, numeric, bigint, bigint, jsonb) IS 'Risk of one account: score 0-100 (higher = riskier) = sum of weight x severity over seven factors, rating A-E, segment (low, medium, high, critical) and reasons (largest contribution first, with points). Policy: jsonb overrides of the defaults.';

CREATE FUNCTION ar._validate_rating_policy_row() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM ar.validate_rating_policy(to_jsonb(NEW) - 'singleton');
    RETURN NEW;
END $$;
COMMENT ON FUNCTION ar._validate_rating_policy_row() IS 'Internal trigger: rejects an invalid rating policy.';
CREATE TRIGGER rating_policy_validate BEFORE INSERT OR UPDATE ON ar.rating_policy
    FOR EACH ROW EXECUTE FUNCTION ar._validate_rating_policy_row();

-- Risk of every customer on a day, from that day's health snapshot.
CREATE FUNCTION ar.customer_risk_at(as_of date)
RETURNS TABLE (as_of date, customer_id text, score numeric, rating text, risk_segment text, reasons text[])
STABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    WITH broken AS (
        SELECT ps.customer_id, count(*) AS n FROM ar.promise_status(as_of) ps
         WHERE ps.status = 'broken' AND ps.promised_date > as_of - 90 GROUP BY ps.customer_id
    ), policy AS (SELECT ar.rating_policy_json() AS p)
    SELECT h.as_of, h.customer_id, r.score, r.rating, r.risk_segment, r.reasons
      FROM ar.customer_health_history h
      CROSS JOIN policy
      LEFT JOIN broken b ON b.customer_id = h.customer_id
      CROSS JOIN LATERAL ar.risk_score(h.payment_index_12m, h.avg_days_beyond_terms_weighted_12m, h.adtp_weighted_90d,
                                       h.adtp_weighted_12m, h.paid_items_12m, h.open_amount, h.past_due_amount,
                                       h.oldest_past_due_days, h.credit_utilisation, coalesce(b.n, 0), h.open_disputes,
                                       policy.p) r
     WHERE h.as_of = customer_risk_at.as_of;
END;
COMMENT ON FUNCTION ar.customer_risk_at(date) IS 'Score, rating, segment and reasons of every customer on a date, from its ar.customer_health_history snapshot and the rating policy in force.';

CREATE TABLE ar.customer_risk_history (
    as_of        date NOT NULL,
    customer_id  text COLLATE "C" NOT NULL,
    score        numeric NOT NULL,
    rating       text NOT NULL,
    risk_segment text NOT NULL,
    reasons      text[] NOT NULL,
    PRIMARY KEY (as_of, customer_id)
);
CREATE INDEX customer_risk_history_customer_idx ON ar.customer_risk_history (customer_id, as_of);
COMMENT ON TABLE ar.customer_risk_history IS 'Daily ratings (dynamic ratings): one row per day and customer, written by ar.refresh with each health snapshot.';
COMMENT ON COLUMN ar.customer_risk_history.as_of IS 'Date of the rating.';
COMMENT ON COLUMN ar.customer_risk_history.customer_id IS 'Account identifier.';
COMMENT ON COLUMN ar.customer_risk_history.score IS 'Risk score 0-100, higher = riskier.';
COMMENT ON COLUMN ar.customer_risk_history.rating IS 'Rating A (best) to E.';
COMMENT ON COLUMN ar.customer_risk_history.risk_segment IS 'low (A, B), medium (C), high (D) or critical (E).';
COMMENT ON COLUMN ar.customer_risk_history.reasons IS 'Contributing factors in plain words with their figures and points, largest first.';
SELECT pg_catalog.pg_extension_config_dump('ar.customer_risk_history', '');

-- Store (replace) the ratings of one day; returns the number of customers rated.
CREATE FUNCTION ar._store_ratings(day date) RETURNS bigint
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

CREATE MATERIALIZED VIEW ar.customer_risk_mv AS
SELECT r.as_of, r.customer_id, c.name AS customer_name, c.segment, c.collector, r.score, r.rating, r.risk_segment, r.reasons
  FROM ar.customer_risk_history r JOIN ar.customers c ON c.customer_id = r.customer_id
 WHERE r.as_of = (SELECT ar.as_of())
WITH NO DATA;
CREATE UNIQUE INDEX customer_risk_mv_key ON ar.customer_risk_mv (customer_id);
COMMENT ON MATERIALIZED VIEW ar.customer_risk_mv IS 'Storage of ar.customer_risk; query the plain view.';
CREATE VIEW ar.customer_risk AS SELECT * FROM ar.customer_risk_mv;
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

CREATE VIEW ar.rating_changes AS
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

-- Early warnings as of ar.as_of(): one row per customer and active warning.
CREATE MATERIALIZED VIEW ar.early_warnings_mv AS
WITH policy AS MATERIALIZED (SELECT ar.effective_rating_policy() AS p),
cfg AS MATERIALIZED (
    SELECT (SELECT ar.as_of()) AS as_of, (policy.p ->> 'slip_warning_days')::numeric AS slip_days,
           (policy.p ->> 'min_paid_items')::int AS min_items
      FROM policy
), h AS (SELECT * FROM ar.customer_health_mv),
prev AS (       -- the latest earlier snapshot of each customer
    SELECT DISTINCT ON (hh.customer_id) hh.* FROM ar.customer_health_history hh, cfg
     WHERE hh.as_of < cfg.as_of ORDER BY hh.customer_id, hh.as_of DESC
), slipping AS (
    SELECT h.customer_id, h.adtp_weighted_90d - h.adtp_weighted_12m AS slip, h.adtp_weighted_90d, h.adtp_weighted_12m, cfg.slip_days
      FROM h, cfg
     WHERE h.paid_items_12m >= cfg.min_items AND h.adtp_weighted_90d - h.adtp_weighted_12m >= cfg.slip_days
), recent AS (   -- weighted days to pay: last 90 days vs the 9 months before them
    SELECT i.customer_id,
           ar.payment_stats(i.invoice_date, i.due_date, p.payment_date, p.amount) FILTER (WHERE p.payment_date > cfg.as_of - 90) AS s90,
           ar.payment_stats(i.invoice_date, i.due_date, p.payment_date, p.amount) FILTER (WHERE p.payment_date <= cfg.as_of - 90) AS before
      FROM ar.payments p JOIN ar.invoices i ON i.invoice_id = p.invoice_id, cfg
     WHERE p.payment_date > cfg.as_of - 365 AND p.payment_date <= cfg.as_of
     GROUP BY i.customer_id
)
SELECT cfg.as_of, s.customer_id, 'payment_slipping' AS kind,
       CASE WHEN s.slip >= 2 * s.slip_days THEN 'high' ELSE 'medium' END AS severity,
       coalesce((SELECT max(x.as_of) + 1 FROM ar.customer_health_history x
                  WHERE x.customer_id = s.customer_id AND x.as_of < cfg.as_of
                    AND NOT coalesce(x.adtp_weighted_90d - x.adtp_weighted_12m >= s.slip_days, false)), cfg.as_of) AS since,
       format('weighted days to pay %s over the last 90 days vs %s over 12 months: +%s days (threshold %s)',
              round(s.adtp_weighted_90d, 1), round(s.adtp_weighted_12m, 1), round(s.slip, 1), s.slip_days) AS message
  FROM slipping s, cfg
UNION ALL
SELECT cfg.as_of, h.customer_id, 'terms_band_crossing', 'medium', cfg.as_of - 90,
       format('paid within its Net %s terms (weighted %s days to pay in the 9 months before), now pays like Net %s (%s days over the last 90 days)',
              h.payment_terms_days, round(ar.adtp_weighted(r.before), 1),
              (ceil(ar.adtp_weighted(r.s90) / 15) * 15)::int, round(ar.adtp_weighted(r.s90), 1))
  FROM h JOIN recent r ON r.customer_id = h.customer_id, cfg
 WHERE ar.item_count(r.before) >= cfg.min_items AND ar.item_count(r.s90) > 0
   AND ar.adtp_weighted(r.before) <= h.payment_terms_days
   AND ar.adtp_weighted(r.s90) > (ceil(greatest(ar.adtp_weighted(r.before), 1) / 15) * 15) + 15
UNION ALL
SELECT cfg.as_of, h.customer_id, 'new_past_due_60', 'medium', cfg.as_of,
       format('amount more than 60 days past due rose from %s to %s', coalesce(pv.days_61_90 + pv.days_91_120 + pv.days_121_plus, 0),
              h.days_61_90 + h.days_91_120 + h.days_121_plus)
  FROM h LEFT JOIN prev pv ON pv.customer_id = h.customer_id, cfg
 WHERE h.days_61_90 + h.days_91_120 + h.days_121_plus > coalesce(pv.days_61_90 + pv.days_91_120 + pv.days_121_plus, 0)
UNION ALL
SELECT cfg.as_of, h.customer_id, 'new_past_due_90', 'high', cfg.as_of,
       format('amount more than 90 days past due rose from %s to %s', coalesce(pv.days_91_120 + pv.days_121_plus, 0), h.days_91_120 + h.days_121_plus)
  FROM h LEFT JOIN prev pv ON pv.customer_id = h.customer_id, cfg
 WHERE h.days_91_120 + h.days_121_plus > coalesce(pv.days_91_120 + pv.days_121_plus, 0)
UNION ALL
SELECT cfg.as_of, h.customer_id, 'credit_limit_breached', 'high',
       coalesce((SELECT max(x.as_of) + 1 FROM ar.customer_health_history x
                  WHERE x.customer_id = h.customer_id AND x.as_of < cfg.as_of AND NOT coalesce(x.credit_utilisation > 1, false)), cfg.as_of),
       format('net exposure %s is over the credit limit %s by %s%%', h.net_exposure, h.credit_limit, round((h.credit_utilisation - 1) * 100))
  FROM h, cfg WHERE h.credit_utilisation > 1
UNION ALL
SELECT cfg.as_of, ps.customer_id, 'promise_broken', 'medium', min(ps.promised_date) + 1,
       format('%s promise(s) to pay broken in the last 30 days: %s', count(*),
              string_agg(format('%s due %s, paid %s', ps.amount, ps.promised_date, ps.paid), '; ' ORDER BY ps.promised_date))
  FROM ar.promise_status((SELECT ar.as_of())) ps, cfg
 WHERE ps.status = 'broken' AND ps.promised_date >= cfg.as_of - 30
 GROUP BY cfg.as_of, ps.customer_id
UNION ALL
SELECT cfg.as_of, i.customer_id, 'dispute_no_response',
       CASE WHEN min(d.opened_at)::date < cfg.as_of - 7 THEN 'high' ELSE 'medium' END, min(d.opened_at)::date,
       format('%s open dispute(s) without a first response, oldest opened %s', count(*), min(d.opened_at)::date)
  FROM ar.disputes d JOIN ar.invoices i ON i.invoice_id = d.invoice_id, cfg
 WHERE d.opened_at::date <= cfg.as_of AND (d.resolved_at IS NULL OR d.resolved_at::date > cfg.as_of)
   AND (d.first_response_at IS NULL OR d.first_response_at::date > cfg.as_of)
 GROUP BY cfg.as_of, i.customer_id
UNION ALL
SELECT cfg.as_of, r.customer_id, 'rating_downgraded', CASE WHEN r.rating >= 'D' THEN 'high' ELSE 'medium' END, cfg.as_of,
       format('rating moved from %s to %s (score %s): %s', pr.rating, r.rating, r.score, array_to_string(r.reasons, '; '))
  FROM ar.customer_risk_history r
  JOIN LATERAL (SELECT x.rating FROM ar.customer_risk_history x WHERE x.customer_id = r.customer_id AND x.as_of < r.as_of
                 ORDER BY x.as_of DESC LIMIT 1) pr ON true, cfg
 WHERE r.as_of = cfg.as_of AND r.rating > pr.rating
WITH NO DATA;
CREATE UNIQUE INDEX early_warnings_mv_key ON ar.early_warnings_mv (customer_id, kind);
COMMENT ON MATERIALIZED VIEW ar.early_warnings_mv IS 'Storage of ar.early_warnings; query the plain view.';
CREATE VIEW ar.early_warnings AS SELECT * FROM ar.early_warnings_mv;
COMMENT ON VIEW ar.early_warnings IS 'Active early warnings as of the last refresh: one row per customer and kind, with severity, since-date and a message with the figures.';
COMMENT ON COLUMN ar.early_warnings.as_of IS 'As-of date of the refresh.';
COMMENT ON COLUMN ar.early_warnings.customer_id IS 'Account identifier.';
COMMENT ON COLUMN ar.early_warnings.kind IS 'payment_slipping, terms_band_crossing, new_past_due_60, new_past_due_90, credit_limit_breached, promise_broken, dispute_no_response or rating_downgraded.';
COMMENT ON COLUMN ar.early_warnings.severity IS 'medium or high.';
COMMENT ON COLUMN ar.early_warnings.since IS 'Since when the condition holds (as far as the daily history shows).';
COMMENT ON COLUMN ar.early_warnings.message IS 'What happened, with the figures.';

CREATE VIEW ar.segment_risk AS
SELECT coalesce(r.segment, '(none)') AS segment, r.rating, count(*) AS customers,
       sum(h.net_exposure) AS exposure, sum(h.past_due_amount) AS past_due_amount,
       sum(h.past_due_amount) / nullif(sum(h.open_amount), 0) AS past_due_share
  FROM ar.customer_risk_mv r JOIN ar.customer_health_mv h ON h.customer_id = r.customer_id
 GROUP BY coalesce(r.segment, '(none)'), r.rating;
COMMENT ON VIEW ar.segment_risk IS 'Portfolio risk by business segment and rating as of the last refresh.';
COMMENT ON COLUMN ar.segment_risk.segment IS 'Business segment.';
COMMENT ON COLUMN ar.segment_risk.rating IS 'Rating A-E.';
COMMENT ON COLUMN ar.segment_risk.customers IS 'Customers with that rating.';
COMMENT ON COLUMN ar.segment_risk.exposure IS 'Their net exposure (open minus unapplied cash).';
COMMENT ON COLUMN ar.segment_risk.past_due_amount IS 'Their past-due amount.';
COMMENT ON COLUMN ar.segment_risk.past_due_share IS 'Past-due amount / open amount.';
