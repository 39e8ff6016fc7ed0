//! `segments.value_activity` (udfs/src/value_activity.rs): each customer's spend of the last
//! 12 months against the average of the buyers of the same customer type, and whether they
//! were active in the last 3 months.

use std::collections::{BTreeSet, HashMap};
use std::fmt::Debug;

use chrono::NaiveDate;

use super::lake::{Customer, LakeData, in_last_months, lake_data};
use super::{Ty, all, assert_same_rows, div_rounded, engine, sessions, view};
use crate::common::columns::{bools, decimals, ints, texts};

#[derive(Debug, PartialEq)]
struct ValueActivity {
    customer_id: i64,
    customer_type: String,
    /// Cents.
    annual_spend: i128,
    /// At the scale of a numeric average, 16.
    reference_spend: Option<i128>,
    active_last_3_months: bool,
    segment: Option<String>,
}

/// The scale of a numeric `avg` (PostgreSQL's sixteen decimals).
const AVG_SCALE: i8 = 16;

/// value_activity_segment's rules, exactly in integers: spend and reference at scale 16.
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
    // signed-up customers; the numeric average keeps 16 decimals, rounded half away from zero.
    let mut peers: HashMap<&str, (i128, i128)> = HashMap::new();
    for c in &base {
        let s = spend.get(&c.id).copied().unwrap_or(0);
        if s > 0 {
            let entry = peers.entry(c.customer_type.as_str()).or_default();
            entry.0 += s;
            entry.1 += 1;
        }
    }
    let to_avg_scale = 10_i128.pow((AVG_SCALE - 2) as u32);
    base.iter()
        .map(|c| {
            let annual_spend = spend.get(&c.id).copied().unwrap_or(0);
            let reference = peers
                .get(c.customer_type.as_str())
                .map(|&(sum, n)| div_rounded(sum * to_avg_scale, n));
            let is_active = active.contains(&c.id);
            ValueActivity {
                customer_id: c.id,
                customer_type: c.customer_type.clone(),
                annual_spend,
                reference_spend: reference,
                active_last_3_months: is_active,
                segment: reference.map(|r| {
                    value_activity_segment(annual_spend * to_avg_scale, r, is_active).to_string()
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
