//! Arrow → PostgreSQL encoding (`custlake::server::encode`) without a server: for each
//! Arrow type, the exact text bytes PostgreSQL would print, and binary values that decode
//! back through `postgres-types` (what tokio-postgres and most drivers use).
//!
//! This file holds the helpers every family uses: a one-column batch encoded in text or
//! binary format, binary values decoded with `postgres-types`, and readers of the binary
//! `numeric` and `interval` layouts. One file per family: `numbers` (booleans, integers,
//! floats, numerics), `strings` (strings, bytea, the NULL type), `dates_times`, `arrays`,
//! `json` (structs, maps, nested lists), `batches` (the schema-level API: field
//! descriptions, unsupported types, a batch encoder across batches and slices).

use std::sync::Arc;

use chrono::NaiveDateTime;
use custlake::server::encode::{BatchEncoder, PgColumnType, pg_column_type};
use datafusion::arrow::array::{ArrayRef, Decimal128Array, ListArray, RecordBatch};
use datafusion::arrow::buffer::{NullBuffer, OffsetBuffer, ScalarBuffer};
use datafusion::arrow::datatypes::{DataType, Field, Schema};
use pgwire::api::results::FieldFormat;
use pgwire::messages::data::DataRow;
use tokio_postgres::types::{FromSql, Type};

mod arrays;
mod batches;
mod dates_times;
mod json;
mod numbers;
mod strings;

// ---------------------------------------------------------------------------------------------
// Helpers

/// A DataRow's fields: `None` for NULL, else the value bytes.
fn split_fields(row: &DataRow) -> Vec<Option<&[u8]>> {
    let mut data = &row.data[..];
    let mut fields = Vec::new();
    for _ in 0..row.field_count {
        let (len, rest) = data.split_at(4);
        let len = i32::from_be_bytes(len.try_into().unwrap());
        if len < 0 {
            assert_eq!(len, -1, "NULL is length -1");
            fields.push(None);
            data = rest;
        } else {
            let (value, rest) = rest.split_at(len as usize);
            fields.push(Some(value));
            data = rest;
        }
    }
    assert!(
        data.is_empty(),
        "bytes left over after {} fields",
        row.field_count
    );
    fields
}

/// Encode a one-column batch in `format`; each row's single field.
fn encode_column(array: ArrayRef, format: FieldFormat) -> Vec<Option<Vec<u8>>> {
    let schema = Arc::new(Schema::new(vec![Field::new(
        "c",
        array.data_type().clone(),
        true,
    )]));
    let batch = RecordBatch::try_new(schema.clone(), vec![array]).unwrap();
    let mut encoder = BatchEncoder::new(schema, vec![format]).unwrap();
    let mut rows = Vec::new();
    encoder.encode(&batch, &mut rows).unwrap();
    assert_eq!(rows.len(), batch.num_rows());
    rows.iter()
        .map(|row| {
            assert_eq!(row.field_count, 1);
            split_fields(row)[0].map(<[u8]>::to_vec)
        })
        .collect()
}

/// Text format, as strings.
fn text(array: ArrayRef) -> Vec<Option<String>> {
    encode_column(array, FieldFormat::Text)
        .into_iter()
        .map(|v| v.map(|b| String::from_utf8(b).unwrap()))
        .collect()
}

fn binary(array: ArrayRef) -> Vec<Option<Vec<u8>>> {
    encode_column(array, FieldFormat::Binary)
}

/// Binary format, decoded as `T` from the Postgres type the column is described as.
fn decoded<T: for<'a> FromSql<'a>>(array: ArrayRef) -> Vec<Option<T>> {
    let ty = pg_column_type(array.data_type()).unwrap().pg_type;
    assert!(
        T::accepts(&ty),
        "{} does not decode {ty}",
        std::any::type_name::<T>()
    );
    binary(array)
        .into_iter()
        .map(|raw| {
            raw.map(|raw| T::from_sql(&ty, &raw).unwrap_or_else(|e| panic!("decoding {ty}: {e}")))
        })
        .collect()
}

fn strs(values: &[Option<&str>]) -> Vec<Option<String>> {
    values.iter().map(|v| v.map(str::to_owned)).collect()
}

fn column_type(data_type: DataType) -> (Type, i32) {
    let PgColumnType {
        pg_type,
        type_modifier,
    } = pg_column_type(&data_type).unwrap();
    (pg_type, type_modifier)
}

/// A List array over `values` from offsets and list validity.
fn list_of(values: ArrayRef, offsets: &[i32], valid: Option<Vec<bool>>) -> ArrayRef {
    let field = Arc::new(Field::new_list_field(values.data_type().clone(), true));
    Arc::new(
        ListArray::try_new(
            field,
            OffsetBuffer::new(ScalarBuffer::from(offsets.to_vec())),
            values,
            valid.map(NullBuffer::from),
        )
        .unwrap(),
    )
}

/// Reads a binary `numeric` as `numeric_recv` would, asserting the invariants clients rely
/// on (digits < 10000, no leading/trailing zero groups, zero as ndigits = 0), and prints it
/// the way `numeric_out` does.
fn numeric_from_binary(raw: &[u8]) -> String {
    let be16 = |i: usize| u16::from_be_bytes([raw[i], raw[i + 1]]);
    let ndigits = usize::from(be16(0));
    let weight = i32::from(be16(2) as i16);
    let sign = be16(4);
    let dscale = usize::from(be16(6));
    assert_eq!(raw.len(), 8 + 2 * ndigits, "length matches ndigits");
    assert!(sign == 0 || sign == 0x4000, "sign {sign:#x}");
    let digits: Vec<u16> = (0..ndigits).map(|k| be16(8 + 2 * k)).collect();
    assert!(digits.iter().all(|&d| d < 10000), "{digits:?}");
    if ndigits == 0 {
        assert_eq!((weight, sign), (0, 0), "zero is canonical");
    } else {
        assert_ne!(digits[0], 0, "leading zero group in {digits:?}");
        assert_ne!(digits[ndigits - 1], 0, "trailing zero group in {digits:?}");
    }
    let group = |p: i32| -> u16 {
        let k = weight - p;
        if k >= 0 && (k as usize) < ndigits {
            digits[k as usize]
        } else {
            0
        }
    };
    let int: String = (0..=weight.max(0))
        .rev()
        .map(|p| format!("{:04}", group(p)))
        .collect();
    let int = int.trim_start_matches('0');
    let int = if int.is_empty() { "0" } else { int };
    let lowest = weight - ndigits as i32 + 1;
    let frac_groups = (dscale.div_ceil(4) as i32).max(-lowest);
    let frac: String = (1..=frac_groups)
        .map(|g| format!("{:04}", group(-g)))
        .collect();
    assert!(
        frac[dscale.min(frac.len())..].bytes().all(|b| b == b'0'),
        "digits beyond dscale"
    );
    let frac = &frac[..dscale];
    format!(
        "{}{int}{}{frac}",
        if sign == 0x4000 { "-" } else { "" },
        if dscale > 0 { "." } else { "" }
    )
}

/// `interval_send`: (microseconds, days, months).
fn interval_from_binary(raw: &[u8]) -> (i64, i32, i32) {
    assert_eq!(raw.len(), 16);
    (
        i64::from_be_bytes(raw[..8].try_into().unwrap()),
        i32::from_be_bytes(raw[8..12].try_into().unwrap()),
        i32::from_be_bytes(raw[12..].try_into().unwrap()),
    )
}

fn decimal128(values: &[Option<i128>], precision: u8, scale: i8) -> ArrayRef {
    Arc::new(
        Decimal128Array::from(values.to_vec())
            .with_precision_and_scale(precision, scale)
            .unwrap(),
    )
}

fn naive(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%.f").unwrap()
}
