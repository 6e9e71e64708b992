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

::pgrx::pg_module_magic!();

#[allow(unused_imports)]
use metrics::*;


// Schema ar is created by the install script (pgrx emits it for this module), not
// by the control file, so that it belongs to the extension and
// DROP EXTENSION ar_analytics CASCADE removes it.
#[pg_schema]
mod ar {}

extension_sql_file!(
    "../sql/010_types_aggregates.sql",
    name = "types_aggregates",
    requires = [days_past_due, aging_bucket_standard, aging_bucket_custom, dso, bpdso, average_days_delinquent, dso_countback, cei, payment_index, demo_uniform]
);
extension_sql_file!("../sql/020_schema.sql", name = "schema", requires = ["types_aggregates"]);
extension_sql_file!("../sql/030_open_items.sql", name = "open_items", requires = ["schema"]);
extension_sql_file!("../sql/040_demo.sql", name = "demo", requires = ["open_items"]);
extension_sql_file!("../sql/050_views.sql", name = "views", requires = ["demo"]);
extension_sql_file!("../sql/060_refresh.sql", name = "refresh", requires = ["views"]);
extension_sql_file!("../sql/070_risk.sql", name = "risk", requires = ["refresh", risk::risk_score, risk::validate_rating_policy]);
extension_sql_file!("../sql/080_access.sql", name = "access", requires = ["risk"]);
// sql/010-080 are version 0.1.0 and are never edited again (comments aside): each
// later version's changes live in its upgrade script, which a fresh install runs too,
// so that fresh and upgraded databases are built by the same statements.
extension_sql_file!("../sql/ar_analytics--0.1.0--0.2.0.sql", name = "v0_2_0", requires = ["access"]);
extension_sql_file!("../sql/ar_analytics--0.2.0--0.3.0.sql", name = "v0_3_0", requires = ["v0_2_0"]);
