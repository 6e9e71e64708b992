//! Two-step aggregates (timescaledb-toolkit style): aggregate -> summary type ->
//! accessor functions, plus `ar.rollup(summary)` to merge summaries.
//!
//! The support functions are V1 C functions (see `raw.rs`); the shared plumbing
//! for any state lives here once, and each aggregate supplies its state type.

pub mod aging;
pub mod payment_stats;

use crate::raw::*;
use ar_core::payment::StateErr;
use pgrx::pg_sys::{self, Datum};
use pgrx::prelude::*;

/// A fixed-size, merge-able aggregate state with a byte encoding.
pub trait State: Copy {
    /// SQL name of the summary type, for messages.
    const TYPE: &'static str;
    fn to_bytes(&self) -> Vec<u8>;
    fn from_bytes(b: &[u8]) -> Result<Self, StateErr>;
    fn merge(&mut self, other: &Self) -> Result<(), StateErr>;
}

/// Turn a state error into a clear ERROR.
pub fn state_err(what: &str, e: StateErr) -> ! {
    match e {
        StateErr::Overflow => raise(PgSqlErrorCode::ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE, format!("{what}: a running total exceeds the supported range (about 38 significant digits)")),
        StateErr::BadBytes => raise(PgSqlErrorCode::ERRCODE_INVALID_BINARY_REPRESENTATION, format!("{what}: invalid or incompatible summary bytes")),
        StateErr::BoundsMismatch => raise(PgSqlErrorCode::ERRCODE_INVALID_PARAMETER_VALUE, format!("{what}: cannot combine aging summaries with different bucket bounds")),
    }
}

/// The state pointer of argument 0, if any.
#[inline(always)]
pub unsafe fn state_arg<T>(fc: pg_sys::FunctionCallInfo) -> Option<*mut T> {
    unsafe { arg(fc, 0) }.map(|d| d.cast_mut_ptr::<T>())
}

/// combinefunc(internal, internal) -> internal. Never returns the second argument as is.
pub unsafe fn combine<T: State>(fc: pg_sys::FunctionCallInfo, what: &str) -> Datum {
    unsafe {
        let ctx = agg_context(fc, what);
        match (state_arg::<T>(fc), arg(fc, 1).map(|d| d.cast_mut_ptr::<T>())) {
            (None, None) => return_null(fc),
            (Some(a), None) => Datum::from(a),
            (None, Some(b)) => Datum::from(alloc_in(ctx, *b)),
            (Some(a), Some(b)) => {
                (*a).merge(&*b).unwrap_or_else(|e| state_err(what, e));
                Datum::from(a)
            }
        }
    }
}

/// serialfunc(internal) -> bytea (strict).
pub unsafe fn serialize<T: State>(fc: pg_sys::FunctionCallInfo) -> Datum {
    unsafe { varlena_datum(&(*state_arg::<T>(fc).unwrap()).to_bytes()) }
}

/// deserialfunc(bytea, internal) -> internal (strict).
pub unsafe fn deserialize<T: State>(fc: pg_sys::FunctionCallInfo, what: &str) -> Datum {
    unsafe {
        let ctx = agg_context(fc, what);
        let st = T::from_bytes(varlena_bytes(arg(fc, 0).unwrap())).unwrap_or_else(|e| state_err(what, e));
        Datum::from(alloc_in(ctx, st))
    }
}

/// Read a summary value (argument `i`).
pub unsafe fn summary_arg<T: State>(fc: pg_sys::FunctionCallInfo, i: usize) -> Option<T> {
    unsafe { arg(fc, i) }.map(|d| T::from_bytes(unsafe { varlena_bytes(d) }).unwrap_or_else(|e| state_err(T::TYPE, e)))
}

/// A summary datum from a state.
pub fn summary_datum<T: State>(st: &T) -> Datum {
    varlena_datum(&st.to_bytes())
}

/// rollup transition (internal, summary) -> internal: merge summaries.
pub unsafe fn rollup_trans<T: State>(fc: pg_sys::FunctionCallInfo, what: &str) -> Datum {
    unsafe {
        let ctx = agg_context(fc, what);
        let cur = state_arg::<T>(fc);
        match (cur, summary_arg::<T>(fc, 1)) {
            (None, None) => return_null(fc),
            (Some(a), None) => Datum::from(a),
            (None, Some(s)) => Datum::from(alloc_in(ctx, s)),
            (Some(a), Some(s)) => {
                (*a).merge(&s).unwrap_or_else(|e| state_err(what, e));
                Datum::from(a)
            }
        }
    }
}

/// typreceive(internal) -> summary: the binary form is the state bytes, validated.
pub unsafe fn recv<T: State>(fc: pg_sys::FunctionCallInfo) -> Datum {
    unsafe {
        let buf = arg(fc, 0).unwrap().cast_mut_ptr::<pg_sys::StringInfoData>();
        let len = ((*buf).len - (*buf).cursor) as usize;
        let bytes = std::slice::from_raw_parts(((*buf).data as *const u8).add((*buf).cursor as usize), len);
        let st = T::from_bytes(bytes).unwrap_or_else(|e| state_err(T::TYPE, e));
        (*buf).cursor = (*buf).len;
        summary_datum(&st)
    }
}

/// typsend(summary) -> bytea.
pub unsafe fn send<T: State>(fc: pg_sys::FunctionCallInfo) -> Datum {
    unsafe { varlena_datum(&summary_arg::<T>(fc, 0).unwrap().to_bytes()) }
}
