//! SQL cursors (`DECLARE … CURSOR FOR`, `FETCH`, `CLOSE`), which Tableau and psycopg's
//! server-side cursors use to read a large result in pieces. A cursor keeps the running
//! DataFusion stream; each FETCH pulls only the rows it returns, so a cursor over a billion
//! rows costs what its fetched batches cost.
//!
//! Cursors are forward-only (`NO SCROLL`, what PostgreSQL gives a query it cannot scroll
//! cheaply). One declared without `WITH HOLD` ends with its transaction; one `WITH HOLD`
//! lives until `CLOSE` or the end of the session — the lake is read from immutable files, so
//! its rows are those of its snapshot either way.

use std::collections::HashMap;
use std::sync::Arc;

use custlake_udfs::interrupt::Interrupt;
use datafusion::arrow::array::RecordBatch;
use datafusion::arrow::datatypes::SchemaRef;
use datafusion::execution::SendableRecordBatchStream;
use datafusion::physical_plan::stream::RecordBatchStreamAdapter;
use futures::StreamExt;
use tokio::sync::Mutex;

use crate::error::{SqlError, sqlstate};

/// How many rows a FETCH asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FetchCount {
    Rows(u64),
    All,
}

struct CursorState {
    stream: SendableRecordBatchStream,
    /// Rows of the last batch that the previous FETCH did not take.
    leftover: Option<RecordBatch>,
}

/// One open cursor.
pub struct Cursor {
    schema: SchemaRef,
    hold: bool,
    /// Stops the cursor's plan: fired when a FETCH from it is cancelled or times out, after
    /// which the cursor fails as a PostgreSQL portal does after an error.
    interrupt: Interrupt,
    state: Arc<Mutex<CursorState>>,
}

/// The session's open cursors, by name.
#[derive(Default)]
pub struct Cursors {
    open: std::sync::Mutex<HashMap<String, Cursor>>,
}

fn no_cursor(name: &str) -> SqlError {
    SqlError::new(
        sqlstate::INVALID_CURSOR_NAME,
        format!("cursor \"{name}\" does not exist"),
    )
}

impl Cursors {
    fn open(&self) -> std::sync::MutexGuard<'_, HashMap<String, Cursor>> {
        self.open.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Opens cursor `name` on a started stream, which `interrupt` stops.
    pub fn declare(
        &self,
        name: &str,
        stream: SendableRecordBatchStream,
        hold: bool,
        interrupt: Interrupt,
    ) -> Result<(), SqlError> {
        let mut open = self.open();
        if open.contains_key(name) {
            return Err(SqlError::new(
                sqlstate::DUPLICATE_CURSOR,
                format!("cursor \"{name}\" already exists"),
            ));
        }
        open.insert(
            name.to_string(),
            Cursor {
                schema: stream.schema(),
                hold,
                interrupt,
                state: Arc::new(Mutex::new(CursorState {
                    stream,
                    leftover: None,
                })),
            },
        );
        Ok(())
    }

    /// The columns a FETCH from `name` returns.
    pub fn schema(&self, name: &str) -> Result<SchemaRef, SqlError> {
        self.open()
            .get(name)
            .map(|c| Arc::clone(&c.schema))
            .ok_or_else(|| no_cursor(name))
    }

    /// What stops cursor `name`'s plan.
    pub fn interrupt(&self, name: &str) -> Result<Interrupt, SqlError> {
        self.open()
            .get(name)
            .map(|c| c.interrupt.clone())
            .ok_or_else(|| no_cursor(name))
    }

    /// The next `count` rows of cursor `name`, as a stream that pulls them from the
    /// cursor's plan as it is read.
    pub fn fetch(
        &self,
        name: &str,
        count: FetchCount,
    ) -> Result<SendableRecordBatchStream, SqlError> {
        let (schema, state) = {
            let open = self.open();
            let cursor = open.get(name).ok_or_else(|| no_cursor(name))?;
            (Arc::clone(&cursor.schema), Arc::clone(&cursor.state))
        };
        let remaining = match count {
            FetchCount::Rows(n) => n,
            FetchCount::All => u64::MAX,
        };
        let rows = futures::stream::unfold((state, remaining), |(state, remaining)| async move {
            if remaining == 0 {
                return None;
            }
            let mut cursor = state.lock().await;
            let batch = match cursor.leftover.take() {
                Some(batch) => batch,
                None => loop {
                    match cursor.stream.next().await {
                        Some(Ok(batch)) if batch.num_rows() == 0 => continue,
                        Some(Ok(batch)) => break batch,
                        Some(Err(e)) => return Some((Err(e), (Arc::clone(&state), 0))),
                        None => return None,
                    }
                },
            };
            let rows = batch.num_rows() as u64;
            let (batch, remaining) = if rows > remaining {
                let take = remaining as usize;
                cursor.leftover = Some(batch.slice(take, batch.num_rows() - take));
                (batch.slice(0, take), 0)
            } else {
                (batch, remaining - rows)
            };
            drop(cursor);
            Some((Ok(batch), (state, remaining)))
        });
        Ok(Box::pin(RecordBatchStreamAdapter::new(schema, rows)))
    }

    /// The names and columns of the open cursors (they are portals to the protocol too).
    pub fn list(&self) -> Vec<(String, SchemaRef)> {
        self.open()
            .iter()
            .map(|(name, cursor)| (name.clone(), Arc::clone(&cursor.schema)))
            .collect()
    }

    /// `CLOSE name`.
    pub fn close(&self, name: &str) -> Result<(), SqlError> {
        self.open()
            .remove(name)
            .map(|_| ())
            .ok_or_else(|| no_cursor(name))
    }

    /// `CLOSE ALL`, `DISCARD ALL`.
    pub fn close_all(&self) {
        self.open().clear();
    }

    /// At the end of a transaction: the cursors declared without `WITH HOLD` end with it.
    pub fn close_transaction_cursors(&self) {
        self.open().retain(|_, cursor| cursor.hold);
    }
}
