//! Loyalty: `segments.member_tiers` (udfs/src/points_balance.rs, member_tier.rs: points and
//! the default tier ladder) and `segments.referral_leaderboard` (the top 10 referrers of the
//! month up to as_of).

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Debug;

use chrono::NaiveDate;

use super::lake::{Customer, LakeData, day_of, in_last_months, lake_data};
use super::{SET_DATES, Ty, all, assert_same_rows, engine, sessions, sessions_at, view};
use crate::common::columns::{decimals, ints, texts};

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
