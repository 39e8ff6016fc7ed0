//! The stochastic customer model: who a customer is and when she buys.
//!
//! Two independent parts, each a pure function of (seed, customer id):
//! * the **latent life** — type, purchase rate `lambda`, dropout probability `p`, purchase times
//!   and dropout (the buy-till-you-die / BG/NBD process), and
//! * the **profile** — demographics, region, preferred channels and category tastes.
//!
//! Because a life can be recomputed from the id alone, the referrer of a referred customer is
//! chosen among all earlier customers by checking who was actually active at the time.

use rand::Rng;
use rand_distr::{Beta, Distribution, Gamma};

use super::calendar::{Calendar, MICROS_PER_DAY, MICROS_PER_HOUR};
use super::catalog::Catalog;
use super::names::*;
use super::params::{ModelParams, SegmentParams};
use super::random::{Cumulative, Purpose, Streams, exponential, pick_weighted, standard_normal};

/// Sampling distributions of one customer type.
#[derive(Debug, Clone)]
struct Segment {
    params: SegmentParams,
    lambda: Gamma<f64>,
    p: Beta<f64>,
    basket_lines: Cumulative,
}

impl Segment {
    fn new(params: &SegmentParams, name: &str) -> Result<Self, String> {
        params.validate(name)?;
        Ok(Self {
            params: params.clone(),
            // rand_distr's Gamma takes a scale; the BG/NBD alpha is a rate.
            lambda: Gamma::new(params.r, 1.0 / params.alpha)
                .map_err(|e| format!("{name} purchase-rate distribution: {e}"))?,
            p: Beta::new(params.a, params.b)
                .map_err(|e| format!("{name} dropout distribution: {e}"))?,
            basket_lines: Cumulative::new(&params.basket_lines_pmf),
        })
    }
}

/// Everything that is the same for all customers of one lake.
#[derive(Debug, Clone)]
pub struct Model {
    pub params: ModelParams,
    pub calendar: Calendar,
    pub catalog: Catalog,
    pub streams: Streams,
    /// B2C at index 0, B2B at index 1.
    segments: [Segment; 2],
}

/// The latent purchase life of a customer (its truth).
#[derive(Debug, Clone, Default)]
pub struct Life {
    pub b2b: bool,
    /// Purchase rate per day while alive (seasonally adjusted time).
    pub lambda: f64,
    /// Probability of dropping out after each repeat purchase.
    pub p: f64,
    /// Signed up but never orders.
    pub never_buyer: bool,
    pub signup_day: i64,
    /// Moment of account creation, model time.
    pub signup_time: f64,
    /// Purchase times in model time, ascending, all before the horizon.
    pub purchases: Vec<f64>,
    /// Dropped out before the horizon (after the last purchase, or at sign-up for never-buyers).
    pub dropped_out: bool,
}

impl Life {
    /// When the customer stopped being a customer, in model time (`None` while alive).
    pub fn dropout_time(&self) -> Option<f64> {
        self.dropped_out
            .then(|| self.purchases.last().copied().unwrap_or(self.signup_time))
    }

    /// Whether the customer had bought and not yet dropped out at model time `t`.
    pub fn active_at(&self, t: f64) -> bool {
        let bought_before = self.purchases.first().is_some_and(|&first| first < t);
        bought_before && self.dropout_time().is_none_or(|d| t < d)
    }
}

/// Who the customer is (observable attributes).
#[derive(Debug, Clone)]
pub struct Profile {
    pub gender: usize,
    pub first_name: &'static str,
    pub last_name: &'static str,
    pub email_domain: String,
    pub phone: (u32, u32),
    pub birth_day: i64,
    pub region: usize,
    pub city: &'static str,
    pub industry: Option<usize>,
    pub company_size: Option<usize>,
    pub acquisition: usize,
    pub preferred_channel: usize,
    pub marketing_opt_in: bool,
    /// Relative use of the order channels online/store/app.
    pub order_channel_weights: [f64; 3],
    /// The channel this customer uses most.
    pub primary_order_channel: usize,
    /// Favourite categories, most favourite first.
    pub favourite_categories: [u16; 3],
}

/// A referral: who invited the customer and when.
#[derive(Debug, Clone, Copy)]
pub struct Referral {
    pub referrer: u64,
    pub referred_at: i64,
}

impl Model {
    pub fn new(
        params: ModelParams,
        calendar: Calendar,
        catalog: Catalog,
        streams: Streams,
    ) -> Result<Self, String> {
        if !(0.0..=1.0).contains(&params.b2b_share) {
            return Err(format!(
                "b2b_share must be in [0, 1], got {}",
                params.b2b_share
            ));
        }
        if !(0.0..1.0).contains(&params.seasonality_amplitude) {
            return Err("seasonality_amplitude must be in [0, 1)".into());
        }
        if !(0.0..=1.0).contains(&params.first_order_at_signup_prob) {
            return Err("first_order_at_signup_prob must be in [0, 1]".into());
        }
        let segments = [
            Segment::new(&params.b2c, "b2c")?,
            Segment::new(&params.b2b, "b2b")?,
        ];
        Ok(Self {
            params,
            calendar,
            catalog,
            streams,
            segments,
        })
    }

    /// Distribution of the number of base basket lines minus one, by customer type.
    pub fn basket_lines(&self, b2b: bool) -> &Cumulative {
        &self.segments[usize::from(b2b)].basket_lines
    }

    /// Simulates the latent life of customer `id` into `life` (reusing its buffer).
    pub fn life_into(&self, id: u64, life: &mut Life) {
        let cal = &self.calendar;
        let mut rng = self.streams.stream(id, Purpose::Latent);
        let b2b = rng.random_bool(self.params.b2b_share);
        let seg = &self.segments[usize::from(b2b)];
        life.b2b = b2b;
        life.lambda = seg.lambda.sample(&mut rng);
        life.p = seg.p.sample(&mut rng);
        life.never_buyer = rng.random_bool(seg.params.never_buy_prob);
        life.signup_day = cal.signup_day(id);
        life.signup_time = life.signup_day as f64 + rng.random_range(0.30..0.92);
        let at_signup = rng.random_bool(self.params.first_order_at_signup_prob);
        let delay = exponential(&mut rng, self.params.first_order_delay_mean_days);
        life.purchases.clear();
        life.dropped_out = life.never_buyer;
        if life.never_buyer {
            return;
        }
        let first = if at_signup {
            life.signup_time
        } else {
            life.signup_time + delay
        };
        if first >= cal.horizon {
            return;
        }
        life.purchases.push(first);

        // Renewal process in operational time: gaps Gamma(k, rate k*lambda), k = 1 is Poisson.
        let shape = seg.params.inter_purchase_shape;
        let gap_mean = 1.0 / (f64::from(shape) * life.lambda);
        let horizon_op = cal.warp(cal.horizon);
        let mut op = cal.warp(first);
        let mut t = first;
        loop {
            let gap: f64 = (0..shape).map(|_| exponential(&mut rng, gap_mean)).sum();
            op += gap;
            // NaN (a vanishing rate) ends the life like a gap beyond the horizon.
            if op.is_nan() || op >= horizon_op {
                break;
            }
            t = cal.unwarp(op, t + gap).min(cal.horizon - 1e-9);
            life.purchases.push(t);
            // Standard BG/NBD: the dropout coin is tossed after each *repeat* purchase.
            if rng.random_bool(life.p) {
                life.dropped_out = true;
                break;
            }
        }
    }

    /// Operational days between the first purchase and the horizon: the observation window of
    /// the repeat-purchase process.
    pub fn exposure_days(&self, life: &Life) -> Option<f64> {
        let cal = &self.calendar;
        life.purchases
            .first()
            .map(|&first| cal.warp(cal.horizon) - cal.warp(first))
    }

    /// Draws the observable profile of customer `id`.
    pub fn profile(&self, id: u64, life: &Life) -> Profile {
        let mut rng = self.streams.stream(id, Purpose::Profile);
        let gender = pick_weighted(&mut rng, GENDER_WEIGHTS);
        let female = match gender {
            0 => true,
            1 => false,
            _ => rng.random_bool(0.5),
        };
        let first_names = if female {
            FEMALE_FIRST_NAMES
        } else {
            MALE_FIRST_NAMES
        };
        let first_name = first_names[rng.random_range(0..first_names.len())];
        let last_name = LAST_NAMES[rng.random_range(0..LAST_NAMES.len())];

        let (age_mean, age_sd, age_min, age_max) = if life.b2b {
            (44.0, 9.0, 23.0, 67.0)
        } else {
            (40.0, 14.0, 18.0, 88.0)
        };
        let age = (age_mean + age_sd * standard_normal(&mut rng)).clamp(age_min, age_max);
        let birth_day = life.signup_day - (age * 365.2425).round() as i64;

        let region = pick_weighted(&mut rng, REGION_WEIGHTS);
        let cities = CITIES[region];
        let city_weights: Vec<f64> = cities.iter().map(|c| c.1).collect();
        let city = cities[pick_weighted(&mut rng, &city_weights)].0;

        let (industry, company_size) = if life.b2b {
            (
                Some(pick_weighted(&mut rng, INDUSTRY_WEIGHTS)),
                Some(pick_weighted(&mut rng, COMPANY_SIZE_WEIGHTS)),
            )
        } else {
            (None, None)
        };
        let acquisition = pick_weighted(
            &mut rng,
            if life.b2b {
                ACQUISITION_WEIGHTS_B2B
            } else {
                ACQUISITION_WEIGHTS_B2C
            },
        );

        // Contact preference by type and age: the young prefer app and social, the old phone
        // and visits.
        let mut contact = if life.b2b {
            [0.05, 0.45, 0.03, 0.30, 0.02, 0.15]
        } else {
            [0.15, 0.35, 0.20, 0.10, 0.12, 0.08]
        };
        if !life.b2b && age < 30.0 {
            contact[CH_APP] *= 1.8;
            contact[CH_SOCIAL] *= 2.0;
            contact[CH_PHONE] *= 0.5;
            contact[CH_VISIT] *= 0.6;
        } else if !life.b2b && age > 60.0 {
            contact[CH_APP] *= 0.4;
            contact[CH_SOCIAL] *= 0.3;
            contact[CH_PHONE] *= 2.2;
            contact[CH_VISIT] *= 1.8;
        }
        let preferred_channel = pick_weighted(&mut rng, &contact);
        let opt_in_prob = match (life.b2b, age < 30.0) {
            (true, _) => 0.55,
            (false, true) => 0.72,
            (false, false) => 0.64,
        };
        let marketing_opt_in = rng.random_bool(opt_in_prob);

        let mut order_channel_weights = if life.b2b {
            [0.80, 0.10, 0.10]
        } else {
            [0.50, 0.35, 0.15]
        };
        if !life.b2b {
            if age < 30.0 {
                order_channel_weights[OC_APP] *= 2.0;
                order_channel_weights[OC_STORE] *= 0.6;
            } else if age > 60.0 {
                order_channel_weights[OC_APP] *= 0.3;
                order_channel_weights[OC_STORE] *= 1.6;
            }
            match preferred_channel {
                CH_VISIT => order_channel_weights[OC_STORE] *= 2.5,
                CH_APP => order_channel_weights[OC_APP] *= 2.5,
                _ => {}
            }
            if ACQUISITION_CHANNELS[acquisition] == "store" {
                order_channel_weights[OC_STORE] *= 1.8;
            }
        }
        let primary_order_channel = pick_weighted(&mut rng, &order_channel_weights);

        let mut favourite_categories = [0u16; 3];
        for slot in 0..3 {
            let mut category = self.catalog.sample_category(&mut rng, life.b2b);
            for _ in 0..20 {
                if !favourite_categories[..slot].contains(&category) {
                    break;
                }
                category = self.catalog.sample_category(&mut rng, life.b2b);
            }
            favourite_categories[slot] = category;
        }

        let email_domain = match industry {
            Some(industry) => format!(
                "{}-{}.example",
                last_name.to_lowercase(),
                INDUSTRIES[industry]
            )
            .replace('_', "-"),
            None => EMAIL_DOMAINS[rng.random_range(0..EMAIL_DOMAINS.len())].to_string(),
        };
        let phone = (rng.random_range(100..1000), rng.random_range(0..10_000_000));

        Profile {
            gender,
            first_name,
            last_name,
            email_domain,
            phone,
            birth_day,
            region,
            city,
            industry,
            company_size,
            acquisition,
            preferred_channel,
            marketing_opt_in,
            order_channel_weights,
            primary_order_channel,
            favourite_categories,
        }
    }

    /// Chooses who referred customer `id` (who signed up on `signup_day`): an earlier customer,
    /// preferably one who was an active buyer at the time. `None` if nobody signed up earlier.
    pub fn choose_referrer(
        &self,
        id: u64,
        signup_day: i64,
        scratch: &mut Life,
    ) -> Option<Referral> {
        let earlier = self.calendar.customers_before_day(signup_day);
        if earlier == 0 {
            return None;
        }
        let mut rng = self.streams.stream(id, Purpose::Referral);
        let invited_around = signup_day as f64;
        let mut referrer = 0;
        for _ in 0..16 {
            referrer = rng.random_range(1..=earlier);
            self.life_into(referrer, scratch);
            if scratch.active_at(invited_around) {
                break;
            }
        }
        // The invitation precedes the sign-up by a few days, but never precedes the day after
        // the referrer's own sign-up; on the sign-up day itself it is sent at midnight, before
        // any order the referee can place that day.
        let referrer_day = self.calendar.signup_day(referrer);
        let gap_days = signup_day - referrer_day;
        let referred_at = if gap_days >= 2 {
            let back = 1 + (exponential(&mut rng, 4.0) as i64).min(gap_days - 2);
            (signup_day - back) * MICROS_PER_DAY
                + rng.random_range(8 * MICROS_PER_HOUR..22 * MICROS_PER_HOUR)
        } else {
            signup_day * MICROS_PER_DAY
        };
        Some(Referral {
            referrer,
            referred_at,
        })
    }
}
