//! Scalar AR metrics. Definitions, conventions and worked examples: docs/metrics.md.
//! All are IMMUTABLE STRICT PARALLEL SAFE: a NULL argument gives NULL.
//! Division by zero (no sales) gives NULL; negative amounts, NaN and infinity are
//! an ERROR (SQLSTATE 22023) naming the argument.

use crate::aggregates::aging::bounds_from_datum;
use crate::raw::{bad_numeric, raise, varlena_bytes};
use ar_core::aging::{bucket_index, bucket_label, STANDARD_BOUNDS};
use ar_core::numeric::{self, Dec, NumErr};
use pgrx::datum::Date;
use pgrx::prelude::*;

fn invalid(msg: String) -> ! {
    raise(PgSqlErrorCode::ERRCODE_INVALID_PARAMETER_VALUE, msg);
}

/// Decode a numeric argument exactly; NaN and infinities are an ERROR naming it.
fn decoded(name: &str, n: &AnyNumeric) -> Dec {
    let d = n.clone().into_datum().unwrap();
    match unsafe { numeric::decode(varlena_bytes(d)) } {
        Ok(v) => v,
        // Too many digits for 128 bits is still a valid finite number: callers only need the sign.
        Err(NumErr::OutOfRange) => Dec { mantissa: if n.clone() < AnyNumeric::from(0) { -1 } else { 1 }, scale: 0 },
        Err(e) => bad_numeric(name, e),
    }
}

/// A finite numeric argument that must not be negative.
fn non_negative(name: &str, n: &AnyNumeric) {
    if decoded(name, n).mantissa < 0 {
        invalid(format!("{name} must not be negative, got {n}"));
    }
}

fn positive_days(name: &str, d: i32) {
    if d <= 0 {
        invalid(format!("{name} must be a positive number of days, got {d}"));
    }
}

fn finite(name: &str, d: Date) -> i32 {
    if d.is_infinity() || d.is_neg_infinity() {
        raise(PgSqlErrorCode::ERRCODE_DATETIME_FIELD_OVERFLOW, format!("{name} must be a finite date, got {d}"));
    }
    d.to_pg_epoch_days()
}

/// Days past due: as_of - due_date (negative: days until due).
#[pg_extern(immutable, strict, parallel_safe, schema = "ar")]
fn days_past_due(due_date: Date, as_of: Date) -> i32 {
    finite("as_of", as_of) - finite("due_date", due_date)
}

/// Standard aging bucket: current (<= 0), 1-30, 31-60, 61-90, 91-120, 121+.
#[pg_extern(immutable, strict, parallel_safe, name = "aging_bucket", schema = "ar")]
fn aging_bucket_standard(days_past_due: i32) -> String {
    bucket_label(bucket_index(days_past_due, &STANDARD_BOUNDS), &STANDARD_BOUNDS)
}

/// The standard buckets' inclusive upper bounds, {30,60,90,120}: the one place they are
/// written (ar_core::aging::STANDARD_BOUNDS), for SQL that needs the days an item moves
/// to another bucket (the refresh's sets of customers the date moves, the portfolio aging's
/// bucket order: ar._aging_bucket_starts).
#[pg_extern(immutable, parallel_safe, schema = "ar")]
fn aging_standard_bounds() -> Vec<i32> {
    STANDARD_BOUNDS.to_vec()
}

/// Aging bucket for user-defined ascending, inclusive upper bounds (1 to 12 of them).
#[pg_extern(immutable, strict, parallel_safe, name = "aging_bucket", schema = "ar")]
fn aging_bucket_custom(days_past_due: i32, bounds: pgrx::datum::Array<i32>) -> String {
    let b = bounds_from_datum(bounds.into_datum().unwrap());
    bucket_label(bucket_index(days_past_due, &b), &b)
}

/// receivables * period_days / sales, NULL when sales is zero.
fn days_of_sales(rec_name: &str, receivables: AnyNumeric, credit_sales: AnyNumeric, period_days: i32) -> Option<AnyNumeric> {
    non_negative(rec_name, &receivables);
    non_negative("credit_sales", &credit_sales);
    positive_days("period_days", period_days);
    if credit_sales == AnyNumeric::from(0) {
        return None;
    }
    Some(receivables * AnyNumeric::from(period_days) / credit_sales)
}

/// Days sales outstanding: receivables / credit_sales * period_days.
#[pg_extern(immutable, strict, parallel_safe, schema = "ar")]
fn dso(receivables: AnyNumeric, credit_sales: AnyNumeric, period_days: i32) -> Option<AnyNumeric> {
    days_of_sales("receivables", receivables, credit_sales, period_days)
}

/// Best possible DSO: current (not yet past due) receivables / credit_sales * period_days.
#[pg_extern(immutable, strict, parallel_safe, schema = "ar")]
fn bpdso(current_receivables: AnyNumeric, credit_sales: AnyNumeric, period_days: i32) -> Option<AnyNumeric> {
    days_of_sales("current_receivables", current_receivables, credit_sales, period_days)
}

/// Average days delinquent: DSO - BPDSO.
#[pg_extern(immutable, strict, parallel_safe, schema = "ar")]
fn average_days_delinquent(dso: AnyNumeric, bpdso: AnyNumeric) -> AnyNumeric {
    non_negative("dso", &dso);
    non_negative("bpdso", &bpdso);
    dso - bpdso
}

/// Countback DSO: walk back through periods (sales[1] most recent), consuming
/// whole periods' sales while the receivables cover them, then the fraction of
/// the next period. Receivables beyond all sales given: the total of the days given.
#[pg_extern(immutable, parallel_safe, schema = "ar")]
fn dso_countback(
    receivables: Option<AnyNumeric>,
    sales: Option<Vec<Option<AnyNumeric>>>,
    days: default!(Option<Vec<Option<i32>>>, "NULL"),
) -> Option<AnyNumeric> {
    let (receivables, sales) = (receivables?, sales?);
    non_negative("receivables", &receivables);
    if let Some(d) = &days {
        if d.len() != sales.len() {
            invalid(format!("days has {} elements but sales has {}; give one length per period, or NULL for 30 days each", d.len(), sales.len()));
        }
    }
    if sales.is_empty() {
        return None;
    }
    let zero = AnyNumeric::from(0);
    let mut remaining = receivables;
    let mut total = AnyNumeric::from(0);
    for (i, s) in sales.into_iter().enumerate() {
        let s = s.unwrap_or_else(|| raise(PgSqlErrorCode::ERRCODE_NULL_VALUE_NOT_ALLOWED, format!("sales[{}] is NULL", i + 1)));
        if decoded("sales", &s).mantissa < 0 {
            invalid(format!("sales[{}] must not be negative, got {s}", i + 1));
        }
        let d = match &days {
            None => 30,
            Some(v) => v[i].unwrap_or_else(|| raise(PgSqlErrorCode::ERRCODE_NULL_VALUE_NOT_ALLOWED, format!("days[{}] is NULL", i + 1))),
        };
        positive_days(&format!("days[{}]", i + 1), d);
        if remaining <= zero {
            break;
        }
        if s <= remaining {
            remaining -= s;
            total += AnyNumeric::from(d);
        } else {
            total += remaining * AnyNumeric::from(d) / s;
            remaining = AnyNumeric::from(0);
        }
    }
    Some(total)
}

/// Collection effectiveness index, percent:
/// (begin + sales - end) / (begin + sales - end_current) * 100.
#[pg_extern(immutable, strict, parallel_safe, schema = "ar")]
fn cei(
    beginning_receivables: AnyNumeric,
    credit_sales: AnyNumeric,
    ending_receivables: AnyNumeric,
    ending_current_receivables: AnyNumeric,
) -> Option<AnyNumeric> {
    non_negative("beginning_receivables", &beginning_receivables);
    non_negative("credit_sales", &credit_sales);
    non_negative("ending_receivables", &ending_receivables);
    non_negative("ending_current_receivables", &ending_current_receivables);
    if ending_current_receivables > ending_receivables {
        invalid(format!("ending_current_receivables ({ending_current_receivables}) must not exceed ending_receivables ({ending_receivables})"));
    }
    let available = beginning_receivables + credit_sales;
    let den = available.clone() - ending_current_receivables;
    if den == AnyNumeric::from(0) {
        return None;
    }
    Some((available - ending_receivables) * AnyNumeric::from(100) / den)
}

/// 0-100 payment index on the trade-credit scale (see docs/metrics.md for the anchors).
#[pg_extern(immutable, strict, parallel_safe, schema = "ar")]
fn payment_index(days_beyond_terms: AnyNumeric) -> i32 {
    let d = days_beyond_terms.clone().into_datum().unwrap();
    match unsafe { numeric::decode(varlena_bytes(d)) } {
        Ok(v) => ar_core::scores::payment_index(v),
        // beyond 38 digits the value is far outside the anchors: the scale is flat there
        Err(NumErr::OutOfRange) => if days_beyond_terms < AnyNumeric::from(0) { 100 } else { 20 },
        Err(e) => bad_numeric("days_beyond_terms", e),
    }
}

/// Uniform [0,1) from (seed, stream, index): the demo generator's deterministic randomness.
#[pg_extern(immutable, strict, parallel_safe, name = "_demo_uniform", schema = "ar")]
fn demo_uniform(seed: i64, stream: i64, index: i64) -> f64 {
    ar_core::rand::uniform(seed, stream, index)
}
