-- ar_analytics 0.23.0 -> 0.24.0: the migrations only (released; never edited again).

-- The early warnings' query reads the previous snapshot and the health rows where used
-- (hash joins instead of sorts): their storage is re-created.
SELECT ar._detach_dependents(to_regclass('ar.early_warnings_mv')) WHERE to_regclass('ar.early_warnings_mv') IS NOT NULL;
DROP MATERIALIZED VIEW IF EXISTS ar.early_warnings_mv;
