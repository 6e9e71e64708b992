//! ar_analytics: accounts-receivable analytics inside PostgreSQL.
//!
//! Layout: `metrics` (scalar functions), `aggregates` (two-step aggregates and
//! their summary types), `raw` (V1 calling-convention plumbing); pure logic is in
//! the `ar_core` crate; tables, views and SQL functions are in `sql/`, pulled into
//! the install script in dependency order below.

use pgrx::prelude::*;

pub mod aggregates;
pub mod metrics;
pub mod raw;
pub mod risk;
pub mod sync;

::pgrx::pg_module_magic!();

#[allow(unused_imports)]
use metrics::*;


// Schema ar is created by the install script (pgrx emits it for this module), not
// by the control file, so that it belongs to the extension and
// DROP EXTENSION ar_analytics CASCADE removes it.
#[pg_schema]
mod ar {}

// The SQL sources, one file per concern, in dependency order (each block requires the
// one before it, so pgrx's install script keeps this order). Files under sql/schema/
// hold what cannot run twice (tables, their indexes, constraints and comments): they
// run on a fresh install only. Every other file is idempotent (CREATE OR REPLACE, IF
// NOT EXISTS for storage materialized views, guarded type creation) and is re-applied
// by every generated update script (scripts/gen-update-scripts, docs/architecture.md).
extension_sql_file!("../sql/metrics/scalar.sql", name = "metrics_scalar", requires = [days_past_due, aging_bucket_standard, aging_bucket_custom, aging_standard_bounds, dso, bpdso, average_days_delinquent, dso_countback, cei, payment_index, demo_uniform]);
extension_sql_file!("../sql/metrics/payment_stats.sql", name = "metrics_payment_stats", requires = ["metrics_scalar"]);
extension_sql_file!("../sql/metrics/aging.sql", name = "metrics_aging", requires = ["metrics_payment_stats"]);
extension_sql_file!("../sql/schema/receivables.sql", name = "schema_receivables", requires = ["metrics_aging"]);
extension_sql_file!("../sql/schema/demo.sql", name = "schema_demo", requires = ["schema_receivables"]);
extension_sql_file!("../sql/schema/refresh.sql", name = "schema_refresh", requires = ["schema_demo"]);
extension_sql_file!("../sql/schema/risk.sql", name = "schema_risk", requires = ["schema_refresh"]);
extension_sql_file!("../sql/schema/access.sql", name = "schema_access", requires = ["schema_risk"]);
extension_sql_file!("../sql/collections/templates.sql", name = "collections_templates", requires = ["schema_access"]);
extension_sql_file!("../sql/schema/collections.sql", name = "schema_collections", requires = ["collections_templates"]);
extension_sql_file!("../sql/schema/sync.sql", name = "schema_sync", requires = ["schema_collections"]);
extension_sql_file!("../sql/schema/currency.sql", name = "schema_currency", requires = ["schema_sync"]);
extension_sql_file!("../sql/currency/convert.sql", name = "currency_convert", requires = ["schema_currency"]);
extension_sql_file!("../sql/refresh/triggers.sql", name = "refresh_triggers", requires = ["currency_convert"]);
extension_sql_file!("../sql/ledger/integrity.sql", name = "ledger_integrity", requires = ["refresh_triggers"]);
extension_sql_file!("../sql/ledger/open_items.sql", name = "ledger_open_items", requires = ["ledger_integrity"]);
extension_sql_file!("../sql/ledger/promises.sql", name = "ledger_promises", requires = ["ledger_open_items"]);
extension_sql_file!("../sql/ledger/month_end.sql", name = "ledger_month_end", requires = ["ledger_promises"]);
extension_sql_file!("../sql/ledger/payment_behaviour.sql", name = "ledger_payment_behaviour", requires = ["ledger_month_end"]);
extension_sql_file!("../sql/views/open_items_snapshot.sql", name = "views_open_items_snapshot", requires = ["ledger_payment_behaviour"]);
extension_sql_file!("../sql/views/customer_health.sql", name = "views_customer_health", requires = ["views_open_items_snapshot"]);
extension_sql_file!("../sql/refresh/customer_state.sql", name = "refresh_customer_state", requires = ["views_customer_health"]);
extension_sql_file!("../sql/views/portfolio_aging.sql", name = "views_portfolio_aging", requires = ["refresh_customer_state"]);
extension_sql_file!("../sql/views/currency_exposure.sql", name = "views_currency_exposure", requires = ["views_portfolio_aging"]);
extension_sql_file!("../sql/views/adtp_trend.sql", name = "views_adtp_trend", requires = ["views_currency_exposure"]);
extension_sql_file!("../sql/views/portfolio_kpis.sql", name = "views_portfolio_kpis", requires = ["views_adtp_trend"]);
extension_sql_file!("../sql/risk/policy.sql", name = "risk_policy", requires = ["views_portfolio_kpis", risk::validate_rating_policy]);
extension_sql_file!("../sql/risk/ratings.sql", name = "risk_ratings", requires = ["risk_policy", risk::risk_score]);
extension_sql_file!("../sql/risk/early_warnings.sql", name = "risk_early_warnings", requires = ["risk_ratings"]);
extension_sql_file!("../sql/collections/settings.sql", name = "collections_settings", requires = ["risk_early_warnings"]);
extension_sql_file!("../sql/collections/strategies.sql", name = "collections_strategies", requires = ["collections_settings"]);
extension_sql_file!("../sql/collections/messages.sql", name = "collections_messages", requires = ["collections_strategies"]);
extension_sql_file!("../sql/collections/worklist.sql", name = "collections_worklist", requires = ["collections_messages"]);
extension_sql_file!("../sql/collections/assignment.sql", name = "collections_assignment", requires = ["collections_worklist"]);
extension_sql_file!("../sql/collections/disputes.sql", name = "collections_disputes", requires = ["collections_assignment"]);
extension_sql_file!("../sql/collections/holds.sql", name = "collections_holds", requires = ["collections_disputes"]);
extension_sql_file!("../sql/collections/promises.sql", name = "collections_promises", requires = ["collections_holds"]);
extension_sql_file!("../sql/collections/plans.sql", name = "collections_plans", requires = ["collections_promises"]);
extension_sql_file!("../sql/collections/performance.sql", name = "collections_performance", requires = ["collections_plans"]);
extension_sql_file!("../sql/collections/outlook.sql", name = "collections_outlook", requires = ["collections_performance"]);
extension_sql_file!("../sql/collections/forecast.sql", name = "collections_forecast", requires = ["collections_outlook"]);
extension_sql_file!("../sql/access/collector_views.sql", name = "access_collector_views", requires = ["collections_forecast"]);
extension_sql_file!("../sql/access/reader.sql", name = "access_reader", requires = ["access_collector_views"]);
extension_sql_file!("../sql/refresh/refresh.sql", name = "refresh_refresh", requires = ["access_reader"]);
extension_sql_file!("../sql/refresh/schedule.sql", name = "refresh_schedule", requires = ["refresh_refresh"]);
extension_sql_file!("../sql/sync/sync.sql", name = "sync_sync", requires = ["refresh_schedule"]);
extension_sql_file!("../sql/demo/generate.sql", name = "demo_generate", requires = ["sync_sync"]);
