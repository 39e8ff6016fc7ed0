//! The benchmark harness's client (`bench/bench.py` runs it): the same Rust PostgreSQL client
//! (tokio-postgres) against custlake and against PostgreSQL, so that what is compared is the
//! servers, not two client libraries. Each mode prints one JSON object on stdout.
//!
//! - `stream DSN SQL text|binary`: runs the query once and receives every row — text format
//!   through the simple query protocol, binary through the extended one — counting rows and
//!   not decoding values (the client's share of the time stays small and equal on both sides).
//! - `latency DSN SQL COUNT [MAX_ID]`: runs the query COUNT times one after another, each a
//!   single round trip (Parse, Bind, Execute, Sync with an unnamed statement); with MAX_ID,
//!   `$1` is a bigint cycling through 1..=MAX_ID. Reports each run's latency percentiles.
//! - `load DSN SECONDS CLIENTS FILE`: CLIENTS connections each run the statements of FILE
//!   (one per line) in turn, from a different starting point, until SECONDS have passed.
//!   Reports completed statements, errors (with the first few messages) and latency
//!   percentiles.

use std::time::{Duration, Instant};

use futures::{StreamExt, pin_mut};
use serde_json::json;
use tokio_postgres::types::{ToSql, Type};
use tokio_postgres::{Client, NoTls, SimpleQueryMessage};

type Error = Box<dyn std::error::Error + Send + Sync>;

async fn connect(dsn: &str) -> Result<Client, Error> {
    let (client, connection) = tokio_postgres::connect(dsn, NoTls).await?;
    tokio::spawn(async move {
        if let Err(e) = connection.await {
            eprintln!("connection: {e}");
        }
    });
    Ok(client)
}

/// The `p`-th percentile (0–100) of sorted seconds, by the nearest-rank method.
fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn summary(mut seconds: Vec<f64>) -> serde_json::Value {
    seconds.sort_by(f64::total_cmp);
    json!({
        "count": seconds.len(),
        "p50_ms": percentile(&seconds, 50.0) * 1e3,
        "p99_ms": percentile(&seconds, 99.0) * 1e3,
        "max_ms": seconds.last().copied().unwrap_or(f64::NAN) * 1e3,
    })
}

async fn stream(dsn: &str, sql: &str, format: &str) -> Result<serde_json::Value, Error> {
    let client = connect(dsn).await?;
    let started = Instant::now();
    let mut rows: u64 = 0;
    match format {
        "text" => {
            let messages = client.simple_query_raw(sql).await?;
            pin_mut!(messages);
            while let Some(message) = messages.next().await {
                if let SimpleQueryMessage::Row(_) = message? {
                    rows += 1;
                }
            }
        }
        "binary" => {
            let stream = client
                .query_typed_raw(sql, std::iter::empty::<(&(dyn ToSql + Sync), Type)>())
                .await?;
            pin_mut!(stream);
            while let Some(row) = stream.next().await {
                row?;
                rows += 1;
            }
        }
        other => return Err(format!("format must be text or binary, not {other}").into()),
    }
    let seconds = started.elapsed().as_secs_f64();
    Ok(json!({"rows": rows, "seconds": seconds, "rows_per_second": rows as f64 / seconds}))
}

async fn latency(
    dsn: &str,
    sql: &str,
    count: usize,
    max_id: Option<i64>,
) -> Result<serde_json::Value, Error> {
    let client = connect(dsn).await?;
    let mut seconds = Vec::with_capacity(count);
    for i in 0..count {
        // Spread over the ids (a stride coprime to most sizes) rather than 1, 2, 3, …
        let id = max_id.map(|max| (i as i64 * 7919) % max + 1);
        let started = Instant::now();
        let rows = match &id {
            Some(id) => client.query_typed(sql, &[(id, Type::INT8)]).await?,
            None => client.query_typed(sql, &[]).await?,
        };
        seconds.push(started.elapsed().as_secs_f64());
        if rows.is_empty() {
            return Err(format!("no row for {sql} with {id:?}").into());
        }
    }
    Ok(summary(seconds))
}

async fn load(
    dsn: &str,
    duration: Duration,
    clients: usize,
    statements: Vec<String>,
) -> Result<serde_json::Value, Error> {
    let deadline = Instant::now() + duration;
    let mut tasks = Vec::with_capacity(clients);
    for c in 0..clients {
        let client = connect(dsn).await?;
        let statements = statements.clone();
        tasks.push(tokio::spawn(async move {
            let mut seconds = Vec::new();
            let mut errors = Vec::new();
            let mut i = c;
            while Instant::now() < deadline {
                let sql = &statements[i % statements.len()];
                i += 1;
                let started = Instant::now();
                match client.simple_query(sql).await {
                    Ok(_) => seconds.push(started.elapsed().as_secs_f64()),
                    Err(e) => errors.push(match e.as_db_error() {
                        Some(db) => format!("{}: {}", db.code().code(), db.message()),
                        None => e.to_string(),
                    }),
                }
            }
            (seconds, errors)
        }));
    }
    let started = Instant::now();
    let mut seconds = Vec::new();
    let mut errors = Vec::new();
    for task in tasks {
        let (s, e) = task.await?;
        seconds.extend(s);
        errors.extend(e);
    }
    let elapsed = started.elapsed().as_secs_f64().max(duration.as_secs_f64());
    let completed = seconds.len();
    let mut result = summary(seconds);
    result["clients"] = json!(clients);
    result["seconds"] = json!(elapsed);
    result["statements_per_second"] = json!(completed as f64 / elapsed);
    result["errors"] = json!(errors.len());
    errors.truncate(5);
    result["first_errors"] = json!(errors);
    Ok(result)
}

async fn run(args: &[String]) -> Result<serde_json::Value, Error> {
    let number = |i: usize| -> Result<u64, Error> {
        args.get(i)
            .ok_or("missing argument")?
            .parse::<u64>()
            .map_err(|e| format!("argument {i}: {e}").into())
    };
    match args.first().map(String::as_str) {
        Some("stream") if args.len() == 4 => stream(&args[1], &args[2], &args[3]).await,
        Some("latency") if args.len() == 4 || args.len() == 5 => {
            let max_id = if args.len() == 5 {
                Some(number(4)? as i64)
            } else {
                None
            };
            latency(&args[1], &args[2], number(3)? as usize, max_id).await
        }
        Some("load") if args.len() == 5 => {
            let statements: Vec<String> = std::fs::read_to_string(&args[4])?
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with("--"))
                .map(String::from)
                .collect();
            if statements.is_empty() {
                return Err(format!("{} holds no statement", args[4]).into());
            }
            let seconds = Duration::from_secs(number(2)?);
            load(&args[1], seconds, number(3)? as usize, statements).await
        }
        _ => Err("usage: custlake-bench-client stream DSN SQL text|binary | latency DSN SQL COUNT [MAX_ID] | load DSN SECONDS CLIENTS FILE".into()),
    }
}

#[tokio::main(flavor = "multi_thread")]
async fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args).await {
        Ok(value) => {
            println!("{value}");
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("custlake-bench-client: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::percentile;

    #[test]
    fn nearest_rank_percentiles() {
        let sorted: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(percentile(&sorted, 50.0), 50.0);
        assert_eq!(percentile(&sorted, 99.0), 99.0);
        assert_eq!(percentile(&sorted, 100.0), 100.0);
        assert_eq!(percentile(&[3.0], 99.0), 3.0);
        assert!(percentile(&[], 50.0).is_nan());
    }
}
