//! Campaigns and surveys by RFM segment: `segments.campaign_kpis` (outbound campaign contacts
//! of the 12 months up to as_of, by segment and channel) and `segments.nps_by_segment`
//! (udfs/src/nps.rs).

use std::collections::BTreeMap;
use std::fmt::Debug;

use chrono::NaiveDate;

use super::lake::{LakeData, in_last_months, lake_data};
use super::rfm::segment_of;
use super::{Approx, Ty, all, assert_same_rows, div_rounded, engine, floats, sessions, view};
use crate::common::columns::{decimals, ints, texts};

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
    /// At scale 16 (a numeric quotient's).
    cost_per_contact: i128,
    cost_per_conversion: Option<i128>,
}

/// The scale of a cost per contact or conversion: a numeric quotient's 16 decimals.
const RATIO_SCALE: i8 = 16;

/// A sum of cents divided by a count, at scale 16, rounded half away from zero (as
/// PostgreSQL rounds a numeric quotient).
fn money_per(cents: i128, count: i64) -> i128 {
    div_rounded(
        cents * 10_i128.pow((RATIO_SCALE - 2) as u32),
        i128::from(count),
    )
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
