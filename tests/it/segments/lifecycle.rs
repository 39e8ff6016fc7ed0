//! `segments.lifecycle` (udfs/src/lifecycle_stage.rs: prospect, new, growing, mature, at_risk)
//! and `segments.at_risk` (the at_risk stage with contacts and RFM).

use std::collections::{BTreeSet, HashMap};
use std::fmt::Debug;

use chrono::NaiveDate;

use super::lake::{LakeData, date, day_of, days_between, lake_data, months_before};
use super::rfm::{Rfm, expected_rfm};
use super::{Ty, all, assert_same_rows, engine, sessions, view};
use crate::common::columns::{decimals, ints, texts, timestamps};

#[derive(Debug, Clone, PartialEq)]
pub(super) struct Lifecycle {
    pub(super) customer_id: i64,
    pub(super) customer_type: String,
    pub(super) region: String,
    pub(super) first_purchase_ts: Option<i64>,
    pub(super) last_purchase_ts: Option<i64>,
    pub(super) last_contact_ts: Option<i64>,
    pub(super) stage: String,
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

pub(super) fn expected_lifecycle(lake: &LakeData, as_of: NaiveDate) -> Vec<Lifecycle> {
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
