//! `segments.cross_sell`: rules over the category sets of the last 12 months' completed orders
//! (support >= 1%, confidence >= 20%, lift >= 1.2, one-category consequents), applied to what
//! each active customer has bought: per category not bought yet, its best rule; ranked by
//! confidence, then lift, then category; top 3.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Debug;
use std::sync::OnceLock;

use chrono::NaiveDate;
use datafusion::arrow::array::{Array, AsArray};

use super::lake::{LakeData, in_last_months, lake_data, read_lake_table};
use super::lifecycle::expected_lifecycle;
use super::{Approx, Ty, all, assert_same_rows, engine, floats, sessions, view};
use crate::common::columns::{column, ints, texts};

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
