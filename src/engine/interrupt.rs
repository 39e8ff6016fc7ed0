//! Stopping a running plan at once, even where its operators do not yield.
//!
//! Dropping a DataFusion stream stops its plan only where the plan's tasks next return
//! `Pending`. A nested-loop join that finds a match for most pairs hands its parent one full
//! batch after another without ever returning `Pending`, so a cancelled statement kept its
//! worker thread (and its memory and turn) for minutes. [`interruptible`] puts an
//! [`InterruptExec`] above every operator that has inputs, just before the plan runs (after
//! the optimizer, so EXPLAIN shows the plan as planned). Each time its parent polls it, it:
//! - ends the stream with an error once the statement's [`Interrupt`] has fired;
//! - makes that interrupt current on the polling thread ([`interrupt::scope`]) while the
//!   operator below runs, so work inside one call (a model fit in an aggregate's
//!   `evaluate`) can find it and stop;
//! - spends a unit of tokio's cooperative budget, so a chain of ready batches returns to the
//!   scheduler now and then and the runtime keeps serving other connections and timers.

use std::fmt;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use custlake_udfs::interrupt::{self, Interrupt};
use datafusion::arrow::array::RecordBatch;
use datafusion::arrow::datatypes::SchemaRef;
use datafusion::common::tree_node::{Transformed, TreeNode, TreeNodeRecursion};
use datafusion::common::{DataFusionError, Result, internal_err};
use datafusion::execution::{RecordBatchStream, SendableRecordBatchStream, TaskContext};
use datafusion::physical_expr::PhysicalExpr;
use datafusion::physical_plan::{DisplayAs, DisplayFormatType, ExecutionPlan, PlanProperties};
use futures::{Stream, StreamExt};

use crate::error::{SqlError, sqlstate};

/// The error a stopped plan ends with; the server reports the reason it stopped it for.
pub const INTERRUPTED: &str = "canceling statement: the statement was interrupted";

/// `plan` with an [`InterruptExec`] above every operator that has inputs.
pub fn interruptible(
    plan: Arc<dyn ExecutionPlan>,
    interrupt: &Interrupt,
) -> Result<Arc<dyn ExecutionPlan>> {
    plan.transform_up(|node| {
        if node.children().is_empty() || node.downcast_ref::<InterruptExec>().is_some() {
            return Ok(Transformed::no(node));
        }
        Ok(Transformed::yes(Arc::new(InterruptExec::new(
            node,
            interrupt.clone(),
        ))))
    })
    .map(|transformed| transformed.data)
}

/// Passes its input's batches on until the statement's interrupt fires.
#[derive(Debug)]
pub struct InterruptExec {
    input: Arc<dyn ExecutionPlan>,
    interrupt: Interrupt,
}

impl InterruptExec {
    pub fn new(input: Arc<dyn ExecutionPlan>, interrupt: Interrupt) -> Self {
        InterruptExec { input, interrupt }
    }
}

impl DisplayAs for InterruptExec {
    fn fmt_as(&self, _format: DisplayFormatType, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "InterruptExec")
    }
}

impl ExecutionPlan for InterruptExec {
    fn name(&self) -> &str {
        "InterruptExec"
    }

    fn apply_expressions(
        &self,
        _f: &mut dyn FnMut(&Arc<dyn PhysicalExpr>) -> Result<TreeNodeRecursion>,
    ) -> Result<TreeNodeRecursion> {
        Ok(TreeNodeRecursion::Continue)
    }

    fn properties(&self) -> &Arc<PlanProperties> {
        self.input.properties()
    }

    fn children(&self) -> Vec<&Arc<dyn ExecutionPlan>> {
        vec![&self.input]
    }

    fn maintains_input_order(&self) -> Vec<bool> {
        vec![true]
    }

    fn with_new_children(
        self: Arc<Self>,
        children: Vec<Arc<dyn ExecutionPlan>>,
    ) -> Result<Arc<dyn ExecutionPlan>> {
        match <[_; 1]>::try_from(children) {
            Ok([input]) => Ok(Arc::new(InterruptExec::new(input, self.interrupt.clone()))),
            Err(children) => internal_err!("InterruptExec takes one input, not {}", children.len()),
        }
    }

    fn execute(
        &self,
        partition: usize,
        context: Arc<TaskContext>,
    ) -> Result<SendableRecordBatchStream> {
        let interrupt = self.interrupt.clone();
        // Opening the input may already run work (building a hash table's side, say).
        let input = interrupt::scope(&interrupt, || self.input.execute(partition, context))?;
        Ok(Box::pin(InterruptStream { input, interrupt }))
    }
}

struct InterruptStream {
    input: SendableRecordBatchStream,
    interrupt: Interrupt,
}

impl Stream for InterruptStream {
    type Item = Result<RecordBatch>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.interrupt.is_fired() {
            // 57014 wherever it surfaces; the server reports the reason it stopped it for.
            let interrupted = SqlError::new(sqlstate::QUERY_CANCELED, INTERRUPTED);
            return Poll::Ready(Some(Err(DataFusionError::External(Box::new(interrupted)))));
        }
        let coop = std::task::ready!(tokio::task::coop::poll_proceed(cx));
        let this = &mut *self;
        let polled = interrupt::scope(&this.interrupt, || this.input.poll_next_unpin(cx));
        if polled.is_ready() {
            coop.made_progress();
        }
        polled
    }
}

impl RecordBatchStream for InterruptStream {
    fn schema(&self) -> SchemaRef {
        self.input.schema()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::prelude::SessionContext;

    #[tokio::test]
    async fn a_fired_interrupt_ends_every_stream_of_the_plan() {
        let ctx = SessionContext::new();
        let plan = ctx
            .sql("SELECT count(*) FROM generate_series(1, 100000) a, generate_series(1, 100) b WHERE a.value > b.value")
            .await
            .unwrap()
            .create_physical_plan()
            .await
            .unwrap();
        let interrupt = Interrupt::new();
        let plan = interruptible(plan, &interrupt).unwrap();
        assert!(
            datafusion::physical_plan::displayable(plan.as_ref())
                .indent(false)
                .to_string()
                .starts_with("InterruptExec"),
        );
        let unfired = datafusion::physical_plan::collect(plan.clone(), ctx.task_ctx())
            .await
            .unwrap();
        assert_eq!(unfired[0].num_rows(), 1);
        interrupt.fire();
        let error = datafusion::physical_plan::collect(plan, ctx.task_ctx())
            .await
            .unwrap_err();
        assert!(error.to_string().contains(INTERRUPTED), "{error}");
    }
}
