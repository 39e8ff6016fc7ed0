//! The runtime DataFusion's work runs on, apart from the one that serves clients.
//!
//! An operator that computes for long inside one poll (a cross join feeding a filter, say)
//! keeps its worker thread from the scheduler. On the runtime that serves the wire, that
//! delayed everything else there — accepting, SIGTERM, timers, the watchdogs that stop
//! statements, other clients' queries — by seconds (DataFusion's own guidance is the same:
//! CPU-bound work on a runtime of its own). Plans run here; their batches cross to the
//! serving side through a channel two batches deep, so a slow reader holds the plan back.

use std::sync::Arc;

use datafusion::common::DataFusionError;
use datafusion::execution::{SendableRecordBatchStream, TaskContext};
use datafusion::physical_plan::stream::RecordBatchReceiverStream;
use datafusion::physical_plan::{ExecutionPlan, execute_stream};
use futures::StreamExt;
use tokio::runtime::{Handle, Runtime};

/// Batches a plan may compute ahead of the reader.
const AHEAD: usize = 2;

/// A multi-thread tokio runtime with one worker per core, shut down (without waiting for
/// work still inside a call) when the last engine handle is dropped.
pub struct CpuRuntime {
    handle: Handle,
    /// Taken only by `drop`.
    runtime: Option<Runtime>,
}

impl std::fmt::Debug for CpuRuntime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CpuRuntime")
    }
}

impl CpuRuntime {
    pub fn new() -> std::io::Result<Self> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .thread_name("custlake-cpu")
            .enable_all()
            .build()?;
        Ok(CpuRuntime {
            handle: runtime.handle().clone(),
            runtime: Some(runtime),
        })
    }

    /// Runs `plan` here; its batches arrive on the returned stream. Dropping the stream
    /// aborts the plan's task (and with it the tasks the plan spawned, which run here too).
    pub fn run(
        &self,
        plan: Arc<dyn ExecutionPlan>,
        task: Arc<TaskContext>,
    ) -> SendableRecordBatchStream {
        let mut builder = RecordBatchReceiverStream::builder(plan.schema(), AHEAD);
        let batches = builder.tx();
        let work = async move {
            let mut stream = execute_stream(plan, task)?;
            while let Some(batch) = stream.next().await {
                if batches.send(batch).await.is_err() {
                    break; // the reader is gone
                }
            }
            Ok::<(), DataFusionError>(())
        };
        builder.spawn_on(work, &self.handle);
        builder.build()
    }
}

impl Drop for CpuRuntime {
    fn drop(&mut self) {
        // Dropping a runtime blocks, which is not allowed inside another runtime's task.
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::prelude::SessionContext;

    #[tokio::test(flavor = "current_thread")]
    async fn plans_run_on_their_own_runtime_and_answer_the_same() {
        let ctx = SessionContext::new();
        let frame = ctx
            .sql("SELECT sum(value) AS s FROM generate_series(1, 100000)")
            .await
            .unwrap();
        let plan = frame.create_physical_plan().await.unwrap();
        let cpu = CpuRuntime::new().unwrap();
        // The test's runtime has one thread, busy with this test: the plan still runs.
        let batches: Vec<_> = cpu.run(plan, ctx.task_ctx()).collect().await;
        let batch = batches.into_iter().next().unwrap().unwrap();
        let sum = batch
            .column(0)
            .as_any()
            .downcast_ref::<datafusion::arrow::array::Int64Array>()
            .unwrap()
            .value(0);
        assert_eq!(sum, 5_000_050_000);
    }
}
