//! Pure-Rust core of ar_analytics. Nothing here knows about Postgres' memory or
//! calling conventions, so everything is tested with plain `cargo test` and
//! property tests; the extension crate wraps it.

pub mod aging;
pub mod bytes;
pub mod dates;
pub mod numeric;
pub mod parse;
pub mod payment;
pub mod rand;
pub mod scores;
pub mod summary_text;
pub mod risk;
