//! Time in the demo lake: the sign-up schedule, purchase seasonality and times of day.
//!
//! Model time is `f64` days since the Unix epoch; stored timestamps are `i64` microseconds since
//! the epoch (Arrow `Timestamp(Microsecond, None)`), dates are `i32` days (Arrow `Date32`).
//! History ends at the *end* of the `as_of` day: every timestamp is `< as_of + 1 day`.

use std::f64::consts::TAU;

use chrono::NaiveDate;
use rand::Rng;

use super::params::ModelParams;
use super::random::Cumulative;

pub const MICROS_PER_DAY: i64 = 86_400_000_000;
pub const MICROS_PER_HOUR: i64 = 3_600_000_000;
const DAYS_PER_YEAR: f64 = 365.2425;

/// Converts model time (days since epoch) to microseconds since epoch.
pub fn to_micros(day: f64) -> i64 {
    (day * MICROS_PER_DAY as f64).round() as i64
}

/// Monday = 0 … Sunday = 6 (1970-01-01 was a Thursday).
pub fn weekday(day: i64) -> i64 {
    (day + 3).rem_euclid(7)
}

/// Hour-of-day patterns: when orders and contacts happen.
#[derive(Debug, Clone, Copy)]
pub enum DayPattern {
    /// Web shop, consumers: busy evenings.
    Online = 0,
    /// Mobile app: commute peaks and late evening.
    App = 1,
    /// Stores: opening hours 9–20.
    Store = 2,
    /// Business hours 8–18 (B2B orders, phone contacts, visits).
    Business = 3,
}

const HOUR_WEIGHTS: [[f64; 24]; 4] = [
    [
        1.0, 0.6, 0.3, 0.2, 0.2, 0.3, 0.8, 1.5, 2.2, 2.8, 3.0, 3.2, 3.4, 3.2, 3.0, 3.0, 3.2, 3.6,
        4.2, 5.0, 5.4, 5.0, 3.6, 2.0,
    ],
    [
        1.2, 0.6, 0.3, 0.2, 0.2, 0.5, 1.6, 3.2, 3.0, 2.2, 2.0, 2.4, 3.0, 2.6, 2.2, 2.2, 2.6, 3.4,
        3.8, 4.4, 5.0, 5.6, 4.6, 2.6,
    ],
    [
        0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 2.0, 3.0, 4.0, 5.0, 4.5, 4.0, 4.0, 4.5, 5.0,
        5.0, 4.0, 2.0, 0.0, 0.0, 0.0,
    ],
    [
        0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.3, 2.0, 4.0, 5.0, 5.0, 3.0, 3.5, 4.5, 4.5, 3.5, 1.5,
        0.3, 0.0, 0.0, 0.0, 0.0, 0.0,
    ],
];

/// The calendar of one generated lake.
#[derive(Debug, Clone)]
pub struct Calendar {
    /// Last day of history.
    pub as_of: NaiveDate,
    /// `as_of` in days since epoch.
    pub as_of_day: i64,
    /// Exclusive end of history in model time (`as_of_day + 1`).
    pub horizon: f64,
    /// `horizon` in microseconds.
    pub horizon_micros: i64,
    /// First possible sign-up day.
    pub window_start_day: i64,
    /// Orders in channel 'app' exist only from this day on.
    pub app_launch_day: i64,
    customers: u64,
    /// Cumulative share of all sign-ups up to and including each day of the window.
    signup_cdf: Vec<f64>,
    season_amplitude: f64,
    season_peak: f64,
    hour_of_day: Vec<Cumulative>,
}

impl Calendar {
    pub fn new(as_of: NaiveDate, customers: u64, params: &ModelParams) -> Self {
        let as_of_day = i64::from(as_of.to_epoch_days());
        let window_days = (f64::from(params.history_years) * DAYS_PER_YEAR).round() as i64;
        let window_start_day = as_of_day - window_days + 1;
        let signup_cdf = signup_cdf(window_start_day, window_days, params.acquisition_growth);
        let app_launch_day =
            as_of_day - (params.app_launch_years_before_as_of * DAYS_PER_YEAR).round() as i64;
        Self {
            as_of,
            as_of_day,
            horizon: (as_of_day + 1) as f64,
            horizon_micros: (as_of_day + 1) * MICROS_PER_DAY,
            window_start_day,
            app_launch_day,
            customers,
            signup_cdf,
            season_amplitude: params.seasonality_amplitude,
            // Day 0 of the epoch is Jan 1, so a day-of-year is also an epoch-day phase.
            season_peak: params.seasonality_peak_day_of_year,
            hour_of_day: HOUR_WEIGHTS.iter().map(|w| Cumulative::new(w)).collect(),
        }
    }

    /// Sign-up day of customer `id` (1-based). Customers are numbered in sign-up order: the
    /// id's quantile in the sign-up distribution picks the day, so it needs no randomness and
    /// anyone can tell who signed up before whom.
    pub fn signup_day(&self, id: u64) -> i64 {
        let quantile = (id as f64 - 0.5) / self.customers as f64;
        let offset = self.signup_cdf.partition_point(|&c| c < quantile);
        self.window_start_day + offset.min(self.signup_cdf.len() - 1) as i64
    }

    /// Number of customers (= the largest id) who signed up strictly before `day`.
    pub fn customers_before_day(&self, day: i64) -> u64 {
        let (mut lo, mut hi) = (0u64, self.customers);
        while lo < hi {
            let mid = lo + (hi - lo).div_ceil(2);
            if self.signup_day(mid) < day {
                lo = mid
            } else {
                hi = mid - 1
            }
        }
        lo
    }

    /// Seasonal purchase intensity multiplier (mean 1 over a year).
    pub fn season(&self, t: f64) -> f64 {
        1.0 + self.season_amplitude * (TAU * (t - self.season_peak) / DAYS_PER_YEAR).cos()
    }

    /// Operational time: the integral of the seasonal intensity. A homogeneous process in
    /// operational time is the seasonal process in calendar time.
    pub fn warp(&self, t: f64) -> f64 {
        t + self.season_amplitude * DAYS_PER_YEAR / TAU
            * (TAU * (t - self.season_peak) / DAYS_PER_YEAR).sin()
    }

    /// Calendar time whose operational time is `target`; `guess` should be close (Newton).
    pub fn unwarp(&self, target: f64, guess: f64) -> f64 {
        let mut t = guess;
        for _ in 0..30 {
            let f = self.warp(t) - target;
            if f.abs() < 1e-9 {
                break;
            }
            // season() >= 1 - amplitude > 0, so the step is well defined.
            t -= f / self.season(t);
        }
        t
    }

    /// A random time of day (microseconds after midnight) following `pattern`.
    pub fn time_of_day<R: Rng>(&self, rng: &mut R, pattern: DayPattern) -> i64 {
        let hour = self.hour_of_day[pattern as usize].sample(rng) as i64;
        hour * MICROS_PER_HOUR + rng.random_range(0..MICROS_PER_HOUR)
    }
}

/// Daily sign-up shares over the window: linear growth, a January peak (new-year resolutions)
/// and quieter weekends.
fn signup_cdf(start_day: i64, days: i64, growth: f64) -> Vec<f64> {
    let weights: Vec<f64> = (0..days)
        .map(|offset| {
            let day = start_day + offset;
            let progress = offset as f64 / (days - 1).max(1) as f64;
            let trend = 1.0 + growth * progress;
            let season = 1.0 + 0.15 * (TAU * (day as f64 - 15.0) / DAYS_PER_YEAR).cos();
            let week = match weekday(day) {
                5 => 0.85,
                6 => 0.75,
                _ => 1.0,
            };
            trend * season * week
        })
        .collect();
    let total: f64 = weights.iter().sum();
    let mut acc = 0.0;
    weights
        .iter()
        .map(|w| {
            acc += w / total;
            acc
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn calendar(customers: u64) -> Calendar {
        let as_of = NaiveDate::from_ymd_opt(2024, 6, 30).expect("valid date");
        Calendar::new(as_of, customers, &ModelParams::default())
    }

    #[test]
    fn signup_days_are_monotone_and_inside_window() {
        let cal = calendar(10_000);
        let mut previous = i64::MIN;
        for id in 1..=10_000 {
            let day = cal.signup_day(id);
            assert!(day >= previous);
            assert!(day >= cal.window_start_day && day <= cal.as_of_day);
            previous = day;
        }
    }

    #[test]
    fn customers_before_day_is_consistent_with_signup_day() {
        let cal = calendar(5_000);
        for id in [1u64, 2, 17, 2_500, 4_999, 5_000] {
            let day = cal.signup_day(id);
            let before = cal.customers_before_day(day);
            assert!(before < id);
            if before > 0 {
                assert!(cal.signup_day(before) < day);
            }
            assert_eq!(cal.signup_day(before + 1), day);
        }
    }

    #[test]
    fn unwarp_inverts_warp() {
        let cal = calendar(10);
        for t in [19_000.0, 19_123.4, 19_500.9] {
            let op = cal.warp(t) + 37.5;
            let back = cal.unwarp(op, t + 37.5);
            assert!((cal.warp(back) - op).abs() < 1e-7);
        }
    }

    #[test]
    fn weekday_of_known_dates() {
        // 2024-06-30 was a Sunday.
        let day = i64::from(
            NaiveDate::from_ymd_opt(2024, 6, 30)
                .expect("date")
                .to_epoch_days(),
        );
        assert_eq!(weekday(day), 6);
    }
}
