//! `ar.payment_stats(invoice_date, due_date, payment_date, amount) -> ar.paymentstats`
//! and its accessors. Definitions: docs/metrics.md, section "Payment behaviour".

use super::*;
use crate::v1;
use ar_core::dates::format_pg_date;
use ar_core::numeric::Dec;
use ar_core::payment::PaymentState;
use ar_core::summary_text::{payment_from_text, payment_to_text};

impl State for PaymentState {
    const TYPE: &'static str = "ar.paymentstats";
    fn to_bytes(&self) -> Vec<u8> {
        PaymentState::to_bytes(self)
    }
    fn from_bytes(b: &[u8]) -> Result<Self, StateErr> {
        PaymentState::from_bytes(b)
    }
    fn merge(&mut self, o: &Self) -> Result<(), StateErr> {
        PaymentState::merge(self, o)
    }
}

const AGG: &str = "ar.payment_stats";

fn null_arg(name: &str) -> ! {
    raise(PgSqlErrorCode::ERRCODE_NULL_VALUE_NOT_ALLOWED, format!("{AGG}: {name} must not be NULL for a row with a payment_date and an amount"));
}

// transfn(internal, invoice_date date, due_date date, payment_date date, amount numeric)
v1!(ar_payment_stats_trans, |fc| {
    let st: *mut PaymentState = match state_arg(fc) {
        Some(p) => p,
        None => alloc_in(agg_context(fc, AGG), PaymentState::default()),
    };
    // Rows without a payment date (unpaid items) or without an amount are skipped, as sum() skips NULLs.
    if let (Some(paid), Some(amount)) = (arg(fc, 3), arg(fc, 4)) {
        let inv = finite_date("invoice_date", arg(fc, 1).unwrap_or_else(|| null_arg("invoice_date")));
        let due = finite_date("due_date", arg(fc, 2).unwrap_or_else(|| null_arg("due_date")));
        let paid = finite_date("payment_date", paid);
        if due < inv {
            raise(PgSqlErrorCode::ERRCODE_INVALID_PARAMETER_VALUE,
                format!("{AGG}: due_date {} is before invoice_date {}", format_pg_date(due), format_pg_date(inv)));
        }
        let a = numeric_arg(amount).unwrap_or_else(|e| bad_numeric("amount", e));
        if a.mantissa < 0 {
            raise(PgSqlErrorCode::ERRCODE_INVALID_PARAMETER_VALUE,
                format!("{AGG}: amount must not be negative, got {}", ar_core::numeric::to_text(a)));
        }
        (*st).add(inv, due, paid, a).unwrap_or_else(|e| state_err(AGG, e));
    }
    Datum::from(st)
});

v1!(ar_payment_stats_combine, |fc| { combine::<PaymentState>(fc, AGG) });
v1!(ar_payment_stats_serialize, |fc| { serialize::<PaymentState>(fc) });
v1!(ar_payment_stats_deserialize, |fc| { deserialize::<PaymentState>(fc, AGG) });
v1!(ar_payment_stats_rollup_trans, |fc| { rollup_trans::<PaymentState>(fc, "ar.rollup(ar.paymentstats)") });

// finalfunc(internal) -> ar.paymentstats; no rows gives an empty summary (item_count 0).
v1!(ar_payment_stats_final, |fc| {
    match state_arg::<PaymentState>(fc) {
        Some(p) => summary_datum(&*p),
        None => summary_datum(&PaymentState::default()),
    }
});

v1!(ar_paymentstats_in, |fc| {
    let s = cstring_arg(arg(fc, 0).unwrap());
    let st = payment_from_text(s).unwrap_or_else(|m| raise(PgSqlErrorCode::ERRCODE_INVALID_TEXT_REPRESENTATION, m));
    summary_datum(&st)
});
v1!(ar_paymentstats_out, |fc| { cstring_datum(&payment_to_text(&summary_arg::<PaymentState>(fc, 0).unwrap())) });
v1!(ar_paymentstats_recv, |fc| { recv::<PaymentState>(fc) });
v1!(ar_paymentstats_send, |fc| { send::<PaymentState>(fc) });

/// Accessor plumbing: read the summary, return NULL when `f` gives None.
unsafe fn accessor(fc: pg_sys::FunctionCallInfo, f: impl FnOnce(&PaymentState) -> Option<Datum>) -> Datum {
    let s = unsafe { summary_arg::<PaymentState>(fc, 0) }.unwrap();
    match f(&s) {
        Some(d) => d,
        None => unsafe { return_null(fc) },
    }
}

fn days(v: i64) -> Dec {
    Dec { mantissa: v as i128, scale: 0 }
}

/// Simple mean of a day sum over the items (NULL without items).
fn per_item(s: &PaymentState, sum: i64) -> Option<Datum> {
    ratio(days(sum), days(s.n))
}

/// Amount-weighted mean: sum(amount * days) / sum(amount) (NULL when the amount is 0).
fn per_amount(s: &PaymentState, weighted: i128) -> Option<Datum> {
    ratio(s.dec(weighted), s.dec(s.amount))
}

v1!(ar_ps_adtp, |fc| { accessor(fc, |s| per_item(s, s.days_to_pay)) });
v1!(ar_ps_adtp_weighted, |fc| { accessor(fc, |s| per_amount(s, s.amount_days_to_pay)) });
v1!(ar_ps_avg_days_late, |fc| { accessor(fc, |s| per_item(s, s.days_late)) });
v1!(ar_ps_avg_days_late_weighted, |fc| { accessor(fc, |s| per_amount(s, s.amount_days_late)) });
v1!(ar_ps_avg_days_beyond_terms, |fc| { accessor(fc, |s| per_item(s, s.days_beyond)) });
v1!(ar_ps_avg_days_beyond_terms_weighted, |fc| { accessor(fc, |s| per_amount(s, s.amount_days_beyond)) });
v1!(ar_ps_on_time_rate, |fc| { accessor(fc, |s| ratio(days(s.on_time), days(s.n))) });
v1!(ar_ps_item_count, |fc| { accessor(fc, |s| Some(Datum::from(s.n))) });
v1!(ar_ps_amount, |fc| { accessor(fc, |s| Some(numeric_datum(s.dec(s.amount)))) });
v1!(ar_ps_first_payment_date, |fc| { accessor(fc, |s| (s.n > 0).then(|| Datum::from(s.first_payment))) });
v1!(ar_ps_last_payment_date, |fc| { accessor(fc, |s| (s.n > 0).then(|| Datum::from(s.last_payment))) });
// ar.payment_index(s) = ar.payment_index(ar.avg_days_beyond_terms_weighted(s)), by construction
v1!(ar_ps_payment_index, |fc| {
    accessor(fc, |s| {
        per_amount(s, s.amount_days_beyond)
            .map(|d| Datum::from(ar_core::scores::payment_index(numeric_arg(d).unwrap_or_else(|e| bad_numeric("days beyond terms", e)))))
    })
});
