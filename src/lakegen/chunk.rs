//! One chunk of customers, generated in memory as columns ready for Arrow.
//!
//! Ids that depend on earlier chunks (order and interaction ids) are kept chunk-local here and
//! offset when the chunk is written, once the counts of all earlier chunks are known.

use std::ops::Range;

use super::calendar::to_micros;
use super::interactions::{ContactCalendar, InteractionDraft, generate_interactions};
use super::model::{Life, Model};
use super::names::*;
use super::orders::{OrderEvent, OrderScratch, generate_orders};

/// Customers per chunk: the unit of parallel work and of part files. Fixed, because the file
/// layout (not the data) depends on it.
pub const CHUNK_CUSTOMERS: u64 = 50_000;

#[derive(Debug, Default)]
pub struct CustomerRows {
    pub id: Vec<i64>,
    pub name: Vec<String>,
    pub email: Vec<String>,
    pub phone: Vec<String>,
    pub gender: Vec<&'static str>,
    pub birth_date: Vec<i32>,
    pub region: Vec<&'static str>,
    pub city: Vec<&'static str>,
    pub customer_type: Vec<&'static str>,
    pub industry: Vec<Option<&'static str>>,
    pub company_size: Vec<Option<&'static str>>,
    pub signup_date: Vec<i32>,
    pub acquisition_channel: Vec<&'static str>,
    pub preferred_channel: Vec<&'static str>,
    pub marketing_opt_in: Vec<bool>,
    pub referred_by: Vec<Option<i64>>,
}

#[derive(Debug, Default)]
pub struct OrderRows {
    pub customer_id: Vec<i64>,
    pub ts: Vec<i64>,
    pub channel: Vec<u8>,
    pub status: Vec<u8>,
    pub amount_cents: Vec<i64>,
    pub discount_cents: Vec<i64>,
}

impl OrderRows {
    pub fn len(&self) -> usize {
        self.customer_id.len()
    }

    pub fn push(
        &mut self,
        customer_id: i64,
        ts: i64,
        channel: usize,
        status: usize,
        amount_cents: i64,
        discount_cents: i64,
    ) {
        self.customer_id.push(customer_id);
        self.ts.push(ts);
        self.channel.push(channel as u8);
        self.status.push(status as u8);
        self.amount_cents.push(amount_cents);
        self.discount_cents.push(discount_cents);
    }
}

#[derive(Debug, Default)]
pub struct ItemRows {
    /// Chunk-local order index (0-based).
    pub order_index: Vec<u32>,
    pub line_no: Vec<i32>,
    /// Index into the catalogue's products.
    pub product: Vec<u32>,
    pub category: Vec<u16>,
    pub quantity: Vec<i32>,
    pub unit_price_cents: Vec<i64>,
}

impl ItemRows {
    pub fn len(&self) -> usize {
        self.order_index.len()
    }

    pub fn push(
        &mut self,
        order_index: u32,
        line_no: i32,
        product: usize,
        category: u16,
        quantity: i32,
        unit_price_cents: i64,
    ) {
        self.order_index.push(order_index);
        self.line_no.push(line_no);
        self.product.push(product as u32);
        self.category.push(category);
        self.quantity.push(quantity);
        self.unit_price_cents.push(unit_price_cents);
    }
}

#[derive(Debug, Default)]
pub struct InteractionRows {
    pub customer_id: Vec<i64>,
    pub drafts: Vec<InteractionDraft>,
}

impl InteractionRows {
    pub fn len(&self) -> usize {
        self.drafts.len()
    }
}

#[derive(Debug, Default)]
pub struct ReferralRows {
    pub referrer_id: Vec<i64>,
    pub referee_id: Vec<i64>,
    pub referred_at: Vec<i64>,
    pub converted_at: Vec<Option<i64>>,
    pub reward_cents: Vec<i64>,
}

/// Planted per-customer truth.
#[derive(Debug, Default)]
pub struct TruthRows {
    pub customer_id: Vec<i64>,
    pub customer_type: Vec<&'static str>,
    pub lambda: Vec<f64>,
    pub p: Vec<f64>,
    pub purchases: Vec<i32>,
    pub first_purchase_ts: Vec<Option<i64>>,
    pub dropout_ts: Vec<Option<i64>>,
    pub alive_at_as_of: Vec<bool>,
    pub never_buyer: Vec<bool>,
    pub exposure_days: Vec<Option<f64>>,
}

/// Row counts that later chunks' ids depend on, and totals for the summary.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct ChunkCounts {
    pub customers: u64,
    pub orders: u64,
    pub order_items: u64,
    pub interactions: u64,
    pub referrals: u64,
    pub alive: u64,
    pub b2b: u64,
    pub never_buyers: u64,
}

impl std::ops::AddAssign for ChunkCounts {
    fn add_assign(&mut self, rhs: Self) {
        self.customers += rhs.customers;
        self.orders += rhs.orders;
        self.order_items += rhs.order_items;
        self.interactions += rhs.interactions;
        self.referrals += rhs.referrals;
        self.alive += rhs.alive;
        self.b2b += rhs.b2b;
        self.never_buyers += rhs.never_buyers;
    }
}

#[derive(Debug, Default)]
pub struct ChunkData {
    pub index: usize,
    pub customers: CustomerRows,
    pub orders: OrderRows,
    pub items: ItemRows,
    pub interactions: InteractionRows,
    pub referrals: ReferralRows,
    pub truth: TruthRows,
    pub counts: ChunkCounts,
}

/// The customer id range of chunk `index` for a lake of `customers`.
pub fn chunk_range(index: usize, customers: u64) -> Range<u64> {
    let start = index as u64 * CHUNK_CUSTOMERS + 1;
    start..(start + CHUNK_CUSTOMERS).min(customers + 1)
}

pub fn chunk_count(customers: u64) -> usize {
    customers.div_ceil(CHUNK_CUSTOMERS) as usize
}

/// Generates chunk `index`; `progress` is told how many customers were done, now and then.
pub fn generate_chunk(
    model: &Model,
    contacts: &ContactCalendar,
    index: usize,
    customers: u64,
    progress: &dyn Fn(u64),
) -> ChunkData {
    let mut data = ChunkData {
        index,
        ..Default::default()
    };
    let mut life = Life::default();
    let mut referrer_life = Life::default();
    let mut events: Vec<OrderEvent> = Vec::new();
    let mut order_scratch = OrderScratch::default();
    let mut drafts: Vec<InteractionDraft> = Vec::new();
    let mut unreported = 0u64;

    for id in chunk_range(index, customers) {
        model.life_into(id, &mut life);
        let mut profile = model.profile(id, &life);
        let referral = if profile.acquisition == ACQUISITION_REFERRAL {
            let referral = model.choose_referrer(id, life.signup_day, &mut referrer_life);
            if referral.is_none() {
                profile.acquisition = ACQUISITION_ORGANIC;
            }
            referral
        } else {
            None
        };

        generate_orders(
            model,
            id,
            &life,
            &profile,
            &mut data.orders,
            &mut data.items,
            &mut events,
            &mut order_scratch,
        );
        let dropout_ts = life
            .dropped_out
            .then(|| events.last().map_or(to_micros(life.signup_time), |e| e.ts));
        generate_interactions(
            &model.streams,
            &model.calendar,
            contacts,
            id,
            &life,
            &profile,
            &events,
            dropout_ts,
            &mut drafts,
        );
        let customer_id = id as i64;
        data.interactions
            .customer_id
            .extend(std::iter::repeat_n(customer_id, drafts.len()));
        data.interactions.drafts.extend_from_slice(&drafts);

        let first_order = events.first().map(|e| e.ts);
        if let Some(referral) = referral {
            let rows = &mut data.referrals;
            rows.referrer_id.push(referral.referrer as i64);
            rows.referee_id.push(customer_id);
            rows.referred_at.push(referral.referred_at);
            rows.converted_at.push(first_order);
            rows.reward_cents
                .push(if first_order.is_some() { 1_000 } else { 0 });
        }

        let c = &mut data.customers;
        c.id.push(customer_id);
        c.name
            .push(format!("{} {}", profile.first_name, profile.last_name));
        c.email.push(format!(
            "{}.{}{}@{}",
            profile.first_name.to_lowercase(),
            profile.last_name.to_lowercase(),
            id,
            profile.email_domain
        ));
        c.phone
            .push(format!("+99 {} {:07}", profile.phone.0, profile.phone.1));
        c.gender.push(GENDERS[profile.gender]);
        c.birth_date.push(profile.birth_day as i32);
        c.region.push(REGIONS[profile.region]);
        c.city.push(profile.city);
        c.customer_type.push(CUSTOMER_TYPES[usize::from(life.b2b)]);
        c.industry.push(profile.industry.map(|i| INDUSTRIES[i]));
        c.company_size
            .push(profile.company_size.map(|s| COMPANY_SIZES[s]));
        c.signup_date.push(life.signup_day as i32);
        c.acquisition_channel
            .push(ACQUISITION_CHANNELS[profile.acquisition]);
        c.preferred_channel
            .push(CONTACT_CHANNELS[profile.preferred_channel]);
        c.marketing_opt_in.push(profile.marketing_opt_in);
        c.referred_by.push(referral.map(|r| r.referrer as i64));

        let t = &mut data.truth;
        t.customer_id.push(customer_id);
        t.customer_type.push(CUSTOMER_TYPES[usize::from(life.b2b)]);
        t.lambda.push(life.lambda);
        t.p.push(life.p);
        t.purchases.push(events.len() as i32);
        t.first_purchase_ts.push(first_order);
        t.dropout_ts.push(dropout_ts);
        t.alive_at_as_of.push(!life.dropped_out);
        t.never_buyer.push(life.never_buyer);
        t.exposure_days.push(model.exposure_days(&life));

        data.counts.alive += u64::from(!life.dropped_out);
        data.counts.b2b += u64::from(life.b2b);
        data.counts.never_buyers += u64::from(life.never_buyer);
        unreported += 1;
        if unreported == 1_000 {
            progress(unreported);
            unreported = 0;
        }
    }
    progress(unreported);

    data.counts.customers = data.customers.id.len() as u64;
    data.counts.orders = data.orders.len() as u64;
    data.counts.order_items = data.items.len() as u64;
    data.counts.interactions = data.interactions.len() as u64;
    data.counts.referrals = data.referrals.referee_id.len() as u64;
    data
}
