-- ar_analytics 0.22.0 -> 0.23.0: the migrations only (released; never edited again).

-- The collections worklist is stored in a table the refresh empties and fills
-- (sql/schema/collections.sql; filled from the view ar._collections_worklist_rows by
-- post-update.sql): its materialized view goes, the published view (stubbed meanwhile)
-- is re-attached to the table by the sources.
CREATE TABLE ar.collections_worklist_data (
    as_of                  date,
    customer_id            text PRIMARY KEY,
    customer_name          text,
    status                 text,
    priority_rank          bigint,
    priority_score         numeric,
    risk_segment           text,
    rating                 text,
    score                  numeric,
    past_due_amount        numeric,
    disputed_amount        numeric,
    actionable_amount      numeric,
    oldest_days_past_due   integer,
    oldest_undisputed_days integer,
    past_due_invoices      bigint,
    broken_promises_90d    bigint,
    strategic_value        numeric,
    step                   integer,
    next_action            text,
    tone                   text,
    channel                text,
    template               text,
    last_touch             date,
    next_action_due        date,
    hold_reason            text,
    invoices               text[]
);
CREATE INDEX collections_worklist_data_rank_idx ON ar.collections_worklist_data (priority_rank);
COMMENT ON TABLE ar.collections_worklist_data IS 'Storage of ar.collections_worklist (the rows of ar._collections_worklist_rows as of the last refresh), emptied and filled by ar.refresh; derived data, not dumped. Query ar.collections_worklist.';
SELECT ar._detach_dependents(to_regclass('ar.collections_worklist_mv')) WHERE to_regclass('ar.collections_worklist_mv') IS NOT NULL;
DROP MATERIALIZED VIEW IF EXISTS ar.collections_worklist_mv;
-- The order hold recommendations likewise (ar.order_hold_recommendations_data, from the
-- view ar._order_hold_recommendations_rows).
CREATE TABLE ar.order_hold_recommendations_data (
    customer_id          text,
    customer_name        text,
    collector            text,
    recommendation       text,
    hold_id              text,
    past_due_amount      numeric,
    oldest_days_past_due integer,
    reason               text,
    as_of                date
);
CREATE UNIQUE INDEX order_hold_recommendations_data_key ON ar.order_hold_recommendations_data (customer_id, recommendation, hold_id) NULLS NOT DISTINCT;
COMMENT ON TABLE ar.order_hold_recommendations_data IS 'Storage of ar.order_hold_recommendations (the rows of ar._order_hold_recommendations_rows as of the last refresh), emptied and filled by ar.refresh; derived data, not dumped. Query ar.order_hold_recommendations.';
SELECT ar._detach_dependents(to_regclass('ar.order_hold_recommendations_mv')) WHERE to_regclass('ar.order_hold_recommendations_mv') IS NOT NULL;
DROP MATERIALIZED VIEW IF EXISTS ar.order_hold_recommendations_mv;

-- ar._store_customer_health returns the rows it wrote whole and in part (OUT parameters):
-- another result type, so the old function goes and the sources create the new one.
DROP FUNCTION IF EXISTS ar._store_customer_health(date, text[], text[], text[], text[]);
