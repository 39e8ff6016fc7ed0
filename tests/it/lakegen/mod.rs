//! The demo-lake generator: determinism, layout and schema, referential integrity, and that the
//! planted model (purchase process, associations, state-dependent interactions) shows in the data.
//! This file holds the readers the tests share: a generated lake's files and columns.

mod layout;
mod planted;

use std::fs::{self, File};
use std::path::{Path, PathBuf};

use custlake::lakegen::{GenOptions, GenSummary, generate};
use datafusion::arrow::array::{Array, AsArray, RecordBatch, RecordBatchReader};
use datafusion::arrow::compute::concat_batches;
use datafusion::arrow::datatypes::{
    DataType, Date32Type, Decimal128Type, Float64Type, Int32Type, Int64Type,
    TimestampMicrosecondType,
};
use datafusion::parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

pub(super) const DAY_MICROS: i64 = 86_400_000_000;

pub(super) fn generate_lake(dir: &Path, customers: u64, seed: u64) -> GenSummary {
    let mut opts = GenOptions::new(dir.to_path_buf(), customers);
    opts.seed = seed;
    generate(&opts).expect("generation succeeds")
}

pub(super) fn parquet_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .expect("table directory exists")
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "parquet"))
        .collect();
    files.sort();
    files
}

pub(crate) fn read_file(path: &Path) -> RecordBatch {
    let file = File::open(path).expect("open parquet file");
    let reader = ParquetRecordBatchReaderBuilder::try_new(file)
        .expect("parquet metadata")
        .build()
        .expect("parquet reader");
    let schema = reader.schema();
    let batches: Vec<RecordBatch> = reader.map(|b| b.expect("record batch")).collect();
    concat_batches(&schema, &batches).expect("concat")
}

/// All part files of a table, concatenated in file order.
pub(super) fn read_table(lake: &Path, table: &str) -> RecordBatch {
    let files = parquet_files(&lake.join(table));
    assert!(!files.is_empty(), "{table} has part files");
    let batches: Vec<RecordBatch> = files.iter().map(|f| read_file(f)).collect();
    concat_batches(&batches[0].schema(), &batches).expect("concat")
}

pub(super) fn i64s(batch: &RecordBatch, name: &str) -> Vec<i64> {
    let col = batch
        .column_by_name(name)
        .unwrap_or_else(|| panic!("column {name}"));
    assert_eq!(col.null_count(), 0, "{name} has no nulls");
    col.as_primitive::<Int64Type>().values().to_vec()
}

pub(super) fn opt_i64s(batch: &RecordBatch, name: &str) -> Vec<Option<i64>> {
    let col = batch
        .column_by_name(name)
        .unwrap_or_else(|| panic!("column {name}"));
    col.as_primitive::<Int64Type>().iter().collect()
}

pub(super) fn i32s(batch: &RecordBatch, name: &str) -> Vec<i32> {
    let col = batch
        .column_by_name(name)
        .unwrap_or_else(|| panic!("column {name}"));
    col.as_primitive::<Int32Type>().values().to_vec()
}

pub(super) fn dates(batch: &RecordBatch, name: &str) -> Vec<i32> {
    let col = batch
        .column_by_name(name)
        .unwrap_or_else(|| panic!("column {name}"));
    col.as_primitive::<Date32Type>().values().to_vec()
}

pub(super) fn f64s(batch: &RecordBatch, name: &str) -> Vec<Option<f64>> {
    let col = batch
        .column_by_name(name)
        .unwrap_or_else(|| panic!("column {name}"));
    col.as_primitive::<Float64Type>().iter().collect()
}

pub(super) fn timestamps(batch: &RecordBatch, name: &str) -> Vec<Option<i64>> {
    let col = batch
        .column_by_name(name)
        .unwrap_or_else(|| panic!("column {name}"));
    col.as_primitive::<TimestampMicrosecondType>()
        .iter()
        .collect()
}

pub(super) fn cents(batch: &RecordBatch, name: &str) -> Vec<i64> {
    let col = batch
        .column_by_name(name)
        .unwrap_or_else(|| panic!("column {name}"));
    col.as_primitive::<Decimal128Type>()
        .values()
        .iter()
        .map(|&v| v as i64)
        .collect()
}

pub(super) fn strs(batch: &RecordBatch, name: &str) -> Vec<Option<String>> {
    let col = batch
        .column_by_name(name)
        .unwrap_or_else(|| panic!("column {name}"));
    col.as_string::<i32>()
        .iter()
        .map(|s| s.map(str::to_string))
        .collect()
}

pub(super) fn req_strs(batch: &RecordBatch, name: &str) -> Vec<String> {
    strs(batch, name)
        .into_iter()
        .map(|s| s.expect("non-null string"))
        .collect()
}

pub(super) fn bools(batch: &RecordBatch, name: &str) -> Vec<bool> {
    let col = batch
        .column_by_name(name)
        .unwrap_or_else(|| panic!("column {name}"));
    col.as_boolean()
        .iter()
        .map(|b| b.expect("non-null bool"))
        .collect()
}

pub(super) fn assert_schema(batch: &RecordBatch, table: &str, expected: &[(&str, DataType, bool)]) {
    let schema = batch.schema();
    let actual: Vec<(String, DataType, bool)> = schema
        .fields()
        .iter()
        .map(|f| (f.name().clone(), f.data_type().clone(), f.is_nullable()))
        .collect();
    let expected: Vec<(String, DataType, bool)> = expected
        .iter()
        .map(|(n, t, null)| (n.to_string(), t.clone(), *null))
        .collect();
    assert_eq!(actual, expected, "schema of {table}");
}

pub(super) fn all_lake_files(lake: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for table in custlake::lakegen::TABLE_NAMES.into_iter().chain(["truth"]) {
        files.extend(parquet_files(&lake.join(table)));
    }
    files
}
