//! The row stream: DataFusion batches → DataRows, one batch at a time, pulled by pgwire as it
//! writes to the socket, so no step holds a whole result. It ends early, with the reason,
//! when the statement is stopped (see [`super::cancel`]).

use datafusion::execution::SendableRecordBatchStream;
use futures::{Stream, StreamExt};
use pgwire::error::PgWireResult;
use pgwire::messages::data::DataRow;
use tokio::sync::OwnedSemaphorePermit;

use super::cancel::StatementStop;
use super::encode::BatchEncoder;
use super::error::to_pgwire;
use super::shutdown::InFlightGuard;
use crate::error::SqlError;

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

pub struct RowStream {
    batches: SendableRecordBatchStream,
    encoder: BatchEncoder,
    pending: std::vec::IntoIter<DataRow>,
    running: Running,
    done: bool,
}

impl RowStream {
    pub fn new(
        batches: SendableRecordBatchStream,
        encoder: BatchEncoder,
        running: Running,
    ) -> Self {
        RowStream {
            batches,
            encoder,
            pending: Vec::new().into_iter(),
            running,
            done: false,
        }
    }

    pub fn into_stream(self) -> impl Stream<Item = PgWireResult<DataRow>> + Send + 'static {
        futures::stream::unfold(self, |mut rows| async move {
            let item = rows.next_row().await?;
            Some((item, rows))
        })
    }

    /// Ends the stream with `error`. Dropping the batches stops DataFusion's plan and frees
    /// its memory now, not when the portal is closed.
    fn end(&mut self, error: SqlError) -> Option<PgWireResult<DataRow>> {
        self.done = true;
        self.batches = Box::pin(datafusion::physical_plan::EmptyRecordBatchStream::new(
            self.batches.schema(),
        ));
        Some(Err(to_pgwire(error)))
    }

    async fn next_row(&mut self) -> Option<PgWireResult<DataRow>> {
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
