//! The SQL tests of custlake's functions: runs every `tests/slt/*.slt` file with the
//! [sqllogictest](https://sqlite.org/sqllogictest/doc/trunk/about.wiki) format against a fresh
//! DataFusion session with what the functions need from the engine's (information schema on,
//! the `custlake` config extension, every function of this crate), and exits non-zero, naming
//! the files, when any file fails.
//!
//! SQL tests rather than Rust tests because the functions' contract is SQL: coercion of the
//! argument types, plan-time errors, `SET`/`SHOW`, GROUP BY and FILTER plans, and
//! `information_schema.routines` are all decided by DataFusion's planner, not by our code.
//!
//! `cargo test -p custlake-udfs --test sqllogictests -- nps` runs only the files whose name
//! contains `nps`; with `--complete` the runner instead rewrites each file's expected results
//! (and error messages) with what DataFusion answers now — for writing new tests, to be
//! checked by hand before they are committed.
//!
//! Result values are written much as DataFusion's own sqllogictests write them:
//! NULL as `NULL`, booleans as `true`/`false`, the empty string as `(empty)`, floats rounded
//! to 12 decimal places with trailing zeros dropped (`50.0` → `50`, `100/3` → `33.333333333333`;
//! `NaN`, `Infinity`, `-Infinity`), everything else as Arrow displays it (dates `2024-06-30`,
//! decimals exactly, where DataFusion's runner rounds them too).
//! Column types are checked strictly: `B` boolean, `D` date/time, `I` integer, `R` float or
//! decimal, `T` text, `P` timestamp, `?` anything else. A multi-line value (an EXPLAIN plan)
//! cannot be matched line by line; match fragments of it with `<slt:ignore>` between them.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use async_trait::async_trait;
use custlake_udfs::CustlakeOptions;
use datafusion::arrow::array::{Array, ArrayRef, AsArray};
use datafusion::arrow::datatypes::{DataType, Float16Type, Float32Type, Float64Type};
use datafusion::arrow::util::display::{ArrayFormatter, FormatOptions};
use datafusion::error::{DataFusionError, Result};
use datafusion::execution::SessionStateBuilder;
use datafusion::prelude::{SessionConfig, SessionContext};
use sqllogictest::{
    AsyncDB, ColumnType, DBOutput, Runner, default_normalizer, default_validator,
    strict_column_validator,
};

/// One session per test file, so that `SET` and `CREATE TABLE` do not leak between files.
struct DataFusionDb {
    ctx: SessionContext,
}

impl DataFusionDb {
    fn new() -> Result<Self> {
        let config = SessionConfig::new()
            .with_information_schema(true)
            .with_option_extension(CustlakeOptions::default());
        let mut state = SessionStateBuilder::new()
            .with_config(config)
            .with_default_features()
            .build();
        custlake_udfs::register_all(&mut state)?;
        Ok(Self {
            ctx: SessionContext::new_with_state(state),
        })
    }
}

#[async_trait]
impl AsyncDB for DataFusionDb {
    type Error = DataFusionError;
    type ColumnType = Column;

    async fn run(&mut self, sql: &str) -> Result<DBOutput<Column>> {
        let frame = self.ctx.sql(sql).await?;
        let schema = frame.schema().as_arrow().clone();
        let batches = frame.collect().await?;
        // SET, CREATE TABLE and the like answer with no columns.
        if schema.fields().is_empty() {
            return Ok(DBOutput::StatementComplete(0));
        }
        let types = schema
            .fields()
            .iter()
            .map(|f| Column::of(f.data_type()))
            .collect();
        let mut rows = Vec::new();
        for batch in &batches {
            let columns = batch.columns();
            let formatters = columns
                .iter()
                .map(|c| ArrayFormatter::try_new(c.as_ref(), &FormatOptions::default()))
                .collect::<Result<Vec<_>, _>>()?;
            for row in 0..batch.num_rows() {
                let cells = columns
                    .iter()
                    .zip(&formatters)
                    .map(|(column, formatter)| cell(column, formatter, row))
                    .collect();
                rows.push(cells);
            }
        }
        Ok(DBOutput::Rows { types, rows })
    }

    async fn shutdown(&mut self) {}

    fn engine_name(&self) -> &str {
        "datafusion"
    }
}

/// A result column's type letter; see the file documentation.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Column {
    Boolean,
    DateTime,
    Integer,
    Float,
    Text,
    Timestamp,
    Other,
}

impl Column {
    fn of(data_type: &DataType) -> Column {
        use DataType::*;
        match data_type {
            Boolean => Column::Boolean,
            Int8 | Int16 | Int32 | Int64 | UInt8 | UInt16 | UInt32 | UInt64 => Column::Integer,
            Float16 | Float32 | Float64 => Column::Float,
            Decimal32(..) | Decimal64(..) | Decimal128(..) | Decimal256(..) => Column::Float,
            Utf8 | LargeUtf8 | Utf8View => Column::Text,
            Date32 | Date64 | Time32(_) | Time64(_) => Column::DateTime,
            Timestamp(..) => Column::Timestamp,
            Dictionary(_, value) => Column::of(value),
            _ => Column::Other,
        }
    }
}

impl ColumnType for Column {
    fn from_char(value: char) -> Option<Self> {
        Some(match value {
            'B' => Column::Boolean,
            'D' => Column::DateTime,
            'I' => Column::Integer,
            'R' => Column::Float,
            'T' => Column::Text,
            'P' => Column::Timestamp,
            _ => Column::Other,
        })
    }

    fn to_char(&self) -> char {
        match self {
            Column::Boolean => 'B',
            Column::DateTime => 'D',
            Column::Integer => 'I',
            Column::Float => 'R',
            Column::Text => 'T',
            Column::Timestamp => 'P',
            Column::Other => '?',
        }
    }
}

fn cell(column: &ArrayRef, formatter: &ArrayFormatter, row: usize) -> String {
    if column.is_null(row) {
        return "NULL".to_string();
    }
    match column.data_type() {
        DataType::Float64 => float(column.as_primitive::<Float64Type>().value(row)),
        // Through the shortest decimal of the narrow float, so 0.1f32 is 0.1, not 0.100000001490.
        DataType::Float32 => float(shortest(column.as_primitive::<Float32Type>().value(row))),
        DataType::Float16 => float(shortest(column.as_primitive::<Float16Type>().value(row))),
        _ => {
            let text = formatter.value(row).to_string();
            if text.is_empty() {
                "(empty)".to_string()
            } else {
                text
            }
        }
    }
}

fn shortest(value: impl ToString) -> f64 {
    value.to_string().parse().unwrap_or(f64::NAN)
}

/// Rounded to 12 decimal places, trailing zeros and a trailing point dropped.
fn float(value: f64) -> String {
    if value.is_nan() {
        return "NaN".to_string();
    }
    if value.is_infinite() {
        return if value > 0.0 { "Infinity" } else { "-Infinity" }.to_string();
    }
    let text = format!("{value:.12}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        "0".to_string()
    } else {
        text.to_string()
    }
}

/// What the command line asks for.
struct Args {
    /// `--complete`: rewrite the expected results instead of checking them.
    complete: bool,
    /// Free arguments: run only the files whose name contains one of them.
    filters: Vec<String>,
}

impl Args {
    /// Flags that libtest would take (cargo passes some) are ignored, with their values.
    fn parse() -> Args {
        let mut parsed = Args {
            complete: false,
            filters: Vec::new(),
        };
        let mut args = std::env::args().skip(1);
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--complete" => parsed.complete = true,
                "--test-threads" | "--format" | "--color" | "--logfile" | "--skip" | "-Z" => {
                    args.next();
                }
                flag if flag.starts_with('-') => {}
                _ => parsed.filters.push(arg),
            }
        }
        parsed
    }
}

/// The `.slt` files to run, sorted — all of `tests/slt/`, or those matching the filters — and
/// how many were left out by the filters.
fn test_files(filters: &[String]) -> std::io::Result<(Vec<PathBuf>, usize)> {
    let dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("."))
        .join("tests")
        .join("slt");
    let mut files = Vec::new();
    let mut filtered_out = 0;
    for entry in std::fs::read_dir(&dir)? {
        let path = entry?.path();
        if path.extension().is_none_or(|e| e != "slt") {
            continue;
        }
        let name = file_name(&path);
        if filters.is_empty() || filters.iter().any(|f| name.contains(f.as_str())) {
            files.push(path);
        } else {
            filtered_out += 1;
        }
    }
    files.sort();
    Ok((files, filtered_out))
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let (files, filtered_out) = match test_files(&args.filters) {
        Ok(found) => found,
        Err(e) => {
            eprintln!("sqllogictests: cannot list tests/slt: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut failed = Vec::new();
    for file in &files {
        let name = file_name(file);
        let mut runner = Runner::new(|| async { DataFusionDb::new() });
        runner.with_column_validator(strict_column_validator);
        let outcome = if args.complete {
            runner
                .update_test_file(
                    file,
                    " ",
                    default_validator,
                    default_normalizer,
                    strict_column_validator,
                )
                .await
                .map_err(|e| e.to_string())
        } else {
            runner.run_file_async(file).await.map_err(|e| e.to_string())
        };
        match outcome {
            Ok(()) if args.complete => println!("completed  {name}"),
            Ok(()) => println!("ok      {name}"),
            Err(error) => {
                println!("FAILED  {name}\n{error}\n");
                failed.push(name);
            }
        }
    }
    if !failed.is_empty() {
        println!("failed files: {}", failed.join(", "));
    }
    // libtest's summary line, one test per file, so that tests/run.sh counts these too.
    println!(
        "test result: {}. {} passed; {} failed; 0 ignored; 0 measured; {filtered_out} filtered out",
        if failed.is_empty() { "ok" } else { "FAILED" },
        files.len() - failed.len(),
        failed.len(),
    );
    if failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
