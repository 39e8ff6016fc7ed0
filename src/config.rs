//! The lake's configuration: a TOML file read into [`RawConfig`] (serde, unknown keys rejected),
//! then validated once into [`Config`], the resolved form everything else uses.
//!
//! ```toml
//! [server]
//! listen = "127.0.0.1:5433"
//! shutdown_grace_secs = 10
//!
//! [engine]
//! memory_limit = "4GiB"
//! refresh_interval_secs = 30
//! as_of = "2024-06-30"             # default of custlake.as_of (a snapshot's date); else today
//! max_running_statements = 4       # statements executing at once, the rest wait; default 2 × cores, at least 8
//!
//! [[tables]]
//! name = "orders"
//! location = "orders"              # relative to this file's directory
//!
//! [[tables]]
//! name = "events"
//! location = "s3://bucket/events/" # credentials from AWS_* variables or [object_stores]
//!
//! [[object_stores]]
//! url = "s3://bucket"
//! options = { aws_region = "eu-west-1" }
//!
//! [saved_queries]
//! dir = "queries"                  # *.sql files, served as views in schema `segments`
//! ```

use std::collections::{BTreeMap, HashSet};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use datafusion::common::config::ExtensionOptions;
use serde::Deserialize;
use url::Url;

/// The port custlake listens on unless told otherwise (5432 is left to a real PostgreSQL).
pub const DEFAULT_LISTEN: &str = "127.0.0.1:5433";

/// A configuration problem, with enough context to fix it.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("invalid config{}: {message}", origin.as_ref().map(|p| format!(" {}", p.display())).unwrap_or_default())]
    Parse {
        origin: Option<PathBuf>,
        message: String,
    },
    #[error("invalid config: {0}")]
    Invalid(String),
}

/// The file as written: every key optional where a default exists, nothing unknown accepted.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConfig {
    #[serde(default)]
    pub server: RawServer,
    #[serde(default)]
    pub engine: RawEngine,
    #[serde(default)]
    pub tables: Vec<RawTable>,
    #[serde(default)]
    pub object_stores: Vec<RawObjectStore>,
    #[serde(default)]
    pub saved_queries: RawSavedQueries,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSavedQueries {
    /// Directory of `*.sql` files, relative to the config file.
    pub dir: Option<PathBuf>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawServer {
    pub listen: Option<String>,
    pub shutdown_grace_secs: Option<u64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEngine {
    /// Bytes, or a string such as "512MiB", "4GiB".
    pub memory_limit: Option<ByteSize>,
    pub refresh_interval_secs: Option<u64>,
    pub target_partitions: Option<usize>,
    pub batch_size: Option<usize>,
    pub spill_dir: Option<PathBuf>,
    /// The date the lake is as of (YYYY-MM-DD): the default of `custlake.as_of`.
    pub as_of: Option<String>,
    pub max_running_statements: Option<usize>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTable {
    pub name: String,
    pub location: String,
    #[serde(default)]
    pub format: Option<String>,
    /// Check a table with a canonical CRM name against the CRM schema contract (default true).
    #[serde(default)]
    pub check_schema: Option<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawObjectStore {
    pub url: String,
    #[serde(default)]
    pub options: BTreeMap<String, String>,
}

/// A byte count given as a number or as a string with a binary or decimal unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ByteSize(pub u64);

impl<'de> Deserialize<'de> for ByteSize {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Either {
            Number(u64),
            Text(String),
        }
        match Either::deserialize(d)? {
            Either::Number(n) => Ok(ByteSize(n)),
            Either::Text(s) => s.parse().map_err(serde::de::Error::custom),
        }
    }
}

impl std::str::FromStr for ByteSize {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let s = s.trim();
        let split = s
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(s.len());
        let (number, unit) = s.split_at(split);
        let number: f64 = number.parse().map_err(|_| {
            format!("'{s}' is not a size (examples: 1073741824, \"512MiB\", \"4GiB\")")
        })?;
        let factor: u64 = match unit.trim().to_ascii_lowercase().as_str() {
            "" | "b" => 1,
            "k" | "kb" => 1_000,
            "kib" => 1 << 10,
            "m" | "mb" => 1_000_000,
            "mib" => 1 << 20,
            "g" | "gb" => 1_000_000_000,
            "gib" => 1 << 30,
            "t" | "tb" => 1_000_000_000_000,
            "tib" => 1 << 40,
            other => return Err(format!("unknown size unit '{other}' in '{s}'")),
        };
        Ok(ByteSize((number * factor as f64) as u64))
    }
}

/// The validated configuration.
#[derive(Debug, Clone)]
pub struct Config {
    pub server: ServerConfig,
    pub engine: EngineConfig,
    pub tables: Vec<TableConfig>,
    pub object_stores: Vec<ObjectStoreConfig>,
    /// Directory of saved queries (`*.sql`), served as views in schema `segments`.
    pub saved_queries: Option<PathBuf>,
}

#[derive(Debug, Clone)]
pub struct ServerConfig {
    pub listen: SocketAddr,
    pub shutdown_grace: Duration,
}

#[derive(Debug, Clone)]
pub struct EngineConfig {
    /// Upper bound of the memory pool shared by all queries; operators spill beyond it.
    pub memory_limit: u64,
    /// How long a table's file listing is trusted before the location is listed again.
    pub refresh_interval: Duration,
    /// Partitions each query's plan is split into: twice the cores by default. On 2 cores, the
    /// per-customer aggregates and segment views ran 8–20 % faster with 4 partitions than with
    /// 2 (DataFusion's default, one per core): smaller hash tables per partition, and a core
    /// never idles while one partition's input is being read (bench/README.md).
    pub target_partitions: usize,
    pub batch_size: Option<usize>,
    pub spill_dir: Option<PathBuf>,
    /// The default of `custlake.as_of` for every session (a snapshot's date); `None`: today.
    pub as_of: Option<String>,
    /// How many statements execute at once; later ones wait their turn (first come, first
    /// served). Running more than the machine has cores for adds no throughput, and each
    /// running statement holds memory its operators cannot spill (hash join build sides,
    /// merge buffers), so without a bound enough concurrent clients exhaust the pool.
    pub max_running_statements: usize,
}

#[derive(Debug, Clone)]
pub struct TableConfig {
    pub name: String,
    /// Always a URL: local paths become `file://` URLs with a trailing slash for directories.
    pub location: Url,
    pub format: TableFormat,
    pub check_schema: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableFormat {
    Parquet,
}

#[derive(Debug, Clone)]
pub struct ObjectStoreConfig {
    pub url: Url,
    pub options: BTreeMap<String, String>,
}

impl Default for EngineConfig {
    fn default() -> Self {
        EngineConfig {
            memory_limit: 4 << 30,
            refresh_interval: Duration::from_secs(30),
            target_partitions: 2 * cores(),
            batch_size: None,
            spill_dir: None,
            as_of: None,
            max_running_statements: default_max_running_statements(),
        }
    }
}

/// Twice the cores, at least 8: every core busy while some statements wait on I/O or on
/// their client (a result the client reads slowly holds its turn until it is sent).
fn default_max_running_statements() -> usize {
    (2 * cores()).max(8)
}

fn cores() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get())
}

impl Config {
    /// Reads and validates a config file; relative locations are taken from the file's directory.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        let base = path
            .parent()
            .map(Path::to_path_buf)
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or_else(|| PathBuf::from("."));
        Self::load_from_str(&text, &base).map_err(|e| match e {
            ConfigError::Parse { message, .. } => ConfigError::Parse {
                origin: Some(path.to_path_buf()),
                message,
            },
            other => other,
        })
    }

    /// Parses and validates TOML text; relative locations are resolved against `base_dir`.
    pub fn load_from_str(text: &str, base_dir: &Path) -> Result<Config, ConfigError> {
        let raw: RawConfig = toml::from_str(text).map_err(|e| ConfigError::Parse {
            origin: None,
            message: e.to_string(),
        })?;
        raw.resolve(base_dir)
    }
}

impl RawConfig {
    pub fn resolve(self, base_dir: &Path) -> Result<Config, ConfigError> {
        let listen_text = self.server.listen.as_deref().unwrap_or(DEFAULT_LISTEN);
        let listen: SocketAddr = listen_text.parse().map_err(|_| {
            ConfigError::Invalid(format!(
                "server.listen = '{listen_text}' is not an address such as \"127.0.0.1:5433\""
            ))
        })?;
        let server = ServerConfig {
            listen,
            shutdown_grace: Duration::from_secs(self.server.shutdown_grace_secs.unwrap_or(10)),
        };

        let defaults = EngineConfig::default();
        let memory_limit = self
            .engine
            .memory_limit
            .map(|b| b.0)
            .unwrap_or(defaults.memory_limit);
        if memory_limit < (16 << 20) {
            return Err(ConfigError::Invalid(format!(
                "engine.memory_limit = {memory_limit} bytes is too small (at least 16MiB)"
            )));
        }
        if self.engine.target_partitions == Some(0)
            || self.engine.batch_size == Some(0)
            || self.engine.max_running_statements == Some(0)
        {
            return Err(ConfigError::Invalid(
                "engine.target_partitions, engine.batch_size and engine.max_running_statements \
                 must be at least 1"
                    .into(),
            ));
        }
        let engine = EngineConfig {
            memory_limit,
            refresh_interval: self
                .engine
                .refresh_interval_secs
                .map(Duration::from_secs)
                .unwrap_or(defaults.refresh_interval),
            target_partitions: self
                .engine
                .target_partitions
                .unwrap_or(defaults.target_partitions),
            batch_size: self.engine.batch_size,
            spill_dir: self.engine.spill_dir.map(|p| absolute(base_dir, &p)),
            as_of: match self.engine.as_of {
                None => None,
                Some(date) => {
                    // Validated exactly as `SET custlake.as_of` validates it.
                    let mut options = custlake_udfs::CustlakeOptions::default();
                    options.set("as_of", &date).map_err(|e| {
                        ConfigError::Invalid(format!(
                            "engine.as_of: {}",
                            crate::error::message_of(&e)
                        ))
                    })?;
                    options.as_of
                }
            },
            max_running_statements: self
                .engine
                .max_running_statements
                .unwrap_or(defaults.max_running_statements),
        };

        let mut seen = HashSet::new();
        let mut tables = Vec::with_capacity(self.tables.len());
        for raw in self.tables {
            let name = raw.name.trim().to_string();
            if !is_identifier(&name) {
                return Err(ConfigError::Invalid(format!(
                    "table name '{}' must be a lower-case SQL identifier (letters, digits, _; not starting with a digit)",
                    raw.name
                )));
            }
            if !seen.insert(name.clone()) {
                return Err(ConfigError::Invalid(format!(
                    "table '{name}' is configured twice"
                )));
            }
            let format = match raw
                .format
                .as_deref()
                .map(str::to_ascii_lowercase)
                .as_deref()
            {
                None | Some("parquet") => TableFormat::Parquet,
                Some(other) => {
                    return Err(ConfigError::Invalid(format!(
                        "table '{name}': format '{other}' is not supported (supported: parquet)"
                    )));
                }
            };
            let location = resolve_location(base_dir, &raw.location)
                .map_err(|why| ConfigError::Invalid(format!("table '{name}': {why}")))?;
            tables.push(TableConfig {
                name,
                location,
                format,
                check_schema: raw.check_schema.unwrap_or(true),
            });
        }

        let mut object_stores = Vec::with_capacity(self.object_stores.len());
        for raw in self.object_stores {
            let url = Url::parse(&raw.url).map_err(|e| {
                ConfigError::Invalid(format!("object_stores url '{}': {e}", raw.url))
            })?;
            if !matches!(
                url.scheme(),
                "s3" | "s3a" | "gs" | "az" | "abfs" | "abfss" | "http" | "https"
            ) {
                return Err(ConfigError::Invalid(format!(
                    "object_stores url '{}': scheme '{}' needs no configuration (use s3, gs, az, http or https)",
                    raw.url,
                    url.scheme()
                )));
            }
            object_stores.push(ObjectStoreConfig {
                url,
                options: raw.options,
            });
        }

        Ok(Config {
            server,
            engine,
            tables,
            object_stores,
            saved_queries: self.saved_queries.dir.map(|dir| absolute(base_dir, &dir)),
        })
    }
}

pub(crate) fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase() || c == '_')
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

fn absolute(base_dir: &Path, path: &Path) -> PathBuf {
    if path.is_absolute() {
        path.to_path_buf()
    } else {
        base_dir.join(path)
    }
}

/// Turns a configured location into a URL. Local paths (plain or `file://`) are made absolute;
/// a location that is an existing directory, or is written with a trailing slash, is a directory
/// (the URL gets a trailing slash, which is how DataFusion's listing tables know to list it).
fn resolve_location(base_dir: &Path, location: &str) -> Result<Url, String> {
    let location = location.trim();
    if location.is_empty() {
        return Err("location is empty".into());
    }
    let has_scheme = location.split_once("://").is_some_and(|(scheme, _)| {
        scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '+')
    });
    if has_scheme && !location.starts_with("file://") {
        let url = Url::parse(location).map_err(|e| format!("location '{location}': {e}"))?;
        return match url.scheme() {
            "s3" | "s3a" | "gs" | "az" | "abfs" | "abfss" | "http" | "https" => Ok(url),
            other => Err(format!(
                "location '{location}': scheme '{other}' is not supported (use a path, file://, s3://, gs://, az://, http(s)://)"
            )),
        };
    }
    let path_text = location.strip_prefix("file://").unwrap_or(location);
    let path = absolute(base_dir, Path::new(path_text));
    let path = std::path::absolute(&path).map_err(|e| format!("location '{location}': {e}"))?;
    let is_dir = path_text.ends_with('/') || path.is_dir();
    let url = if is_dir {
        Url::from_directory_path(&path)
    } else {
        Url::from_file_path(&path)
    };
    url.map_err(|_| format!("location '{location}' is not a valid path"))
}
