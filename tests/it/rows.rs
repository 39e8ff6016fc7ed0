//! Query results as plain Rust values, one way for every test: the rows of the extended
//! protocol (typed, through `FromSql`: `column`, `tuples`) and the messages of a simple query
//! (text, `None` for NULL: `text_results` and what is read from it).

use tokio_postgres::types::FromSql;
use tokio_postgres::{Client, Row, SimpleQueryMessage};

/// One column of every row, as `T` (panics where a value does not decode as `T`).
pub fn column<T: for<'a> FromSql<'a>>(rows: &[Row], index: usize) -> Vec<T> {
    rows.iter().map(|row| row.get(index)).collect()
}

/// A row's first columns as a tuple, each through `FromSql`.
pub trait FromRow {
    fn from_row(row: &Row) -> Self;
}

macro_rules! tuple_from_row {
    ($($t:ident $i:tt),+) => {
        impl<$($t: for<'a> FromSql<'a>),+> FromRow for ($($t,)+) {
            fn from_row(row: &Row) -> Self {
                ($(row.get($i),)+)
            }
        }
    };
}

tuple_from_row!(A 0, B 1);
tuple_from_row!(A 0, B 1, C 2);
tuple_from_row!(A 0, B 1, C 2, D 3);

/// Every row as a tuple of its first columns: `let pairs: Vec<(String, i64)> = tuples(&rows)`.
pub fn tuples<T: FromRow>(rows: &[Row]) -> Vec<T> {
    rows.iter().map(T::from_row).collect()
}

/// A row of a simple query: each value's text, `None` for NULL.
pub type TextRow = Vec<Option<String>>;

/// What one statement of a simple query sent.
#[derive(Debug, Default)]
pub struct TextResult {
    /// The column names of its RowDescription (`None`: it described no rows, as `SET`).
    pub columns: Option<Vec<String>>,
    pub rows: Vec<TextRow>,
    /// The row count of its CommandComplete (`None` if it sent none).
    pub tag: Option<u64>,
}

/// The messages of a simple query, one result per statement.
pub fn text_results(messages: &[SimpleQueryMessage]) -> Vec<TextResult> {
    let mut results = Vec::new();
    let mut current: Option<TextResult> = None;
    for message in messages {
        match message {
            SimpleQueryMessage::RowDescription(columns) => {
                results.extend(current.take());
                current = Some(TextResult {
                    columns: Some(columns.iter().map(|c| c.name().to_string()).collect()),
                    ..TextResult::default()
                });
            }
            SimpleQueryMessage::Row(row) => current.get_or_insert_default().rows.push(
                (0..row.len())
                    .map(|i| row.get(i).map(str::to_string))
                    .collect(),
            ),
            SimpleQueryMessage::CommandComplete(n) => {
                let mut result = current.take().unwrap_or_default();
                result.tag = Some(*n);
                results.push(result);
            }
            _ => {}
        }
    }
    results.extend(current);
    results
}

/// The rows of every statement of a simple query, in order.
pub fn text_rows(messages: &[SimpleQueryMessage]) -> Vec<TextRow> {
    text_results(messages)
        .into_iter()
        .flat_map(|result| result.rows)
        .collect()
}

/// The rows of the last statement that described rows (a `SET` after a `SELECT` sends none).
pub fn last_text_rows(messages: &[SimpleQueryMessage]) -> Vec<TextRow> {
    text_results(messages)
        .into_iter()
        .rev()
        .find(|result| result.columns.is_some())
        .map(|result| result.rows)
        .unwrap_or_default()
}

/// Runs `sql` as a simple query, panicking with the statement on an error.
async fn run_simple(client: &Client, sql: &str) -> Vec<SimpleQueryMessage> {
    client
        .simple_query(sql)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e:?}"))
}

/// Runs `sql` as a simple query: the rows of every statement, as text.
pub async fn simple_rows(client: &Client, sql: &str) -> Vec<TextRow> {
    text_rows(&run_simple(client, sql).await)
}

/// One column of text rows, NULL as the empty string.
pub fn text_column(rows: &[TextRow], index: usize) -> Vec<String> {
    rows.iter()
        .map(|row| row[index].clone().unwrap_or_default())
        .collect()
}
