//! The saved segmentation queries (`queries/*.sql`, served as views `segments.<file>`) on the
//! shared test lake, each against an independent plain-Rust implementation of its definition.
//!
//! The expected values come from the lake's Parquet files read directly (no SQL, no custlake
//! function): each query's filters, joins and `coalesce`s are re-implemented from its text, and
//! each function from its documentation. Every view is checked row for row and column for
//! column, at the lake's own as-of date (the config's default) and at two dates set on the
//! session: a leap day, whose calendar-month arithmetic clamps (12 months back is 2023-02-28),
//! and a year end, after which part of the lake's orders and sign-ups lie (they must not count).

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::{self, Debug};
use std::sync::OnceLock;

use chrono::{Days, Months, NaiveDate};
use custlake::engine::Engine;
use datafusion::arrow::array::{Array, AsArray, RecordBatch};
use datafusion::arrow::compute::concat_batches;
use datafusion::arrow::datatypes::{DataType, Float64Type, TimeUnit};
use datafusion::prelude::SessionContext;

use crate::common;
use crate::common::columns::{bools, column, dates, decimals, ints, texts, timestamps};

/// The saved queries, i.e. the views of schema `segments`.
const VIEWS: [&str; 13] = [
    "at_risk",
    "campaign_kpis",
    "champions",
    "churn_scores",
    "churn_watchlist",
    "cross_sell",
    "lifecycle",
    "member_tiers",
    "nps_by_segment",
    "referral_leaderboard",
    "repurchase_due",
    "rfm",
    "value_activity",
];

/// The as-of date of the test lake's config (`custlake gen`'s default).
const LAKE_AS_OF: &str = "2024-06-30";
/// Dates set with `SET custlake.as_of` in addition to the lake's own.
const SET_DATES: [&str; 2] = ["2024-02-29", "2023-12-31"];

// ---------------------------------------------------------------------------------------------
// Dates

const MICROS_PER_DAY: i64 = 86_400_000_000;
/// Days from 0001-01-01 (CE day 1) to 1970-01-01.
const EPOCH_CE_DAYS: i64 = 719_163;

fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("a YYYY-MM-DD date")
}

/// A `Date32` value (days since 1970-01-01).
fn date_of_days(days: i64) -> NaiveDate {
    NaiveDate::from_num_days_from_ce_opt((days + EPOCH_CE_DAYS) as i32).expect("date in range")
}

/// `CAST(ts AS DATE)`: the UTC date of a timestamp in microseconds.
fn day_of(micros: i64) -> NaiveDate {
    date_of_days(micros.div_euclid(MICROS_PER_DAY))
}

/// `as_of - INTERVAL 'n months'`: calendar months, the day clamped to the month's end.
fn months_before(as_of: NaiveDate, months: u32) -> NaiveDate {
    as_of
        .checked_sub_months(Months::new(months))
        .expect("date in range")
}

/// `CAST(ts AS DATE) <= as_of AND CAST(ts AS DATE) > as_of - INTERVAL 'n months'`.
fn in_last_months(day: NaiveDate, as_of: NaiveDate, months: u32) -> bool {
    day <= as_of && day > months_before(as_of, months)
}

fn days_between(from: NaiveDate, to: NaiveDate) -> i64 {
    (to - from).num_days()
}

// ---------------------------------------------------------------------------------------------
// Reading columns (of the lake's Parquet batches and of query results)

fn floats(batch: &RecordBatch, name: &str) -> Vec<Option<f64>> {
    column(batch, name)
        .as_primitive::<Float64Type>()
        .iter()
        .collect()
}

/// The values of a column that has no NULLs.
fn all<T>(values: Vec<Option<T>>) -> Vec<T> {
    values
        .into_iter()
        .map(|v| v.expect("no NULL in this column"))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// The lake, read straight from its Parquet files

#[derive(Debug, Clone)]
struct Customer {
    id: i64,
    name: String,
    email: String,
    phone: String,
    region: String,
    customer_type: String,
    signup_date: NaiveDate,
    preferred_channel: String,
    marketing_opt_in: bool,
}

impl Customer {
    fn is_b2b(&self) -> bool {
        self.customer_type.eq_ignore_ascii_case("B2B")
    }
}

#[derive(Debug, Clone)]
struct Order {
    id: i64,
    customer_id: i64,
    /// `order_ts` in microseconds.
    ts: i64,
    status: String,
    /// `amount` in cents.
    amount: i128,
}

impl Order {
    fn day(&self) -> NaiveDate {
        day_of(self.ts)
    }
}

#[derive(Debug, Clone)]
struct Interaction {
    customer_id: i64,
    ts: i64,
    channel: String,
    kind: String,
    direction: String,
    responded: bool,
    converted: bool,
    complaint: bool,
    nps_score: Option<i64>,
    /// `cost` in cents.
    cost: i128,
}

impl Interaction {
    fn day(&self) -> NaiveDate {
        day_of(self.ts)
    }

    /// Activity of the customer: an inbound contact or a response (lifecycle, value_activity).
    fn is_customer_activity(&self) -> bool {
        self.direction == "inbound" || self.responded
    }
}

#[derive(Debug, Clone)]
struct Referral {
    referrer_id: i64,
    referred_at: i64,
    converted_at: Option<i64>,
    /// `reward` in cents.
    reward: i128,
}

struct LakeData {
    customers: BTreeMap<i64, Customer>,
    orders: Vec<Order>,
    interactions: Vec<Interaction>,
    referrals: Vec<Referral>,
}

impl LakeData {
    /// Completed orders on or before `as_of`: what every purchase figure counts.
    fn completed_by(&self, as_of: NaiveDate) -> impl Iterator<Item = &Order> {
        self.orders
            .iter()
            .filter(move |o| o.status == "completed" && o.day() <= as_of)
    }

    /// The customers signed up by `as_of` (`WHERE c.signup_date <= as_of()`).
    fn signed_up_by(&self, as_of: NaiveDate) -> impl Iterator<Item = &Customer> {
        self.customers
            .values()
            .filter(move |c| c.signup_date <= as_of)
    }
}

/// The lake's tables, read once per test run.
fn lake_data() -> &'static LakeData {
    static DATA: OnceLock<LakeData> = OnceLock::new();
    DATA.get_or_init(|| LakeData {
        customers: read_customers(),
        orders: read_orders(),
        interactions: read_interactions(),
        referrals: read_referrals(),
    })
}

fn read_lake_table(table: &str) -> RecordBatch {
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

// ---------------------------------------------------------------------------------------------
// The engine and the views

/// The engine over the shared lake with the project's saved queries (built per test: it takes
/// well under a second, and a test's runtime ends with the test).
async fn engine() -> Engine {
    let mut config = common::lake_config();
    config.saved_queries = Some(crate::common::manifest_dir().join("queries"));
    Engine::build(&config)
        .await
        .expect("engine with the saved queries")
}

async fn query(session: &SessionContext, sql: &str) -> RecordBatch {
    let frame = session
        .sql(sql)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    let schema = frame.schema().inner().clone();
    let batches = frame
        .collect()
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    concat_batches(&schema, &batches).expect("concat")
}

/// Sessions at the lake's own date (nothing set: the config's default) and at each of
/// `SET_DATES`, each with its as-of date as `as_of()` reports it.
async fn sessions(engine: &Engine) -> Vec<(SessionContext, NaiveDate)> {
    sessions_at(engine, &SET_DATES).await
}

/// Sessions at the lake's own date and at each of `set_dates`.
async fn sessions_at(engine: &Engine, set_dates: &[&str]) -> Vec<(SessionContext, NaiveDate)> {
    let mut sessions = Vec::new();
    for set in [None]
        .into_iter()
        .chain(set_dates.iter().copied().map(Some))
    {
        let session = engine.session();
        if let Some(day) = set {
            query(&session, &format!("SET custlake.as_of = '{day}'")).await;
        }
        let expected = set.unwrap_or(LAKE_AS_OF);
        let reported = query(&session, "SELECT as_of() AS d").await;
        assert_eq!(
            all(dates(&reported, "d")),
            [date(expected)],
            "as_of() of the session"
        );
        sessions.push((session, date(expected)));
    }
    sessions
}

/// `SELECT * FROM segments.<view>`, its columns checked by name and type.
async fn view(session: &SessionContext, name: &str, columns: &[(&str, Ty)]) -> RecordBatch {
    let batch = query(session, &format!("SELECT * FROM segments.{name}")).await;
    let schema = batch.schema();
    let found: Vec<(&str, &DataType)> = schema
        .fields()
        .iter()
        .map(|f| (f.name().as_str(), f.data_type()))
        .collect();
    let names: Vec<&str> = found.iter().map(|(n, _)| *n).collect();
    let wanted: Vec<&str> = columns.iter().map(|(n, _)| *n).collect();
    assert_eq!(names, wanted, "columns of segments.{name}");
    for ((column, actual), (_, ty)) in found.iter().zip(columns) {
        assert!(
            ty.accepts(actual),
            "segments.{name}.{column}: expected {ty:?}, got {actual}"
        );
    }
    batch
}

/// A column type as a check: exact where the type is a contract, a kind where the engine
/// derives the precision.
#[derive(Debug, Clone, Copy)]
enum Ty {
    Int64,
    Int32,
    /// Any integer type (e.g. `rank()`).
    Integer,
    Float64,
    Bool,
    Text,
    /// A list of text.
    TextList,
    Date,
    Timestamp,
    /// Decimal128 with exactly this precision and scale.
    Decimal(u8, i8),
    /// Decimal128 of any precision at this scale (sums, averages, quotients).
    Scale(i8),
}

impl Ty {
    fn accepts(self, t: &DataType) -> bool {
        match self {
            Ty::Int64 => *t == DataType::Int64,
            Ty::Int32 => *t == DataType::Int32,
            Ty::Integer => t.is_integer(),
            Ty::Float64 => *t == DataType::Float64,
            Ty::Bool => *t == DataType::Boolean,
            Ty::Text => matches!(t, DataType::Utf8 | DataType::Utf8View | DataType::LargeUtf8),
            Ty::TextList => {
                matches!(t, DataType::List(item) if Ty::Text.accepts(item.data_type()))
            }
            Ty::Date => *t == DataType::Date32,
            Ty::Timestamp => *t == DataType::Timestamp(TimeUnit::Microsecond, None),
            Ty::Decimal(p, s) => *t == DataType::Decimal128(p, s),
            Ty::Scale(s) => matches!(t, DataType::Decimal128(_, scale) if *scale == s),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Comparing

/// A float that compares with a relative tolerance of 1e-9.
#[derive(Clone, Copy)]
struct Approx(f64);

impl PartialEq for Approx {
    fn eq(&self, other: &Self) -> bool {
        let (a, b) = (self.0, other.0);
        a == b || (a - b).abs() <= 1e-9 * a.abs().max(b.abs())
    }
}

impl Debug for Approx {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// Asserts that the view's rows are exactly the expected ones, matched by `key` (unique on
/// both sides); a failure lists the first differing, missing and extra rows rather than
/// thousands of them. The expected set must not be empty: a test on nothing checks nothing.
fn assert_same_rows<R: Debug + PartialEq, K: Ord + Debug>(
    what: &str,
    expected: Vec<R>,
    actual: Vec<R>,
    key: impl Fn(&R) -> K,
) {
    assert!(!expected.is_empty(), "{what}: no expected rows to compare");
    let expected_by_key: BTreeMap<K, &R> = expected.iter().map(|r| (key(r), r)).collect();
    let actual_by_key: BTreeMap<K, &R> = actual.iter().map(|r| (key(r), r)).collect();
    assert_eq!(
        expected_by_key.len(),
        expected.len(),
        "{what}: duplicate expected keys"
    );
    assert_eq!(
        actual_by_key.len(),
        actual.len(),
        "{what}: duplicate keys in the view"
    );
    let keys: BTreeSet<&K> = expected_by_key.keys().chain(actual_by_key.keys()).collect();
    let mut problems = Vec::new();
    for k in keys {
        match (expected_by_key.get(k), actual_by_key.get(k)) {
            (Some(e), Some(a)) if e != a => {
                problems.push(format!("{k:?}:\n  expected {e:?}\n  actual   {a:?}"))
            }
            (Some(e), None) => problems.push(format!("{k:?}: missing, expected {e:?}")),
            (None, Some(a)) => problems.push(format!("{k:?}: unexpected {a:?}")),
            _ => {}
        }
    }
    assert!(
        problems.is_empty(),
        "{what}: {} problem(s) in {} expected / {} actual rows; the first:\n{}",
        problems.len(),
        expected.len(),
        actual.len(),
        problems[..problems.len().min(8)].join("\n")
    );
}

// ---------------------------------------------------------------------------------------------
// rfm('orders'): udfs/src/rfm_table.rs, rfm_score.rs, rfm_segment.rs

#[derive(Debug, Clone, PartialEq)]
struct Rfm {
    customer_id: i64,
    last_order_date: NaiveDate,
    recency_days: i64,
    frequency: i64,
    /// Cents.
    monetary: i128,
    r_score: i32,
    f_score: i32,
    m_score: i32,
    rfm_code: String,
    segment: String,
}

/// NTILE(5) of rows ranked by `keys` ascending, equal keys in row order: the 0-based rank i of
/// n rows falls in group i / (q + 1) among the first n % 5 groups of q + 1 rows (q = n / 5),
/// after them in groups of q. Returns each row's group, 1 to 5, in row order.
fn ntile5<K: Ord>(keys: &[K]) -> Vec<i32> {
    let mut ranked: Vec<usize> = (0..keys.len()).collect();
    ranked.sort_by(|&a, &b| keys[a].cmp(&keys[b])); // stable: ties keep row order
    let n = keys.len();
    let (q, big_groups) = (n / 5, n % 5);
    let big_rows = big_groups * (q + 1);
    let mut groups = vec![0; n];
    for (rank, row) in ranked.into_iter().enumerate() {
        let group = if rank < big_rows {
            rank / (q + 1)
        } else {
            big_groups + (rank - big_rows) / q
        };
        groups[row] = group as i32 + 1;
    }
    groups
}

/// rfm_segment's default map, as drawn in its documentation: rows R = 5 down to 1, columns
/// FM = 1 to 5.
#[rustfmt::skip]
const SEGMENT_CHART: [[&str; 5]; 5] = [
    /* R=5 */ ["New Customers",  "Potential Loyalists", "Potential Loyalists", "Champions",       "Champions"],
    /* R=4 */ ["Promising",      "Potential Loyalists", "Potential Loyalists", "Loyal Customers", "Loyal Customers"],
    /* R=3 */ ["About To Sleep", "About To Sleep",      "Need Attention",      "Loyal Customers", "Loyal Customers"],
    /* R=2 */ ["Hibernating",    "Hibernating",         "At Risk",             "At Risk",         "Can't Lose Them"],
    /* R=1 */ ["Lost",           "Lost",                "At Risk",             "At Risk",         "Can't Lose Them"],
];

/// The segment of R and FM = the mean of F and M rounded half up.
fn rfm_segment(r: i32, f: i32, m: i32) -> &'static str {
    let fm = (f + m + 1) / 2;
    SEGMENT_CHART[(5 - r) as usize][(fm - 1) as usize]
}

/// The RFM table as of `as_of`: completed orders on or before it, per customer.
fn expected_rfm(lake: &LakeData, as_of: NaiveDate) -> Vec<Rfm> {
    // customer_id order (the BTreeMap's) is the tie order of the scores.
    let mut totals: BTreeMap<i64, (NaiveDate, i64, i128)> = BTreeMap::new();
    for order in lake.completed_by(as_of) {
        let entry = totals
            .entry(order.customer_id)
            .or_insert((order.day(), 0, 0));
        entry.0 = entry.0.max(order.day());
        entry.1 += 1;
        entry.2 += order.amount;
    }
    let totals: Vec<(i64, (NaiveDate, i64, i128))> = totals.into_iter().collect();
    let recency: Vec<i64> = totals
        .iter()
        .map(|(_, (last, _, _))| days_between(*last, as_of))
        .collect();
    // The most recent buyers score 5: rank by recency descending.
    let r = ntile5(&recency.iter().map(|&d| Reverse(d)).collect::<Vec<_>>());
    let f = ntile5(&totals.iter().map(|(_, t)| t.1).collect::<Vec<_>>());
    let m = ntile5(&totals.iter().map(|(_, t)| t.2).collect::<Vec<_>>());
    totals
        .iter()
        .enumerate()
        .map(|(i, &(customer_id, (last, frequency, monetary)))| Rfm {
            customer_id,
            last_order_date: last,
            recency_days: recency[i],
            frequency,
            monetary,
            r_score: r[i],
            f_score: f[i],
            m_score: m[i],
            rfm_code: format!("{}{}{}", r[i], f[i], m[i]),
            segment: rfm_segment(r[i], f[i], m[i]).to_string(),
        })
        .collect()
}

const RFM_COLUMNS: [(&str, Ty); 10] = [
    ("customer_id", Ty::Int64),
    ("last_order_date", Ty::Date),
    ("recency_days", Ty::Int64),
    ("frequency", Ty::Int64),
    ("monetary", Ty::Decimal(38, 2)),
    ("r_score", Ty::Int32),
    ("f_score", Ty::Int32),
    ("m_score", Ty::Int32),
    ("rfm_code", Ty::Text),
    ("segment", Ty::Text),
];

fn rfm_rows(b: &RecordBatch) -> Vec<Rfm> {
    let ids = all(ints(b, "customer_id"));
    let last = all(dates(b, "last_order_date"));
    let recency = all(ints(b, "recency_days"));
    let frequency = all(ints(b, "frequency"));
    let monetary = all(decimals(b, "monetary", 2));
    let r = all(ints(b, "r_score"));
    let f = all(ints(b, "f_score"));
    let m = all(ints(b, "m_score"));
    let codes = all(texts(b, "rfm_code"));
    let segments = all(texts(b, "segment"));
    (0..b.num_rows())
        .map(|i| Rfm {
            customer_id: ids[i],
            last_order_date: last[i],
            recency_days: recency[i],
            frequency: frequency[i],
            monetary: monetary[i],
            r_score: r[i] as i32,
            f_score: f[i] as i32,
            m_score: m[i] as i32,
            rfm_code: codes[i].clone(),
            segment: segments[i].clone(),
        })
        .collect()
}

#[test]
fn ntile5_cuts_like_sql() {
    // The helper itself: 7 rows are groups of 2, 2, 1, 1, 1; ties keep row order.
    assert_eq!(ntile5(&[1, 2, 3, 4, 5, 6, 7]), [1, 1, 2, 2, 3, 4, 5]);
    assert_eq!(ntile5(&[7, 6, 5, 4, 3, 2, 1]), [5, 4, 3, 2, 2, 1, 1]);
    assert_eq!(ntile5(&[0; 6]), [1, 1, 2, 3, 4, 5]);
    assert_eq!(ntile5(&[3, 1, 2]), [3, 1, 2]);
    assert_eq!(rfm_segment(5, 4, 3), "Champions");
    assert_eq!(rfm_segment(1, 5, 5), "Can't Lose Them");
}

#[tokio::test]
async fn rfm_scores_every_buyer() {
    let engine = engine().await;
    for (session, as_of) in sessions(&engine).await {
        let batch = view(&session, "rfm", &RFM_COLUMNS).await;
        let expected = expected_rfm(lake_data(), as_of);
        assert!(
            expected.len() > 500,
            "{} buyers as of {as_of}",
            expected.len()
        );
        assert_same_rows(
            &format!("rfm as of {as_of}"),
            expected,
            rfm_rows(&batch),
            |r| r.customer_id,
        );
    }
}

// ---------------------------------------------------------------------------------------------
// champions: RFM segment 'Champions' with contact details

#[derive(Debug, PartialEq)]
struct Champion {
    customer_id: i64,
    name: String,
    email: String,
    region: String,
    customer_type: String,
    recency_days: i64,
    frequency: i64,
    monetary: i128,
    rfm_code: String,
}

fn expected_champions(lake: &LakeData, as_of: NaiveDate) -> Vec<Champion> {
    expected_rfm(lake, as_of)
        .into_iter()
        .filter(|r| r.segment == "Champions")
        .filter_map(|r| {
            // An inner join: a buyer missing from customers would drop out.
            let c = lake.customers.get(&r.customer_id)?;
            Some(Champion {
                customer_id: r.customer_id,
                name: c.name.clone(),
                email: c.email.clone(),
                region: c.region.clone(),
                customer_type: c.customer_type.clone(),
                recency_days: r.recency_days,
                frequency: r.frequency,
                monetary: r.monetary,
                rfm_code: r.rfm_code,
            })
        })
        .collect()
}

#[tokio::test]
async fn champions_are_the_champions_segment_with_contacts() {
    let engine = engine().await;
    let columns = [
        ("customer_id", Ty::Int64),
        ("name", Ty::Text),
        ("email", Ty::Text),
        ("region", Ty::Text),
        ("customer_type", Ty::Text),
        ("recency_days", Ty::Int64),
        ("frequency", Ty::Int64),
        ("monetary", Ty::Decimal(38, 2)),
        ("rfm_code", Ty::Text),
    ];
    for (session, as_of) in sessions(&engine).await {
        let b = view(&session, "champions", &columns).await;
        let ids = all(ints(&b, "customer_id"));
        let names = all(texts(&b, "name"));
        let emails = all(texts(&b, "email"));
        let regions = all(texts(&b, "region"));
        let types = all(texts(&b, "customer_type"));
        let recency = all(ints(&b, "recency_days"));
        let frequency = all(ints(&b, "frequency"));
        let monetary = all(decimals(&b, "monetary", 2));
        let codes = all(texts(&b, "rfm_code"));
        let actual = (0..b.num_rows())
            .map(|i| Champion {
                customer_id: ids[i],
                name: names[i].clone(),
                email: emails[i].clone(),
                region: regions[i].clone(),
                customer_type: types[i].clone(),
                recency_days: recency[i],
                frequency: frequency[i],
                monetary: monetary[i],
                rfm_code: codes[i].clone(),
            })
            .collect();
        assert_same_rows(
            &format!("champions as of {as_of}"),
            expected_champions(lake_data(), as_of),
            actual,
            |r| r.customer_id,
        );
    }
}

// ---------------------------------------------------------------------------------------------
// lifecycle: udfs/src/lifecycle_stage.rs

#[derive(Debug, Clone, PartialEq)]
struct Lifecycle {
    customer_id: i64,
    customer_type: String,
    region: String,
    first_purchase_ts: Option<i64>,
    last_purchase_ts: Option<i64>,
    last_contact_ts: Option<i64>,
    stage: String,
}

/// lifecycle_stage's rules, in whole days with the as-of date included.
fn lifecycle_stage(
    first_purchase: Option<NaiveDate>,
    last_activity: Option<NaiveDate>,
    b2b: bool,
    as_of: NaiveDate,
) -> &'static str {
    let Some(first) = first_purchase.filter(|&d| d <= as_of) else {
        return "prospect";
    };
    // No activity given: the first purchase is the last activity.
    let last = last_activity.map_or(first, |d| d.max(first));
    // "More than 3 (B2B: 6) calendar months before": before the day that many months back.
    if last < months_before(as_of, if b2b { 6 } else { 3 }) {
        "at_risk"
    } else if days_between(first, as_of) <= 90 {
        "new"
    } else if first < months_before(as_of, 12) {
        "mature"
    } else {
        "growing"
    }
}

fn expected_lifecycle(lake: &LakeData, as_of: NaiveDate) -> Vec<Lifecycle> {
    // purchases: first and last completed order timestamp by as_of.
    let mut purchases: HashMap<i64, (i64, i64)> = HashMap::new();
    for o in lake.completed_by(as_of) {
        let entry = purchases.entry(o.customer_id).or_insert((o.ts, o.ts));
        entry.0 = entry.0.min(o.ts);
        entry.1 = entry.1.max(o.ts);
    }
    // contacts: the customer's own latest activity by as_of.
    let mut contacts: HashMap<i64, i64> = HashMap::new();
    for i in &lake.interactions {
        if i.is_customer_activity() && i.day() <= as_of {
            let last = contacts.entry(i.customer_id).or_insert(i.ts);
            *last = (*last).max(i.ts);
        }
    }
    lake.signed_up_by(as_of)
        .map(|c| {
            let purchase = purchases.get(&c.id).copied();
            let contact = contacts.get(&c.id).copied();
            // greatest(last_purchase_ts, last_contact_ts) skips a NULL.
            let last_activity = [purchase.map(|p| p.1), contact].into_iter().flatten().max();
            Lifecycle {
                customer_id: c.id,
                customer_type: c.customer_type.clone(),
                region: c.region.clone(),
                first_purchase_ts: purchase.map(|p| p.0),
                last_purchase_ts: purchase.map(|p| p.1),
                last_contact_ts: contact,
                stage: lifecycle_stage(
                    purchase.map(|p| day_of(p.0)),
                    last_activity.map(day_of),
                    c.is_b2b(),
                    as_of,
                )
                .to_string(),
            }
        })
        .collect()
}

#[test]
fn lifecycle_stage_edges() {
    // The helper on the documented edges (lifecycle_stage's docs, as of 2024-06-30).
    let as_of = date("2024-06-30");
    let stage = |first: &str, last: &str, b2b| {
        lifecycle_stage(Some(date(first)), Some(date(last)), b2b, as_of)
    };
    assert_eq!(stage("2024-04-01", "2024-06-30", false), "new"); // 90 days
    assert_eq!(stage("2024-03-31", "2024-06-30", false), "growing");
    assert_eq!(stage("2023-06-30", "2024-06-30", false), "growing");
    assert_eq!(stage("2023-06-29", "2024-06-30", false), "mature");
    assert_eq!(stage("2022-01-01", "2024-03-30", false), "mature");
    assert_eq!(stage("2022-01-01", "2024-03-29", false), "at_risk");
    assert_eq!(stage("2022-01-01", "2024-03-29", true), "mature");
    assert_eq!(stage("2022-01-01", "2023-12-29", true), "at_risk");
    assert_eq!(lifecycle_stage(None, Some(as_of), false, as_of), "prospect");
}

#[tokio::test]
async fn lifecycle_stages_every_signed_up_customer() {
    let engine = engine().await;
    let columns = [
        ("customer_id", Ty::Int64),
        ("customer_type", Ty::Text),
        ("region", Ty::Text),
        ("first_purchase_ts", Ty::Timestamp),
        ("last_purchase_ts", Ty::Timestamp),
        ("last_contact_ts", Ty::Timestamp),
        ("stage", Ty::Text),
    ];
    for (session, as_of) in sessions(&engine).await {
        let b = view(&session, "lifecycle", &columns).await;
        let ids = all(ints(&b, "customer_id"));
        let types = all(texts(&b, "customer_type"));
        let regions = all(texts(&b, "region"));
        let first = timestamps(&b, "first_purchase_ts");
        let last = timestamps(&b, "last_purchase_ts");
        let contact = timestamps(&b, "last_contact_ts");
        let stages = all(texts(&b, "stage"));
        let actual = (0..b.num_rows())
            .map(|i| Lifecycle {
                customer_id: ids[i],
                customer_type: types[i].clone(),
                region: regions[i].clone(),
                first_purchase_ts: first[i],
                last_purchase_ts: last[i],
                last_contact_ts: contact[i],
                stage: stages[i].clone(),
            })
            .collect();
        let expected = expected_lifecycle(lake_data(), as_of);
        // Every stage occurs, so every rule is exercised.
        let seen: BTreeSet<&str> = expected.iter().map(|r| r.stage.as_str()).collect();
        assert_eq!(
            seen,
            BTreeSet::from(["at_risk", "growing", "mature", "new", "prospect"]),
            "stages as of {as_of}"
        );
        assert_same_rows(&format!("lifecycle as of {as_of}"), expected, actual, |r| {
            r.customer_id
        });
    }
}

// ---------------------------------------------------------------------------------------------
// at_risk: lifecycle stage at_risk, with contacts and RFM

#[derive(Debug, PartialEq)]
struct AtRisk {
    customer_id: i64,
    name: String,
    email: String,
    phone: String,
    preferred_channel: String,
    customer_type: String,
    region: String,
    last_purchase_ts: Option<i64>,
    last_contact_ts: Option<i64>,
    frequency: Option<i64>,
    monetary: Option<i128>,
    rfm_segment: Option<String>,
}

fn expected_at_risk(lake: &LakeData, as_of: NaiveDate) -> Vec<AtRisk> {
    let rfm: HashMap<i64, Rfm> = expected_rfm(lake, as_of)
        .into_iter()
        .map(|r| (r.customer_id, r))
        .collect();
    expected_lifecycle(lake, as_of)
        .into_iter()
        .filter(|l| l.stage == "at_risk")
        .filter_map(|l| {
            let c = lake.customers.get(&l.customer_id)?;
            let r = rfm.get(&l.customer_id); // LEFT JOIN
            Some(AtRisk {
                customer_id: l.customer_id,
                name: c.name.clone(),
                email: c.email.clone(),
                phone: c.phone.clone(),
                preferred_channel: c.preferred_channel.clone(),
                customer_type: l.customer_type,
                region: l.region,
                last_purchase_ts: l.last_purchase_ts,
                last_contact_ts: l.last_contact_ts,
                frequency: r.map(|r| r.frequency),
                monetary: r.map(|r| r.monetary),
                rfm_segment: r.map(|r| r.segment.clone()),
            })
        })
        .collect()
}

#[tokio::test]
async fn at_risk_lists_the_at_risk_stage_with_contacts_and_rfm() {
    let engine = engine().await;
    let columns = [
        ("customer_id", Ty::Int64),
        ("name", Ty::Text),
        ("email", Ty::Text),
        ("phone", Ty::Text),
        ("preferred_channel", Ty::Text),
        ("customer_type", Ty::Text),
        ("region", Ty::Text),
        ("last_purchase_ts", Ty::Timestamp),
        ("last_contact_ts", Ty::Timestamp),
        ("frequency", Ty::Int64),
        ("monetary", Ty::Decimal(38, 2)),
        ("rfm_segment", Ty::Text),
    ];
    for (session, as_of) in sessions(&engine).await {
        let b = view(&session, "at_risk", &columns).await;
        let ids = all(ints(&b, "customer_id"));
        let names = all(texts(&b, "name"));
        let emails = all(texts(&b, "email"));
        let phones = all(texts(&b, "phone"));
        let channels = all(texts(&b, "preferred_channel"));
        let types = all(texts(&b, "customer_type"));
        let regions = all(texts(&b, "region"));
        let last = timestamps(&b, "last_purchase_ts");
        let contact = timestamps(&b, "last_contact_ts");
        let frequency = ints(&b, "frequency");
        let monetary = decimals(&b, "monetary", 2);
        let segments = texts(&b, "rfm_segment");
        let actual = (0..b.num_rows())
            .map(|i| AtRisk {
                customer_id: ids[i],
                name: names[i].clone(),
                email: emails[i].clone(),
                phone: phones[i].clone(),
                preferred_channel: channels[i].clone(),
                customer_type: types[i].clone(),
                region: regions[i].clone(),
                last_purchase_ts: last[i],
                last_contact_ts: contact[i],
                frequency: frequency[i],
                monetary: monetary[i],
                rfm_segment: segments[i].clone(),
            })
            .collect();
        assert_same_rows(
            &format!("at_risk as of {as_of}"),
            expected_at_risk(lake_data(), as_of),
            actual,
            |r| r.customer_id,
        );
    }
}

// ---------------------------------------------------------------------------------------------
// value_activity: udfs/src/value_activity.rs

#[derive(Debug, PartialEq)]
struct ValueActivity {
    customer_id: i64,
    customer_type: String,
    /// Cents.
    annual_spend: i128,
    /// At the scale of the average, 6 (the spend's 2 + 4).
    reference_spend: Option<i128>,
    active_last_3_months: bool,
    segment: Option<String>,
}

/// The scale of `avg` over a decimal of scale 2.
const AVG_SCALE: i8 = 6;

/// value_activity_segment's rules, exactly in integers: spend and reference at scale 6.
fn value_activity_segment(spend: i128, reference: i128, active: bool) -> &'static str {
    match active {
        true if 10 * spend >= 15 * reference => "high_value_active",
        true if 10 * spend >= 8 * reference => "potential",
        false if 10 * spend < 5 * reference => "sleeping",
        _ => "other",
    }
}

fn expected_value_activity(lake: &LakeData, as_of: NaiveDate) -> Vec<ValueActivity> {
    let mut spend: HashMap<i64, i128> = HashMap::new();
    let mut active: BTreeSet<i64> = BTreeSet::new();
    for o in lake.completed_by(as_of) {
        if in_last_months(o.day(), as_of, 12) {
            *spend.entry(o.customer_id).or_default() += o.amount;
        }
        if in_last_months(o.day(), as_of, 3) {
            active.insert(o.customer_id);
        }
    }
    for i in &lake.interactions {
        if i.is_customer_activity() && in_last_months(i.day(), as_of, 3) {
            active.insert(i.customer_id);
        }
    }
    let base: Vec<&Customer> = lake.signed_up_by(as_of).collect();
    // Peers: the average spend of the buyers (spend > 0) of each customer type among the
    // signed-up customers; the decimal average keeps 6 decimals, truncated.
    let mut peers: HashMap<&str, (i128, i128)> = HashMap::new();
    for c in &base {
        let s = spend.get(&c.id).copied().unwrap_or(0);
        if s > 0 {
            let entry = peers.entry(c.customer_type.as_str()).or_default();
            entry.0 += s;
            entry.1 += 1;
        }
    }
    let to_scale_6 = 10_i128.pow((AVG_SCALE - 2) as u32);
    base.iter()
        .map(|c| {
            let annual_spend = spend.get(&c.id).copied().unwrap_or(0);
            let reference = peers
                .get(c.customer_type.as_str())
                .map(|&(sum, n)| sum * to_scale_6 / n);
            let is_active = active.contains(&c.id);
            ValueActivity {
                customer_id: c.id,
                customer_type: c.customer_type.clone(),
                annual_spend,
                reference_spend: reference,
                active_last_3_months: is_active,
                segment: reference.map(|r| {
                    value_activity_segment(annual_spend * to_scale_6, r, is_active).to_string()
                }),
            }
        })
        .collect()
}

#[tokio::test]
async fn value_activity_compares_spend_with_peers() {
    let engine = engine().await;
    let columns = [
        ("customer_id", Ty::Int64),
        ("customer_type", Ty::Text),
        ("annual_spend", Ty::Scale(2)),
        ("reference_spend", Ty::Scale(AVG_SCALE)),
        ("active_last_3_months", Ty::Bool),
        ("segment", Ty::Text),
    ];
    for (session, as_of) in sessions(&engine).await {
        let b = view(&session, "value_activity", &columns).await;
        let ids = all(ints(&b, "customer_id"));
        let types = all(texts(&b, "customer_type"));
        let spend = all(decimals(&b, "annual_spend", 2));
        let reference = decimals(&b, "reference_spend", AVG_SCALE);
        let active = all(bools(&b, "active_last_3_months"));
        let segments = texts(&b, "segment");
        let actual = (0..b.num_rows())
            .map(|i| ValueActivity {
                customer_id: ids[i],
                customer_type: types[i].clone(),
                annual_spend: spend[i],
                reference_spend: reference[i],
                active_last_3_months: active[i],
                segment: segments[i].clone(),
            })
            .collect();
        let expected = expected_value_activity(lake_data(), as_of);
        let seen: BTreeSet<&str> = expected
            .iter()
            .filter_map(|r| r.segment.as_deref())
            .collect();
        assert_eq!(
            seen,
            BTreeSet::from(["high_value_active", "other", "potential", "sleeping"]),
            "segments as of {as_of}"
        );
        assert_same_rows(
            &format!("value_activity as of {as_of}"),
            expected,
            actual,
            |r| r.customer_id,
        );
    }
}

// ---------------------------------------------------------------------------------------------
// member_tiers: udfs/src/points_balance.rs, member_tier.rs

#[derive(Debug, PartialEq)]
struct MemberTier {
    customer_id: i64,
    customer_type: String,
    /// Cents.
    spend_12m: i128,
    orders_12m: i64,
    points: i64,
    tier: String,
}

/// 1 point per whole currency unit of each order, truncated toward zero (Rust's integer
/// division truncates toward zero, also for a negative amount).
fn order_points(amount_cents: i128) -> i64 {
    (amount_cents / 100) as i64
}

/// The default ladder: (tier, spend in cents, orders, points), highest first. A tier is
/// reached by spend and orders together, or by points alone.
const LADDER: [(&str, i128, i64, i64); 3] = [
    ("diamond", 2_000_000, 12, 40_000),
    ("gold", 500_000, 6, 10_000),
    ("silver", 100_000, 2, 2_000),
];

fn member_tier(spend_cents: i128, orders: i64, points: i64) -> &'static str {
    LADDER
        .iter()
        .find(|&&(_, spend, min_orders, min_points)| {
            (spend_cents >= spend && orders >= min_orders) || points >= min_points
        })
        .map_or("normal", |&(tier, ..)| tier)
}

fn expected_member_tiers(lake: &LakeData, as_of: NaiveDate) -> Vec<MemberTier> {
    // last_year: completed orders of the 12 months up to as_of.
    let mut last_year: HashMap<i64, (i128, i64, i64)> = HashMap::new();
    for o in lake.completed_by(as_of) {
        if in_last_months(o.day(), as_of, 12) {
            let entry = last_year.entry(o.customer_id).or_default();
            entry.0 += o.amount;
            entry.1 += 1;
            entry.2 += order_points(o.amount);
        }
    }
    lake.signed_up_by(as_of)
        .map(|c| {
            // The window of the rows equals the points' validity, so every row's points count;
            // the balance is never below 0.
            let (spend, orders, points) = last_year.get(&c.id).copied().unwrap_or_default();
            let points = points.max(0);
            MemberTier {
                customer_id: c.id,
                customer_type: c.customer_type.clone(),
                spend_12m: spend,
                orders_12m: orders,
                points,
                tier: member_tier(spend, orders, points).to_string(),
            }
        })
        .collect()
}

#[tokio::test]
async fn member_tiers_follow_the_default_ladder() {
    let engine = engine().await;
    let columns = [
        ("customer_id", Ty::Int64),
        ("customer_type", Ty::Text),
        ("spend_12m", Ty::Scale(2)),
        ("orders_12m", Ty::Int64),
        ("points", Ty::Int64),
        ("tier", Ty::Text),
    ];
    for (session, as_of) in sessions(&engine).await {
        let b = view(&session, "member_tiers", &columns).await;
        let ids = all(ints(&b, "customer_id"));
        let types = all(texts(&b, "customer_type"));
        let spend = all(decimals(&b, "spend_12m", 2));
        let orders = all(ints(&b, "orders_12m"));
        let points = all(ints(&b, "points"));
        let tiers = all(texts(&b, "tier"));
        let actual = (0..b.num_rows())
            .map(|i| MemberTier {
                customer_id: ids[i],
                customer_type: types[i].clone(),
                spend_12m: spend[i],
                orders_12m: orders[i],
                points: points[i],
                tier: tiers[i].clone(),
            })
            .collect();
        let expected = expected_member_tiers(lake_data(), as_of);
        let seen: BTreeSet<&str> = expected.iter().map(|r| r.tier.as_str()).collect();
        assert!(
            seen.len() >= 3 && seen.contains("normal") && seen.contains("silver"),
            "tiers as of {as_of}: {seen:?}"
        );
        // The points differ from the spend's whole units: truncation is per order.
        assert!(
            expected
                .iter()
                .any(|r| i128::from(r.points) != r.spend_12m / 100),
            "no customer with several fractional amounts as of {as_of}"
        );
        assert_same_rows(
            &format!("member_tiers as of {as_of}"),
            expected,
            actual,
            |r| r.customer_id,
        );
    }
}

// ---------------------------------------------------------------------------------------------
// repurchase_due: udfs/src/next_purchase_due.rs, repurchase_reminder.rs

#[derive(Debug, PartialEq)]
struct Reminder {
    customer_id: i64,
    name: String,
    email: String,
    phone: String,
    preferred_channel: String,
    customer_type: String,
    last_purchase_date: NaiveDate,
    purchase_days: i64,
    next_purchase_due: NaiveDate,
    remind_on: NaiveDate,
}

/// The last purchase day plus the median gap between consecutive distinct purchase days (the
/// mean of the middle two for an even count, rounded half up); None with fewer than two days.
fn next_purchase_due(days: &BTreeSet<NaiveDate>) -> Option<NaiveDate> {
    let days: Vec<NaiveDate> = days.iter().copied().collect();
    let mut gaps: Vec<i64> = days.windows(2).map(|w| days_between(w[0], w[1])).collect();
    if gaps.is_empty() {
        return None;
    }
    gaps.sort();
    let n = gaps.len();
    let median = if n % 2 == 1 {
        gaps[n / 2] as f64
    } else {
        (gaps[n / 2 - 1] + gaps[n / 2]) as f64 / 2.0
    };
    // f64::round rounds half away from zero: half up, for positive gaps.
    let median = median.round() as u64;
    days.last()?.checked_add_days(Days::new(median))
}

/// The reminder lead time: 3 days for consumers, 14 for B2B (the settings' defaults).
fn reminder_date(due: NaiveDate, b2b: bool) -> NaiveDate {
    due.checked_sub_days(Days::new(if b2b { 14 } else { 3 }))
        .expect("date in range")
}

fn expected_repurchase_due(lake: &LakeData, as_of: NaiveDate) -> Vec<Reminder> {
    let mut purchase_days: BTreeMap<i64, BTreeSet<NaiveDate>> = BTreeMap::new();
    for o in lake.completed_by(as_of) {
        purchase_days
            .entry(o.customer_id)
            .or_default()
            .insert(o.day());
    }
    let window_end = as_of + Days::new(7);
    purchase_days
        .iter()
        .filter_map(|(id, days)| {
            let c = lake.customers.get(id).filter(|c| c.marketing_opt_in)?;
            // A NULL due date (one purchase day) gives a NULL reminder, which no filter keeps.
            let due = next_purchase_due(days)?;
            let remind_on = reminder_date(due, c.is_b2b());
            (remind_on >= as_of && remind_on < window_end).then(|| Reminder {
                customer_id: c.id,
                name: c.name.clone(),
                email: c.email.clone(),
                phone: c.phone.clone(),
                preferred_channel: c.preferred_channel.clone(),
                customer_type: c.customer_type.clone(),
                last_purchase_date: *days.last().expect("a purchase day"),
                purchase_days: days.len() as i64,
                next_purchase_due: due,
                remind_on,
            })
        })
        .collect()
}

#[test]
fn next_purchase_due_examples() {
    // next_purchase_due's documented example, and an even count rounding half up.
    let days = |list: &[&str]| list.iter().map(|d| date(d)).collect::<BTreeSet<_>>();
    assert_eq!(
        next_purchase_due(&days(&["2024-01-01", "2024-01-11", "2024-01-31"])),
        Some(date("2024-02-15"))
    );
    assert_eq!(
        next_purchase_due(&days(&["2024-01-01", "2024-01-11", "2024-01-22"])),
        Some(date("2024-02-02")) // gaps 10, 11: 10.5 rounds to 11
    );
    assert_eq!(next_purchase_due(&days(&["2024-01-01"])), None);
    assert_eq!(reminder_date(date("2024-07-20"), true), date("2024-07-06"));
}

#[tokio::test]
async fn repurchase_due_lists_this_weeks_reminders() {
    let engine = engine().await;
    let columns = [
        ("customer_id", Ty::Int64),
        ("name", Ty::Text),
        ("email", Ty::Text),
        ("phone", Ty::Text),
        ("preferred_channel", Ty::Text),
        ("customer_type", Ty::Text),
        ("last_purchase_date", Ty::Date),
        ("purchase_days", Ty::Int64),
        ("next_purchase_due", Ty::Date),
        ("remind_on", Ty::Date),
    ];
    for (session, as_of) in sessions(&engine).await {
        let b = view(&session, "repurchase_due", &columns).await;
        let ids = all(ints(&b, "customer_id"));
        let names = all(texts(&b, "name"));
        let emails = all(texts(&b, "email"));
        let phones = all(texts(&b, "phone"));
        let channels = all(texts(&b, "preferred_channel"));
        let types = all(texts(&b, "customer_type"));
        let last = all(dates(&b, "last_purchase_date"));
        let days = all(ints(&b, "purchase_days"));
        let due = all(dates(&b, "next_purchase_due"));
        let remind = all(dates(&b, "remind_on"));
        let actual = (0..b.num_rows())
            .map(|i| Reminder {
                customer_id: ids[i],
                name: names[i].clone(),
                email: emails[i].clone(),
                phone: phones[i].clone(),
                preferred_channel: channels[i].clone(),
                customer_type: types[i].clone(),
                last_purchase_date: last[i],
                purchase_days: days[i],
                next_purchase_due: due[i],
                remind_on: remind[i],
            })
            .collect();
        assert_same_rows(
            &format!("repurchase_due as of {as_of}"),
            expected_repurchase_due(lake_data(), as_of),
            actual,
            |r| r.customer_id,
        );
    }
}

// ---------------------------------------------------------------------------------------------
// referral_leaderboard: the top 10 referrers of the month up to as_of

#[derive(Debug, PartialEq)]
struct Leader {
    rank: i64,
    customer_id: i64,
    name: String,
    region: String,
    referrals: i64,
    conversions: i64,
    /// Cents.
    rewards: i128,
}

/// The top 10, and how many referrers there were to rank.
fn expected_leaderboard(lake: &LakeData, as_of: NaiveDate) -> (Vec<Leader>, usize) {
    // Referrals made in the month up to as_of, by referrer: (referrals, conversions, rewards).
    let mut by_referrer: BTreeMap<i64, (i64, i64, i128)> = BTreeMap::new();
    for r in &lake.referrals {
        if !in_last_months(day_of(r.referred_at), as_of, 1) {
            continue;
        }
        let entry = by_referrer.entry(r.referrer_id).or_default();
        entry.0 += 1;
        if r.converted_at.is_some_and(|t| day_of(t) <= as_of) {
            entry.1 += 1;
            entry.2 += r.reward;
        }
    }
    let mut rows: Vec<(i64, &Customer, (i64, i64, i128))> = by_referrer
        .into_iter()
        .filter_map(|(id, totals)| Some((id, lake.customers.get(&id)?, totals)))
        .collect();
    rows.sort_by_key(|&(id, _, (referrals, conversions, _))| {
        (Reverse(conversions), Reverse(referrals), id)
    });
    // rank(): 1 + the number of rows strictly ahead on (conversions, referrals).
    let rank_of = |conversions: i64, referrals: i64| {
        1 + rows
            .iter()
            .filter(|(_, _, t)| (t.1, t.0) > (conversions, referrals))
            .count() as i64
    };
    let top = rows
        .iter()
        .take(10)
        .map(|&(id, c, (referrals, conversions, rewards))| Leader {
            rank: rank_of(conversions, referrals),
            customer_id: id,
            name: c.name.clone(),
            region: c.region.clone(),
            referrals,
            conversions,
            rewards,
        })
        .collect();
    (top, rows.len())
}

#[tokio::test]
async fn referral_leaderboard_is_the_top_ten_in_order() {
    let engine = engine().await;
    let columns = [
        ("rank", Ty::Integer),
        ("customer_id", Ty::Int64),
        ("name", Ty::Text),
        ("region", Ty::Text),
        ("referrals", Ty::Int64),
        ("conversions", Ty::Int64),
        ("rewards", Ty::Scale(2)),
    ];
    // The small test lake has 5 to 13 referrals a month (9 referrers up to 2024-06-30): March
    // 2024 has more than 10, so the LIMIT cuts there.
    let (mut cut, mut tied) = (false, false);
    for (session, as_of) in sessions_at(&engine, &[SET_DATES[0], SET_DATES[1], "2024-03-31"]).await
    {
        let b = view(&session, "referral_leaderboard", &columns).await;
        let ranks = all(ints(&b, "rank"));
        let ids = all(ints(&b, "customer_id"));
        let names = all(texts(&b, "name"));
        let regions = all(texts(&b, "region"));
        let referrals = all(ints(&b, "referrals"));
        let conversions = all(ints(&b, "conversions"));
        let rewards = all(decimals(&b, "rewards", 2));
        let actual: Vec<Leader> = (0..b.num_rows())
            .map(|i| Leader {
                rank: ranks[i],
                customer_id: ids[i],
                name: names[i].clone(),
                region: regions[i].clone(),
                referrals: referrals[i],
                conversions: conversions[i],
                rewards: rewards[i],
            })
            .collect();
        let (expected, referrers) = expected_leaderboard(lake_data(), as_of);
        assert!(
            !expected.is_empty(),
            "no referrals in the month up to {as_of}"
        );
        // The view's own ORDER BY: the rows in this order, rank and ties included.
        assert_eq!(actual, expected, "referral_leaderboard as of {as_of}");
        cut |= referrers > 10;
        tied |= expected.windows(2).any(|w| w[0].rank == w[1].rank);
    }
    assert!(
        cut,
        "no date with more than 10 referrers: the LIMIT is untested"
    );
    assert!(tied, "no tied ranks: the customer_id tie order is untested");
}

// ---------------------------------------------------------------------------------------------
// campaign_kpis: outbound campaign contacts of the 12 months up to as_of, by segment and channel

#[derive(Debug, PartialEq)]
struct CampaignKpi {
    segment: String,
    channel: String,
    contacts: i64,
    responses: i64,
    conversions: i64,
    /// Cents.
    cost: i128,
    response_rate: Approx,
    conversion_rate: Approx,
    /// At scale 6 ("money, 6 decimals").
    cost_per_contact: i128,
    cost_per_conversion: Option<i128>,
}

/// The scale of a cost per contact or conversion.
const RATIO_SCALE: i8 = 6;

/// A sum of cents divided by a count, at scale 6, truncated (decimal division keeps the
/// quotient's digits at the result scale and drops the rest).
fn money_per(cents: i128, count: i64) -> i128 {
    cents * 10_i128.pow((RATIO_SCALE - 2) as u32) / i128::from(count)
}

/// The RFM segment of each buyer as of `as_of`; others are 'Prospects'.
fn segment_of(lake: &LakeData, as_of: NaiveDate) -> impl Fn(i64) -> String {
    let segments: HashMap<i64, String> = expected_rfm(lake, as_of)
        .into_iter()
        .map(|r| (r.customer_id, r.segment))
        .collect();
    move |id| {
        segments
            .get(&id)
            .cloned()
            .unwrap_or_else(|| "Prospects".to_string())
    }
}

fn expected_campaign_kpis(lake: &LakeData, as_of: NaiveDate) -> Vec<CampaignKpi> {
    let segment = segment_of(lake, as_of);
    // (contacts, responses, conversions, cost) per segment and channel.
    let mut groups: BTreeMap<(String, String), (i64, i64, i64, i128)> = BTreeMap::new();
    for i in &lake.interactions {
        if i.kind == "campaign" && i.direction == "outbound" && in_last_months(i.day(), as_of, 12) {
            let g = groups
                .entry((segment(i.customer_id), i.channel.clone()))
                .or_default();
            g.0 += 1;
            g.1 += i64::from(i.responded);
            g.2 += i64::from(i.converted);
            g.3 += i.cost;
        }
    }
    groups
        .into_iter()
        .map(
            |((segment, channel), (contacts, responses, conversions, cost))| CampaignKpi {
                segment,
                channel,
                contacts,
                responses,
                conversions,
                cost,
                response_rate: Approx(responses as f64 / contacts as f64),
                conversion_rate: Approx(conversions as f64 / contacts as f64),
                cost_per_contact: money_per(cost, contacts),
                cost_per_conversion: (conversions > 0).then(|| money_per(cost, conversions)),
            },
        )
        .collect()
}

#[tokio::test]
async fn campaign_kpis_by_segment_and_channel() {
    let engine = engine().await;
    let columns = [
        ("segment", Ty::Text),
        ("channel", Ty::Text),
        ("contacts", Ty::Int64),
        ("responses", Ty::Int64),
        ("conversions", Ty::Int64),
        ("cost", Ty::Scale(2)),
        ("response_rate", Ty::Float64),
        ("conversion_rate", Ty::Float64),
        ("cost_per_contact", Ty::Scale(RATIO_SCALE)),
        ("cost_per_conversion", Ty::Scale(RATIO_SCALE)),
    ];
    for (session, as_of) in sessions(&engine).await {
        let b = view(&session, "campaign_kpis", &columns).await;
        let segments = all(texts(&b, "segment"));
        let channels = all(texts(&b, "channel"));
        let contacts = all(ints(&b, "contacts"));
        let responses = all(ints(&b, "responses"));
        let conversions = all(ints(&b, "conversions"));
        let cost = all(decimals(&b, "cost", 2));
        let response_rate = all(floats(&b, "response_rate"));
        let conversion_rate = all(floats(&b, "conversion_rate"));
        let per_contact = all(decimals(&b, "cost_per_contact", RATIO_SCALE));
        let per_conversion = decimals(&b, "cost_per_conversion", RATIO_SCALE);
        let actual = (0..b.num_rows())
            .map(|i| CampaignKpi {
                segment: segments[i].clone(),
                channel: channels[i].clone(),
                contacts: contacts[i],
                responses: responses[i],
                conversions: conversions[i],
                cost: cost[i],
                response_rate: Approx(response_rate[i]),
                conversion_rate: Approx(conversion_rate[i]),
                cost_per_contact: per_contact[i],
                cost_per_conversion: per_conversion[i],
            })
            .collect();
        let expected = expected_campaign_kpis(lake_data(), as_of);
        assert!(
            expected.iter().any(|r| r.segment == "Prospects"),
            "no prospects contacted as of {as_of}"
        );
        assert_same_rows(
            &format!("campaign_kpis as of {as_of}"),
            expected,
            actual,
            |r| (r.segment.clone(), r.channel.clone()),
        );
    }
}

// ---------------------------------------------------------------------------------------------
// nps_by_segment: udfs/src/nps.rs

#[derive(Debug, PartialEq)]
struct NpsRow {
    segment: String,
    answers: i64,
    promoters: i64,
    detractors: i64,
    nps: Option<Approx>,
}

/// % promoters (9-10) − % detractors (0-6) of the answers; None without answers.
fn nps(promoters: i64, detractors: i64, answers: i64) -> Option<f64> {
    (answers > 0).then(|| {
        100.0 * promoters as f64 / answers as f64 - 100.0 * detractors as f64 / answers as f64
    })
}

fn expected_nps(lake: &LakeData, as_of: NaiveDate) -> Vec<NpsRow> {
    let segment = segment_of(lake, as_of);
    let mut groups: BTreeMap<String, (i64, i64, i64)> = BTreeMap::new();
    for i in &lake.interactions {
        let Some(score) = i.nps_score else { continue };
        if in_last_months(i.day(), as_of, 12) {
            let g = groups.entry(segment(i.customer_id)).or_default();
            g.0 += 1;
            g.1 += i64::from(score >= 9);
            g.2 += i64::from(score <= 6);
        }
    }
    groups
        .into_iter()
        .map(|(segment, (answers, promoters, detractors))| NpsRow {
            segment,
            answers,
            promoters,
            detractors,
            nps: nps(promoters, detractors, answers).map(Approx),
        })
        .collect()
}

#[tokio::test]
async fn nps_by_segment_of_the_last_year() {
    let engine = engine().await;
    let columns = [
        ("segment", Ty::Text),
        ("answers", Ty::Int64),
        ("promoters", Ty::Int64),
        ("detractors", Ty::Int64),
        ("nps", Ty::Float64),
    ];
    for (session, as_of) in sessions(&engine).await {
        let b = view(&session, "nps_by_segment", &columns).await;
        let segments = all(texts(&b, "segment"));
        let answers = all(ints(&b, "answers"));
        let promoters = all(ints(&b, "promoters"));
        let detractors = all(ints(&b, "detractors"));
        let scores = floats(&b, "nps");
        let actual = (0..b.num_rows())
            .map(|i| NpsRow {
                segment: segments[i].clone(),
                answers: answers[i],
                promoters: promoters[i],
                detractors: detractors[i],
                nps: scores[i].map(Approx),
            })
            .collect();
        let expected = expected_nps(lake_data(), as_of);
        assert!(expected.len() >= 5, "segments with answers as of {as_of}");
        assert_same_rows(
            &format!("nps_by_segment as of {as_of}"),
            expected,
            actual,
            |r| r.segment.clone(),
        );
    }
}

// ---------------------------------------------------------------------------------------------
// The views as a whole

#[tokio::test]
async fn all_views_load_and_are_listed_as_views() {
    let engine = engine().await;
    let report = engine.reload_saved_queries().await;
    assert!(report.errors.is_empty(), "{:#?}", report.errors);
    assert_eq!(report.loaded, VIEWS);
    let listed = query(
        &engine.session(),
        "SELECT table_name FROM information_schema.tables \
         WHERE table_schema = 'segments' AND table_type = 'VIEW' ORDER BY table_name",
    )
    .await;
    assert_eq!(all(texts(&listed, "table_name")), VIEWS);
}

/// The churn watchlist's rows follow its definition: flagged by the scorecard (high or
/// critical) or by the model (P(alive) under 0.5), banded by churn_level, staged and actioned
/// by P(alive), one row per customer.
#[tokio::test]
async fn churn_watchlist_is_flagged_staged_and_actioned_by_its_rules() {
    let engine = engine().await;
    let rows = query(
        &engine.session(),
        "SELECT customer_id, CAST(churn_risk AS DOUBLE) AS churn_risk, churn_level, \
                CAST(p_alive AS DOUBLE) AS p_alive, stage, action, \
                array_to_string(reasons, ',') AS reasons \
         FROM segments.churn_watchlist ORDER BY customer_id",
    )
    .await;
    let ids = all(ints(&rows, "customer_id"));
    assert!(ids.len() > 100, "{} rows", ids.len());
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "one row per customer");
    let risk = all(floats(&rows, "churn_risk"));
    let p_alive = all(floats(&rows, "p_alive"));
    let levels = all(texts(&rows, "churn_level"));
    let stages = all(texts(&rows, "stage"));
    let actions = all(texts(&rows, "action"));
    let reasons = texts(&rows, "reasons");
    let mut by_stage: BTreeMap<&str, usize> = BTreeMap::new();
    for i in 0..ids.len() {
        let level = match risk[i] {
            r if r <= 40.0 => "low",
            r if r <= 70.0 => "medium",
            r if r <= 85.0 => "high",
            _ => "critical",
        };
        assert_eq!(levels[i], level, "customer {}", ids[i]);
        assert!(
            matches!(level, "high" | "critical") || p_alive[i] < 0.5,
            "customer {} is neither high risk nor likely gone",
            ids[i]
        );
        let (stage, action) = if p_alive[i] >= 0.5 {
            ("dormant", "time-limited coupon")
        } else if p_alive[i] >= 0.2 {
            ("half_lost", "call")
        } else {
            ("lost", "win-back offer")
        };
        assert_eq!((stages[i].as_str(), actions[i].as_str()), (stage, action));
        // A high score needs reasons: no single signal weighs more than 30 of 100.
        if risk[i] > 30.0 {
            assert!(
                reasons[i].as_deref().is_some_and(|r| r.contains(',')),
                "customer {}: {:?}",
                ids[i],
                reasons[i]
            );
        }
        *by_stage.entry(stage).or_default() += 1;
    }
    // The three stages all occur on the test lake.
    assert_eq!(by_stage.len(), 3, "{by_stage:?}");
}

/// The median of `values` (sorted here): the mean of the middle two for an even count.
fn median_of(values: &mut [f64]) -> Option<f64> {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(values[n / 2]),
        _ => Some((values[n / 2 - 1] + values[n / 2]) / 2.0),
    }
}

/// One customer's row of segments.churn_scores, recomputed from the Parquet files.
#[derive(Debug)]
struct ChurnScore {
    customer_id: i64,
    churn_risk: f64,
    reasons: Vec<&'static str>,
    /// The calibration summary (x, t_x, age) in days, for P(alive).
    summary: (f64, f64, f64),
}

/// The scorecard of churn_scores.sql, from the documentation of churn_risk: weights overdue
/// 30 (linear from 1× to 3× the interval), inactive 25 (3 months, 6 for B2B), spend_drop 15
/// (≤ 70% of the prior 90 days), unanswered_contacts 15 (2 or more), complaints 15.
fn expected_churn_scores(data: &LakeData, as_of: NaiveDate) -> Vec<ChurnScore> {
    // Purchase days and their values (cents) per customer.
    let mut days: BTreeMap<i64, BTreeMap<NaiveDate, i128>> = BTreeMap::new();
    for order in data.completed_by(as_of) {
        *days
            .entry(order.customer_id)
            .or_default()
            .entry(order.day())
            .or_default() += order.amount;
    }
    let own_interval: HashMap<i64, f64> = days
        .iter()
        .filter_map(|(id, days)| {
            let list: Vec<NaiveDate> = days.keys().copied().collect();
            let mut gaps: Vec<f64> = list
                .windows(2)
                .map(|w| days_between(w[0], w[1]) as f64)
                .collect();
            median_of(&mut gaps).map(|m| (*id, m))
        })
        .collect();
    let mut by_type: HashMap<String, Vec<f64>> = HashMap::new();
    for (id, interval) in &own_interval {
        by_type
            .entry(data.customers[id].customer_type.clone())
            .or_default()
            .push(*interval);
    }
    let cohort: HashMap<String, f64> = by_type
        .into_iter()
        .filter_map(|(t, mut v)| median_of(&mut v).map(|m| (t, m)))
        .collect();
    let mut last_interaction: HashMap<i64, NaiveDate> = HashMap::new();
    let mut complaints: HashMap<i64, i64> = HashMap::new();
    let mut outbound: HashMap<i64, Vec<(i64, bool)>> = HashMap::new();
    for i in data.interactions.iter().filter(|i| i.day() <= as_of) {
        if i.is_customer_activity() {
            let last = last_interaction.entry(i.customer_id).or_insert(i.day());
            *last = (*last).max(i.day());
        }
        if i.complaint && days_between(i.day(), as_of) < 90 {
            *complaints.entry(i.customer_id).or_default() += 1;
        }
        if i.direction == "outbound" {
            outbound
                .entry(i.customer_id)
                .or_default()
                .push((i.ts, i.responded));
        }
    }
    let unanswered = |id: i64| -> usize {
        let Some(contacts) = outbound.get(&id) else {
            return 0;
        };
        let mut contacts = contacts.clone();
        // Latest first; at the same instant the answered one first.
        contacts.sort_by_key(|&(ts, responded)| (Reverse(ts), Reverse(responded)));
        contacts
            .iter()
            .take_while(|(_, responded)| !responded)
            .count()
    };
    days.iter()
        .map(|(&id, days)| {
            let customer = &data.customers[&id];
            let first = *days.keys().next().expect("a purchase day");
            let last = *days.keys().next_back().expect("a purchase day");
            let spend = |from: i64, to: i64| -> i128 {
                days.iter()
                    .filter(|(d, _)| (from..to).contains(&days_between(**d, as_of)))
                    .map(|(_, v)| *v)
                    .sum()
            };
            let (recent, prior) = (spend(0, 90), spend(90, 180));
            let interval = own_interval
                .get(&id)
                .or_else(|| cohort.get(&customer.customer_type))
                .copied();
            let overdue = interval.map_or(0.0, |interval| {
                ((days_between(last, as_of) as f64 / interval - 1.0) / 2.0).clamp(0.0, 1.0)
            });
            let quiet_months = if customer.is_b2b() { 6 } else { 3 };
            let active = last.max(last_interaction.get(&id).copied().unwrap_or(last));
            let signals = [
                ("overdue", 30.0, overdue),
                (
                    "inactive",
                    25.0,
                    f64::from(u8::from(active < months_before(as_of, quiet_months))),
                ),
                (
                    "spend_drop",
                    15.0,
                    f64::from(u8::from(prior > 0 && recent * 10 <= prior * 7)),
                ),
                (
                    "unanswered_contacts",
                    15.0,
                    f64::from(u8::from(unanswered(id) >= 2)),
                ),
                (
                    "complaints",
                    15.0,
                    f64::from(u8::from(complaints.get(&id).is_some_and(|&n| n > 0))),
                ),
            ];
            ChurnScore {
                customer_id: id,
                churn_risk: signals.iter().map(|(_, w, s)| w * s).sum::<f64>(),
                reasons: signals
                    .iter()
                    .filter(|(_, _, s)| *s > 0.0)
                    .map(|(name, _, _)| *name)
                    .collect(),
                summary: (
                    (days.len() - 1) as f64,
                    days_between(first, last) as f64,
                    days_between(first, as_of) as f64,
                ),
            }
        })
        .collect()
}

/// segments.churn_scores: the scorecard of every buying customer recomputed in Rust; P(alive)
/// recomputed from the paper's formula at the parameters bgnbd_fit finds on the same summaries
/// (the fit itself is checked against the published CDNOW estimates in udfs' tests).
#[tokio::test]
async fn churn_scores_follow_the_scorecard_and_the_model() {
    let engine = engine().await;
    for (session, as_of) in sessions_at(&engine, &[SET_DATES[1]]).await {
        let b = query(
            &session,
            "SELECT customer_id, churn_risk, array_to_string(reasons, ',') AS reasons, p_alive, \
                    clv_12m, stage, action FROM segments.churn_scores ORDER BY customer_id",
        )
        .await;
        let params = query(
            &session,
            &format!(
                "SELECT m.r AS r, m.alpha AS alpha, m.a AS a, m.b AS b FROM (SELECT \
                 bgnbd_fit(s.x, s.t_x, s.age) AS m FROM (SELECT calibration_summary(order_ts, \
                 amount, DATE '{as_of}') AS s FROM orders WHERE status = 'completed' \
                 GROUP BY customer_id) WHERE s IS NOT NULL)"
            ),
        )
        .await;
        let [r, alpha, a, b_param] =
            ["r", "alpha", "a", "b"].map(|name| all(floats(&params, name))[0]);
        let expected = expected_churn_scores(lake_data(), as_of);
        let ids = all(ints(&b, "customer_id"));
        assert_eq!(
            ids,
            expected.iter().map(|e| e.customer_id).collect::<Vec<_>>(),
            "customers as of {as_of}"
        );
        let risk = all(floats(&b, "churn_risk"));
        let reasons = texts(&b, "reasons");
        let p_alive = all(floats(&b, "p_alive"));
        let clv = all(floats(&b, "clv_12m"));
        let stages = all(texts(&b, "stage"));
        let actions = all(texts(&b, "action"));
        let mut fired: BTreeMap<&str, usize> = BTreeMap::new();
        for (i, e) in expected.iter().enumerate() {
            let id = e.customer_id;
            assert!(
                (risk[i] - e.churn_risk).abs() < 1e-9,
                "customer {id} as of {as_of}: churn_risk {} expected {}",
                risk[i],
                e.churn_risk
            );
            assert_eq!(
                reasons[i].as_deref().unwrap_or(""),
                e.reasons.join(","),
                "customer {id} as of {as_of}"
            );
            for reason in &e.reasons {
                *fired.entry(reason).or_default() += 1;
            }
            let (x, t_x, age) = e.summary;
            let alive = if x == 0.0 {
                1.0
            } else {
                1.0 / (1.0 + a / (b_param + x - 1.0) * ((alpha + age) / (alpha + t_x)).powf(r + x))
            };
            assert!(
                (p_alive[i] - alive).abs() <= 1e-9,
                "customer {id} as of {as_of}: p_alive {} expected {alive}",
                p_alive[i]
            );
            assert!(
                clv[i].is_finite() && clv[i] >= 0.0,
                "customer {id}: clv {}",
                clv[i]
            );
            let (stage, action) = if alive >= 0.5 {
                ("dormant", "time-limited coupon")
            } else if alive >= 0.2 {
                ("half_lost", "call")
            } else {
                ("lost", "win-back offer")
            };
            assert_eq!((stages[i].as_str(), actions[i].as_str()), (stage, action));
        }
        // Every signal fires for some customer, so every rule is exercised.
        assert_eq!(fired.len(), 5, "signals fired as of {as_of}: {fired:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// cross_sell: rules over the category sets of the last 12 months' completed orders (support
// >= 1%, confidence >= 20%, lift >= 1.2, one-category consequents), applied to what each
// active customer has bought: per category not bought yet, its best rule; ranked by
// confidence, then lift, then category; top 3.

#[derive(Debug, Clone, PartialEq)]
struct CrossSell {
    customer_id: i64,
    rank: i64,
    category: String,
    confidence: Approx,
    lift: Approx,
}

/// The categories of each order, from `order_items`.
fn order_categories() -> &'static HashMap<i64, BTreeSet<String>> {
    static CATEGORIES: OnceLock<HashMap<i64, BTreeSet<String>>> = OnceLock::new();
    CATEGORIES.get_or_init(|| {
        let b = read_lake_table("order_items");
        let orders = all(ints(&b, "order_id"));
        let categories = all(texts(&b, "category"));
        let mut by_order: HashMap<i64, BTreeSet<String>> = HashMap::new();
        for (order, category) in orders.into_iter().zip(categories) {
            by_order.entry(order).or_default().insert(category);
        }
        by_order
    })
}

/// A rule of `expected_cross_sell`: antecedent, consequent, confidence, lift.
type CategoryRule = (Vec<String>, String, f64, f64);

/// The rules by brute force: every subset of every basket counted, then every rule with a
/// one-category consequent kept by the thresholds compared exactly in integers.
fn category_rules(baskets: &[&BTreeSet<String>]) -> Vec<CategoryRule> {
    let mut counts: HashMap<Vec<String>, u64> = HashMap::new();
    for basket in baskets {
        let items: Vec<&String> = basket.iter().collect();
        assert!(items.len() < 20, "a basket of {} categories", items.len());
        for mask in 1u32..1 << items.len() {
            let subset: Vec<String> = (0..items.len())
                .filter(|i| mask & 1 << i != 0)
                .map(|i| items[i].clone())
                .collect();
            *counts.entry(subset).or_default() += 1;
        }
    }
    let n = baskets.len() as u64;
    let mut rules = Vec::new();
    for (set, &count) in &counts {
        // support >= 1%: count / n >= 1 / 100.
        if set.len() < 2 || count * 100 < n {
            continue;
        }
        for consequent in set {
            let antecedent: Vec<String> =
                set.iter().filter(|i| *i != consequent).cloned().collect();
            let a = counts[&antecedent];
            let c = counts[&vec![consequent.clone()]];
            // confidence = count / a >= 1/5; lift = count * n / (a * c) >= 6/5.
            if count * 5 >= a && count * n * 5 >= 6 * a * c {
                let confidence = count as f64 / a as f64;
                let lift = confidence / (c as f64 / n as f64);
                rules.push((antecedent, consequent.clone(), confidence, lift));
            }
        }
    }
    rules
}

fn expected_cross_sell(lake: &LakeData, as_of: NaiveDate) -> Vec<CrossSell> {
    let categories = order_categories();
    let baskets: Vec<&BTreeSet<String>> = lake
        .completed_by(as_of)
        .filter(|o| in_last_months(o.day(), as_of, 12))
        .filter_map(|o| categories.get(&o.id))
        .collect();
    let rules = category_rules(&baskets);
    assert!(rules.len() >= 6, "{} rules as of {as_of}", rules.len());
    let mut bought: HashMap<i64, BTreeSet<&String>> = HashMap::new();
    for o in lake.completed_by(as_of) {
        if let Some(items) = categories.get(&o.id) {
            bought.entry(o.customer_id).or_default().extend(items);
        }
    }
    let active: BTreeSet<i64> = expected_lifecycle(lake, as_of)
        .into_iter()
        .filter(|l| matches!(l.stage.as_str(), "new" | "growing" | "mature"))
        .map(|l| l.customer_id)
        .collect();
    let mut expected = Vec::new();
    for customer in active {
        let Some(held) = bought.get(&customer) else {
            continue;
        };
        // The best rule per category not held, among the rules whose antecedent is held.
        let mut best: BTreeMap<&String, (f64, f64)> = BTreeMap::new();
        for (antecedent, consequent, confidence, lift) in &rules {
            if held.contains(consequent) || !antecedent.iter().all(|a| held.contains(a)) {
                continue;
            }
            let entry = best.entry(consequent).or_insert((*confidence, *lift));
            if (*confidence, *lift) > *entry {
                *entry = (*confidence, *lift);
            }
        }
        let mut ranked: Vec<(&String, (f64, f64))> = best.into_iter().collect();
        ranked.sort_by(|a, b| {
            (b.1.0, b.1.1)
                .partial_cmp(&(a.1.0, a.1.1))
                .unwrap()
                .then(a.0.cmp(b.0))
        });
        for (rank, (category, (confidence, lift))) in ranked.into_iter().take(3).enumerate() {
            expected.push(CrossSell {
                customer_id: customer,
                rank: rank as i64 + 1,
                category: category.clone(),
                confidence: Approx(confidence),
                lift: Approx(lift),
            });
        }
    }
    expected
}

#[tokio::test]
async fn cross_sell_recommends_by_the_rules_of_the_last_year() {
    let engine = engine().await;
    let columns = [
        ("customer_id", Ty::Int64),
        ("rank", Ty::Integer),
        ("recommended_category", Ty::Text),
        ("because_bought", Ty::TextList),
        ("confidence", Ty::Float64),
        ("lift", Ty::Float64),
    ];
    for (session, as_of) in sessions(&engine).await {
        let b = view(&session, "cross_sell", &columns).await;
        let ids = all(ints(&b, "customer_id"));
        let ranks = all(ints(&b, "rank"));
        let categories = all(texts(&b, "recommended_category"));
        let confidence = all(floats(&b, "confidence"));
        let lift = all(floats(&b, "lift"));
        let because = column(&b, "because_bought").as_list::<i32>();
        let mut bought: HashMap<i64, BTreeSet<&String>> = HashMap::new();
        for o in lake_data().completed_by(as_of) {
            if let Some(items) = order_categories().get(&o.id) {
                bought.entry(o.customer_id).or_default().extend(items);
            }
        }
        let mut actual = Vec::new();
        for i in 0..b.num_rows() {
            // The rule that recommends is one the customer's purchases satisfy.
            let antecedent = because.value(i);
            let antecedent = antecedent.as_string::<i32>();
            assert!(!antecedent.is_empty());
            for item in antecedent.iter() {
                let item = item.unwrap().to_string();
                assert!(bought[&ids[i]].contains(&item), "{} bought {item}", ids[i]);
            }
            actual.push(CrossSell {
                customer_id: ids[i],
                rank: ranks[i],
                category: categories[i].clone(),
                confidence: Approx(confidence[i]),
                lift: Approx(lift[i]),
            });
        }
        let expected = expected_cross_sell(lake_data(), as_of);
        assert!(
            expected.len() > 100,
            "{} recommendations as of {as_of}",
            expected.len()
        );
        assert_same_rows(
            &format!("cross_sell as of {as_of}"),
            expected,
            actual,
            |r| (r.customer_id, r.rank),
        );
    }
}
