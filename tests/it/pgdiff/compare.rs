//! Running one query on both servers and classifying the two answers.
//!
//! Answers are compared as the text a client receives through the simple query protocol:
//! every value to the digit (numbers to their scale, timestamps to the microsecond), NULL
//! apart from the empty string, rows in order where the query orders them and as multisets
//! where it does not. Column names are compared too, but reported apart: a client reads
//! values by position far more often than by name.

use tokio_postgres::{Client, SimpleQueryMessage};

use super::corpus::Query;
use crate::rows::{TextRow, text_results};

/// What one statement answered.
#[derive(Debug, PartialEq)]
pub enum Answer {
    Rows {
        columns: Vec<String>,
        rows: Vec<TextRow>,
    },
    Error {
        code: String,
        message: String,
    },
    /// The connection broke: never acceptable from custlake.
    Broken(String),
}

pub async fn answer(client: &Client, sql: &str) -> Answer {
    match client.simple_query(sql).await {
        Ok(messages) => rows_of(&messages),
        Err(error) => match error.as_db_error() {
            Some(db) => Answer::Error {
                code: db.code().code().to_string(),
                message: db.message().to_string(),
            },
            None => Answer::Broken(error.to_string()),
        },
    }
}

/// The rows of the last statement that described rows (a corpus query is one statement).
fn rows_of(messages: &[SimpleQueryMessage]) -> Answer {
    let result = text_results(messages)
        .into_iter()
        .rev()
        .find(|result| result.columns.is_some());
    match result {
        Some(result) => Answer::Rows {
            columns: result.columns.unwrap_or_default(),
            rows: result.rows,
        },
        None => Answer::Rows {
            columns: Vec::new(),
            rows: Vec::new(),
        },
    }
}

#[derive(Debug)]
pub enum Outcome {
    /// The same rows (and, where PostgreSQL failed, the same SQLSTATE).
    Same { other_column_names: bool },
    /// custlake refused: a clear error where PostgreSQL answered (or another SQLSTATE
    /// where PostgreSQL failed too).
    Refused { code: String, message: String },
    /// A different answer: the bug that must not exist.
    Different { detail: String },
    /// custlake's connection broke.
    Broken(String),
    /// PostgreSQL itself cannot run the query: a mistake in the corpus.
    CorpusError(String),
}

pub fn classify(query: &Query, ours: Answer, theirs: Answer) -> Outcome {
    match (ours, theirs) {
        (_, Answer::Broken(e)) => Outcome::CorpusError(format!("PostgreSQL connection: {e}")),
        (Answer::Broken(e), _) => Outcome::Broken(e),
        (Answer::Error { code, message }, Answer::Error { code: expected, .. }) => {
            if code == expected {
                Outcome::Same {
                    other_column_names: false,
                }
            } else {
                Outcome::Refused { code, message }
            }
        }
        (Answer::Rows { rows, .. }, Answer::Error { code, message }) => Outcome::Different {
            detail: format!(
                "PostgreSQL fails with {code} ({message}); custlake answers {} row(s){}",
                rows.len(),
                rows.first()
                    .map(|row| format!(", the first {}", show(row)))
                    .unwrap_or_default()
            ),
        },
        (Answer::Error { code, message }, Answer::Rows { .. }) => {
            Outcome::Refused { code, message }
        }
        (
            Answer::Rows {
                columns: our_columns,
                rows: mut ours,
            },
            Answer::Rows {
                columns: their_columns,
                rows: mut theirs,
            },
        ) => {
            if our_columns.len() != their_columns.len() {
                return Outcome::Different {
                    detail: format!(
                        "{} column(s) {our_columns:?} where PostgreSQL has {} {their_columns:?}",
                        our_columns.len(),
                        their_columns.len()
                    ),
                };
            }
            if !query.ordered {
                ours.sort();
                theirs.sort();
            }
            match first_difference(&ours, &theirs) {
                None => Outcome::Same {
                    other_column_names: our_columns != their_columns,
                },
                Some(detail) => Outcome::Different { detail },
            }
        }
    }
}

fn first_difference(ours: &[TextRow], theirs: &[TextRow]) -> Option<String> {
    let at = ours
        .iter()
        .zip(theirs)
        .position(|(ours, theirs)| ours != theirs);
    match at {
        Some(i) => Some(format!(
            "row {i} of {}: custlake {} where PostgreSQL has {}",
            theirs.len(),
            show(&ours[i]),
            show(&theirs[i])
        )),
        None if ours.len() != theirs.len() => Some(format!(
            "{} row(s) where PostgreSQL has {}",
            ours.len(),
            theirs.len()
        )),
        None => None,
    }
}

/// A row as `(a, NULL, c)`, long rows cut short.
fn show(row: &TextRow) -> String {
    let values: Vec<String> = row
        .iter()
        .map(|value| match value {
            None => "NULL".to_string(),
            Some(text) if text.chars().count() > 60 => {
                format!("{:?}…", text.chars().take(60).collect::<String>())
            }
            Some(text) => format!("{text:?}"),
        })
        .collect();
    format!("({})", values.join(", "))
}
