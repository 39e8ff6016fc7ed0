//! Association rules over the wire on the generated lake: the associations the generator
//! planted (`truth/associations.parquet`) are the strongest rules mined, and a mining too
//! large for the memory pool fails with 53200 while the connection lives on.

use std::collections::BTreeSet;

use crate::common::columns::{ints, texts};
use crate::common::{self, TestServer, sqlstate};
use crate::rows::tuples;

/// The planted rules: (antecedent product, consequent product, probability) and
/// (antecedent category, consequent category) of every rule, product rules included.
type PlantedRules = (Vec<(i64, i64, f64)>, BTreeSet<(String, String)>);

fn planted() -> PlantedRules {
    let batches = [crate::lakegen::read_file(
        &common::lake().dir.join("truth/associations.parquet"),
    )];
    let mut products = Vec::new();
    let mut categories = BTreeSet::new();
    for b in &batches {
        let antecedents = ints(b, "antecedent_product_id");
        let consequents = ints(b, "consequent_product_id");
        let from = texts(b, "antecedent_category");
        let to = texts(b, "consequent_category");
        let probability = b
            .column_by_name("probability")
            .expect("probability")
            .as_any()
            .downcast_ref::<datafusion::arrow::array::Float64Array>()
            .expect("a double");
        for i in 0..b.num_rows() {
            if let (Some(a), Some(c)) = (antecedents[i], consequents[i]) {
                products.push((a, c, probability.value(i)));
            }
            let (a, c) = (from[i].clone().unwrap(), to[i].clone().unwrap());
            if a != c {
                categories.insert((a, c));
            }
        }
    }
    (products, categories)
}

#[tokio::test]
async fn planted_product_associations_are_the_strongest_rules() {
    let (products, _) = planted();
    assert_eq!(products.len(), 10);
    let server = TestServer::start_on_lake().await;
    let client = server.connect().await;
    // Pairs of products in at least 0.2% of the orders, with confidence at least 20%.
    let rows = client
        .query(
            "SELECT antecedent, consequent, confidence, lift FROM association_rules(\
             'SELECT order_id, product_id FROM order_items', 0.002, 0.2, NULL, 2) \
             ORDER BY lift DESC, antecedent, consequent",
            &[],
        )
        .await
        .unwrap();
    let rules: Vec<(Vec<i64>, Vec<i64>, f64, f64)> = tuples(&rows);
    // The 20 strongest rules by lift are the 10 planted pairs, each way round.
    let strongest: BTreeSet<(i64, i64)> = rules[..20]
        .iter()
        .map(|(a, c, _, _)| (a[0], c[0]))
        .collect();
    let expected: BTreeSet<(i64, i64)> = products
        .iter()
        .flat_map(|(a, c, _)| [(*a, *c), (*c, *a)])
        .collect();
    assert_eq!(strongest, expected);
    // Each planted rule's confidence is near its probability: the add-on's, plus the few
    // baskets that hold the consequent anyway.
    for (a, c, probability) in &products {
        let (_, _, confidence, lift) = rules
            .iter()
            .find(|(x, y, _, _)| x == &[*a] && y == &[*c])
            .unwrap_or_else(|| panic!("planted rule {a} -> {c} not mined"));
        assert!(
            (confidence - probability).abs() < 0.1,
            "{a} -> {c}: confidence {confidence}, planted {probability}"
        );
        assert!(*lift > 10.0, "{a} -> {c}: lift {lift}");
    }
    // Below them, no rule comes close.
    assert!(
        rules[20].3 < rules[19].3 / 2.0,
        "{:?} after {:?}",
        rules[20],
        rules[19]
    );
}

#[tokio::test]
async fn planted_category_associations_are_the_strongest_category_rules() {
    let (_, categories) = planted();
    let server = TestServer::start_on_lake().await;
    let client = server.connect().await;
    let rows = client
        .query(
            "SELECT antecedent[1], consequent[1] FROM association_rules(\
             'SELECT order_id, category FROM order_items', 0.005, 0.05, 1, 2) \
             ORDER BY lift DESC LIMIT 12",
            &[],
        )
        .await
        .unwrap();
    // The 12 strongest: the 3 category rules and the 3 product rules across categories,
    // each way round.
    let strongest: BTreeSet<(String, String)> = tuples(&rows).into_iter().collect();
    let expected: BTreeSet<(String, String)> = categories
        .iter()
        .flat_map(|(a, c)| [(a.clone(), c.clone()), (c.clone(), a.clone())])
        .collect();
    assert_eq!(categories.len(), 6);
    assert_eq!(strongest, expected);
}

fn message(error: &tokio_postgres::Error) -> String {
    error
        .as_db_error()
        .map_or_else(|| error.to_string(), |e| e.message().to_string())
}

#[tokio::test]
async fn mining_beyond_the_memory_pool_is_53200_and_the_connection_survives() {
    let mut config = common::lake_config();
    config.engine.memory_limit = 16 << 20;
    let server = TestServer::start(&config).await;
    let client = server.connect().await;
    // Collecting: 3 million distinct items do not fit in 16 MiB.
    let error = client
        .simple_query(
            "SELECT count(*) FROM frequent_itemsets('SELECT value % 1000 AS basket_id, value \
             AS item FROM generate_series(1, 3000000)', 0.5)",
        )
        .await
        .expect_err("the baskets are too large");
    assert_eq!(sqlstate(&error), "53200");
    assert!(
        message(&error).contains("frequent_itemsets: the baskets do not fit"),
        "{error}"
    );
    // Mining: 30 baskets of the same 26 items hold 2^26 - 1 frequent itemsets.
    let error = client
        .simple_query(
            "SELECT count(*) FROM association_rules('SELECT b.value AS basket_id, i.value AS \
             item FROM generate_series(1, 30) AS b CROSS JOIN generate_series(1, 26) AS i', \
             0.5, 0.5)",
        )
        .await
        .expect_err("too many itemsets");
    assert_eq!(sqlstate(&error), "53200");
    assert!(
        message(&error).contains("association_rules: mining the baskets needs more memory"),
        "{error}"
    );
    let row = client
        .query_one(
            "SELECT count(*) FROM frequent_itemsets('SELECT order_id, category FROM \
             order_items', 0.05)",
            &[],
        )
        .await
        .unwrap();
    assert!(row.get::<_, i64>(0) > 5);
}
