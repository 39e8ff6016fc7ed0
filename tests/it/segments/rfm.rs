//! `segments.rfm` (udfs/src/rfm_table.rs, rfm_score.rs, rfm_segment.rs: NTILE(5) scores of
//! recency, frequency and monetary value, and the segment chart) and `segments.champions`
//! (the 'Champions' segment with contact details). The RFM segment of a customer is also the
//! grouping of `campaigns`.

use std::cmp::Reverse;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Debug;

use chrono::NaiveDate;
use datafusion::arrow::array::RecordBatch;

use super::lake::{LakeData, days_between, lake_data};
use super::{Ty, all, assert_same_rows, engine, sessions, view};
use crate::common::columns::{dates, decimals, ints, texts};

#[derive(Debug, Clone, PartialEq)]
pub(super) struct Rfm {
    pub(super) customer_id: i64,
    pub(super) last_order_date: NaiveDate,
    pub(super) recency_days: i64,
    pub(super) frequency: i64,
    /// Cents.
    pub(super) monetary: i128,
    pub(super) r_score: i32,
    pub(super) f_score: i32,
    pub(super) m_score: i32,
    pub(super) rfm_code: String,
    pub(super) segment: String,
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
pub(super) fn expected_rfm(lake: &LakeData, as_of: NaiveDate) -> Vec<Rfm> {
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

/// The RFM segment of each buyer as of `as_of`; others are 'Prospects'.
pub(super) fn segment_of(lake: &LakeData, as_of: NaiveDate) -> impl Fn(i64) -> String {
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
