//! Aging buckets: the bucket rule and the state of `ar.aging`.
//!
//! Buckets are defined by ascending positive upper bounds `b1 < b2 < ... < bn`
//! (inclusive): `current` holds days past due <= 0, then `1-b1`, `(b1+1)-b2`, ...,
//! and `(bn+1)+`. The standard buckets are the bounds `{30,60,90,120}`.

use crate::bytes::{Reader, Writer};
use crate::numeric::{upscale, Dec};
use crate::payment::StateErr;

pub const MAX_BOUNDS: usize = 12;
pub const STANDARD_BOUNDS: [i32; 4] = [30, 60, 90, 120];

/// Why a bounds array is not usable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BoundsErr {
    Empty,
    TooMany(usize),
    NotPositive { position: usize, value: i32 },
    NotAscending { position: usize, value: i32, previous: i32 },
}

impl std::fmt::Display for BoundsErr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BoundsErr::Empty => write!(f, "bounds must hold at least one upper bound"),
            BoundsErr::TooMany(n) => write!(f, "bounds holds {n} upper bounds; at most {MAX_BOUNDS} are allowed"),
            BoundsErr::NotPositive { position, value } => {
                write!(f, "bounds[{position}] is {value}; every upper bound must be a positive number of days")
            }
            BoundsErr::NotAscending { position, value, previous } => write!(
                f,
                "bounds must be strictly ascending: bounds[{position}] = {value} does not exceed bounds[{}] = {previous}",
                position - 1
            ),
        }
    }
}

/// Check user bounds (positions are 1-based, as in SQL arrays).
pub fn validate_bounds(b: &[i32]) -> Result<(), BoundsErr> {
    if b.is_empty() {
        return Err(BoundsErr::Empty);
    }
    if b.len() > MAX_BOUNDS {
        return Err(BoundsErr::TooMany(b.len()));
    }
    for (i, &v) in b.iter().enumerate() {
        if v <= 0 {
            return Err(BoundsErr::NotPositive { position: i + 1, value: v });
        }
        if i > 0 && v <= b[i - 1] {
            return Err(BoundsErr::NotAscending { position: i + 1, value: v, previous: b[i - 1] });
        }
    }
    Ok(())
}

/// Index of the bucket for `days_past_due`: 0 = current, 1..=n the bounded buckets, n+1 the open-ended one.
#[inline]
pub fn bucket_index(days_past_due: i32, bounds: &[i32]) -> usize {
    if days_past_due <= 0 {
        return 0;
    }
    for (i, &b) in bounds.iter().enumerate() {
        if days_past_due <= b {
            return i + 1;
        }
    }
    bounds.len() + 1
}

/// Index of the bucket named `label` for `bounds`, if any. Parses the label instead of
/// formatting every bucket's name.
pub fn find_bucket(b: &[i32], label: &str) -> Option<usize> {
    if label == "current" {
        return Some(0);
    }
    if let Some(lower) = label.strip_suffix('+') {
        let lower: i64 = lower.parse().ok()?;
        return (lower == *b.last()? as i64 + 1 && !label.starts_with('+')).then_some(b.len() + 1);
    }
    let (lo, hi) = label.split_once('-')?;
    let (lo, hi): (i64, i32) = (lo.parse().ok()?, hi.parse().ok()?);
    let i = b.iter().position(|&x| x == hi)?;
    let want_lo = if i == 0 { 1 } else { b[i - 1] as i64 + 1 };
    // reject spellings that parse to the same numbers ("01-30", "+1-30"): the label
    // must be the canonical one, compared without building a String (accessors
    // call this once per summary read)
    (lo == want_lo && label.len() == decimal_len(lo) + 1 + decimal_len(hi as i64) && !label.starts_with('+') && !label.starts_with('0'))
        .then_some(i + 1)
}

/// Number of characters of `x` in decimal (no sign: bucket bounds are positive).
fn decimal_len(mut x: i64) -> usize {
    let mut n = 1;
    while x >= 10 {
        x /= 10;
        n += 1;
    }
    n
}

/// Labels of every bucket for `bounds`, in order.
pub fn bucket_labels(bounds: &[i32]) -> Vec<String> {
    (0..bounds.len() + 2).map(|i| bucket_label(i, bounds)).collect()
}

/// Label of bucket `i` for `bounds`.
pub fn bucket_label(i: usize, bounds: &[i32]) -> String {
    if i == 0 {
        "current".to_string()
    } else if i <= bounds.len() {
        let lower = if i == 1 { 1 } else { bounds[i - 2] as i64 + 1 };
        format!("{}-{}", lower, bounds[i - 1])
    } else {
        format!("{}+", bounds[bounds.len() - 1] as i64 + 1)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AgingState {
    pub nbounds: u8,
    pub bounds: [i32; MAX_BOUNDS],
    pub scale: u16,
    pub amounts: [i128; MAX_BOUNDS + 2],
    pub counts: [i64; MAX_BOUNDS + 2],
}

const AGING_VERSION: u8 = 1;

// Layout of the summary bytes (`to_bytes`): version, bound count, bounds, scale, then
// the amounts and the counts of every bucket.
const AMOUNTS_AT: usize = 1 + 1 + 4 * MAX_BOUNDS + 2;
const COUNTS_AT: usize = AMOUNTS_AT + 16 * (MAX_BOUNDS + 2);
pub const AGING_BYTES: usize = COUNTS_AT + 8 * (MAX_BOUNDS + 2);

/// Read access to summary bytes (as written by `AgingState::to_bytes`) without decoding
/// all of them: what the accessors read, once per summary. Checked for length, version
/// and bound count; the rest was validated when the summary was made or read in.
pub struct AgingBytes<'a> {
    b: &'a [u8],
    bounds: [i32; MAX_BOUNDS],
    nbounds: usize,
}

impl<'a> AgingBytes<'a> {
    pub fn new(b: &'a [u8]) -> Result<Self, StateErr> {
        if b.len() != AGING_BYTES || b[0] != AGING_VERSION || b[1] as usize > MAX_BOUNDS {
            return Err(StateErr::BadBytes);
        }
        let nbounds = b[1] as usize;
        let mut bounds = [0; MAX_BOUNDS];
        for (i, x) in bounds.iter_mut().take(nbounds).enumerate() {
            *x = i32::from_le_bytes(b[2 + 4 * i..6 + 4 * i].try_into().unwrap());
        }
        Ok(AgingBytes { b, bounds, nbounds })
    }
    pub fn bounds(&self) -> &[i32] {
        &self.bounds[..self.nbounds]
    }
    pub fn nbuckets(&self) -> usize {
        self.nbounds + 2
    }
    pub fn scale(&self) -> u16 {
        u16::from_le_bytes(self.b[AMOUNTS_AT - 2..AMOUNTS_AT].try_into().unwrap())
    }
    pub fn amount(&self, i: usize) -> i128 {
        i128::from_le_bytes(self.b[AMOUNTS_AT + 16 * i..AMOUNTS_AT + 16 * i + 16].try_into().unwrap())
    }
    pub fn count(&self, i: usize) -> i64 {
        i64::from_le_bytes(self.b[COUNTS_AT + 8 * i..COUNTS_AT + 8 * i + 8].try_into().unwrap())
    }
    pub fn find(&self, label: &str) -> Option<usize> {
        find_bucket(self.bounds(), label)
    }
    pub fn total(&self) -> i128 {
        (0..self.nbuckets()).map(|i| self.amount(i)).sum()
    }
    pub fn past_due(&self) -> i128 {
        (1..self.nbuckets()).map(|i| self.amount(i)).sum()
    }
    pub fn total_count(&self) -> i64 {
        (0..self.nbuckets()).map(|i| self.count(i)).sum()
    }
}

impl AgingState {
    /// An empty state for already validated bounds.
    pub fn new(bounds: &[i32]) -> Self {
        let mut b = [0; MAX_BOUNDS];
        b[..bounds.len()].copy_from_slice(bounds);
        AgingState { nbounds: bounds.len() as u8, bounds: b, scale: 0, amounts: [0; MAX_BOUNDS + 2], counts: [0; MAX_BOUNDS + 2] }
    }

    pub fn standard() -> Self {
        Self::new(&STANDARD_BOUNDS)
    }

    pub fn bounds(&self) -> &[i32] {
        &self.bounds[..self.nbounds as usize]
    }

    pub fn nbuckets(&self) -> usize {
        self.nbounds as usize + 2
    }

    #[inline(always)]
    fn rescale(&mut self, to: u16) -> Result<(), StateErr> {
        if to > self.scale {
            return self.rescale_slow(to);
        }
        Ok(())
    }

    #[cold]
    fn rescale_slow(&mut self, to: u16) -> Result<(), StateErr> {
        let from = self.scale;
        for a in self.amounts.iter_mut() {
            *a = upscale(*a, from, to).ok_or(StateErr::Overflow)?;
        }
        self.scale = to;
        Ok(())
    }

    #[inline]
    pub fn add(&mut self, amount: Dec, days_past_due: i32) -> Result<(), StateErr> {
        self.rescale(amount.scale)?;
        let a = upscale(amount.mantissa, amount.scale, self.scale).ok_or(StateErr::Overflow)?;
        let i = bucket_index(days_past_due, self.bounds());
        self.amounts[i] = self.amounts[i].checked_add(a).ok_or(StateErr::Overflow)?;
        self.counts[i] += 1;
        Ok(())
    }

    pub fn merge(&mut self, o: &AgingState) -> Result<(), StateErr> {
        if self.bounds() != o.bounds() {
            return Err(StateErr::BoundsMismatch);
        }
        let mut o = *o;
        self.rescale(o.scale)?;
        o.rescale(self.scale)?;
        for i in 0..self.nbuckets() {
            self.amounts[i] = self.amounts[i].checked_add(o.amounts[i]).ok_or(StateErr::Overflow)?;
            self.counts[i] = self.counts[i].checked_add(o.counts[i]).ok_or(StateErr::Overflow)?;
        }
        Ok(())
    }

    pub fn total(&self) -> i128 {
        self.amounts[..self.nbuckets()].iter().sum()
    }

    pub fn past_due(&self) -> i128 {
        self.amounts[1..self.nbuckets()].iter().sum()
    }

    pub fn total_count(&self) -> i64 {
        self.counts[..self.nbuckets()].iter().sum()
    }

    /// Index of the bucket named `label`, if any. Parses the label instead of
    /// formatting every bucket's name (accessors call this once per group).
    pub fn find(&self, label: &str) -> Option<usize> {
        find_bucket(self.bounds(), label)
    }

    pub fn labels(&self) -> Vec<String> {
        bucket_labels(self.bounds())
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::with_capacity(AGING_BYTES);
        w.u8(AGING_VERSION);
        w.u8(self.nbounds);
        for &b in &self.bounds {
            w.i32(b);
        }
        w.u16(self.scale);
        for &a in &self.amounts {
            w.i128(a);
        }
        for &c in &self.counts {
            w.i64(c);
        }
        w.finish()
    }

    pub fn from_bytes(b: &[u8]) -> Result<Self, StateErr> {
        let mut r = Reader::new(b);
        if b.len() != AGING_BYTES || r.u8()? != AGING_VERSION {
            return Err(StateErr::BadBytes);
        }
        let nbounds = r.u8()?;
        let mut bounds = [0; MAX_BOUNDS];
        for x in bounds.iter_mut() {
            *x = r.i32()?;
        }
        if nbounds as usize > MAX_BOUNDS || validate_bounds(&bounds[..nbounds as usize]).is_err() {
            return Err(StateErr::BadBytes);
        }
        let scale = r.u16()?;
        let mut amounts = [0; MAX_BOUNDS + 2];
        for x in amounts.iter_mut() {
            *x = r.i128()?;
        }
        let mut counts = [0; MAX_BOUNDS + 2];
        for x in counts.iter_mut() {
            *x = r.i64()?;
        }
        Ok(AgingState { nbounds, bounds, scale, amounts, counts })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn standard_labels_and_boundaries() {
        let b = &STANDARD_BOUNDS;
        let labels: Vec<String> = (0..6).map(|i| bucket_label(i, b)).collect();
        assert_eq!(labels, ["current", "1-30", "31-60", "61-90", "91-120", "121+"]);
        // upper bounds are inclusive: 30 days past due is 1-30, 31 is 31-60
        for (dpd, want) in [(-5, 0), (0, 0), (1, 1), (30, 1), (31, 2), (60, 2), (61, 3), (90, 3), (91, 4), (120, 4), (121, 5), (9999, 5)] {
            assert_eq!(bucket_index(dpd, b), want, "dpd {dpd}");
        }
    }

    #[test]
    fn custom_bounds() {
        let b = [15, 45];
        let labels: Vec<String> = (0..4).map(|i| bucket_label(i, &b)).collect();
        assert_eq!(labels, ["current", "1-15", "16-45", "46+"]);
        assert_eq!(validate_bounds(&[45, 15]), Err(BoundsErr::NotAscending { position: 2, value: 15, previous: 45 }));
        assert_eq!(validate_bounds(&[0, 15]), Err(BoundsErr::NotPositive { position: 1, value: 0 }));
        assert_eq!(validate_bounds(&[]), Err(BoundsErr::Empty));
        assert_eq!(validate_bounds(&(1..=13).collect::<Vec<_>>()), Err(BoundsErr::TooMany(13)));
        assert!(validate_bounds(&(1..=12).collect::<Vec<_>>()).is_ok());
    }

    #[test]
    fn sums_by_hand() {
        let mut s = AgingState::standard();
        // 100.00 current, 50.50 at 30 days (1-30), 20.25 at 31 days (31-60), 7 at 200 days (121+)
        s.add(Dec { mantissa: 10000, scale: 2 }, 0).unwrap();
        s.add(Dec { mantissa: 5050, scale: 2 }, 30).unwrap();
        s.add(Dec { mantissa: 2025, scale: 2 }, 31).unwrap();
        s.add(Dec { mantissa: 7, scale: 0 }, 200).unwrap();
        assert_eq!(s.amounts[..6], [10000, 5050, 2025, 0, 0, 700]);
        assert_eq!(s.counts[..6], [1, 1, 1, 0, 0, 1]);
        assert_eq!(s.total(), 17775);
        assert_eq!(s.past_due(), 7775);
        assert_eq!(s.find("31-60"), Some(2));
        assert_eq!(s.find("nope"), None);
        // every label is found at its own index, and near-misses are not
        for (i, l) in s.labels().iter().enumerate() {
            assert_eq!(s.find(l), Some(i), "{l}");
        }
        // the byte reader used by the accessors reads the same figures
        let bytes = s.to_bytes();
        let v = AgingBytes::new(&bytes).unwrap();
        assert_eq!((v.bounds(), v.scale(), v.total(), v.past_due(), v.total_count()), (s.bounds(), s.scale, s.total(), s.past_due(), s.total_count()));
        for i in 0..s.nbuckets() {
            assert_eq!((v.amount(i), v.count(i)), (s.amounts[i], s.counts[i]));
        }
        assert!(AgingBytes::new(&bytes[1..]).is_err());
        for bad in ["0-30", "1-31", "31-61", "120+", "122+", "+121", "121", "01-30", "1-030", "1-+30", "+1-30", "-1-30", "-", "", "current "] {
            assert_eq!(s.find(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn merge_refuses_other_bounds() {
        let mut a = AgingState::standard();
        assert_eq!(a.merge(&AgingState::new(&[15, 45])), Err(StateErr::BoundsMismatch));
    }

    proptest! {
        #[test]
        fn merge_equals_one_pass(rows in prop::collection::vec((-10_000_000_000i128..10_000_000_000, 0u16..4, -100i32..400), 0..60), cut in 0usize..60, rev in any::<bool>()) {
            let bounds = [15, 45, 90];
            let mut one = AgingState::new(&bounds);
            for &(m, sc, d) in &rows { one.add(Dec { mantissa: m, scale: sc }, d).unwrap(); }
            let cut = cut.min(rows.len());
            let mut parts = [AgingState::new(&bounds), AgingState::new(&bounds)];
            for (k, &(m, sc, d)) in rows.iter().enumerate() { parts[(k >= cut) as usize].add(Dec { mantissa: m, scale: sc }, d).unwrap(); }
            if rev { parts.swap(0, 1); }
            let mut merged = AgingState::from_bytes(&parts[0].to_bytes()).unwrap();
            merged.merge(&AgingState::from_bytes(&parts[1].to_bytes()).unwrap()).unwrap();
            let top = one.scale.max(merged.scale);
            one.rescale(top).unwrap(); merged.rescale(top).unwrap();
            prop_assert_eq!(one, merged);
            // totals equal the sum of the inputs exactly
            let want: i128 = rows.iter().map(|&(m, sc, _)| m * 10i128.pow((top - sc) as u32)).sum();
            prop_assert_eq!(merged.total(), want);
        }
    }
}
