-- Tables of the risk ratings (sql/risk/): policy and rating history. Fresh install only.

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
    slip_warning_days                numeric,
    slip_warning_share               numeric
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
COMMENT ON COLUMN ar.rating_policy.slip_warning_share IS 'And by at least this share of the customer''s usual (12-month weighted) days beyond terms, so that a customer who always pays 70 days late is not flagged for a 10-day wobble. Default 0.25.';
SELECT pg_catalog.pg_extension_config_dump('ar.rating_policy', '');

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

-- The runs of the early warnings that carry a since-date found by walking back the
-- history (payment_slipping, credit_limit_breached) as of the last refresh, kept so that
-- the next day's refresh reads their start instead of walking back again
-- (sql/risk/early_warnings.sql). Its date is ar._store_state's 'early_warning_runs' row.
CREATE TABLE ar._early_warning_runs (
    customer_id text NOT NULL,
    kind        text NOT NULL,
    since       date NOT NULL,
    threshold   numeric,
    PRIMARY KEY (customer_id, kind)
);
COMMENT ON TABLE ar._early_warning_runs IS 'Internal: the payment_slipping and credit_limit_breached warnings of the last refresh with their since-date (and slip threshold), read by the next refresh instead of walking back the history; derived data, not dumped (no state row = walk back).';
COMMENT ON COLUMN ar._early_warning_runs.customer_id IS 'Account identifier.';
COMMENT ON COLUMN ar._early_warning_runs.kind IS 'payment_slipping or credit_limit_breached.';
COMMENT ON COLUMN ar._early_warning_runs.since IS 'First day of the run of snapshots in which the condition holds.';
COMMENT ON COLUMN ar._early_warning_runs.threshold IS 'The slip threshold in days the run was found with (payment_slipping; NULL for credit_limit_breached).';
