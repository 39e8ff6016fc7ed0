//! The differential test against a real PostgreSQL: the test lake's tables copied into a
//! private PostgreSQL cluster, and every query of the corpus (`tests/pgdiff/*.sql`) run on
//! both servers. Each query ends in one of three ways: the same answer; a clear refusal (a
//! SQLSTATE other than XX000); or a different answer — of which there must be none.
//!
//! The per-category counts are printed and written to `pgdiff-report.md` in cargo's scratch
//! directory for tests (`CARGO_TARGET_TMPDIR`); README.md records them.
//!
//! Different answers not yet fixed are listed, each with its cause, in
//! `tests/pgdiff/known_differences.txt`. The test fails on a different answer not listed there
//! and on a listed one that no longer differs, so the list only shrinks.

mod compare;
mod corpus;
mod load;
mod postgres;

use std::collections::BTreeMap;
use std::fmt::Write;

use compare::{Answer, Outcome, answer, classify};

use crate::common::{TestServer, manifest_dir};

/// The share of the corpus that must answer as PostgreSQL does; raised as gaps close, so a
/// change that turns answers into refusals fails.
const SAME_ANSWER_FLOOR: f64 = 0.93;

/// Settings both sessions run the corpus with.
const SESSION: &str = "SET statement_timeout = 20000";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn corpus_answers_as_postgresql_does() {
    let cluster = postgres::Cluster::start();
    let postgres = cluster.connect().await;
    let server = TestServer::start_on_lake().await;
    let mut custlake = server.connect().await;
    let copied = load::copy_lake(&custlake, &postgres).await;
    assert!(copied > 50_000, "{copied} rows copied");
    for client in [&custlake, &postgres] {
        client
            .batch_execute(SESSION)
            .await
            .expect("session settings");
    }

    let queries = corpus::load(&manifest_dir().join("tests/pgdiff"));
    assert!(
        queries.len() >= 400,
        "the corpus has {} queries",
        queries.len()
    );
    let mut outcomes = Vec::with_capacity(queries.len());
    for query in &queries {
        let theirs = answer(&postgres, &query.sql).await;
        let ours = answer(&custlake, &query.sql).await;
        if matches!(ours, Answer::Broken(_)) {
            custlake = server.connect().await;
            custlake
                .batch_execute(SESSION)
                .await
                .expect("session settings");
        }
        outcomes.push(classify(query, ours, theirs));
    }

    let report = report(&queries, &outcomes);
    println!("{report}");
    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("pgdiff-report.md");
    std::fs::write(&path, &report).expect("write the report");

    let known = known_differences();
    let failures: Vec<String> = queries
        .iter()
        .zip(&outcomes)
        .filter_map(|(query, outcome)| {
            let listed = known.contains_key(&query.place());
            let why = match outcome {
                Outcome::Different { .. } if listed => return None,
                Outcome::Different { detail } => format!("different answer: {detail}"),
                Outcome::Broken(e) => format!("the connection broke: {e}"),
                Outcome::CorpusError(e) => format!("PostgreSQL cannot run it: {e}"),
                Outcome::Refused { code, message } if code == "XX000" => {
                    format!("refused without a clear SQLSTATE: {message}")
                }
                _ if listed => "no longer a different answer: remove it from \
                                tests/pgdiff/known_differences.txt"
                    .to_string(),
                _ => return None,
            };
            Some(format!(
                "{} {why}\n    {}",
                query.place(),
                one_line(&query.sql)
            ))
        })
        .collect();
    let places: std::collections::HashSet<String> =
        queries.iter().map(|query| query.place()).collect();
    let stale: Vec<&String> = known
        .keys()
        .filter(|place| !places.contains(*place))
        .collect();
    assert!(
        stale.is_empty(),
        "tests/pgdiff/known_differences.txt lists places that hold no query: {stale:?}"
    );
    assert!(
        failures.is_empty(),
        "{} of {} queries failed:\n{}",
        failures.len(),
        queries.len(),
        failures.join("\n")
    );
    let same = outcomes
        .iter()
        .filter(|outcome| matches!(outcome, Outcome::Same { .. }))
        .count();
    let rate = same as f64 / queries.len() as f64;
    assert!(
        rate >= SAME_ANSWER_FLOOR,
        "{same} of {} queries ({:.1}%) answer as PostgreSQL does, below the floor of {:.1}%",
        queries.len(),
        rate * 100.0,
        SAME_ANSWER_FLOOR * 100.0
    );
    assert_eq!(
        server
            .stats
            .connection_panics
            .load(std::sync::atomic::Ordering::Relaxed),
        0
    );
    server.stop().await;
}

/// `tests/pgdiff/known_differences.txt`: `category.sql:line  cause` per line, `#` comments.
fn known_differences() -> BTreeMap<String, String> {
    let path = manifest_dir().join("tests/pgdiff/known_differences.txt");
    let text =
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(|line| {
            let (place, cause) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
            (place.to_string(), cause.trim().to_string())
        })
        .collect()
}

/// The per-category counts, then every refusal grouped by SQLSTATE.
fn report(queries: &[corpus::Query], outcomes: &[Outcome]) -> String {
    #[derive(Default)]
    struct Counts {
        total: usize,
        same: usize,
        refused: usize,
        different: usize,
        names: usize,
    }
    impl Counts {
        /// A line of the table, the share of same answers with `decimals` decimals.
        fn row(&self, label: &str, decimals: usize) -> String {
            format!(
                "| {label} | {} | {} ({:.decimals$}%) | {} | {} | {} |\n",
                self.total,
                self.same,
                100.0 * self.same as f64 / self.total as f64,
                self.refused,
                self.different,
                self.names
            )
        }
        fn add(&mut self, other: &Counts) {
            self.total += other.total;
            self.same += other.same;
            self.refused += other.refused;
            self.different += other.different;
            self.names += other.names;
        }
    }
    let mut by_category: BTreeMap<&str, Counts> = BTreeMap::new();
    let mut refusals: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for (query, outcome) in queries.iter().zip(outcomes) {
        let counts = by_category.entry(&query.category).or_default();
        counts.total += 1;
        match outcome {
            Outcome::Same { other_column_names } => {
                counts.same += 1;
                counts.names += usize::from(*other_column_names);
            }
            Outcome::Refused { code, message } => {
                counts.refused += 1;
                refusals.entry(code).or_default().push(format!(
                    "{}: {}",
                    query.place(),
                    one_line(message)
                ));
            }
            _ => counts.different += 1,
        }
    }
    let mut out = String::from(
        "| category | queries | same answer | refused | different | same, other column names |\n\
         |---|---:|---:|---:|---:|---:|\n",
    );
    let mut total = Counts::default();
    for (category, counts) in &by_category {
        out.push_str(&counts.row(category, 0));
        total.add(counts);
    }
    out.push_str(&total.row("**all**", 1));
    for (code, places) in &refusals {
        let _ = writeln!(out, "\n{code} ({}):", places.len());
        for place in places {
            let _ = writeln!(out, "- {place}");
        }
    }
    out
}

/// `text` on one line, shortened.
fn one_line(text: &str) -> String {
    let line = text
        .lines()
        .filter(|line| !line.trim_start().starts_with("--"))
        .map(str::trim)
        .collect::<Vec<_>>()
        .join(" ");
    if line.chars().count() > 200 {
        format!("{}…", line.chars().take(200).collect::<String>())
    } else {
        line
    }
}
