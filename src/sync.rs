//! Parsers for the staged text of ar.sync (sql/sync/sync.sql, docs/loading.md): V1
//! functions over the text's bytes, returning NULL for a malformed field so that a
//! bad value rejects its row only. The rules are in `ar_core::parse`. They replace
//! SQL versions (regular expressions and casts) that cost 2 to 5 microseconds a field.

use crate::raw::{arg, cstring_datum, numeric_datum, return_null, varlena_bytes};
use crate::v1;
use ar_core::parse;
use pgrx::pg_sys::{self, Datum};

// ar._parse_date(text) → date (the caller trims spaces)
v1!(ar_parse_date, |fc| {
    let Some(t) = arg(fc, 0) else { return return_null(fc) };
    match parse::iso_date(varlena_bytes(t)) {
        Some(days) => Datum::from(days),
        None => return_null(fc),
    }
});

// ar._parse_integer(text) → integer
v1!(ar_parse_integer, |fc| {
    let Some(t) = arg(fc, 0) else { return return_null(fc) };
    match parse::whole_number(varlena_bytes(t)) {
        Some(v) => Datum::from(v),
        None => return_null(fc),
    }
});

// ar._parse_numeric(text) → numeric, scale as written
v1!(ar_parse_numeric, |fc| {
    let Some(t) = arg(fc, 0) else { return return_null(fc) };
    match parse::decimal(varlena_bytes(t)) {
        Some(Ok(d)) => numeric_datum(d),
        // more than 38 digits: Postgres' own numeric input (the text is plain ASCII)
        Some(Err(text)) => pgrx::direct_function_call_as_datum(
            pg_sys::numeric_in,
            &[Some(cstring_datum(std::str::from_utf8_unchecked(text))), Some(Datum::from(pg_sys::InvalidOid)), Some(Datum::from(-1i32))],
        )
        .unwrap_or_else(|| return_null(fc)),
        None => return_null(fc),
    }
});
