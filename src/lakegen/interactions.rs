//! Customer interactions: campaigns, service and care contacts, visits and surveys.
//!
//! Their outcomes depend on the customer's true state at the time of contact:
//! * **active** (bought within 90 days, or just signed up), **lapsing** (alive, no order for
//!   90+ days) or **churned** (past the true dropout);
//! * the **pre-churn window** (120 days before to 30 days after the dropout) brings many more
//!   care contacts and complaints, and worse survey scores.
//!
//! Campaign conversion is attribution: a responder who orders within 7 days converted. Churned
//! customers place no orders, so they never convert — the data stays self-consistent.

use chrono::NaiveDate;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::calendar::{Calendar, DayPattern, MICROS_PER_DAY, MICROS_PER_HOUR, to_micros, weekday};
use super::model::{Life, Profile};
use super::names::*;
use super::orders::OrderEvent;
use super::random::{
    Purpose, Streams, exponential, geometric_failures, pick_weighted, standard_normal,
};

const DAY: i64 = MICROS_PER_DAY;
/// Share of opted-in customers targeted by one weekly campaign wave (≈ 4 campaigns a year).
const WAVE_TARGET_SHARE: f64 = 0.08;
const ACTIVE_WINDOW_DAYS: i64 = 90;
const PRE_CHURN_DAYS: i64 = 120;
const POST_CHURN_DAYS: i64 = 30;
/// Businesses notice a lost account after about half a year and stop calling.
const ACCOUNT_CARE_GRACE_DAYS: i64 = 180;
const YEAR_DAYS: f64 = 365.2425;

/// The company's contact calendar, the same for every customer.
#[derive(Debug, Clone)]
pub struct ContactCalendar {
    waves: Vec<Wave>,
    /// Days of the yearly relationship survey (March 15).
    survey_days: Vec<i64>,
}

#[derive(Debug, Clone, Copy)]
struct Wave {
    ts: i64,
    channel: usize,
}

impl ContactCalendar {
    pub fn new(streams: &Streams, calendar: &Calendar) -> Self {
        let mut rng = streams.stream(0, Purpose::Calendar);
        let first_monday = calendar.window_start_day + (7 - weekday(calendar.window_start_day)) % 7;
        let mut waves = Vec::new();
        let mut monday = first_monday;
        while monday <= calendar.as_of_day {
            // Tuesday or Thursday morning.
            let day = monday + if rng.random_bool(0.5) { 1 } else { 3 };
            let mut channel = [CH_EMAIL, CH_SMS, CH_APP, CH_SOCIAL]
                [pick_weighted(&mut rng, &[0.55, 0.20, 0.15, 0.10])];
            if channel == CH_APP && day < calendar.app_launch_day {
                channel = CH_EMAIL;
            }
            let ts = day * DAY + 9 * MICROS_PER_HOUR + rng.random_range(0..3 * MICROS_PER_HOUR);
            if ts < calendar.horizon_micros {
                waves.push(Wave { ts, channel });
            }
            monday += 7;
        }
        let first_year = NaiveDate::from_epoch_days(calendar.window_start_day as i32)
            .map_or(1970, |d| chrono::Datelike::year(&d));
        let survey_days = (first_year..=chrono::Datelike::year(&calendar.as_of))
            .filter_map(|year| NaiveDate::from_ymd_opt(year, 3, 15))
            .map(|d| i64::from(d.to_epoch_days()))
            .filter(|&d| d >= calendar.window_start_day && d <= calendar.as_of_day)
            .collect();
        Self { waves, survey_days }
    }
}

/// One interaction before ids are assigned.
#[derive(Debug, Clone, Copy)]
pub struct InteractionDraft {
    pub ts: i64,
    pub channel: usize,
    pub kind: usize,
    pub direction: usize,
    pub responded: bool,
    pub converted: bool,
    pub complaint: bool,
    pub nps: Option<i16>,
    pub cost_cents: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Active,
    Lapsing,
    Churned,
}

/// What the interaction model knows about one customer.
struct Timeline<'a> {
    signup_ts: i64,
    orders: &'a [OrderEvent],
    dropout: Option<i64>,
    horizon: i64,
}

impl Timeline<'_> {
    fn state_at(&self, ts: i64) -> State {
        if self.dropout.is_some_and(|d| ts >= d) {
            return State::Churned;
        }
        let before = self.orders.partition_point(|o| o.ts <= ts);
        let last_activity = if before == 0 {
            self.signup_ts
        } else {
            self.orders[before - 1].ts
        };
        if ts - last_activity <= ACTIVE_WINDOW_DAYS * DAY {
            State::Active
        } else {
            State::Lapsing
        }
    }

    fn pre_churn(&self, ts: i64) -> bool {
        self.dropout
            .is_some_and(|d| ts >= d - PRE_CHURN_DAYS * DAY && ts < d + POST_CHURN_DAYS * DAY)
    }

    /// Whether an order follows within `days` after `ts`.
    fn orders_within(&self, ts: i64, days: i64) -> bool {
        let next = self.orders.partition_point(|o| o.ts <= ts);
        self.orders
            .get(next)
            .is_some_and(|o| o.ts <= ts + days * DAY)
    }
}

/// Generates the interactions of one customer into `out` (cleared first), sorted by time.
#[allow(clippy::too_many_arguments)]
pub fn generate_interactions(
    streams: &Streams,
    calendar: &Calendar,
    contacts: &ContactCalendar,
    customer_id: u64,
    life: &Life,
    profile: &Profile,
    orders: &[OrderEvent],
    dropout: Option<i64>,
    out: &mut Vec<InteractionDraft>,
) {
    out.clear();
    let mut rng = streams.stream(customer_id, Purpose::Interactions);
    let timeline = Timeline {
        signup_ts: to_micros(life.signup_time),
        orders,
        dropout,
        horizon: calendar.horizon_micros,
    };
    // Each customer's own disposition shifts all her survey answers.
    let satisfaction = 1.2 * standard_normal(&mut rng);
    let mut complaints: Vec<i64> = Vec::new();

    if profile.marketing_opt_in {
        campaigns(&mut rng, contacts, &timeline, profile, life.b2b, out);
    }
    service_contacts(&mut rng, calendar, &timeline, profile, &mut complaints, out);
    care_contacts(&mut rng, calendar, &timeline, profile, &mut complaints, out);
    if life.b2b {
        account_management(&mut rng, calendar, &timeline, profile, &mut complaints, out);
    } else if profile.preferred_channel == CH_VISIT {
        store_visits(&mut rng, calendar, &timeline, life, out);
    }
    surveys(
        &mut rng,
        contacts,
        &timeline,
        profile,
        life.b2b,
        satisfaction,
        &complaints,
        out,
    );

    out.sort_by_key(|d| d.ts);
}

fn campaigns(
    rng: &mut ChaCha8Rng,
    contacts: &ContactCalendar,
    tl: &Timeline,
    profile: &Profile,
    b2b: bool,
    out: &mut Vec<InteractionDraft>,
) {
    // Response rates by channel (sms, email, app, phone, social, visit).
    const RESPONSE: [f64; 6] = [0.10, 0.08, 0.12, 0.30, 0.04, 0.50];
    let personal_channel = match profile.preferred_channel {
        CH_SMS | CH_EMAIL | CH_APP | CH_SOCIAL => Some(profile.preferred_channel),
        CH_PHONE if b2b => Some(CH_PHONE),
        _ => None,
    };
    let mut i = contacts.waves.partition_point(|w| w.ts <= tl.signup_ts)
        + geometric_failures(rng, WAVE_TARGET_SHARE) as usize;
    while let Some(wave) = contacts.waves.get(i) {
        let channel = match personal_channel {
            Some(ch) if rng.random_bool(0.5) => ch,
            _ if b2b => CH_EMAIL,
            _ => wave.channel,
        };
        let ts = wave.ts + rng.random_range(0..30 * 60 * 1_000_000);
        if ts >= tl.horizon {
            break;
        }
        let state = tl.state_at(ts);
        let buys_soon = tl.orders_within(ts, 7);
        let mut response = RESPONSE[channel]
            * match state {
                State::Active => 1.5,
                State::Lapsing => 0.6,
                State::Churned => 0.12,
            };
        if buys_soon {
            response = (response * 2.5).min(0.95);
        }
        let responded = rng.random_bool(response.min(1.0));
        let complaint = rng.random_bool(if tl.pre_churn(ts) { 0.02 } else { 0.004 });
        out.push(InteractionDraft {
            ts,
            channel,
            kind: KIND_CAMPAIGN,
            direction: DIR_OUTBOUND,
            responded,
            converted: responded && buys_soon,
            complaint,
            nps: None,
            cost_cents: OUTBOUND_COST_CENTS[channel],
        });
        i += 1 + geometric_failures(rng, WAVE_TARGET_SHARE) as usize;
    }
}

/// Channel of a contact the customer starts: usually her preferred one.
fn inbound_channel(rng: &mut ChaCha8Rng, profile: &Profile) -> usize {
    if rng.random_bool(0.6) {
        profile.preferred_channel
    } else {
        pick_weighted(rng, &[0.05, 0.35, 0.15, 0.35, 0.05, 0.05])
    }
}

fn service_contacts(
    rng: &mut ChaCha8Rng,
    calendar: &Calendar,
    tl: &Timeline,
    profile: &Profile,
    complaints: &mut Vec<i64>,
    out: &mut Vec<InteractionDraft>,
) {
    for order in tl.orders {
        let (contact_prob, complaint_prob): (f64, f64) = match order.status {
            ST_REFUNDED => (0.8, 0.5),
            ST_CANCELLED => (0.4, 0.25),
            _ => (0.05, 0.06),
        };
        if !rng.random_bool(contact_prob) {
            continue;
        }
        let channel = inbound_channel(rng, profile);
        let contact_day = order.ts as f64 / DAY as f64 + exponential(rng, 1.5);
        let mut ts = contact_ts(rng, calendar, contact_day, channel);
        if ts <= order.ts {
            // Same day, but the snapped time of day fell before the order.
            ts = order.ts + rng.random_range(10 * 60 * 1_000_000..3 * MICROS_PER_HOUR);
        }
        if ts >= tl.horizon {
            continue;
        }
        let complaint_prob = if tl.pre_churn(ts) {
            (complaint_prob * 2.0).min(0.9)
        } else {
            complaint_prob
        };
        let complaint = rng.random_bool(complaint_prob);
        if complaint {
            complaints.push(ts);
        }
        out.push(InteractionDraft {
            ts,
            channel,
            kind: KIND_SERVICE,
            direction: DIR_INBOUND,
            responded: true,
            converted: false,
            complaint,
            nps: None,
            cost_cents: INBOUND_COST_CENTS[channel],
        });
    }
}

/// Poisson event times (model days) at `per_year` on [start, end).
fn poisson_days(rng: &mut ChaCha8Rng, start: f64, end: f64, per_year: f64, out: &mut Vec<f64>) {
    if per_year <= 0.0 || start >= end {
        return;
    }
    let mean_gap = YEAR_DAYS / per_year;
    let mut t = start + exponential(rng, mean_gap);
    while t < end {
        out.push(t);
        t += exponential(rng, mean_gap);
    }
}

/// Moves an event to a plausible time of day for its channel, same day.
fn contact_ts(rng: &mut ChaCha8Rng, calendar: &Calendar, day_time: f64, channel: usize) -> i64 {
    let day = day_time.floor() as i64;
    let pattern = match channel {
        CH_PHONE | CH_VISIT => DayPattern::Business,
        CH_APP => DayPattern::App,
        _ => DayPattern::Online,
    };
    day * DAY + calendar.time_of_day(rng, pattern)
}

fn care_contacts(
    rng: &mut ChaCha8Rng,
    calendar: &Calendar,
    tl: &Timeline,
    profile: &Profile,
    complaints: &mut Vec<i64>,
    out: &mut Vec<InteractionDraft>,
) {
    let to_days = |ts: i64| ts as f64 / DAY as f64;
    let start = to_days(tl.signup_ts);
    let end = calendar.horizon;
    let mut times = Vec::new();
    match tl.dropout {
        None => poisson_days(rng, start, end, 0.25, &mut times),
        Some(d) => {
            let window_start = to_days(d - PRE_CHURN_DAYS * DAY).max(start);
            let window_end = to_days(d + POST_CHURN_DAYS * DAY).min(end);
            poisson_days(rng, start, window_start, 0.25, &mut times);
            poisson_days(rng, window_start, window_end, 2.5, &mut times);
            poisson_days(rng, window_end, end, 0.05, &mut times);
        }
    }
    for t in times {
        let channel = inbound_channel(rng, profile);
        let ts = contact_ts(rng, calendar, t, channel).max(tl.signup_ts);
        if ts >= tl.horizon {
            continue;
        }
        let complaint = rng.random_bool(if tl.pre_churn(ts) { 0.6 } else { 0.12 });
        if complaint {
            complaints.push(ts);
        }
        out.push(InteractionDraft {
            ts,
            channel,
            kind: KIND_CARE,
            direction: DIR_INBOUND,
            responded: true,
            converted: false,
            complaint,
            nps: None,
            cost_cents: INBOUND_COST_CENTS[channel],
        });
    }
}

/// B2B account care calls and sales visits, scaled by company size.
fn account_management(
    rng: &mut ChaCha8Rng,
    calendar: &Calendar,
    tl: &Timeline,
    profile: &Profile,
    complaints: &mut Vec<i64>,
    out: &mut Vec<InteractionDraft>,
) {
    let size = profile.company_size.unwrap_or(0).min(2);
    let start = tl.signup_ts as f64 / DAY as f64;
    let end = tl.dropout.map_or(calendar.horizon, |d| {
        ((d + ACCOUNT_CARE_GRACE_DAYS * DAY) as f64 / DAY as f64).min(calendar.horizon)
    });
    let mut times = Vec::new();
    for (kind, per_year) in [
        (KIND_CARE, [0.5, 1.5, 4.0][size]),
        (KIND_VISIT, [0.25, 1.0, 3.0][size]),
    ] {
        times.clear();
        poisson_days(rng, start, end, per_year, &mut times);
        for &t in &times {
            let channel = if kind == KIND_VISIT {
                CH_VISIT
            } else if rng.random_bool(0.8) {
                CH_PHONE
            } else {
                CH_EMAIL
            };
            let ts = contact_ts(rng, calendar, t, channel).max(tl.signup_ts);
            if ts >= tl.horizon {
                continue;
            }
            let state = tl.state_at(ts);
            let held = match (kind == KIND_VISIT, state) {
                (true, State::Active) => 0.9,
                (true, State::Lapsing) => 0.7,
                (true, State::Churned) => 0.4,
                (false, State::Active) => 0.75,
                (false, State::Lapsing) => 0.55,
                (false, State::Churned) => 0.25,
            };
            let responded = rng.random_bool(held);
            let complaint =
                responded && rng.random_bool(if tl.pre_churn(ts) { 0.45 } else { 0.05 });
            if complaint {
                complaints.push(ts);
            }
            out.push(InteractionDraft {
                ts,
                channel,
                kind,
                direction: DIR_OUTBOUND,
                responded,
                converted: responded && tl.orders_within(ts, 14),
                complaint,
                nps: None,
                cost_cents: OUTBOUND_COST_CENTS[channel],
            });
        }
    }
}

/// Consumers who like shops drop in for advice now and then (fewer after they have left).
fn store_visits(
    rng: &mut ChaCha8Rng,
    calendar: &Calendar,
    tl: &Timeline,
    life: &Life,
    out: &mut Vec<InteractionDraft>,
) {
    let start = tl.signup_ts as f64 / DAY as f64;
    let switch = tl
        .dropout
        .map_or(calendar.horizon, |d| d as f64 / DAY as f64);
    let mut times = Vec::new();
    poisson_days(rng, start, switch, 2.0, &mut times);
    poisson_days(rng, switch, calendar.horizon, 0.1, &mut times);
    for t in times {
        let mut day = t.floor() as i64;
        if weekday(day) == 6 {
            // Closed on Sundays: come on Saturday instead.
            day -= 1;
        }
        if day < life.signup_day {
            continue;
        }
        let ts = day * DAY + calendar.time_of_day(rng, DayPattern::Store);
        if ts >= tl.horizon || ts < tl.signup_ts {
            continue;
        }
        let complaint = rng.random_bool(if tl.pre_churn(ts) { 0.2 } else { 0.03 });
        out.push(InteractionDraft {
            ts,
            channel: CH_VISIT,
            kind: KIND_VISIT,
            direction: DIR_INBOUND,
            responded: true,
            converted: tl.orders_within(ts, 2),
            complaint,
            nps: None,
            cost_cents: INBOUND_COST_CENTS[CH_VISIT],
        });
    }
}

#[allow(clippy::too_many_arguments)]
fn surveys(
    rng: &mut ChaCha8Rng,
    contacts: &ContactCalendar,
    tl: &Timeline,
    profile: &Profile,
    b2b: bool,
    satisfaction: f64,
    complaints: &[i64],
    out: &mut Vec<InteractionDraft>,
) {
    let channel = match profile.preferred_channel {
        CH_SMS | CH_APP => profile.preferred_channel,
        _ => CH_EMAIL,
    };
    let mut send_times = Vec::new();
    // Post-purchase surveys after some completed orders ...
    for order in tl.orders {
        if order.status == ST_COMPLETED && rng.random_bool(0.08) {
            let day = order.ts.div_euclid(DAY) + 2;
            send_times
                .push(day * DAY + 10 * MICROS_PER_HOUR + rng.random_range(0..4 * MICROS_PER_HOUR));
        }
    }
    // ... and the yearly relationship survey to a sample of all customers, lapsed ones too.
    for &day in &contacts.survey_days {
        let ts = day * DAY + 10 * MICROS_PER_HOUR + rng.random_range(0..6 * MICROS_PER_HOUR);
        if ts > tl.signup_ts && rng.random_bool(0.25) {
            send_times.push(ts);
        }
    }
    for ts in send_times {
        if ts >= tl.horizon {
            continue;
        }
        let state = tl.state_at(ts);
        let pre_churn = tl.pre_churn(ts);
        let response = match state {
            State::Active => 0.32,
            State::Lapsing => 0.16,
            State::Churned => 0.06,
        };
        let responded = rng.random_bool(response);
        let nps = responded.then(|| {
            let mut mean = match state {
                State::Active => 8.4,
                State::Lapsing => 6.9,
                State::Churned => 4.0,
            };
            if pre_churn {
                mean = f64::min(mean, 5.2);
            }
            if complaints.iter().any(|&c| c <= ts && ts - c <= 90 * DAY) {
                mean -= 1.5;
            }
            if b2b {
                mean += 0.2;
            }
            let score = mean + satisfaction + 1.3 * standard_normal(rng);
            score.round().clamp(0.0, 10.0) as i16
        });
        let complaint = nps.is_some_and(|s| s <= 3) && rng.random_bool(0.3);
        out.push(InteractionDraft {
            ts,
            channel,
            kind: KIND_SURVEY,
            direction: DIR_OUTBOUND,
            responded,
            converted: false,
            complaint,
            nps,
            cost_cents: OUTBOUND_COST_CENTS[channel],
        });
    }
}
