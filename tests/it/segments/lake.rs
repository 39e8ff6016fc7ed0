//! The shared test lake read straight from its Parquet files (no SQL, no custlake function),
//! and the date arithmetic the saved queries do (`CAST(ts AS DATE)`, calendar months back):
//! the ground every expected value in `segments` is computed from.

use std::collections::BTreeMap;
use std::fmt::Debug;
use std::sync::OnceLock;

use chrono::{Months, NaiveDate};
use datafusion::arrow::array::RecordBatch;
use datafusion::arrow::compute::concat_batches;

use super::all;
use crate::common;
use crate::common::columns::{bools, dates, decimals, ints, texts, timestamps};

// ---------------------------------------------------------------------------------------------
// Dates

const MICROS_PER_DAY: i64 = 86_400_000_000;
/// Days from 0001-01-01 (CE day 1) to 1970-01-01.
const EPOCH_CE_DAYS: i64 = 719_163;

pub(super) fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("a YYYY-MM-DD date")
}

/// A `Date32` value (days since 1970-01-01).
fn date_of_days(days: i64) -> NaiveDate {
    NaiveDate::from_num_days_from_ce_opt((days + EPOCH_CE_DAYS) as i32).expect("date in range")
}

/// `CAST(ts AS DATE)`: the UTC date of a timestamp in microseconds.
pub(super) fn day_of(micros: i64) -> NaiveDate {
    date_of_days(micros.div_euclid(MICROS_PER_DAY))
}

/// `as_of - INTERVAL 'n months'`: calendar months, the day clamped to the month's end.
pub(super) fn months_before(as_of: NaiveDate, months: u32) -> NaiveDate {
    as_of
        .checked_sub_months(Months::new(months))
        .expect("date in range")
}

/// `CAST(ts AS DATE) <= as_of AND CAST(ts AS DATE) > as_of - INTERVAL 'n months'`.
pub(super) fn in_last_months(day: NaiveDate, as_of: NaiveDate, months: u32) -> bool {
    day <= as_of && day > months_before(as_of, months)
}

pub(super) fn days_between(from: NaiveDate, to: NaiveDate) -> i64 {
    (to - from).num_days()
}

// ---------------------------------------------------------------------------------------------
// The lake, read straight from its Parquet files

#[derive(Debug, Clone)]
pub(super) struct Customer {
    pub(super) id: i64,
    pub(super) name: String,
    pub(super) email: String,
    pub(super) phone: String,
    pub(super) region: String,
    pub(super) customer_type: String,
    pub(super) signup_date: NaiveDate,
    pub(super) preferred_channel: String,
    pub(super) marketing_opt_in: bool,
}

impl Customer {
    pub(super) fn is_b2b(&self) -> bool {
        self.customer_type.eq_ignore_ascii_case("B2B")
    }
}

#[derive(Debug, Clone)]
pub(super) struct Order {
    pub(super) id: i64,
    pub(super) customer_id: i64,
    /// `order_ts` in microseconds.
    pub(super) ts: i64,
    pub(super) status: String,
    /// `amount` in cents.
    pub(super) amount: i128,
}

impl Order {
    pub(super) fn day(&self) -> NaiveDate {
        day_of(self.ts)
    }
}

#[derive(Debug, Clone)]
pub(super) struct Interaction {
    pub(super) customer_id: i64,
    pub(super) ts: i64,
    pub(super) channel: String,
    pub(super) kind: String,
    pub(super) direction: String,
    pub(super) responded: bool,
    pub(super) converted: bool,
    pub(super) complaint: bool,
    pub(super) nps_score: Option<i64>,
    /// `cost` in cents.
    pub(super) cost: i128,
}

impl Interaction {
    pub(super) fn day(&self) -> NaiveDate {
        day_of(self.ts)
    }

    /// Activity of the customer: an inbound contact or a response (lifecycle, value_activity).
    pub(super) fn is_customer_activity(&self) -> bool {
        self.direction == "inbound" || self.responded
    }
}

#[derive(Debug, Clone)]
pub(super) struct Referral {
    pub(super) referrer_id: i64,
    pub(super) referred_at: i64,
    pub(super) converted_at: Option<i64>,
    /// `reward` in cents.
    pub(super) reward: i128,
}

pub(super) struct LakeData {
    pub(super) customers: BTreeMap<i64, Customer>,
    pub(super) orders: Vec<Order>,
    pub(super) interactions: Vec<Interaction>,
    pub(super) referrals: Vec<Referral>,
}

impl LakeData {
    /// Completed orders on or before `as_of`: what every purchase figure counts.
    pub(super) fn completed_by(&self, as_of: NaiveDate) -> impl Iterator<Item = &Order> {
        self.orders
            .iter()
            .filter(move |o| o.status == "completed" && o.day() <= as_of)
    }

    /// The customers signed up by `as_of` (`WHERE c.signup_date <= as_of()`).
    pub(super) fn signed_up_by(&self, as_of: NaiveDate) -> impl Iterator<Item = &Customer> {
        self.customers
            .values()
            .filter(move |c| c.signup_date <= as_of)
    }
}

/// The lake's tables, read once per test run.
pub(super) fn lake_data() -> &'static LakeData {
    static DATA: OnceLock<LakeData> = OnceLock::new();
    DATA.get_or_init(|| LakeData {
        customers: read_customers(),
        orders: read_orders(),
        interactions: read_interactions(),
        referrals: read_referrals(),
    })
}

pub(super) fn read_lake_table(table: &str) -> RecordBatch {
    let batches = common::read_table(&common::lake().dir.join(table));
    let schema = batches.first().expect("a non-empty table").schema();
    concat_batches(&schema, &batches).expect("concat")
}

fn read_customers() -> BTreeMap<i64, Customer> {
    let b = read_lake_table("customers");
    let ids = all(ints(&b, "customer_id"));
    let names = all(texts(&b, "name"));
    let emails = all(texts(&b, "email"));
    let phones = all(texts(&b, "phone"));
    let regions = all(texts(&b, "region"));
    let types = all(texts(&b, "customer_type"));
    let signups = all(dates(&b, "signup_date"));
    let channels = all(texts(&b, "preferred_channel"));
    let opt_ins = all(bools(&b, "marketing_opt_in"));
    (0..b.num_rows())
        .map(|i| {
            let customer = Customer {
                id: ids[i],
                name: names[i].clone(),
                email: emails[i].clone(),
                phone: phones[i].clone(),
                region: regions[i].clone(),
                customer_type: types[i].clone(),
                signup_date: signups[i],
                preferred_channel: channels[i].clone(),
                marketing_opt_in: opt_ins[i],
            };
            (customer.id, customer)
        })
        .collect()
}

fn read_orders() -> Vec<Order> {
    let b = read_lake_table("orders");
    let ids = all(ints(&b, "order_id"));
    let customers = all(ints(&b, "customer_id"));
    let ts = all(timestamps(&b, "order_ts"));
    let statuses = all(texts(&b, "status"));
    let amounts = all(decimals(&b, "amount", 2));
    (0..b.num_rows())
        .map(|i| Order {
            id: ids[i],
            customer_id: customers[i],
            ts: ts[i],
            status: statuses[i].clone(),
            amount: amounts[i],
        })
        .collect()
}

fn read_interactions() -> Vec<Interaction> {
    let b = read_lake_table("interactions");
    let customers = all(ints(&b, "customer_id"));
    let ts = all(timestamps(&b, "ts"));
    let channels = all(texts(&b, "channel"));
    let kinds = all(texts(&b, "kind"));
    let directions = all(texts(&b, "direction"));
    let responded = all(bools(&b, "responded"));
    let converted = all(bools(&b, "converted"));
    let complaints = all(bools(&b, "complaint"));
    let nps = ints(&b, "nps_score");
    let costs = all(decimals(&b, "cost", 2));
    (0..b.num_rows())
        .map(|i| Interaction {
            customer_id: customers[i],
            ts: ts[i],
            channel: channels[i].clone(),
            kind: kinds[i].clone(),
            direction: directions[i].clone(),
            responded: responded[i],
            converted: converted[i],
            complaint: complaints[i],
            nps_score: nps[i],
            cost: costs[i],
        })
        .collect()
}

fn read_referrals() -> Vec<Referral> {
    let b = read_lake_table("referrals");
    let referrers = all(ints(&b, "referrer_id"));
    let referred = all(timestamps(&b, "referred_at"));
    let converted = timestamps(&b, "converted_at");
    let rewards = all(decimals(&b, "reward", 2));
    (0..b.num_rows())
        .map(|i| Referral {
            referrer_id: referrers[i],
            referred_at: referred[i],
            converted_at: converted[i],
            reward: rewards[i],
        })
        .collect()
}
