//! `custlake-udfs`: the customer-analytics SQL functions of custlake, as DataFusion functions.
//!
//! The crate depends on DataFusion only — no wire protocol, no configuration — so the same
//! functions run in the custlake server, in `custlake query`, and on Ballista executors. The one
//! entry point is [`register_all`], which the engine calls when it builds its session state.
//! Each function is one struct with its signature built in `new()` and its documentation
//! attached, so it shows in `information_schema.routines`.

use std::sync::Arc;

use datafusion::common::Result;
use datafusion::execution::FunctionRegistry;
use datafusion::logical_expr::{AggregateUDF, ScalarUDF, WindowUDF};

/// Scalar functions of this crate.
pub fn scalar_functions() -> Vec<Arc<ScalarUDF>> {
    Vec::new()
}

/// Aggregate functions of this crate.
pub fn aggregate_functions() -> Vec<Arc<AggregateUDF>> {
    Vec::new()
}

/// Window functions of this crate.
pub fn window_functions() -> Vec<Arc<WindowUDF>> {
    Vec::new()
}

/// Registers every function of this crate with a DataFusion registry (a `SessionState` or a
/// `SessionContext`). Registering twice replaces the earlier registration.
pub fn register_all(registry: &mut dyn FunctionRegistry) -> Result<()> {
    for function in scalar_functions() {
        registry.register_udf(function)?;
    }
    for function in aggregate_functions() {
        registry.register_udaf(function)?;
    }
    for function in window_functions() {
        registry.register_udwf(function)?;
    }
    Ok(())
}
