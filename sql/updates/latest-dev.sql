-- ar_analytics 0.14.0 -> next release: the migrations since 0.14.0 (ALTER TABLE, data moves,
-- DROP of objects whose signature changed, detach + drop of a storage materialized view
-- whose query changed). Cutting a release renames this file (scripts/release.sh).

-- The worklist finds each account's ladder step by a hash join on the steps' threshold
-- ranges (its storage's query changed): re-created by the sources.
SELECT ar._detach_dependents(to_regclass('ar.collections_worklist_mv')) WHERE to_regclass('ar.collections_worklist_mv') IS NOT NULL;
DROP MATERIALIZED VIEW IF EXISTS ar.collections_worklist_mv;
