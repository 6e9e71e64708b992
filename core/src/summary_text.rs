//! Human-readable text form of the summary types (their `output` and `input`).
//!
//! `ar.paymentstats`:  `(items=2,on_time=1,days_to_pay=65,days_late=15,days_beyond=5,amount=400.00,
//! amount_days_to_pay=15500.00,amount_days_late=4500.00,amount_days_beyond=3500.00,first_payment=2000-01-21,last_payment=2000-02-15)`
//! `ar.agingsummary`:  `(bounds={30,60,90,120},current=100.00/1,1-30=50.50/1,...)` (amount/count per bucket)
//! Both parse back to the identical state.

use crate::aging::{validate_bounds, AgingState};
use crate::dates::{format_pg_date, parse_pg_date};
use crate::numeric::{from_text, to_text, upscale, Dec};
use crate::payment::PaymentState;

pub fn payment_to_text(s: &PaymentState) -> String {
    let mut out = format!(
        "(items={},on_time={},days_to_pay={},days_late={},days_beyond={},amount={},amount_days_to_pay={},amount_days_late={},amount_days_beyond={}",
        s.n,
        s.on_time,
        s.days_to_pay,
        s.days_late,
        s.days_beyond,
        to_text(s.dec(s.amount)),
        to_text(s.dec(s.amount_days_to_pay)),
        to_text(s.dec(s.amount_days_late)),
        to_text(s.dec(s.amount_days_beyond)),
    );
    if s.n > 0 {
        out.push_str(&format!(",first_payment={},last_payment={}", format_pg_date(s.first_payment), format_pg_date(s.last_payment)));
    }
    out.push(')');
    out
}

fn fields(s: &str) -> Option<Vec<(&str, &str)>> {
    let body = s.trim().strip_prefix('(')?.strip_suffix(')')?;
    body.split(',').map(|kv| kv.trim().split_once('=')).collect()
}

pub fn payment_from_text(s: &str) -> Result<PaymentState, String> {
    let bad = || format!("invalid ar.paymentstats text {s:?}; expected the form written by its output, e.g. (items=0,on_time=0,days_to_pay=0,days_late=0,days_beyond=0,amount=0,amount_days_to_pay=0,amount_days_late=0,amount_days_beyond=0)");
    let f = fields(s).ok_or_else(bad)?;
    let get = |k: &str| f.iter().find(|(key, _)| *key == k).map(|(_, v)| *v);
    let int = |k: &str| get(k).and_then(|v| v.parse::<i64>().ok()).ok_or_else(bad);
    let dec = |k: &str| get(k).and_then(from_text).ok_or_else(bad);
    let amounts = [dec("amount")?, dec("amount_days_to_pay")?, dec("amount_days_late")?, dec("amount_days_beyond")?];
    let scale = amounts.iter().map(|d| d.scale).max().unwrap();
    let up = |d: Dec| upscale(d.mantissa, d.scale, scale).ok_or_else(bad);
    let n = int("items")?;
    let (first, last) = if n > 0 {
        (get("first_payment").and_then(parse_pg_date).ok_or_else(bad)?, get("last_payment").and_then(parse_pg_date).ok_or_else(bad)?)
    } else {
        (0, 0)
    };
    let on_time = int("on_time")?;
    if n < 0 || on_time < 0 || on_time > n {
        return Err(bad());
    }
    Ok(PaymentState {
        n,
        on_time,
        days_to_pay: int("days_to_pay")?,
        days_late: int("days_late")?,
        days_beyond: int("days_beyond")?,
        scale,
        amount: up(amounts[0])?,
        amount_days_to_pay: up(amounts[1])?,
        amount_days_late: up(amounts[2])?,
        amount_days_beyond: up(amounts[3])?,
        first_payment: first,
        last_payment: last,
    })
}

pub fn aging_to_text(s: &AgingState) -> String {
    let bounds: Vec<String> = s.bounds().iter().map(|b| b.to_string()).collect();
    let mut out = format!("(bounds={{{}}}", bounds.join(";"));
    for (i, label) in s.labels().iter().enumerate() {
        out.push_str(&format!(",{}={}/{}", label, to_text(Dec { mantissa: s.amounts[i], scale: s.scale }), s.counts[i]));
    }
    out.push(')');
    out
}

pub fn aging_from_text(s: &str) -> Result<AgingState, String> {
    let bad = || format!("invalid ar.agingsummary text {s:?}; expected the form written by its output, e.g. (bounds={{30;60;90;120}},current=0/0,1-30=0/0,31-60=0/0,61-90=0/0,91-120=0/0,121+=0/0)");
    let f = fields(s).ok_or_else(bad)?;
    let (k0, b) = f.first().ok_or_else(bad)?;
    if *k0 != "bounds" {
        return Err(bad());
    }
    let inner = b.strip_prefix('{').and_then(|x| x.strip_suffix('}')).ok_or_else(bad)?;
    let bounds: Vec<i32> = inner.split(';').map(|x| x.parse().map_err(|_| bad())).collect::<Result<_, _>>()?;
    validate_bounds(&bounds).map_err(|e| format!("{}: {e}", bad()))?;
    let mut st = AgingState::new(&bounds);
    let labels = st.labels();
    if f.len() != labels.len() + 1 {
        return Err(bad());
    }
    let mut parsed = Vec::new();
    for ((k, v), label) in f[1..].iter().zip(&labels) {
        if k != label {
            return Err(bad());
        }
        let (a, c) = v.split_once('/').ok_or_else(bad)?;
        parsed.push((from_text(a).ok_or_else(bad)?, c.parse::<i64>().map_err(|_| bad())?));
    }
    st.scale = parsed.iter().map(|(d, _)| d.scale).max().unwrap_or(0);
    for (i, (d, c)) in parsed.into_iter().enumerate() {
        st.amounts[i] = upscale(d.mantissa, d.scale, st.scale).ok_or_else(bad)?;
        st.counts[i] = c;
    }
    Ok(st)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payment_text_round_trip() {
        let mut s = PaymentState::default();
        assert_eq!(payment_from_text(&payment_to_text(&s)).unwrap(), s);
        s.add(0, 30, 20, Dec { mantissa: 10000, scale: 2 }).unwrap();
        s.add(0, 30, 45, Dec { mantissa: 30000, scale: 2 }).unwrap();
        let t = payment_to_text(&s);
        assert_eq!(t, "(items=2,on_time=1,days_to_pay=65,days_late=15,days_beyond=5,amount=400.00,amount_days_to_pay=15500.00,amount_days_late=4500.00,amount_days_beyond=3500.00,first_payment=2000-01-21,last_payment=2000-02-15)");
        assert_eq!(payment_from_text(&t).unwrap(), s);
        assert!(payment_from_text("(items=x)").is_err());
    }

    #[test]
    fn aging_text_round_trip() {
        let mut s = AgingState::new(&[15, 45]);
        s.add(Dec { mantissa: 1050, scale: 2 }, 20).unwrap();
        let t = aging_to_text(&s);
        assert_eq!(t, "(bounds={15;45},current=0.00/0,1-15=0.00/0,16-45=10.50/1,46+=0.00/0)");
        assert_eq!(aging_from_text(&t).unwrap(), s);
        assert!(aging_from_text("(bounds={45;15},current=0/0)").is_err());
    }
}
