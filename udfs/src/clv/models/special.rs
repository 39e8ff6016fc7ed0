//! Special functions the models need beyond `ln Γ` and `ψ` (which come from statrs): the
//! logarithm of |Γ| with its sign for negative arguments, and the Gauss hypergeometric
//! function ₂F₁ on `0 ≤ z < 1`, the range the BG/NBD expectations use.
//!
//! ₂F₁ is returned as a logarithm and a sign because it overflows `f64` for customers with
//! hundreds of purchases (₂F₁(300, 302; 302; 0.9) ≈ 10^300), while the expectations only need
//! it multiplied by a small power of `1 − z`.
//!
//! Method (DLMF §15.2, §15.8):
//! - `z ≤ 0.75`: the Gauss series, summed with a running rescale so huge intermediate terms
//!   cannot overflow; it converges at least as fast as `0.75ⁿ`.
//! - `z > 0.75`: the connection formula to `1 − z` (DLMF 15.8.4), whose two series converge
//!   like `0.25ⁿ`. The formula's gamma factors have poles when `c − a − b` is an integer;
//!   within `NEAR_INTEGER` of one, the value is interpolated linearly in `c` between the
//!   two points `c − a − b = k ± NEAR_INTEGER`, an error of order `NEAR_INTEGER²`.

use std::f64::consts::PI;

use statrs::function::gamma::{digamma, ln_gamma};

/// How close to an integer `c − a − b` may come before the connection formula is replaced by
/// interpolation (its two terms cancel with a relative error of about `ε / distance`).
const NEAR_INTEGER: f64 = 1e-5;

/// Largest number of series terms before giving up (the series used converge geometrically,
/// so this is only reached for parameters of absurd size).
const MAX_TERMS: usize = 1_000_000;

/// A real number held as `sign · exp(ln_abs)`: `sign` is 1, −1 or 0 (then `ln_abs` is −∞).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LogValue {
    pub ln_abs: f64,
    pub sign: f64,
}

impl LogValue {
    pub const ZERO: LogValue = LogValue {
        ln_abs: f64::NEG_INFINITY,
        sign: 0.0,
    };

    fn new(ln_abs: f64, sign: f64) -> Self {
        if sign == 0.0 || ln_abs == f64::NEG_INFINITY {
            Self::ZERO
        } else {
            Self { ln_abs, sign }
        }
    }

    /// The value as an `f64` (±∞ when it overflows).
    pub fn value(self) -> f64 {
        self.sign * self.ln_abs.exp()
    }

    fn mul(self, other: LogValue) -> LogValue {
        LogValue::new(self.ln_abs + other.ln_abs, self.sign * other.sign)
    }

    /// The sum, computed relative to the larger magnitude so it cannot overflow.
    fn add(self, other: LogValue) -> LogValue {
        let (big, small) = if self.ln_abs >= other.ln_abs {
            (self, other)
        } else {
            (other, self)
        };
        if small.sign == 0.0 {
            return big;
        }
        let ratio = small.sign * big.sign * (small.ln_abs - big.ln_abs).exp();
        let scaled = 1.0 + ratio;
        LogValue::new(big.ln_abs + scaled.abs().ln(), big.sign * scaled.signum())
    }
}

/// Steps of the recurrences [`shifted_gammas`] takes from its last direct evaluation, so
/// that rounding errors cannot pile up along a long run of counts.
const RECURRENCE_STEPS: u64 = 64;

/// (ln Γ(c + x), ψ(c + x)) for each of the ascending whole numbers `counts`. A likelihood
/// needs these for every distinct x at every evaluation; between neighbours a few apart the
/// recurrences ln Γ(z + 1) = ln Γ(z) + ln z and ψ(z + 1) = ψ(z) + 1/z cost a logarithm and a
/// division per step, against a Lanczos sum and a series for each direct evaluation.
pub fn shifted_gammas(c: f64, counts: &[u64]) -> Vec<(f64, f64)> {
    let mut values = Vec::with_capacity(counts.len());
    // The last count, its values, and the steps taken since the last direct evaluation.
    let mut previous: Option<(u64, f64, f64, u64)> = None;
    for &x in counts {
        let (ln_g, psi, steps) = match previous {
            Some((last, mut ln_g, mut psi, steps))
                if x >= last && steps + (x - last) <= RECURRENCE_STEPS =>
            {
                for k in last..x {
                    let z = c + k as f64;
                    ln_g += z.ln();
                    psi += 1.0 / z;
                }
                (ln_g, psi, steps + (x - last))
            }
            _ => {
                let z = c + x as f64;
                (ln_gamma(z), digamma(z), 0)
            }
        };
        values.push((ln_g, psi));
        previous = Some((x, ln_g, psi, steps));
    }
    values
}

/// `ln |Γ(x)|` and the sign of `Γ(x)`; at the poles (0, −1, −2, …) the reciprocal `1/Γ` is 0,
/// returned as [`LogValue::ZERO`] of the reciprocal — see [`reciprocal_gamma`].
fn ln_gamma_signed(x: f64) -> LogValue {
    if x > 0.0 {
        return LogValue::new(ln_gamma(x), 1.0);
    }
    // Reflection Γ(x) Γ(1 − x) = π / sin(πx), with sin(πx) reduced to (−½, ½] periods so it
    // stays exact for large |x|.
    let nearest = x.round();
    let sin = (PI * (x - nearest)).sin() * if nearest % 2.0 == 0.0 { 1.0 } else { -1.0 };
    LogValue::new(PI.ln() - sin.abs().ln() - ln_gamma(1.0 - x), sin.signum())
}

/// `1 / Γ(x)` as a [`LogValue`]: zero at the poles of Γ.
fn reciprocal_gamma(x: f64) -> LogValue {
    if x <= 0.0 && x == x.round() {
        return LogValue::ZERO;
    }
    let g = ln_gamma_signed(x);
    LogValue::new(-g.ln_abs, g.sign)
}

fn gamma(x: f64) -> LogValue {
    ln_gamma_signed(x)
}

fn is_non_positive_integer(x: f64) -> bool {
    x <= 0.0 && x == x.round()
}

/// The Gauss hypergeometric function ₂F₁(a, b; c; z) for `0 ≤ z < 1`, as a [`LogValue`].
/// `None` when it is undefined (`c` a non-positive integer that is not cancelled by `a` or
/// `b`), when `z` is outside `[0, 1)`, or when an argument is not finite.
pub fn hyp2f1(a: f64, b: f64, c: f64, z: f64) -> Option<LogValue> {
    if !(a.is_finite() && b.is_finite() && c.is_finite() && (0.0..1.0).contains(&z)) {
        return None;
    }
    let terminates = is_non_positive_integer(a) || is_non_positive_integer(b);
    if z <= 0.75 || terminates {
        return gauss_series(a, b, c, z);
    }
    let m = c - a - b;
    let k = m.round();
    if (m - k).abs() >= NEAR_INTEGER {
        return connection(a, b, c, z);
    }
    // Interpolate in c between c − a − b = k − δ and k + δ.
    let c_low = c - (m - k) - NEAR_INTEGER;
    let c_high = c - (m - k) + NEAR_INTEGER;
    let low = connection(a, b, c_low, z)?;
    let high = connection(a, b, c_high, z)?;
    let share = (c - c_low) / (c_high - c_low);
    if low.sign == high.sign && low.sign != 0.0 {
        let ln_abs = low.ln_abs + share * (high.ln_abs - low.ln_abs);
        Some(LogValue::new(ln_abs, low.sign))
    } else {
        let value = low.value() + share * (high.value() - low.value());
        Some(LogValue::new(value.abs().ln(), value.signum()))
    }
}

/// The Gauss series Σ (a)ₙ(b)ₙ / ((c)ₙ n!) zⁿ.
fn gauss_series(a: f64, b: f64, c: f64, z: f64) -> Option<LogValue> {
    const RESCALE: f64 = 1e200;
    let mut term = 1.0_f64;
    let mut sum = 1.0_f64;
    let mut ln_scale = 0.0_f64;
    for n in 0..MAX_TERMS {
        let n = n as f64;
        if c + n == 0.0 {
            // (c)ₙ reaches zero before the series terminated: a pole.
            return None;
        }
        let ratio = (a + n) * (b + n) / ((c + n) * (n + 1.0)) * z;
        term *= ratio;
        sum += term;
        if sum.abs() > RESCALE {
            sum /= RESCALE;
            term /= RESCALE;
            ln_scale += RESCALE.ln();
        }
        if term == 0.0 {
            break;
        }
        // Once the terms shrink geometrically (|ratio| < 1 and decreasing towards z), the tail
        // is below |term| · z / (1 − z).
        let shrinking = ratio.abs() < 1.0 && n + 1.0 > (c.abs() + a.abs() + b.abs());
        if shrinking && term.abs() * z / (1.0 - z) <= f64::EPSILON * 0.5 * sum.abs() {
            let value = LogValue::new(sum.abs().ln() + ln_scale, sum.signum());
            return Some(value);
        }
    }
    if term == 0.0 {
        return Some(LogValue::new(sum.abs().ln() + ln_scale, sum.signum()));
    }
    None
}

/// DLMF 15.8.4: ₂F₁(a,b;c;z) = Γ(c)Γ(c−a−b)/(Γ(c−a)Γ(c−b)) ₂F₁(a,b;a+b−c+1;1−z)
///   + (1−z)^(c−a−b) Γ(c)Γ(a+b−c)/(Γ(a)Γ(b)) ₂F₁(c−a,c−b;c−a−b+1;1−z), for non-integer c−a−b.
fn connection(a: f64, b: f64, c: f64, z: f64) -> Option<LogValue> {
    if is_non_positive_integer(c) {
        return None;
    }
    let w = 1.0 - z;
    let m = c - a - b;
    let gamma_c = gamma(c);
    let first_factor = gamma_c
        .mul(gamma(m))
        .mul(reciprocal_gamma(c - a))
        .mul(reciprocal_gamma(c - b));
    let first = if first_factor.sign == 0.0 {
        LogValue::ZERO
    } else {
        first_factor.mul(gauss_series(a, b, 1.0 - m, w)?)
    };
    let second_factor = gamma_c
        .mul(gamma(-m))
        .mul(reciprocal_gamma(a))
        .mul(reciprocal_gamma(b))
        .mul(LogValue::new(m * w.ln(), 1.0));
    let second = if second_factor.sign == 0.0 {
        LogValue::ZERO
    } else {
        second_factor.mul(gauss_series(c - a, c - b, 1.0 + m, w)?)
    };
    Some(first.add(second))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (a, b, c, z, ln |₂F₁|, sign), from mpmath at 40 digits. The first rows are the BG/NBD
    /// case (r + x, b + x, a + b + x − 1) at the CDNOW estimates. (mpmath's digits are kept
    /// as printed, beyond f64's precision.)
    #[allow(clippy::excessive_precision)]
    const MPMATH: [(f64, f64, f64, f64, f64, f64); 25] = [
        (0.243, 2.426, 2.219, 0.3, 0.095781462447278533389, 1.0),
        (0.243, 2.426, 2.219, 0.9, 0.6666138494182039213, 1.0),
        (0.243, 2.426, 2.219, 0.99, 1.4759662591470993546, 1.0),
        (2.243, 4.426, 4.219, 0.5, 1.6412648010848116977, 1.0),
        (2.243, 4.426, 4.219, 0.97, 8.4502163182484416256, 1.0),
        (30.243, 32.426, 32.219, 0.6, 27.893235548541124157, 1.0),
        (30.243, 32.426, 32.219, 0.95, 91.207471678720446357, 1.0),
        (300.2, 302.4, 302.2, 0.7, 361.67250086767637509, 1.0),
        (300.2, 302.4, 302.2, 0.9, 691.69536568238842809, 1.0),
        (300.2, 302.4, 302.2, 0.9999, 2766.7849180843213659, 1.0),
        (1.5, 2.5, 4.0, 0.8, 1.2824554198503840855, 1.0),
        (1.5, 2.5, 4.0, 0.999, 3.2444769253632451895, 1.0),
        (1.5, 2.5, 5.0, 0.9, 1.1818918727026035663, 1.0),
        (1.5, 2.5, 5.0, 0.999999, 1.6923529009596195208, 1.0),
        (0.5, 0.5, 0.6, 0.95, 1.2314418787992600783, 1.0),
        (0.243, 0.2, -0.5, 0.4, -0.082683907917243544334, 1.0),
        (0.243, 0.2, -0.5, 0.9, -0.84011626742203509909, -1.0),
        (1.0, 1.0, 2.0, 0.9, 0.93939296090578217279, 1.0),
        (3.0, 1.0, 5.0, 0.99, 1.29472891912570877, 1.0),
        (0.7, 1.3, 2.0000001, 0.98, 1.2871669846528834712, 1.0),
        (0.7, 1.3, 2.0, 0.98, 1.2871671138968563961, 1.0),
        (0.7, 1.3, 2.0, 0.999999999, 2.8898303358867814972, 1.0),
        (5.2, 0.8, 3.0, 0.99999, 32.289395115566309938, 1.0),
        (-3.0, 2.5, 1.5, 0.95, -5.3762789080177468316, -1.0),
        (0.25, 1.75, 0.5, 0.2, 0.20430135671931078168, 1.0),
    ];

    #[test]
    fn hyp2f1_matches_mpmath() {
        for (a, b, c, z, ln_abs, sign) in MPMATH {
            let got = hyp2f1(a, b, c, z).unwrap();
            assert_eq!(got.sign, sign, "sign of 2F1({a}, {b}; {c}; {z})");
            // ln|F| to 1e-9 absolute is |F| to 1e-9 relative.
            assert!(
                (got.ln_abs - ln_abs).abs() <= 1e-9 * ln_abs.abs().max(1.0),
                "2F1({a}, {b}; {c}; {z}): ln |F| {} against {ln_abs}",
                got.ln_abs
            );
        }
    }

    /// 400 random BG/NBD cases (r, a, b from 0.05 to 20, x up to 1,000, z up to 1 − 1e-9),
    /// from `tests/data/hyp2f1/hyp2f1_mpmath.py`.
    #[test]
    fn hyp2f1_matches_mpmath_over_the_bgnbd_range() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/data/hyp2f1/hyp2f1_mpmath.csv"
        );
        let text = std::fs::read_to_string(path).unwrap();
        let mut worst: f64 = 0.0;
        for line in text.lines().skip(1) {
            let v: Vec<f64> = line.split(',').map(|f| f.parse().unwrap()).collect();
            let &[a, b, c, z, ln_abs, sign] = v.as_slice() else {
                panic!("{line}");
            };
            let got = hyp2f1(a, b, c, z).unwrap_or_else(|| panic!("2F1({a}, {b}; {c}; {z})"));
            assert_eq!(got.sign, sign, "sign of 2F1({a}, {b}; {c}; {z})");
            let error = (got.ln_abs - ln_abs).abs() / ln_abs.abs().max(1.0);
            worst = worst.max(error);
            assert!(
                error <= 1e-9,
                "2F1({a}, {b}; {c}; {z}): ln |F| {} against {ln_abs}",
                got.ln_abs
            );
        }
        assert!(text.lines().count() > 300 && worst < 1e-9, "worst {worst}");
    }

    #[test]
    fn hyp2f1_outside_its_domain_is_none() {
        assert_eq!(hyp2f1(1.0, 1.0, 2.0, 1.0), None);
        assert_eq!(hyp2f1(1.0, 1.0, 2.0, -0.1), None);
        assert_eq!(hyp2f1(1.0, 1.0, -2.0, 0.5), None);
        assert_eq!(hyp2f1(f64::NAN, 1.0, 2.0, 0.5), None);
        // A polynomial: c a negative integer below a = −1 is fine.
        assert!((hyp2f1(-1.0, 1.0, -2.0, 0.5).unwrap().value() - 1.25).abs() < 1e-15);
    }

    #[test]
    fn log_values_add_with_signs() {
        let three = LogValue::new(3f64.ln(), 1.0);
        let minus_two = LogValue::new(2f64.ln(), -1.0);
        assert!((three.add(minus_two).value() - 1.0).abs() < 1e-15);
        assert!((minus_two.add(minus_two).value() + 4.0).abs() < 1e-15);
        assert_eq!(three.add(LogValue::ZERO), three);
        assert!((gamma(-0.5).value() + 2.0 * PI.sqrt()).abs() < 1e-13);
        assert_eq!(reciprocal_gamma(-3.0), LogValue::ZERO);
    }

    #[test]
    fn shifted_gammas_follow_the_direct_values() {
        let counts = [0, 1, 2, 3, 7, 40, 41, 200, 5_000, 5_031];
        for c in [0.05, 0.243, 1.0, 2.426, 16.37] {
            for ((ln_g, psi), x) in shifted_gammas(c, &counts).into_iter().zip(counts) {
                let z = c + x as f64;
                let (want_ln_g, want_psi) = (ln_gamma(z), digamma(z));
                assert!(
                    (ln_g - want_ln_g).abs() <= 1e-12 * want_ln_g.abs().max(1.0),
                    "{c} {x}"
                );
                assert!(
                    (psi - want_psi).abs() <= 1e-12 * want_psi.abs().max(1.0),
                    "{c} {x}"
                );
            }
        }
    }
}
