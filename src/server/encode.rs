//! Arrow → PostgreSQL wire-format encoding of query results.
//!
//! [`field_infos`] describes a result schema as PostgreSQL types (the `RowDescription`), and
//! a [`BatchEncoder`] turns each `RecordBatch` into `DataRow` messages, in text or binary
//! format per column, byte-for-byte as PostgreSQL's own output and send functions would.
//! See [`pg_column_type`] for the type mapping.
//!
//! Encoding is columnar: each column is downcast once per batch and its values written into
//! per-row buffers in one monomorphised loop; the rows are then packed into a single
//! allocation shared by the batch's `DataRow`s.

pub mod copy;
mod multidim;
mod render;
mod writers;

use bytes::BytesMut;
use datafusion::arrow::array::RecordBatch;
use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use pgwire::api::portal::Format;
use pgwire::api::results::{FieldFormat, FieldInfo};
use pgwire::messages::data::DataRow;

use writers::{Visit, Writer};

use crate::error::{SqlError, sqlstate};
use crate::pgcompat::types;
pub use crate::pgcompat::types::PgColumnType;

/// Why a result cannot be encoded.
#[derive(Debug, thiserror::Error)]
pub enum EncodeError {
    /// An Arrow type with no PostgreSQL representation here (the string names the type).
    #[error("cannot send values of type {0} to PostgreSQL clients")]
    UnsupportedType(String),
    /// A value that its PostgreSQL type cannot hold (e.g. a date beyond `date`'s range).
    #[error("cannot encode value: {0}")]
    Value(String),
    /// Result format codes that do not fit the result's columns.
    #[error("invalid result format codes: {0}")]
    Format(String),
    /// A list of lists whose inner lists differ in length or are NULL: not a PostgreSQL array.
    #[error("multidimensional arrays must have array expressions with matching dimensions")]
    NotRectangular,
    /// A batch that does not match the schema the encoder was built for.
    #[error("record batch does not match the result schema: {0}")]
    Schema(String),
}

impl From<EncodeError> for SqlError {
    fn from(e: EncodeError) -> Self {
        let code = match e {
            EncodeError::UnsupportedType(_) => sqlstate::FEATURE_NOT_SUPPORTED,
            EncodeError::Value(_) => sqlstate::DATA_EXCEPTION,
            EncodeError::NotRectangular => sqlstate::ARRAY_SUBSCRIPT_ERROR,
            EncodeError::Format(_) => sqlstate::PROTOCOL_VIOLATION,
            EncodeError::Schema(_) => sqlstate::INTERNAL_ERROR,
        };
        SqlError::new(code, e.to_string())
    }
}

/// Map an Arrow type to the Postgres type clients see. Errors (not panics) for types we
/// cannot serve, with a message naming the type.
///
/// | Arrow | Postgres |
/// |---|---|
/// | Null | `text` (all NULL) |
/// | Boolean | `bool` |
/// | Int8, Int16, UInt8 / Int32, UInt16 / Int64, UInt32 | `int2` / `int4` / `int8` |
/// | UInt64 | `numeric(20,0)` |
/// | Float16, Float32 / Float64 | `float4` / `float8` |
/// | Decimal32/64/128/256(p, s) | `numeric(p, s)` |
/// | Utf8, LargeUtf8, Utf8View | `text` |
/// | Binary, LargeBinary, BinaryView, FixedSizeBinary | `bytea` |
/// | Date32, Date64 | `date` |
/// | Timestamp(_, None) / Timestamp(_, Some(tz)) | `timestamp` / `timestamptz` (UTC) |
/// | Time32, Time64 | `time` |
/// | Interval(_), Duration(_) | `interval` |
/// | Dictionary(_, V) | as V |
/// | List, LargeList, FixedSizeList of any of the above | the array type (`_int8`, `_text`, …) |
/// | List of anything else (lists, structs, maps) | `json` array |
/// | Struct, Map | `json` object |
///
/// Anything else (unions, run-end encoded, list views) is [`EncodeError::UnsupportedType`].
pub fn pg_column_type(data_type: &DataType) -> Result<PgColumnType, EncodeError> {
    types::column_type(data_type).ok_or_else(|| EncodeError::UnsupportedType(data_type.to_string()))
}

/// The Postgres type of a result column (`json` and `jsonb` are marked on the field).
pub fn pg_field_type(field: &Field) -> Result<PgColumnType, EncodeError> {
    types::field_type(field)
        .ok_or_else(|| EncodeError::UnsupportedType(field.data_type().to_string()))
}

/// The format of each of `columns` result columns under `format`, rejecting per-column
/// format codes whose count is not the column count (the Bind message allows 0, 1 or n).
fn column_formats(format: &Format, columns: usize) -> Result<Vec<FieldFormat>, EncodeError> {
    if let Format::Individual(codes) = format
        && codes.len() != columns
    {
        return Err(EncodeError::Format(format!(
            "{} format codes for {columns} result columns",
            codes.len()
        )));
    }
    Ok((0..columns).map(|i| format.format_for(i)).collect())
}

/// Row description for a schema with per-column formats (pgwire's Format handles
/// "all text / all binary / per column").
pub fn field_infos(schema: &Schema, format: &Format) -> Result<Vec<FieldInfo>, EncodeError> {
    let formats = column_formats(format, schema.fields().len())?;
    schema
        .fields()
        .iter()
        .zip(formats)
        .map(|(field, format)| {
            let PgColumnType {
                pg_type,
                type_modifier,
            } = pg_field_type(field)?;
            let type_size = types::type_len(&pg_type);
            Ok(
                FieldInfo::new(field.name().clone(), None, None, pg_type, format)
                    .with_type_modifier(type_modifier)
                    .with_type_size(type_size),
            )
        })
        .collect()
}

/// Row buffers bigger than this are dropped after a batch rather than kept for reuse, so
/// one huge value does not pin its memory for the rest of the query.
const MAX_RETAINED_ROW_CAPACITY: usize = 1 << 20;

/// Encoder for one result: built once per query from the schema + formats; reused across
/// batches.
pub struct BatchEncoder {
    schema: SchemaRef,
    formats: Vec<FieldFormat>,
    field_count: i16,
    /// One scratch buffer per row, reused across batches; see [`BatchEncoder::encode`].
    rows: Vec<Vec<u8>>,
    /// Per column: whether it is `jsonb`, whose binary form is a version byte and the text.
    jsonb: Vec<bool>,
}

impl BatchEncoder {
    /// Validates up front that every column type can be encoded and that there is one
    /// format per column (see [`field_infos`] for deriving them from a portal's `Format`).
    pub fn new(schema: SchemaRef, formats: Vec<FieldFormat>) -> Result<Self, EncodeError> {
        let columns = schema.fields().len();
        if formats.len() != columns {
            return Err(EncodeError::Format(format!(
                "{} formats for {columns} result columns",
                formats.len()
            )));
        }
        let field_count = i16::try_from(columns).map_err(|_| {
            EncodeError::Schema(format!("{columns} columns exceed the protocol limit"))
        })?;
        let jsonb = jsonb_columns(&schema)?;
        Ok(Self {
            schema,
            formats,
            field_count,
            rows: Vec::new(),
            jsonb,
        })
    }

    /// Encode every row of the batch as DataRow messages, appended to `out`.
    pub fn encode(
        &mut self,
        batch: &RecordBatch,
        out: &mut Vec<DataRow>,
    ) -> Result<(), EncodeError> {
        if batch.num_columns() != self.formats.len() {
            return Err(EncodeError::Schema(format!(
                "batch has {} columns, expected {}",
                batch.num_columns(),
                self.formats.len()
            )));
        }
        let n = batch.num_rows();
        if self.rows.len() < n {
            self.rows.resize_with(n, Vec::new);
        }
        let rows = &mut self.rows[..n];
        for row in rows.iter_mut() {
            row.clear();
        }

        // Column by column: one downcast and one tight loop per column.
        for (((column, field), &format), &jsonb) in batch
            .columns()
            .iter()
            .zip(self.schema.fields())
            .zip(&self.formats)
            .zip(&self.jsonb)
        {
            // The row description promised this type; ignore only nested field names.
            if !column.data_type().equals_datatype(field.data_type()) {
                return Err(EncodeError::Schema(format!(
                    "column {} is {}, expected {}",
                    field.name(),
                    column.data_type(),
                    field.data_type()
                )));
            }
            writers::dispatch_column(
                column.as_ref(),
                field,
                ColumnVisit {
                    rows,
                    format,
                    jsonb,
                },
            )?;
        }

        // Pack the rows into one allocation that the DataRows share.
        let total = rows.iter().map(Vec::len).sum();
        let mut packed = BytesMut::with_capacity(total);
        out.reserve(n);
        for row in rows.iter_mut() {
            packed.extend_from_slice(row);
            out.push(DataRow::new(packed.split(), self.field_count));
            if row.capacity() > MAX_RETAINED_ROW_CAPACITY {
                *row = Vec::new();
            }
        }
        Ok(())
    }
}

/// Per column of `schema`: whether it is `jsonb` (checking that every column can be sent).
fn jsonb_columns(schema: &Schema) -> Result<Vec<bool>, EncodeError> {
    schema
        .fields()
        .iter()
        .map(|field| Ok(pg_field_type(field)?.pg_type == pgwire::api::Type::JSONB))
        .collect()
}

/// A value in binary format, as its type's send function writes it; `jsonb_send` is a
/// format version (1) and the text.
#[inline]
fn put_binary<W: Writer>(
    writer: &W,
    i: usize,
    out: &mut Vec<u8>,
    jsonb: bool,
) -> Result<(), EncodeError> {
    if jsonb {
        out.push(1);
        writer.text(i, out)
    } else {
        writer.binary(i, out)
    }
}

/// Writes one column's value (length-prefixed) into each row buffer.
struct ColumnVisit<'r> {
    rows: &'r mut [Vec<u8>],
    format: FieldFormat,
    jsonb: bool,
}

impl<'a> Visit<'a> for ColumnVisit<'_> {
    type Out = ();

    fn visit<W: Writer + 'a>(self, writer: W) -> Result<(), EncodeError> {
        match self.format {
            FieldFormat::Text => write_rows(&writer, self.rows, W::text),
            FieldFormat::Binary => write_rows(&writer, self.rows, |w, i, out| {
                put_binary(w, i, out, self.jsonb)
            }),
        }
    }
}

#[inline]
fn write_rows<W: Writer>(
    writer: &W,
    rows: &mut [Vec<u8>],
    put: impl Fn(&W, usize, &mut Vec<u8>) -> Result<(), EncodeError>,
) -> Result<(), EncodeError> {
    for (i, row) in rows.iter_mut().enumerate() {
        if writer.is_null(i) {
            row.extend_from_slice(&render::NULL_LEN);
        } else {
            let at = render::begin_value(row);
            put(writer, i, row)?;
            render::end_value(row, at)?;
        }
    }
    Ok(())
}
