//! Plumbing for functions written against Postgres' V1 calling convention.
//!
//! The hot aggregate support functions and the summary types' I/O are plain
//! `extern "C-unwind"` functions declared with `CREATE FUNCTION ... LANGUAGE c`
//! in `sql/`: this reads dates as raw day numbers and numerics straight from
//! their bytes (no copy, no text), and sidesteps pgrx 0.18's aggregate macro,
//! whose deserialize signature is wrong for parallel aggregates (pgrx #2351).

use ar_core::numeric::{self, Dec, NumErr};
use pgrx::pg_sys::{self, Datum};
use pgrx::prelude::*;

/// Declare a V1 function `$name` (symbol and `pg_finfo_$name`) with a guarded body.
#[macro_export]
macro_rules! v1 {
    ($name:ident, |$fc:ident| $body:block) => {
        paste::paste! {
            #[unsafe(no_mangle)]
            #[doc(hidden)]
            pub extern "C" fn [<pg_finfo_ $name>]() -> &'static pgrx::pg_sys::Pg_finfo_record {
                const V1_API: pgrx::pg_sys::Pg_finfo_record = pgrx::pg_sys::Pg_finfo_record { api_version: 1 };
                &V1_API
            }
            #[unsafe(no_mangle)]
            pub unsafe extern "C-unwind" fn $name($fc: pgrx::pg_sys::FunctionCallInfo) -> pgrx::pg_sys::Datum {
                // Rust panics and Postgres ERRORs cross this boundary safely (as #[pg_guard] does).
                #[allow(unused_unsafe)]
                unsafe { pgrx::pg_sys::submodules::panic::pgrx_extern_c_guard(move || $body) }
            }
        }
    };
}

/// Raise an ERROR with a SQLSTATE; never returns.
pub fn raise(code: PgSqlErrorCode, msg: impl Into<String>) -> ! {
    let msg: String = msg.into();
    ereport!(ERROR, code, msg);
}

/// Argument `i`, or None when it is SQL NULL.
#[inline(always)]
pub unsafe fn arg(fcinfo: pg_sys::FunctionCallInfo, i: usize) -> Option<Datum> {
    unsafe {
        let a = (*fcinfo).args.as_slice((*fcinfo).nargs as usize)[i];
        if a.isnull { None } else { Some(a.value) }
    }
}

#[inline(always)]
pub unsafe fn return_null(fcinfo: pg_sys::FunctionCallInfo) -> Datum {
    unsafe { (*fcinfo).isnull = true };
    Datum::from(0usize)
}

/// The aggregate memory context, or an ERROR when called outside an aggregate.
pub unsafe fn agg_context(fcinfo: pg_sys::FunctionCallInfo, what: &str) -> pg_sys::MemoryContext {
    let mut ctx: pg_sys::MemoryContext = std::ptr::null_mut();
    if unsafe { pg_sys::AggCheckCallContext(fcinfo, &mut ctx) } == 0 {
        raise(PgSqlErrorCode::ERRCODE_FEATURE_NOT_SUPPORTED, format!("{what} called in non-aggregate context"));
    }
    ctx
}

/// Move `value` into `ctx`, 16-byte aligned (palloc only guarantees 8, i128 wants 16).
pub unsafe fn alloc_in<T: Copy>(ctx: pg_sys::MemoryContext, value: T) -> *mut T {
    unsafe {
        let raw = pg_sys::MemoryContextAlloc(ctx, std::mem::size_of::<T>() + 16) as usize;
        let p = ((raw + 15) & !15) as *mut T;
        p.write(value);
        p
    }
}

/// The bytes of a varlena datum (detoasted; short headers read in place).
/// A plain inline value (the usual case for a numeric in a row) is read without
/// calling into Postgres; only compressed or out-of-line values are detoasted.
#[inline]
pub unsafe fn varlena_bytes<'a>(d: Datum) -> &'a [u8] {
    unsafe {
        let p = d.cast_mut_ptr::<pg_sys::varlena>();
        if !pgrx::varlena::varatt_is_1b_e(p) && !pgrx::varlena::varatt_is_4b_c(p) {
            return std::slice::from_raw_parts(pgrx::varlena::vardata_any(p) as *const u8, pgrx::varlena::varsize_any_exhdr(p));
        }
        let v = pg_sys::pg_detoast_datum_packed(p);
        std::slice::from_raw_parts(pgrx::varlena::vardata_any(v) as *const u8, pgrx::varlena::varsize_any_exhdr(v))
    }
}

/// A new varlena (bytea, numeric or our summaries) holding `payload`.
pub fn varlena_datum(payload: &[u8]) -> Datum {
    unsafe {
        let total = payload.len() + pg_sys::VARHDRSZ;
        let p = pg_sys::palloc(total) as *mut pg_sys::varlena;
        pgrx::varlena::set_varsize_4b(p, total as i32);
        std::ptr::copy_nonoverlapping(payload.as_ptr(), (p as *mut u8).add(pg_sys::VARHDRSZ), payload.len());
        Datum::from(p)
    }
}

/// Decode a numeric datum exactly.
#[inline]
pub unsafe fn numeric_arg(d: Datum) -> Result<Dec, NumErr> {
    numeric::decode(unsafe { varlena_bytes(d) })
}

pub fn numeric_datum(d: Dec) -> Datum {
    varlena_datum(&numeric::encode(d))
}

/// `num / den` with Postgres' own numeric division, so results match plain SQL
/// `sum(x) / sum(y)` digit for digit. NULL (None) when `den` is zero.
pub fn ratio(num: Dec, den: Dec) -> Option<Datum> {
    if den.mantissa == 0 {
        return None;
    }
    unsafe { pgrx::direct_function_call_as_datum(pg_sys::numeric_div, &[Some(numeric_datum(num)), Some(numeric_datum(den))]) }
}

/// ERROR for an unusable numeric argument, naming it.
pub fn bad_numeric(arg_name: &str, e: NumErr) -> ! {
    let code = match e {
        NumErr::OutOfRange => PgSqlErrorCode::ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE,
        _ => PgSqlErrorCode::ERRCODE_INVALID_PARAMETER_VALUE,
    };
    raise(code, format!("{arg_name} must be a finite number, got {}", e.describe()));
}

pub const DATE_NOBEGIN: i32 = i32::MIN;
pub const DATE_NOEND: i32 = i32::MAX;

/// A date argument as a day number; infinite dates are an ERROR naming the argument.
#[inline(always)]
pub fn finite_date(arg_name: &str, d: Datum) -> i32 {
    let v = d.value() as i32;
    if v == DATE_NOBEGIN || v == DATE_NOEND {
        raise(PgSqlErrorCode::ERRCODE_DATETIME_FIELD_OVERFLOW, format!("{arg_name} must be a finite date, got {}", if v == DATE_NOEND { "infinity" } else { "-infinity" }));
    }
    v
}

/// A NUL-terminated copy of `s` in the current memory context.
pub fn cstring_datum(s: &str) -> Datum {
    unsafe {
        let p = pg_sys::palloc(s.len() + 1) as *mut u8;
        std::ptr::copy_nonoverlapping(s.as_ptr(), p, s.len());
        *p.add(s.len()) = 0;
        Datum::from(p)
    }
}

pub unsafe fn cstring_arg<'a>(d: Datum) -> &'a str {
    unsafe { std::ffi::CStr::from_ptr(d.cast_mut_ptr()) }.to_str().unwrap_or_else(|_| {
        raise(PgSqlErrorCode::ERRCODE_CHARACTER_NOT_IN_REPERTOIRE, "input is not valid UTF-8")
    })
}
