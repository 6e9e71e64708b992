-- ar_analytics 0.23.0 -> next release: the migrations since 0.23.0 (ALTER TABLE, data moves,
-- DROP of objects whose signature changed, detach + drop of a storage materialized view
-- whose query changed). Cutting a release renames this file (scripts/release.sh).

-- The early warnings' query reads the previous snapshot and the health rows where used
-- (hash joins instead of sorts): their storage is re-created.
SELECT ar._detach_dependents(to_regclass('ar.early_warnings_mv')) WHERE to_regclass('ar.early_warnings_mv') IS NOT NULL;
DROP MATERIALIZED VIEW IF EXISTS ar.early_warnings_mv;
