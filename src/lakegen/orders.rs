//! Turning purchase times into orders: channel, time of day, status, basket, discount.
//!
//! Baskets draw 1–6 distinct products (55% from the customer's favourite categories, the rest by
//! population popularity); then the planted category rules and product rules may add lines, up
//! to 8 in all. B2B baskets have more lines and much larger quantities and get contract
//! discounts; consumers get occasional promotions (more of them in November and December).

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::calendar::{DayPattern, MICROS_PER_DAY, weekday};
use super::chunk::{ItemRows, OrderRows};
use super::model::{Life, Model, Profile};
use super::names::*;
use super::random::{Cumulative, Purpose, exponential, pick_weighted};

/// One order as later parts of the model need it (interactions react to orders).
#[derive(Debug, Clone, Copy)]
pub struct OrderEvent {
    pub ts: i64,
    pub status: usize,
}

/// Reusable buffers for one worker.
#[derive(Debug, Default)]
pub struct OrderScratch {
    timed: Vec<(i64, usize)>,
    basket: Vec<usize>,
}

const FAVOURITE_SHARE: f64 = 0.55;
const FAVOURITE_WEIGHTS: [f64; 3] = [0.5, 0.3, 0.2];
const PRIMARY_CHANNEL_SHARE: f64 = 0.75;
/// Planted add-ons may extend the 1–6 base lines up to this many lines.
const MAX_LINES: usize = 8;

/// Generates the orders of one customer, appending them to `orders`/`items` (with chunk-local
/// order indices) and their times and statuses to `events` (cleared first), sorted by time.
#[allow(clippy::too_many_arguments)]
pub fn generate_orders(
    model: &Model,
    customer_id: u64,
    life: &Life,
    profile: &Profile,
    orders: &mut OrderRows,
    items: &mut ItemRows,
    events: &mut Vec<OrderEvent>,
    scratch: &mut OrderScratch,
) {
    events.clear();
    if life.purchases.is_empty() {
        return;
    }
    let cal = &model.calendar;
    let catalog = &model.catalog;
    let lines_dist = model.basket_lines(life.b2b);
    let mut rng = model.streams.stream(customer_id, Purpose::Orders);

    // Calendar placement first, so that orders can be numbered in time order.
    scratch.timed.clear();
    for &t in &life.purchases {
        let mut day = t.floor() as i64;
        let mut channel = if rng.random_bool(PRIMARY_CHANNEL_SHARE) {
            profile.primary_order_channel
        } else {
            pick_weighted(&mut rng, &profile.order_channel_weights)
        };
        if channel == OC_APP && day < cal.app_launch_day {
            channel = OC_ONLINE;
        }
        if life.b2b {
            // Businesses order on working days: move weekend orders to Monday (or back to
            // Friday at the end of history), never before the sign-up day.
            let wd = weekday(day);
            if wd >= 5 {
                let monday = day + (7 - wd);
                let friday = day - (wd - 4);
                if monday <= cal.as_of_day {
                    day = monday;
                } else if friday >= life.signup_day {
                    day = friday;
                }
            }
        }
        if channel == OC_STORE && weekday(day) == 6 {
            // Stores are closed on Sundays.
            channel = OC_ONLINE;
        }
        let pattern = match (life.b2b, channel) {
            (true, _) => DayPattern::Business,
            (false, OC_STORE) => DayPattern::Store,
            (false, OC_APP) => DayPattern::App,
            _ => DayPattern::Online,
        };
        let ts = day * MICROS_PER_DAY + cal.time_of_day(&mut rng, pattern);
        scratch.timed.push((ts, channel));
    }
    scratch.timed.sort_by_key(|&(ts, _)| ts);

    let n = scratch.timed.len();
    let size_factor = match profile.company_size {
        Some(0) => 1.0,
        Some(1) => 2.5,
        Some(_) => 6.0,
        None => 1.0,
    };
    for (index, &(ts, channel)) in scratch.timed.iter().enumerate() {
        // Unhappy endings: the last orders before a dropout are refunded or cancelled more often.
        let final_orders = life.dropped_out && index + 2 >= n;
        let (refund, cancel) = if final_orders {
            (0.12, 0.06)
        } else {
            (0.032, 0.027)
        };
        let u: f64 = rng.random();
        let status = if u < refund {
            ST_REFUNDED
        } else if u < refund + cancel {
            ST_CANCELLED
        } else {
            ST_COMPLETED
        };

        draw_basket(
            model,
            &mut rng,
            life.b2b,
            profile,
            lines_dist,
            &mut scratch.basket,
        );

        let t_years_before = (cal.horizon_micros - ts) as f64 / MICROS_PER_DAY as f64 / 365.2425;
        let deflator = (1.0 + model.params.price_inflation_per_year).powf(-t_years_before);
        let order_index = orders.len() as u32;
        let mut gross: i64 = 0;
        for (line, &product_index) in scratch.basket.iter().enumerate() {
            let product = &catalog.products[product_index];
            let quantity = draw_quantity(
                &mut rng,
                life.b2b,
                catalog.is_consumable(product.category),
                size_factor,
            );
            let unit_price = ((product.price_cents as f64 * deflator).round() as i64).max(1);
            gross += unit_price * i64::from(quantity);
            items.push(
                order_index,
                line as i32 + 1,
                product_index,
                product.category,
                quantity,
                unit_price,
            );
        }

        let discount_pct = if life.b2b {
            let contract = match profile.company_size {
                Some(0) => 3,
                Some(1) => 6,
                _ => 10,
            };
            if rng.random_bool(0.85) { contract } else { 0 }
        } else {
            let month = month_of(ts);
            let promo_prob = if month >= 11 { 0.35 } else { 0.20 };
            if rng.random_bool(promo_prob) {
                [5, 10, 15, 20, 25][pick_weighted(&mut rng, &[0.3, 0.3, 0.2, 0.12, 0.08])]
            } else {
                0
            }
        };
        // At most 25% off, so the amount stays positive.
        let discount = gross * discount_pct / 100;
        orders.push(
            customer_id as i64,
            ts,
            channel,
            status,
            gross - discount,
            discount,
        );
        events.push(OrderEvent { ts, status });
    }
}

/// Fills `basket` with distinct product indices: the base lines, then the planted add-ons.
fn draw_basket(
    model: &Model,
    rng: &mut ChaCha8Rng,
    b2b: bool,
    profile: &Profile,
    lines_dist: &Cumulative,
    basket: &mut Vec<usize>,
) {
    let catalog = &model.catalog;
    basket.clear();
    let lines = 1 + lines_dist.sample(rng);
    for _ in 0..lines {
        for _attempt in 0..4 {
            let category = if rng.random_bool(FAVOURITE_SHARE) {
                profile.favourite_categories[pick_weighted(rng, &FAVOURITE_WEIGHTS)]
            } else {
                catalog.sample_category(rng, b2b)
            };
            let product = catalog.sample_product(rng, category);
            if !basket.contains(&product) {
                basket.push(product);
                break;
            }
        }
    }
    let base_lines = basket.len();

    // Category rules look at the base basket only; their add-ons may be antecedents of
    // product rules, which are applied afterwards, so those still fire.
    for rule in &catalog.category_rules {
        let antecedent_present = basket[..base_lines]
            .iter()
            .any(|&p| catalog.products[p].category == rule.antecedent);
        if antecedent_present && rng.random_bool(rule.probability) && basket.len() < MAX_LINES {
            let consequent_present = basket
                .iter()
                .any(|&p| catalog.products[p].category == rule.consequent);
            if !consequent_present {
                let product = catalog.sample_product(rng, rule.consequent);
                basket.push(product);
            }
        }
    }
    let before_product_rules = basket.len();
    for i in 0..before_product_rules {
        if let Some(rule) = catalog.rule_for(basket[i])
            && rng.random_bool(rule.probability)
            && !basket.contains(&rule.consequent)
            && basket.len() < MAX_LINES
        {
            basket.push(rule.consequent);
        }
    }
}

fn draw_quantity(rng: &mut ChaCha8Rng, b2b: bool, consumable: bool, size_factor: f64) -> i32 {
    if b2b {
        let mean = if consumable { 5.0 } else { 0.8 } * size_factor;
        (1 + exponential(rng, mean) as i32).min(999)
    } else if consumable {
        [1, 2, 3, 4, 6][pick_weighted(rng, &[0.55, 0.25, 0.10, 0.06, 0.04])]
    } else {
        [1, 2, 3][pick_weighted(rng, &[0.92, 0.07, 0.01])]
    }
}

/// Month (1–12) of a timestamp in microseconds since epoch.
fn month_of(ts: i64) -> u32 {
    use chrono::Datelike;
    let day = ts.div_euclid(MICROS_PER_DAY);
    i32::try_from(day)
        .ok()
        .and_then(chrono::NaiveDate::from_epoch_days)
        .map_or(1, |d| d.month())
}
