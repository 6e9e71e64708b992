//! Explainable risk score: a weighted sum of seven factor severities (each 0-1),
//! so score = sum(weight_i * severity_i) is 0-100 and every point can be traced to
//! a factor. Reasons list the contributing factors, largest contribution first.
//! Definitions and the default policy: docs/risk.md.

/// Factor names, in the order of `Policy::weights`.
pub const FACTORS: [&str; 7] =
    ["payment_behaviour", "payment_slip", "past_due_share", "oldest_past_due", "credit_utilisation", "broken_promises", "open_disputes"];

#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    /// Points for each factor at full severity; they add up to 100.
    pub weights: [f64; 7],
    /// Fewer settled items than this in 12 months: payment factors are scored neutral (0.5).
    pub min_paid_items: i64,
    /// Slip of weighted days to pay (90 days vs 12 months) that counts as full severity.
    pub slip_full_days: f64,
    /// Days past due of the oldest item that count as full severity.
    pub oldest_full_days: f64,
    /// Credit utilisation where the factor starts, and where it is at full severity.
    pub utilisation_start: f64,
    pub utilisation_full: f64,
    /// Broken promises (90 days) and open disputes that count as full severity.
    pub promises_full: f64,
    pub disputes_full: f64,
    /// Score bounds of ratings B, C, D, E (A below the first).
    pub rating_bounds: [f64; 4],
    /// Early warning: slip in days that raises a payment-slipping warning.
    pub slip_warning_days: f64,
    /// ... and at least this share of the customer's usual days beyond terms.
    pub slip_warning_share: f64,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            weights: [30.0, 15.0, 20.0, 15.0, 10.0, 5.0, 5.0],
            min_paid_items: 3,
            slip_full_days: 30.0,
            oldest_full_days: 120.0,
            utilisation_start: 0.8,
            utilisation_full: 1.5,
            promises_full: 3.0,
            disputes_full: 3.0,
            rating_bounds: [20.0, 40.0, 60.0, 80.0],
            slip_warning_days: 7.0,
            slip_warning_share: 0.25,
        }
    }
}

impl Policy {
    /// Every rule a policy must meet, with a message naming the setting.
    pub fn validate(&self) -> Result<(), String> {
        for (w, name) in self.weights.iter().zip(FACTORS) {
            if !w.is_finite() || *w < 0.0 {
                return Err(format!("weight_{name} must be a non-negative number, got {w}"));
            }
        }
        let sum: f64 = self.weights.iter().sum();
        if (sum - 100.0).abs() > 1e-9 {
            return Err(format!("the seven weights must add up to 100, they add up to {sum}"));
        }
        if self.min_paid_items < 1 {
            return Err(format!("min_paid_items must be at least 1, got {}", self.min_paid_items));
        }
        for (v, name) in [
            (self.slip_full_days, "slip_full_days"),
            (self.oldest_full_days, "oldest_full_days"),
            (self.promises_full, "promises_full"),
            (self.disputes_full, "disputes_full"),
            (self.slip_warning_days, "slip_warning_days"),
        ] {
            if !v.is_finite() || v <= 0.0 {
                return Err(format!("{name} must be a positive number, got {v}"));
            }
        }
        if !self.slip_warning_share.is_finite() || self.slip_warning_share < 0.0 {
            return Err(format!("slip_warning_share must be a non-negative number, got {}", self.slip_warning_share));
        }
        if !(self.utilisation_start >= 0.0 && self.utilisation_full > self.utilisation_start && self.utilisation_full.is_finite()) {
            return Err(format!(
                "credit utilisation bounds must satisfy 0 <= utilisation_start < utilisation_full, got {} and {}",
                self.utilisation_start, self.utilisation_full
            ));
        }
        let b = self.rating_bounds;
        if !(b[0] > 0.0 && b[0] < b[1] && b[1] < b[2] && b[2] < b[3] && b[3] <= 100.0) {
            return Err(format!("rating_bounds must be 4 strictly ascending scores within (0, 100], got {b:?}"));
        }
        Ok(())
    }
}

/// One account's figures as of a date (NULLs as None).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Inputs {
    pub payment_index: Option<i32>,
    pub days_beyond_terms_weighted_12m: Option<f64>,
    pub adtp_weighted_90d: Option<f64>,
    pub adtp_weighted_12m: Option<f64>,
    pub paid_items_12m: i64,
    pub open_amount: f64,
    pub past_due_amount: f64,
    pub oldest_past_due_days: i32,
    pub credit_utilisation: Option<f64>,
    pub broken_promises_90d: i64,
    pub open_disputes: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Assessment {
    /// 0-100, one decimal.
    pub score: f64,
    pub rating: char,
    pub segment: &'static str,
    /// Contributing factors in plain words with their figures and points, largest first.
    pub reasons: Vec<String>,
    /// Points per factor, in FACTORS order.
    pub points: [f64; 7],
}

fn clamp01(x: f64) -> f64 {
    x.clamp(0.0, 1.0)
}

fn plural(n: i64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

pub fn assess(i: &Inputs, p: &Policy) -> Assessment {
    let thin = i.paid_items_12m < p.min_paid_items;
    let mut sev = [0.0f64; 7];
    let mut text: [Option<String>; 7] = Default::default();
    if thin {
        sev[0] = 0.5;
        sev[1] = 0.5;
        text[0] = Some(format!(
            "too little payment history ({} in 12 months): payment behaviour scored neutral",
            plural(i.paid_items_12m, "payment", "payments")
        ));
        text[1] = Some("too little payment history: payment slip scored neutral".to_string());
    } else {
        if let Some(pi) = i.payment_index {
            sev[0] = clamp01((80.0 - pi as f64) / 60.0);
            let d = i.days_beyond_terms_weighted_12m.unwrap_or(0.0);
            text[0] = Some(format!("pays {:.0} days beyond terms (amount-weighted, 12 months; payment index {pi})", d));
        }
        if let (Some(r), Some(b)) = (i.adtp_weighted_90d, i.adtp_weighted_12m) {
            let slip = r - b;
            sev[1] = clamp01(slip / p.slip_full_days);
            text[1] = Some(format!("payment time slipped {slip:.0} days vs 12-month baseline ({r:.0} vs {b:.0} days to pay)"));
        }
    }
    if i.open_amount > 0.0 {
        let share = clamp01(i.past_due_amount / i.open_amount);
        sev[2] = share;
        text[2] = Some(format!("{:.0}% of balance past due", share * 100.0));
    }
    sev[3] = clamp01(i.oldest_past_due_days as f64 / p.oldest_full_days);
    text[3] = Some(format!("oldest invoice {} days past due", i.oldest_past_due_days));
    if let Some(u) = i.credit_utilisation {
        sev[4] = clamp01((u - p.utilisation_start) / (p.utilisation_full - p.utilisation_start));
        text[4] = Some(if u > 1.0 {
            format!("over credit limit by {:.0}%", (u - 1.0) * 100.0)
        } else {
            format!("uses {:.0}% of credit limit", u * 100.0)
        });
    }
    sev[5] = clamp01(i.broken_promises_90d as f64 / p.promises_full);
    text[5] = Some(format!("{} in 90 days", plural(i.broken_promises_90d, "broken promise", "broken promises")));
    sev[6] = clamp01(i.open_disputes as f64 / p.disputes_full);
    text[6] = Some(plural(i.open_disputes, "open dispute", "open disputes"));

    let mut points = [0.0f64; 7];
    for k in 0..7 {
        points[k] = p.weights[k] * sev[k];
    }
    let score = (points.iter().sum::<f64>() * 10.0).round() / 10.0;
    let rating = match p.rating_bounds.iter().position(|&b| score < b) {
        Some(0) => 'A',
        Some(1) => 'B',
        Some(2) => 'C',
        Some(3) => 'D',
        _ => 'E',
    };
    let segment = match rating {
        'A' | 'B' => "low",
        'C' => "medium",
        'D' => "high",
        _ => "critical",
    };
    let mut order: Vec<usize> = (0..7).filter(|&k| points[k] > 0.0).collect();
    order.sort_by(|&a, &b| points[b].partial_cmp(&points[a]).unwrap().then(a.cmp(&b)));
    let reasons = order
        .into_iter()
        .filter_map(|k| text[k].as_ref().map(|t| format!("{t} (+{:.1})", points[k])))
        .collect();
    Assessment { score, rating, segment, reasons, points }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prompt() -> Inputs {
        Inputs {
            payment_index: Some(80),
            days_beyond_terms_weighted_12m: Some(0.0),
            adtp_weighted_90d: Some(30.0),
            adtp_weighted_12m: Some(30.0),
            paid_items_12m: 24,
            open_amount: 1000.0,
            past_due_amount: 0.0,
            oldest_past_due_days: 0,
            credit_utilisation: Some(0.5),
            broken_promises_90d: 0,
            open_disputes: 0,
        }
    }

    #[test]
    fn default_policy_is_valid() {
        assert_eq!(Policy::default().validate(), Ok(()));
    }

    #[test]
    fn prompt_payer_is_a() {
        let a = assess(&prompt(), &Policy::default());
        assert_eq!((a.score, a.rating, a.segment), (0.0, 'A', "low"));
        assert!(a.reasons.is_empty());
    }

    #[test]
    fn hand_computed_late_payer() {
        // index 50 -> (80-50)/60 = 0.5 * 30 = 15; slip 12 days -> 12/30 * 15 = 6;
        // 62% past due -> 0.62 * 20 = 12.4; oldest 60 days -> 0.5 * 15 = 7.5;
        // utilisation 1.15 -> (1.15-0.8)/0.7 = 0.5 * 10 = 5; 2 broken promises -> 2/3 * 5 = 3.33;
        // no disputes. Total 49.23 -> 49.2, rating C, medium.
        let i = Inputs {
            payment_index: Some(50),
            days_beyond_terms_weighted_12m: Some(30.0),
            adtp_weighted_90d: Some(72.0),
            adtp_weighted_12m: Some(60.0),
            open_amount: 1000.0,
            past_due_amount: 620.0,
            oldest_past_due_days: 60,
            credit_utilisation: Some(1.15),
            broken_promises_90d: 2,
            ..prompt()
        };
        let a = assess(&i, &Policy::default());
        assert_eq!((a.score, a.rating, a.segment), (49.2, 'C', "medium"));
        assert_eq!(
            a.reasons,
            vec![
                "pays 30 days beyond terms (amount-weighted, 12 months; payment index 50) (+15.0)",
                "62% of balance past due (+12.4)",
                "oldest invoice 60 days past due (+7.5)",
                "payment time slipped 12 days vs 12-month baseline (72 vs 60 days to pay) (+6.0)",
                "over credit limit by 15% (+5.0)",
                "2 broken promises in 90 days (+3.3)",
            ]
        );
    }

    #[test]
    fn thin_history_is_neutral_not_a() {
        let i = Inputs { paid_items_12m: 1, payment_index: Some(100), ..prompt() };
        let a = assess(&i, &Policy::default());
        // 0.5 * 30 + 0.5 * 15 = 22.5 -> B
        assert_eq!((a.score, a.rating), (22.5, 'B'));
        assert!(a.reasons[0].starts_with("too little payment history (1 payment in 12 months)"));
    }

    #[test]
    fn rating_boundaries() {
        // all past due, oldest 120+ days: 20 + 15 = 35 -> B; bounds are "score < bound"
        let i = Inputs { past_due_amount: 1000.0, oldest_past_due_days: 400, ..prompt() };
        assert_eq!(assess(&i, &Policy::default()).score, 35.0);
        let mut p = Policy::default();
        p.rating_bounds = [10.0, 35.0, 60.0, 80.0];
        assert_eq!(assess(&i, &p).rating, 'C', "35 is not below 35: C");
    }

    #[test]
    fn invalid_policies() {
        let mut p = Policy::default();
        p.weights[0] = 31.0;
        assert_eq!(p.validate(), Err("the seven weights must add up to 100, they add up to 101".to_string()));
        let mut p = Policy::default();
        p.weights[1] = -5.0;
        p.weights[0] = 50.0;
        assert!(p.validate().unwrap_err().starts_with("weight_payment_slip must be a non-negative number"));
        let mut p = Policy::default();
        p.rating_bounds = [20.0, 10.0, 60.0, 80.0];
        assert!(p.validate().unwrap_err().starts_with("rating_bounds must be 4 strictly ascending"));
        let mut p = Policy::default();
        p.utilisation_full = 0.5;
        assert!(p.validate().unwrap_err().starts_with("credit utilisation bounds"));
    }
}
