//! SQL behaviour over the wire, in sqllogictest files: every `tests/slt/*.slt` runs against
//! the server on the shared test lake, one connection per file (so `SET` stays in its file),
//! through tokio-postgres's simple query protocol — what psql and the BI tools' catalog
//! queries use. A file per PostgreSQL feature custlake rewrites or adds.
//!
//! Values are PostgreSQL's text format as the client receives it (`t`/`f`, `{a,b}`), NULL
//! as `NULL` and the empty string as `(empty)`. Column types are not checked here (the simple
//! protocol does not carry them); the wire tests check types. An error is matched against
//! `SQLSTATE: message`, so `statement error 42P01` asserts the code.
//!
//! `CUSTLAKE_SLT=name` runs only the files whose name contains `name`.

use std::path::PathBuf;

use async_trait::async_trait;
use sqllogictest::{DBOutput, DefaultColumnType, Runner};

use crate::common::TestServer;
use crate::rows::text_results;

/// A server error as `SQLSTATE: message`, or the client's own failure.
#[derive(Debug)]
struct WireError(String);

impl std::fmt::Display for WireError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for WireError {}

struct Connection {
    client: tokio_postgres::Client,
}

#[async_trait]
impl sqllogictest::AsyncDB for Connection {
    type Error = WireError;
    type ColumnType = DefaultColumnType;

    async fn run(&mut self, sql: &str) -> Result<DBOutput<DefaultColumnType>, WireError> {
        let messages = self.client.simple_query(sql).await.map_err(|e| {
            WireError(match e.as_db_error() {
                Some(db) => format!("{}: {}", db.code().code(), db.message()),
                None => e.to_string(),
            })
        })?;
        let results = text_results(&messages);
        let columns = results
            .iter()
            .rev()
            .find_map(|result| result.columns.as_ref().map(Vec::len));
        let rows: Vec<Vec<String>> = results
            .into_iter()
            .flat_map(|result| result.rows)
            .map(|row| {
                row.into_iter()
                    .map(|value| match value.as_deref() {
                        None => "NULL".to_string(),
                        Some("") => "(empty)".to_string(),
                        Some(text) => text.to_string(),
                    })
                    .collect()
            })
            .collect();
        Ok(match columns {
            Some(n) => DBOutput::Rows {
                types: vec![DefaultColumnType::Any; n],
                rows,
            },
            None => DBOutput::StatementComplete(0),
        })
    }

    async fn shutdown(&mut self) {}

    fn engine_name(&self) -> &str {
        "custlake"
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sql_files_over_the_wire() {
    let server = TestServer::start_on_lake().await;
    let dir = crate::common::manifest_dir().join("tests/slt");
    let filter = std::env::var("CUSTLAKE_SLT").unwrap_or_default();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/slt")
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "slt"))
        .filter(|path| path.to_string_lossy().contains(&filter))
        .collect();
    files.sort();
    assert!(
        !filter.is_empty() || files.len() >= 4,
        "slt files: {files:?}"
    );
    let mut failures = Vec::new();
    for file in &files {
        let mut client = Some(server.connect().await);
        let mut runner = Runner::new(move || {
            let client = client.take();
            async move {
                client
                    .map(|client| Connection { client })
                    .ok_or_else(|| WireError("one connection per file".into()))
            }
        });
        runner.with_column_validator(sqllogictest::default_column_validator);
        if let Err(error) = runner.run_file_async(file).await {
            failures.push(format!("{}: {error}", file.display()));
        }
    }
    server.stop().await;
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
