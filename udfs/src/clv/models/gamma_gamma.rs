//! The Gamma-Gamma model of spend per purchase (Fader, Hardie & Lee 2005, "RFM and CLV"; Colombo
//! & Jiang 1999): each purchase of a customer is worth Gamma(p, ν), and the customer's ν is
//! Gamma(q, γ) across customers. Fitted on the customers with at least one repeat purchase,
//! from `x` (repeat purchases) and `zbar` (the mean value of those purchases), with the
//! log-likelihood of one customer
//!
//! ```text
//! ln L = ln Γ(px + q) − ln Γ(px) − ln Γ(q) + q ln γ + (px − 1) ln zbar + px ln x
//!        − (px + q) ln(x·zbar + γ)
//! ```
//!
//! as lifetimes writes it (the density of zbar itself, so log-likelihoods compare directly).

use std::sync::atomic::AtomicBool;

use statrs::function::gamma::{digamma, ln_gamma};

use super::optimize::{Fit, Likelihood, maximize_in_stages};
use super::{Sample, repeat_purchases};

/// The three Gamma-Gamma parameters (γ is `gamma`, lifetimes' `v`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GammaGamma {
    pub p: f64,
    pub q: f64,
    pub gamma: f64,
}

impl GammaGamma {
    /// Checks that every parameter is positive and finite.
    pub fn check(&self) -> Result<(), String> {
        for (name, value) in [("p", self.p), ("q", self.q), ("gamma", self.gamma)] {
            if !(value.is_finite() && value > 0.0) {
                return Err(format!(
                    "Gamma-Gamma parameter {name} must be positive, not {value}"
                ));
            }
        }
        Ok(())
    }

    /// The expected mean value of a customer's future purchases, given `x` repeat purchases
    /// of mean value `zbar`: a weighted mean of the population mean pγ/(q − 1) and the
    /// customer's own mean, weighted px/(px + q − 1). Needs q > 1 (otherwise the population
    /// mean is infinite).
    pub fn expected_spend(&self, x: f64, zbar: f64) -> Result<f64, String> {
        let GammaGamma { p, q, gamma } = *self;
        if q <= 1.0 {
            return Err(format!(
                "the expected spend needs Gamma-Gamma q > 1 (the population mean is infinite), not {q}"
            ));
        }
        let weight = p * x / (p * x + q - 1.0);
        let population = gamma * p / (q - 1.0);
        Ok((1.0 - weight) * population + weight * zbar)
    }
}

/// The customers a Gamma-Gamma model is fitted on.
pub struct Spend {
    /// `u` is zbar and `v` its logarithm.
    sample: Sample,
}

impl Spend {
    /// From `(x, zbar)` of customers with x ≥ 1 and zbar > 0, see [`check`].
    pub fn new(customers: impl IntoIterator<Item = (u64, f64)>) -> Self {
        Self {
            sample: Sample::new(
                customers
                    .into_iter()
                    .map(|(x, zbar)| (x, zbar, zbar.ln()))
                    .collect(),
            ),
        }
    }
}

/// Checks one customer's `(x, zbar)`; `Ok(None)` for a customer without repeat purchases, who
/// does not enter the fit.
pub fn check(x: f64, zbar: f64) -> Result<Option<u64>, String> {
    let count = repeat_purchases(x)?;
    if count == 0 {
        return Ok(None);
    }
    if !(zbar.is_finite() && zbar > 0.0) {
        return Err(format!(
            "zbar (mean purchase value) must be positive for a customer with repeat purchases, not {zbar}"
        ));
    }
    Ok(Some(count))
}

impl Likelihood for Spend {
    fn evaluate(&self, params: &[f64]) -> Option<(f64, Vec<f64>)> {
        let &[p, q, gamma] = params else {
            return None;
        };
        let (ln_gamma_q, psi_q, ln_v) = (ln_gamma(q), digamma(q), gamma.ln());
        // Per distinct x: (x, px, constant, d/dp without the row's logs, d/dq constant).
        let per_count: Vec<[f64; 5]> = self
            .sample
            .counts()
            .map(|x| {
                let x = x as f64;
                let px = p * x;
                let constant = ln_gamma(px + q) - ln_gamma(px) - ln_gamma_q + px * x.ln();
                let psi_pxq = digamma(px + q);
                [
                    x,
                    px,
                    constant,
                    x * (psi_pxq - digamma(px) + x.ln()),
                    psi_pxq - psi_q + ln_v,
                ]
            })
            .collect();
        let [ll, g_p, g_q, g_gamma] = self.sample.sum(|row| {
            let (zbar, ln_zbar) = (row.u, row.v);
            let [x, px, constant, d_p, d_q] = per_count[row.group];
            let total = x * zbar + gamma;
            let ln_total = total.ln();
            [
                constant + q * ln_v + (px - 1.0) * ln_zbar - (px + q) * ln_total,
                d_p + x * (ln_zbar - ln_total),
                d_q - ln_total,
                q / gamma - (px + q) / total,
            ]
        });
        let gradient = vec![g_p, g_q, g_gamma];
        (ll.is_finite() && gradient.iter().all(|g| g.is_finite())).then_some((ll, gradient))
    }

    fn customers(&self) -> f64 {
        self.sample.customers()
    }

    fn subsample(&self, rows: usize) -> Option<Self> {
        let sample = self.sample.subsample(rows)?;
        Some(Spend { sample })
    }
}

/// The maximum-likelihood Gamma-Gamma parameters. Starts from p = 1, q = 2 and γ = the mean
/// zbar (so that the population mean pγ/(q − 1) is the observed one). Stops when `stop` is
/// set.
pub fn fit(spend: &Spend, stop: &AtomicBool) -> Result<(GammaGamma, Fit), String> {
    let customers = spend.customers();
    if customers == 0.0 {
        return Err("no customer with a repeat purchase to fit".to_string());
    }
    let [zbar_total] = spend.sample.sum(|row| [row.u]);
    let result = maximize_in_stages(spend, &[1.0, 2.0, zbar_total / customers], stop)?;
    let &[p, q, gamma] = result.params.as_slice() else {
        return Err("the optimiser returned the wrong number of parameters".into());
    };
    Ok((GammaGamma { p, q, gamma }, result))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gradient_matches_finite_differences() {
        let spend = Spend::new(vec![(1, 12.5), (2, 30.0), (2, 8.0), (7, 19.9), (1, 150.0)]);
        let params = [3.0, 2.5, 12.0];
        let (_, gradient) = spend.evaluate(&params).unwrap();
        for i in 0..3 {
            let h = 1e-6 * params[i];
            let mut up = params;
            up[i] += h;
            let mut down = params;
            down[i] -= h;
            let numeric =
                (spend.evaluate(&up).unwrap().0 - spend.evaluate(&down).unwrap().0) / (2.0 * h);
            assert!(
                (numeric - gradient[i]).abs() <= 1e-6 * numeric.abs().max(1.0),
                "parameter {i}: analytic {} numeric {numeric}",
                gradient[i]
            );
        }
    }

    #[test]
    fn expected_spend_shrinks_towards_the_population_mean() {
        let model = GammaGamma {
            p: 6.25,
            q: 3.74,
            gamma: 15.44,
        };
        let population = 6.25 * 15.44 / 2.74;
        assert!((model.expected_spend(0.0, 0.0).unwrap() - population).abs() < 1e-12);
        let one = model.expected_spend(1.0, 100.0).unwrap();
        let many = model.expected_spend(50.0, 100.0).unwrap();
        assert!(population < one && one < many && many < 100.0);
        assert!(
            GammaGamma { q: 0.9, ..model }
                .expected_spend(1.0, 1.0)
                .is_err()
        );
    }
}
