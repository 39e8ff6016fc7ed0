//! The row stream: DataFusion batches → messages (DataRows of a query, CopyData of a COPY),
//! one batch at a time, pulled as the messages are written to the socket, so no step holds a
//! whole result. It ends early, with the reason, when the statement is stopped (see
//! [`super::cancel`]).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use datafusion::arrow::array::RecordBatch;
use datafusion::execution::SendableRecordBatchStream;
use futures::{Stream, StreamExt};
use pgwire::error::PgWireResult;
use pgwire::messages::copy::CopyData;
use pgwire::messages::data::DataRow;
use tokio::sync::OwnedSemaphorePermit;

use super::cancel::StatementStop;
use super::encode::copy::CopyEncoder;
use super::encode::{BatchEncoder, EncodeError};
use super::error::to_pgwire;
use super::shutdown::InFlightGuard;
use crate::error::SqlError;

/// Turns batches into the messages that carry them.
pub trait Frames: Send + 'static {
    type Frame: Send + 'static;
    /// What is sent before the first row.
    fn start(&mut self, _out: &mut Vec<Self::Frame>) {}
    fn encode(
        &mut self,
        batch: &RecordBatch,
        out: &mut Vec<Self::Frame>,
    ) -> Result<(), EncodeError>;
    /// What is sent after the last row.
    fn finish(&mut self, _out: &mut Vec<Self::Frame>) {}
}

impl Frames for BatchEncoder {
    type Frame = DataRow;
    fn encode(&mut self, batch: &RecordBatch, out: &mut Vec<DataRow>) -> Result<(), EncodeError> {
        BatchEncoder::encode(self, batch, out)
    }
}

/// A COPY's rows, counted for its `COPY n` tag.
pub struct CopyFrames {
    pub encoder: CopyEncoder,
    pub rows: Arc<AtomicU64>,
}

impl Frames for CopyFrames {
    type Frame = CopyData;
    fn start(&mut self, out: &mut Vec<CopyData>) {
        self.encoder.start(out);
    }
    fn encode(&mut self, batch: &RecordBatch, out: &mut Vec<CopyData>) -> Result<(), EncodeError> {
        let rows = self.encoder.encode(batch, out)?;
        self.rows.fetch_add(rows as u64, Ordering::Relaxed);
        Ok(())
    }
    fn finish(&mut self, out: &mut Vec<CopyData>) {
        self.encoder.finish(out);
    }
}

/// What a statement holds while its rows are computed and sent: the server's count of
/// running statements, its turn to run (none for SHOW's rows), and its stop.
pub struct Running {
    _in_flight: InFlightGuard,
    _turn: Option<OwnedSemaphorePermit>,
    stop: StatementStop,
}

impl Running {
    pub fn new(
        in_flight: InFlightGuard,
        turn: Option<OwnedSemaphorePermit>,
        stop: StatementStop,
    ) -> Self {
        Running {
            _in_flight: in_flight,
            _turn: turn,
            stop,
        }
    }
}

pub struct RowStream<E: Frames> {
    batches: SendableRecordBatchStream,
    encoder: E,
    pending: std::vec::IntoIter<E::Frame>,
    running: Running,
    started: bool,
    finished: bool,
    done: bool,
}

impl<E: Frames> RowStream<E> {
    pub fn new(batches: SendableRecordBatchStream, encoder: E, running: Running) -> Self {
        RowStream {
            batches,
            encoder,
            pending: Vec::new().into_iter(),
            running,
            started: false,
            finished: false,
            done: false,
        }
    }

    pub fn into_stream(self) -> impl Stream<Item = PgWireResult<E::Frame>> + Send + 'static {
        futures::stream::unfold(self, |mut rows| async move {
            let item = rows.next_row().await?;
            Some((item, rows))
        })
    }

    /// Ends the stream with `error`. Dropping the batches stops DataFusion's plan and frees
    /// its memory now, not when the portal is closed.
    fn end(&mut self, error: SqlError) -> Option<PgWireResult<E::Frame>> {
        self.done = true;
        self.batches = Box::pin(datafusion::physical_plan::EmptyRecordBatchStream::new(
            self.batches.schema(),
        ));
        Some(Err(to_pgwire(error)))
    }

    async fn next_row(&mut self) -> Option<PgWireResult<E::Frame>> {
        if !std::mem::replace(&mut self.started, true) {
            let mut first = Vec::new();
            self.encoder.start(&mut first);
            self.pending = first.into_iter();
        }
        loop {
            if self.done {
                return None;
            }
            // Checked per row too: a suspended portal may sit on the rest of an encoded batch.
            if let Some(error) = self.running.stop.already_stopped() {
                return self.end(error);
            }
            if let Some(row) = self.pending.next() {
                return Some(Ok(row));
            }
            let next = tokio::select! {
                biased;
                error = self.running.stop.stopped() => return self.end(error),
                next = self.batches.next() => next,
            };
            match next {
                None if !self.finished => {
                    self.finished = true;
                    let mut last = Vec::new();
                    self.encoder.finish(&mut last);
                    self.pending = last.into_iter();
                }
                None => {
                    self.done = true;
                    return None;
                }
                Some(Err(e)) => {
                    // A plan stopped by its interrupt reports why it was stopped.
                    let error = self
                        .running
                        .stop
                        .already_stopped()
                        .unwrap_or_else(|| SqlError::from(e));
                    return self.end(error);
                }
                Some(Ok(batch)) => {
                    let mut rows = Vec::with_capacity(batch.num_rows());
                    if let Err(e) = self.encoder.encode(&batch, &mut rows) {
                        return self.end(e.into());
                    }
                    self.pending = rows.into_iter();
                }
            }
        }
    }
}
