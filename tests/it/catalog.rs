//! PostgreSQL's catalog and session surface as clients meet it: psql's meta-commands,
//! pg_catalog and information_schema consistent with what the wire sends, stable OIDs,
//! `version()`, SET / SHOW / RESET / DISCARD kept per connection, transaction blocks and
//! cursors, cancel and statement_timeout.

use std::net::SocketAddr;
use std::process::Command;

use tokio_postgres::Client;

use crate::common::{TestServer, assert_answers, assert_canceled, lake_config, sqlstate};
use crate::rows::{column, last_text_rows, simple_rows, text_column, text_results, tuples};

/// A server on the test lake with two saved queries, one of them described.
async fn server_with_views() -> (TestServer, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("vip.sql"),
        "-- Customers with the ten lowest ids.\nSELECT customer_id, email FROM customers WHERE customer_id <= 10",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("big_orders.sql"),
        "SELECT order_id, amount FROM orders WHERE amount > 500",
    )
    .unwrap();
    let mut config = lake_config();
    config.saved_queries = Some(dir.path().to_path_buf());
    (TestServer::start(&config).await, dir)
}

/// Runs psql with one command and returns its unaligned, tuples-only output lines.
async fn psql(addr: SocketAddr, command: &str) -> Vec<String> {
    let command = command.to_string();
    tokio::task::spawn_blocking(move || {
        let out = Command::new("psql")
            .args(["-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h"])
            .arg(addr.ip().to_string())
            .arg("-p")
            .arg(addr.port().to_string())
            .args(["-U", "tester", "-d", "custlake", "-c", &command])
            .env("PGCONNECT_TIMEOUT", "10")
            .output()
            .expect("psql must be installed (the README's test command installs it)");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "psql {command}: {stderr}");
        assert!(stderr.trim().is_empty(), "psql {command} warned: {stderr}");
        String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .map(str::to_string)
            .filter(|l| !l.is_empty())
            .collect()
    })
    .await
    .unwrap()
}

#[tokio::test]
async fn psql_lists_schemas_tables_views_and_functions() {
    let (server, _dir) = server_with_views().await;
    assert_eq!(
        psql(server.addr, r"\dt").await,
        [
            "public|customers|table|custlake",
            "public|interactions|table|custlake",
            "public|order_items|table|custlake",
            "public|orders|table|custlake",
            "public|products|table|custlake",
            "public|referrals|table|custlake",
        ]
    );
    assert_eq!(
        psql(server.addr, r"\dn").await,
        ["public|custlake", "segments|custlake"]
    );
    assert_eq!(
        psql(server.addr, r"\dv segments.*").await,
        [
            "segments|big_orders|view|custlake",
            "segments|vip|view|custlake",
        ]
    );
    // \dv+ shows each saved query's description as the view's comment.
    let described = psql(server.addr, r"\dv+ segments.*").await;
    assert_eq!(
        described,
        [
            "segments|big_orders|view|custlake|permanent|0 bytes|",
            "segments|vip|view|custlake|permanent|0 bytes|Customers with the ten lowest ids.",
        ]
    );
    // \d of a view: its columns, with the types the wire sends.
    assert_eq!(
        psql(server.addr, r"\d segments.vip").await,
        ["customer_id|bigint||not null|", "email|text||not null|"]
    );
    // \d of a table runs psql's whole describe sequence (policies, statistics objects,
    // publications, inheritance), which custlake answers with no rows.
    assert_eq!(
        psql(server.addr, r"\d products").await,
        [
            "product_id|bigint||not null|",
            "name|text||not null|",
            "category|text||not null|",
            "price|numeric(12,2)||not null|",
        ]
    );
    let verbose = psql(server.addr, r"\d+ products").await;
    assert_eq!(
        verbose.first().map(String::as_str),
        Some("product_id|bigint||not null||plain|||"),
        "{verbose:?}"
    );
    assert_eq!(verbose.len(), 4, "{verbose:?}");
    // \df lists custlake's own functions (schema public), not the built-ins.
    let functions = psql(server.addr, r"\df rfm*").await;
    let names: Vec<(String, String)> = functions
        .iter()
        .map(|l| {
            let cols: Vec<&str> = l.split('|').collect();
            (cols[1].to_string(), cols[4].to_string())
        })
        .collect();
    assert_eq!(
        names,
        [
            ("rfm".to_string(), "func".to_string()),
            ("rfm_bucket".to_string(), "func".to_string()),
            ("rfm_score".to_string(), "window".to_string()),
            ("rfm_segment".to_string(), "func".to_string()),
        ]
    );
    let aggregates = psql(server.addr, r"\df nps").await;
    assert_eq!(aggregates, ["public|nps|double precision|score bigint|agg"]);
    server.stop().await;
}

async fn column_types(client: &Client, table: &str) -> Vec<(String, String, String)> {
    let rows = client
        .query(
            "SELECT column_name, data_type, udt_name FROM information_schema.columns \
             WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position",
            &[&table],
        )
        .await
        .unwrap();
    tuples(&rows)
}

#[tokio::test]
async fn catalog_matches_the_wire_and_oids_are_stable() {
    let (server, _dir) = server_with_views().await;
    let a = server.connect().await;
    let b = server.connect().await;

    // The same OID from every connection, by name and by regclass.
    let oid_a: i64 = a
        .query_one("SELECT oid FROM pg_class WHERE relname = 'orders'", &[])
        .await
        .unwrap()
        .get(0);
    let oid_b: i64 = b
        .query_one("SELECT 'orders'::regclass", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(oid_a, oid_b);
    let name: String = b
        .query_one("SELECT $1::bigint::regclass::text", &[&oid_a])
        .await
        .unwrap()
        .get(0);
    assert_eq!(name, "orders");

    // pg_attribute says what RowDescription sends.
    let statement = a.prepare("SELECT * FROM orders").await.unwrap();
    let wire: Vec<(String, u32)> = statement
        .columns()
        .iter()
        .map(|c| (c.name().to_string(), c.type_().oid()))
        .collect();
    let attributes = a
        .query(
            "SELECT attname, atttypid FROM pg_attribute WHERE attrelid = 'orders'::regclass \
             AND attnum > 0 ORDER BY attnum",
            &[],
        )
        .await
        .unwrap();
    let catalog: Vec<(String, u32)> = tuples::<(String, i64)>(&attributes)
        .into_iter()
        .map(|(name, oid)| (name, u32::try_from(oid).unwrap()))
        .collect();
    assert_eq!(wire, catalog);

    // information_schema.columns with PostgreSQL's type names and udt_name.
    let s = |v: &str| v.to_string();
    assert_eq!(
        column_types(&a, "orders").await,
        [
            (s("order_id"), s("bigint"), s("int8")),
            (s("customer_id"), s("bigint"), s("int8")),
            (
                s("order_ts"),
                s("timestamp without time zone"),
                s("timestamp")
            ),
            (s("channel"), s("text"), s("text")),
            (s("status"), s("text"), s("text")),
            (s("amount"), s("numeric"), s("numeric")),
            (s("discount"), s("numeric"), s("numeric")),
            (s("currency"), s("text"), s("text")),
        ]
    );
    let formatted: Vec<String> = column(
        &a.query(
            "SELECT pg_catalog.format_type(atttypid, atttypmod) FROM pg_catalog.pg_attribute \
             WHERE attrelid = 'orders'::regclass ORDER BY attnum",
            &[],
        )
        .await
        .unwrap(),
        0,
    );
    assert_eq!(formatted[5], "numeric(12,2)");
    assert_eq!(formatted[2], "timestamp without time zone");

    // Views, their SQL, and visibility by search_path.
    let definition: String = a
        .query_one(
            "SELECT pg_get_viewdef('segments.big_orders'::regclass, true)",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(
        definition,
        "SELECT order_id, amount FROM orders WHERE amount > 500"
    );
    assert!(!visible(&a).await);
    a.batch_execute("SET search_path = segments, public")
        .await
        .unwrap();
    assert!(visible(&a).await);
    assert!(!visible(&b).await, "search_path is per connection");
    // Unqualified names now resolve through segments, as in PostgreSQL.
    let vips = a.query("SELECT customer_id FROM vip", &[]).await.unwrap();
    assert_eq!(vips.len(), 10);
    let error = b
        .query("SELECT customer_id FROM vip", &[])
        .await
        .unwrap_err();
    assert_eq!(sqlstate(&error), "42P01");
    server.stop().await;
}

async fn visible(client: &Client) -> bool {
    client
        .query_one(
            "SELECT pg_table_is_visible(c.oid) FROM pg_class c \
             JOIN pg_namespace n ON n.oid = c.relnamespace \
             WHERE n.nspname = 'segments' AND c.relname = 'vip'",
            &[],
        )
        .await
        .unwrap()
        .get::<_, bool>(0)
}

async fn show(client: &Client, name: &str) -> String {
    simple_rows(client, &format!("SHOW {name}"))
        .await
        .into_iter()
        .find_map(|row| row[0].clone())
        .unwrap()
}

#[tokio::test]
async fn settings_are_per_connection_and_reset() {
    let server = TestServer::start_on_lake().await;
    let a = server.connect().await;
    let b = server.connect().await;

    let version: String = a.query_one("SELECT version()", &[]).await.unwrap().get(0);
    assert!(
        version.starts_with("PostgreSQL 16.6 (custlake "),
        "{version}"
    );
    assert_eq!(show(&a, "server_version_num").await, "160006");
    assert_eq!(show(&a, "server_version").await, "16.6");

    a.batch_execute(
        "SET application_name = 'segment-review'; SET DateStyle = 'ISO, DMY'; \
         SET statement_timeout = '5s'; SET extra_float_digits = 3",
    )
    .await
    .unwrap();
    assert_eq!(show(&a, "application_name").await, "segment-review");
    assert_eq!(show(&a, "datestyle").await, "ISO, DMY");
    assert_eq!(show(&a, "statement_timeout").await, "5s");
    assert_eq!(show(&b, "DateStyle").await, "ISO, MDY");
    assert_eq!(show(&b, "statement_timeout").await, "0");
    let (name, setting): (String, String) = {
        let row = a
            .query_one(
                "SELECT name, setting FROM pg_settings WHERE name = 'extra_float_digits'",
                &[],
            )
            .await
            .unwrap();
        (row.get(0), row.get(1))
    };
    assert_eq!(
        (name.as_str(), setting.as_str()),
        ("extra_float_digits", "3")
    );
    let current: String = a
        .query_one("SELECT current_setting('application_name')", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(current, "segment-review");
    assert_eq!(
        show(&a, "transaction isolation level").await,
        "read committed"
    );

    // Errors carry PostgreSQL's SQLSTATEs.
    for (statement, code) in [
        ("SET no_such_setting = 1", "42704"),
        ("SHOW no_such_setting", "42704"),
        ("SET extra_float_digits = 9", "22023"),
        ("SET server_version = '17'", "55P02"),
        ("SET DateStyle = 'German'", "0A000"),
        ("SET TimeZone = '+08:00'", "0A000"),
        ("SET TimeZone = 'Mars/Olympus'", "22023"),
    ] {
        let error = a.batch_execute(statement).await.unwrap_err();
        assert_eq!(sqlstate(&error), code, "{statement}");
    }

    a.batch_execute("RESET DateStyle").await.unwrap();
    assert_eq!(show(&a, "DateStyle").await, "ISO, MDY");
    assert_eq!(show(&a, "application_name").await, "segment-review");
    a.batch_execute("RESET ALL").await.unwrap();
    assert_eq!(show(&a, "application_name").await, "");
    assert_eq!(show(&a, "statement_timeout").await, "0");

    // DISCARD ALL also returns custlake's own settings to the lake's defaults.
    let lake_as_of = show(&a, "custlake.as_of").await;
    a.batch_execute("SET custlake.as_of = '2020-01-01'; SET search_path = segments")
        .await
        .unwrap();
    assert_eq!(show(&a, "custlake.as_of").await, "2020-01-01");
    a.batch_execute("DISCARD ALL").await.unwrap();
    assert_eq!(show(&a, "custlake.as_of").await, lake_as_of);
    assert_eq!(show(&a, "search_path").await, "\"$user\", public");

    // SET LOCAL lasts until the transaction ends; outside one it changes nothing.
    a.batch_execute("SET LOCAL application_name = 'ignored'")
        .await
        .unwrap();
    assert_eq!(show(&a, "application_name").await, "");
    a.batch_execute("BEGIN; SET LOCAL application_name = 'in-transaction'")
        .await
        .unwrap();
    assert_eq!(show(&a, "application_name").await, "in-transaction");
    a.batch_execute("COMMIT").await.unwrap();
    assert_eq!(show(&a, "application_name").await, "");

    // set_config sets and returns the value.
    let value: String = a
        .query_one(
            "SELECT set_config('application_name', 'via-function', false)",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(value, "via-function");
    assert_eq!(show(&a, "application_name").await, "via-function");
    server.stop().await;
}

/// A statement that runs for hours unless stopped. (Its plan yields to the scheduler between
/// batches, as DataFusion's plans over scans do; a plan that computes for long inside one
/// batch, such as a nested-loop join of large inputs, stops only when that batch is done.)
const ENDLESS: &str = "SELECT sum(value % 7) FROM range(1000000000000)";

/// The connection still answers, with the right count.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancel_request_stops_the_running_statement() {
    let server = TestServer::start_on_lake().await;
    let client = server.connect().await;
    let token = client.cancel_token();
    let running = tokio::spawn(async move {
        let started = std::time::Instant::now();
        // Groups by a million keys, so the plan holds memory while it runs.
        let outcome = client
            .simple_query(
                "SELECT value % 1000000 AS k, count(*) FROM range(1000000000000) GROUP BY 1",
            )
            .await;
        (outcome.map(|_| ()), started.elapsed(), client)
    });
    tokio::time::sleep(std::time::Duration::from_millis(800)).await;
    let held = server.engine.memory_reserved();
    assert!(held > 0, "the running aggregation holds memory");
    let cancelled_at = std::time::Instant::now();
    token.cancel_query(tokio_postgres::NoTls).await.unwrap();
    let (outcome, _, client) = running.await.unwrap();
    assert_canceled(
        &outcome.unwrap_err(),
        "canceling statement due to user request",
    );
    assert!(
        cancelled_at.elapsed() < std::time::Duration::from_secs(1),
        "took {:?} after the cancel",
        cancelled_at.elapsed()
    );
    // The plan is gone and its memory back in the pool.
    let mut reserved = server.engine.memory_reserved();
    for _ in 0..20 {
        if reserved == 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        reserved = server.engine.memory_reserved();
    }
    assert_eq!(reserved, 0, "{held} bytes were held while running");
    // The connection goes on, and a cancel between statements ends nothing.
    server.cancel(&token).await;
    assert_answers(&client).await;
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn statement_timeout_stops_the_running_statement() {
    let server = TestServer::start_on_lake().await;
    let client = server.connect().await;
    client
        .batch_execute("SET statement_timeout = 300")
        .await
        .unwrap();
    let started = std::time::Instant::now();
    let error = client.query(ENDLESS, &[]).await.unwrap_err();
    assert_canceled(&error, "canceling statement due to statement timeout");
    assert!(
        started.elapsed() < std::time::Duration::from_millis(1300),
        "took {:?}",
        started.elapsed()
    );
    // Short statements run, and without the timeout nothing is stopped.
    assert_answers(&client).await;
    client
        .batch_execute("RESET statement_timeout")
        .await
        .unwrap();
    let n: i64 = client
        .query_one("SELECT count(*) FROM orders", &[])
        .await
        .unwrap()
        .get(0);
    assert!(n > 0);
    server.stop().await;
}

/// The customer ids a cursor's rows hold.
fn ids(rows: &[tokio_postgres::Row]) -> Vec<i64> {
    column(rows, 0)
}

#[tokio::test]
async fn cursors_fetch_a_result_in_pieces() {
    let server = TestServer::start_on_lake().await;
    let client = server.connect().await;
    let all = ids(&client
        .query(
            "SELECT customer_id FROM customers ORDER BY customer_id DESC",
            &[],
        )
        .await
        .unwrap());

    // Outside a transaction block only WITH HOLD cursors may be declared.
    let error = client
        .batch_execute("DECLARE c CURSOR FOR SELECT 1")
        .await
        .unwrap_err();
    assert_eq!(sqlstate(&error), "25P01");

    client
        .batch_execute(
            "BEGIN; DECLARE c CURSOR FOR SELECT customer_id FROM customers ORDER BY customer_id DESC",
        )
        .await
        .unwrap();
    let mut fetched = Vec::new();
    // FETCH through the extended protocol: Describe knows the cursor's columns.
    fetched.extend(ids(&client.query("FETCH 7 FROM c", &[]).await.unwrap()));
    fetched.extend(ids(&client.query("FETCH NEXT FROM c", &[]).await.unwrap()));
    fetched.extend(ids(&client
        .query("FETCH FORWARD 1500 IN c", &[])
        .await
        .unwrap()));
    fetched.extend(ids(&client.query("FETCH ALL FROM c", &[]).await.unwrap()));
    assert_eq!(fetched, all);
    assert!(
        client
            .query("FETCH 5 FROM c", &[])
            .await
            .unwrap()
            .is_empty()
    );
    let error = client
        .query("FETCH BACKWARD 1 FROM c", &[])
        .await
        .unwrap_err();
    assert_eq!(sqlstate(&error), "55000");
    client.batch_execute("ROLLBACK").await.unwrap();

    client
        .batch_execute(
            "BEGIN; DECLARE open_one CURSOR FOR SELECT 1; \
             DECLARE kept CURSOR WITH HOLD FOR SELECT customer_id FROM customers ORDER BY 1; COMMIT",
        )
        .await
        .unwrap();
    // The transaction's cursor ended with it; the WITH HOLD one goes on.
    let error = client
        .query("FETCH 1 FROM open_one", &[])
        .await
        .unwrap_err();
    assert_eq!(sqlstate(&error), "34000");
    assert_eq!(
        ids(&client.query("FETCH 3 FROM kept", &[]).await.unwrap()),
        [1, 2, 3]
    );
    let error = client
        .batch_execute("DECLARE kept CURSOR WITH HOLD FOR SELECT 1")
        .await
        .unwrap_err();
    assert_eq!(sqlstate(&error), "42P03");
    client.batch_execute("CLOSE kept").await.unwrap();
    let error = client.query("FETCH 1 FROM kept", &[]).await.unwrap_err();
    assert_eq!(sqlstate(&error), "34000");

    // A cursor's query may take parameters (bound through the extended protocol).
    client
        .execute(
            "DECLARE bound CURSOR WITH HOLD FOR \
             SELECT customer_id FROM customers WHERE customer_id <= $1 ORDER BY 1",
            &[&3i64],
        )
        .await
        .unwrap();
    assert_eq!(
        ids(&client.query("FETCH ALL FROM bound", &[]).await.unwrap()),
        [1, 2, 3]
    );
    server.stop().await;
}

#[tokio::test]
async fn a_failed_transaction_accepts_only_its_end() {
    let server = TestServer::start_on_lake().await;
    let client = server.connect().await;
    client.batch_execute("BEGIN").await.unwrap();
    let error = client.batch_execute("SELECT 1 / 0").await.unwrap_err();
    assert_eq!(sqlstate(&error), "22012");
    let error = client.query("SELECT 1", &[]).await.unwrap_err();
    assert_eq!(sqlstate(&error), "25P02");
    let error = client.batch_execute("SHOW search_path").await.unwrap_err();
    assert_eq!(sqlstate(&error), "25P02");
    // COMMIT of a failed transaction rolls it back.
    let tags: Vec<u64> = text_results(&client.simple_query("COMMIT").await.unwrap())
        .into_iter()
        .filter_map(|result| result.tag)
        .collect();
    assert_eq!(tags, [0]);
    let one: i64 = client.query_one("SELECT 1", &[]).await.unwrap().get(0);
    assert_eq!(one, 1);

    // Savepoints are accepted inside a block, refused outside one.
    client
        .batch_execute(
            "BEGIN; SAVEPOINT a; RELEASE SAVEPOINT a; SAVEPOINT b; ROLLBACK TO SAVEPOINT b; COMMIT",
        )
        .await
        .unwrap();
    let error = client.batch_execute("SAVEPOINT a").await.unwrap_err();
    assert_eq!(sqlstate(&error), "25P01");
    // Outside a block an error fails only its statement.
    let error = client.query("SELECT 1 / 0", &[]).await.unwrap_err();
    assert_eq!(sqlstate(&error), "22012");
    let one: i64 = client.query_one("SELECT 1", &[]).await.unwrap().get(0);
    assert_eq!(one, 1);
    server.stop().await;
}

/// The catalog queries of BI tools and drivers (`tests/clients/replays/`, from their public
/// sources; see its README). Each must run, except the known gaps listed with the error they
/// end in — a gap that closes, or a query that starts failing, fails this test.
const REPLAY_GAPS: &[(&str, &str)] = &[];

#[tokio::test]
async fn bi_clients_catalog_queries_replay() {
    let (server, _dir) = server_with_views().await;
    let dir = crate::common::manifest_dir().join("tests/clients/replays");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "sql"))
        .collect();
    files.sort();
    let mut results = std::collections::BTreeMap::new();
    let mut surprises = Vec::new();
    for file in &files {
        let name = file.file_name().unwrap().to_string_lossy().to_string();
        // One connection per client, as each client has its own session.
        let client = server.connect().await;
        let text = std::fs::read_to_string(file).unwrap();
        for (index, chunk) in text.split("\n-- next\n").enumerate() {
            let sql: String = chunk
                .lines()
                .filter(|l| !l.starts_with("--|"))
                .collect::<Vec<_>>()
                .join("\n");
            if sql.trim().is_empty() {
                continue;
            }
            let key = format!("{name}#{index}");
            let gap = REPLAY_GAPS.iter().find(|(k, _)| *k == key);
            match (client.simple_query(&sql).await, gap) {
                (Ok(messages), None) => {
                    results.insert(key, last_text_rows(&messages));
                }
                (Err(error), Some((_, expected)))
                    if error
                        .as_db_error()
                        .is_some_and(|e| e.message().contains(expected)) => {}
                (Ok(_), Some(_)) => {
                    surprises.push(format!("{key} now runs: drop it from REPLAY_GAPS"))
                }
                (Err(error), _) => surprises.push(format!("{key}: {error:?}")),
            }
        }
    }
    assert!(surprises.is_empty(), "{surprises:#?}");
    assert_eq!(results.len(), 128);

    let lake_tables = [
        "customers",
        "interactions",
        "order_items",
        "orders",
        "products",
        "referrals",
    ];
    assert_eq!(text_column(&results["grafana.sql#1"], 0), ["1600"]);
    assert_eq!(text_column(&results["grafana.sql#9"], 0), lake_tables);
    // Grafana's table picker: tables of search_path schemas first and bare, then the others
    // qualified, each group by name.
    let picker = text_column(&results["grafana.sql#3"], 0);
    assert_eq!(picker[..6], lake_tables, "{picker:?}");
    assert!(picker.len() > 6, "{picker:?}");
    assert!(
        picker[6..].iter().all(|t| t.starts_with("segments.")),
        "{picker:?}"
    );
    assert!(picker[6..].is_sorted(), "{picker:?}");
    // Grafana's column picker for customers: names and PostgreSQL type names.
    let picked = &results["grafana.sql#6"];
    assert_eq!(picked.len(), 16);
    assert_eq!(
        (picked[0][0].as_deref(), picked[0][1].as_deref()),
        (Some("customer_id"), Some("bigint"))
    );
    assert_eq!(
        (picked[14][0].as_deref(), picked[14][1].as_deref()),
        (Some("marketing_opt_in"), Some("boolean"))
    );
    assert_eq!(
        text_column(&results["superset_sqlalchemy.sql#4"], 0),
        ["information_schema", "public", "segments"]
    );
    assert_eq!(
        text_column(&results["superset_sqlalchemy.sql#5"], 0),
        lake_tables
    );
    // pgjdbc's getTables: catalog, schema, name, type.
    let jdbc_tables = &results["pgjdbc.sql#6"];
    assert_eq!(text_column(jdbc_tables, 2), lake_tables);
    assert!(
        jdbc_tables
            .iter()
            .all(|r| r[0].as_deref() == Some("custlake")
                && r[1].as_deref() == Some("public")
                && r[3].as_deref() == Some("TABLE"))
    );
    assert_eq!(text_column(&results["metabase.sql#7"], 1), lake_tables);
    assert_eq!(
        text_column(&results["powerbi.sql#1"], 0),
        ["information_schema", "pg_catalog", "public", "segments"]
    );
    let powerbi_tables: Vec<String> = results["powerbi.sql#2"]
        .iter()
        .map(|r| format!("{}.{}", r[0].as_deref().unwrap(), r[2].as_deref().unwrap()))
        .collect();
    assert_eq!(
        powerbi_tables
            .iter()
            .filter(|t| *t == "public.BASE TABLE")
            .count(),
        6
    );
    assert_eq!(
        powerbi_tables
            .iter()
            .filter(|t| *t == "segments.VIEW")
            .count(),
        2
    );
    // Npgsql (Power BI) tells arrays by their receive function: int4[] is an array of int4.
    let npgsql_types = &results["npgsql.sql#1"];
    let int4_array = npgsql_types
        .iter()
        .find(|r| r[1].as_deref() == Some("_int4"))
        .unwrap();
    assert_eq!(int4_array[5].as_deref(), Some("a"));
    assert_eq!(int4_array[6].as_deref(), Some("23"));
    let int4 = npgsql_types
        .iter()
        .find(|r| r[1].as_deref() == Some("int4"))
        .unwrap();
    assert_eq!(int4[5].as_deref(), Some("b"));
    // pgjdbc's getSQLKeywords: the parser's keywords that SQL:2003 does not have.
    let keywords = results["pgjdbc.sql#14"][0][0].clone().unwrap();
    let keywords: Vec<&str> = keywords.split(',').collect();
    assert!(
        keywords.contains(&"ilike") && !keywords.contains(&"select"),
        "{keywords:?}"
    );
    let version = &results["dbeaver.sql#1"][0][0];
    assert!(version.as_deref().unwrap().starts_with("PostgreSQL 16.6"));
    server.stop().await;
}
