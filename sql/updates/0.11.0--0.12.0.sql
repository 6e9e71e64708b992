-- ar_analytics 0.11.0 -> 0.12.0: the migrations only (released; never edited again).

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
-- The performance view sums the stored rows in a hash (its grouping CTE is not
-- materialized); the early warnings keep only the previous snapshot's figures they read.
SELECT ar._detach_dependents(to_regclass('ar.collections_performance_mv')) WHERE to_regclass('ar.collections_performance_mv') IS NOT NULL;
DROP MATERIALIZED VIEW IF EXISTS ar.collections_performance_mv;
SELECT ar._detach_dependents(to_regclass('ar.early_warnings_mv')) WHERE to_regclass('ar.early_warnings_mv') IS NOT NULL;
DROP MATERIALIZED VIEW IF EXISTS ar.early_warnings_mv;
