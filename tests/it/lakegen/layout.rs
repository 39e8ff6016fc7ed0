//! The generator's contract: the same seed gives the same bytes, bad options are refused,
//! and the lake has its layout, its schemas and referential integrity.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::Path;

use chrono::NaiveDate;
use custlake::lakegen::{CONFIG_FILE_NAME, GenError, GenOptions, GenSummary, generate};
use datafusion::arrow::array::AsArray;
use datafusion::arrow::datatypes::{DataType, Int16Type, TimeUnit};

use super::*;

#[test]
fn same_seed_gives_identical_bytes_and_another_seed_differs() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (a, b, c) = (
        tmp.path().join("a"),
        tmp.path().join("b"),
        tmp.path().join("c"),
    );
    let summary_a = generate_lake(&a, 2_000, 7);

    // b is first filled with a different, larger lake plus a stale part file and a foreign file:
    // regenerating must remove the former and keep the latter.
    generate_lake(&b, 2_500, 99);
    fs::write(b.join("orders").join("part-00007.parquet"), b"stale").expect("write stale file");
    fs::write(b.join("orders").join("NOTES.txt"), b"mine").expect("write foreign file");
    let summary_b = generate_lake(&b, 2_000, 7);
    assert!(
        !b.join("orders").join("part-00007.parquet").exists(),
        "stale part file removed"
    );
    assert!(
        b.join("orders").join("NOTES.txt").exists(),
        "foreign file kept"
    );

    let (sa, sb) = (
        GenSummary {
            elapsed: Default::default(),
            ..summary_a.clone()
        },
        GenSummary {
            elapsed: Default::default(),
            ..summary_b
        },
    );
    assert_eq!(sa, sb);

    let files_a = all_lake_files(&a);
    let files_b = all_lake_files(&b);
    assert_eq!(
        files_a.len(),
        8,
        "one part per table plus two truth files: {files_a:?}"
    );
    assert_eq!(
        files_a
            .iter()
            .map(|f| f.strip_prefix(&a).expect("prefix").to_path_buf())
            .collect::<Vec<_>>(),
        files_b
            .iter()
            .map(|f| f.strip_prefix(&b).expect("prefix").to_path_buf())
            .collect::<Vec<_>>()
    );
    for (fa, fb) in files_a.iter().zip(&files_b) {
        assert!(
            fs::read(fa).expect("read") == fs::read(fb).expect("read"),
            "{} differs",
            fa.display()
        );
    }
    for name in [CONFIG_FILE_NAME, "truth/params.toml"] {
        assert_eq!(
            fs::read(a.join(name)).expect("read"),
            fs::read(b.join(name)).expect("read")
        );
    }

    let summary_c = generate_lake(&c, 2_000, 8);
    assert_eq!(summary_c.customers, 2_000);
    assert_ne!(
        summary_c.orders, summary_a.orders,
        "another seed gives other orders"
    );
    let orders_a = fs::read(a.join("orders/part-00000.parquet")).expect("read");
    let orders_c = fs::read(c.join("orders/part-00000.parquet")).expect("read");
    assert_ne!(orders_a, orders_c);
    // The catalogue also depends on the seed (names and prices of non-planted products).
    assert_ne!(
        fs::read(a.join("products/part-00000.parquet")).expect("read"),
        fs::read(c.join("products/part-00000.parquet")).expect("read")
    );
}

#[test]
fn invalid_options_are_rejected_with_readable_errors() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let zero = GenOptions::new(tmp.path().join("x"), 0);
    let err = generate(&zero).expect_err("zero customers rejected");
    assert!(matches!(err, GenError::InvalidOption(_)));
    assert!(err.to_string().contains("at least 1"), "{err}");
    assert!(
        !tmp.path().join("x").exists(),
        "nothing written for invalid options"
    );

    let file = tmp.path().join("file");
    fs::write(&file, b"x").expect("write");
    let err = generate(&GenOptions::new(file, 10)).expect_err("file as output rejected");
    assert!(err.to_string().contains("not a directory"), "{err}");
}

#[test]
fn lake_layout_schema_and_referential_integrity() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let lake = tmp.path();
    let n = 3_000u64;
    let summary = generate_lake(lake, n, 11);
    let as_of = NaiveDate::from_ymd_opt(2024, 6, 30).expect("date");
    let horizon = (i64::from(as_of.to_epoch_days()) + 1) * DAY_MICROS;

    check_config_and_params(lake, n, 11, &summary);
    check_schemas(lake);

    let customers = read_table(lake, "customers");
    let orders = read_table(lake, "orders");
    let items = read_table(lake, "order_items");
    let products = read_table(lake, "products");
    let interactions = read_table(lake, "interactions");
    let referrals = read_table(lake, "referrals");

    // --- customers ---
    assert_eq!(customers.num_rows() as u64, n);
    assert_eq!(summary.customers, n);
    let customer_ids = i64s(&customers, "customer_id");
    assert_eq!(
        customer_ids,
        (1..=n as i64).collect::<Vec<_>>(),
        "customer ids are 1..=N in order"
    );
    let signup = dates(&customers, "signup_date");
    assert!(
        signup.windows(2).all(|w| w[0] <= w[1]),
        "ids follow sign-up order"
    );
    assert!(
        signup
            .iter()
            .all(|&d| d <= as_of.to_epoch_days() && d > as_of.to_epoch_days() - 5 * 366)
    );
    let span_years = f64::from(signup[signup.len() - 1] - signup[0]) / 365.25;
    assert!(span_years > 4.5, "sign-ups spread over years: {span_years}");
    let birth = dates(&customers, "birth_date");
    assert!(
        birth
            .iter()
            .zip(&signup)
            .all(|(b, s)| (s - b) >= 18 * 365 && (s - b) <= 90 * 366)
    );
    let ctype = req_strs(&customers, "customer_type");
    let industry = strs(&customers, "industry");
    let size = strs(&customers, "company_size");
    let b2b_share = ctype.iter().filter(|t| *t == "B2B").count() as f64 / n as f64;
    assert!((0.11..0.19).contains(&b2b_share), "B2B share {b2b_share}");
    for i in 0..n as usize {
        assert!(ctype[i] == "B2C" || ctype[i] == "B2B");
        assert_eq!(
            industry[i].is_some(),
            ctype[i] == "B2B",
            "industry only for B2B"
        );
        assert_eq!(
            size[i].is_some(),
            ctype[i] == "B2B",
            "company size only for B2B"
        );
        if let Some(s) = &size[i] {
            assert!(["small", "medium", "large"].contains(&s.as_str()));
        }
    }
    let in_set = |values: &[String], set: &[&str]| values.iter().all(|v| set.contains(&v.as_str()));
    assert!(in_set(&req_strs(&customers, "gender"), &["F", "M", "X"]));
    assert!(in_set(
        &req_strs(&customers, "region"),
        &["North", "South", "East", "West", "Central"]
    ));
    let acquisition = req_strs(&customers, "acquisition_channel");
    assert!(in_set(
        &acquisition,
        &[
            "organic",
            "paid_search",
            "social",
            "referral",
            "partner",
            "store"
        ]
    ));
    let preferred = req_strs(&customers, "preferred_channel");
    assert!(in_set(
        &preferred,
        &["sms", "email", "app", "phone", "social", "visit"]
    ));
    let emails: HashSet<String> = req_strs(&customers, "email").into_iter().collect();
    assert_eq!(emails.len(), n as usize, "e-mails are unique");
    let opt_in = bools(&customers, "marketing_opt_in");
    let referred_by = opt_i64s(&customers, "referred_by");
    for i in 0..n as usize {
        assert_eq!(referred_by[i].is_some(), acquisition[i] == "referral");
        if let Some(r) = referred_by[i] {
            assert!(
                r >= 1 && r < customer_ids[i],
                "referrer is an earlier customer"
            );
            assert!(
                signup[r as usize - 1] < signup[i],
                "referrer signed up before the referee"
            );
        }
    }

    // --- products ---
    let product_ids = i64s(&products, "product_id");
    assert_eq!(
        product_ids,
        (1..=product_ids.len() as i64).collect::<Vec<_>>()
    );
    assert_eq!(summary.products, product_ids.len() as u64);
    assert!((380..=450).contains(&product_ids.len()));
    let product_names: HashSet<String> = req_strs(&products, "name").into_iter().collect();
    assert_eq!(
        product_names.len(),
        product_ids.len(),
        "product names unique"
    );
    let product_category = req_strs(&products, "category");
    assert_eq!(
        product_category.iter().collect::<HashSet<_>>().len(),
        20,
        "20 categories"
    );
    assert!(cents(&products, "price").iter().all(|&p| p > 0));

    // --- orders ---
    assert_eq!(orders.num_rows() as u64, summary.orders);
    let order_ids = i64s(&orders, "order_id");
    assert_eq!(
        order_ids,
        (1..=summary.orders as i64).collect::<Vec<_>>(),
        "dense order ids"
    );
    let order_customer = i64s(&orders, "customer_id");
    let order_ts: Vec<i64> = timestamps(&orders, "order_ts")
        .into_iter()
        .map(|t| t.expect("ts"))
        .collect();
    for i in 0..order_ids.len() {
        let c = order_customer[i];
        assert!(c >= 1 && c <= n as i64, "order's customer exists");
        let signup_start = i64::from(signup[c as usize - 1]) * DAY_MICROS;
        assert!(
            order_ts[i] >= signup_start && order_ts[i] < horizon,
            "order within customer's history"
        );
        if i > 0 {
            assert!(
                (order_customer[i - 1], order_ts[i - 1]) <= (c, order_ts[i]),
                "sorted by (customer, ts)"
            );
        }
    }
    let status = req_strs(&orders, "status");
    let share = |s: &str| status.iter().filter(|x| *x == s).count() as f64 / status.len() as f64;
    assert!(
        (0.89..0.96).contains(&share("completed")),
        "completed {}",
        share("completed")
    );
    assert!(
        (0.025..0.06).contains(&share("refunded")),
        "refunded {}",
        share("refunded")
    );
    assert!(
        (0.015..0.045).contains(&share("cancelled")),
        "cancelled {}",
        share("cancelled")
    );
    assert!(in_set(
        &req_strs(&orders, "channel"),
        &["online", "store", "app"]
    ));
    assert!(in_set(&req_strs(&orders, "currency"), &["EUR"]));
    let amount = cents(&orders, "amount");
    let discount = cents(&orders, "discount");
    assert!(amount.iter().all(|&a| a > 0) && discount.iter().all(|&d| d >= 0));

    // --- order items ---
    assert_eq!(items.num_rows() as u64, summary.order_items);
    let item_order = i64s(&items, "order_id");
    let line_no = i32s(&items, "line_no");
    let item_product = i64s(&items, "product_id");
    let item_category = req_strs(&items, "category");
    let quantity = i32s(&items, "quantity");
    let unit_price = cents(&items, "unit_price");
    let mut gross = vec![0i64; order_ids.len()];
    let mut lines = vec![0i32; order_ids.len()];
    for i in 0..items.num_rows() {
        let o = item_order[i];
        assert!(o >= 1 && o <= summary.orders as i64, "item's order exists");
        let o = o as usize - 1;
        lines[o] += 1;
        assert_eq!(line_no[i], lines[o], "line numbers run 1.. within an order");
        let p = item_product[i];
        assert!(
            p >= 1 && p <= product_ids.len() as i64,
            "item's product exists"
        );
        assert_eq!(
            item_category[i],
            product_category[p as usize - 1],
            "category is the product's"
        );
        assert!(quantity[i] >= 1 && unit_price[i] > 0);
        gross[o] += i64::from(quantity[i]) * unit_price[i];
    }
    for o in 0..order_ids.len() {
        assert!(
            (1..=8).contains(&lines[o]),
            "order {} has {} lines",
            o + 1,
            lines[o]
        );
        assert_eq!(
            amount[o],
            gross[o] - discount[o],
            "amount = items - discount for order {}",
            o + 1
        );
        assert!(discount[o] * 4 <= gross[o]);
    }
    let items_per_order = items.num_rows() as f64 / orders.num_rows() as f64;
    assert!(
        (2.0..3.5).contains(&items_per_order),
        "items per order {items_per_order}"
    );

    // --- interactions ---
    assert_eq!(interactions.num_rows() as u64, summary.interactions);
    let interaction_ids = i64s(&interactions, "interaction_id");
    assert_eq!(
        interaction_ids,
        (1..=summary.interactions as i64).collect::<Vec<_>>()
    );
    let icust = i64s(&interactions, "customer_id");
    let its: Vec<i64> = timestamps(&interactions, "ts")
        .into_iter()
        .map(|t| t.expect("ts"))
        .collect();
    let kind = req_strs(&interactions, "kind");
    let responded = bools(&interactions, "responded");
    let nps: Vec<Option<i16>> = interactions
        .column_by_name("nps_score")
        .expect("nps")
        .as_primitive::<Int16Type>()
        .iter()
        .collect();
    assert!(in_set(
        &kind,
        &["campaign", "service", "visit", "survey", "care"]
    ));
    assert!(in_set(
        &req_strs(&interactions, "channel"),
        &["sms", "email", "app", "phone", "social", "visit"]
    ));
    assert!(in_set(
        &req_strs(&interactions, "direction"),
        &["outbound", "inbound"]
    ));
    assert!(cents(&interactions, "cost").iter().all(|&c| c >= 0));
    for i in 0..interaction_ids.len() {
        let c = icust[i];
        assert!(c >= 1 && c <= n as i64, "interaction's customer exists");
        assert!(its[i] >= i64::from(signup[c as usize - 1]) * DAY_MICROS && its[i] < horizon);
        if i > 0 {
            assert!(
                (icust[i - 1], its[i - 1]) <= (c, its[i]),
                "sorted by (customer, ts)"
            );
        }
        if let Some(score) = nps[i] {
            assert!(kind[i] == "survey" && responded[i] && (0..=10).contains(&score));
        } else {
            assert!(
                !(kind[i] == "survey" && responded[i]),
                "answered surveys carry a score"
            );
        }
        if kind[i] == "campaign" {
            assert!(
                opt_in[c as usize - 1],
                "campaigns only go to opted-in customers"
            );
        }
    }
    let per_customer = interaction_ids.len() as f64 / n as f64;
    assert!(
        (3.0..20.0).contains(&per_customer),
        "interactions per customer {per_customer}"
    );

    // --- referrals ---
    assert_eq!(referrals.num_rows() as u64, summary.referrals);
    assert_eq!(
        summary.referrals as usize,
        referred_by.iter().flatten().count()
    );
    let mut first_order: HashMap<i64, i64> = HashMap::new();
    for (c, t) in order_customer.iter().zip(&order_ts) {
        first_order.entry(*c).or_insert(*t);
    }
    let referrer = i64s(&referrals, "referrer_id");
    let referee = i64s(&referrals, "referee_id");
    let referred_at = timestamps(&referrals, "referred_at");
    let converted_at = timestamps(&referrals, "converted_at");
    let reward = cents(&referrals, "reward");
    for i in 0..referrals.num_rows() {
        let (er, ee) = (referrer[i], referee[i]);
        assert!(er >= 1 && ee <= n as i64 && er < ee);
        assert_eq!(
            referred_by[ee as usize - 1],
            Some(er),
            "referral matches customers.referred_by"
        );
        assert!(signup[er as usize - 1] < signup[ee as usize - 1]);
        let at = referred_at[i].expect("referred_at");
        assert!(
            at >= (i64::from(signup[er as usize - 1]) + 1) * DAY_MICROS,
            "invited after referrer's sign-up day"
        );
        assert!(
            at <= i64::from(signup[ee as usize - 1]) * DAY_MICROS,
            "invited before the referee signed up"
        );
        assert_eq!(
            converted_at[i],
            first_order.get(&ee).copied(),
            "converted at the first order"
        );
        assert_eq!(reward[i], if converted_at[i].is_some() { 1_000 } else { 0 });
    }

    // --- truth ---
    let truth = read_file(&lake.join("truth/customers.parquet"));
    assert_eq!(i64s(&truth, "customer_id"), customer_ids);
    let purchases = i32s(&truth, "purchases");
    let alive = bools(&truth, "alive_at_as_of");
    let dropout = timestamps(&truth, "dropout_ts");
    let mut orders_of = vec![0i32; n as usize];
    let mut last_order = vec![None; n as usize];
    for (c, t) in order_customer.iter().zip(&order_ts) {
        orders_of[*c as usize - 1] += 1;
        last_order[*c as usize - 1] = Some(*t);
    }
    assert_eq!(
        purchases, orders_of,
        "truth purchases = orders per customer"
    );
    for i in 0..n as usize {
        assert_eq!(
            dropout[i].is_none(),
            alive[i],
            "dropout_ts is NULL exactly for the alive"
        );
        if !alive[i] && purchases[i] > 0 {
            assert_eq!(
                dropout[i], last_order[i],
                "dropout happens after the last order"
            );
        }
    }
    let associations = read_file(&lake.join("truth/associations.parquet"));
    assert!((8..=16).contains(&associations.num_rows()));
}

/// `custlake.toml` serves exactly the six tables; `truth/params.toml` records the run.
fn check_config_and_params(lake: &Path, n: u64, seed: u64, summary: &GenSummary) {
    let config: toml::Value =
        toml::from_str(&fs::read_to_string(lake.join(CONFIG_FILE_NAME)).expect("config"))
            .expect("toml");
    assert_eq!(config["server"]["listen"].as_str(), Some("127.0.0.1:5433"));
    let tables: Vec<(String, String)> = config["tables"]
        .as_array()
        .expect("tables")
        .iter()
        .map(|t| {
            (
                t["name"].as_str().expect("name").into(),
                t["location"].as_str().expect("location").into(),
            )
        })
        .collect();
    let names = [
        "customers",
        "orders",
        "order_items",
        "products",
        "interactions",
        "referrals",
    ];
    assert_eq!(
        tables,
        names
            .iter()
            .map(|n| (n.to_string(), n.to_string()))
            .collect::<Vec<_>>()
    );
    let params: toml::Value =
        toml::from_str(&fs::read_to_string(lake.join("truth/params.toml")).expect("params"))
            .expect("toml");
    assert_eq!(
        params["generator"]["customers"].as_integer(),
        Some(n as i64)
    );
    assert_eq!(params["generator"]["seed"].as_integer(), Some(seed as i64));
    assert_eq!(
        params["realized"]["orders"].as_integer(),
        Some(summary.orders as i64)
    );
    assert!(params["model"]["b2c"]["r"].as_float().is_some());
    assert!(params["model"]["b2b"]["alpha"].as_float().is_some());
}

/// Column names, Arrow types and nullability are the contract with the SQL side.
fn check_schemas(lake: &Path) {
    let ts = DataType::Timestamp(TimeUnit::Microsecond, None);
    let money = DataType::Decimal128(12, 2);
    let small_money = DataType::Decimal128(10, 2);
    let customers = read_table(lake, "customers");
    assert_schema(
        &customers,
        "customers",
        &[
            ("customer_id", DataType::Int64, false),
            ("name", DataType::Utf8, false),
            ("email", DataType::Utf8, false),
            ("phone", DataType::Utf8, false),
            ("gender", DataType::Utf8, false),
            ("birth_date", DataType::Date32, false),
            ("region", DataType::Utf8, false),
            ("city", DataType::Utf8, false),
            ("customer_type", DataType::Utf8, false),
            ("industry", DataType::Utf8, true),
            ("company_size", DataType::Utf8, true),
            ("signup_date", DataType::Date32, false),
            ("acquisition_channel", DataType::Utf8, false),
            ("preferred_channel", DataType::Utf8, false),
            ("marketing_opt_in", DataType::Boolean, false),
            ("referred_by", DataType::Int64, true),
        ],
    );
    let orders = read_table(lake, "orders");
    assert_schema(
        &orders,
        "orders",
        &[
            ("order_id", DataType::Int64, false),
            ("customer_id", DataType::Int64, false),
            ("order_ts", ts.clone(), false),
            ("channel", DataType::Utf8, false),
            ("status", DataType::Utf8, false),
            ("amount", money.clone(), false),
            ("discount", money.clone(), false),
            ("currency", DataType::Utf8, false),
        ],
    );
    let items = read_table(lake, "order_items");
    assert_schema(
        &items,
        "order_items",
        &[
            ("order_id", DataType::Int64, false),
            ("line_no", DataType::Int32, false),
            ("product_id", DataType::Int64, false),
            ("category", DataType::Utf8, false),
            ("quantity", DataType::Int32, false),
            ("unit_price", money.clone(), false),
        ],
    );
    let products = read_table(lake, "products");
    assert_schema(
        &products,
        "products",
        &[
            ("product_id", DataType::Int64, false),
            ("name", DataType::Utf8, false),
            ("category", DataType::Utf8, false),
            ("price", money.clone(), false),
        ],
    );
    let interactions = read_table(lake, "interactions");
    assert_schema(
        &interactions,
        "interactions",
        &[
            ("interaction_id", DataType::Int64, false),
            ("customer_id", DataType::Int64, false),
            ("ts", ts.clone(), false),
            ("channel", DataType::Utf8, false),
            ("kind", DataType::Utf8, false),
            ("direction", DataType::Utf8, false),
            ("responded", DataType::Boolean, false),
            ("converted", DataType::Boolean, false),
            ("complaint", DataType::Boolean, false),
            ("nps_score", DataType::Int16, true),
            ("cost", small_money.clone(), false),
        ],
    );
    let referrals = read_table(lake, "referrals");
    assert_schema(
        &referrals,
        "referrals",
        &[
            ("referrer_id", DataType::Int64, false),
            ("referee_id", DataType::Int64, false),
            ("referred_at", ts.clone(), false),
            ("converted_at", ts.clone(), true),
            ("reward", small_money.clone(), false),
        ],
    );
}
