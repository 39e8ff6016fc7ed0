//! Building a catalog table's one record batch from rows of values: catalog tables are small
//! (tens to hundreds of rows), built per scan, and read best as one row per object.

use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, RecordBatch, new_empty_array};
use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use datafusion::common::{Result, ScalarValue, exec_err};

/// PostgreSQL catalog column types, as Arrow types.
pub mod ty {
    use super::*;

    /// `oid`, `regproc`, `xid` …: unsigned 32-bit.
    pub const OID: DataType = DataType::UInt32;
    /// `name`, `text`, `"char"`, `pg_node_tree`.
    pub const TEXT: DataType = DataType::Utf8;
    pub const BOOL: DataType = DataType::Boolean;
    pub const INT2: DataType = DataType::Int16;
    pub const INT4: DataType = DataType::Int32;
    pub const INT8: DataType = DataType::Int64;
    pub const FLOAT4: DataType = DataType::Float32;

    /// `text[]`, `aclitem[]`.
    pub fn text_array() -> DataType {
        DataType::new_list(DataType::Utf8, true)
    }
    /// `oid[]`, `oidvector`.
    pub fn oid_array() -> DataType {
        DataType::new_list(DataType::UInt32, true)
    }
    /// `int2[]`, `int2vector`.
    pub fn int2_array() -> DataType {
        DataType::new_list(DataType::Int16, true)
    }
    /// `timestamptz`: microseconds in UTC.
    pub fn timestamptz() -> DataType {
        DataType::Timestamp(
            datafusion::arrow::datatypes::TimeUnit::Microsecond,
            Some("+00:00".into()),
        )
    }
}

/// Values for one cell.
pub mod val {
    use super::*;

    pub fn oid(v: u32) -> ScalarValue {
        ScalarValue::UInt32(Some(v))
    }
    pub fn text(v: impl Into<String>) -> ScalarValue {
        ScalarValue::Utf8(Some(v.into()))
    }
    pub fn opt_text(v: Option<impl Into<String>>) -> ScalarValue {
        ScalarValue::Utf8(v.map(Into::into))
    }
    pub fn bool(v: bool) -> ScalarValue {
        ScalarValue::Boolean(Some(v))
    }
    pub fn int2(v: i16) -> ScalarValue {
        ScalarValue::Int16(Some(v))
    }
    pub fn int4(v: i32) -> ScalarValue {
        ScalarValue::Int32(Some(v))
    }
    pub fn float4(v: f32) -> ScalarValue {
        ScalarValue::Float32(Some(v))
    }
    /// NULL of whatever type the column has.
    pub fn null() -> ScalarValue {
        ScalarValue::Null
    }
    pub fn text_array<S: AsRef<str>>(values: &[S]) -> ScalarValue {
        let values: Vec<ScalarValue> = values.iter().map(|v| text(v.as_ref())).collect();
        ScalarValue::List(ScalarValue::new_list_nullable(&values, &DataType::Utf8))
    }
    pub fn oid_array(values: &[u32]) -> ScalarValue {
        let values: Vec<ScalarValue> = values.iter().map(|v| oid(*v)).collect();
        ScalarValue::List(ScalarValue::new_list_nullable(&values, &DataType::UInt32))
    }
}

/// A table's schema: nullable columns, as every catalog column may be read through a LEFT JOIN.
pub fn schema(columns: &[(&str, DataType)]) -> SchemaRef {
    Arc::new(Schema::new(
        columns
            .iter()
            .map(|(name, data_type)| Field::new(*name, data_type.clone(), true))
            .collect::<Vec<_>>(),
    ))
}

/// Collects rows, then turns them into one batch of `schema`.
pub struct Rows {
    schema: SchemaRef,
    columns: Vec<Vec<ScalarValue>>,
}

impl Rows {
    pub fn new(schema: SchemaRef) -> Self {
        let columns = vec![Vec::new(); schema.fields().len()];
        Rows { schema, columns }
    }

    pub fn push(&mut self, row: Vec<ScalarValue>) -> Result<()> {
        if row.len() != self.columns.len() {
            return exec_err!(
                "catalog row has {} values for {} columns",
                row.len(),
                self.columns.len()
            );
        }
        for (column, value) in self.columns.iter_mut().zip(row) {
            column.push(value);
        }
        Ok(())
    }

    pub fn finish(self) -> Result<RecordBatch> {
        let mut arrays: Vec<ArrayRef> = Vec::with_capacity(self.columns.len());
        for (field, values) in self.schema.fields().iter().zip(self.columns) {
            let data_type = field.data_type();
            if values.is_empty() {
                arrays.push(new_empty_array(data_type));
                continue;
            }
            let typed_null = ScalarValue::try_from(data_type)?;
            let values = values.into_iter().map(|v| {
                if v.is_null() && v.data_type() != *data_type {
                    typed_null.clone()
                } else {
                    v
                }
            });
            let array = ScalarValue::iter_to_array(values)?;
            if array.data_type() != data_type {
                return exec_err!(
                    "catalog column {} is {}, built as {}",
                    field.name(),
                    data_type,
                    array.data_type()
                );
            }
            arrays.push(array);
        }
        Ok(RecordBatch::try_new(self.schema, arrays)?)
    }
}
