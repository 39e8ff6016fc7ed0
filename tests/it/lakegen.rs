//! The demo-lake generator: determinism, layout and schema, referential integrity, and that the
//! planted model (purchase process, associations, state-dependent interactions) shows in the data.

use std::collections::{HashMap, HashSet};
use std::fs::{self, File};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use custlake::lakegen::{CONFIG_FILE_NAME, GenError, GenOptions, GenSummary, generate};
use datafusion::arrow::array::{Array, AsArray, RecordBatch, RecordBatchReader};
use datafusion::arrow::compute::concat_batches;
use datafusion::arrow::datatypes::{
    DataType, Date32Type, Decimal128Type, Float64Type, Int16Type, Int32Type, Int64Type, TimeUnit,
    TimestampMicrosecondType,
};
use datafusion::parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

const DAY_MICROS: i64 = 86_400_000_000;

fn generate_lake(dir: &Path, customers: u64, seed: u64) -> GenSummary {
    let mut opts = GenOptions::new(dir.to_path_buf(), customers);
    opts.seed = seed;
    generate(&opts).expect("generation succeeds")
}

fn parquet_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .expect("table directory exists")
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "parquet"))
        .collect();
    files.sort();
    files
}

pub(crate) fn read_file(path: &Path) -> RecordBatch {
    let file = File::open(path).expect("open parquet file");
    let reader = ParquetRecordBatchReaderBuilder::try_new(file)
        .expect("parquet metadata")
        .build()
        .expect("parquet reader");
    let schema = reader.schema();
    let batches: Vec<RecordBatch> = reader.map(|b| b.expect("record batch")).collect();
    concat_batches(&schema, &batches).expect("concat")
}

/// All part files of a table, concatenated in file order.
fn read_table(lake: &Path, table: &str) -> RecordBatch {
    let files = parquet_files(&lake.join(table));
    assert!(!files.is_empty(), "{table} has part files");
    let batches: Vec<RecordBatch> = files.iter().map(|f| read_file(f)).collect();
    concat_batches(&batches[0].schema(), &batches).expect("concat")
}

fn i64s(batch: &RecordBatch, name: &str) -> Vec<i64> {
    let col = batch
        .column_by_name(name)
        .unwrap_or_else(|| panic!("column {name}"));
    assert_eq!(col.null_count(), 0, "{name} has no nulls");
    col.as_primitive::<Int64Type>().values().to_vec()
}

fn opt_i64s(batch: &RecordBatch, name: &str) -> Vec<Option<i64>> {
    let col = batch
        .column_by_name(name)
        .unwrap_or_else(|| panic!("column {name}"));
    col.as_primitive::<Int64Type>().iter().collect()
}

fn i32s(batch: &RecordBatch, name: &str) -> Vec<i32> {
    let col = batch
        .column_by_name(name)
        .unwrap_or_else(|| panic!("column {name}"));
    col.as_primitive::<Int32Type>().values().to_vec()
}

fn dates(batch: &RecordBatch, name: &str) -> Vec<i32> {
    let col = batch
        .column_by_name(name)
        .unwrap_or_else(|| panic!("column {name}"));
    col.as_primitive::<Date32Type>().values().to_vec()
}

fn f64s(batch: &RecordBatch, name: &str) -> Vec<Option<f64>> {
    let col = batch
        .column_by_name(name)
        .unwrap_or_else(|| panic!("column {name}"));
    col.as_primitive::<Float64Type>().iter().collect()
}

fn timestamps(batch: &RecordBatch, name: &str) -> Vec<Option<i64>> {
    let col = batch
        .column_by_name(name)
        .unwrap_or_else(|| panic!("column {name}"));
    col.as_primitive::<TimestampMicrosecondType>()
        .iter()
        .collect()
}

fn cents(batch: &RecordBatch, name: &str) -> Vec<i64> {
    let col = batch
        .column_by_name(name)
        .unwrap_or_else(|| panic!("column {name}"));
    col.as_primitive::<Decimal128Type>()
        .values()
        .iter()
        .map(|&v| v as i64)
        .collect()
}

fn strs(batch: &RecordBatch, name: &str) -> Vec<Option<String>> {
    let col = batch
        .column_by_name(name)
        .unwrap_or_else(|| panic!("column {name}"));
    col.as_string::<i32>()
        .iter()
        .map(|s| s.map(str::to_string))
        .collect()
}

fn req_strs(batch: &RecordBatch, name: &str) -> Vec<String> {
    strs(batch, name)
        .into_iter()
        .map(|s| s.expect("non-null string"))
        .collect()
}

fn bools(batch: &RecordBatch, name: &str) -> Vec<bool> {
    let col = batch
        .column_by_name(name)
        .unwrap_or_else(|| panic!("column {name}"));
    col.as_boolean()
        .iter()
        .map(|b| b.expect("non-null bool"))
        .collect()
}

fn assert_schema(batch: &RecordBatch, table: &str, expected: &[(&str, DataType, bool)]) {
    let schema = batch.schema();
    let actual: Vec<(String, DataType, bool)> = schema
        .fields()
        .iter()
        .map(|f| (f.name().clone(), f.data_type().clone(), f.is_nullable()))
        .collect();
    let expected: Vec<(String, DataType, bool)> = expected
        .iter()
        .map(|(n, t, null)| (n.to_string(), t.clone(), *null))
        .collect();
    assert_eq!(actual, expected, "schema of {table}");
}

fn all_lake_files(lake: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for table in custlake::lakegen::TABLE_NAMES.into_iter().chain(["truth"]) {
        files.extend(parquet_files(&lake.join(table)));
    }
    files
}

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
