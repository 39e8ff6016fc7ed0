//! The PostgreSQL wire protocol, end to end: the server runs in-process on 127.0.0.1:0 and
//! tokio-postgres talks to it (simple protocol = text results, extended protocol = binary).

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use futures::{StreamExt, TryStreamExt};
use rust_decimal::Decimal;
use std::str::FromStr;
use tokio_postgres::SimpleQueryMessage;
use tokio_postgres::types::{FromSql, Type};

use crate::common::{LAKE_CUSTOMERS, TestServer, assert_answers, assert_canceled, lake, sqlstate};
use crate::rows::{column, simple_rows, text_results, text_rows};

/// Any value's raw binary bytes, for types tokio-postgres has no Rust type for (interval).
struct Raw(Vec<u8>);

impl<'a> FromSql<'a> for Raw {
    fn from_sql(_: &Type, raw: &'a [u8]) -> Result<Self, Box<dyn std::error::Error + Sync + Send>> {
        Ok(Raw(raw.to_vec()))
    }
    fn accepts(_: &Type) -> bool {
        true
    }
}

const ALL_TYPES: &str = "SELECT true AS b, CAST(-2 AS SMALLINT) AS i2, CAST(-3 AS INT) AS i4, \
     CAST(9007199254740993 AS BIGINT) AS i8, CAST(1.5 AS REAL) AS f4, CAST(-2.25 AS DOUBLE) AS f8, \
     CAST(-12345.67 AS DECIMAL(10,2)) AS num, 'héllo' AS t, DATE '2024-02-29' AS d, \
     TIMESTAMP '2024-02-29 13:14:15.123456' AS ts, \
     arrow_cast(TIMESTAMP '2024-02-29 13:14:15', 'Timestamp(µs, \"+00:00\")') AS tstz, \
     INTERVAL '1 year 2 months 3 days 4 hours 5 minutes 6 seconds' AS iv, \
     decode('0102ff', 'hex') AS by, make_array(1, 2, NULL) AS arr, make_array('a', NULL, 'b c') AS tarr, \
     named_struct('a', 1, 'b', 'x') AS st";

#[tokio::test]
async fn every_result_type_in_text_format() {
    let server = TestServer::start_on_lake().await;
    let client = server.connect().await;
    let rows = simple_rows(&client, ALL_TYPES).await;
    let expected = [
        "t",
        "-2",
        "-3",
        "9007199254740993",
        "1.5",
        "-2.25",
        "-12345.67",
        "héllo",
        "2024-02-29",
        "2024-02-29 13:14:15.123456",
        "2024-02-29 13:14:15+00",
        "1 year 2 mons 3 days 04:05:06",
        "\\x0102ff",
        "{1,2,NULL}",
        "{a,NULL,\"b c\"}",
        "{\"a\":1,\"b\":\"x\"}",
    ];
    assert_eq!(rows.len(), 1);
    let got: Vec<&str> = rows[0]
        .iter()
        .map(|v| v.as_deref().unwrap_or("<NULL>"))
        .collect();
    assert_eq!(got, expected);
}

#[tokio::test]
async fn every_result_type_in_binary_format() {
    let server = TestServer::start_on_lake().await;
    let client = server.connect().await;
    let statement = client.prepare(ALL_TYPES).await.unwrap();
    let types: Vec<Type> = statement
        .columns()
        .iter()
        .map(|c| c.type_().clone())
        .collect();
    assert_eq!(
        types,
        vec![
            Type::BOOL,
            Type::INT2,
            Type::INT4,
            Type::INT8,
            Type::FLOAT4,
            Type::FLOAT8,
            Type::NUMERIC,
            Type::TEXT,
            Type::DATE,
            Type::TIMESTAMP,
            Type::TIMESTAMPTZ,
            Type::INTERVAL,
            Type::BYTEA,
            Type::INT8_ARRAY,
            Type::TEXT_ARRAY,
            Type::JSON,
        ]
    );
    let row = client.query_one(&statement, &[]).await.unwrap();
    assert!(row.get::<_, bool>(0));
    assert_eq!(row.get::<_, i16>(1), -2);
    assert_eq!(row.get::<_, i32>(2), -3);
    assert_eq!(row.get::<_, i64>(3), 9_007_199_254_740_993);
    assert_eq!(row.get::<_, f32>(4), 1.5);
    assert_eq!(row.get::<_, f64>(5), -2.25);
    assert_eq!(
        row.get::<_, Decimal>(6),
        Decimal::from_str("-12345.67").unwrap()
    );
    assert_eq!(row.get::<_, String>(7), "héllo");
    assert_eq!(
        row.get::<_, NaiveDate>(8),
        NaiveDate::from_ymd_opt(2024, 2, 29).unwrap()
    );
    assert_eq!(
        row.get::<_, NaiveDateTime>(9),
        NaiveDate::from_ymd_opt(2024, 2, 29)
            .unwrap()
            .and_hms_micro_opt(13, 14, 15, 123_456)
            .unwrap()
    );
    assert_eq!(
        row.get::<_, DateTime<Utc>>(10),
        NaiveDate::from_ymd_opt(2024, 2, 29)
            .unwrap()
            .and_hms_opt(13, 14, 15)
            .unwrap()
            .and_utc()
    );
    // interval: microseconds (i64), days (i32), months (i32)
    let interval = row.get::<_, Raw>(11).0;
    let micros = ((4 * 60 + 5) * 60 + 6) * 1_000_000i64;
    let mut expected_interval = micros.to_be_bytes().to_vec();
    expected_interval.extend(3i32.to_be_bytes());
    expected_interval.extend(14i32.to_be_bytes());
    assert_eq!(interval, expected_interval);
    assert_eq!(row.get::<_, Vec<u8>>(12), vec![1u8, 2, 255]);
    assert_eq!(
        row.get::<_, Vec<Option<i64>>>(13),
        vec![Some(1), Some(2), None]
    );
    assert_eq!(
        row.get::<_, Vec<Option<String>>>(14),
        vec![Some("a".to_string()), None, Some("b c".to_string())]
    );
    assert_eq!(
        row.get::<_, serde_json::Value>(15),
        serde_json::json!({"a": 1, "b": "x"})
    );
}

#[tokio::test]
async fn nulls_of_every_type_in_both_formats() {
    let server = TestServer::start_on_lake().await;
    let client = server.connect().await;
    let sql = "SELECT CAST(NULL AS BOOLEAN) AS a, CAST(NULL AS BIGINT) AS b, CAST(NULL AS DOUBLE) AS c, \
               CAST(NULL AS DECIMAL(12,2)) AS d, CAST(NULL AS VARCHAR) AS e, CAST(NULL AS DATE) AS f, \
               CAST(NULL AS TIMESTAMP) AS g, CAST(NULL AS BYTEA) AS h";
    let text = simple_rows(&client, sql).await;
    assert_eq!(text, vec![vec![None; 8]]);
    let row = client.query_one(sql, &[]).await.unwrap();
    assert_eq!(row.get::<_, Option<bool>>(0), None);
    assert_eq!(row.get::<_, Option<i64>>(1), None);
    assert_eq!(row.get::<_, Option<f64>>(2), None);
    assert_eq!(row.get::<_, Option<Decimal>>(3), None);
    assert_eq!(row.get::<_, Option<String>>(4), None);
    assert_eq!(row.get::<_, Option<NaiveDate>>(5), None);
    assert_eq!(row.get::<_, Option<NaiveDateTime>>(6), None);
    assert_eq!(row.get::<_, Option<Vec<u8>>>(7), None);
}

#[tokio::test]
async fn parameters_of_every_type() {
    let server = TestServer::start_on_lake().await;
    let client = server.connect().await;
    let date = NaiveDate::from_ymd_opt(1999, 12, 31).unwrap();
    let ts = date.and_hms_micro_opt(23, 59, 58, 250_000).unwrap();
    let tstz = ts.and_utc();
    let amount = Decimal::from_str("-98765.43").unwrap();
    let bytes: Vec<u8> = vec![0, 1, 254, 255];
    let ids: Vec<i64> = vec![3, 1, 2];
    let statement = client
        .prepare(
            "SELECT $1::BOOLEAN, $2::SMALLINT, $3::INT, $4::BIGINT, $5::REAL, $6::DOUBLE, \
             $7::DECIMAL(10,2), $8::VARCHAR, $9::DATE, $10::TIMESTAMP, $11::TIMESTAMPTZ, $12::BYTEA, \
             $13::BIGINT[]",
        )
        .await
        .unwrap();
    assert_eq!(
        statement.params(),
        &[
            Type::BOOL,
            Type::INT2,
            Type::INT4,
            Type::INT8,
            Type::FLOAT4,
            Type::FLOAT8,
            Type::NUMERIC,
            Type::TEXT,
            Type::DATE,
            Type::TIMESTAMP,
            Type::TIMESTAMPTZ,
            Type::BYTEA,
            Type::INT8_ARRAY,
        ]
    );
    let row = client
        .query_one(
            &statement,
            &[
                &false,
                &i16::MIN,
                &i32::MAX,
                &i64::MIN,
                &-0.5f32,
                &1e300f64,
                &amount,
                &"naïve 'quoted'",
                &date,
                &ts,
                &tstz,
                &bytes,
                &ids,
            ],
        )
        .await
        .unwrap();
    assert!(!row.get::<_, bool>(0));
    assert_eq!(row.get::<_, i16>(1), i16::MIN);
    assert_eq!(row.get::<_, i32>(2), i32::MAX);
    assert_eq!(row.get::<_, i64>(3), i64::MIN);
    assert_eq!(row.get::<_, f32>(4), -0.5);
    assert_eq!(row.get::<_, f64>(5), 1e300);
    assert_eq!(row.get::<_, Decimal>(6), amount);
    assert_eq!(row.get::<_, String>(7), "naïve 'quoted'");
    assert_eq!(row.get::<_, NaiveDate>(8), date);
    assert_eq!(row.get::<_, NaiveDateTime>(9), ts);
    assert_eq!(row.get::<_, DateTime<Utc>>(10), tstz);
    assert_eq!(row.get::<_, Vec<u8>>(11), bytes);
    assert_eq!(
        row.get::<_, Vec<Option<i64>>>(12),
        vec![Some(3), Some(1), Some(2)]
    );

    // NULL parameters come back as NULL of the declared type.
    let row = client
        .query_one(
            "SELECT $1::BIGINT IS NULL, $2::VARCHAR",
            &[&None::<i64>, &None::<String>],
        )
        .await
        .unwrap();
    assert!(row.get::<_, bool>(0));
    assert_eq!(row.get::<_, Option<String>>(1), None);
}

#[tokio::test]
async fn parameters_typed_from_context_and_by_the_client() {
    let server = TestServer::start_on_lake().await;
    let client = server.connect().await;
    // The type of $1 comes from the column it is compared with.
    let statement = client
        .prepare("SELECT count(*) FROM orders WHERE customer_id = $1")
        .await
        .unwrap();
    assert_eq!(statement.params(), &[Type::INT8]);
    // A named statement, executed several times with different values.
    let orders = crate::common::read_table(&lake().dir.join("orders"));
    for customer in [1i64, 2, 17, LAKE_CUSTOMERS as i64] {
        let expected: i64 = orders
            .iter()
            .map(|b| {
                let ids = b
                    .column_by_name("customer_id")
                    .unwrap()
                    .as_any()
                    .downcast_ref::<datafusion::arrow::array::Int64Array>()
                    .unwrap();
                ids.iter().filter(|id| *id == Some(customer)).count() as i64
            })
            .sum();
        let row = client.query_one(&statement, &[&customer]).await.unwrap();
        assert_eq!(row.get::<_, i64>(0), expected, "customer {customer}");
    }
    // The client names the type; the server honours it.
    let statement = client
        .prepare_typed("SELECT $1 AS v", &[Type::INT4])
        .await
        .unwrap();
    assert_eq!(statement.params(), &[Type::INT4]);
    assert_eq!(statement.columns()[0].type_(), &Type::INT4);
    let row = client.query_one(&statement, &[&41i32]).await.unwrap();
    assert_eq!(row.get::<_, i32>(0), 41);
    // An untyped parameter is text, as in PostgreSQL.
    let statement = client.prepare("SELECT $1 AS v").await.unwrap();
    assert_eq!(statement.params(), &[Type::TEXT]);
    let row = client.query_one(&statement, &[&"abc"]).await.unwrap();
    assert_eq!(row.get::<_, String>(0), "abc");
}

#[tokio::test]
async fn queries_the_lake_over_both_protocols() {
    let server = TestServer::start_on_lake().await;
    let client = server.connect().await;
    let rows = simple_rows(
        &client,
        "SELECT count(*), min(customer_id), max(customer_id) FROM customers",
    )
    .await;
    assert_eq!(
        rows,
        vec![vec![
            Some(LAKE_CUSTOMERS.to_string()),
            Some("1".into()),
            Some(LAKE_CUSTOMERS.to_string())
        ]]
    );
    let row = client
        .query_one("SELECT count(*) FROM orders", &[])
        .await
        .unwrap();
    assert_eq!(row.get::<_, i64>(0) as u64, lake().summary.orders);
    let row = client
        .query_one("SELECT count(*) FROM order_items", &[])
        .await
        .unwrap();
    assert_eq!(row.get::<_, i64>(0) as u64, lake().summary.order_items);
    // Column types of a lake table as clients see them.
    let statement = client
        .prepare("SELECT order_id, order_ts, amount, status FROM orders LIMIT 1")
        .await
        .unwrap();
    let types: Vec<&Type> = statement.columns().iter().map(|c| c.type_()).collect();
    assert_eq!(
        types,
        vec![&Type::INT8, &Type::TIMESTAMP, &Type::NUMERIC, &Type::TEXT]
    );
}

#[tokio::test]
async fn empty_results_keep_their_columns() {
    let server = TestServer::start_on_lake().await;
    let client = server.connect().await;
    let statement = client
        .prepare("SELECT customer_id, email FROM customers WHERE false")
        .await
        .unwrap();
    let names: Vec<&str> = statement.columns().iter().map(|c| c.name()).collect();
    assert_eq!(names, vec!["customer_id", "email"]);
    assert!(client.query(&statement, &[]).await.unwrap().is_empty());
    let messages = client
        .simple_query("SELECT customer_id FROM customers WHERE false")
        .await
        .unwrap();
    let columns: Vec<String> = text_results(&messages)
        .into_iter()
        .filter_map(|result| result.columns)
        .flatten()
        .collect();
    assert_eq!(columns, vec!["customer_id"]);
    assert!(matches!(
        messages.last(),
        Some(SimpleQueryMessage::CommandComplete(0))
    ));
    // An empty query string is an empty query, not an error.
    assert!(text_rows(&client.simple_query("").await.unwrap()).is_empty());
}

#[tokio::test]
async fn large_result_streams_through() {
    let server = TestServer::start_on_lake().await;
    let client = server.connect().await;
    let n: i64 = 1_000_000;
    let stream = client
        .query_raw(
            &format!("SELECT value FROM generate_series(1, {n})"),
            Vec::<i64>::new(),
        )
        .await
        .unwrap();
    let (count, sum) = stream
        .try_fold((0i64, 0i64), |(count, sum), row| async move {
            Ok((count + 1, sum + row.get::<_, i64>(0)))
        })
        .await
        .unwrap();
    assert_eq!(count, n);
    assert_eq!(sum, n * (n + 1) / 2);
}

/// An Execute without a row limit (every driver's prepared query) sends rows as they are
/// produced, as PostgreSQL does: rows computed before an error reach the client before the
/// error. A server that collects the whole result first sends the error alone.
#[tokio::test]
async fn execute_without_a_row_limit_sends_rows_before_a_later_error() {
    let server = TestServer::start_on_lake().await;
    let client = server.connect().await;
    // One partition, so rows come in the series' order: with several, a later partition's
    // rows may be sent before an earlier one fails (an unordered result's order is
    // DataFusion's to choose).
    client
        .batch_execute("SET datafusion.execution.target_partitions = 1")
        .await
        .unwrap();
    let stream = client
        .query_raw(
            "SELECT value, 1 / (value - 1000000) AS q FROM generate_series(1, 2000000)",
            Vec::<i64>::new(),
        )
        .await
        .unwrap();
    futures::pin_mut!(stream);
    let mut values = Vec::new();
    let error = loop {
        match stream.next().await {
            Some(Ok(row)) => values.push(row.get::<_, i64>(0)),
            Some(Err(error)) => break error,
            None => panic!("the division by zero must end the result"),
        }
    };
    assert_eq!(sqlstate(&error), "22012", "{error}");
    assert!(!values.is_empty(), "no row arrived before the error");
    assert!(values.len() < 1_000_000, "{} rows", values.len());
    assert!(values.iter().all(|&v| (1..1_000_000).contains(&v)));
    let distinct: std::collections::HashSet<i64> = values.iter().copied().collect();
    assert_eq!(distinct.len(), values.len());
    assert_answers(&client).await;
}

/// A CancelRequest ends a statement run through the extended protocol too.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancel_request_stops_an_extended_protocol_statement() {
    let server = TestServer::start_on_lake().await;
    let client = server.connect().await;
    let token = client.cancel_token();
    let running = tokio::spawn(async move {
        let outcome = client
            .query(
                "SELECT value % 1000000 AS k, count(*) FROM range(1000000000000) GROUP BY 1",
                &[],
            )
            .await;
        (outcome.map(|rows| rows.len()), client)
    });
    tokio::time::sleep(std::time::Duration::from_millis(800)).await;
    token.cancel_query(tokio_postgres::NoTls).await.unwrap();
    let (outcome, client) = tokio::time::timeout(std::time::Duration::from_secs(10), running)
        .await
        .expect("the statement ends after the cancel")
        .unwrap();
    assert_canceled(
        &outcome.unwrap_err(),
        "canceling statement due to user request",
    );
    assert_answers(&client).await;
}

#[tokio::test]
async fn execute_with_row_limit_suspends_the_portal() {
    let server = TestServer::start_on_lake().await;
    let mut client = server.connect().await;
    let transaction = client.transaction().await.unwrap();
    // A billion rows: this only works if the server streams and suspends instead of
    // materialising the result.
    let statement = transaction
        .prepare("SELECT value FROM generate_series(1, 1000000000)")
        .await
        .unwrap();
    let portal = transaction.bind(&statement, &[]).await.unwrap();
    let first = transaction.query_portal(&portal, 1000).await.unwrap();
    let second = transaction.query_portal(&portal, 5).await.unwrap();
    let first: Vec<i64> = column(&first, 0);
    let second: Vec<i64> = column(&second, 0);
    assert_eq!(first, (1..=1000).collect::<Vec<_>>());
    assert_eq!(second, vec![1001, 1002, 1003, 1004, 1005]);
    transaction.commit().await.unwrap();
    // The connection is usable afterwards.
    assert_answers(&client).await;
}

/// After a row-limited Execute, an Execute without a limit sends the rest of the rows, and a
/// finished portal sends none.
#[tokio::test]
async fn execute_without_a_limit_resumes_a_suspended_portal() {
    let server = TestServer::start_on_lake().await;
    let mut client = server.connect().await;
    let transaction = client.transaction().await.unwrap();
    let statement = transaction
        .prepare("SELECT value FROM generate_series(1, 50000)")
        .await
        .unwrap();
    let portal = transaction.bind(&statement, &[]).await.unwrap();
    let values = |rows: Vec<tokio_postgres::Row>| -> Vec<i64> { column(&rows, 0) };
    let first = values(transaction.query_portal(&portal, 10).await.unwrap());
    let rest = values(transaction.query_portal(&portal, 0).await.unwrap());
    let after = values(transaction.query_portal(&portal, 0).await.unwrap());
    assert_eq!(first, (1..=10).collect::<Vec<_>>());
    assert_eq!(rest, (11..=50000).collect::<Vec<_>>());
    assert!(after.is_empty());
    transaction.commit().await.unwrap();
}

/// `engine.max_running_statements`: a statement waits for a turn while others run, the wait
/// counts against statement_timeout, and the turn is given back when a result is done.
#[tokio::test]
async fn statements_wait_for_a_turn_to_run() {
    let mut config = crate::common::lake_config();
    config.engine.max_running_statements = 1;
    let server = TestServer::start(&config).await;
    let mut holder = server.connect().await;
    let waiter = server.connect().await;
    // A suspended portal is a statement still running: it holds the only turn.
    let transaction = holder.transaction().await.unwrap();
    let portal = crate::common::suspended_portal(&transaction).await;
    waiter
        .batch_execute("SET statement_timeout = 300")
        .await
        .unwrap();
    let started = std::time::Instant::now();
    let error = waiter
        .query_one("SELECT count(*) FROM customers", &[])
        .await
        .unwrap_err();
    assert_eq!(sqlstate(&error), "57014");
    assert!(started.elapsed() >= std::time::Duration::from_millis(300));
    // Closing the portal (the client's Close) gives the turn back.
    drop(portal);
    transaction.rollback().await.unwrap();
    waiter
        .batch_execute("SET statement_timeout = 0")
        .await
        .unwrap();
    let count: i64 = waiter
        .query_one("SELECT count(*) FROM customers", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(count, LAKE_CUSTOMERS as i64);
    // One after another, every statement gets its turn.
    for i in 0..3i64 {
        let value: i64 = holder
            .query_one("SELECT $1::BIGINT", &[&i])
            .await
            .unwrap()
            .get(0);
        assert_eq!(value, i);
    }
    server.stop().await;
}

#[tokio::test]
async fn errors_carry_sqlstate_and_the_connection_survives() {
    let server = TestServer::start_on_lake().await;
    let client = server.connect().await;
    let cases = [
        ("SELEC 1", "42601"),
        ("SELECT * FROM no_such_table", "42P01"),
        ("SELECT no_such_column FROM customers", "42703"),
        ("SELECT no_such_function(1)", "42883"),
        ("SELECT CAST('abc' AS INT)", "22P02"),
        ("SELECT 1 / 0", "22012"),
        ("CREATE TABLE t AS SELECT 1", "25006"),
        ("COPY customers TO '/tmp/custlake-copy-test.csv'", "42501"),
    ];
    for (sql, code) in cases {
        let simple = client.simple_query(sql).await.expect_err(sql);
        assert_eq!(sqlstate(&simple), code, "simple protocol: {sql}");
        let extended = client.query(sql, &[]).await.expect_err(sql);
        assert_eq!(sqlstate(&extended), code, "extended protocol: {sql}");
        let row = client.query_one("SELECT 1::INT", &[]).await.unwrap();
        assert_eq!(row.get::<_, i32>(0), 1, "after {sql}");
    }
    // A bad parameter value is a data error, and the connection goes on.
    let statement = client
        .prepare_typed("SELECT $1::INT", &[Type::TEXT])
        .await
        .unwrap();
    let error = client
        .query(&statement, &[&"not a number"])
        .await
        .expect_err("bad int");
    assert_eq!(sqlstate(&error), "22P02");
    assert_eq!(
        client
            .query_one("SELECT 2::INT", &[])
            .await
            .unwrap()
            .get::<_, i32>(0),
        2
    );
}

#[tokio::test]
async fn multi_statement_query_stops_at_the_first_error() {
    let server = TestServer::start_on_lake().await;
    let client = server.connect().await;
    let messages = client.simple_query("SELECT 1; SELECT 2").await.unwrap();
    let values: Vec<String> = text_rows(&messages)
        .into_iter()
        .filter_map(|row| row[0].clone())
        .collect();
    assert_eq!(values, vec!["1", "2"]);
    let error = client
        .simple_query("SET datafusion.execution.batch_size = 77; SELECT * FROM no_such_table; SET datafusion.execution.batch_size = 99")
        .await
        .expect_err("second statement fails");
    assert_eq!(sqlstate(&error), "42P01");
    // The first statement ran, the third did not.
    let rows = simple_rows(&client, "SHOW datafusion.execution.batch_size").await;
    assert_eq!(rows[0].last().cloned().flatten().as_deref(), Some("77"));
}

#[tokio::test]
async fn settings_belong_to_the_connection() {
    let server = TestServer::start_on_lake().await;
    let first = server.connect().await;
    let second = server.connect().await;
    first
        .simple_query("SET datafusion.execution.batch_size = 123")
        .await
        .unwrap();
    let mine = simple_rows(&first, "SHOW datafusion.execution.batch_size").await;
    let theirs = simple_rows(&second, "SHOW datafusion.execution.batch_size").await;
    assert_eq!(mine[0].last().cloned().flatten().as_deref(), Some("123"));
    assert_ne!(theirs[0].last().cloned().flatten().as_deref(), Some("123"));
}

#[tokio::test]
async fn server_reports_a_postgres_shaped_version() {
    let server = TestServer::start_on_lake().await;
    let conn = format!(
        "host={} port={} user=someone dbname=custlake",
        server.addr.ip(),
        server.addr.port()
    );
    let (client, connection) = tokio_postgres::connect(&conn, tokio_postgres::NoTls)
        .await
        .unwrap();
    let handle = tokio::spawn(connection);
    // Any user name is accepted while no users are configured (loopback only).
    assert_eq!(
        client
            .query_one("SELECT 1::INT", &[])
            .await
            .unwrap()
            .get::<_, i32>(0),
        1
    );
    drop(client);
    handle.await.unwrap().unwrap();
    assert!(custlake::server::SERVER_VERSION.starts_with("16."));
}

#[tokio::test]
async fn graceful_shutdown_lets_a_running_statement_finish() {
    let server = TestServer::start_on_lake().await;
    let mut client = server.connect().await;
    let transaction = client.transaction().await.unwrap();
    let statement = transaction
        .prepare("SELECT value FROM generate_series(1, 100)")
        .await
        .unwrap();
    let portal = transaction.bind(&statement, &[]).await.unwrap();
    // The statement is now running (suspended after 10 rows) when shutdown is requested.
    let head = transaction.query_portal(&portal, 10).await.unwrap();
    assert_eq!(head.len(), 10);
    let stopping = tokio::spawn(server.stop());
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert!(
        !stopping.is_finished(),
        "the server waits for the running statement"
    );
    let rest = transaction
        .query_portal(&portal, 0)
        .await
        .expect("rows keep flowing during the grace period");
    let rest: Vec<i64> = column(&rest, 0);
    assert_eq!(rest, (11..=100).collect::<Vec<_>>());
    drop(transaction);
    tokio::time::timeout(std::time::Duration::from_secs(10), stopping)
        .await
        .expect("the server stops once the statement is done")
        .unwrap();
}

#[tokio::test]
async fn shutdown_cancels_what_outlives_the_grace_period() {
    // TestServer's grace period is 2 seconds.
    let server = TestServer::start_on_lake().await;
    let mut client = server.connect().await;
    let transaction = client.transaction().await.unwrap();
    let statement = transaction
        .prepare("SELECT value FROM generate_series(1, 1000000000)")
        .await
        .unwrap();
    let portal = transaction.bind(&statement, &[]).await.unwrap();
    assert_eq!(
        transaction.query_portal(&portal, 10).await.unwrap().len(),
        10
    );
    let stopping = tokio::spawn(server.stop());
    tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
    let error = transaction
        .query_portal(&portal, 10)
        .await
        .expect_err("cancelled by shutdown");
    assert_eq!(sqlstate(&error), "57P01");
    tokio::time::timeout(std::time::Duration::from_secs(10), stopping)
        .await
        .expect("the server stops")
        .unwrap();
}

#[tokio::test]
async fn exhausting_the_memory_pool_is_53200_and_the_connection_survives() {
    let mut config = crate::common::lake_config();
    config.engine.memory_limit = 16 << 20;
    let server = TestServer::start(&config).await;
    let client = server.connect().await;
    // array_agg cannot spill: 20 million values do not fit in a 16 MiB pool.
    let error = client
        .simple_query("SELECT cardinality(array_agg(value)) FROM generate_series(1, 20000000)")
        .await
        .expect_err("the pool is too small");
    assert_eq!(sqlstate(&error), "53200");
    let row = client
        .query_one("SELECT count(*) FROM customers", &[])
        .await
        .unwrap();
    assert_eq!(row.get::<_, i64>(0), LAKE_CUSTOMERS as i64);
}

/// Performs a protocol 3.0 startup on a raw socket and returns the BackendKeyData's process id
/// and the ParameterStatus pairs the server sent.
async fn raw_startup(addr: std::net::SocketAddr) -> (i32, Vec<(String, String)>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut socket = tokio::net::TcpStream::connect(addr).await.unwrap();
    let mut body = 196_608i32.to_be_bytes().to_vec(); // protocol 3.0
    for part in ["user", "raw", "database", "custlake"] {
        body.extend(part.as_bytes());
        body.push(0);
    }
    body.push(0);
    let mut message = ((body.len() + 4) as i32).to_be_bytes().to_vec();
    message.extend(body);
    socket.write_all(&message).await.unwrap();
    let mut pid = None;
    let mut parameters = Vec::new();
    loop {
        let kind = socket.read_u8().await.unwrap();
        let len = socket.read_i32().await.unwrap() as usize - 4;
        let mut payload = vec![0u8; len];
        socket.read_exact(&mut payload).await.unwrap();
        match kind {
            b'K' => pid = Some(i32::from_be_bytes(payload[0..4].try_into().unwrap())),
            b'S' => {
                let mut parts = payload
                    .split(|b| *b == 0)
                    .map(|p| String::from_utf8_lossy(p).to_string());
                parameters.push((parts.next().unwrap(), parts.next().unwrap()));
            }
            b'Z' => break,
            b'R' => assert_eq!(
                payload,
                0i32.to_be_bytes(),
                "AuthenticationOk without a password"
            ),
            other => panic!("unexpected message {:?} during startup", other as char),
        }
    }
    (pid.expect("BackendKeyData"), parameters)
}

#[tokio::test]
async fn startup_sends_distinct_backend_pids_and_postgres_parameters() {
    let server = TestServer::start_on_lake().await;
    let (first, parameters) = raw_startup(server.addr).await;
    let (second, _) = raw_startup(server.addr).await;
    assert_ne!(first, second);
    let get = |name: &str| {
        parameters
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    assert_eq!(
        get("server_version"),
        Some(custlake::server::SERVER_VERSION)
    );
    assert_eq!(get("server_encoding"), Some("UTF8"));
    assert_eq!(get("client_encoding"), Some("UTF8"));
    assert_eq!(get("DateStyle"), Some("ISO, MDY"));
    assert_eq!(get("TimeZone"), Some("UTC"));
    assert_eq!(get("integer_datetimes"), Some("on"));
    assert_eq!(get("standard_conforming_strings"), Some("on"));
}

async fn as_of(client: &tokio_postgres::Client) -> NaiveDate {
    client
        .query_one("SELECT as_of()", &[])
        .await
        .unwrap()
        .get(0)
}

#[tokio::test]
async fn the_as_of_date_is_a_setting_of_the_connection() {
    let server = TestServer::start_on_lake().await;
    let first = server.connect().await;
    let second = server.connect().await;
    let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    // The lake's config names its as-of date: every session starts there.
    assert_eq!(as_of(&first).await, date(2024, 6, 30));
    first
        .simple_query("SET custlake.as_of = '2024-01-31'")
        .await
        .unwrap();
    assert_eq!(as_of(&first).await, date(2024, 1, 31));
    assert_eq!(as_of(&second).await, date(2024, 6, 30));
    // 'today' is the current date; DEFAULT is the lake's date again.
    second
        .simple_query("SET custlake.as_of = 'today'")
        .await
        .unwrap();
    let today: NaiveDate = second
        .query_one("SELECT current_date", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(as_of(&second).await, today);
    second
        .simple_query("SET custlake.as_of = DEFAULT")
        .await
        .unwrap();
    assert_eq!(as_of(&second).await, date(2024, 6, 30));
    let error = first
        .simple_query("SET custlake.as_of = '2024-13-01'")
        .await
        .expect_err("not a date");
    assert_eq!(sqlstate(&error), "22023");
    let error = first
        .simple_query("SET custlake.as_at = '2024-01-01'")
        .await
        .expect_err("no such setting");
    assert_eq!(sqlstate(&error), "42704");
    // The refused values left the setting as it was.
    assert_eq!(as_of(&first).await, date(2024, 1, 31));
}

/// The churn models over the wire: a fit's struct arrives as a JSON object, a prediction
/// takes bound parameters, and a bad summary is a data exception (22000) naming the function,
/// after which the connection goes on.
#[tokio::test]
async fn churn_models_answer_over_the_wire() {
    let server = TestServer::start_on_lake().await;
    let client = server.connect().await;
    let rows = simple_rows(
        &client,
        "SELECT bgnbd_fit(s.x, s.t_x, s.age) FROM (SELECT calibration_summary(order_ts, amount, \
         DATE '2024-06-30') AS s FROM orders WHERE status = 'completed' GROUP BY customer_id) \
         WHERE s IS NOT NULL",
    )
    .await;
    let fit = rows[0][0].clone().expect("a fit");
    for field in [
        "\"r\":",
        "\"alpha\":",
        "\"a\":",
        "\"b\":",
        "\"converged\":true",
    ] {
        assert!(fit.contains(field), "{fit}");
    }
    // Bound parameters (extended protocol, binary results): CDNOW customer 1 at the published
    // estimates; lifetimes gives 0.72657857.
    let statement = "SELECT bgnbd_p_alive($1::double precision, $2::double precision, \
                     $3::double precision, named_struct('r', 0.243, 'alpha', 4.414, \
                     'a', 0.793, 'b', 2.426))";
    let row = client
        .query_one(statement, &[&2.0_f64, &30.43_f64, &38.86_f64])
        .await
        .unwrap();
    let p_alive: f64 = row.get(0);
    assert!((p_alive - 0.726_578_57).abs() < 1e-8, "{p_alive}");
    let error = client
        .query_one(statement, &[&2.0_f64, &40.0_f64, &38.86_f64])
        .await
        .unwrap_err();
    assert_eq!(sqlstate(&error), "22000", "{error:?}");
    let message = error.as_db_error().map(|e| e.message().to_string());
    assert!(
        message
            .as_deref()
            .is_some_and(|m| m.contains("bgnbd_p_alive: t_x (recency) must be between 0 and T")),
        "{message:?}"
    );
    assert_answers(&client).await;
    server.stop().await;
}

#[tokio::test]
async fn json_and_jsonb_reach_drivers_with_their_types() {
    let server = TestServer::start_on_lake().await;
    let client = server.connect().await;
    let sql = "SELECT '{\"b\": 1, \"a\": [1, 2]}'::jsonb AS b, '{\"b\" :  1}'::json AS j, \
               jsonb_build_object('id', customer_id) AS built, \
               '{\"b\": 1}'::jsonb ->> 'b' AS t \
               FROM customers ORDER BY customer_id LIMIT 1";
    // Binary results (jsonb's are a version byte and the text), typed as PostgreSQL types them.
    let row = client.query_one(sql, &[]).await.unwrap();
    let types: Vec<Type> = row.columns().iter().map(|c| c.type_().clone()).collect();
    assert_eq!(types, [Type::JSONB, Type::JSON, Type::JSONB, Type::TEXT]);
    assert_eq!(
        row.get::<_, serde_json::Value>(0),
        serde_json::json!({"a": [1, 2], "b": 1})
    );
    assert_eq!(
        row.get::<_, serde_json::Value>(1),
        serde_json::json!({"b": 1})
    );
    assert_eq!(
        row.get::<_, serde_json::Value>(2),
        serde_json::json!({"id": 1})
    );
    assert_eq!(row.get::<_, String>(3), "1");
    // Text results: jsonb in its normal form, json as written.
    assert_eq!(
        simple_rows(&client, sql).await,
        vec![vec![
            Some("{\"a\": [1, 2], \"b\": 1}".to_string()),
            Some("{\"b\" :  1}".to_string()),
            Some("{\"id\": 1}".to_string()),
            Some("1".to_string()),
        ]]
    );
    // A document as a parameter: `$1::jsonb` is described as text (a parameter's type is
    // its Arrow type), so drivers send its text.
    let param = serde_json::json!({"k": [10, 20]}).to_string();
    let row = client
        .query_one("SELECT $1::jsonb -> 'k' -> 1 AS v", &[&param])
        .await
        .unwrap();
    assert_eq!(row.get::<_, serde_json::Value>(0), serde_json::json!(20));
    // Bad JSON is PostgreSQL's error, and the connection keeps serving.
    let error = client
        .simple_query("SELECT '{\"a\": }'::jsonb")
        .await
        .unwrap_err();
    assert_eq!(sqlstate(&error), "22P02");
    assert_eq!(
        simple_rows(&client, "SELECT 1").await,
        vec![vec![Some("1".to_string())]]
    );
}
