//! Thresholds on ratios of counts (support, confidence, lift), compared exactly.
//!
//! A threshold is kept as the decimal the user wrote — `0.8`, not the binary fraction
//! 0.8000000000000000444 a `DOUBLE` holds — and a ratio of two counts is compared with it by
//! long division, digit by digit, so a rule with confidence exactly 4/5 passes a minimum of
//! 0.8, and one a hair below does not, whatever the counts.

use std::fmt;

/// A non-negative decimal number, compared exactly with ratios of whole numbers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Threshold {
    /// The whole part; `None` when it is larger than any ratio of two `u64` (at least 2^64).
    whole: Option<u64>,
    /// The digits after the decimal point, trailing zeros removed.
    fraction: Vec<u8>,
}

impl Threshold {
    /// Reads a plain decimal: digits with at most one decimal point (`0.8`, `.5`, `3`,
    /// `0.000001`), the way Rust and SQL print numbers. Signs and exponents are refused.
    pub fn parse(text: &str) -> Result<Self, String> {
        let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
        let digits = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
        if (whole.is_empty() && fraction.is_empty()) || !digits(whole) || !digits(fraction) {
            return Err(format!("must be a non-negative number, not {text}"));
        }
        let whole = whole.trim_start_matches('0');
        let whole = if whole.is_empty() {
            Some(0)
        } else {
            whole.parse::<u64>().ok()
        };
        let fraction = fraction
            .trim_end_matches('0')
            .bytes()
            .map(|b| b - b'0')
            .collect();
        Ok(Threshold { whole, fraction })
    }

    /// The threshold a `DOUBLE` stands for: its shortest decimal, the one it was written as
    /// (`0.8_f64` is 0.8). Negative, infinite and NaN values are refused.
    pub fn from_f64(value: f64) -> Result<Self, String> {
        if !value.is_finite() || value.is_sign_negative() && value != 0.0 {
            return Err(format!("must be a non-negative number, not {value}"));
        }
        // Rust prints a float as its shortest round-tripping decimal, never in exponent form.
        Threshold::parse(&value.abs().to_string())
    }

    /// Whether the threshold is 0.
    pub fn is_zero(&self) -> bool {
        self.whole == Some(0) && self.fraction.is_empty()
    }

    /// Whether the threshold is at most 1.
    pub fn at_most_one(&self) -> bool {
        self.whole == Some(0) || self.whole == Some(1) && self.fraction.is_empty()
    }

    /// Whether `numerator / denominator` is at least the threshold. `denominator` must not be 0.
    pub fn admits(&self, numerator: u64, denominator: u64) -> bool {
        debug_assert!(denominator > 0);
        let Some(whole) = self.whole else {
            return false;
        };
        let quotient = numerator / denominator;
        if quotient != whole {
            return quotient > whole;
        }
        // The same whole part: compare the decimals of the ratio with those of the threshold.
        let denominator = u128::from(denominator);
        let mut remainder = u128::from(numerator) % denominator;
        for &digit in &self.fraction {
            remainder *= 10;
            let next = (remainder / denominator) as u8;
            remainder %= denominator;
            if next != digit {
                return next > digit;
            }
        }
        true
    }

    /// The smallest count `c` with `c / total` at least the threshold (`total + 1` when even
    /// `total` falls short). `total` must not be 0.
    pub fn min_count(&self, total: u64) -> u64 {
        // The admitted counts are those from some point on: find it by bisection.
        let (mut low, mut high) = (0u64, total.saturating_add(1));
        while low < high {
            let middle = low + (high - low) / 2;
            if self.admits(middle, total) {
                high = middle;
            } else {
                low = middle + 1;
            }
        }
        low
    }
}

impl fmt::Display for Threshold {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.whole {
            Some(whole) => write!(f, "{whole}")?,
            None => write!(f, "≥2^64")?,
        }
        if !self.fraction.is_empty() {
            write!(f, ".")?;
            for digit in &self.fraction {
                write!(f, "{digit}")?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratios_at_the_threshold_pass() {
        let t = Threshold::from_f64(0.8).unwrap();
        assert_eq!(t.to_string(), "0.8");
        assert!(t.admits(4, 5));
        assert!(t.admits(8, 10));
        assert!(!t.admits(799_999_999, 1_000_000_000));
        assert!(t.admits(800_000_000, 1_000_000_000));
        let third = Threshold::parse("0.3333").unwrap();
        assert!(third.admits(1, 3));
        assert!(!Threshold::parse("0.33334").unwrap().admits(1, 3));
        assert!(
            Threshold::parse("0.33333333333333333333333")
                .unwrap()
                .admits(1, 3)
        );
        let lift = Threshold::parse("1.5").unwrap();
        assert!(lift.admits(3, 2) && lift.admits(u64::MAX, 2) && !lift.admits(14, 10));
        assert!(Threshold::parse("0").unwrap().admits(0, 7));
        assert!(Threshold::parse("0").unwrap().is_zero());
        assert!(
            !Threshold::parse("99999999999999999999999")
                .unwrap()
                .admits(u64::MAX, 1)
        );
        assert!(
            Threshold::parse("18446744073709551615")
                .unwrap()
                .admits(u64::MAX, 1)
        );
    }

    #[test]
    fn tiny_and_odd_thresholds() {
        let tiny = Threshold::from_f64(1e-30).unwrap();
        assert!(tiny.admits(1, u64::MAX) && !tiny.admits(0, 1));
        assert_eq!(Threshold::parse(".5").unwrap().to_string(), "0.5");
        assert_eq!(Threshold::parse("007.250").unwrap().to_string(), "7.25");
        for bad in ["", ".", "-1", "1e-3", "0.5.1", " 1", "abc"] {
            assert!(Threshold::parse(bad).is_err(), "{bad}");
        }
        assert!(Threshold::from_f64(-0.5).is_err());
        assert!(Threshold::from_f64(f64::NAN).is_err());
        assert!(Threshold::from_f64(-0.0).unwrap().is_zero());
        assert!(Threshold::parse("1.0").unwrap().at_most_one());
        assert!(!Threshold::parse("1.01").unwrap().at_most_one());
    }

    #[test]
    fn min_count_is_the_smallest_admitted_count() {
        for (threshold, total, expected) in [
            ("0.01", 9835, 99),  // 98.35 rounds up
            ("0.01", 100, 1),    // exactly 1
            ("0.5", 7, 4),       // 3.5
            ("1", 7, 7),         // every basket
            ("0.0000001", 7, 1), // less than one basket: one
            ("0", 7, 0),
        ] {
            let t = Threshold::parse(threshold).unwrap();
            assert_eq!(t.min_count(total), expected, "{threshold} of {total}");
        }
        assert_eq!(Threshold::parse("2").unwrap().min_count(7), 8);
    }
}
