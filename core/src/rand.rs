//! Deterministic pseudo-random numbers for the demo generator: a pure function
//! of (seed, stream, index), so any row can be generated independently and in
//! parallel, and the same seed always gives the same portfolio.

/// SplitMix64 finaliser.
#[inline]
pub fn mix64(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Uniform in [0, 1) from (seed, stream, index).
#[inline]
pub fn uniform(seed: i64, stream: i64, index: i64) -> f64 {
    let h = mix64(mix64(mix64(seed as u64) ^ stream as u64) ^ index as u64);
    (h >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_and_spread() {
        assert_eq!(uniform(42, 1, 7), uniform(42, 1, 7));
        assert_ne!(uniform(42, 1, 7), uniform(43, 1, 7));
        let n = 100_000;
        let mean: f64 = (0..n).map(|i| uniform(1, 2, i)).sum::<f64>() / n as f64;
        assert!((mean - 0.5).abs() < 0.01, "mean {mean}");
        assert!((0..n).all(|i| (0.0..1.0).contains(&uniform(3, 4, i))));
    }
}
