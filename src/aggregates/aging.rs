//! `ar.aging(open_amount, days_past_due [, bounds]) -> ar.agingsummary` and its
//! accessors. Definitions: docs/metrics.md, section "Aging".

use super::*;
use crate::v1;
use ar_core::aging::{bucket_labels, validate_bounds, AgingBytes, AgingState};
use ar_core::summary_text::{aging_from_text, aging_to_text};

/// Transition state: the summary state plus the raw bytes of the bounds array
/// last seen, so the bounds are parsed once per group (a byte compare per row
/// proves later rows carry the same bounds).
#[derive(Clone, Copy)]
pub struct AgingTrans {
    st: AgingState,
    raw_len: usize,
    raw: [u8; 128],
}

impl AgingTrans {
    fn new(st: AgingState) -> Self {
        AgingTrans { st, raw_len: 0, raw: [0; 128] }
    }
    fn remember(&mut self, raw: &[u8]) {
        if raw.len() <= self.raw.len() {
            self.raw[..raw.len()].copy_from_slice(raw);
            self.raw_len = raw.len();
        }
    }
    fn same_bounds(&self, raw: &[u8]) -> bool {
        self.raw_len > 0 && &self.raw[..self.raw_len] == raw
    }
}

impl State for AgingTrans {
    const TYPE: &'static str = "ar.agingsummary";
    fn to_bytes(&self) -> Vec<u8> {
        self.st.to_bytes()
    }
    fn from_bytes(b: &[u8]) -> Result<Self, StateErr> {
        Ok(AgingTrans::new(AgingState::from_bytes(b)?))
    }
    fn merge(&mut self, o: &Self) -> Result<(), StateErr> {
        self.st.merge(&o.st)
    }
}

const AGG: &str = "ar.aging";

/// Parse and validate a bounds int[] argument.
pub fn bounds_from_datum(d: Datum) -> Vec<i32> {
    let v = unsafe { <Vec<Option<i32>> as FromDatum>::from_polymorphic_datum(d, false, pg_sys::INT4ARRAYOID) }.unwrap_or_default();
    let b: Vec<i32> = v
        .iter()
        .enumerate()
        .map(|(i, x)| x.unwrap_or_else(|| raise(PgSqlErrorCode::ERRCODE_NULL_VALUE_NOT_ALLOWED, format!("bounds[{}] is NULL; bucket bounds must not contain NULLs", i + 1))))
        .collect();
    validate_bounds(&b).unwrap_or_else(|e| raise(PgSqlErrorCode::ERRCODE_INVALID_PARAMETER_VALUE, e.to_string()));
    b
}

unsafe fn add_row(fc: pg_sys::FunctionCallInfo, st: *mut AgingTrans) -> Datum {
    unsafe {
        // Rows with a NULL amount are skipped, as sum() skips NULLs.
        if let Some(amount) = arg(fc, 1) {
            let dpd = arg(fc, 2).unwrap_or_else(|| raise(PgSqlErrorCode::ERRCODE_NULL_VALUE_NOT_ALLOWED, format!("{AGG}: days_past_due must not be NULL for a row with an open_amount")));
            let a = numeric_arg(amount).unwrap_or_else(|e| bad_numeric("open_amount", e));
            (*st).st.add(a, dpd.value() as i32).unwrap_or_else(|e| state_err(AGG, e));
        }
        Datum::from(st)
    }
}

// transfn(internal, open_amount numeric, days_past_due integer): standard buckets
v1!(ar_aging_trans, |fc| {
    let st = match state_arg::<AgingTrans>(fc) {
        Some(p) => p,
        None => alloc_in(agg_context(fc, AGG), AgingTrans::new(AgingState::standard())),
    };
    add_row(fc, st)
});

// transfn(internal, open_amount numeric, days_past_due integer, bounds integer[])
v1!(ar_aging_bounds_trans, |fc| {
    let bounds = arg(fc, 3).unwrap_or_else(|| raise(PgSqlErrorCode::ERRCODE_NULL_VALUE_NOT_ALLOWED, format!("{AGG}: bounds must not be NULL")));
    let st = match state_arg::<AgingTrans>(fc) {
        Some(p) => {
            let raw = varlena_bytes(bounds);
            if !(*p).same_bounds(raw) {
                let b = bounds_from_datum(bounds);
                if b != (*p).st.bounds() {
                    raise(PgSqlErrorCode::ERRCODE_INVALID_PARAMETER_VALUE, format!("{AGG}: bounds must be the same for every row of a group, got {:?} after {:?}", b, (*p).st.bounds()));
                }
                (*p).remember(raw);
            }
            p
        }
        None => {
            let b = bounds_from_datum(bounds);
            let mut t = AgingTrans::new(AgingState::new(&b));
            t.remember(varlena_bytes(bounds));
            alloc_in(agg_context(fc, AGG), t)
        }
    };
    add_row(fc, st)
});

v1!(ar_aging_combine, |fc| { combine::<AgingTrans>(fc, AGG) });
v1!(ar_aging_serialize, |fc| { serialize::<AgingTrans>(fc) });
v1!(ar_aging_deserialize, |fc| { deserialize::<AgingTrans>(fc, AGG) });
v1!(ar_aging_rollup_trans, |fc| { rollup_trans::<AgingTrans>(fc, "ar.rollup(ar.agingsummary)") });

// finalfunc(internal) -> ar.agingsummary. No rows: empty standard buckets
// (the bounds overload returns NULL instead: without a row its bounds are unknown).
v1!(ar_aging_final, |fc| {
    match state_arg::<AgingTrans>(fc) {
        Some(p) => summary_datum(&*p),
        None => summary_datum(&AgingTrans::new(AgingState::standard())),
    }
});
v1!(ar_aging_bounds_final, |fc| {
    match state_arg::<AgingTrans>(fc) {
        Some(p) => summary_datum(&*p),
        None => return_null(fc),
    }
});

v1!(ar_agingsummary_in, |fc| {
    let s = cstring_arg(arg(fc, 0).unwrap());
    let st = aging_from_text(s).unwrap_or_else(|m| raise(PgSqlErrorCode::ERRCODE_INVALID_TEXT_REPRESENTATION, m));
    summary_datum(&AgingTrans::new(st))
});
v1!(ar_agingsummary_out, |fc| { cstring_datum(&aging_to_text(&summary_arg::<AgingTrans>(fc, 0).unwrap().st)) });
v1!(ar_agingsummary_recv, |fc| { recv::<AgingTrans>(fc) });
v1!(ar_agingsummary_send, |fc| { send::<AgingTrans>(fc) });

fn summary(fc: pg_sys::FunctionCallInfo) -> AgingState {
    unsafe { summary_arg::<AgingTrans>(fc, 0) }.unwrap().st
}

/// The summary of argument 0 as bytes read in place (the accessors read a few fields).
fn summary_bytes<'a>(fc: pg_sys::FunctionCallInfo) -> AgingBytes<'a> {
    AgingBytes::new(unsafe { varlena_bytes(arg(fc, 0).unwrap()) }).unwrap_or_else(|e| state_err(AgingTrans::TYPE, e))
}

/// The bucket named by argument 1, or an ERROR listing the valid names.
fn bucket(fc: pg_sys::FunctionCallInfo, s: &AgingBytes) -> usize {
    let label = unsafe { pgrx::varlena::text_to_rust_str(arg(fc, 1).unwrap().cast_mut_ptr()) }.unwrap_or("");
    s.find(label).unwrap_or_else(|| {
        raise(PgSqlErrorCode::ERRCODE_INVALID_PARAMETER_VALUE, format!("unknown aging bucket {label:?}; this summary's buckets are {}", bucket_labels(s.bounds()).join(", ")))
    })
}

fn money(scale: u16, m: i128) -> Datum {
    numeric_datum(ar_core::numeric::Dec { mantissa: m, scale })
}

v1!(ar_ag_bucket_amount, |fc| { let s = summary_bytes(fc); let i = bucket(fc, &s); money(s.scale(), s.amount(i)) });
v1!(ar_ag_bucket_count, |fc| { let s = summary_bytes(fc); let i = bucket(fc, &s); Datum::from(s.count(i)) });
v1!(ar_ag_total, |fc| { let s = summary_bytes(fc); money(s.scale(), s.total()) });
v1!(ar_ag_past_due, |fc| { let s = summary_bytes(fc); money(s.scale(), s.past_due()) });
v1!(ar_ag_item_count, |fc| { Datum::from(summary_bytes(fc).total_count()) });
v1!(ar_ag_bucket_labels, |fc| { summary(fc).labels().into_datum().unwrap() });
v1!(ar_ag_bounds, |fc| { summary(fc).bounds().to_vec().into_datum().unwrap() });
