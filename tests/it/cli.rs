//! The built `custlake` binary as a user runs it: `query`, `gen`, and `serve` driven by a
//! scripted psql session, stopped with SIGTERM.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use datafusion::arrow::array::{Array, StringArray};

use crate::common::{LAKE_CUSTOMERS, connect_to, lake, read_table};

const BIN: &str = env!("CARGO_BIN_EXE_custlake");

fn custlake(args: &[&str]) -> std::process::Output {
    Command::new(BIN)
        .args(args)
        .env("RUST_LOG", "warn")
        .output()
        .expect("run custlake")
}

#[test]
fn query_prints_an_aligned_table() {
    let dir = lake().dir.to_str().unwrap();
    let out = custlake(&[
        "query",
        "--data",
        dir,
        "SELECT count(*) AS customers FROM customers",
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let expected = format!(
        "+-----------+\n| customers |\n+-----------+\n| {:<9} |\n+-----------+\n(1 row)\n",
        LAKE_CUSTOMERS
    );
    assert_eq!(stdout, expected);
}

#[test]
fn query_reports_errors_with_sqlstate_and_exit_code() {
    let dir = lake().dir.to_str().unwrap();
    let out = custlake(&["query", "--data", dir, "SELECT * FROM no_such_table"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("no_such_table"), "{stderr}");
    assert!(stderr.contains("SQLSTATE 42P01"), "{stderr}");
    assert!(out.stdout.is_empty());
}

#[test]
fn gen_writes_a_servable_lake() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("lake");
    let out = custlake(&[
        "gen",
        "--out",
        out_dir.to_str().unwrap(),
        "--customers",
        "300",
        "--seed",
        "5",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = custlake(&[
        "query",
        "--data",
        out_dir.to_str().unwrap(),
        "SELECT max(customer_id) AS m FROM customers",
    ]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("| 300 |"));
    let out = custlake(&[
        "gen",
        "--out",
        out_dir.to_str().unwrap(),
        "--customers",
        "0",
    ]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn serve_refuses_a_public_address_without_users() {
    let dir = lake().dir.to_str().unwrap();
    let out = custlake(&["serve", "--data", dir, "--listen", "0.0.0.0:0"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("refusing to listen on 0.0.0.0:0"),
        "{stderr}"
    );
}

/// `custlake serve` on a free port; the address is read from what it prints. Killed on drop,
/// so a failing test leaves no server behind.
pub struct Served {
    pub child: Child,
    pub addr: SocketAddr,
}

impl Drop for Served {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

pub fn serve(lake_args: &[&str], envs: &[(&str, &str)]) -> Served {
    let mut child = Command::new(BIN)
        .arg("serve")
        .args(lake_args)
        .args(["--listen", "127.0.0.1:0"])
        .env("RUST_LOG", "warn")
        .envs(envs.iter().copied())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start custlake serve");
    let stderr = child.stderr.take().expect("stderr");
    let mut lines = BufReader::new(stderr).lines();
    let addr = loop {
        let line = lines
            .next()
            .expect("custlake serve exited before listening")
            .expect("read stderr");
        if let Some(addr) = line
            .strip_prefix("custlake is serving ")
            .and_then(|rest| rest.rsplit(" on ").next())
        {
            break addr.trim().parse().expect("address");
        }
    };
    // Keep draining stderr so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    Served { child, addr }
}

#[test]
fn psql_scripted_session() {
    let dir = lake().dir.to_str().unwrap();
    let mut served = serve(&["--data", dir], &[]);
    let script = "\
        SELECT count(*) AS customers FROM customers;\n\
        SELECT customer_type, count(*) AS n FROM customers GROUP BY customer_type ORDER BY customer_type;\n\
        SELECT * FROM no_such_table;\n\
        SELECT 1 + 1 AS two;\n\
        SET TimeZone = 'Asia/Shanghai';\n\
        RESET TimeZone;\n";
    let mut out = Command::new("psql")
        .args([
            "-X",
            "-h",
            &served.addr.ip().to_string(),
            "-p",
            &served.addr.port().to_string(),
            "-U",
            "analyst",
            "-d",
            "custlake",
            "-v",
            "ON_ERROR_STOP=0",
            "-f",
            "-",
        ])
        .env("PGCONNECT_TIMEOUT", "10")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("psql must be installed (the README's test command installs it)");
    {
        use std::io::Write;
        let mut stdin = out.stdin.take().expect("psql stdin");
        stdin
            .write_all(script.as_bytes())
            .expect("write the script");
    }
    let out = out.wait_with_output().expect("psql runs");
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();

    // Expected customer types, counted from the Parquet files themselves.
    let mut b2b = 0;
    let mut b2c = 0;
    for batch in read_table(&lake().dir.join("customers")) {
        let types = batch.column_by_name("customer_type").unwrap();
        let types = types.as_any().downcast_ref::<StringArray>().unwrap();
        for i in 0..types.len() {
            match types.value(i) {
                "B2B" => b2b += 1,
                "B2C" => b2c += 1,
                other => panic!("unexpected customer_type {other}"),
            }
        }
    }
    let expected_counts = format!(
        " customer_type |  n   \n---------------+------\n B2B           | {b2b:>4}\n B2C           | {b2c:>4}\n(2 rows)\n"
    );
    assert!(
        stdout.contains(&format!(
            " customers \n-----------\n      {LAKE_CUSTOMERS}\n(1 row)\n"
        )),
        "{stdout}"
    );
    assert!(
        stdout.contains(&expected_counts),
        "expected\n{expected_counts}\nin\n{stdout}"
    );
    assert!(stdout.contains(" two \n-----\n   2\n(1 row)\n"), "{stdout}");
    // Each command answers with PostgreSQL's tag, which psql prints.
    assert!(stdout.contains("\nSET\nRESET\n"), "{stdout}");
    assert!(
        stderr.contains("ERROR:  table 'custlake.public.no_such_table' not found"),
        "{stderr}"
    );

    // SIGTERM: the server shuts down cleanly.
    let status = Command::new("kill")
        .args(["-TERM", &served.child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    let exit = loop {
        if let Some(exit) = served.child.try_wait().unwrap() {
            break exit;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "server did not stop after SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(exit.success(), "exit status {exit:?}");
}

/// The README's first command: `custlake serve` with no lake generates the demo lake on first
/// use (here into a temporary CUSTLAKE_DEMO_DIR) and serves it; a second start reuses it.
#[tokio::test]
async fn serve_without_a_lake_generates_and_serves_the_demo_lake() {
    let dir = tempfile::tempdir().unwrap();
    let demo = dir.path().join("demo");
    let demo_str = demo.to_str().unwrap();
    let part = demo.join("customers").join("part-00000.parquet");
    let mut first_written = None;
    for start in 0..2 {
        let served = serve(&[], &[("CUSTLAKE_DEMO_DIR", demo_str)]);
        let client = connect_to(served.addr, "demo").await;
        let row = client
            .query_one(
                "SELECT count(*), count(DISTINCT customer_type) FROM customers",
                &[],
            )
            .await
            .unwrap();
        assert_eq!(
            row.get::<_, i64>(0),
            custlake::cli::DEMO_CUSTOMERS as i64,
            "start {start}"
        );
        assert_eq!(row.get::<_, i64>(1), 2);
        let orders: i64 = client
            .query_one("SELECT count(*) FROM orders", &[])
            .await
            .unwrap()
            .get(0);
        assert!(
            orders > 5 * custlake::cli::DEMO_CUSTOMERS as i64,
            "{orders} orders"
        );
        let written = std::fs::metadata(&part)
            .expect("demo customers part file")
            .modified()
            .unwrap();
        // The second start serves the lake the first one generated.
        assert_eq!(*first_written.get_or_insert(written), written);
        // Run from the project root, it serves the shipped saved queries as of the lake's
        // date, 2024-06-30, which its config names.
        let row = client
            .query_one(
                "SELECT CAST(as_of() AS VARCHAR), (SELECT count(*) FROM segments.champions) AS c, \
                 (SELECT count(*) FROM information_schema.tables WHERE table_schema = 'segments') AS v",
                &[],
            )
            .await
            .unwrap();
        assert_eq!(row.get::<_, String>(0), "2024-06-30");
        assert!(
            row.get::<_, i64>(1) > 100,
            "{} champions",
            row.get::<_, i64>(1)
        );
        // Every shipped saved query is served.
        let shipped = std::fs::read_dir(crate::common::manifest_dir().join("queries"))
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .is_ok_and(|e| e.path().extension().is_some_and(|x| x == "sql"))
            })
            .count();
        assert_eq!(row.get::<_, i64>(2), shipped as i64);
        assert_eq!(shipped, 13);
    }
}

/// SIGTERM while a statement that never yields is running: after the grace period (1 s
/// here) the statement is stopped and the process exits, instead of computing on.
#[tokio::test]
async fn sigterm_ends_the_process_after_the_grace_period() {
    let dir = tempfile::tempdir().unwrap();
    let lake_dir = lake().dir.clone();
    let mut text = String::from("[server]\nlisten = \"127.0.0.1:0\"\nshutdown_grace_secs = 1\n");
    for table in custlake::engine::CRM_TABLES {
        let location = lake_dir.join(table);
        text.push_str(&format!(
            "\n[[tables]]\nname = \"{table}\"\nlocation = \"{}\"\n",
            location.display()
        ));
    }
    let config = dir.path().join("custlake.toml");
    std::fs::write(&config, text).unwrap();
    let mut served = serve(&["--config", config.to_str().unwrap()], &[]);
    let client = connect_to(served.addr, "demo").await;
    let running = tokio::spawn(async move {
        client
            .simple_query(
                "SELECT count(*) FROM orders a, orders b, (VALUES (1), (2), (3), (4)) AS c(k) \
                 WHERE a.amount + c.k > b.amount",
            )
            .await
    });
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let status = Command::new("kill")
        .args(["-TERM", &served.child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let signalled = std::time::Instant::now();
    let exit = loop {
        if let Some(exit) = served.child.try_wait().unwrap() {
            break exit;
        }
        assert!(
            signalled.elapsed() < Duration::from_secs(15),
            "the server still runs {:?} after SIGTERM",
            signalled.elapsed()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(exit.success(), "exit status {exit:?}");
    let outcome = running.await.unwrap();
    let error = outcome.expect_err("the statement is ended by the shutdown");
    if let Some(db) = error.as_db_error() {
        assert_eq!(db.code().code(), "57P01", "{db:?}");
    }
}
