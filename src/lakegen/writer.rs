//! Arrow schemas of the served tables and writing generated rows as Parquet.
//!
//! Column names and types are a contract with the SQL side. Files are ZSTD-compressed, with
//! at most `MAX_ROW_GROUP_ROWS` rows per row group; each chunk of customers becomes one part
//! file per table (`part-00000.parquet`, …) so memory stays bounded and writes run in parallel.

use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use datafusion::arrow::array::{
    ArrayRef, BooleanArray, Date32Array, Decimal128Array, Int16Array, Int32Array, Int64Array,
    StringArray, TimestampMicrosecondArray,
};
use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef, TimeUnit};
use datafusion::arrow::error::ArrowError;
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::parquet::arrow::ArrowWriter;
use datafusion::parquet::basic::{Compression, ZstdLevel};
use datafusion::parquet::file::properties::WriterProperties;

use super::GenError;
use super::catalog::Catalog;
use super::chunk::{ChunkData, CustomerRows, InteractionRows, ItemRows, OrderRows, ReferralRows};
use super::names::*;

/// The served tables, in the order they appear in `custlake.toml`.
pub const TABLE_NAMES: [&str; 6] = [
    "customers",
    "orders",
    "order_items",
    "products",
    "interactions",
    "referrals",
];

pub const MAX_ROW_GROUP_ROWS: usize = 1 << 20;

/// Offsets of the ids that are numbered across chunks.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct IdBase {
    /// Orders in all earlier chunks.
    pub orders: u64,
    /// Interactions in all earlier chunks.
    pub interactions: u64,
}

pub fn part_file_name(index: usize) -> String {
    format!("part-{index:05}.parquet")
}

fn writer_properties() -> Result<WriterProperties, GenError> {
    Ok(WriterProperties::builder()
        .set_compression(Compression::ZSTD(ZstdLevel::try_new(1)?))
        .set_max_row_group_row_count(Some(MAX_ROW_GROUP_ROWS))
        .build())
}

/// Creates `path` and a Parquet writer for `schema` on it.
pub fn create_writer(path: &Path, schema: SchemaRef) -> Result<ParquetFile, GenError> {
    let file = File::create(path).map_err(|source| GenError::Io {
        path: path.to_owned(),
        source,
    })?;
    let writer = ArrowWriter::try_new(BufWriter::new(file), schema, Some(writer_properties()?))?;
    Ok(ParquetFile {
        path: path.to_owned(),
        writer,
    })
}

/// A Parquet file being written.
pub struct ParquetFile {
    path: PathBuf,
    writer: ArrowWriter<BufWriter<File>>,
}

impl ParquetFile {
    pub fn write(&mut self, batch: &RecordBatch) -> Result<(), GenError> {
        self.writer
            .write(batch)
            .map_err(|e| GenError::parquet_at(&self.path, e))
    }

    /// Writes the footer and flushes the file to disk.
    pub fn close(self) -> Result<(), GenError> {
        let path = self.path;
        let buffered = self
            .writer
            .into_inner()
            .map_err(|e| GenError::parquet_at(&path, e))?;
        // Flushing is enough: the lake can be regenerated, so no fsync.
        buffered.into_inner().map_err(|e| GenError::Io {
            path,
            source: e.into_error(),
        })?;
        Ok(())
    }
}

/// Writes one batch as a complete file.
pub fn write_file(path: &Path, batch: &RecordBatch) -> Result<(), GenError> {
    let mut file = create_writer(path, batch.schema())?;
    file.write(batch)?;
    file.close()
}

fn field(name: &str, data_type: DataType, nullable: bool) -> Field {
    Field::new(name, data_type, nullable)
}

pub fn timestamp_type() -> DataType {
    DataType::Timestamp(TimeUnit::Microsecond, None)
}

pub fn money_type() -> DataType {
    DataType::Decimal128(12, 2)
}

pub fn small_money_type() -> DataType {
    DataType::Decimal128(10, 2)
}

pub fn customers_schema() -> SchemaRef {
    Arc::new(Schema::new(vec![
        field("customer_id", DataType::Int64, false),
        field("name", DataType::Utf8, false),
        field("email", DataType::Utf8, false),
        field("phone", DataType::Utf8, false),
        field("gender", DataType::Utf8, false),
        field("birth_date", DataType::Date32, false),
        field("region", DataType::Utf8, false),
        field("city", DataType::Utf8, false),
        field("customer_type", DataType::Utf8, false),
        field("industry", DataType::Utf8, true),
        field("company_size", DataType::Utf8, true),
        field("signup_date", DataType::Date32, false),
        field("acquisition_channel", DataType::Utf8, false),
        field("preferred_channel", DataType::Utf8, false),
        field("marketing_opt_in", DataType::Boolean, false),
        field("referred_by", DataType::Int64, true),
    ]))
}

pub fn orders_schema() -> SchemaRef {
    Arc::new(Schema::new(vec![
        field("order_id", DataType::Int64, false),
        field("customer_id", DataType::Int64, false),
        field("order_ts", timestamp_type(), false),
        field("channel", DataType::Utf8, false),
        field("status", DataType::Utf8, false),
        field("amount", money_type(), false),
        field("discount", money_type(), false),
        field("currency", DataType::Utf8, false),
    ]))
}

pub fn order_items_schema() -> SchemaRef {
    Arc::new(Schema::new(vec![
        field("order_id", DataType::Int64, false),
        field("line_no", DataType::Int32, false),
        field("product_id", DataType::Int64, false),
        field("category", DataType::Utf8, false),
        field("quantity", DataType::Int32, false),
        field("unit_price", money_type(), false),
    ]))
}

pub fn products_schema() -> SchemaRef {
    Arc::new(Schema::new(vec![
        field("product_id", DataType::Int64, false),
        field("name", DataType::Utf8, false),
        field("category", DataType::Utf8, false),
        field("price", money_type(), false),
    ]))
}

pub fn interactions_schema() -> SchemaRef {
    Arc::new(Schema::new(vec![
        field("interaction_id", DataType::Int64, false),
        field("customer_id", DataType::Int64, false),
        field("ts", timestamp_type(), false),
        field("channel", DataType::Utf8, false),
        field("kind", DataType::Utf8, false),
        field("direction", DataType::Utf8, false),
        field("responded", DataType::Boolean, false),
        field("converted", DataType::Boolean, false),
        field("complaint", DataType::Boolean, false),
        field("nps_score", DataType::Int16, true),
        field("cost", small_money_type(), false),
    ]))
}

pub fn referrals_schema() -> SchemaRef {
    Arc::new(Schema::new(vec![
        field("referrer_id", DataType::Int64, false),
        field("referee_id", DataType::Int64, false),
        field("referred_at", timestamp_type(), false),
        field("converted_at", timestamp_type(), true),
        field("reward", small_money_type(), false),
    ]))
}

pub fn decimal(cents: impl Iterator<Item = i64>, precision: u8) -> Result<ArrayRef, ArrowError> {
    let array = Decimal128Array::from_iter_values(cents.map(i128::from))
        .with_precision_and_scale(precision, 2)?;
    Ok(Arc::new(array))
}

fn strings<'a>(values: impl Iterator<Item = &'a str>) -> ArrayRef {
    Arc::new(StringArray::from_iter_values(values))
}

fn customers_batch(rows: &CustomerRows) -> Result<RecordBatch, ArrowError> {
    let columns: Vec<ArrayRef> = vec![
        Arc::new(Int64Array::from(rows.id.clone())),
        strings(rows.name.iter().map(String::as_str)),
        strings(rows.email.iter().map(String::as_str)),
        strings(rows.phone.iter().map(String::as_str)),
        strings(rows.gender.iter().copied()),
        Arc::new(Date32Array::from(rows.birth_date.clone())),
        strings(rows.region.iter().copied()),
        strings(rows.city.iter().copied()),
        strings(rows.customer_type.iter().copied()),
        Arc::new(StringArray::from(rows.industry.clone())),
        Arc::new(StringArray::from(rows.company_size.clone())),
        Arc::new(Date32Array::from(rows.signup_date.clone())),
        strings(rows.acquisition_channel.iter().copied()),
        strings(rows.preferred_channel.iter().copied()),
        Arc::new(BooleanArray::from(rows.marketing_opt_in.clone())),
        Arc::new(Int64Array::from(rows.referred_by.clone())),
    ];
    RecordBatch::try_new(customers_schema(), columns)
}

fn orders_batch(rows: &OrderRows, base: IdBase) -> Result<RecordBatch, ArrowError> {
    let n = rows.len() as i64;
    let first_id = base.orders as i64 + 1;
    let columns: Vec<ArrayRef> = vec![
        Arc::new(Int64Array::from_iter_values(first_id..first_id + n)),
        Arc::new(Int64Array::from(rows.customer_id.clone())),
        Arc::new(TimestampMicrosecondArray::from(rows.ts.clone())),
        strings(rows.channel.iter().map(|&c| ORDER_CHANNELS[usize::from(c)])),
        strings(rows.status.iter().map(|&s| ORDER_STATUSES[usize::from(s)])),
        decimal(rows.amount_cents.iter().copied(), 12)?,
        decimal(rows.discount_cents.iter().copied(), 12)?,
        strings(std::iter::repeat_n("EUR", rows.len())),
    ];
    RecordBatch::try_new(orders_schema(), columns)
}

fn items_batch(
    rows: &ItemRows,
    base: IdBase,
    catalog: &Catalog,
) -> Result<RecordBatch, ArrowError> {
    let first_id = base.orders as i64 + 1;
    let columns: Vec<ArrayRef> = vec![
        Arc::new(Int64Array::from_iter_values(
            rows.order_index.iter().map(|&i| first_id + i64::from(i)),
        )),
        Arc::new(Int32Array::from(rows.line_no.clone())),
        Arc::new(Int64Array::from_iter_values(
            rows.product
                .iter()
                .map(|&p| catalog.products[p as usize].id),
        )),
        strings(rows.category.iter().map(|&c| catalog.category_name(c))),
        Arc::new(Int32Array::from(rows.quantity.clone())),
        decimal(rows.unit_price_cents.iter().copied(), 12)?,
    ];
    RecordBatch::try_new(order_items_schema(), columns)
}

fn interactions_batch(rows: &InteractionRows, base: IdBase) -> Result<RecordBatch, ArrowError> {
    let d = &rows.drafts;
    let n = d.len() as i64;
    let first_id = base.interactions as i64 + 1;
    let columns: Vec<ArrayRef> = vec![
        Arc::new(Int64Array::from_iter_values(first_id..first_id + n)),
        Arc::new(Int64Array::from(rows.customer_id.clone())),
        Arc::new(TimestampMicrosecondArray::from_iter_values(
            d.iter().map(|x| x.ts),
        )),
        strings(d.iter().map(|x| CONTACT_CHANNELS[x.channel])),
        strings(d.iter().map(|x| INTERACTION_KINDS[x.kind])),
        strings(d.iter().map(|x| DIRECTIONS[x.direction])),
        Arc::new(BooleanArray::from_iter(d.iter().map(|x| Some(x.responded)))),
        Arc::new(BooleanArray::from_iter(d.iter().map(|x| Some(x.converted)))),
        Arc::new(BooleanArray::from_iter(d.iter().map(|x| Some(x.complaint)))),
        Arc::new(Int16Array::from_iter(d.iter().map(|x| x.nps))),
        decimal(d.iter().map(|x| x.cost_cents), 10)?,
    ];
    RecordBatch::try_new(interactions_schema(), columns)
}

fn referrals_batch(rows: &ReferralRows) -> Result<RecordBatch, ArrowError> {
    let columns: Vec<ArrayRef> = vec![
        Arc::new(Int64Array::from(rows.referrer_id.clone())),
        Arc::new(Int64Array::from(rows.referee_id.clone())),
        Arc::new(TimestampMicrosecondArray::from(rows.referred_at.clone())),
        Arc::new(TimestampMicrosecondArray::from(rows.converted_at.clone())),
        decimal(rows.reward_cents.iter().copied(), 10)?,
    ];
    RecordBatch::try_new(referrals_schema(), columns)
}

pub fn products_batch(catalog: &Catalog) -> Result<RecordBatch, ArrowError> {
    let p = &catalog.products;
    let columns: Vec<ArrayRef> = vec![
        Arc::new(Int64Array::from_iter_values(p.iter().map(|x| x.id))),
        strings(p.iter().map(|x| x.name.as_str())),
        strings(p.iter().map(|x| catalog.category_name(x.category))),
        decimal(p.iter().map(|x| x.price_cents), 12)?,
    ];
    RecordBatch::try_new(products_schema(), columns)
}

/// Writes the part files of one chunk of customers (all tables except products).
pub fn write_chunk(
    out: &Path,
    data: &ChunkData,
    base: IdBase,
    catalog: &Catalog,
) -> Result<(), GenError> {
    let file = part_file_name(data.index);
    // Build each batch just before writing it, so at most one extra copy of a table is alive.
    write_file(
        &out.join("customers").join(&file),
        &customers_batch(&data.customers)?,
    )?;
    write_file(
        &out.join("orders").join(&file),
        &orders_batch(&data.orders, base)?,
    )?;
    write_file(
        &out.join("order_items").join(&file),
        &items_batch(&data.items, base, catalog)?,
    )?;
    write_file(
        &out.join("interactions").join(&file),
        &interactions_batch(&data.interactions, base)?,
    )?;
    write_file(
        &out.join("referrals").join(&file),
        &referrals_batch(&data.referrals)?,
    )?;
    Ok(())
}
