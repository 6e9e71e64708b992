//! Parsers for staged text fields (ar.sync, docs/loading.md): a malformed field is
//! `None` (its row is then rejected with a reason), never an error. Byte-exact rules:
//! - date: exactly `YYYY-MM-DD` (the caller trims spaces), a real calendar day, year 0001-9999;
//! - whole number: optional ASCII whitespace, an optional sign, 1 to 9 digits;
//! - decimal: optional ASCII whitespace, an optional sign, digits with at most one point
//!   (`5`, `5.`, `.5`, `5.50`), at most 40 bytes in all; no exponent, no separators.

use crate::dates::{civil_from_pg_days, pg_days_from_civil};
use crate::numeric::Dec;

fn digit_value(b: &[u8]) -> Option<u32> {
    b.iter().try_fold(0u32, |acc, &c| c.is_ascii_digit().then(|| acc * 10 + (c - b'0') as u32))
}

/// A `YYYY-MM-DD` date as a Postgres day number (days since 2000-01-01).
pub fn iso_date(b: &[u8]) -> Option<i32> {
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let (y, m, d) = (digit_value(&b[0..4])?, digit_value(&b[5..7])?, digit_value(&b[8..10])?);
    if y == 0 || !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    // a real calendar day: the one calendar of dates.rs gives the same date back
    // (2026-02-30 would come back as 2026-03-02)
    let days = pg_days_from_civil(y as i64, m, d) as i32;
    (civil_from_pg_days(days) == (y as i64, m, d)).then_some(days)
}

/// Postgres' regex `\s` in ASCII: space, tab, newline, vertical tab, form feed, return.
fn trim_space(b: &[u8]) -> &[u8] {
    let sp = |c: &u8| matches!(c, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r');
    let start = b.iter().position(|c| !sp(c)).unwrap_or(b.len());
    let end = b.iter().rposition(|c| !sp(c)).map_or(start, |e| e + 1);
    &b[start..end]
}

fn split_sign(b: &[u8]) -> (bool, &[u8]) {
    match b.first() {
        Some(b'-') => (true, &b[1..]),
        Some(b'+') => (false, &b[1..]),
        _ => (false, b),
    }
}

/// A whole number of at most 9 digits.
pub fn whole_number(b: &[u8]) -> Option<i32> {
    let (neg, digits) = split_sign(trim_space(b));
    if digits.is_empty() || digits.len() > 9 {
        return None;
    }
    let v = digit_value(digits)? as i32;
    Some(if neg { -v } else { v })
}

/// A plain decimal: `Some(Ok(dec))` when its digits fit 38 places, `Some(Err(text))`
/// (the trimmed text, for Postgres' own numeric input) when they do not, `None` when
/// malformed.
pub fn decimal(b: &[u8]) -> Option<Result<Dec, &[u8]>> {
    if b.len() > 40 {
        return None;
    }
    let t = trim_space(b);
    let (neg, body) = split_sign(t);
    let (int, frac) = match body.iter().position(|&c| c == b'.') {
        Some(p) => (&body[..p], &body[p + 1..]),
        None => (body, &body[body.len()..]),
    };
    if (int.is_empty() && frac.is_empty())
        || !int.iter().all(u8::is_ascii_digit)
        || !frac.iter().all(u8::is_ascii_digit)
    {
        return None;
    }
    if int.len() + frac.len() > 38 {
        return Some(Err(t));
    }
    let m = int.iter().chain(frac).fold(0i128, |acc, &c| acc * 10 + (c - b'0') as i128);
    Some(Ok(Dec { mantissa: if neg { -m } else { m }, scale: frac.len() as u16 }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dates::parse_pg_date;

    #[test]
    fn dates() {
        assert_eq!(iso_date(b"2026-06-30"), parse_pg_date("2026-06-30"));
        assert_eq!(iso_date(b"2024-02-29"), parse_pg_date("2024-02-29")); // leap year
        assert_eq!(iso_date(b"2000-02-29"), parse_pg_date("2000-02-29")); // divisible by 400
        assert_eq!(iso_date(b"1900-02-29"), None); // divisible by 100, not 400
        assert_eq!(iso_date(b"2026-02-29"), None);
        assert_eq!(iso_date(b"2026-04-31"), None);
        assert_eq!(iso_date(b"2026-13-01"), None);
        assert_eq!(iso_date(b"2026-00-10"), None);
        assert_eq!(iso_date(b"2026-01-00"), None);
        assert_eq!(iso_date(b"0000-01-01"), None);
        assert_eq!(iso_date(b"0001-01-01"), parse_pg_date("0001-01-01"));
        assert_eq!(iso_date(b"9999-12-31"), parse_pg_date("9999-12-31"));
        for bad in [&b"2026-6-30"[..], b"2026/06/30", b"26-06-30", b"2026-06-30 ", b"", b"2026-06-3x", b"+026-06-30"] {
            assert_eq!(iso_date(bad), None, "{}", String::from_utf8_lossy(bad));
        }
    }

    #[test]
    fn whole_numbers() {
        assert_eq!(whole_number(b"30"), Some(30));
        assert_eq!(whole_number(b" \t-7 "), Some(-7));
        assert_eq!(whole_number(b"+0"), Some(0));
        assert_eq!(whole_number(b"999999999"), Some(999_999_999));
        for bad in [&b"1000000000"[..], b"", b" ", b"-", b"3.0", b"1e3", b"3 0", b"\xc2\xa030"] {
            assert_eq!(whole_number(bad), None, "{}", String::from_utf8_lossy(bad));
        }
    }

    #[test]
    fn decimals() {
        let ok = |s: &str| match decimal(s.as_bytes()) {
            Some(Ok(d)) => (d.mantissa, d.scale),
            other => panic!("{s}: {other:?}"),
        };
        assert_eq!(ok("100.50"), (10050, 2)); // scale as written, like numeric input
        assert_eq!(ok(" 5. "), (5, 0));
        assert_eq!(ok(".5"), (5, 1));
        assert_eq!(ok("-0.00"), (0, 2));
        assert_eq!(ok("+12"), (12, 0));
        assert_eq!(ok("007"), (7, 0));
        assert_eq!(decimal(b"12345678901234567890123456789012345678.9"), Some(Err(&b"12345678901234567890123456789012345678.9"[..])));
        for bad in [&b""[..], b".", b"-", b"1e5", b"1,000.00", b"1.2.3", b"$5", b"5 5", b"\xc2\xa05", b"12345678901234567890123456789012345678901"] {
            assert_eq!(decimal(bad), None, "{}", String::from_utf8_lossy(bad));
        }
    }
}
