//! Copies the lake's tables into PostgreSQL: each table created with the column types
//! custlake reports for it (numerics with their precision and scale), and filled with
//! `COPY … FROM STDIN` from the rows custlake sends in text form — so both servers hold
//! exactly the same values. The keys the corpus correlates by are indexed.

use bytes::Bytes;
use futures::SinkExt;
use tokio_postgres::Client;

use crate::rows::{TextRow, simple_rows};

/// Creates and fills every table of the generated lake in `postgres` from `custlake`; returns the
/// number of rows copied.
pub async fn copy_lake(custlake: &Client, postgres: &Client) -> usize {
    let mut copied = 0;
    for table in custlake::lakegen::TABLE_NAMES {
        let columns = simple_rows(
            custlake,
            &format!(
                "SELECT column_name, data_type, numeric_precision, numeric_scale \
                 FROM information_schema.columns \
                 WHERE table_schema = 'public' AND table_name = '{table}' \
                 ORDER BY ordinal_position"
            ),
        )
        .await;
        assert!(!columns.is_empty(), "custlake has no table {table}");
        let definitions: Vec<String> = columns.iter().map(column_definition).collect();
        postgres
            .batch_execute(&format!(
                "CREATE TABLE {table} ({})",
                definitions.join(", ")
            ))
            .await
            .unwrap_or_else(|e| panic!("create {table} in PostgreSQL: {e}"));
        let rows = simple_rows(custlake, &format!("SELECT * FROM {table}")).await;
        let sink = postgres
            .copy_in(&format!("COPY {table} FROM STDIN"))
            .await
            .unwrap_or_else(|e| panic!("COPY {table}: {e}"));
        futures::pin_mut!(sink);
        for chunk in rows.chunks(4096) {
            sink.send(Bytes::from(copy_text(chunk)))
                .await
                .unwrap_or_else(|e| panic!("COPY {table}: {e}"));
        }
        let count = sink
            .finish()
            .await
            .unwrap_or_else(|e| panic!("COPY {table}: {e}"));
        assert_eq!(count as usize, rows.len(), "rows copied into {table}");
        copied += rows.len();
    }
    // Indexes on the keys the corpus joins and correlates by, as a real database has them:
    // without, PostgreSQL runs a correlated subquery over orders in seconds (18 s for one),
    // near the statement timeout on a loaded machine. Answers do not depend on them.
    postgres
        .batch_execute(
            "CREATE INDEX ON orders (customer_id); CREATE INDEX ON order_items (order_id); \
             CREATE INDEX ON interactions (customer_id); ANALYZE",
        )
        .await
        .expect("indexes and ANALYZE in PostgreSQL");
    copied
}

/// `name type` from a row of (column_name, data_type, numeric_precision, numeric_scale).
fn column_definition(column: &TextRow) -> String {
    let text = |i: usize| column[i].as_deref().unwrap_or_default();
    let data_type = match (text(1), &column[2], &column[3]) {
        ("numeric", Some(precision), Some(scale)) => format!("numeric({precision}, {scale})"),
        (other, _, _) => other.to_string(),
    };
    format!("\"{}\" {data_type}", text(0))
}

/// Rows in COPY's text format: tab-separated, `\N` for NULL, backslash escapes.
fn copy_text(rows: &[TextRow]) -> String {
    let mut out = String::new();
    for row in rows {
        for (i, value) in row.iter().enumerate() {
            if i > 0 {
                out.push('\t');
            }
            match value {
                None => out.push_str("\\N"),
                Some(value) => {
                    for c in value.chars() {
                        match c {
                            '\\' => out.push_str("\\\\"),
                            '\t' => out.push_str("\\t"),
                            '\n' => out.push_str("\\n"),
                            '\r' => out.push_str("\\r"),
                            c => out.push(c),
                        }
                    }
                }
            }
        }
        out.push('\n');
    }
    out
}
