-- Early warnings as of ar.as_of(): one row per customer and active warning. The storage
-- holds no date (the plain view reads it from ar.settings): a warning that stays the same
-- from one day to the next keeps its row, the concurrent refresh rewrites only the others.
-- since of payment_slipping and credit_limit_breached: the day after the latest earlier
-- snapshot without the condition, found by walking back the customer's snapshots; or, when
-- the refresh kept the runs of the day before (ar._early_warning_runs, dated the latest
-- earlier snapshot, or this date when it is refreshed again), the start of the run kept
-- there: the condition held on that snapshot too, so the walk back would end where it ended
-- then (a slip with the same threshold only). The walk back costs a step per day of the
-- run, a cost growing with the history (0.17.0, 200,000 customers: 5.9 / 5.4 s -> 4.0 / 3.2 s).
CREATE MATERIALIZED VIEW IF NOT EXISTS ar.early_warnings_mv AS
WITH policy AS MATERIALIZED (SELECT ar.effective_rating_policy() AS p),
cfg AS MATERIALIZED (
    SELECT x.*, (SELECT st.as_of FROM ar._store_state st WHERE st.store = 'early_warning_runs') IN (x.as_of, x.prev_as_of) AS runs_kept
      FROM (SELECT (SELECT ar.as_of()) AS as_of, (policy.p ->> 'slip_warning_days')::numeric AS slip_days,
                   (policy.p ->> 'min_paid_items')::int AS min_items, (policy.p ->> 'slip_warning_share')::numeric AS slip_share,
                   (SELECT max(hh.as_of) FROM ar.customer_health_history hh WHERE hh.as_of < (SELECT ar.as_of())) AS prev_as_of
              FROM policy) x
), h AS NOT MATERIALIZED (   -- (only the columns read below; read where used, not kept:
    -- a kept CTE has no statistics, and its joins with 200,000 rows were sorted and merged)
    SELECT m.customer_id, m.payment_terms_days, m.days_61_90, m.days_91_120, m.days_121_plus, m.net_exposure, m.credit_limit,
           m.credit_utilisation, m.paid_items_12m, m.adtp_weighted_12m, m.adtp_weighted_90d, m.avg_days_beyond_terms_weighted_12m
      FROM ar.customer_health_mv m
),
past_due_rise AS MATERIALIZED (   -- the amounts over 60 and 90 days past due, now and at the customer's latest
    -- earlier snapshot: the previous day's, or (a customer missing from it: a filter on the
    -- outer row, checked before the scan) one step back in its index
    SELECT x.* FROM (
        SELECT h.customer_id, h.days_61_90 + h.days_91_120 + h.days_121_plus AS over_60, h.days_91_120 + h.days_121_plus AS over_90,
               coalesce(a.over_60, b.over_60, 0) AS prev_60, coalesce(a.over_90, b.over_90, 0) AS prev_90
          FROM h CROSS JOIN cfg
          -- (the previous snapshot: one range of the history's key, joined by hash; as a
          -- kept CTE, without statistics, it was sorted for a merge join: full scale, the
          -- early warnings 2.2 -> 1.6 s with h read where used)
          LEFT JOIN (SELECT hh.customer_id, hh.days_61_90 + hh.days_91_120 + hh.days_121_plus AS over_60,
                            hh.days_91_120 + hh.days_121_plus AS over_90
                       FROM ar.customer_health_history hh
                      WHERE hh.as_of = (SELECT cfg.prev_as_of FROM cfg)) a ON a.customer_id = h.customer_id
          LEFT JOIN LATERAL (SELECT hh.days_61_90 + hh.days_91_120 + hh.days_121_plus AS over_60, hh.days_91_120 + hh.days_121_plus AS over_90
                               FROM ar.customer_health_history hh
                              WHERE a.customer_id IS NULL AND hh.customer_id = h.customer_id AND hh.as_of < cfg.as_of
                              ORDER BY hh.as_of DESC LIMIT 1) b ON true) x
     WHERE x.over_60 > x.prev_60 OR x.over_90 > x.prev_90
), slipping AS (
    -- a slip of slip_warning_days, and of slip_warning_share of the usual days beyond
    -- terms: a customer who always pays 70 days late wobbles by more than 7 days
    SELECT h.customer_id, h.adtp_weighted_90d - h.adtp_weighted_12m AS slip, h.adtp_weighted_90d, h.adtp_weighted_12m,
           greatest(cfg.slip_days, cfg.slip_share * greatest(0, h.avg_days_beyond_terms_weighted_12m)) AS slip_days
      FROM h, cfg
     WHERE h.paid_items_12m >= cfg.min_items
       AND h.adtp_weighted_90d - h.adtp_weighted_12m >= greatest(cfg.slip_days, cfg.slip_share * greatest(0, h.avg_days_beyond_terms_weighted_12m))
), recent AS (   -- weighted days to pay: last 90 days vs the 9 months before them
    SELECT b.customer_id, b.s90, b.before_90d AS before FROM cfg, ar._payment_behaviour_for(cfg.as_of) b   -- stored with the health rows
)
SELECT s.customer_id, 'payment_slipping' AS kind,
       CASE WHEN s.slip >= 2 * s.slip_days THEN 'high' ELSE 'medium' END AS severity,
       -- (the run kept by the refresh, same threshold; else the latest snapshot without the
       -- condition: walking back from the newest, which stops at the first; a max() over
       -- the filter read every snapshot of the customer)
       -- (no such snapshot: the condition held on every one, the run starts at the first)
       coalesce((SELECT r.since FROM ar._early_warning_runs r
                  WHERE cfg.runs_kept AND r.customer_id = s.customer_id AND r.kind = 'payment_slipping' AND r.threshold = s.slip_days),
                (SELECT x.as_of + 1 FROM ar.customer_health_history x
                  WHERE x.customer_id = s.customer_id AND x.as_of < cfg.as_of
                    AND NOT coalesce(x.adtp_weighted_90d - x.adtp_weighted_12m >= s.slip_days, false)
                  ORDER BY x.as_of DESC LIMIT 1),
                (SELECT min(x.as_of) FROM ar.customer_health_history x WHERE x.customer_id = s.customer_id AND x.as_of < cfg.as_of),
                cfg.as_of) AS since,
       format('weighted days to pay %s over the last 90 days vs %s over 12 months: +%s days (threshold %s)',
              round(s.adtp_weighted_90d, 1), round(s.adtp_weighted_12m, 1), round(s.slip, 1), round(s.slip_days, 1)) AS message,
       s.slip_days AS threshold
  FROM slipping s, cfg
UNION ALL
SELECT h.customer_id, 'terms_band_crossing', 'medium', cfg.as_of - 90,
       format('paid within its Net %s terms (weighted %s days to pay in the 9 months before), now pays like Net %s (%s days over the last 90 days)',
              h.payment_terms_days, round(ar.adtp_weighted(r.before), 1),
              (ceil(ar.adtp_weighted(r.s90) / 15) * 15)::int, round(ar.adtp_weighted(r.s90), 1)), NULL
  FROM h JOIN recent r ON r.customer_id = h.customer_id, cfg
 WHERE ar.item_count(r.before) >= cfg.min_items AND ar.item_count(r.s90) > 0
   AND ar.adtp_weighted(r.before) <= h.payment_terms_days
   AND ar.adtp_weighted(r.s90) > (ceil(greatest(ar.adtp_weighted(r.before), 1) / 15) * 15) + 15
UNION ALL
SELECT r.customer_id, 'new_past_due_60', 'medium', cfg.as_of,
       format('amount more than 60 days past due rose from %s to %s', r.prev_60, r.over_60), NULL
  FROM past_due_rise r, cfg
 WHERE r.over_60 > r.prev_60
UNION ALL
SELECT r.customer_id, 'new_past_due_90', 'high', cfg.as_of,
       format('amount more than 90 days past due rose from %s to %s', r.prev_90, r.over_90), NULL
  FROM past_due_rise r, cfg
 WHERE r.over_90 > r.prev_90
UNION ALL
SELECT h.customer_id, 'credit_limit_breached', 'high',
       coalesce((SELECT r.since FROM ar._early_warning_runs r
                  WHERE cfg.runs_kept AND r.customer_id = h.customer_id AND r.kind = 'credit_limit_breached'),
                (SELECT x.as_of + 1 FROM ar.customer_health_history x
                  WHERE x.customer_id = h.customer_id AND x.as_of < cfg.as_of AND NOT coalesce(x.credit_utilisation > 1, false)
                  ORDER BY x.as_of DESC LIMIT 1),
                (SELECT min(x.as_of) FROM ar.customer_health_history x WHERE x.customer_id = h.customer_id AND x.as_of < cfg.as_of),
                cfg.as_of),
       format('net exposure %s is over the credit limit %s by %s%%', h.net_exposure, h.credit_limit, round((h.credit_utilisation - 1) * 100)), NULL
  FROM h, cfg WHERE h.credit_utilisation > 1
UNION ALL
SELECT ps.customer_id, 'promise_broken', 'medium', min(ps.promised_date) + 1,
       format('%s promise(s) to pay broken in the last 30 days: %s', count(*),
              string_agg(format('%s due %s, paid %s', ps.amount, ps.promised_date, ps.paid), '; ' ORDER BY ps.promised_date)), NULL
  FROM cfg, ar._promise_status_for(cfg.as_of) ps   -- stored by the refresh (a column argument: inlined)
 WHERE ps.status = 'broken' AND ps.promised_date >= cfg.as_of - 30
 GROUP BY cfg.as_of, ps.customer_id
UNION ALL
SELECT i.customer_id, 'dispute_no_response',
       CASE WHEN min(d.opened_at)::date < cfg.as_of - 7 THEN 'high' ELSE 'medium' END, min(d.opened_at)::date,
       format('%s open dispute(s) without a first response, oldest opened %s', count(*), min(d.opened_at)::date), NULL
  FROM ar.disputes d JOIN ar.invoices i ON i.invoice_id = d.invoice_id, cfg
 WHERE d.opened_at::date <= cfg.as_of AND (d.resolved_at IS NULL OR d.resolved_at::date > cfg.as_of)
   AND (d.first_response_at IS NULL OR d.first_response_at::date > cfg.as_of)
 GROUP BY cfg.as_of, i.customer_id
UNION ALL
SELECT r.customer_id, 'rating_downgraded', CASE WHEN r.rating >= 'D' THEN 'high' ELSE 'medium' END, cfg.as_of,
       format('rating moved from %s to %s (score %s): %s', pr.rating, r.rating, r.score, array_to_string(r.reasons, '; ')), NULL
  FROM cfg JOIN ar.customer_risk_history r ON r.as_of = cfg.as_of
  -- the previous rating: the previous day's (one range of the key), or (a customer missing
  -- from that day) one step back in its index
  LEFT JOIN ar.customer_risk_history p ON p.customer_id = r.customer_id
        AND p.as_of = (SELECT max(x.as_of) FROM ar.customer_risk_history x WHERE x.as_of < (SELECT cfg.as_of FROM cfg))
  CROSS JOIN LATERAL (
      SELECT CASE WHEN p.customer_id IS NOT NULL THEN p.rating
                  ELSE (SELECT x.rating FROM ar.customer_risk_history x WHERE x.customer_id = r.customer_id AND x.as_of < r.as_of
                         ORDER BY x.as_of DESC LIMIT 1) END AS rating) pr
 WHERE r.rating > pr.rating
WITH NO DATA;
CREATE UNIQUE INDEX IF NOT EXISTS early_warnings_mv_key ON ar.early_warnings_mv (customer_id, kind);
COMMENT ON MATERIALIZED VIEW ar.early_warnings_mv IS 'Storage of ar.early_warnings; query the plain view.';
CREATE OR REPLACE VIEW ar.early_warnings AS
SELECT s.as_of, w.customer_id, w.kind, w.severity, w.since, w.message, c.segment, c.collector
  FROM ar.early_warnings_mv w JOIN ar.customers c ON c.customer_id = w.customer_id
  -- the refreshed date, read here (not by ar.as_of(), which would read ar.settings with a
  -- collector's rights through ar.my_early_warnings)
  LEFT JOIN ar.settings s ON true;
COMMENT ON VIEW ar.early_warnings IS 'Active early warnings as of the last refresh: one row per customer and kind, with severity, since-date and a message with the figures.';
COMMENT ON COLUMN ar.early_warnings.as_of IS 'As-of date of the refresh.';
COMMENT ON COLUMN ar.early_warnings.customer_id IS 'Account identifier.';
COMMENT ON COLUMN ar.early_warnings.kind IS 'payment_slipping, terms_band_crossing, new_past_due_60, new_past_due_90, credit_limit_breached, promise_broken, dispute_no_response or rating_downgraded.';
COMMENT ON COLUMN ar.early_warnings.severity IS 'medium or high.';
COMMENT ON COLUMN ar.early_warnings.since IS 'Since when the condition holds (as far as the daily history shows).';
COMMENT ON COLUMN ar.early_warnings.message IS 'What happened, with the figures.';
COMMENT ON COLUMN ar.early_warnings.segment IS 'Business segment of the customer (now), for filtering.';
COMMENT ON COLUMN ar.early_warnings.collector IS 'Collector responsible for the customer (now), for filtering.';

-- Keep the day's runs for the next refresh (ar.refresh, after the early warnings): the
-- rows of ar._early_warning_runs that changed are replaced, and the store is dated.
-- Returns the rows written.
CREATE OR REPLACE FUNCTION ar._store_early_warning_runs(as_of date) RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    n bigint;
BEGIN
    DELETE FROM ar._early_warning_runs r
     WHERE NOT EXISTS (SELECT FROM ar.early_warnings_mv w
                        WHERE w.customer_id = r.customer_id AND w.kind = r.kind AND w.since = r.since
                          AND w.threshold IS NOT DISTINCT FROM r.threshold);
    -- (the rows kept are those left: not a NOT EXISTS over the table written, which a
    -- nested loop would rescan, pages it has just written included: 62 s for 96,000 rows)
    INSERT INTO ar._early_warning_runs (customer_id, kind, since, threshold)
    SELECT w.customer_id, w.kind, w.since, w.threshold FROM ar.early_warnings_mv w
     WHERE w.kind IN ('payment_slipping', 'credit_limit_breached')
        ON CONFLICT ON CONSTRAINT _early_warning_runs_pkey DO NOTHING;
    GET DIAGNOSTICS n = ROW_COUNT;
    INSERT INTO ar._store_state (store, as_of, currency) VALUES ('early_warning_runs', _store_early_warning_runs.as_of, ar.reporting_currency())
        ON CONFLICT ON CONSTRAINT _store_state_pkey DO UPDATE SET as_of = excluded.as_of, currency = excluded.currency;
    RETURN n;
END $$;
COMMENT ON FUNCTION ar._store_early_warning_runs(date) IS 'Internal (ar.refresh): keep the payment_slipping and credit_limit_breached warnings just refreshed with their since-date in ar._early_warning_runs, dated as_of, for the next refresh; returns the rows written.';

-- The kept runs hold for the history they were found in: a snapshot before their date
-- deleted, changed or added (by hand: the refresh writes only its own date and the days
-- after the last snapshot) or a TRUNCATE drops their date, and the next refresh walks back.
CREATE OR REPLACE FUNCTION ar._note_history_change() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    kept constant date := (SELECT st.as_of FROM ar._store_state st WHERE st.store = 'early_warning_runs');
    touched boolean := false;
BEGIN
    IF kept IS NULL THEN
        RETURN NULL;
    END IF;
    -- (one branch per operation: a transition table the trigger has not is not named)
    IF TG_OP = 'TRUNCATE' THEN
        touched := true;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        touched := EXISTS (SELECT FROM old_rows o WHERE o.as_of < kept);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NOT touched THEN
        touched := EXISTS (SELECT FROM new_rows n WHERE n.as_of < kept);
    END IF;
    IF touched THEN
        DELETE FROM ar._store_state WHERE store = 'early_warning_runs';
    END IF;
    RETURN NULL;
END $$;
COMMENT ON FUNCTION ar._note_history_change() IS 'Internal trigger on ar.customer_health_history: a snapshot dated before the kept early-warning runs deleted, changed or added (or a TRUNCATE) makes the next refresh walk back the history again.';
SELECT ar._create_statement_triggers('ar.customer_health_history', 'runs', 'ar._note_history_change');
