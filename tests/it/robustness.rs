//! What one client can do to the server, tried as an attacker would: messages that break the
//! protocol, row limits and placeholder numbers that would size allocations, statements that
//! do not yield, clients that vanish mid-statement. Each time the others must keep being
//! served, nothing may panic, and the offending statement must stop and give back its turn.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use rand::{Rng, SeedableRng};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::common::{TestServer, assert_answers, assert_canceled, sqlstate, suspended_portal};

/// A join that finds a match for about half of its pairs: DataFusion's nested-loop join
/// hands up one full batch after another without ever returning `Pending`, so it stops only
/// where the server interrupts it. Long enough on the test lake (20,000 orders, 400 million
/// pairs, a few times over) to still be running when the test acts.
const NON_YIELDING: &str = "SELECT count(*) FROM orders a, orders b, (VALUES (1), (2), (3), (4)) AS c(k) \
     WHERE a.amount + c.k > b.amount";

/// One backend message: its type byte and body.
#[derive(Debug)]
struct Message {
    kind: u8,
    body: Vec<u8>,
}

impl Message {
    /// The SQLSTATE and severity of an ErrorResponse.
    fn error_fields(&self) -> (String, String) {
        let (mut code, mut severity) = (String::new(), String::new());
        for field in self.body.split(|&b| b == 0) {
            match field.first() {
                Some(b'C') => code = String::from_utf8_lossy(&field[1..]).into(),
                Some(b'S') => severity = String::from_utf8_lossy(&field[1..]).into(),
                _ => {}
            }
        }
        (code, severity)
    }
}

/// A connection spoken to byte by byte.
struct Raw {
    socket: TcpStream,
}

fn typed(kind: u8, body: &[u8]) -> Vec<u8> {
    let mut message = vec![kind];
    message.extend_from_slice(&(body.len() as i32 + 4).to_be_bytes());
    message.extend_from_slice(body);
    message
}

fn cstring(text: &str) -> Vec<u8> {
    let mut bytes = text.as_bytes().to_vec();
    bytes.push(0);
    bytes
}

fn parse(statement: &str, query: &str) -> Vec<u8> {
    let mut body = cstring(statement);
    body.extend(cstring(query));
    body.extend(0u16.to_be_bytes());
    typed(b'P', &body)
}

fn bind(portal: &str, statement: &str) -> Vec<u8> {
    let mut body = cstring(portal);
    body.extend(cstring(statement));
    body.extend(0u16.to_be_bytes()); // parameter formats
    body.extend(0u16.to_be_bytes()); // parameters
    body.extend(0u16.to_be_bytes()); // result formats
    typed(b'B', &body)
}

fn execute(portal: &str, max_rows: i32) -> Vec<u8> {
    let mut body = cstring(portal);
    body.extend(max_rows.to_be_bytes());
    typed(b'E', &body)
}

fn sync() -> Vec<u8> {
    typed(b'S', &[])
}

impl Raw {
    /// Connects and completes a protocol 3.0 startup.
    async fn connect(addr: SocketAddr) -> Raw {
        let mut socket = TcpStream::connect(addr).await.unwrap();
        let mut body = 196_608i32.to_be_bytes().to_vec();
        for part in ["user", "raw", "database", "custlake"] {
            body.extend(cstring(part));
        }
        body.push(0);
        let mut startup = ((body.len() + 4) as i32).to_be_bytes().to_vec();
        startup.extend(body);
        socket.write_all(&startup).await.unwrap();
        let mut raw = Raw { socket };
        let messages = raw.until_ready().await.expect("startup answered");
        assert!(messages.iter().any(|m| m.kind == b'R'));
        raw
    }

    async fn send(&mut self, bytes: &[u8]) {
        // The server may already have closed a connection it refused.
        let _ = self.socket.write_all(bytes).await;
    }

    /// The next message, or `None` at the end of the connection.
    async fn next(&mut self) -> Option<Message> {
        let kind = self.socket.read_u8().await.ok()?;
        let length = self.socket.read_i32().await.ok()?;
        let mut body = vec![0u8; usize::try_from(length).ok()?.checked_sub(4)?];
        self.socket.read_exact(&mut body).await.ok()?;
        Some(Message { kind, body })
    }

    /// The messages up to and including ReadyForQuery; `None` if the connection ended first.
    async fn until_ready(&mut self) -> Option<Vec<Message>> {
        let mut messages = Vec::new();
        loop {
            let message = self.next().await?;
            let ready = message.kind == b'Z';
            messages.push(message);
            if ready {
                return Some(messages);
            }
        }
    }

    /// Everything the server sends until it closes the connection.
    async fn until_closed(&mut self) -> Vec<Message> {
        let mut messages = Vec::new();
        while let Some(message) = self.next().await {
            messages.push(message);
        }
        messages
    }
}

/// No connection task of the server has panicked.
fn assert_no_panics(server: &TestServer) {
    let panics = server
        .stats
        .connection_panics
        .load(std::sync::atomic::Ordering::Relaxed);
    assert_eq!(panics, 0, "connection tasks panicked");
}

fn kinds(messages: &[Message]) -> String {
    messages.iter().map(|m| char::from(m.kind)).collect()
}

#[tokio::test]
async fn an_execute_row_limit_only_counts_rows() {
    let server = TestServer::start_on_lake().await;
    let healthy = server.connect().await;
    let mut raw = Raw::connect(server.addr).await;
    // Two billion rows asked of a one-row result: pgwire reserved room for all of them and
    // the process aborted.
    raw.send(
        &[
            parse("", "SELECT 1"),
            bind("", ""),
            execute("", 2_000_000_000),
            sync(),
        ]
        .concat(),
    )
    .await;
    let answer = raw.until_ready().await.expect("answered");
    assert_eq!(kinds(&answer), "12DCZ");
    assert_eq!(answer[3].body, b"SELECT 1\0");
    // A negative limit means all rows, as in PostgreSQL.
    raw.send(&[bind("", ""), execute("", -1), sync()].concat())
        .await;
    assert_eq!(kinds(&raw.until_ready().await.unwrap()), "2DCZ");
    // A limit that is reached suspends the portal where it stands; the rest comes later,
    // and an exhausted portal answers with no rows.
    let five = "SELECT value FROM generate_series(1, 5)";
    raw.send(
        &[
            parse("five", five),
            bind("p", "five"),
            execute("p", 2),
            execute("p", 2),
        ]
        .concat(),
    )
    .await;
    raw.send(&[execute("p", 2), execute("p", 2), sync()].concat())
        .await;
    let answer = raw.until_ready().await.unwrap();
    assert_eq!(kinds(&answer), "12DDsDDsDCCZ");
    assert_eq!(answer[9].body, b"SELECT 1\0");
    assert_eq!(answer[10].body, b"SELECT 0\0");
    assert_answers(&healthy).await;
    assert_no_panics(&server);
}

/// Truncated and inconsistent messages, each on a fresh connection next to a healthy client.
#[tokio::test]
async fn malformed_messages_end_the_connection_with_08p01() {
    let server = TestServer::start_on_lake().await;
    let healthy = server.connect().await;
    let truncated_parse = typed(b'P', b"\0select 1\0\x00\x01");
    let truncated_bind = typed(b'B', b"\0\0\x00\x00\x00\x01\x00\x00\x10\x00ab\x00\x00");
    let mismatched_formats = typed(
        b'B',
        b"\0\0\x00\x02\x00\x00\x00\x00\x00\x03\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x00\x00",
    );
    let mut huge = vec![b'Q'];
    huge.extend(0x7fff_ffffi32.to_be_bytes());
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("a Parse whose type list is cut off", truncated_parse),
        ("a Bind whose parameter is cut off", truncated_bind),
        ("a Bind with 2 formats for 3 parameters", mismatched_formats),
        ("an unknown message type", typed(b'?', b"")),
        ("an Execute without its row limit", typed(b'E', b"\0")),
        ("a Query longer than PostgreSQL allows", huge),
        ("a length below 4", b"S\x00\x00\x00\x01".to_vec()),
    ];
    for (what, message) in cases {
        let mut raw = Raw::connect(server.addr).await;
        raw.send(&message).await;
        raw.send(&sync()).await;
        let answer = tokio::time::timeout(Duration::from_secs(10), raw.until_closed())
            .await
            .unwrap_or_else(|_| panic!("{what}: no answer"));
        let last = answer
            .last()
            .unwrap_or_else(|| panic!("{what}: closed without a word"));
        assert_eq!(last.kind, b'E', "{what}: {}", kinds(&answer));
        assert_eq!(
            last.error_fields(),
            ("08P01".to_string(), "FATAL".to_string()),
            "{what}"
        );
        assert_answers(&healthy).await;
    }
    assert_no_panics(&server);
}

/// A bounded mutation fuzz of recorded extended-protocol traffic: each input on a fresh
/// connection, answered (ReadyForQuery, or an ErrorResponse before the server closes) within
/// a few seconds; a healthy client keeps getting answers, and no connection task panics.
#[tokio::test]
async fn mutated_extended_protocol_messages_never_kill_a_connection_silently() {
    let server = TestServer::start_on_lake().await;
    let healthy = server.connect().await;
    // One round of what tokio-postgres sends for a prepared statement with a parameter.
    let mut bind_one = cstring("");
    bind_one.extend(cstring("s"));
    bind_one.extend([0, 1, 0, 0]); // one format: text
    bind_one.extend([0, 1]); // one parameter
    bind_one.extend(2i32.to_be_bytes());
    bind_one.extend(b"42");
    bind_one.extend([0, 1, 0, 1]); // one result format: binary
    let mut parse_one = cstring("s");
    parse_one.extend(cstring(
        "SELECT customer_id FROM customers WHERE customer_id = $1",
    ));
    parse_one.extend([0, 1, 0, 0, 0, 20]); // int8
    let mut describe = vec![b'S'];
    describe.extend(cstring("s"));
    let recorded: Vec<(u8, Vec<u8>)> = vec![
        (b'P', parse_one),
        (b'D', describe),
        (b'B', bind_one),
        (b'E', [cstring(""), 0i32.to_be_bytes().to_vec()].concat()),
        (b'S', Vec::new()),
    ];
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(18);
    const INPUTS: usize = 300;
    for input in 0..INPUTS {
        let mut messages = recorded.clone();
        let target = rng.random_range(0..messages.len() - 1);
        let body = &mut messages[target].1;
        match rng.random_range(0..4) {
            // Cut the body short (its length is recomputed, as a buggy client would send).
            0 if !body.is_empty() => body.truncate(rng.random_range(0..body.len())),
            // Flip bytes: counts, lengths, formats and text alike.
            1 | 0 => {
                for _ in 0..rng.random_range(1..4) {
                    if body.is_empty() {
                        break;
                    }
                    let at = rng.random_range(0..body.len());
                    body[at] = rng.random();
                }
            }
            // Extreme values where a count or length sits.
            2 if body.len() >= 4 => {
                let at = rng.random_range(0..body.len() - 3);
                let extreme =
                    [0x7fff_ffffu32, 0xffff_ffff, 0x8000_0000, 0xffff][rng.random_range(0..4)];
                body[at..at + 4].copy_from_slice(&extreme.to_be_bytes());
            }
            // Bytes appended.
            _ => body.extend((0..rng.random_range(1..8)).map(|_| rng.random::<u8>())),
        }
        let mut raw = Raw::connect(server.addr).await;
        let bytes: Vec<u8> = messages.iter().flat_map(|(k, b)| typed(*k, b)).collect();
        raw.send(&bytes).await;
        let answered = tokio::time::timeout(Duration::from_secs(10), async {
            loop {
                match raw.next().await {
                    Some(m) if m.kind == b'Z' => return true,
                    Some(m) if m.kind == b'E' && m.error_fields().1 == "FATAL" => {
                        return raw.next().await.is_none();
                    }
                    Some(_) => continue,
                    None => return false,
                }
            }
        })
        .await;
        assert_eq!(
            answered,
            Ok(true),
            "input {input}: {:?} was not answered before the connection ended",
            messages[target]
        );
        if input % 50 == 0 {
            assert_answers(&healthy).await;
        }
    }
    assert_answers(&healthy).await;
    assert_no_panics(&server);
}

#[tokio::test]
async fn placeholder_numbers_past_65535_are_refused_at_once() {
    let server = TestServer::start_on_lake().await;
    let client = server.connect().await;
    for sql in [
        "SELECT $100000000::int",
        "SELECT $1000000000::int",
        "SELECT $65536::int",
    ] {
        let error = tokio::time::timeout(Duration::from_secs(10), client.prepare(sql))
            .await
            .unwrap_or_else(|_| panic!("{sql}: no answer"))
            .expect_err(sql);
        assert_eq!(sqlstate(&error), "42P02", "{sql}: {error}");
        let message = error.as_db_error().unwrap().message().to_string();
        assert!(message.starts_with("there is no parameter $"), "{message}");
    }
    // The highest number a Bind can carry is still a parameter.
    let statement = client.prepare("SELECT $65535::int").await.unwrap();
    assert_eq!(statement.params().len(), 65_535);
    assert_answers(&client).await;
}

/// A cursor's DECLARE and each FETCH wait for a turn to run like any other statement.
#[tokio::test]
async fn cursors_take_their_turn() {
    let mut config = crate::common::lake_config();
    config.engine.max_running_statements = 1;
    let server = TestServer::start(&config).await;
    let mut holder = server.connect().await;
    let mut waiter = server.connect().await;
    let transaction = holder.transaction().await.unwrap();
    let portal = suspended_portal(&transaction).await;
    // The only turn is held by the suspended portal above.
    let cursor = waiter.transaction().await.unwrap();
    cursor
        .batch_execute("SET LOCAL statement_timeout = 300")
        .await
        .unwrap();
    let error = cursor
        .batch_execute("DECLARE c CURSOR FOR SELECT customer_id FROM customers ORDER BY 1")
        .await
        .unwrap_err();
    assert_canceled(&error, "canceling statement due to statement timeout");
    cursor.rollback().await.unwrap();
    // With the turn given back the cursor is declared; a FETCH then waits while the turn is
    // taken again.
    drop(portal);
    transaction.rollback().await.unwrap();
    let cursor = waiter.transaction().await.unwrap();
    cursor
        .batch_execute("DECLARE c CURSOR FOR SELECT customer_id FROM customers ORDER BY 1")
        .await
        .unwrap();
    let transaction = holder.transaction().await.unwrap();
    let portal = suspended_portal(&transaction).await;
    cursor
        .batch_execute("SET LOCAL statement_timeout = 300")
        .await
        .unwrap();
    let error = cursor.simple_query("FETCH 2 FROM c").await.unwrap_err();
    assert_canceled(&error, "canceling statement due to statement timeout");
    cursor.rollback().await.unwrap();
    drop(portal);
    transaction.rollback().await.unwrap();
    let cursor = waiter.transaction().await.unwrap();
    cursor
        .batch_execute("DECLARE c CURSOR FOR SELECT customer_id FROM customers ORDER BY 1")
        .await
        .unwrap();
    let rows = cursor.query("FETCH 2 FROM c", &[]).await.unwrap();
    let fetched: Vec<i64> = rows.iter().map(|row| row.get(0)).collect();
    cursor.commit().await.unwrap();
    let rows = holder
        .query("SELECT customer_id FROM customers ORDER BY 1 LIMIT 2", &[])
        .await
        .unwrap();
    let first_two: Vec<i64> = rows.iter().map(|row| row.get(0)).collect();
    assert_eq!(fetched, first_two);
}

/// Waits until the server has given every byte of its memory pool back.
async fn pool_drains(server: &TestServer, within: Duration) -> bool {
    let started = Instant::now();
    while started.elapsed() < within {
        if server.engine.memory_reserved() == 0 {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    false
}

/// Waits until a statement of the server holds memory of the pool.
async fn pool_in_use(server: &TestServer) {
    let started = Instant::now();
    while server.engine.memory_reserved() == 0 {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the statement never started"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn a_cancelled_statement_that_does_not_yield_stops() {
    let server = TestServer::start_on_lake().await;
    let client = server.connect().await;
    let cancel = client.cancel_token();
    let running = tokio::spawn(async move {
        let outcome = client.simple_query(NON_YIELDING).await;
        (outcome, client)
    });
    pool_in_use(&server).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let cancelled_at = Instant::now();
    cancel.cancel_query(tokio_postgres::NoTls).await.unwrap();
    let (outcome, client) = running.await.unwrap();
    assert_canceled(
        &outcome.expect_err("cancelled"),
        "canceling statement due to user request",
    );
    // The plan's work stopped too: its build side is given back to the pool.
    assert!(
        pool_drains(&server, Duration::from_secs(5)).await,
        "{} bytes still reserved {:?} after the cancel",
        server.engine.memory_reserved(),
        cancelled_at.elapsed()
    );
    assert_answers(&client).await;
}

#[tokio::test]
async fn a_client_that_hangs_up_stops_its_statement() {
    let mut config = crate::common::lake_config();
    config.engine.max_running_statements = 1;
    let server = TestServer::start(&config).await;
    let mut raw = Raw::connect(server.addr).await;
    raw.send(&typed(b'Q', &cstring(NON_YIELDING))).await;
    pool_in_use(&server).await;
    drop(raw);
    // The hang-up is noticed, the plan stops, and its memory and its turn are given back.
    assert!(
        pool_drains(&server, Duration::from_secs(5)).await,
        "{} bytes still reserved after the client left",
        server.engine.memory_reserved()
    );
    let client = server.connect().await;
    client
        .batch_execute("SET statement_timeout = 5000")
        .await
        .unwrap();
    assert_answers(&client).await;
}

/// A query string of more statements than there are turns: each statement's rows are sent
/// (and its turn given back) before the next one runs. Collecting every response first, the
/// second statement waited for the turn the first still held, and the connection hung.
#[tokio::test]
async fn a_query_string_longer_than_the_turns_runs_statement_by_statement() {
    let mut config = crate::common::lake_config();
    config.engine.max_running_statements = 1;
    let server = TestServer::start(&config).await;
    let client = server.connect().await;
    let messages = tokio::time::timeout(
        Duration::from_secs(20),
        client
            .simple_query("SELECT 1 AS a; SELECT 2 AS b; SET statement_timeout = 0; SELECT 3 AS c"),
    )
    .await
    .expect("every statement of the string is answered")
    .unwrap();
    let results = crate::rows::text_results(&messages);
    let rows: Vec<_> = results.iter().map(|result| result.rows.clone()).collect();
    let one = |v: &str| vec![vec![Some(v.to_string())]];
    assert_eq!(rows, vec![one("1"), one("2"), vec![], one("3")]);
    assert_answers(&client).await;
}
