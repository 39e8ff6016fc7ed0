//! The client conformance suite: real PostgreSQL drivers, each installed from its package
//! registry by `tests/run.sh`, run as a subprocess against the server started here.
//!
//! The expected values do not come from custlake: they are computed below from the lake's
//! Parquet files read directly (no SQL), written as a JSON file, and each client program
//! (`tests/clients/{python,node,java}/`) gets the server's port and that file's path and asserts
//! what comes back against it, value for value. A program that fails fails its test with the
//! program's output.
//!
//! Where the clients come from is told by environment variables, which `tests/run.sh` sets:
//! - `CUSTLAKE_CLIENTS_PYTHON`: the Python of a virtual environment with psycopg 3, asyncpg,
//!   SQLAlchemy and pandas (`tests/clients/python/requirements.txt`);
//! - `CUSTLAKE_CLIENTS_NODE`: the node binary; `tests/clients/node/node_modules` holds `pg`
//!   (installed by `npm ci` from `package-lock.json`);
//! - `CUSTLAKE_CLIENTS_JAVA_HOME`: a JDK (javac, java); `CUSTLAKE_PGJDBC_JAR`: pgjdbc's jar from
//!   Debian's `libpostgresql-jdbc-java`.
//!
//! A missing variable fails the test (it never skips silently).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use chrono::{DateTime, NaiveDate};
use datafusion::arrow::array::RecordBatch;
use datafusion::arrow::datatypes::DataType;
use serde_json::{Value, json};

use crate::common::columns::{bools, dates, decimals, ints, texts, timestamps};
use crate::common::{self, TestServer, existing, lake_config, required_env};

/// How long one client program may run.
const CLIENT_TIMEOUT: Duration = Duration::from_secs(300);

/// The saved queries served as views in the clients' tests: (file name, text).
const VIEWS: [(&str, &str); 2] = [
    (
        "vip",
        "-- Customers with the ten lowest ids.\n\
         SELECT customer_id, email FROM customers WHERE customer_id <= 10",
    ),
    (
        "big_orders",
        "SELECT order_id, amount FROM orders WHERE amount > 500",
    ),
];
const VIP_DESCRIPTION: &str = "Customers with the ten lowest ids.";

// ---------------------------------------------------------------------------------------------
// Reading the lake's Parquet files

fn table(name: &str) -> Vec<RecordBatch> {
    common::read_table(&common::lake().dir.join(name))
}

// ---------------------------------------------------------------------------------------------
// Values as PostgreSQL's text format writes them

fn numeric_text(cents: i128) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", cents.abs() / 100, cents.abs() % 100)
}

fn date_text(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

/// `timestamp` in PostgreSQL's ISO text: the fraction without trailing zeros, none if zero.
fn timestamp_text(micros: i64) -> String {
    let ts = DateTime::from_timestamp_micros(micros).unwrap().naive_utc();
    let mut text = ts.format("%Y-%m-%d %H:%M:%S").to_string();
    let fraction = micros.rem_euclid(1_000_000);
    if fraction != 0 {
        let digits = format!("{fraction:06}");
        text.push('.');
        text.push_str(digits.trim_end_matches('0'));
    }
    text
}

/// The PostgreSQL type (udt name, `information_schema` data type) of an Arrow column, per the
/// README's table "Types on the wire".
fn pg_type(data_type: &DataType) -> (&'static str, &'static str) {
    match data_type {
        DataType::Boolean => ("bool", "boolean"),
        DataType::Int8 | DataType::Int16 | DataType::UInt8 => ("int2", "smallint"),
        DataType::Int32 | DataType::UInt16 => ("int4", "integer"),
        DataType::Int64 | DataType::UInt32 => ("int8", "bigint"),
        DataType::Float32 => ("float4", "real"),
        DataType::Float64 => ("float8", "double precision"),
        DataType::Decimal128(..) | DataType::Decimal256(..) | DataType::UInt64 => {
            ("numeric", "numeric")
        }
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => ("text", "text"),
        DataType::Date32 | DataType::Date64 => ("date", "date"),
        DataType::Timestamp(_, None) => ("timestamp", "timestamp without time zone"),
        DataType::Timestamp(_, Some(_)) => ("timestamptz", "timestamp with time zone"),
        DataType::Dictionary(_, value) if value.as_ref() == &DataType::Utf8 => ("text", "text"),
        other => panic!("no PostgreSQL type in the test for {other}"),
    }
}

fn columns_of(batches: &[RecordBatch]) -> Value {
    let schema = batches.first().expect("a table with rows").schema();
    Value::Array(
        schema
            .fields()
            .iter()
            .map(|f| {
                let (udt, data_type) = pg_type(f.data_type());
                let (precision, scale) = match f.data_type() {
                    DataType::Decimal128(p, s) => (json!(p), json!(s)),
                    _ => (Value::Null, Value::Null),
                };
                json!({"name": f.name(), "udt": udt, "data_type": data_type,
                       "precision": precision, "scale": scale})
            })
            .collect(),
    )
}

// ---------------------------------------------------------------------------------------------
// The expected values

#[derive(Clone)]
struct Customer {
    id: i64,
    name: String,
    email: String,
    birth_date: NaiveDate,
    signup_date: NaiveDate,
    customer_type: String,
    marketing_opt_in: bool,
    referred_by: Option<i64>,
}

#[derive(Clone)]
struct Order {
    id: i64,
    customer_id: i64,
    ts: i64,
    channel: String,
    status: String,
    amount: i128,
    discount: i128,
}

fn customers(batches: &[RecordBatch]) -> Vec<Customer> {
    let mut out = Vec::new();
    for b in batches {
        let (id, name, email) = (ints(b, "customer_id"), texts(b, "name"), texts(b, "email"));
        let (birth, signup) = (dates(b, "birth_date"), dates(b, "signup_date"));
        let (kind, opt_in, referred) = (
            texts(b, "customer_type"),
            bools(b, "marketing_opt_in"),
            ints(b, "referred_by"),
        );
        for i in 0..b.num_rows() {
            out.push(Customer {
                id: id[i].unwrap(),
                name: name[i].clone().unwrap(),
                email: email[i].clone().unwrap(),
                birth_date: birth[i].unwrap(),
                signup_date: signup[i].unwrap(),
                customer_type: kind[i].clone().unwrap(),
                marketing_opt_in: opt_in[i].unwrap(),
                referred_by: referred[i],
            });
        }
    }
    out.sort_by_key(|c| c.id);
    out
}

fn orders(batches: &[RecordBatch]) -> Vec<Order> {
    let mut out = Vec::new();
    for b in batches {
        let (id, customer, ts) = (
            ints(b, "order_id"),
            ints(b, "customer_id"),
            timestamps(b, "order_ts"),
        );
        let (channel, status) = (texts(b, "channel"), texts(b, "status"));
        let (amount, discount) = (decimals(b, "amount", 2), decimals(b, "discount", 2));
        for i in 0..b.num_rows() {
            out.push(Order {
                id: id[i].unwrap(),
                customer_id: customer[i].unwrap(),
                ts: ts[i].unwrap(),
                channel: channel[i].clone().unwrap(),
                status: status[i].clone().unwrap(),
                amount: amount[i].unwrap(),
                discount: discount[i].unwrap(),
            });
        }
    }
    out.sort_by_key(|o| o.id);
    out
}

fn customer_json(c: &Customer) -> Value {
    json!({
        "customer_id": c.id, "name": c.name, "email": c.email,
        "birth_date": date_text(c.birth_date), "signup_date": date_text(c.signup_date),
        "customer_type": c.customer_type, "marketing_opt_in": c.marketing_opt_in,
        "referred_by": c.referred_by,
    })
}

fn order_json(o: &Order) -> Value {
    json!({
        "order_id": o.id, "customer_id": o.customer_id,
        "order_ts": timestamp_text(o.ts), "order_ts_us": o.ts,
        "channel": o.channel, "status": o.status,
        "amount": numeric_text(o.amount), "discount": numeric_text(o.discount),
    })
}

/// Everything the client programs assert, computed from the Parquet files.
fn expected() -> &'static Value {
    static EXPECTED: OnceLock<Value> = OnceLock::new();
    EXPECTED.get_or_init(|| {
        let customer_batches = table("customers");
        let order_batches = table("orders");
        let customers = customers(&customer_batches);
        let orders = orders(&order_batches);
        let by_id: BTreeMap<i64, &Customer> = customers.iter().map(|c| (c.id, c)).collect();

        // The query with one parameter of each type the lake has: the first opted-in customer
        // referred by someone, with at least five completed orders. The bounds fall on the
        // customer's own values, so inclusive and exclusive comparisons both matter.
        let completed_of = |id: i64| -> Vec<&Order> {
            orders
                .iter()
                .filter(|o| o.customer_id == id && o.status == "completed")
                .collect()
        };
        let chosen = customers
            .iter()
            .find(|c| c.marketing_opt_in && c.referred_by.is_some() && completed_of(c.id).len() >= 5)
            .expect("a customer to query with parameters");
        let completed = completed_of(chosen.id);
        let before = completed.iter().map(|o| o.ts).max().unwrap();
        // The median amount of the orders before `before`: that order itself is selected.
        let mut amounts: Vec<i128> = completed
            .iter()
            .filter(|o| o.ts < before)
            .map(|o| o.amount)
            .collect();
        amounts.sort();
        let min_amount = amounts[amounts.len() / 2];
        let signup_from = chosen.signup_date;
        let matches = |o: &Order, opt_in: bool| {
            let c = by_id[&o.customer_id];
            o.customer_id == chosen.id
                && o.amount >= min_amount
                && o.status == "completed"
                && c.signup_date >= signup_from
                && o.ts < before
                && c.marketing_opt_in == opt_in
        };
        let rows: Vec<Value> = orders
            .iter()
            .filter(|o| matches(o, true))
            .map(|o| {
                json!({
                    "order_id": o.id, "order_ts": timestamp_text(o.ts), "order_ts_us": o.ts,
                    "amount": numeric_text(o.amount), "status": o.status,
                    "signup_date": date_text(chosen.signup_date),
                    "marketing_opt_in": chosen.marketing_opt_in,
                })
            })
            .collect();
        assert!(
            !rows.is_empty() && rows.len() < completed.len(),
            "the parameters select some of the customer's orders, not all"
        );
        let opted_out = orders.iter().filter(|o| matches(o, false)).count();
        assert_eq!(opted_out, 0);
        let sum: i128 = orders
            .iter()
            .filter(|o| matches(o, true))
            .map(|o| o.amount)
            .sum();

        // Completed orders per customer, for the concurrent queries (asyncpg's pool).
        let mut completed_counts: BTreeMap<i64, (i64, i128)> = BTreeMap::new();
        for o in orders.iter().filter(|o| o.status == "completed") {
            let e = completed_counts.entry(o.customer_id).or_default();
            e.0 += 1;
            e.1 += o.amount;
        }
        let per_customer: Vec<Value> = (1..=20)
            .map(|id| {
                let (n, total) = completed_counts.get(&id).copied().unwrap_or_default();
                json!({"customer_id": id, "orders": n, "amount": numeric_text(total)})
            })
            .collect();
        let mut status_counts: BTreeMap<&str, i64> = BTreeMap::new();
        for o in &orders {
            *status_counts.entry(o.status.as_str()).or_default() += 1;
        }

        let config = lake_config();
        let mut tables: Vec<String> = config.tables.iter().map(|t| t.name.clone()).collect();
        tables.sort();
        let mut columns = serde_json::Map::new();
        for name in &tables {
            let batches = match name.as_str() {
                "customers" => customer_batches.clone(),
                "orders" => order_batches.clone(),
                other => table(other),
            };
            columns.insert(name.clone(), columns_of(&batches));
        }
        let vip: Vec<Value> = customers
            .iter()
            .filter(|c| c.id <= 10)
            .map(|c| json!({"customer_id": c.id, "email": c.email}))
            .collect();
        let order_columns = columns["orders"].as_array().unwrap().clone();
        let customer_columns = columns["customers"].as_array().unwrap();
        let pick = |cols: &[Value], name: &str| -> Value {
            cols.iter()
                .find(|c| c["name"] == name)
                .unwrap_or_else(|| panic!("column {name}"))
                .clone()
        };
        let big_orders = orders.iter().filter(|o| o.amount > 50_000).count();

        json!({
            "customer_count": customers.len(),
            "order_count": orders.len(),
            "customers": customers.iter().take(5).map(customer_json).collect::<Vec<_>>(),
            "referred_customer": customer_json(chosen),
            "orders_of_customer": {
                "customer_id": 3,
                "rows": orders.iter().filter(|o| o.customer_id == 3).map(order_json).collect::<Vec<_>>(),
            },
            "typed_query": {
                "params": {
                    "customer_id": chosen.id, "min_amount": numeric_text(min_amount),
                    "status": "completed", "signup_from": date_text(signup_from),
                    "before": timestamp_text(before), "before_us": before, "opt_in": true,
                },
                "rows": rows,
                "count": rows.len(),
                "sum_amount": numeric_text(sum),
            },
            "completed_per_customer": per_customer,
            "status_counts": status_counts,
            "tables": tables,
            "columns": columns,
            "views": [
                {"name": "big_orders", "description": null,
                 "columns": [pick(&order_columns, "order_id"), pick(&order_columns, "amount")]},
                {"name": "vip", "description": VIP_DESCRIPTION,
                 "columns": [pick(customer_columns, "customer_id"), pick(customer_columns, "email")]},
            ],
            "vip": vip,
            "big_orders_count": big_orders,
        })
    })
}

// ---------------------------------------------------------------------------------------------
// Running a client program

fn clients_dir(language: &str) -> PathBuf {
    common::manifest_dir().join("tests/clients").join(language)
}

/// A server on the test lake with the two saved queries (one described), and a directory that
/// holds the expected values as `expected.json`.
async fn server() -> (TestServer, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let queries = dir.path().join("queries");
    std::fs::create_dir(&queries).unwrap();
    for (name, text) in VIEWS {
        std::fs::write(queries.join(format!("{name}.sql")), text).unwrap();
    }
    let expected = serde_json::to_string_pretty(expected()).unwrap();
    std::fs::write(dir.path().join("expected.json"), expected).unwrap();
    let mut config = lake_config();
    config.saved_queries = Some(queries);
    (TestServer::start(&config).await, dir)
}

/// Runs a client program to its end (at most `CLIENT_TIMEOUT`) with the server's port and the
/// expected values' path as its last two arguments, and fails with its output unless it exits 0.
async fn run_client(server: &TestServer, dir: &Path, name: &str, command: Command) -> String {
    try_run_client(server, dir, name, command)
        .await
        .unwrap_or_else(|failure| panic!("{failure}"))
}

/// `run_client`, with the failure as an error.
async fn try_run_client(
    server: &TestServer,
    dir: &Path,
    name: &str,
    mut command: Command,
) -> Result<String, String> {
    command
        .arg(server.addr.port().to_string())
        .arg(dir.join("expected.json"))
        .env("PGHOST", server.addr.ip().to_string())
        .env("PGPORT", server.addr.port().to_string())
        .env("PGUSER", "tester")
        .env("PGDATABASE", "custlake")
        .env("TZ", "UTC");
    let out_path = dir.join(format!("{name}.out"));
    let name = name.to_string();
    tokio::task::spawn_blocking(move || {
        let out = std::fs::File::create(&out_path).unwrap();
        let err = out.try_clone().unwrap();
        let mut child = command
            .stdin(Stdio::null())
            .stdout(Stdio::from(out))
            .stderr(Stdio::from(err))
            .spawn()
            .unwrap_or_else(|e| panic!("{name}: cannot start {command:?}: {e}"));
        let started = Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break Some(status);
            }
            if started.elapsed() > CLIENT_TIMEOUT {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            std::thread::sleep(Duration::from_millis(50));
        };
        let output = std::fs::read_to_string(&out_path).unwrap_or_default();
        match status {
            Some(status) if status.success() => Ok(output),
            Some(status) => Err(format!("{name} failed ({status}):\n{output}")),
            None => Err(format!(
                "{name} did not finish within {CLIENT_TIMEOUT:?}:\n{output}"
            )),
        }
    })
    .await
    .unwrap()
}

fn python(script: &str) -> Command {
    let python = required_env(
        "CUSTLAKE_CLIENTS_PYTHON",
        "the Python of the clients' virtual environment (psycopg, asyncpg, SQLAlchemy, pandas)",
    );
    let mut command = Command::new(python);
    command.arg(clients_dir("python").join(script));
    command
}

/// `node client.js` with node-postgres installed beside it.
fn node() -> Command {
    let node = required_env(
        "CUSTLAKE_CLIENTS_NODE",
        "the node binary (node-postgres runs on it)",
    );
    let dir = clients_dir("node");
    existing(
        dir.join("node_modules/pg/package.json"),
        "node-postgres (npm ci in tests/clients/node)",
    );
    let mut command = Command::new(node);
    command.arg(dir.join("client.js"));
    command
}

/// Compiles `PgjdbcClient.java` with javac against pgjdbc's jar into `dir`, and returns the
/// `java` command that runs it (in UTC, so timestamps read as they are stored).
fn pgjdbc(dir: &Path) -> Command {
    let java_home = PathBuf::from(required_env(
        "CUSTLAKE_CLIENTS_JAVA_HOME",
        "a JDK with javac and java (Debian package default-jdk-headless)",
    ));
    let jar = existing(
        PathBuf::from(required_env(
            "CUSTLAKE_PGJDBC_JAR",
            "pgjdbc's jar (Debian package libpostgresql-jdbc-java)",
        )),
        "pgjdbc's jar",
    );
    let javac = existing(java_home.join("bin/javac"), "javac");
    let java = existing(java_home.join("bin/java"), "java");
    let classes = dir.join("classes");
    let compiled = Command::new(&javac)
        .arg("-d")
        .arg(&classes)
        .arg("-cp")
        .arg(&jar)
        .arg(clients_dir("java").join("PgjdbcClient.java"))
        .output()
        .expect("run javac");
    assert!(
        compiled.status.success(),
        "javac PgjdbcClient.java:\n{}{}",
        String::from_utf8_lossy(&compiled.stdout),
        String::from_utf8_lossy(&compiled.stderr)
    );
    let mut command = Command::new(java);
    command
        .arg("-Duser.timezone=UTC")
        .arg("-cp")
        .arg(format!("{}:{}", classes.display(), jar.display()))
        .arg("PgjdbcClient");
    command
}

/// Each program prints one line per check it made; the test also asserts they ran.
fn assert_checked(output: &str, checks: &[&str]) {
    for check in checks {
        assert!(
            output.lines().any(|l| l == format!("ok {check}")),
            "the client did not report check {check:?}:\n{output}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// The clients

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn psycopg3_queries_with_parameters_of_every_type() {
    let (server, dir) = server().await;
    let output = run_client(&server, dir.path(), "psycopg", python("psycopg_client.py")).await;
    assert_checked(
        &output,
        &[
            "connect",
            "rows",
            "typed text",
            "typed binary",
            "session",
            "transaction",
            "rollback after prepared statements",
            "server-side cursor",
            "copy",
        ],
    );
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn asyncpg_pool_and_prepared_statements() {
    let (server, dir) = server().await;
    let output = run_client(&server, dir.path(), "asyncpg", python("asyncpg_client.py")).await;
    assert_checked(
        &output,
        &[
            "pool",
            "concurrent",
            "prepared",
            "rows",
            "cursor",
            "default pool reset",
        ],
    );
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlalchemy_reflection_and_pandas_read_sql() {
    let (server, dir) = server().await;
    let command = python("sqlalchemy_client.py");
    let output = run_client(&server, dir.path(), "sqlalchemy", command).await;
    assert_checked(
        &output,
        &[
            "default engine",
            "view comments",
            "schemas",
            "keys and indexes",
            "columns",
            "default schema",
            "tables",
            "views",
            "constraints",
            "read_sql",
            "read_sql params",
        ],
    );
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pgjdbc_metadata_and_prepared_statement() {
    let (server, dir) = server().await;
    let command = pgjdbc(dir.path());
    let output = run_client(&server, dir.path(), "pgjdbc", command).await;
    assert_checked(
        &output,
        &[
            "connect",
            "getSchemas",
            "getTables",
            "getColumns",
            "getPrimaryKeys",
            "prepared",
            "rows",
            "setString as varchar",
            "setDate",
        ],
    );
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn node_postgres_queries_with_parameters() {
    let (server, dir) = server().await;
    let output = run_client(&server, dir.path(), "node-postgres", node()).await;
    assert_checked(
        &output,
        &[
            "connect",
            "rows",
            "typed",
            "pool",
            "column names of function calls",
        ],
    );
    server.stop().await;
}
