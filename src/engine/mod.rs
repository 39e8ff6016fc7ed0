//! The one seam between configuration and query execution: [`build_state`] turns a validated
//! [`Config`] into a DataFusion [`SessionState`] — memory pool, spill directory, file-listing
//! refresh, object stores, every function of `custlake-udfs`, an optimizer rule for date
//! filters on timestamps, the lake's tables — and [`Engine`] adds the saved queries.
//!
//! Everything that runs queries (the server, `custlake query`, tests, later a Ballista executor)
//! gets its engine from here; nothing else registers tables or functions. The engine knows the
//! CRM lake but nothing of the wire protocol.

mod cpu;
mod date_filters;
mod interrupt;
mod lake;
mod saved_queries;

use std::num::NonZeroUsize;
use std::sync::Arc;

use datafusion::error::DataFusionError;
use datafusion::execution::SessionStateBuilder;
use datafusion::execution::context::SessionState;
use datafusion::execution::disk_manager::{DiskManagerBuilder, DiskManagerMode};
use datafusion::execution::memory_pool::{FairSpillPool, TrackConsumersPool};
use datafusion::execution::runtime_env::RuntimeEnvBuilder;
use datafusion::logical_expr::LogicalPlan;
use datafusion::prelude::{SessionConfig, SessionContext};

use crate::config::Config;
use crate::error::SqlError;
use crate::pgcompat::{self, PgCompat, PgSettings};

pub use cpu::CpuRuntime;
pub use interrupt::{INTERRUPTED, InterruptExec, interruptible};
pub use lake::{CRM_TABLES, RegisteredTable};
pub use saved_queries::{LoadReport, QueryFileError, SEGMENTS_SCHEMA, SavedQueries, SavedQuery};

/// The catalog and schema clients see (`current_database()`, `public.orders`).
pub const CATALOG: &str = "custlake";
pub const SCHEMA: &str = "public";

/// Why the engine could not be built; reported at start-up with the table's name and the reason.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error("table '{table}' ({location}): {reason}")]
    Table {
        table: String,
        location: String,
        reason: String,
    },
    #[error("object store {url}: {reason}")]
    ObjectStore { url: String, reason: String },
    #[error("engine set-up: {0}")]
    Setup(#[from] DataFusionError),
    #[error("the engine no longer admits statements")]
    Closed,
    #[error("cannot start the runtime plans run on: {0}")]
    Runtime(std::io::Error),
}

/// A built engine: the shared session state every connection starts from, what the lake
/// holds, and the saved queries served as views.
#[derive(Clone)]
pub struct Engine {
    state: SessionState,
    tables: Arc<Vec<RegisteredTable>>,
    saved_queries: Arc<SavedQueries>,
    pg: PgCompat,
    /// Admission of statements into execution (`engine.max_running_statements`).
    running: Arc<tokio::sync::Semaphore>,
    /// Where plans run, apart from the runtime that serves clients.
    cpu: Arc<CpuRuntime>,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("tables", &self.tables)
            .finish()
    }
}

impl Engine {
    /// Builds the engine and loads the saved queries. A saved query that fails to load does
    /// not stop the engine: its error is logged, and the report is at
    /// [`Engine::reload_saved_queries`] for callers that want it.
    pub async fn build(config: &Config) -> Result<Engine, EngineError> {
        let (state, tables, pg) = build_state_with_tables(config).await?;
        let engine = Engine {
            state,
            pg,
            tables: Arc::new(tables),
            saved_queries: Arc::new(SavedQueries::new(config.saved_queries.clone())),
            running: Arc::new(tokio::sync::Semaphore::new(
                config.engine.max_running_statements,
            )),
            cpu: Arc::new(CpuRuntime::new().map_err(EngineError::Runtime)?),
        };
        engine.reload_saved_queries().await;
        Ok(engine)
    }

    /// Re-reads the saved-query directory and replaces the views of schema `segments` (on
    /// start-up and on SIGHUP). Each file that fails is logged as `path:line:column: message`.
    pub async fn reload_saved_queries(&self) -> LoadReport {
        let report = self.saved_queries.reload(&self.state).await;
        // A saved query's description is its view's comment (`\dv+`, obj_description).
        self.pg.comments().replace_schema(
            SEGMENTS_SCHEMA,
            self.saved_queries
                .list()
                .into_iter()
                .filter_map(|q| q.description.map(|d| (q.name, d))),
        );
        if let Some(dir) = self.saved_queries.dir() {
            log::info!(
                "saved queries from {}: {} view(s) in schema {SEGMENTS_SCHEMA}, {} error(s)",
                dir.display(),
                report.loaded.len(),
                report.errors.len()
            );
        }
        for error in &report.errors {
            log::error!("saved query {error}");
        }
        report
    }

    /// The saved queries loaded now, with their descriptions.
    pub fn saved_queries(&self) -> &SavedQueries {
        &self.saved_queries
    }

    /// A fresh session for one connection or one command: it shares the catalog, functions,
    /// memory pool and caches, but its settings (`SET …`) are its own.
    pub fn session(&self) -> SessionContext {
        SessionContext::new_with_state(self.state.clone())
    }

    /// Waits for a turn to execute a statement (first come, first served) and holds it until
    /// the returned permit is dropped: at most `engine.max_running_statements` run at once.
    pub async fn admit(&self) -> Result<tokio::sync::OwnedSemaphorePermit, EngineError> {
        self.running
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| EngineError::Closed)
    }

    /// The runtime plans run on (see [`CpuRuntime`]).
    pub fn cpu(&self) -> Arc<CpuRuntime> {
        Arc::clone(&self.cpu)
    }

    /// Bytes the memory pool has handed out to running queries now.
    pub fn memory_reserved(&self) -> usize {
        self.state.runtime_env().memory_pool.reserved()
    }

    pub fn tables(&self) -> &[RegisteredTable] {
        &self.tables
    }
}

/// Builds the session state from the resolved config: the one place tables and functions are registered.
pub async fn build_state(config: &Config) -> Result<SessionState, EngineError> {
    Ok(build_state_with_tables(config).await?.0)
}

async fn build_state_with_tables(
    config: &Config,
) -> Result<(SessionState, Vec<RegisteredTable>, PgCompat), EngineError> {
    let engine = &config.engine;
    // The pool bounds all queries together; FairSpillPool makes spilling operators share it
    // fairly, and the tracking wrapper names the largest consumers when a query is refused.
    let pool = TrackConsumersPool::new(
        FairSpillPool::new(usize::try_from(engine.memory_limit).unwrap_or(usize::MAX)),
        NonZeroUsize::new(5).expect("5 is not zero"),
    );
    let disk = match &engine.spill_dir {
        Some(dir) => DiskManagerMode::Directories(vec![dir.clone()]),
        None => DiskManagerMode::OsTmpDirectory,
    };
    let runtime = RuntimeEnvBuilder::new()
        .with_memory_pool(Arc::new(pool))
        .with_disk_manager_builder(DiskManagerBuilder::default().with_mode(disk))
        // Without a TTL the listing cache keeps a table's first listing forever and files
        // that land later are never seen.
        .with_object_list_cache_ttl(Some(engine.refresh_interval))
        .build_arc()?;

    let mut session_config = SessionConfig::new()
        // pgcompat's information_schema replaces DataFusion's (PostgreSQL's columns and type
        // names), passing DataFusion's routines, parameters and df_settings through.
        .with_information_schema(false)
        .with_option_extension(PgSettings::default())
        // `SET custlake.as_of = '…'`, read by as_of() and the time-dependent functions; the
        // lake's as-of date, if configured, is every session's default.
        .with_option_extension(custlake_udfs::CustlakeOptions {
            as_of: engine.as_of.clone(),
            as_of_default: engine.as_of.clone(),
            ..Default::default()
        })
        .with_create_default_catalog_and_schema(true)
        .with_default_catalog_and_schema(CATALOG, SCHEMA)
        .set_str("datafusion.sql_parser.dialect", "PostgreSQL")
        // `1.5` is numeric in PostgreSQL: `0.1 + 0.2` is 0.3, and `round(100.0 * n / m, 2)`
        // keeps two decimals.
        .set_bool("datafusion.sql_parser.parse_float_as_decimal", true)
        // Without a session time zone DataFusion plans TIMESTAMPTZ as a zone-less timestamp.
        .set_str("datafusion.execution.time_zone", "+00:00");
    session_config = session_config.with_target_partitions(engine.target_partitions);
    if let Some(n) = engine.batch_size {
        session_config = session_config.with_batch_size(n);
    }

    let mut state = SessionStateBuilder::new()
        .with_config(session_config)
        .with_runtime_env(runtime)
        .with_default_features()
        // After DataFusion's own rules: `as_of()` and date arithmetic are literals by then.
        .with_optimizer_rule(Arc::new(date_filters::DateCastComparison))
        // Before DataFusion's type coercion, which would refuse `bool_column = 'f'`.
        .with_analyzer_rules({
            let mut rules = vec![
                pgcompat::literal_types::rule(),
                Arc::new(pgcompat::cast_rules::ResultTypes::default()) as _,
                Arc::new(pgcompat::numeric_avg::NumericAvg::default()) as _,
            ];
            rules.extend(datafusion::optimizer::Analyzer::new().rules);
            rules
        })
        .build();
    custlake_udfs::register_all(&mut state)?;
    let product_functions = custlake_udfs::function_names();
    let pg = pgcompat::install(&mut state, &product_functions).await?;
    // After DataFusion's type coercion, so that it sees every cast with both types.
    let casts = pgcompat::cast_rules::PgCasts::new(&state)?;
    state.add_analyzer_rule(Arc::new(casts));
    // After type coercion, which gives every expression its type.
    state.add_analyzer_rule(Arc::new(pgcompat::json::JsonOrdering));
    state.add_analyzer_rule(Arc::new(pgcompat::bpchar::BlankPadding));
    // Last: it sees the casts the others wrote.
    let session_zone = pgcompat::session_zone::SessionZone::new(&state)?;
    state.add_analyzer_rule(Arc::new(session_zone));

    let ctx = SessionContext::new_with_state(state);
    lake::register_object_stores(&ctx, config)?;
    let tables = lake::register_tables(&ctx, config).await?;
    Ok((ctx.state(), tables, pg))
}

/// Refuses plans that would change the lake or the shared catalog: custlake serves a lake
/// read-only, and the catalog is shared by every session.
pub fn check_read_only(plan: &LogicalPlan) -> Result<(), SqlError> {
    let what = match plan {
        LogicalPlan::Ddl(ddl) => ddl.name(),
        LogicalPlan::Dml(dml) => dml.op.name(),
        LogicalPlan::Copy(_) => "COPY TO",
        _ => return Ok(()),
    };
    Err(SqlError::new(
        crate::error::sqlstate::READ_ONLY_SQL_TRANSACTION,
        format!("cannot execute {what}: custlake serves the lake read-only"),
    ))
}
