//! `segments.repurchase_due` (udfs/src/next_purchase_due.rs, repurchase_reminder.rs): the
//! opted-in customers whose repurchase reminder falls in the week from as_of.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Debug;

use chrono::{Days, NaiveDate};

use super::lake::{LakeData, date, days_between, lake_data};
use super::{Ty, all, assert_same_rows, engine, sessions, view};
use crate::common::columns::{dates, ints, texts};

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
