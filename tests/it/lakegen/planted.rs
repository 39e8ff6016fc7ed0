//! The planted model shows in the data: the purchase process, the associations between
//! categories, and interactions that depend on a customer's state.

use std::collections::{HashMap, HashSet};

use datafusion::arrow::array::AsArray;
use datafusion::arrow::datatypes::Int16Type;

use super::*;

/// BG/NBD: for a customer with purchase rate lambda and dropout probability p, observed for an
/// (operational) time T after the first purchase, E[repeat purchases] = (1 - exp(-lambda p T)) / p.
#[test]
fn planted_purchase_process_associations_and_interaction_signals_show_in_the_data() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let lake = tmp.path();
    let n = 5_000u64;
    let summary = generate_lake(lake, n, 42);
    let truth = read_file(&lake.join("truth/customers.parquet"));
    let ctype = req_strs(&truth, "customer_type");
    let lambda: Vec<f64> = f64s(&truth, "lambda")
        .into_iter()
        .map(|v| v.expect("lambda"))
        .collect();
    let p: Vec<f64> = f64s(&truth, "p")
        .into_iter()
        .map(|v| v.expect("p"))
        .collect();
    let purchases = i32s(&truth, "purchases");
    let exposure = f64s(&truth, "exposure_days");
    let alive = bools(&truth, "alive_at_as_of");
    let dropout = timestamps(&truth, "dropout_ts");

    // --- scale: about 10 orders per customer ---
    let orders_per_customer = summary.orders as f64 / n as f64;
    assert!(
        (7.0..14.0).contains(&orders_per_customer),
        "orders per customer {orders_per_customer}"
    );

    // --- repeat purchases of consumers vs the BG/NBD conditional expectation ---
    // The tolerance is 4 standard errors of the mean difference (estimated from the data) plus
    // 3% for the discretisation of times; the seed is fixed, so this is not flaky.
    let mut diffs = Vec::new();
    let mut expected_total = 0.0;
    for i in 0..n as usize {
        if ctype[i] != "B2C" {
            continue;
        }
        let Some(t) = exposure[i] else { continue };
        let expected = (1.0 - (-lambda[i] * p[i] * t).exp()) / p[i];
        diffs.push(f64::from(purchases[i] - 1) - expected);
        expected_total += expected;
    }
    let k = diffs.len() as f64;
    assert!(k > 3_500.0, "enough consumers with purchases: {k}");
    let mean_diff = diffs.iter().sum::<f64>() / k;
    let sd = (diffs.iter().map(|d| (d - mean_diff).powi(2)).sum::<f64>() / (k - 1.0)).sqrt();
    let se = sd / k.sqrt();
    let mean_expected = expected_total / k;
    eprintln!(
        "model check: bgnbd mean_diff {mean_diff:.3} se {se:.3} mean_expected {mean_expected:.3} k {k} opc {orders_per_customer:.2}"
    );
    assert!(
        mean_diff.abs() < 4.0 * se + 0.03 * mean_expected,
        "repeat purchases deviate from BG/NBD: mean diff {mean_diff:.3}, se {se:.3}, mean expected {mean_expected:.3}"
    );

    // --- dropouts ---
    let with_purchases: Vec<usize> = (0..n as usize).filter(|&i| purchases[i] > 0).collect();
    let dropped =
        with_purchases.iter().filter(|&&i| !alive[i]).count() as f64 / with_purchases.len() as f64;
    eprintln!("model check: dropped {dropped:.3}");
    assert!(
        (0.35..0.8).contains(&dropped),
        "dropped-out share {dropped}"
    );

    // --- orders: B2B baskets are larger; B2B purchasing is more regular ---
    let customers = read_table(lake, "customers");
    let is_b2b: Vec<bool> = req_strs(&customers, "customer_type")
        .iter()
        .map(|t| t == "B2B")
        .collect();
    let orders = read_table(lake, "orders");
    let order_customer = i64s(&orders, "customer_id");
    let order_ts: Vec<i64> = timestamps(&orders, "order_ts")
        .into_iter()
        .map(|t| t.expect("ts"))
        .collect();
    let amount = cents(&orders, "amount");
    let items = read_table(lake, "order_items");
    let item_order = i64s(&items, "order_id");
    let item_product = i64s(&items, "product_id");
    let item_category = req_strs(&items, "category");
    let mut lines_per_order = vec![0u32; orders.num_rows()];
    for &o in &item_order {
        lines_per_order[o as usize - 1] += 1;
    }
    let mean_by_type = |b2b: bool, value: &dyn Fn(usize) -> f64| {
        let idx: Vec<usize> = (0..orders.num_rows())
            .filter(|&o| is_b2b[order_customer[o] as usize - 1] == b2b)
            .collect();
        idx.iter().map(|&o| value(o)).sum::<f64>() / idx.len() as f64
    };
    let b2b_amount = mean_by_type(true, &|o| amount[o] as f64);
    let b2c_amount = mean_by_type(false, &|o| amount[o] as f64);
    eprintln!("model check: amount b2b {b2b_amount:.0} b2c {b2c_amount:.0}");
    assert!(
        b2b_amount > 2.0 * b2c_amount,
        "B2B orders larger: {b2b_amount} vs {b2c_amount}"
    );
    let b2b_lines = mean_by_type(true, &|o| f64::from(lines_per_order[o]));
    let b2c_lines = mean_by_type(false, &|o| f64::from(lines_per_order[o]));
    eprintln!("model check: lines b2b {b2b_lines:.2} b2c {b2c_lines:.2}");
    assert!(
        b2b_lines > b2c_lines + 0.8,
        "B2B more lines: {b2b_lines} vs {b2c_lines}"
    );

    let mut gaps_by_customer: HashMap<i64, Vec<f64>> = HashMap::new();
    for o in 1..orders.num_rows() {
        if order_customer[o] == order_customer[o - 1] {
            let gap = (order_ts[o] - order_ts[o - 1]) as f64 / DAY_MICROS as f64;
            gaps_by_customer
                .entry(order_customer[o])
                .or_default()
                .push(gap);
        }
    }
    let mean_cv = |b2b: bool| {
        let cvs: Vec<f64> = gaps_by_customer
            .iter()
            .filter(|(c, g)| is_b2b[**c as usize - 1] == b2b && g.len() >= 5)
            .map(|(_, g)| {
                let m = g.iter().sum::<f64>() / g.len() as f64;
                let v = g.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (g.len() as f64 - 1.0);
                v.sqrt() / m
            })
            .collect();
        cvs.iter().sum::<f64>() / cvs.len() as f64
    };
    let (cv_b2b, cv_b2c) = (mean_cv(true), mean_cv(false));
    eprintln!("model check: cv b2b {cv_b2b:.3} b2c {cv_b2c:.3}");
    assert!(
        cv_b2b < 0.75 && cv_b2c > 0.8,
        "B2B more regular: CV {cv_b2b:.2} vs {cv_b2c:.2}"
    );

    // --- planted associations: confidence ≈ planted probability (at least it), lift > 1 ---
    let products = read_table(lake, "products");
    let product_category = req_strs(&products, "category");
    let mut baskets: Vec<HashSet<i64>> = vec![HashSet::new(); orders.num_rows()];
    let mut basket_categories: Vec<HashSet<&str>> = vec![HashSet::new(); orders.num_rows()];
    for i in 0..items.num_rows() {
        baskets[item_order[i] as usize - 1].insert(item_product[i]);
        basket_categories[item_order[i] as usize - 1].insert(item_category[i].as_str());
    }
    let associations = read_file(&lake.join("truth/associations.parquet"));
    let a_id = opt_i64s(&associations, "antecedent_product_id");
    let c_id = opt_i64s(&associations, "consequent_product_id");
    let a_cat = req_strs(&associations, "antecedent_category");
    let c_cat = req_strs(&associations, "consequent_category");
    let prob: Vec<f64> = f64s(&associations, "probability")
        .into_iter()
        .map(|v| v.expect("prob"))
        .collect();
    assert!(
        a_id.iter().filter(|a| a.is_some()).count() >= 8,
        "at least 8 product rules"
    );
    assert!(a_id.iter().any(|a| a.is_none()), "some category rules");
    let total = baskets.len() as f64;
    for r in 0..associations.num_rows() {
        let (with_antecedent, with_both, with_consequent) = match (a_id[r], c_id[r]) {
            (Some(a), Some(c)) => {
                assert_eq!(product_category[a as usize - 1], a_cat[r]);
                assert_eq!(product_category[c as usize - 1], c_cat[r]);
                let x = baskets.iter().filter(|b| b.contains(&a)).count();
                let xy = baskets
                    .iter()
                    .filter(|b| b.contains(&a) && b.contains(&c))
                    .count();
                let y = baskets.iter().filter(|b| b.contains(&c)).count();
                (x, xy, y)
            }
            _ => {
                let (a, c) = (a_cat[r].as_str(), c_cat[r].as_str());
                let x = basket_categories.iter().filter(|b| b.contains(a)).count();
                let xy = basket_categories
                    .iter()
                    .filter(|b| b.contains(a) && b.contains(c))
                    .count();
                let y = basket_categories.iter().filter(|b| b.contains(c)).count();
                (x, xy, y)
            }
        };
        let support = with_antecedent as f64 / total;
        assert!(
            support > 0.005,
            "rule {r}: antecedent support {support:.4} is minable"
        );
        let confidence = with_both as f64 / with_antecedent as f64;
        let se = (prob[r] * (1.0 - prob[r]) / with_antecedent as f64).sqrt();
        assert!(
            confidence >= prob[r] - 3.0 * se && confidence <= prob[r] + 0.25,
            "rule {r} ({} -> {}): confidence {confidence:.3} vs planted {}",
            a_cat[r],
            c_cat[r],
            prob[r]
        );
        let lift = confidence / (with_consequent as f64 / total);
        eprintln!(
            "model check: rule {r} {} {} support {support:.4} n {with_antecedent} conf {confidence:.3} planted {} se {se:.3}",
            a_cat[r], c_cat[r], prob[r]
        );
        assert!(lift > 1.5, "rule {r}: lift {lift:.2}");
    }

    // --- interactions depend on the customer's true state ---
    let interactions = read_table(lake, "interactions");
    let icust = i64s(&interactions, "customer_id");
    let its: Vec<i64> = timestamps(&interactions, "ts")
        .into_iter()
        .map(|t| t.expect("ts"))
        .collect();
    let kind = req_strs(&interactions, "kind");
    let responded = bools(&interactions, "responded");
    let complaint = bools(&interactions, "complaint");
    let nps: Vec<Option<i16>> = interactions
        .column_by_name("nps_score")
        .expect("nps")
        .as_primitive::<Int16Type>()
        .iter()
        .collect();
    let churned_at = |i: usize| dropout[icust[i] as usize - 1].is_some_and(|d| its[i] >= d);
    let rate = |filter: &dyn Fn(usize) -> bool, outcome: &dyn Fn(usize) -> bool| {
        let idx: Vec<usize> = (0..interactions.num_rows())
            .filter(|&i| filter(i))
            .collect();
        (
            idx.iter().filter(|&&i| outcome(i)).count() as f64 / idx.len() as f64,
            idx.len(),
        )
    };
    let (response_alive, n_alive) = rate(&|i| kind[i] == "campaign" && !churned_at(i), &|i| {
        responded[i]
    });
    let (response_churned, n_churned) = rate(&|i| kind[i] == "campaign" && churned_at(i), &|i| {
        responded[i]
    });
    assert!(n_alive > 500 && n_churned > 500, "{n_alive} {n_churned}");
    eprintln!(
        "model check: response alive {response_alive:.3} ({n_alive}) churned {response_churned:.3} ({n_churned})"
    );
    assert!(
        response_alive > 3.0 * response_churned,
        "campaign response alive {response_alive:.3} vs churned {response_churned:.3}"
    );
    let pre_churn = |i: usize| {
        dropout[icust[i] as usize - 1].is_some_and(|d| its[i] < d && its[i] >= d - 120 * DAY_MICROS)
    };
    let (complaints_pre, _) = rate(&|i| kind[i] != "campaign" && pre_churn(i), &|i| {
        complaint[i]
    });
    let (complaints_other, _) = rate(
        &|i| kind[i] != "campaign" && !pre_churn(i) && !churned_at(i),
        &|i| complaint[i],
    );
    eprintln!("model check: complaints pre {complaints_pre:.3} other {complaints_other:.3}");
    assert!(
        complaints_pre > 2.0 * complaints_other,
        "complaints before dropout {complaints_pre:.3} vs otherwise {complaints_other:.3}"
    );
    let mean_nps = |churned: bool| {
        let scores: Vec<f64> = (0..interactions.num_rows())
            .filter(|&i| churned_at(i) == churned)
            .filter_map(|i| nps[i].map(f64::from))
            .collect();
        (
            scores.iter().sum::<f64>() / scores.len() as f64,
            scores.len(),
        )
    };
    let ((nps_alive, k_alive), (nps_churned, k_churned)) = (mean_nps(false), mean_nps(true));
    assert!(k_alive > 200 && k_churned > 30, "{k_alive} {k_churned}");
    eprintln!(
        "model check: nps alive {nps_alive:.2} ({k_alive}) churned {nps_churned:.2} ({k_churned})"
    );
    assert!(
        nps_alive > nps_churned + 2.0,
        "NPS alive {nps_alive:.2} vs churned {nps_churned:.2}"
    );
}
