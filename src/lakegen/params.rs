//! The model parameters of the demo lake, in one place.
//!
//! Everything stochastic in the generator is driven by these numbers; they are written verbatim
//! to `truth/params.toml` so tests and analysts can compare what the lake shows with what was
//! planted. Rates are **per day** of seasonally adjusted ("operational") time: the calendar
//! intensity is `lambda * s(t)` with a yearly seasonal factor `s` whose mean is 1.

use serde::Serialize;

/// Parameters of the buy-till-you-die process for one customer type.
///
/// While alive, a customer buys at rate `lambda ~ Gamma(shape r, rate alpha)` per day; after each
/// *repeat* purchase she drops out with probability `p ~ Beta(a, b)` (the standard BG/NBD story:
/// the first purchase starts the clock and is not followed by a dropout draw).
#[derive(Debug, Clone, Serialize)]
pub struct SegmentParams {
    /// Gamma shape of the purchase rate.
    pub r: f64,
    /// Gamma rate of the purchase rate, in days (mean rate = r / alpha per day).
    pub alpha: f64,
    /// Beta first parameter of the dropout probability.
    pub a: f64,
    /// Beta second parameter of the dropout probability.
    pub b: f64,
    /// Inter-purchase times are Gamma(shape, rate = shape * lambda): 1 is exponential (Poisson
    /// purchasing, BG/NBD exactly); larger shapes make purchasing more regular (Erlang, CV = 1/sqrt(shape)).
    pub inter_purchase_shape: u32,
    /// Share of sign-ups that never place an order (dropped out at sign-up).
    pub never_buy_prob: f64,
    /// Probability mass function of the number of basket lines 1..=6 (before planted add-ons).
    pub basket_lines_pmf: [f64; 6],
}

/// All parameters of the stochastic model.
#[derive(Debug, Clone, Serialize)]
pub struct ModelParams {
    /// Unit of `lambda`.
    pub rate_unit: &'static str,
    /// Length of the sign-up window before `as_of`, in years.
    pub history_years: u32,
    /// Daily sign-ups grow linearly over the window, ending `1 + growth` times the initial rate.
    pub acquisition_growth: f64,
    /// Share of B2B customers.
    pub b2b_share: f64,
    /// Amplitude of the yearly purchase seasonality `s(t) = 1 + A cos(2 pi (doy - peak) / 365.2425)`.
    pub seasonality_amplitude: f64,
    /// Day of year (0-based) at which purchase intensity peaks.
    pub seasonality_peak_day_of_year: f64,
    /// Probability that the first order is placed at the moment of sign-up ...
    pub first_order_at_signup_prob: f64,
    /// ... otherwise it follows after an exponential delay with this mean, in days.
    pub first_order_delay_mean_days: f64,
    /// Yearly list-price inflation; unit prices in old orders are deflated by it.
    pub price_inflation_per_year: f64,
    /// The mobile app (order channel 'app') launches this many years before `as_of`.
    pub app_launch_years_before_as_of: f64,
    /// Buy-till-you-die parameters of consumers.
    pub b2c: SegmentParams,
    /// Buy-till-you-die parameters of business customers (lower, more regular rate, more loyal).
    pub b2b: SegmentParams,
}

impl Default for ModelParams {
    fn default() -> Self {
        Self {
            rate_unit: "purchases per day (seasonally adjusted)",
            history_years: 5,
            acquisition_growth: 2.0,
            b2b_share: 0.15,
            seasonality_amplitude: 0.25,
            seasonality_peak_day_of_year: 344.0,
            first_order_at_signup_prob: 0.5,
            first_order_delay_mean_days: 2.0,
            price_inflation_per_year: 0.03,
            app_launch_years_before_as_of: 3.0,
            // Mean rate 2.5/70 = one purchase per 28 days while alive; mean p = 0.091 so a customer
            // makes 1 + E[1/p] = 32 purchases on average if observed forever (heavy tail from the
            // Beta); with the growing sign-up window this gives ~10 orders per customer.
            b2c: SegmentParams {
                r: 2.5,
                alpha: 70.0,
                a: 1.5,
                b: 15.0,
                inter_purchase_shape: 1,
                never_buy_prob: 0.06,
                basket_lines_pmf: [0.38, 0.27, 0.16, 0.10, 0.06, 0.03],
            },
            // Mean rate 4/200 = one order per 50 days, less heterogeneous, Erlang-4 gaps (CV 0.5);
            // mean p = 0.048: business accounts are more loyal.
            b2b: SegmentParams {
                r: 4.0,
                alpha: 200.0,
                a: 2.0,
                b: 40.0,
                inter_purchase_shape: 4,
                never_buy_prob: 0.03,
                basket_lines_pmf: [0.10, 0.15, 0.20, 0.20, 0.18, 0.17],
            },
        }
    }
}

/// Population expectations implied by one segment's parameters.
#[derive(Debug, Clone, Serialize)]
pub struct SegmentExpectations {
    /// E[lambda] = r / alpha, per day.
    pub mean_lambda: f64,
    /// E[p] = a / (a + b).
    pub mean_p: f64,
    /// E[1/p] = (a + b - 1) / (a - 1): expected repeat purchases before dropout, unbounded horizon.
    pub mean_repeat_purchases_until_dropout: f64,
    /// BG/NBD E[X(t)] for t = 365 operational days after the first purchase (exact for
    /// exponential inter-purchase times; for Erlang gaps it is an approximation).
    pub bgnbd_expected_repeats_365d: f64,
    /// BG/NBD E[X(t)] for t = 730 days.
    pub bgnbd_expected_repeats_730d: f64,
}

impl SegmentParams {
    pub fn expectations(&self) -> SegmentExpectations {
        SegmentExpectations {
            mean_lambda: self.r / self.alpha,
            mean_p: self.a / (self.a + self.b),
            mean_repeat_purchases_until_dropout: (self.a + self.b - 1.0) / (self.a - 1.0),
            bgnbd_expected_repeats_365d: bgnbd_expected_repeats(self, 365.0),
            bgnbd_expected_repeats_730d: bgnbd_expected_repeats(self, 730.0),
        }
    }

    /// Checks the parameters describe proper distributions (the Gamma/Beta constructors would
    /// reject them anyway; this gives a readable message).
    pub fn validate(&self, name: &str) -> Result<(), String> {
        let positive = [
            ("r", self.r),
            ("alpha", self.alpha),
            ("a", self.a),
            ("b", self.b),
        ];
        for (field, value) in positive {
            if !(value.is_finite() && value > 0.0) {
                return Err(format!("{name}.{field} must be positive, got {value}"));
            }
        }
        if self.a <= 1.0 {
            return Err(format!(
                "{name}.a must exceed 1 so that E[1/p] is finite, got {}",
                self.a
            ));
        }
        if self.inter_purchase_shape == 0 {
            return Err(format!("{name}.inter_purchase_shape must be at least 1"));
        }
        if !(0.0..1.0).contains(&self.never_buy_prob) {
            return Err(format!("{name}.never_buy_prob must be in [0, 1)"));
        }
        Ok(())
    }
}

/// BG/NBD expected number of repeat purchases in (0, t]:
/// `E[X(t)] = (a+b-1)/(a-1) * [1 - (alpha/(alpha+t))^r * 2F1(r, b; a+b-1; t/(alpha+t))]`.
pub fn bgnbd_expected_repeats(seg: &SegmentParams, t: f64) -> f64 {
    let z = t / (seg.alpha + t);
    let hyp = hypergeometric_2f1(seg.r, seg.b, seg.a + seg.b - 1.0, z);
    (seg.a + seg.b - 1.0) / (seg.a - 1.0) * (1.0 - (seg.alpha / (seg.alpha + t)).powf(seg.r) * hyp)
}

/// Gauss hypergeometric series for |z| < 1 (converges geometrically; the terms of interest
/// here need at most a few thousand steps).
fn hypergeometric_2f1(a: f64, b: f64, c: f64, z: f64) -> f64 {
    let mut term = 1.0;
    let mut sum = 1.0;
    for n in 0..200_000u32 {
        let n = f64::from(n);
        term *= (a + n) * (b + n) / ((c + n) * (n + 1.0)) * z;
        sum += term;
        if term.abs() < 1e-15 * sum.abs() {
            break;
        }
    }
    sum
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bgnbd_expectation_matches_small_t_limit() {
        // For small t, E[X(t)] ~ E[lambda] * t (nobody has had time to drop out).
        let seg = ModelParams::default().b2c;
        let t = 0.01;
        let e = bgnbd_expected_repeats(&seg, t);
        assert!((e / t - seg.r / seg.alpha).abs() < 1e-3, "{e}");
    }

    #[test]
    fn bgnbd_expectation_is_increasing_and_bounded() {
        let seg = ModelParams::default().b2c;
        let e1 = bgnbd_expected_repeats(&seg, 365.0);
        let e2 = bgnbd_expected_repeats(&seg, 730.0);
        let bound = (seg.a + seg.b - 1.0) / (seg.a - 1.0);
        assert!(0.0 < e1 && e1 < e2 && e2 < bound, "{e1} {e2} {bound}");
    }
}
