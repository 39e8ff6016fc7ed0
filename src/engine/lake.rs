//! Table registration: configured locations → object stores → DataFusion listing tables, with the
//! start-up checks that turn a bad location, a non-Parquet file or a schema that does not fit the
//! CRM contract into an error naming the table and the reason.

use std::sync::Arc;

use datafusion::arrow::datatypes::{DataType, Schema};
use datafusion::catalog::TableProvider;
use datafusion::datasource::file_format::parquet::ParquetFormat;
use datafusion::datasource::listing::{
    ListingOptions, ListingTable, ListingTableConfig, ListingTableUrl,
};
use datafusion::prelude::SessionContext;
use url::Url;

use super::EngineError;
use crate::config::{Config, TableConfig, TableFormat};

/// What the engine registered for one configured table.
#[derive(Debug, Clone)]
pub struct RegisteredTable {
    pub name: String,
    pub location: String,
    pub columns: usize,
    /// Hive partition columns found in the directory names (`region=North/…`).
    pub partition_columns: Vec<String>,
}

/// The kinds of column type the CRM contract allows; exact widths may be refined by a lake.
#[derive(Debug, Clone, Copy)]
enum Kind {
    Integer,
    Text,
    Date,
    Timestamp,
    Decimal,
    Bool,
}

impl Kind {
    fn admits(self, data_type: &DataType) -> bool {
        match (self, data_type) {
            (_, DataType::Dictionary(_, value)) => self.admits(value),
            (Kind::Integer, t) => t.is_integer(),
            (Kind::Text, t) => {
                matches!(t, DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View)
            }
            (Kind::Date, t) => matches!(t, DataType::Date32 | DataType::Date64),
            (Kind::Timestamp, t) => matches!(t, DataType::Timestamp(_, _)),
            (Kind::Decimal, t) => {
                matches!(
                    t,
                    DataType::Decimal32(..)
                        | DataType::Decimal64(..)
                        | DataType::Decimal128(..)
                        | DataType::Decimal256(..)
                ) || t.is_floating()
            }
            (Kind::Bool, t) => matches!(t, DataType::Boolean),
        }
    }

    fn describe(self) -> &'static str {
        match self {
            Kind::Integer => "an integer type",
            Kind::Text => "a string type",
            Kind::Date => "DATE",
            Kind::Timestamp => "TIMESTAMP",
            Kind::Decimal => "DECIMAL (or a float)",
            Kind::Bool => "BOOLEAN",
        }
    }
}

/// The CRM schema contract: tables with these names must carry these columns (extra columns are fine).
pub const CRM_TABLES: [&str; 6] = [
    "customers",
    "orders",
    "order_items",
    "products",
    "interactions",
    "referrals",
];

fn crm_contract(table: &str) -> Option<&'static [(&'static str, Kind)]> {
    use Kind::*;
    Some(match table {
        "customers" => &[
            ("customer_id", Integer),
            ("name", Text),
            ("email", Text),
            ("phone", Text),
            ("gender", Text),
            ("birth_date", Date),
            ("region", Text),
            ("city", Text),
            ("customer_type", Text),
            ("industry", Text),
            ("company_size", Text),
            ("signup_date", Date),
            ("acquisition_channel", Text),
            ("preferred_channel", Text),
            ("marketing_opt_in", Bool),
            ("referred_by", Integer),
        ],
        "orders" => &[
            ("order_id", Integer),
            ("customer_id", Integer),
            ("order_ts", Timestamp),
            ("channel", Text),
            ("status", Text),
            ("amount", Decimal),
            ("discount", Decimal),
            ("currency", Text),
        ],
        "order_items" => &[
            ("order_id", Integer),
            ("line_no", Integer),
            ("product_id", Integer),
            ("category", Text),
            ("quantity", Integer),
            ("unit_price", Decimal),
        ],
        "products" => &[
            ("product_id", Integer),
            ("name", Text),
            ("category", Text),
            ("price", Decimal),
        ],
        "interactions" => &[
            ("interaction_id", Integer),
            ("customer_id", Integer),
            ("ts", Timestamp),
            ("channel", Text),
            ("kind", Text),
            ("direction", Text),
            ("responded", Bool),
            ("converted", Bool),
            ("complaint", Bool),
            ("nps_score", Integer),
            ("cost", Decimal),
        ],
        "referrals" => &[
            ("referrer_id", Integer),
            ("referee_id", Integer),
            ("referred_at", Timestamp),
            ("converted_at", Timestamp),
            ("reward", Decimal),
        ],
        _ => return None,
    })
}

fn check_contract(table: &str, schema: &Schema) -> Result<(), String> {
    let Some(contract) = crm_contract(table) else {
        return Ok(());
    };
    let mut problems = Vec::new();
    for (column, kind) in contract {
        match schema.field_with_name(column) {
            Err(_) => problems.push(format!("column '{column}' is missing")),
            Ok(field) if !kind.admits(field.data_type()) => problems.push(format!(
                "column '{column}' is {} but the CRM schema needs {}",
                field.data_type(),
                kind.describe()
            )),
            Ok(_) => {}
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "does not fit the CRM schema for '{table}': {} (rename the table or set check_schema = false to serve it as it is)",
            problems.join("; ")
        ))
    }
}

/// Registers one object store per bucket/host that a table lives in. Options come from the
/// usual environment variables (AWS_*, GOOGLE_*, AZURE_*) overlaid by `[[object_stores]]`.
pub(super) fn register_object_stores(
    ctx: &SessionContext,
    config: &Config,
) -> Result<(), EngineError> {
    let mut done: Vec<Url> = Vec::new();
    for table in &config.tables {
        if table.location.scheme() == "file" {
            continue;
        }
        let root = store_root(&table.location);
        if done.contains(&root) {
            continue;
        }
        let mut options: Vec<(String, String)> = std::env::vars()
            .filter(|(k, _)| {
                ["AWS_", "GOOGLE_", "AZURE_"]
                    .iter()
                    .any(|p| k.starts_with(p))
            })
            .map(|(k, v)| (k.to_ascii_lowercase(), v))
            .collect();
        for configured in &config.object_stores {
            if store_root(&configured.url) == root {
                options.extend(
                    configured
                        .options
                        .iter()
                        .map(|(k, v)| (k.clone(), v.clone())),
                );
            }
        }
        let (store, _) =
            object_store::parse_url_opts(&root, options).map_err(|e| EngineError::ObjectStore {
                url: root.to_string(),
                reason: e.to_string(),
            })?;
        ctx.runtime_env()
            .register_object_store(&root, Arc::from(store));
        done.push(root);
    }
    Ok(())
}

/// `s3://bucket/a/b/` → `s3://bucket/`: object stores are registered per bucket or host.
fn store_root(url: &Url) -> Url {
    let mut root = url.clone();
    root.set_path("/");
    root.set_query(None);
    root.set_fragment(None);
    root
}

pub(super) async fn register_tables(
    ctx: &SessionContext,
    config: &Config,
) -> Result<Vec<RegisteredTable>, EngineError> {
    let mut registered = Vec::with_capacity(config.tables.len());
    for table in &config.tables {
        let fail = |reason: String| EngineError::Table {
            table: table.name.clone(),
            location: display_location(&table.location),
            reason,
        };
        let listing = listing_table(ctx, table).await.map_err(fail)?;
        let schema = listing.schema();
        if table.check_schema {
            check_contract(&table.name, &schema).map_err(fail)?;
        }
        let partition_columns: Vec<String> = listing
            .options()
            .table_partition_cols
            .iter()
            .map(|(name, _)| name.clone())
            .collect();
        ctx.register_table(table.name.as_str(), Arc::new(listing))
            .map_err(|e| fail(e.to_string()))?;
        log::info!(
            "table {} ← {} ({} columns{})",
            table.name,
            display_location(&table.location),
            schema.fields().len(),
            if partition_columns.is_empty() {
                String::new()
            } else {
                format!(", partitioned by {}", partition_columns.join(", "))
            }
        );
        registered.push(RegisteredTable {
            name: table.name.clone(),
            location: display_location(&table.location),
            columns: schema.fields().len(),
            partition_columns,
        });
    }
    Ok(registered)
}

fn display_location(url: &Url) -> String {
    match url.to_file_path() {
        Ok(path) if url.scheme() == "file" => path.display().to_string(),
        _ => url.to_string(),
    }
}

async fn listing_table(ctx: &SessionContext, table: &TableConfig) -> Result<ListingTable, String> {
    let TableFormat::Parquet = table.format;
    let is_directory = table.location.path().ends_with('/');
    if table.location.scheme() == "file" {
        let path = table
            .location
            .to_file_path()
            .map_err(|_| "location is not a local path".to_string())?;
        match std::fs::metadata(&path) {
            Err(e) => return Err(format!("location does not exist or cannot be read: {e}")),
            Ok(meta) if meta.is_dir() => {
                std::fs::read_dir(&path).map_err(|e| format!("directory cannot be read: {e}"))?;
            }
            Ok(_) => {
                std::fs::File::open(&path).map_err(|e| format!("file cannot be read: {e}"))?;
            }
        }
    }
    let url = ListingTableUrl::parse(table.location.as_str()).map_err(|e| e.to_string())?;
    // A directory holds `*.parquet` files (other files, such as _SUCCESS markers, are skipped);
    // a single file is read whatever its name.
    let options = ListingOptions::new(Arc::new(ParquetFormat::default()))
        .with_file_extension(if is_directory { ".parquet" } else { "" });
    let state = ctx.state();
    if !has_files(&state, &url, &options).await? {
        return Err("no Parquet files found (a table location is a .parquet file, a directory of them, or a Hive-partitioned tree)".into());
    }

    let config = ListingTableConfig::new(url)
        .with_listing_options(options)
        .infer_schema(&state)
        .await
        .map_err(|e| format!("cannot read as Parquet: {}", e.strip_backtrace()))?
        .infer_partitions_from_path(&state)
        .await
        .map_err(|e| format!("cannot infer partitions: {}", e.strip_backtrace()))?;
    ListingTable::try_new(config).map_err(|e| e.strip_backtrace().to_string())
}

/// Whether the location lists at least one data file (only the first is fetched).
async fn has_files(
    state: &datafusion::execution::context::SessionState,
    url: &ListingTableUrl,
    options: &ListingOptions,
) -> Result<bool, String> {
    use futures::TryStreamExt;
    let store = state
        .runtime_env()
        .object_store(url)
        .map_err(|e| e.strip_backtrace())?;
    let mut files = url
        .list_all_files(state, store.as_ref(), &options.file_extension)
        .await
        .map_err(|e| format!("cannot list: {}", e.strip_backtrace()))?;
    let first = files
        .try_next()
        .await
        .map_err(|e| format!("cannot list: {}", e.strip_backtrace()))?;
    Ok(first.is_some())
}
