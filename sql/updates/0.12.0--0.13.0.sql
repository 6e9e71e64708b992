-- ar_analytics 0.12.0 -> 0.13.0: the migrations only (released; never edited again).

-- The early warnings read the previous snapshot as one range of the history's key, find
-- the start of a run that covers the whole history (since = the first snapshot, no longer
-- the as-of date), and walk the history in an index that carries the figures they test;
-- the worklist reads the stored promise statuses inlined.
DROP INDEX IF EXISTS ar.customer_health_history_customer_idx;
CREATE INDEX customer_health_history_customer_idx ON ar.customer_health_history (customer_id, as_of)
    INCLUDE (adtp_weighted_90d, adtp_weighted_12m, credit_utilisation);
SELECT ar._detach_dependents(to_regclass('ar.early_warnings_mv')) WHERE to_regclass('ar.early_warnings_mv') IS NOT NULL;
DROP MATERIALIZED VIEW IF EXISTS ar.early_warnings_mv;
SELECT ar._detach_dependents(to_regclass('ar.collections_worklist_mv')) WHERE to_regclass('ar.collections_worklist_mv') IS NOT NULL;
DROP MATERIALIZED VIEW IF EXISTS ar.collections_worklist_mv;
-- The payment behaviour is kept for the customers whose payments the date moves, not for
-- every customer whose health row it moves: its store takes that set.
DROP FUNCTION IF EXISTS ar._store_customer_health(date, text[]);
