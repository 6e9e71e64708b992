-- ar_analytics 0.14.0 -> 0.15.0: the migrations only (released; never edited again).

-- The worklist finds each account's ladder step by a hash join on the steps' threshold
-- ranges (its storage's query changed): re-created by the sources.
SELECT ar._detach_dependents(to_regclass('ar.collections_worklist_mv')) WHERE to_regclass('ar.collections_worklist_mv') IS NOT NULL;
DROP MATERIALIZED VIEW IF EXISTS ar.collections_worklist_mv;
