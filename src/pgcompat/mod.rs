//! PostgreSQL's SQL surface over a DataFusion session: what clients of a PostgreSQL database
//! expect to find besides the data — `pg_catalog` and `information_schema` as PostgreSQL
//! shows them, its system functions (`version()`, `current_setting`, `obj_description` …),
//! its session settings (`search_path`, `DateStyle` …) and its ways of naming things
//! (`pg_class` without a schema, `'orders'::regclass`).
//!
//! It knows neither the wire protocol nor CRM: the engine installs it into the session state
//! ([`install`]), the server applies [`rewrite::rewrite`] to each statement and keeps the
//! session's [`settings::PgSettings`], and whoever owns an object sets its comment through
//! [`PgCompat::comments`].
//!
//! - [`types`]: Arrow → PostgreSQL types, shared with the wire encoder;
//! - [`text_out`]: PostgreSQL's text output of scalars, shared with the wire encoder;
//! - [`oid`]: stable OIDs derived from names;
//! - [`snapshot`]: the schemas, relations and functions the catalog describes;
//! - [`pg_catalog`], [`information_schema`]: the tables, built per scan ([`virtual_schema`]);
//! - [`functions`]: the system functions;
//! - [`builtins`]: PostgreSQL's own functions where DataFusion's answer otherwise;
//! - [`json`]: the `json` and `jsonb` types, their operators and functions;
//! - [`planner`]: operators planned as PostgreSQL plans them (`interval * number`);
//! - [`settings`]: the standard settings; [`time_zone`]: the zones they name;
//! - [`rewrite`]: the syntax rewrites;
//! - [`literal_types`]: quoted literals typed by their context (an analyzer rule);
//! - [`cast_rules`]: casts computed as PostgreSQL computes them (analyzer rules);
//! - [`numeric_avg`]: `avg` of integers and numerics as a numeric (an analyzer rule);
//! - [`session_zone`]: timestamptz computed in the session's TimeZone (an analyzer rule).

/// Equality and hashing by `name`, for a struct that serves several functions (one value each).
macro_rules! known_by_name {
    ($type:ty) => {
        impl PartialEq for $type {
            fn eq(&self, other: &Self) -> bool {
                self.name == other.name
            }
        }

        impl Eq for $type {}

        impl std::hash::Hash for $type {
            fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
                self.name.hash(state);
            }
        }
    };
}

pub mod bpchar;
pub(crate) mod builtins;
pub mod cast_rules;
pub mod commands;
pub mod functions;
pub mod information_schema;
pub(crate) mod json;
mod keywords;
pub mod literal_types;
pub mod numeric_avg;
pub mod oid;
pub mod pg_catalog;
mod planner;
pub mod rewrite;
mod rows;
pub mod session_zone;
pub mod settings;
pub mod snapshot;
mod table_lookup;
pub(crate) mod text_out;
pub mod time_zone;
pub mod types;
mod virtual_schema;

use std::collections::BTreeSet;
use std::sync::Arc;

use datafusion::common::{Result, plan_datafusion_err};
use datafusion::execution::FunctionRegistry;
use datafusion::execution::context::SessionState;

pub use settings::PgSettings;
pub use snapshot::ObjectComments;

use snapshot::FunctionIndex;
use virtual_schema::{Shared, VirtualSchema};

/// The handle an engine keeps after [`install`].
#[derive(Debug, Clone)]
pub struct PgCompat {
    shared: Arc<Shared>,
}

impl PgCompat {
    /// Comments on relations, shown by `obj_description`, `pg_description` and `\d+`.
    pub fn comments(&self) -> &ObjectComments {
        &self.shared.comments
    }
}

/// Adds `pg_catalog`, PostgreSQL's `information_schema` and the system functions to `state`,
/// whose config must carry a [`PgSettings`] extension and must not enable DataFusion's own
/// information_schema (this one replaces it, passing its `routines`, `parameters` and
/// `df_settings` through). Call it after every other function is registered:
/// `extension_functions` are the product's own, listed in schema `public`.
pub async fn install(
    state: &mut SessionState,
    extension_functions: &BTreeSet<String>,
) -> Result<PgCompat> {
    let shared = Arc::new(Shared::default());
    let database = state.config_options().catalog.default_catalog.clone();
    let catalog = state
        .catalog_list()
        .catalog(&database)
        .ok_or_else(|| plan_datafusion_err!("no catalog {database} to add pg_catalog to"))?;
    catalog.register_schema(
        "pg_catalog",
        Arc::new(VirtualSchema::new(
            pg_catalog::tables(),
            Arc::clone(&shared),
        )),
    )?;
    catalog.register_schema(
        "information_schema",
        Arc::new(VirtualSchema::new(
            information_schema::tables().await?,
            Arc::clone(&shared),
        )),
    )?;
    for function in functions::all(Arc::clone(state.catalog_list()), Arc::clone(&shared)) {
        state.register_udf(Arc::new(function))?;
    }
    builtins::register(state)?;
    json::register(state)?;
    state.register_udf(Arc::new(
        datafusion::logical_expr::ScalarUDF::new_from_impl(bpchar::Bpchar::new()),
    ))?;
    state.register_expr_planner(Arc::new(planner::PgOperators::new(state)?))?;
    state.register_udtf("pg_get_keywords", Arc::new(keywords::PgGetKeywords));
    let index = FunctionIndex::build(state, extension_functions);
    // Set once per engine; a second install would build a second `Shared`.
    let _ = shared.functions.set(index);
    Ok(PgCompat { shared })
}
