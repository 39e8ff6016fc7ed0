//! The BG/NBD model (Fader, Hardie & Lee 2005, "Counting your customers the easy way"): while
//! active, a customer buys at a Poisson rate λ ~ Gamma(r, α); after each purchase the
//! customer drops out with probability p ~ Beta(a, b). A customer is summarised by `x` (repeat
//! purchases), `t_x` (time of the last purchase since the first) and `T` (time from the first
//! purchase to the end of the calibration period), in one time unit throughout.
//!
//! The log-likelihood of one customer (the paper's equation 6, in logarithms):
//!
//! ```text
//! ln L = A1 + A2 + ln(exp(A3) + [x > 0] exp(A4))
//! A1 = ln Γ(r + x) − ln Γ(r) + r ln α
//! A2 = ln Γ(a + b) + ln Γ(b + x) − ln Γ(b) − ln Γ(a + b + x)
//! A3 = −(r + x) ln(α + T)
//! A4 = ln a − ln(b + x − 1) − (r + x) ln(α + t_x)
//! ```
//!
//! summed with the log-sum-exp trick so it stays finite for customers with hundreds of
//! purchases. The gradient is analytic (digamma for the log-gamma terms).

use std::sync::atomic::AtomicBool;

use statrs::function::gamma::{digamma, ln_gamma};

use super::special::shifted_gammas;

#[cfg(test)]
use super::optimize::{FIRST_STAGE_ROWS, maximize};
use super::optimize::{Fit, Likelihood, maximize_in_stages};
use super::special::hyp2f1;
use super::{Sample, repeat_purchases};

/// The four BG/NBD parameters.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BgNbd {
    pub r: f64,
    pub alpha: f64,
    pub a: f64,
    pub b: f64,
}

/// One customer's calibration summary.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Customer {
    /// Repeat purchases (purchases after the first), a whole number.
    pub x: f64,
    /// Time of the last purchase, counted from the first.
    pub t_x: f64,
    /// Time from the first purchase to the end of calibration (the model's T).
    pub age: f64,
}

impl Customer {
    /// Checks that the summary can come from a purchase history.
    // Inlined: it runs once per row as rows are collected, and its error is the rare case.
    #[inline]
    pub fn check(&self) -> Result<u64, String> {
        let Customer { x, t_x, age } = *self;
        let count = repeat_purchases(x)?;
        if !(age.is_finite() && age >= 0.0) {
            return Err(format!("T (age) must be at least 0, not {age}"));
        }
        if !(t_x.is_finite() && (0.0..=age).contains(&t_x)) {
            return Err(format!(
                "t_x (recency) must be between 0 and T ({age}), not {t_x}"
            ));
        }
        Ok(count)
    }
}

impl BgNbd {
    /// Checks that every parameter is positive and finite.
    pub fn check(&self) -> Result<(), String> {
        for (name, value) in [
            ("r", self.r),
            ("alpha", self.alpha),
            ("a", self.a),
            ("b", self.b),
        ] {
            if !(value.is_finite() && value > 0.0) {
                return Err(format!(
                    "BG/NBD parameter {name} must be positive, not {value}"
                ));
            }
        }
        Ok(())
    }

    /// The probability that the customer is still active at the end of calibration (the
    /// paper's equation 11 in logarithms; 1 for a customer without repeat purchases, who
    /// cannot have dropped out under the model).
    pub fn p_alive(&self, customer: Customer) -> f64 {
        let Customer { x, t_x, age } = customer;
        if x == 0.0 {
            return 1.0;
        }
        let BgNbd { r, alpha, a, b } = *self;
        let ln_odds_dead =
            (a / (b + x - 1.0)).ln() + (r + x) * ((alpha + age) / (alpha + t_x)).ln();
        1.0 / (1.0 + ln_odds_dead.exp())
    }

    /// The expected number of purchases in the next `t` time units of a customer with this
    /// summary (the paper's equation 10). `None` if ₂F₁ is undefined for these values.
    pub fn expected_purchases(&self, t: f64, customer: Customer) -> Option<f64> {
        let Customer { x, t_x, age } = customer;
        let BgNbd { r, alpha, a, b } = *self;
        if t == 0.0 {
            return Some(0.0);
        }
        let c = a + b + x - 1.0;
        let z = t / (alpha + age + t);
        let f = hyp2f1(r + x, b + x, c, z)?;
        // (1 − z)^(r + x) · ₂F₁, which tends to 1 as t → 0; −expm1 keeps the difference exact.
        let ln_scaled = f.ln_abs + (r + x) * (1.0 - z).ln();
        let not_explained = if f.sign > 0.0 {
            -ln_scaled.exp_m1()
        } else {
            1.0 + ln_scaled.exp()
        };
        let numerator = c / (a - 1.0) * not_explained;
        let denominator = if x > 0.0 {
            1.0 + a / (b + x - 1.0) * ((alpha + age) / (alpha + t_x)).powf(r + x)
        } else {
            1.0
        };
        Some(numerator / denominator)
    }

    /// The expected number of purchases of a new customer in `t` time units after the first
    /// (the paper's equation 9) — the conditional expectation of a customer with no history.
    pub fn expected_purchases_population(&self, t: f64) -> Option<f64> {
        self.expected_purchases(
            t,
            Customer {
                x: 0.0,
                t_x: 0.0,
                age: 0.0,
            },
        )
    }
}

/// The calibration summaries of many customers, for [`fit`].
pub struct Calibration {
    /// `u` is t_x and `v` is T.
    sample: Sample,
}

impl Calibration {
    /// The calibration of these customers; every one must pass [`Customer::check`].
    pub fn new(customers: Vec<(u64, f64, f64)>) -> Self {
        Self {
            sample: Sample::new(customers),
        }
    }
}

/// Terms of the log-likelihood and its gradient that depend on x alone.
struct PerCount {
    x: f64,
    /// A1 + A2.
    constant: f64,
    /// ln a − ln(b + x − 1), for A4.
    ln_a_over: f64,
    /// 1 / (b + x − 1), for the gradient in b.
    inv_b_over: f64,
    d_r: f64,
    d_a: f64,
    d_b: f64,
}

impl Likelihood for Calibration {
    fn evaluate(&self, params: &[f64]) -> Option<(f64, Vec<f64>)> {
        let &[r, alpha, a, b] = params else {
            return None;
        };
        let (ln_alpha, psi_r, psi_ab, psi_b) = (alpha.ln(), digamma(r), digamma(a + b), digamma(b));
        let shared = ln_gamma(a + b) - ln_gamma(b) - ln_gamma(r) + r * ln_alpha;
        let counts: Vec<u64> = self.sample.counts().collect();
        let (gammas_r, gammas_b, gammas_ab) = (
            shifted_gammas(r, &counts),
            shifted_gammas(b, &counts),
            shifted_gammas(a + b, &counts),
        );
        let per_count: Vec<PerCount> = counts
            .iter()
            .zip(gammas_r.iter().zip(gammas_b.iter().zip(&gammas_ab)))
            .map(
                |(&x, (&(ln_g_r, psi_r_x), (&(ln_g_b, psi_b_x), &(ln_g_ab, psi_ab_x))))| {
                    let x = x as f64;
                    PerCount {
                        x,
                        constant: shared + ln_g_r + ln_g_b - ln_g_ab,
                        ln_a_over: if x > 0.0 {
                            a.ln() - (b + x - 1.0).ln()
                        } else {
                            f64::NEG_INFINITY
                        },
                        inv_b_over: 1.0 / (b + x - 1.0),
                        d_r: psi_r_x - psi_r + ln_alpha,
                        d_a: psi_ab - psi_ab_x,
                        d_b: psi_ab + psi_b_x - psi_b - psi_ab_x,
                    }
                },
            )
            .collect();
        // ln(α + t) and 1/(α + t) once per distinct t_x and T.
        let logs = |values: &[f64]| -> Vec<(f64, f64)> {
            values
                .iter()
                .map(|t| ((alpha + t).ln(), 1.0 / (alpha + t)))
                .collect()
        };
        let (recency, age) = (logs(self.sample.u_values()), logs(self.sample.v_values()));
        // Divisions are the slowest arithmetic in the loop: the invariant ones go out of it.
        let (r_over_alpha, inv_a) = (r / alpha, 1.0 / a);
        let ([ll, g_r, g_alpha, g_a, g_b], ln_sum) = self.sample.sum_with_logs(|row| {
            let k = &per_count[row.group];
            let (ln_age, inv_age) = age[row.v_index];
            let a3 = -(r + k.x) * ln_age;
            if k.x == 0.0 {
                let terms = [
                    k.constant + a3,
                    k.d_r - ln_age,
                    r_over_alpha - r * inv_age,
                    k.d_a,
                    k.d_b,
                ];
                return (terms, 1.0);
            }
            let (ln_recency, inv_recency) = recency[row.u_index];
            let a4 = k.ln_a_over - (r + k.x) * ln_recency;
            // ln(e^a3 + e^a4) = top + ln(1 + e) and the two shares, with one exponential;
            // ln(1 + e) is summed as the logarithm of a product. Selects rather than
            // branches: which term is larger is a coin toss from row to row.
            let difference = a4 - a3;
            let top = a3.max(a4);
            let e = (-difference.abs()).exp();
            let share_top = 1.0 / (1.0 + e);
            let w4 = if difference > 0.0 {
                share_top
            } else {
                e * share_top
            };
            let w3 = 1.0 - w4;
            let terms = [
                k.constant + top,
                k.d_r - w3 * ln_age - w4 * ln_recency,
                r_over_alpha - (r + k.x) * (w3 * inv_age + w4 * inv_recency),
                k.d_a + w4 * inv_a,
                k.d_b - w4 * k.inv_b_over,
            ];
            (terms, 1.0 + e)
        });
        let ll = ll + ln_sum;
        let gradient = vec![g_r, g_alpha, g_a, g_b];
        (ll.is_finite() && gradient.iter().all(|g| g.is_finite())).then_some((ll, gradient))
    }

    fn customers(&self) -> f64 {
        self.sample.customers()
    }

    fn subsample(&self, rows: usize) -> Option<Self> {
        let sample = self.sample.subsample(rows)?;
        Some(Calibration { sample })
    }
}

/// The maximum-likelihood BG/NBD parameters of a calibration. Starts from r = 1, a = b = 1
/// and α = ΣT / Σx (so r/α, the mean purchase rate, is the observed repeat rate); on many
/// distinct rows, subsamples take the fit most of the way ([`maximize_in_stages`]). Stops
/// when `stop` is set.
pub fn fit(calibration: &Calibration, stop: &AtomicBool) -> Result<(BgNbd, Fit), String> {
    if calibration.customers() == 0.0 {
        return Err("no customers to fit".to_string());
    }
    let counts: Vec<u64> = calibration.sample.counts().collect();
    let [repeats, age] = calibration
        .sample
        .sum(|row| [counts[row.group] as f64, row.v]);
    if repeats == 0.0 {
        return Err(
            "no customer has a repeat purchase: the purchase rate cannot be estimated".into(),
        );
    }
    let start_alpha = (age / repeats).max(1e-3);
    let result = maximize_in_stages(calibration, &[1.0, start_alpha, 1.0, 1.0], stop)?;
    let &[r, alpha, a, b] = result.params.as_slice() else {
        return Err("the optimiser returned the wrong number of parameters".into());
    };
    Ok((BgNbd { r, alpha, a, b }, result))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The finite-difference gradient agrees with the analytic one.
    #[test]
    fn gradient_matches_finite_differences() {
        let calibration = Calibration::new(vec![
            (0, 0.0, 30.0),
            (1, 5.0, 30.0),
            (3, 20.0, 35.0),
            (12, 33.0, 36.0),
            (2, 2.5, 10.0),
        ]);
        let params = [0.4, 3.0, 0.8, 2.2];
        let (_, gradient) = calibration.evaluate(&params).unwrap();
        for i in 0..4 {
            let h = 1e-6 * params[i];
            let mut up = params;
            up[i] += h;
            let mut down = params;
            down[i] -= h;
            let numeric = (calibration.evaluate(&up).unwrap().0
                - calibration.evaluate(&down).unwrap().0)
                / (2.0 * h);
            assert!(
                (numeric - gradient[i]).abs() <= 1e-6 * numeric.abs().max(1.0),
                "parameter {i}: analytic {} numeric {numeric}",
                gradient[i]
            );
        }
    }

    /// A fit in stages ends where a fit from the cold start on all rows does, with a fraction of
    /// the evaluations on all rows.
    #[test]
    fn warm_start_reaches_the_same_optimum() {
        // The CDNOW sample 40 times over, each copy shifted by a thousandth of a week so that
        // most of the 94,280 rows are distinct: an optimum near the published one.
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/data/cdnow/cdnow_customers_summary.csv"
        );
        let text = std::fs::read_to_string(path).unwrap();
        let mut customers = Vec::new();
        for line in text.lines().skip(1) {
            let v: Vec<f64> = line.split(',').map(|f| f.parse().unwrap()).collect();
            for copy in 0..40 {
                let shift = f64::from(copy) * 0.001;
                let t_x = if v[1] > 0.0 { v[2] + shift } else { 0.0 };
                customers.push((v[1] as u64, t_x, v[3] + shift));
            }
        }
        let calibration = Calibration::new(customers);
        // A stage of 2,000 rows before the full fit.
        assert!(calibration.subsample(FIRST_STAGE_ROWS).is_some());
        let (warm, warm_fit) = fit(&calibration, &AtomicBool::new(false)).unwrap();
        let cold = maximize(&calibration, &[1.0, 10.0, 1.0, 1.0]).unwrap();
        assert!(
            warm_fit.converged && cold.converged,
            "{warm:?} {warm_fit:?} {cold:?}"
        );
        for (w, c) in [warm.r, warm.alpha, warm.a, warm.b]
            .iter()
            .zip(&cold.params)
        {
            assert!(
                (w - c).abs() <= 1e-5 * c.abs(),
                "{warm:?} against {:?}",
                cold.params
            );
        }
        // The stages hand over the optimum and the curvature: a few evaluations on all rows
        // instead of dozens.
        assert!(
            warm_fit.evaluations <= 8 && warm_fit.evaluations * 3 < cold.evaluations,
            "{warm_fit:?} {cold:?}"
        );
    }

    #[test]
    fn population_is_the_conditional_expectation_without_history() {
        let model = BgNbd {
            r: 0.243,
            alpha: 4.414,
            a: 0.793,
            b: 2.426,
        };
        let expected = model.expected_purchases_population(39.0).unwrap();
        assert!(expected > 0.0 && expected < 39.0);
        assert_eq!(
            model.expected_purchases(
                0.0,
                Customer {
                    x: 2.0,
                    t_x: 30.43,
                    age: 38.86
                }
            ),
            Some(0.0)
        );
        assert_eq!(
            model.p_alive(Customer {
                x: 0.0,
                t_x: 0.0,
                age: 38.86
            }),
            1.0
        );
    }
}
