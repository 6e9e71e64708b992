//! `ar.risk_score(...)` and `ar.validate_rating_policy(jsonb)`: the Rust scorer of
//! ar_core::risk exposed to SQL. The policy is a jsonb object whose keys override
//! the defaults (ar_core::risk::Policy::default, the one place they are defined);
//! `ar.rating_policy` (one row) holds a credit manager's overrides. docs/risk.md.

use crate::raw::{cstring_arg, raise, varlena_bytes, varlena_datum};
use ar_core::numeric::{self, NumErr};
use ar_core::risk::{assess, Inputs, Policy, FACTORS};
use pgrx::callconv::{Arg, ArgAbi};
use pgrx::prelude::*;
use pgrx::JsonB;
use serde_json::json;
use std::cell::RefCell;

fn bad_policy(msg: String) -> ! {
    raise(PgSqlErrorCode::ERRCODE_INVALID_PARAMETER_VALUE, format!("invalid rating policy: {msg}"));
}

/// Build a policy from jsonb overrides (NULL values and missing keys keep the default).
fn policy_from(j: Option<&JsonB>) -> Policy {
    let mut p = Policy::default();
    let Some(JsonB(v)) = j else { return p };
    let Some(obj) = v.as_object() else { bad_policy(format!("expected a JSON object, got {v}")) };
    for (k, val) in obj {
        if val.is_null() || k == "singleton" {
            continue;
        }
        let num = || val.as_f64().unwrap_or_else(|| bad_policy(format!("{k} must be a number, got {val}")));
        if let Some(f) = k.strip_prefix("weight_") {
            match FACTORS.iter().position(|x| *x == f) {
                Some(i) => p.weights[i] = num(),
                None => bad_policy(format!("unknown setting {k:?}; weights are {}", FACTORS.map(|f| format!("weight_{f}")).join(", "))),
            }
            continue;
        }
        match k.as_str() {
            "min_paid_items" => p.min_paid_items = val.as_i64().unwrap_or_else(|| bad_policy(format!("min_paid_items must be a whole number, got {val}"))),
            "slip_full_days" => p.slip_full_days = num(),
            "oldest_full_days" => p.oldest_full_days = num(),
            "utilisation_start" => p.utilisation_start = num(),
            "utilisation_full" => p.utilisation_full = num(),
            "promises_full" => p.promises_full = num(),
            "disputes_full" => p.disputes_full = num(),
            "slip_warning_days" => p.slip_warning_days = num(),
            "slip_warning_share" => p.slip_warning_share = num(),
            "rating_bounds" => {
                let a = val.as_array().filter(|a| a.len() == 4).unwrap_or_else(|| bad_policy(format!("rating_bounds must be an array of 4 scores, got {val}")));
                for (i, x) in a.iter().enumerate() {
                    p.rating_bounds[i] = x.as_f64().unwrap_or_else(|| bad_policy(format!("rating_bounds[{}] must be a number, got {x}", i + 1)));
                }
            }
            _ => bad_policy(format!("unknown setting {k:?}")),
        }
    }
    p.validate().unwrap_or_else(|m| bad_policy(m));
    p
}

/// The policy argument of `ar.risk_score`, kept as its datum, not decoded: pgrx's `JsonB`
/// decodes a jsonb through its text and serde on every call (200,000 calls with a
/// complete policy: 1.98 s against 1.00 s with `'{}'`, docs/risk.md); the value's bytes
/// are compared in place with the last policy read instead (`policy_cached`), and only a
/// new value is decoded. The datum is the call's argument: valid for that call only.
pub struct PolicyArg(pg_sys::Datum);

impl FromDatum for PolicyArg {
    unsafe fn from_polymorphic_datum(datum: pg_sys::Datum, is_null: bool, _: pg_sys::Oid) -> Option<Self> {
        if is_null { None } else { Some(PolicyArg(datum)) }
    }
}

unsafe impl<'fcx> ArgAbi<'fcx> for PolicyArg {
    unsafe fn unbox_arg_unchecked(arg: Arg<'_, 'fcx>) -> Self {
        unsafe { arg.unbox_arg_using_from_datum() }.unwrap_or_else(|| raise(PgSqlErrorCode::ERRCODE_NULL_VALUE_NOT_ALLOWED, "ar.risk_score: policy must not be NULL"))
    }
}

pgrx::impl_sql_translatable!(PolicyArg, arg_only = "jsonb");

thread_local! {
    /// The last policy `ar.risk_score` read: its jsonb bytes and the policy built from them.
    static LAST_POLICY: RefCell<Option<(Vec<u8>, Policy)>> = const { RefCell::new(None) };
}

/// The policy of a jsonb argument (NULL: the defaults), built once per distinct value: the
/// same bytes always decode to the same policy, so a hit is exact; a bad policy raises its
/// ERROR on every call (it is never cached).
fn policy_cached(policy: Option<&PolicyArg>) -> Policy {
    let Some(PolicyArg(datum)) = policy else { return policy_from(None) };
    let bytes = unsafe { varlena_bytes(*datum) };
    if let Some(p) = LAST_POLICY.with(|c| c.borrow().as_ref().filter(|(b, _)| b.as_slice() == bytes).map(|(_, p)| p.clone())) {
        return p;
    }
    // decoded by Postgres' own jsonb output, as pgrx's JsonB does
    let text = unsafe { pgrx::direct_function_call_as_datum(pg_sys::jsonb_out, &[Some(varlena_datum(bytes))]) }
        .map(|d| unsafe { cstring_arg(d) })
        .unwrap_or_else(|| raise(PgSqlErrorCode::ERRCODE_INTERNAL_ERROR, "ar.risk_score: jsonb_out returned NULL"));
    let value: serde_json::Value = serde_json::from_str(text)
        .unwrap_or_else(|e| bad_policy(e.to_string()));
    let p = policy_from(Some(&JsonB(value)));
    LAST_POLICY.with(|c| *c.borrow_mut() = Some((bytes.to_vec(), p.clone())));
    p
}

/// A numeric argument as the nearest f64 (as `numeric::float8` gives it), decoded from
/// its bytes (ar_core::numeric::to_f64), not through `numeric_float8`'s text (no numeric
/// through text per row; measured at 200,000 ratings: no faster, the cost is the reasons'
/// formatting and pgrx's per-call set-up). NaN and infinities are an ERROR naming the argument.
fn float(name: &str, n: Option<AnyNumeric>) -> Option<f64> {
    n.map(|x| {
        let f = match unsafe { numeric::decode(varlena_bytes(x.clone().into_datum().unwrap())) } {
            Ok(d) => numeric::to_f64(d),
            // more digits than 128 bits hold: PostgreSQL's own conversion
            Err(NumErr::OutOfRange) => f64::try_from(x.clone()).unwrap_or(f64::NAN),
            Err(_) => f64::NAN,
        };
        if !f.is_finite() {
            raise(PgSqlErrorCode::ERRCODE_INVALID_PARAMETER_VALUE, format!("ar.risk_score: {name} must be a finite number, got {x}"));
        }
        f
    })
}

/// Risk score 0-100 (higher = riskier), rating A-E, segment and reasons of one account.
#[pg_extern(stable, parallel_safe, schema = "ar")]
#[allow(clippy::too_many_arguments)]
fn risk_score(
    payment_index: Option<i32>,
    days_beyond_terms_weighted_12m: Option<AnyNumeric>,
    adtp_weighted_90d: Option<AnyNumeric>,
    adtp_weighted_12m: Option<AnyNumeric>,
    paid_items_12m: Option<i64>,
    open_amount: Option<AnyNumeric>,
    past_due_amount: Option<AnyNumeric>,
    oldest_past_due_days: Option<i32>,
    credit_utilisation: Option<AnyNumeric>,
    broken_promises_90d: Option<i64>,
    open_disputes: Option<i64>,
    policy: default!(Option<PolicyArg>, "'{}'"),
) -> TableIterator<'static, (name!(score, AnyNumeric), name!(rating, String), name!(risk_segment, String), name!(reasons, Vec<String>))> {
    let p = policy_cached(policy.as_ref());
    let i = Inputs {
        payment_index,
        days_beyond_terms_weighted_12m: float("days_beyond_terms_weighted_12m", days_beyond_terms_weighted_12m),
        adtp_weighted_90d: float("adtp_weighted_90d", adtp_weighted_90d),
        adtp_weighted_12m: float("adtp_weighted_12m", adtp_weighted_12m),
        paid_items_12m: paid_items_12m.unwrap_or(0),
        open_amount: float("open_amount", open_amount).unwrap_or(0.0),
        past_due_amount: float("past_due_amount", past_due_amount).unwrap_or(0.0),
        oldest_past_due_days: oldest_past_due_days.unwrap_or(0),
        credit_utilisation: float("credit_utilisation", credit_utilisation),
        broken_promises_90d: broken_promises_90d.unwrap_or(0),
        open_disputes: open_disputes.unwrap_or(0),
    };
    let a = assess(&i, &p);
    let score = AnyNumeric::try_from(format!("{:.1}", a.score).as_str()).unwrap_or_default();
    TableIterator::once((score, a.rating.to_string(), a.segment.to_string(), a.reasons))
}

/// The effective policy (defaults overlaid with `policy`), or an ERROR naming what is wrong.
#[pg_extern(immutable, parallel_safe, schema = "ar")]
fn validate_rating_policy(policy: Option<JsonB>) -> JsonB {
    let p = policy_from(policy.as_ref());
    let mut m = serde_json::Map::new();
    for (w, f) in p.weights.iter().zip(FACTORS) {
        m.insert(format!("weight_{f}"), json!(w));
    }
    m.insert("min_paid_items".into(), json!(p.min_paid_items));
    m.insert("slip_full_days".into(), json!(p.slip_full_days));
    m.insert("oldest_full_days".into(), json!(p.oldest_full_days));
    m.insert("utilisation_start".into(), json!(p.utilisation_start));
    m.insert("utilisation_full".into(), json!(p.utilisation_full));
    m.insert("promises_full".into(), json!(p.promises_full));
    m.insert("disputes_full".into(), json!(p.disputes_full));
    m.insert("slip_warning_days".into(), json!(p.slip_warning_days));
    m.insert("slip_warning_share".into(), json!(p.slip_warning_share));
    m.insert("rating_bounds".into(), json!(p.rating_bounds));
    JsonB(serde_json::Value::Object(m))
}
