//! `COPY … TO STDOUT` end to end: psql's `\copy` to a CSV file, tokio-postgres' `copy_out` in
//! text and binary, the options PostgreSQL refuses, and a failure in the middle of a COPY
//! with the connection kept serving.

use std::net::SocketAddr;
use std::process::Command;

use futures::TryStreamExt;

use crate::common::{TestServer, sqlstate};
use crate::rows::simple_rows;

/// The bytes a COPY sends, concatenated.
async fn copied(client: &tokio_postgres::Client, sql: &str) -> Vec<u8> {
    let stream = client.copy_out(sql).await.unwrap();
    let chunks: Vec<bytes::Bytes> = stream.try_collect().await.unwrap();
    chunks.concat()
}

/// psql's `\copy (query) TO 'file' CSV HEADER`, which psql sends as COPY … TO STDOUT.
fn psql_copy(addr: SocketAddr, query: &str, file: &std::path::Path) -> String {
    let out = Command::new("psql")
        .args(["-X", "-v", "ON_ERROR_STOP=1", "-h"])
        .arg(addr.ip().to_string())
        .arg("-p")
        .arg(addr.port().to_string())
        .args(["-U", "tester", "-d", "custlake", "-c"])
        .arg(format!(
            "\\copy ({query}) TO '{}' CSV HEADER",
            file.display()
        ))
        .output()
        .expect("psql must be installed (the README's test command installs it)");
    assert!(
        out.status.success(),
        "psql: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn psql_copies_a_query_to_a_csv_file() {
    let server = TestServer::start_on_lake().await;
    let client = server.connect().await;
    let query =
        "SELECT order_id, customer_id, status, amount, order_ts FROM orders ORDER BY order_id";
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("orders.csv");
    let addr = server.addr;
    let path = file.clone();
    let reported = tokio::task::spawn_blocking(move || psql_copy(addr, query, &path))
        .await
        .unwrap();
    // The CSV is the query's rows: the text a SELECT sends, comma-separated, after a header.
    let rows = simple_rows(&client, query).await;
    let mut expected = String::from("order_id,customer_id,status,amount,order_ts\n");
    for row in &rows {
        let fields: Vec<&str> = row.iter().map(|v| v.as_deref().unwrap_or("")).collect();
        expected.push_str(&fields.join(","));
        expected.push('\n');
    }
    assert_eq!(std::fs::read_to_string(&file).unwrap(), expected);
    assert_eq!(reported.trim(), format!("COPY {}", rows.len()));
    assert!(rows.len() > 100, "the lake has orders");
}

#[tokio::test]
async fn copy_writes_postgres_text_csv_and_binary() {
    let server = TestServer::start_on_lake().await;
    let client = server.connect().await;
    let values = "SELECT 1 AS id, E'tab\\there, \"q\"' AS t, NULL::text AS n, '' AS e, 2.50 AS x";
    // Text: tab-separated, \N for NULL, backslash escapes.
    assert_eq!(
        copied(&client, &format!("COPY ({values}) TO STDOUT")).await,
        b"1\ttab\\there, \"q\"\t\\N\t\t2.50\n"
    );
    // CSV: quoted where it must be (the empty string too, to tell it from NULL).
    assert_eq!(
        copied(
            &client,
            &format!("COPY ({values}) TO STDOUT WITH (FORMAT csv, HEADER true, FORCE_QUOTE (id))")
        )
        .await,
        b"id,t,n,e,x\n\"1\",\"tab\there, \"\"q\"\"\",,\"\",2.50\n"
    );
    assert_eq!(
        copied(
            &client,
            &format!("COPY ({values}) TO STDOUT (DELIMITER '|', NULL 'nil')")
        )
        .await,
        b"1|tab\\there, \"q\"|nil||2.50\n"
    );
    // Binary: the signature, one tuple of (count, length-prefixed values), the trailer.
    let binary = copied(
        &client,
        "COPY (SELECT 7::int8 AS a, NULL::int8 AS b) TO STDOUT (FORMAT binary)",
    )
    .await;
    let mut expected = b"PGCOPY\n\xff\r\n\0".to_vec();
    expected.extend_from_slice(&[0; 8]);
    expected.extend_from_slice(&2i16.to_be_bytes());
    expected.extend_from_slice(&8i32.to_be_bytes());
    expected.extend_from_slice(&7i64.to_be_bytes());
    expected.extend_from_slice(&(-1i32).to_be_bytes());
    expected.extend_from_slice(&(-1i16).to_be_bytes());
    assert_eq!(binary, expected);
    // A table by name, its columns chosen.
    let products = copied(&client, "COPY products (product_id, name) TO STDOUT").await;
    let first = String::from_utf8(products).unwrap();
    let rows = simple_rows(&client, "SELECT product_id, name FROM products").await;
    assert_eq!(first.lines().count(), rows.len());
}

#[tokio::test]
async fn copy_refusals_have_postgres_sqlstates() {
    let server = TestServer::start_on_lake().await;
    let client = server.connect().await;
    for (sql, code) in [
        ("COPY orders FROM STDIN", "25006"),
        ("COPY (SELECT 1) TO '/tmp/custlake-copy'", "42501"),
        ("COPY (SELECT 1) TO STDOUT (FORMAT xml)", "22023"),
        ("COPY (SELECT 1) TO STDOUT (FORMAT binary, HEADER)", "42601"),
        ("COPY (SELECT 1) TO STDOUT (QUOTE '''')", "0A000"),
        (
            "COPY (SELECT 1 AS a) TO STDOUT (FORMAT csv, FORCE_QUOTE (b))",
            "42P10",
        ),
        (
            "COPY (SELECT 1) TO STDOUT (DELIMITER ',', DELIMITER ';')",
            "42601",
        ),
        ("COPY no_such_table TO STDOUT", "42P01"),
    ] {
        let error = client.simple_query(sql).await.unwrap_err();
        assert_eq!(sqlstate(&error), code, "{sql}");
    }
    // A failure while the rows are computed ends the COPY with its error; the connection
    // keeps serving.
    let stream = client
        .copy_out("COPY (SELECT 10 / (order_id - 50) FROM orders ORDER BY order_id) TO STDOUT")
        .await
        .unwrap();
    let failed: Result<Vec<bytes::Bytes>, _> = stream.try_collect().await;
    assert_eq!(sqlstate(&failed.unwrap_err()), "22012");
    assert_eq!(
        simple_rows(&client, "SELECT 1").await,
        vec![vec![Some("1".to_string())]]
    );
}
