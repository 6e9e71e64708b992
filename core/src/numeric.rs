//! Exact decoding and encoding of PostgreSQL's on-disk `numeric` format.
//!
//! A `numeric` datum (after its varlena header, which the caller strips) is
//! either a *short* header `u16` or a *long* header `u16 sign_dscale, i16 weight`,
//! followed by base-10000 digits (`i16` each, native byte order). Its value is
//! `sum(digit[i] * 10000^(weight - i))`, shown with `dscale` decimals.
//!
//! We turn it into a [`Dec`]: an `i128` mantissa and a decimal scale, so that
//! `value = mantissa / 10^scale` exactly, with `scale == dscale`. No floats and
//! no text are involved; anything that does not fit is reported, never rounded.

/// An exact decimal: `mantissa / 10^scale`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dec {
    pub mantissa: i128,
    pub scale: u16,
}

/// Why a numeric could not be decoded exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumErr {
    NaN,
    PosInfinity,
    NegInfinity,
    /// The value (or its mantissa at its display scale) does not fit in 128 bits.
    OutOfRange,
    /// The bytes are not a valid numeric.
    Malformed,
}

impl NumErr {
    pub fn describe(self) -> &'static str {
        match self {
            NumErr::NaN => "NaN",
            NumErr::PosInfinity => "Infinity",
            NumErr::NegInfinity => "-Infinity",
            NumErr::OutOfRange => "out of the supported range (about 38 significant digits)",
            NumErr::Malformed => "malformed",
        }
    }
}

const NUMERIC_SIGN_MASK: u16 = 0xC000;
const NUMERIC_NEG: u16 = 0x4000;
const NUMERIC_SHORT: u16 = 0x8000;
const NUMERIC_SPECIAL: u16 = 0xC000;
const NUMERIC_NAN: u16 = 0xC000;
const NUMERIC_PINF: u16 = 0xD000;
const NUMERIC_NINF: u16 = 0xF000;
const NUMERIC_EXT_SIGN_MASK: u16 = 0xF000;
const SHORT_SIGN_MASK: u16 = 0x2000;
const SHORT_DSCALE_MASK: u16 = 0x1F80;
const SHORT_DSCALE_SHIFT: u16 = 7;
const SHORT_WEIGHT_SIGN_MASK: u16 = 0x0040;
const SHORT_WEIGHT_MASK: u16 = 0x003F;
const DSCALE_MASK: u16 = 0x3FFF;
/// Largest dscale the short format can carry.
const SHORT_DSCALE_MAX: u16 = SHORT_DSCALE_MASK >> SHORT_DSCALE_SHIFT;

/// 10^k for k in 0..=38 as i128, or None beyond.
#[inline]
pub fn pow10(k: u32) -> Option<i128> {
    const P: [i128; 39] = {
        let mut t = [1i128; 39];
        let mut i = 1;
        while i < 39 {
            t[i] = t[i - 1] * 10;
            i += 1;
        }
        t
    };
    P.get(k as usize).copied()
}

#[inline]
fn read_u16(b: &[u8], at: usize) -> Result<u16, NumErr> {
    b.get(at..at + 2)
        .map(|s| u16::from_ne_bytes([s[0], s[1]]))
        .ok_or(NumErr::Malformed)
}

/// Decode the payload of a numeric varlena (the bytes after the varlena header).
#[inline]
pub fn decode(payload: &[u8]) -> Result<Dec, NumErr> {
    let header = read_u16(payload, 0)?;
    let (negative, dscale, weight, digits_at) = if header & NUMERIC_SHORT != 0 {
        if header & NUMERIC_SIGN_MASK == NUMERIC_SPECIAL {
            return Err(match header & NUMERIC_EXT_SIGN_MASK {
                NUMERIC_NAN => NumErr::NaN,
                NUMERIC_PINF => NumErr::PosInfinity,
                NUMERIC_NINF => NumErr::NegInfinity,
                _ => NumErr::Malformed,
            });
        }
        let negative = header & SHORT_SIGN_MASK != 0;
        let dscale = (header & SHORT_DSCALE_MASK) >> SHORT_DSCALE_SHIFT;
        let weight: i32 = if header & SHORT_WEIGHT_SIGN_MASK != 0 {
            (!(SHORT_WEIGHT_MASK as i32)) | (header & SHORT_WEIGHT_MASK) as i32
        } else {
            (header & SHORT_WEIGHT_MASK) as i32
        };
        (negative, dscale, weight, 2usize)
    } else {
        let negative = header & NUMERIC_SIGN_MASK == NUMERIC_NEG;
        let dscale = header & DSCALE_MASK;
        let weight = read_u16(payload, 2)? as i16 as i32;
        (negative, dscale, weight, 4usize)
    };
    let digit_bytes = &payload[digits_at.min(payload.len())..];
    if digit_bytes.len() % 2 != 0 {
        return Err(NumErr::Malformed);
    }
    let ndigits = (digit_bytes.len() / 2) as i32;
    if ndigits == 0 {
        return Ok(Dec { mantissa: 0, scale: dscale });
    }
    let digit = |c: &[u8]| -> Result<i128, NumErr> {
        let d = i16::from_ne_bytes([c[0], c[1]]);
        if (0..10000).contains(&d) { Ok(d as i128) } else { Err(NumErr::Malformed) }
    };
    let push = |acc: i128, d: i128, base: i128| acc.checked_mul(base).and_then(|a| a.checked_add(d)).ok_or(NumErr::OutOfRange);
    let mut acc: i128 = 0;
    let (head, last) = digit_bytes.split_at(digit_bytes.len() - 2);
    for c in head.chunks_exact(2) {
        acc = push(acc, digit(c)?, 10000)?;
    }
    let last = digit(last)?;
    // value = digits * 10^(4*(weight - ndigits + 1)); mantissa = value * 10^dscale
    let exp10 = 4 * (weight - ndigits + 1) + dscale as i32;
    let mantissa = if exp10 >= 0 {
        push(acc, last, 10000)?.checked_mul(pow10(exp10 as u32).ok_or(NumErr::OutOfRange)?).ok_or(NumErr::OutOfRange)?
    } else if exp10 > -4 {
        // The last base-10000 digit carries (-exp10) decimals beyond dscale, always zero
        // in a stored numeric: drop them before they can overflow. Small-integer
        // arithmetic here: 128-bit division is slow and this is the common case.
        let k = 10u32.pow((-exp10) as u32);
        let last = last as u32;
        if last % k != 0 {
            return Err(NumErr::Malformed);
        }
        push(acc, (last / k) as i128, (10000 / k) as i128)?
    } else {
        return Err(NumErr::Malformed);
    };
    Ok(Dec { mantissa: if negative { -mantissa } else { mantissa }, scale: dscale })
}

/// Encode `mantissa / 10^scale` as a numeric payload (without varlena header),
/// in Postgres' canonical form (short header whenever it fits).
pub fn encode(d: Dec) -> Vec<u8> {
    let negative = d.mantissa < 0;
    let mag: u128 = d.mantissa.unsigned_abs();
    // Align the fraction to whole base-10000 digits.
    let pad = (4 - (d.scale as u32 % 4)) % 4;
    let frac_digits = (d.scale as i32 + pad as i32) / 4;
    // Split into base-10000 digits, least significant first. Padding multiplies by
    // up to 1000, which can overflow u128 for mantissas near the i128 limit; then we
    // emit the pad as a leading shift of the digit grid instead.
    // At most 40 decimal digits (u128) plus 3 of padding: 11 base-10000 digits; on the
    // stack, and split with u64 arithmetic whenever the value fits (u128 division is a
    // library call; accessors encode one numeric per call).
    let mut digits = [0i16; 12];
    let mut n = 0;
    let push_all = |mut mag: u128, digits: &mut [i16; 12], n: &mut usize| {
        while mag > u64::MAX as u128 {
            digits[*n] = (mag % 10000) as i16;
            *n += 1;
            mag /= 10000;
        }
        let mut m = mag as u64;
        while m > 0 {
            digits[*n] = (m % 10000) as i16;
            *n += 1;
            m /= 10000;
        }
    };
    match mag.checked_mul(10u128.pow(pad)) {
        Some(m) => push_all(m, &mut digits, &mut n),
        None => {
            // Rare slow path: peel decimal digits so that the first group has 4 - pad digits.
            let first_len = 4 - pad;
            let p = 10u128.pow(first_len);
            digits[0] = (mag % p) as i16 * 10i16.pow(pad);
            n = 1;
            push_all(mag / p, &mut digits, &mut n);
        }
    }
    let digits = &digits[..n];
    // digits[k] has weight (k - frac_digits); strip zeros on both ends.
    let lowest_nonzero = digits.iter().position(|&x| x != 0);
    let (weight, kept): (i32, &[i16]) = match lowest_nonzero {
        None => (0, &[]),
        Some(lo) => {
            let hi = digits.iter().rposition(|&x| x != 0).unwrap();
            (hi as i32 - frac_digits, &digits[lo..=hi])
        }
    };
    let negative = negative && !kept.is_empty();
    let mut out = Vec::with_capacity(4 + kept.len() * 2);
    if d.scale <= SHORT_DSCALE_MAX && (-64..=63).contains(&weight) {
        let mut h = NUMERIC_SHORT | ((d.scale) << SHORT_DSCALE_SHIFT);
        if negative {
            h |= SHORT_SIGN_MASK;
        }
        if weight < 0 {
            h |= SHORT_WEIGHT_SIGN_MASK | ((weight as i16 as u16) & SHORT_WEIGHT_MASK);
        } else {
            h |= (weight as u16) & SHORT_WEIGHT_MASK;
        }
        out.extend_from_slice(&h.to_ne_bytes());
    } else {
        let h = (if negative { NUMERIC_NEG } else { 0 }) | (d.scale & DSCALE_MASK);
        out.extend_from_slice(&h.to_ne_bytes());
        out.extend_from_slice(&(weight as i16).to_ne_bytes());
    }
    for dg in kept.iter().rev() {
        out.extend_from_slice(&dg.to_ne_bytes());
    }
    out
}

/// Exact decimal text of `mantissa / 10^scale` (used by the summaries' text form).
pub fn to_text(d: Dec) -> String {
    let neg = d.mantissa < 0;
    let digits = d.mantissa.unsigned_abs().to_string();
    let scale = d.scale as usize;
    let s = if scale == 0 {
        digits
    } else if digits.len() > scale {
        format!("{}.{}", &digits[..digits.len() - scale], &digits[digits.len() - scale..])
    } else {
        format!("0.{}{}", "0".repeat(scale - digits.len()), digits)
    };
    if neg { format!("-{s}") } else { s }
}

/// Parse the text written by [`to_text`] (plain decimal, optional sign and point).
pub fn from_text(s: &str) -> Option<Dec> {
    let (neg, body) = match s.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, s),
    };
    let (int, frac) = match body.split_once('.') {
        Some((i, f)) => (i, f),
        None => (body, ""),
    };
    if int.is_empty() || !int.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let m: i128 = format!("{int}{frac}").parse().ok()?;
    Some(Dec { mantissa: if neg { -m } else { m }, scale: u16::try_from(frac.len()).ok()? })
}

/// The `f64` nearest to `mantissa / 10^scale` (ties to even), as PostgreSQL's
/// `numeric::float8` gives it (its decimal text read by `strtod`), without text for the
/// usual values: when the mantissa and `10^scale` are both exact doubles (|m| < 2^53,
/// scale <= 22) one IEEE division rounds the exact quotient once, which is that nearest
/// double (Clinger's fast path); otherwise the exact decimal text is parsed (Rust's
/// parser is correctly rounded too).
pub fn to_f64(d: Dec) -> f64 {
    const EXACT: i128 = 1 << 53;
    const POW10: [f64; 23] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20,
        1e21, 1e22,
    ];
    if d.mantissa > -EXACT && d.mantissa < EXACT && (d.scale as usize) < POW10.len() {
        d.mantissa as f64 / POW10[d.scale as usize]
    } else {
        to_text(d).parse().unwrap_or(f64::NAN)
    }
}

/// Bring `m` from scale `from` to the larger scale `to` (exact), or None on overflow.
#[inline(always)]
pub fn upscale(m: i128, from: u16, to: u16) -> Option<i128> {
    debug_assert!(to >= from);
    if to == from {
        Some(m)
    } else {
        m.checked_mul(pow10((to - from) as u32)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn long(neg: bool, dscale: u16, weight: i16, digits: &[i16]) -> Vec<u8> {
        let mut v = Vec::new();
        v.extend_from_slice(&((if neg { 0x4000 } else { 0 }) | dscale).to_ne_bytes());
        v.extend_from_slice(&weight.to_ne_bytes());
        for d in digits {
            v.extend_from_slice(&d.to_ne_bytes());
        }
        v
    }

    #[test]
    fn decodes_long_format_by_hand() {
        // 1234.56 = digits [1234, 5600], weight 0, dscale 2 -> mantissa 123456
        assert_eq!(decode(&long(false, 2, 0, &[1234, 5600])), Ok(Dec { mantissa: 123456, scale: 2 }));
        // -0.05 = digits [500], weight -1, dscale 2 -> -5
        assert_eq!(decode(&long(true, 2, -1, &[500])), Ok(Dec { mantissa: -5, scale: 2 }));
        // 20000 = digits [2], weight 1, dscale 0 -> 20000
        assert_eq!(decode(&long(false, 0, 1, &[2])), Ok(Dec { mantissa: 20000, scale: 0 }));
        // zero with dscale 2
        assert_eq!(decode(&long(false, 2, 0, &[])), Ok(Dec { mantissa: 0, scale: 2 }));
    }

    #[test]
    fn decodes_short_format_and_specials() {
        // short 1234.56: header 0x8000 | dscale 2 << 7 | weight 0
        let mut v = (0x8000u16 | (2 << 7)).to_ne_bytes().to_vec();
        v.extend_from_slice(&1234i16.to_ne_bytes());
        v.extend_from_slice(&5600i16.to_ne_bytes());
        assert_eq!(decode(&v), Ok(Dec { mantissa: 123456, scale: 2 }));
        // short, negative weight -1 (0x0040 | 0x3F), negative sign: -0.0042 dscale 4
        let mut v = (0x8000u16 | 0x2000 | (4 << 7) | 0x7F).to_ne_bytes().to_vec();
        v.extend_from_slice(&42i16.to_ne_bytes());
        assert_eq!(decode(&v), Ok(Dec { mantissa: -42, scale: 4 }));
        assert_eq!(decode(&0xC000u16.to_ne_bytes()), Err(NumErr::NaN));
        assert_eq!(decode(&0xD000u16.to_ne_bytes()), Err(NumErr::PosInfinity));
        assert_eq!(decode(&0xF000u16.to_ne_bytes()), Err(NumErr::NegInfinity));
    }

    #[test]
    fn encodes_canonically() {
        // 1234.56 -> short header, weight 0, digits [1234, 5600]
        let mut want = (0x8000u16 | (2 << 7)).to_ne_bytes().to_vec();
        want.extend_from_slice(&1234i16.to_ne_bytes());
        want.extend_from_slice(&5600i16.to_ne_bytes());
        assert_eq!(encode(Dec { mantissa: 123456, scale: 2 }), want);
        // zero at scale 2 -> just the header, no digits, not negative
        assert_eq!(encode(Dec { mantissa: 0, scale: 2 }), (0x8000u16 | (2 << 7)).to_ne_bytes().to_vec());
        // big dscale uses the long header
        let e = encode(Dec { mantissa: 1, scale: 80 });
        assert_eq!(decode(&e), Ok(Dec { mantissa: 1, scale: 80 }));
        assert_eq!(e[0..2], 80u16.to_ne_bytes());
    }

    #[test]
    fn text_round_trip_examples() {
        assert_eq!(to_text(Dec { mantissa: -5, scale: 2 }), "-0.05");
        assert_eq!(to_text(Dec { mantissa: 123456, scale: 2 }), "1234.56");
        assert_eq!(from_text("-0.05"), Some(Dec { mantissa: -5, scale: 2 }));
        assert_eq!(from_text("1x"), None);
    }

    #[test]
    fn to_f64_examples() {
        // 0.1 is not a double: the nearest one, as the literal 0.1 is
        assert_eq!(to_f64(Dec { mantissa: 1, scale: 1 }), 0.1);
        assert_eq!(to_f64(Dec { mantissa: -123456, scale: 2 }), -1234.56);
        // 2^53 + 1 is not exact: the text path, ties to even -> 2^53
        assert_eq!(to_f64(Dec { mantissa: (1 << 53) + 1, scale: 0 }), 9007199254740992.0);
        // scale 30 takes the text path too
        assert_eq!(to_f64(Dec { mantissa: 5, scale: 30 }), 5e-30);
    }

    proptest! {
        // the fast path and the text path give the same double as the decimal text does
        // (PostgreSQL's numeric -> float8 reads numeric_out's text with strtod)
        #[test]
        fn to_f64_matches_the_text(m in any::<i64>(), scale in 0u16..30) {
            let d = Dec { mantissa: m as i128, scale };
            prop_assert_eq!(to_f64(d).to_bits(), to_text(d).parse::<f64>().unwrap().to_bits());
        }

        #[test]
        fn to_f64_matches_the_text_small(m in -100_000_000_000i128..100_000_000_000, scale in 0u16..12) {
            let d = Dec { mantissa: m, scale };
            prop_assert_eq!(to_f64(d).to_bits(), to_text(d).parse::<f64>().unwrap().to_bits());
        }

        #[test]
        fn encode_decode_round_trip(m in any::<i128>(), scale in 0u16..40) {
            let d = Dec { mantissa: m, scale };
            prop_assert_eq!(decode(&encode(d)), Ok(d));
        }

        #[test]
        fn small_values_round_trip(m in -10_000_000_000i128..10_000_000_000, scale in 0u16..20) {
            let d = Dec { mantissa: m, scale };
            prop_assert_eq!(decode(&encode(d)), Ok(d));
            prop_assert_eq!(from_text(&to_text(d)), Some(d));
        }
    }
}
