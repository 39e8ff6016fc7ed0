//! `custlake-udfs`: the customer-analytics SQL functions of custlake, as DataFusion functions,
//! and the session settings they read.
//!
//! The crate depends on DataFusion only — no wire protocol, no configuration file — so the same
//! functions run in the custlake server, in `custlake query`, and on Ballista executors. Two
//! entry points: [`register_all`] registers the functions, and [`CustlakeOptions`] is the
//! config extension (settings under `custlake.`) a session must be built with for
//! `SET custlake.…` to work:
//!
//! ```text
//! SessionConfig::new().with_option_extension(CustlakeOptions::default())
//! ```
//!
//! Each function is one struct in its own module with its signature built in `new()` and its
//! documentation attached, so it shows in `information_schema.routines`:
//!
//! | function | kind | returns |
//! |---|---|---|
//! | [`as_of()`](as_of::AsOf) | scalar | DATE: the session's `custlake.as_of`, else today (UTC) |
//! | [`nps(score)`](nps::Nps) | aggregate | DOUBLE: Net Promoter Score of 0–10 answers, −100…100 |
//!
//! Their behaviour is tested in SQL by `tests/sqllogictests.rs` (files in `tests/slt/`).

pub mod as_of;
pub mod nps;
pub mod options;

use std::sync::Arc;

use datafusion::common::Result;
use datafusion::execution::FunctionRegistry;
use datafusion::logical_expr::{AggregateUDF, DocSection, ScalarUDF, WindowUDF};

pub use options::CustlakeOptions;

/// The documentation section every function of this crate is listed under.
pub(crate) const DOC_SECTION: DocSection = DocSection {
    include: true,
    label: "Customer Analytics Functions",
    description: Some("custlake's functions for customer analytics (custlake-udfs)."),
};

/// Scalar functions of this crate.
pub fn scalar_functions() -> Vec<Arc<ScalarUDF>> {
    vec![Arc::new(ScalarUDF::from(as_of::AsOf::new()))]
}

/// Aggregate functions of this crate.
pub fn aggregate_functions() -> Vec<Arc<AggregateUDF>> {
    vec![Arc::new(AggregateUDF::from(nps::Nps::new()))]
}

/// Window functions of this crate.
pub fn window_functions() -> Vec<Arc<WindowUDF>> {
    Vec::new()
}

/// Registers every function of this crate with a DataFusion registry (a `SessionState` or a
/// `SessionContext`). Registering twice replaces the earlier registration.
///
/// `as_of()` reads [`CustlakeOptions`] from the session; without that extension it is
/// simply the current date, and `SET custlake.as_of` fails with "Could not find config
/// namespace".
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
