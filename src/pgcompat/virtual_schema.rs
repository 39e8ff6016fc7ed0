//! A schema whose tables are computed from the session that scans them (`pg_catalog`,
//! `information_schema`): each scan builds the table's rows from a fresh [`Snapshot`], so
//! views loaded by a reload and settings changed by `SET` show at once.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::{Arc, OnceLock};

use async_trait::async_trait;
use datafusion::arrow::array::RecordBatch;
use datafusion::arrow::datatypes::SchemaRef;
use datafusion::catalog::information_schema::InformationSchemaProvider;
use datafusion::catalog::{SchemaProvider, Session, TableProvider};
use datafusion::common::{Result, internal_err};
use datafusion::datasource::TableType;
use datafusion::datasource::memory::MemorySourceConfig;
use datafusion::execution::context::SessionState;
use datafusion::logical_expr::Expr;
use datafusion::physical_plan::ExecutionPlan;

use super::settings::PgSettings;
use super::snapshot::{FunctionIndex, ObjectComments, Snapshot};

/// What every catalog table is built from.
pub struct Context<'a> {
    pub state: &'a SessionState,
    pub snapshot: &'a Snapshot,
    pub functions: &'a FunctionIndex,
    pub settings: PgSettings,
}

pub type Builder = fn(&Context<'_>, SchemaRef) -> Result<RecordBatch>;

/// A table of these columns, filled by `build`.
pub fn def(columns: &[(&str, datafusion::arrow::datatypes::DataType)], build: Builder) -> TableDef {
    TableDef::Built {
        schema: super::rows::schema(columns),
        build,
    }
}

/// The builder of a table that never has rows (custlake has no indexes, constraints …).
pub fn empty(_: &Context<'_>, schema: SchemaRef) -> Result<RecordBatch> {
    super::rows::Rows::new(schema).finish()
}

/// State shared by the catalog schemas and functions of one engine.
#[derive(Debug, Default)]
pub struct Shared {
    pub comments: ObjectComments,
    /// Set once every function is registered (see `pgcompat::install`).
    pub functions: OnceLock<FunctionIndex>,
}

impl Shared {
    pub fn functions(&self) -> &FunctionIndex {
        static EMPTY: OnceLock<FunctionIndex> = OnceLock::new();
        self.functions
            .get()
            .unwrap_or_else(|| EMPTY.get_or_init(FunctionIndex::default))
    }
}

/// A table declared by its columns and the function that fills it, or one of DataFusion's
/// own `information_schema` tables (`routines`, `parameters`, `df_settings`) passed through.
#[derive(Clone)]
pub enum TableDef {
    Built {
        schema: SchemaRef,
        build: Builder,
    },
    DataFusion {
        name: &'static str,
        schema: SchemaRef,
    },
}

impl TableDef {
    fn schema(&self) -> &SchemaRef {
        match self {
            TableDef::Built { schema, .. } | TableDef::DataFusion { schema, .. } => schema,
        }
    }
}

pub struct VirtualSchema {
    tables: BTreeMap<&'static str, TableDef>,
    shared: Arc<Shared>,
}

impl fmt::Debug for VirtualSchema {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VirtualSchema")
            .field("tables", &self.tables.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl VirtualSchema {
    pub fn new(tables: BTreeMap<&'static str, TableDef>, shared: Arc<Shared>) -> Self {
        VirtualSchema { tables, shared }
    }
}

#[async_trait]
impl SchemaProvider for VirtualSchema {
    fn table_names(&self) -> Vec<String> {
        self.tables.keys().map(|k| k.to_string()).collect()
    }

    async fn table(&self, name: &str) -> Result<Option<Arc<dyn TableProvider>>> {
        Ok(self.tables.get(name).map(|def| {
            Arc::new(VirtualTable {
                def: def.clone(),
                shared: Arc::clone(&self.shared),
            }) as Arc<dyn TableProvider>
        }))
    }

    fn table_exist(&self, name: &str) -> bool {
        self.tables.contains_key(name)
    }
}

struct VirtualTable {
    def: TableDef,
    shared: Arc<Shared>,
}

impl fmt::Debug for VirtualTable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VirtualTable").finish_non_exhaustive()
    }
}

#[async_trait]
impl TableProvider for VirtualTable {
    fn schema(&self) -> SchemaRef {
        Arc::clone(self.def.schema())
    }

    fn table_type(&self) -> TableType {
        // PostgreSQL's catalogs are tables to their clients (`\dtS` lists them).
        TableType::Base
    }

    async fn scan(
        &self,
        session: &dyn Session,
        projection: Option<&Vec<usize>>,
        filters: &[Expr],
        limit: Option<usize>,
    ) -> Result<Arc<dyn ExecutionPlan>> {
        let Some(state) = session.as_any().downcast_ref::<SessionState>() else {
            return internal_err!("catalog tables are scanned from a SessionState");
        };
        let (schema, build) = match &self.def {
            TableDef::Built { schema, build } => (schema, build),
            TableDef::DataFusion { name, .. } => {
                let provider = InformationSchemaProvider::new(Arc::clone(state.catalog_list()));
                let Some(table) = provider.table(name).await? else {
                    return internal_err!("DataFusion has no information_schema.{name}");
                };
                return table.scan(session, projection, filters, limit).await;
            }
        };
        let snapshot = Snapshot::take(state, &self.shared.comments).await?;
        let settings = PgSettings::of(state.config_options());
        let context = Context {
            state,
            snapshot: &snapshot,
            functions: self.shared.functions(),
            settings,
        };
        let batch = build(&context, Arc::clone(schema))?;
        Ok(MemorySourceConfig::try_new_exec(
            &[vec![batch]],
            Arc::clone(schema),
            projection.cloned(),
        )?)
    }
}
