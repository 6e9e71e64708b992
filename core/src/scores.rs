//! The 0-100 payment index on the trade-credit scale.
//!
//! Anchors (days beyond terms -> score): -30 -> 100, -20 -> 90, 0 -> 80,
//! 15 -> 70, 22 -> 60, 30 -> 50, 60 -> 40, 90 -> 30, 120 -> 20; flat beyond
//! both ends, linear between anchors, rounded to the nearest integer (halves up).
//! Computed exactly in rational arithmetic on the decimal input.

use crate::numeric::{pow10, Dec};

pub const PAYMENT_INDEX_ANCHORS: [(i128, i128); 9] =
    [(-30, 100), (-20, 90), (0, 80), (15, 70), (22, 60), (30, 50), (60, 40), (90, 30), (120, 20)];

/// Inputs are considered to this many decimal places (far below a day).
const MAX_SCALE: u16 = 30;

pub fn payment_index(x: Dec) -> i32 {
    let (mut m, mut scale) = (x.mantissa, x.scale);
    if scale > MAX_SCALE {
        m /= pow10((scale - MAX_SCALE) as u32).unwrap_or(i128::MAX);
        scale = MAX_SCALE;
    }
    let p = pow10(scale as u32).unwrap();
    let (first, last) = (PAYMENT_INDEX_ANCHORS[0], PAYMENT_INDEX_ANCHORS[8]);
    if m <= first.0 * p {
        return first.1 as i32;
    }
    if m >= last.0 * p {
        return last.1 as i32;
    }
    for w in PAYMENT_INDEX_ANCHORS.windows(2) {
        let ((x0, s0), (x1, s1)) = (w[0], w[1]);
        if m <= x1 * p {
            // score = s0 + (x - x0) * (s1 - s0) / (x1 - x0), as num / den with den > 0
            let den = (x1 - x0) * p;
            let num = s0 * den + (m - x0 * p) * (s1 - s0);
            // round half up: floor((2 num + den) / (2 den)); num > 0 here
            return ((2 * num + den).div_euclid(2 * den)) as i32;
        }
    }
    unreachable!("anchors cover the range")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pi(m: i128, s: u16) -> i32 {
        payment_index(Dec { mantissa: m, scale: s })
    }

    #[test]
    fn anchors_hit_exactly() {
        for (x, s) in PAYMENT_INDEX_ANCHORS {
            assert_eq!(pi(x, 0), s as i32, "anchor {x}");
        }
        assert_eq!(pi(-45, 0), 100);
        assert_eq!(pi(500, 0), 20);
    }

    #[test]
    fn interpolates_and_rounds() {
        // 7.5 days beyond: 80 + 7.5 * (70-80)/15 = 75 exactly
        assert_eq!(pi(75, 1), 75);
        // 10 days: 80 - 10*10/15 = 73.33 -> 73
        assert_eq!(pi(10, 0), 73);
        // -25 days: 100 - 5*10/10 = 95
        assert_eq!(pi(-25, 0), 95);
        // 18.5 days: 70 - 3.5*10/7 = 65 exactly
        assert_eq!(pi(185, 1), 65);
        // 45 days: 50 - 15*10/30 = 45
        assert_eq!(pi(45, 0), 45);
        // 0.75 days: 80 - 0.75*10/15 = 79.5 -> halves round up -> 80
        assert_eq!(pi(75, 2), 80);
        // 0.76 days: 79.4933 -> 79
        assert_eq!(pi(76, 2), 79);
    }

    #[test]
    fn huge_scales_do_not_overflow() {
        assert_eq!(pi(75 * 10i128.pow(35), 36), 75);
    }
}
