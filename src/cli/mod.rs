//! The command line: `custlake serve`, `custlake query`, `custlake gen`. Each command is a file;
//! this one parses the arguments and resolves which lake a command works on.

mod gen_cmd;
mod query;
mod serve;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use crate::config::{Config, ConfigError};
use crate::lakegen::{CONFIG_FILE_NAME, GenOptions};

#[derive(Debug, Parser)]
#[command(
    name = "custlake",
    version,
    about = "SQL analytics engine for customer data, served over the PostgreSQL wire protocol"
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve a lake over the PostgreSQL wire protocol (with no lake given: the demo lake, generated on first use)
    Serve(serve::ServeArgs),
    /// Run one SQL statement locally and print the result as a table
    Query(query::QueryArgs),
    /// Generate a demo customer lake (Parquet) and a custlake.toml that serves it
    Gen(gen_cmd::GenArgs),
}

/// Which lake to work on: a config file, a generated lake directory, or (neither) the demo lake.
#[derive(Debug, Args)]
pub struct LakeArgs {
    /// A generated lake directory (holding custlake.toml)
    #[arg(long, value_name = "DIR", conflicts_with = "config")]
    data: Option<PathBuf>,
    /// A lake config file (TOML)
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Directory of saved queries (*.sql), served as views in schema `segments`; default: the
    /// config's [saved_queries] dir, else ./queries if it exists
    #[arg(long, value_name = "DIR")]
    queries: Option<PathBuf>,
}

/// Customers in the demo lake that `custlake serve` generates on first use.
pub const DEMO_CUSTOMERS: u64 = 20_000;

/// Where the demo lake lives: `$CUSTLAKE_DEMO_DIR`, else `./data/demo`.
pub fn demo_dir() -> PathBuf {
    std::env::var_os("CUSTLAKE_DEMO_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("data").join("demo"))
}

/// Where saved queries are looked for when neither `--queries` nor the config names a directory.
pub const DEFAULT_QUERIES_DIR: &str = "queries";

impl LakeArgs {
    fn load(&self) -> Result<Config, String> {
        let mut config = self.load_lake()?;
        if let Some(dir) = &self.queries {
            if !dir.is_dir() {
                return Err(format!("--queries {}: not a directory", dir.display()));
            }
            config.saved_queries = Some(dir.clone());
        } else if config.saved_queries.is_none() && Path::new(DEFAULT_QUERIES_DIR).is_dir() {
            config.saved_queries = Some(PathBuf::from(DEFAULT_QUERIES_DIR));
        }
        Ok(config)
    }

    fn load_lake(&self) -> Result<Config, String> {
        if let Some(file) = &self.config {
            return Config::load(file).map_err(|e| e.to_string());
        }
        if let Some(dir) = &self.data {
            return load_lake_dir(dir);
        }
        let dir = demo_dir();
        if !dir.join(CONFIG_FILE_NAME).exists() {
            eprintln!(
                "custlake: generating the demo lake ({DEMO_CUSTOMERS} customers) into {} …",
                dir.display()
            );
            let mut options = GenOptions::new(dir.clone(), DEMO_CUSTOMERS);
            options.progress = std::io::IsTerminal::is_terminal(&std::io::stderr());
            crate::lakegen::generate(&options)
                .map_err(|e| format!("cannot generate the demo lake: {e}"))?;
        }
        load_lake_dir(&dir)
    }
}

fn load_lake_dir(dir: &Path) -> Result<Config, String> {
    let file = dir.join(CONFIG_FILE_NAME);
    if !file.exists() {
        return Err(format!(
            "{} holds no {CONFIG_FILE_NAME}; create a lake with `custlake gen --out {}` or pass --config FILE",
            dir.display(),
            dir.display()
        ));
    }
    Config::load(&file).map_err(|e: ConfigError| e.to_string())
}

/// How long the runtime gets to wind down after the command is done.
const RUNTIME_SHUTDOWN: std::time::Duration = std::time::Duration::from_secs(1);

pub fn run(cli: Cli) -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("custlake: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = match cli.command {
        Command::Serve(args) => runtime.block_on(serve::run(args)),
        Command::Query(args) => runtime.block_on(query::run(args)),
        Command::Gen(args) => gen_cmd::run(args),
    };
    // Work that never yields (a statement computing inside one call) must not keep the
    // process alive once the server has stopped: give the runtime a moment, then exit.
    runtime.shutdown_timeout(RUNTIME_SHUTDOWN);
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("custlake: {message}");
            ExitCode::FAILURE
        }
    }
}
