//! Saved queries as views in schema `segments`: loading, errors with file and line, views
//! that use views, descriptions, reload (in-process and by SIGHUP to `custlake serve`).

use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

use custlake::engine::{Engine, QueryFileError};
use datafusion::arrow::array::AsArray;
use datafusion::arrow::datatypes::Int64Type;

use crate::common::{self, TestServer, lake_config, sqlstate};
use crate::rows::{column, tuples};

fn write(dir: &Path, file: &str, sql: &str) {
    fs::write(dir.join(file), sql).unwrap();
}

async fn engine_with_queries(dir: &Path) -> Engine {
    let mut config = lake_config();
    config.saved_queries = Some(dir.to_path_buf());
    Engine::build(&config).await.expect("engine")
}

async fn scalar(engine: &Engine, sql: &str) -> i64 {
    let batches = engine
        .session()
        .sql(sql)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .collect()
        .await
        .unwrap();
    batches[0].column(0).as_primitive::<Int64Type>().value(0)
}

fn error_of<'a>(errors: &'a [QueryFileError], file: &str) -> &'a QueryFileError {
    errors
        .iter()
        .find(|e| e.path.file_name().is_some_and(|n| n == file))
        .unwrap_or_else(|| panic!("no error for {file}: {errors:?}"))
}

#[tokio::test]
async fn bad_files_are_reported_with_file_and_line_and_do_not_stop_the_others() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "big_spenders.sql",
        "-- Customers with orders over 500.\nSELECT DISTINCT customer_id FROM orders WHERE amount > 500\n",
    );
    // Uses a view that sorts after it: the order of the files does not matter.
    write(
        d,
        "a_big_spender_count.sql",
        "SELECT count(*) AS n FROM segments.big_spenders",
    );
    write(
        d,
        "missing_table.sql",
        "-- Refers to a table that is not there.\nSELECT *\n  FROM no_such_table\n",
    );
    write(
        d,
        "missing_column.sql",
        "SELECT customer_id,\n       no_such_column\nFROM customers",
    );
    write(
        d,
        "parse_error.sql",
        "SELECT customer_id\nFROM customers\nWHERE (\n",
    );
    write(d, "two_statements.sql", "-- Two.\nSELECT 1;\nSELECT 2;\n");
    write(d, "ddl.sql", "CREATE VIEW v AS SELECT 1");
    write(d, "Bad-Name.sql", "SELECT 1");
    write(d, "not_sql.txt", "this is ignored");

    let engine = engine_with_queries(d).await;
    let report = engine.reload_saved_queries().await;
    assert_eq!(report.loaded, ["a_big_spender_count", "big_spenders"]);
    let errors = &report.errors;
    assert_eq!(errors.len(), 6, "{errors:#?}");

    let missing = error_of(errors, "missing_table.sql");
    assert_eq!((missing.line, missing.column), (3, 8), "{missing}");
    assert!(missing.message.contains("no_such_table"), "{missing}");
    assert!(
        missing
            .to_string()
            .ends_with(&format!("missing_table.sql:3:8: {}", missing.message))
    );

    let column = error_of(errors, "missing_column.sql");
    assert_eq!(column.line, 2, "{column}");
    assert!(column.message.contains("no_such_column"), "{column}");

    // The parser ran out of input: the position is the end of the file.
    let parse = error_of(errors, "parse_error.sql");
    assert_eq!((parse.line, parse.column), (3, 8), "{parse}");
    assert!(parse.message.contains("Expected"), "{parse}");

    let two = error_of(errors, "two_statements.sql");
    assert_eq!((two.line, two.column), (2, 1), "{two}");
    assert!(two.message.contains("exactly one SELECT"), "{two}");
    assert!(
        error_of(errors, "ddl.sql")
            .message
            .contains("exactly one SELECT")
    );
    assert!(
        error_of(errors, "Bad-Name.sql")
            .message
            .contains("not a view name")
    );

    // The good views work, including the one built on the other.
    let n = scalar(&engine, "SELECT n FROM segments.a_big_spender_count").await;
    let direct = scalar(
        &engine,
        "SELECT count(DISTINCT customer_id) FROM orders WHERE amount > 500",
    )
    .await;
    assert!(direct > 0);
    assert_eq!(n, direct);

    // Descriptions come from the leading comment.
    let saved = engine.saved_queries().list();
    let big = saved.iter().find(|q| q.name == "big_spenders").unwrap();
    assert_eq!(
        big.description.as_deref(),
        Some("Customers with orders over 500.")
    );
    let count = saved
        .iter()
        .find(|q| q.name == "a_big_spender_count")
        .unwrap();
    assert_eq!(count.description, None);
}

#[tokio::test]
async fn reload_swaps_the_views_for_sessions_already_open() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "one.sql", "SELECT 1 AS x");
    let engine = engine_with_queries(d).await;
    let open = engine.session();
    assert_eq!(scalar(&engine, "SELECT x FROM segments.one").await, 1);

    write(d, "one.sql", "SELECT 11 AS x");
    write(d, "two.sql", "SELECT 2 AS y");
    let report = engine.reload_saved_queries().await;
    assert_eq!(report.loaded, ["one", "two"]);
    let y = open
        .sql("SELECT y FROM segments.two")
        .await
        .unwrap()
        .collect()
        .await
        .unwrap();
    assert_eq!(y[0].column(0).as_primitive::<Int64Type>().value(0), 2);
    assert_eq!(scalar(&engine, "SELECT x FROM segments.one").await, 11);

    // A file that breaks is dropped on reload; the others stay.
    write(d, "one.sql", "SELECT FROM WHERE");
    let report = engine.reload_saved_queries().await;
    assert_eq!(report.loaded, ["two"]);
    assert_eq!(report.errors.len(), 1);
    let gone = engine
        .session()
        .sql("SELECT * FROM segments.one")
        .await
        .unwrap_err();
    assert!(gone.to_string().contains("segments.one"), "{gone}");
}

/// Views follow the session's as-of date: they are planned once, but `as_of()` is decided by
/// the session that queries them.
#[tokio::test]
async fn views_use_the_as_of_date_of_the_querying_session() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "asof.sql",
        "SELECT as_of() AS d, count(*) AS n FROM rfm('orders')",
    );
    let engine = engine_with_queries(dir.path()).await;
    let session = engine.session();
    let count_at = |date: &'static str| {
        let session = session.clone();
        async move {
            session
                .sql(&format!("SET custlake.as_of = '{date}'"))
                .await
                .unwrap();
            let batches = session
                .sql("SELECT CAST(d AS VARCHAR), n FROM segments.asof")
                .await
                .unwrap()
                .collect()
                .await
                .unwrap();
            (
                batches[0].column(0).as_string_view().value(0).to_string(),
                batches[0].column(1).as_primitive::<Int64Type>().value(0),
            )
        }
    };
    let (d1, early) = count_at("2022-01-01").await;
    let (d2, late) = count_at("2024-06-30").await;
    assert_eq!((d1.as_str(), d2.as_str()), ("2022-01-01", "2024-06-30"));
    let expected_early = scalar(
        &engine,
        "SELECT count(DISTINCT customer_id) FROM orders \
         WHERE status = 'completed' AND CAST(order_ts AS DATE) <= DATE '2022-01-01'",
    )
    .await;
    assert_eq!(early, expected_early);
    assert!(late > early, "{late} customers by 2024 vs {early} by 2022");
}

/// The views over the wire, and in the information schema clients browse.
#[tokio::test]
async fn views_are_served_and_listed() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "vip.sql",
        "-- VIPs.\nSELECT customer_id FROM customers WHERE customer_id <= 5",
    );
    let mut config = lake_config();
    config.saved_queries = Some(dir.path().to_path_buf());
    let server = TestServer::start(&config).await;
    let client = server.connect().await;
    let rows = client
        .query("SELECT customer_id FROM segments.vip ORDER BY 1", &[])
        .await
        .unwrap();
    let ids: Vec<i64> = column(&rows, 0);
    assert_eq!(ids, [1, 2, 3, 4, 5]);
    let listed = client
        .query_one(
            "SELECT table_type FROM information_schema.tables \
             WHERE table_schema = 'segments' AND table_name = 'vip'",
            &[],
        )
        .await
        .unwrap();
    assert_eq!(listed.get::<_, String>(0), "VIEW");
    // The definition is PostgreSQL's `view_definition`; the description is the view's
    // comment, as `\dv+` and BI tools read it.
    let definition: String = client
        .query_one(
            "SELECT view_definition FROM information_schema.views \
             WHERE table_schema = 'segments' AND table_name = 'vip'",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert!(
        definition.starts_with("-- VIPs.\nSELECT customer_id"),
        "{definition}"
    );
    let comment: Option<String> = client
        .query_one(
            "SELECT obj_description('segments.vip'::regclass, 'pg_class')",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(comment.as_deref(), Some("VIPs."));
    let descriptions = client
        .query(
            "SELECT c.relname, d.description FROM pg_catalog.pg_description d \
             JOIN pg_catalog.pg_class c ON c.oid = d.objoid AND d.classoid = 'pg_class'::regclass \
             JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
             WHERE n.nspname = 'segments' ORDER BY 1",
            &[],
        )
        .await
        .unwrap();
    let described: Vec<(String, String)> = tuples(&descriptions);
    assert_eq!(described, [("vip".to_string(), "VIPs.".to_string())]);
    let error = client
        .query("SELECT * FROM segments.nothing", &[])
        .await
        .unwrap_err();
    assert_eq!(sqlstate(&error), "42P01");
    server.stop().await;
}

/// `custlake serve` reloads the saved queries on SIGHUP, without a restart.
#[tokio::test]
async fn serve_reloads_saved_queries_on_sighup() {
    let dir = tempfile::tempdir().unwrap();
    let queries = dir.path();
    write(queries, "first.sql", "SELECT 1 AS n");
    let lake = common::lake().dir.to_str().unwrap().to_string();
    let mut served = crate::cli::serve(
        &["--data", &lake, "--queries", queries.to_str().unwrap()],
        &[],
    );
    let client = common::connect_to(served.addr, "test").await;
    let n: i64 = client
        .query_one("SELECT n FROM segments.first", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(n, 1);
    assert!(
        client
            .query("SELECT * FROM segments.second", &[])
            .await
            .is_err()
    );

    write(queries, "second.sql", "SELECT 2 AS n");
    let status = std::process::Command::new("kill")
        .args(["-HUP", &served.child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        match client.query_one("SELECT n FROM segments.second", &[]).await {
            Ok(row) => {
                assert_eq!(row.get::<_, i64>(0), 2);
                break;
            }
            Err(e) if Instant::now() < deadline => {
                assert_eq!(sqlstate(&e), "42P01", "{e}");
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Err(e) => panic!("segments.second did not appear after SIGHUP: {e}"),
        }
    }
    // The same process is still serving: the reload did not restart or stop it.
    assert!(
        served.child.try_wait().unwrap().is_none(),
        "the server exited"
    );
    let n: i64 = client
        .query_one("SELECT n FROM segments.first", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(n, 1);
}
