//! State of `ar.payment_stats`: exact running sums over settled items.
//!
//! Every figure the accessors return is a ratio of two of these sums, so the state
//! is O(1) in size, merges by addition (associative and commutative), and one pass
//! over all rows equals any partition of the rows merged in any order.
//!
//! Day counts are integers; amounts are scaled integers at one common decimal
//! `scale` (the largest scale seen), so amount-weighted sums are exact.

use crate::bytes::{Reader, Writer};
use crate::numeric::{upscale, Dec};

/// Errors a state operation can raise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StateErr {
    /// A running sum left the 128-bit range.
    Overflow,
    /// Serialized bytes are not a state of this version.
    BadBytes,
    /// Two aging states with different bucket bounds were merged.
    BoundsMismatch,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PaymentState {
    /// Items (payment applications) counted.
    pub n: i64,
    /// Items paid on or before their due date.
    pub on_time: i64,
    /// Sum of days to pay (payment_date - invoice_date).
    pub days_to_pay: i64,
    /// Sum of days late, max(0, payment_date - due_date).
    pub days_late: i64,
    /// Sum of days beyond terms, payment_date - due_date (early is negative).
    pub days_beyond: i64,
    /// Decimal scale of every amount sum below.
    pub scale: u16,
    /// Sum of amounts.
    pub amount: i128,
    /// Sum of amount * days to pay.
    pub amount_days_to_pay: i128,
    /// Sum of amount * days late.
    pub amount_days_late: i128,
    /// Sum of amount * days beyond terms.
    pub amount_days_beyond: i128,
    /// Earliest and latest payment date (Postgres day numbers, 2000-01-01 = 0); meaningful when n > 0.
    pub first_payment: i32,
    pub last_payment: i32,
}

const PAYMENT_VERSION: u8 = 1;
/// Length of [`PaymentState::to_bytes`].
pub const PAYMENT_BYTES: usize = 1 + 8 * 5 + 2 + 16 * 4 + 4 * 2;

impl PaymentState {
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
        for s in [&mut self.amount, &mut self.amount_days_to_pay, &mut self.amount_days_late, &mut self.amount_days_beyond] {
            *s = upscale(*s, from, to).ok_or(StateErr::Overflow)?;
        }
        self.scale = to;
        Ok(())
    }

    /// Count one settled item. Dates are Postgres day numbers; the caller has
    /// checked that they are finite, that due >= invoice, and that amount >= 0.
    #[inline]
    pub fn add(&mut self, invoice: i32, due: i32, paid: i32, amount: Dec) -> Result<(), StateErr> {
        self.rescale(amount.scale)?;
        let a = upscale(amount.mantissa, amount.scale, self.scale).ok_or(StateErr::Overflow)?;
        let dtp = paid as i64 - invoice as i64;
        let beyond = paid as i64 - due as i64;
        let late = beyond.max(0);
        let ov = StateErr::Overflow;
        self.amount = self.amount.checked_add(a).ok_or(ov)?;
        self.amount_days_to_pay = self.amount_days_to_pay.checked_add(a.checked_mul(dtp as i128).ok_or(ov)?).ok_or(ov)?;
        self.amount_days_late = self.amount_days_late.checked_add(a.checked_mul(late as i128).ok_or(ov)?).ok_or(ov)?;
        self.amount_days_beyond = self.amount_days_beyond.checked_add(a.checked_mul(beyond as i128).ok_or(ov)?).ok_or(ov)?;
        self.days_to_pay = self.days_to_pay.checked_add(dtp).ok_or(ov)?;
        self.days_late = self.days_late.checked_add(late).ok_or(ov)?;
        self.days_beyond = self.days_beyond.checked_add(beyond).ok_or(ov)?;
        if self.n == 0 {
            self.first_payment = paid;
            self.last_payment = paid;
        } else {
            self.first_payment = self.first_payment.min(paid);
            self.last_payment = self.last_payment.max(paid);
        }
        self.n += 1;
        self.on_time += (beyond <= 0) as i64;
        Ok(())
    }

    /// Merge another state into this one (the combine and rollup step).
    pub fn merge(&mut self, o: &PaymentState) -> Result<(), StateErr> {
        if o.n == 0 {
            return self.rescale(o.scale);
        }
        let mut o = *o;
        self.rescale(o.scale)?;
        o.rescale(self.scale)?;
        let ov = StateErr::Overflow;
        if self.n == 0 {
            self.first_payment = o.first_payment;
            self.last_payment = o.last_payment;
        } else {
            self.first_payment = self.first_payment.min(o.first_payment);
            self.last_payment = self.last_payment.max(o.last_payment);
        }
        self.n = self.n.checked_add(o.n).ok_or(ov)?;
        self.on_time += o.on_time;
        self.days_to_pay = self.days_to_pay.checked_add(o.days_to_pay).ok_or(ov)?;
        self.days_late = self.days_late.checked_add(o.days_late).ok_or(ov)?;
        self.days_beyond = self.days_beyond.checked_add(o.days_beyond).ok_or(ov)?;
        self.amount = self.amount.checked_add(o.amount).ok_or(ov)?;
        self.amount_days_to_pay = self.amount_days_to_pay.checked_add(o.amount_days_to_pay).ok_or(ov)?;
        self.amount_days_late = self.amount_days_late.checked_add(o.amount_days_late).ok_or(ov)?;
        self.amount_days_beyond = self.amount_days_beyond.checked_add(o.amount_days_beyond).ok_or(ov)?;
        Ok(())
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::with_capacity(PAYMENT_BYTES);
        w.u8(PAYMENT_VERSION);
        for v in [self.n, self.on_time, self.days_to_pay, self.days_late, self.days_beyond] {
            w.i64(v);
        }
        w.u16(self.scale);
        for v in [self.amount, self.amount_days_to_pay, self.amount_days_late, self.amount_days_beyond] {
            w.i128(v);
        }
        w.i32(self.first_payment);
        w.i32(self.last_payment);
        w.finish()
    }

    pub fn from_bytes(b: &[u8]) -> Result<Self, StateErr> {
        let mut r = Reader::new(b);
        if b.len() != PAYMENT_BYTES || r.u8()? != PAYMENT_VERSION {
            return Err(StateErr::BadBytes);
        }
        Ok(PaymentState {
            n: r.i64()?,
            on_time: r.i64()?,
            days_to_pay: r.i64()?,
            days_late: r.i64()?,
            days_beyond: r.i64()?,
            scale: r.u16()?,
            amount: r.i128()?,
            amount_days_to_pay: r.i128()?,
            amount_days_late: r.i128()?,
            amount_days_beyond: r.i128()?,
            first_payment: r.i32()?,
            last_payment: r.i32()?,
        })
    }

    /// Amount-valued sums as decimals at the state's scale.
    pub fn dec(&self, m: i128) -> Dec {
        Dec { mantissa: m, scale: self.scale }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(m: i128, scale: u16) -> Dec {
        Dec { mantissa: m, scale }
    }

    #[test]
    fn hand_computed_sums() {
        // Invoice day 0, due day 30. Paid 100.00 on day 20 (early 10) and 300.00 on day 45 (15 late).
        let mut s = PaymentState::default();
        s.add(0, 30, 20, d(10000, 2)).unwrap();
        s.add(0, 30, 45, d(30000, 2)).unwrap();
        assert_eq!((s.n, s.on_time), (2, 1));
        assert_eq!(s.days_to_pay, 20 + 45);
        assert_eq!(s.days_late, 15);
        assert_eq!(s.days_beyond, -10 + 15);
        assert_eq!(s.amount, 40000);
        // amount-weighted days to pay: 100*20 + 300*45 = 15500 (in cents*days: 1_550_000)
        assert_eq!(s.amount_days_to_pay, 10000 * 20 + 30000 * 45);
        assert_eq!(s.amount_days_late, 30000 * 15);
        assert_eq!(s.amount_days_beyond, 10000 * -10 + 30000 * 15);
        assert_eq!((s.first_payment, s.last_payment), (20, 45));
    }

    #[test]
    fn scale_grows_exactly() {
        let mut s = PaymentState::default();
        s.add(0, 0, 1, d(5, 0)).unwrap(); // 5
        s.add(0, 0, 1, d(125, 3)).unwrap(); // 0.125
        assert_eq!((s.amount, s.scale), (5125, 3));
        assert_eq!(s.amount_days_to_pay, 5125);
    }

    #[test]
    fn overflow_is_reported() {
        let mut s = PaymentState::default();
        // days to pay 0, so only the plain amount sum grows: twice MAX/2 + 1 overflows
        s.add(0, 0, 0, d(i128::MAX / 2 + 1, 0)).unwrap();
        assert_eq!(s.add(0, 0, 0, d(i128::MAX / 2 + 1, 0)), Err(StateErr::Overflow));
        // a weighted product that overflows is reported too
        assert_eq!(PaymentState::default().add(0, 0, 10, d(i128::MAX / 5, 0)), Err(StateErr::Overflow));
    }

    #[test]
    fn bad_bytes_rejected() {
        assert_eq!(PaymentState::from_bytes(&[9; PAYMENT_BYTES]), Err(StateErr::BadBytes));
        assert_eq!(PaymentState::from_bytes(&[1; 3]), Err(StateErr::BadBytes));
    }

    fn row() -> impl Strategy<Value = (i32, i32, i32, i128, u16)> {
        (-100_000i32..100_000, 0i32..120, -60i32..400, 0i128..10_000_000_000, 0u16..5)
            .prop_map(|(inv, terms, pay, amt, sc)| (inv, inv + terms, inv + pay, amt, sc))
    }

    proptest! {
        /// Any partition of the rows, merged in any order, equals one pass.
        #[test]
        fn merge_equals_one_pass(rows in prop::collection::vec(row(), 0..60), cuts in prop::collection::vec(0usize..60, 0..5), rev in any::<bool>()) {
            let mut one = PaymentState::default();
            for &(i, du, p, a, sc) in &rows { one.add(i, du, p, d(a, sc)).unwrap(); }
            let mut bounds: Vec<usize> = cuts.into_iter().map(|c| c.min(rows.len())).collect();
            bounds.push(0); bounds.push(rows.len()); bounds.sort();
            let mut parts: Vec<PaymentState> = bounds.windows(2).map(|w| {
                let mut s = PaymentState::default();
                for &(i, du, p, a, sc) in &rows[w[0]..w[1]] { s.add(i, du, p, d(a, sc)).unwrap(); }
                // every part goes through serialization, as in a parallel plan
                PaymentState::from_bytes(&s.to_bytes()).unwrap()
            }).collect();
            if rev { parts.reverse(); }
            let mut merged = PaymentState::default();
            for p in &parts { merged.merge(p).unwrap(); }
            // scales can differ only if no row had the larger scale; compare values at a common scale
            let mut a = one; let mut b = merged;
            let top = a.scale.max(b.scale);
            a.rescale(top).unwrap(); b.rescale(top).unwrap();
            prop_assert_eq!(a, b);
        }

        #[test]
        fn bytes_round_trip(rows in prop::collection::vec(row(), 0..20)) {
            let mut s = PaymentState::default();
            for &(i, du, p, a, sc) in &rows { s.add(i, du, p, d(a, sc)).unwrap(); }
            prop_assert_eq!(PaymentState::from_bytes(&s.to_bytes()).unwrap(), s);
        }
    }
}
