-- ar_analytics 0.11.0 -> next release: the migrations since 0.11.0 (ALTER TABLE, data moves,
-- DROP of objects whose signature changed, detach + drop of a storage materialized view
-- whose query changed). Cutting a release renames this file (scripts/release.sh).

-- The open items of the refreshed date carry the invoice's currency
-- (ar._open_items_for returns it): the aging, currency exposure, worklist and outlook no
-- longer join the invoices for it. Its readers are re-created by the sources.
SELECT ar._drop_with_readers('pg_proc', to_regprocedure('ar._open_items_for(date)')) WHERE to_regprocedure('ar._open_items_for(date)') IS NOT NULL;
SELECT ar._detach_dependents(to_regclass('ar.portfolio_aging_mv')) WHERE to_regclass('ar.portfolio_aging_mv') IS NOT NULL;
DROP MATERIALIZED VIEW IF EXISTS ar.portfolio_aging_mv;
SELECT ar._detach_dependents(to_regclass('ar.currency_exposure_mv')) WHERE to_regclass('ar.currency_exposure_mv') IS NOT NULL;
DROP MATERIALIZED VIEW IF EXISTS ar.currency_exposure_mv;
SELECT ar._detach_dependents(to_regclass('ar.collections_worklist_mv')) WHERE to_regclass('ar.collections_worklist_mv') IS NOT NULL;
DROP MATERIALIZED VIEW IF EXISTS ar.collections_worklist_mv;
-- The day's ratings are read from ar.customer_risk_history: ar.customer_risk_mv becomes a
-- view (the materialized views reading it, the performance view, are re-created).
SELECT ar._drop_with_readers('pg_class', c.oid) FROM pg_class c
 WHERE c.oid = to_regclass('ar.customer_risk_mv') AND c.relkind = 'm';
